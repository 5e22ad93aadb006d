// The history panel: every revision with who and what; view the map as of one; restore it.

import { api } from "./api.js";
import { excerpt, h, icon, plural, timeElement } from "./dom.js";
import { notifyError } from "./notify.js";

const ID = /[A-Za-z0-9][A-Za-z0-9_.:-]*/g;

/**
 * A revision's description with claim ids replaced by the claims' words ("delete claim c1f…" ->
 * "delete claim “Shops lose…”"). `claims` maps ids to texts; unknown ids stay as they are.
 */
export function readableDescription(description, claims) {
  const quote = (id) => (claims.has(id) ? `“${excerpt(claims.get(id), 48)}”` : id);
  let match = description.match(/^add (support|objection) (\S+) to (\S+) (“.*”)$/s);
  if (match) return `add ${match[1]} ${match[4]} to ${quote(match[3])}`;
  match = description.match(/^add claim (\S+) (“.*”)$/s);
  if (match) return `add claim ${match[2]}`;
  match = description.match(/^(delete|edit) claim (\S+)(.*)$/s);
  if (match) {
    const rest = match[3].replace(/ and relations .*$/, (text) => {
      const count = text.split(",").length;
      return ` and ${plural(count, "connection")}`;
    });
    return `${match[1]} claim ${quote(match[2])}${rest}`;
  }
  return description.replace(ID, (token) => (claims.has(token) ? quote(token) : token));
}

/**
 * {element, refresh(mapId, {viewing, version})}; onView(n|null), onRestore(n); `mayRestore()`
 * says whether the person's role lets them restore (readers only view).
 */
export function createHistory({ onView, onRestore, knownClaims = () => new Map(), mayRestore = () => true }) {
  const earlier = new Map(); // revision number -> claim texts of the map as of it
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
      // Deleted claims are no longer in the map: read their words from the revision before.
      const claims = new Map(knownClaims());
      const wanted = data.items.filter((r) => /^delete claim /.test(r.description || "") && r.number > 1)
        .slice(0, 12).map((r) => r.number - 1);
      await Promise.all(wanted.filter((n) => !earlier.has(n)).map(async (n) => {
        try {
          const { data: old } = await api.getRevision(mapId, n);
          earlier.set(n, new Map(old.claims.map((c) => [c.id, c.text])));
        } catch {
          earlier.set(n, new Map());
        }
      }));
      if (mine !== request) return;
      for (const n of wanted) for (const [id, text] of earlier.get(n) || []) if (!claims.has(id)) claims.set(id, text);
      list.replaceChildren(...data.items.map((revision) => {
        const isLatest = revision.number === latest;
        const isViewed = viewing === revision.number || (viewing === null && isLatest);
        return h("li", { class: ["revision", isViewed && "is-viewed"], "aria-current": isViewed ? "true" : null },
          h("div", { class: "revision-head" },
            h("span", { class: "revision-number" }, `#${revision.number}`),
            h("span", { class: "revision-who" }, icon("user", { size: 13 }), revision.author || "Someone"),
            timeElement(revision.created_at)),
          h("p", { class: "revision-what", title: revision.description || null },
            readableDescription(revision.description || "change", claims)),
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
                  mayRestore()
                    ? h("button", { type: "button", class: "button button-small",
                                    "aria-label": `Restore revision ${revision.number}`,
                                    onclick: () => onRestore(revision.number) }, icon("restore", { size: 14 }), "Restore")
                    : null,
                ]));
      }));
    } catch (error) {
      if (mine !== request) return;
      status.textContent = `The history could not be loaded: ${error.message}`;
      notifyError(error, "Loading the history failed:");
    }
  }

  return { element, refresh, reset: () => { loaded = { mapId: null }; earlier.clear(); } };
}
