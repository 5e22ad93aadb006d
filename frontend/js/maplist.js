// The list of maps (search, create, import, move to the trash) and the trash (restore).

import { api } from "./api.js";
import { formDialog } from "./dialog.js";
import { excerpt, h, icon, plural, timeElement } from "./dom.js";
import { notify, notifyError } from "./notify.js";
import { currentUser, isOwner } from "./session.js";

const PAGE = 50;

export const IMPORT_FORMATS = [
  ["", "Detect from the file"],
  ["argdown", "Argdown (.argdown, .ad, .md)"],
  ["aif", "AIF JSON (AIFdb, OVA)"],
  ["kialo", "Kialo text export (.txt)"],
  ["native", "argmap JSON or YAML"],
];

/** Ask for a file and import it; on success open the new map and show what was not carried over. */
export async function importDialog() {
  const imported = await formDialog({
    title: "Import a map",
    description: "Bring a debate mapped elsewhere into argmap. The file becomes a new map.",
    fields: [
      { name: "file", label: "File", type: "file", required: true,
        accept: ".argdown,.ad,.md,.json,.yaml,.yml,.txt,.aif" },
      { name: "format", label: "Format", type: "select", options: IMPORT_FORMATS, value: "" },
    ],
    submitLabel: "Import",
    submit: async ({ file, format }) => {
      if (!file) throw new Error("Choose a file to import.");
      const { data } = await api.importMap(file, format);
      return data;
    },
  });
  if (!imported) return;
  const map = imported.map || imported;
  const report = imported.report || {};
  window.location.hash = `#/maps/${encodeURIComponent(map.id)}`;
  const dropped = Array.isArray(report.not_carried) ? report.not_carried : [];
  const droppedCount = dropped.length + (report.omitted || 0);
  const size = `${plural(map.claims?.length ?? 0, "claim")} and ${plural(map.relations?.length ?? 0, "relation")}`;
  if (droppedCount) {
    notify(`Imported “${excerpt(map.title, 60)}” with ${size}. ${plural(droppedCount, "thing")} could not be carried over:`, {
      kind: "warning", timeout: 0,
      detail: dropped.slice(0, 8).map((item) => {
        if (typeof item === "string") return item;
        const where = item.line ? `line ${item.line}: ` : "";
        return `${where}${item.what ? `${item.what}: ` : ""}${item.reason || ""}`;
      }).join(" · ") + (dropped.length > 8 ? " · …" : ""),
    });
  } else {
    notify(`Imported “${excerpt(map.title, 60)}” with ${size}.`, { kind: "success" });
  }
}

export async function newMapDialog() {
  const created = await formDialog({
    title: "New map",
    description: "A map holds one debate: its thesis, and the claims for and against it.",
    fields: [
      { name: "title", label: "Title", required: true, maxlength: 200 },
      { name: "description", label: "Description (optional)", type: "textarea", rows: 3, maxlength: 10000 },
    ],
    submitLabel: "Create map",
    submit: async ({ title, description }) => {
      if (!title.trim()) throw new Error("Give the map a title.");
      const { data } = await api.createMap({ title: title.trim(), description: description.trim() });
      return data;
    },
  });
  if (created) window.location.hash = `#/maps/${encodeURIComponent(created.id)}`;
}

/** The map list (`trash` false) or the trash (`trash` true). */
export function mountMapList(root, { trash = false } = {}) {
  let query = "";
  let items = [];
  let total = 0;
  let request = 0;
  let destroyed = false;

  const heading = h("h1", { tabindex: "-1", id: "page-heading" }, trash ? "Trash" : "Maps");
  const count = h("p", { class: "list-count", role: "status", "aria-live": "polite" });
  const list = h("ul", { class: "map-list", "aria-labelledby": "page-heading" });
  const more = h("button", { type: "button", class: "button", hidden: true, onclick: () => load({ append: true }) },
    "Show more");
  const search = h("input", { type: "search", id: "map-search", placeholder: "Search titles and claims",
                              autocomplete: "off", "aria-controls": "map-list" });
  list.id = "map-list";
  let searchTimer = null;
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      query = search.value.trim();
      load();
    }, 200);
  });

  const head = h("div", { class: "page-head" },
    h("div", {},
      heading,
      h("p", { class: "page-sub" }, trash
        ? "Maps moved to the trash. Restore one to bring it back to the list."
        : currentUser() ? "Debates you may open: your own, those shared with you, and public ones."
          : "Public debates on this argmap. Sign in, or open a share link, to see more.")),
    trash ? null : currentUser() ? h("div", { class: "page-actions" },
      h("button", { type: "button", class: "button", onclick: importDialog }, icon("upload"), "Import"),
      h("button", { type: "button", class: "button button-primary", onclick: newMapDialog }, icon("plus"), "New map"))
      : h("div", { class: "page-actions" },
          h("a", { class: "button button-primary", href: "#/login" }, icon("user"), "Sign in to make maps")));
  const tools = trash ? h("div", { class: "list-tools" }, count)
    : h("div", { class: "list-tools" },
        h("div", { class: "search-box" },
          h("label", { for: "map-search", class: "visually-hidden" }, "Search maps"),
          icon("search"), search),
        count);
  root.replaceChildren(h("div", { class: "list-page" }, head, tools, list, h("div", { class: "list-more" }, more)));
  document.title = trash ? "Trash · argmap" : "Maps · argmap";

  function row(item) {
    const link = h("a", { class: "map-link", href: `#/maps/${encodeURIComponent(item.id)}` },
      h("span", { class: "map-name", dir: "auto" }, item.title),
      item.description ? h("span", { class: "map-desc", dir: "auto" }, excerpt(item.description, 180)) : null);
    const size = h("span", { class: "map-size" },
      `${plural(item.claim_count, "claim")} · ${plural(item.relation_count, "relation")}`);
    const when = trash && item.deleted_at
      ? h("span", { class: "map-changed" }, "Deleted ", timeElement(item.deleted_at))
      : h("span", { class: "map-changed" }, "Changed ", timeElement(item.updated_at));
    // The list may say the person's role on each map; without it, the server decides.
    const mayTrash = item.your_role === undefined ? Boolean(currentUser()) : isOwner(item.your_role);
    const action = trash
      ? h("button", { type: "button", class: "button button-small", "aria-label": `Restore “${item.title}”`,
                      onclick: () => restore(item) }, icon("restore", { size: 14 }), "Restore")
      : mayTrash ? h("button", { type: "button", class: "icon-button row-action", title: "Move to the trash",
                                 "aria-label": `Move “${item.title}” to the trash`, onclick: () => moveToTrash(item) },
          icon("trash")) : h("span", { class: "row-action" });
    return h("li", { class: "map-row", dataset: { mapId: item.id } },
      trash ? h("div", { class: "map-link" }, h("span", { class: "map-name", dir: "auto" }, item.title),
                item.description ? h("span", { class: "map-desc", dir: "auto" }, excerpt(item.description, 180)) : null)
            : link,
      h("div", { class: "map-facts" }, size, when),
      action);
  }

  function draw() {
    list.replaceChildren(...items.map(row));
    if (!items.length) {
      list.append(h("li", { class: "empty-state" },
        h("p", { class: "empty-title" }, trash ? "The trash is empty." : query ? `No maps match “${query}”.` : "No maps yet."),
        trash || query || !currentUser() ? null
          : h("p", {}, "Create a map, or import one from Argdown, AIF, Kialo or argmap JSON.")));
    }
    count.textContent = query
      ? `${plural(total, "map")} matching “${excerpt(query, 40)}”`
      : trash ? plural(total, "map") + " in the trash" : plural(total, "map");
    more.hidden = items.length >= total;
  }

  async function load({ append = false } = {}) {
    const mine = ++request;
    try {
      const offset = append ? items.length : 0;
      const { data } = trash ? await api.listTrash({ limit: PAGE, offset })
        : await api.listMaps({ q: query || undefined, limit: PAGE, offset });
      if (mine !== request || destroyed) return;
      items = append ? [...items, ...data.items] : data.items;
      total = data.total;
      draw();
    } catch (error) {
      if (mine !== request || destroyed) return;
      count.textContent = "The maps could not be loaded.";
      notifyError(error, "Loading the maps failed:");
    }
  }

  async function moveToTrash(item) {
    try {
      await api.trashMap(item.id, item.version);
      await load();
      search.focus();
      notify(`Moved “${excerpt(item.title, 60)}” to the trash.`, {
        kind: "success",
        action: { label: "Undo", run: () => restore(item, { quiet: true }) },
      });
    } catch (error) {
      notifyError(error, "Moving to the trash failed:");
      load();
    }
  }

  async function restore(item, { quiet = false } = {}) {
    try {
      await api.restoreMap(item.id);
      await load();
      if (!quiet) {
        notify(`Restored “${excerpt(item.title, 60)}”.`, {
          kind: "success",
          action: { label: "Open it", run: () => { window.location.hash = `#/maps/${encodeURIComponent(item.id)}`; } },
        });
      }
    } catch (error) {
      notifyError(error, "Restoring failed:");
    }
  }

  load();
  return { destroy() { destroyed = true; }, update: () => false };
}
