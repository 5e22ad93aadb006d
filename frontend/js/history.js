// The history panel: every revision with who and what; view the map as of one; restore it.

import { api } from "./api.js";
import { h, icon, plural, timeElement } from "./dom.js";
import { notifyError } from "./notify.js";

/** {element, refresh(mapId, {viewing, version})}; onView(n|null), onRestore(n). */
export function createHistory({ onView, onRestore }) {
  const list = h("ol", { class: "revision-list", "aria-label": "Revisions, newest first" });
  const status = h("p", { class: "panel-status", role: "status", "aria-live": "polite" });
  const element = h("section", { class: "history-panel", "aria-label": "History" },
    h("p", { class: "panel-intro" },
      "Every change is kept. View the map as it was after any change, or restore it as a new change."),
    status, list);
  let loaded = { mapId: null, version: null, viewing: null };
  let request = 0;

  async function refresh(mapId, { viewing = null, version = null } = {}) {
    if (loaded.mapId === mapId && loaded.version === version && loaded.viewing === viewing && list.children.length) return;
    const mine = ++request;
    if (!list.children.length) status.textContent = "Loading the history…";
    try {
      const { data } = await api.listRevisions(mapId);
      if (mine !== request) return;
      loaded = { mapId, version, viewing };
      status.textContent = "";
      const latest = data.items.length ? data.items[0].number : null;
      list.replaceChildren(...data.items.map((revision) => {
        const isLatest = revision.number === latest;
        const isViewed = viewing === revision.number || (viewing === null && isLatest);
        return h("li", { class: ["revision", isViewed && "is-viewed"], "aria-current": isViewed ? "true" : null },
          h("div", { class: "revision-head" },
            h("span", { class: "revision-number" }, `#${revision.number}`),
            h("span", { class: "revision-who" }, icon("user", { size: 13 }), revision.author || "Someone"),
            timeElement(revision.created_at)),
          h("p", { class: "revision-what" }, revision.description || "change"),
          h("p", { class: "revision-size" },
            `${plural(revision.claim_count, "claim")} · ${plural(revision.relation_count, "relation")}`),
          h("div", { class: "revision-actions" },
            isLatest
              ? (viewing !== null
                  ? h("button", { type: "button", class: "button button-small", onclick: () => onView(null) },
                      "Back to current")
                  : h("span", { class: "revision-current" }, "Current version"))
              : [
                  viewing === revision.number
                    ? h("span", { class: "revision-current" }, "Viewing")
                    : h("button", { type: "button", class: "button button-small",
                                    "aria-label": `View revision ${revision.number}`,
                                    onclick: () => onView(revision.number) }, "View"),
                  h("button", { type: "button", class: "button button-small",
                                "aria-label": `Restore revision ${revision.number}`,
                                onclick: () => onRestore(revision.number) }, icon("restore", { size: 14 }), "Restore"),
                ]));
      }));
    } catch (error) {
      if (mine !== request) return;
      status.textContent = `The history could not be loaded: ${error.message}`;
      notifyError(error, "Loading the history failed:");
    }
  }

  return { element, refresh, reset: () => { loaded = { mapId: null }; } };
}
