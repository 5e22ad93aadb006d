// The history panel: every revision with who and what; view the map as of one; restore it.

import { api } from "./api.js";
import { excerpt, h, icon, plural, timeElement } from "./dom.js";
import { notifyError } from "./notify.js";

const ID = /[A-Za-z0-9][A-Za-z0-9_.:-]*/g;
// The ids the server generates (maps/edit.py: c… claims, r… relations). Imported maps keep
// their own ids, which may be ordinary words ("Fees", "to").
const LOOKS_LIKE_ID = /^[cr][0-9a-f]{6,}$/;

// The descriptions the server wrote before it spoke in words, each with the ids it names:
// "add claim c12 “…”", "add objection c3 to r6db06217 “…”", "edit claim c12 text, note",
// "delete claim c12 and relations r1, r2", "add support r4 from c1+c2 to c3",
// "edit relation r35459ded premises", "delete relation r4 and relations r5". Today's
// descriptions ("add the objection “New” to “Councils decide”", "edit the text of “…”") match
// none of them and are shown as written.
const OLD_FORMS = [
  { form: /^add (support|objection) (\S+) to (\S+) (“.*”)$/s, ids: (m) => [m[3]],
    words: (m, w) => `add ${m[1]} ${m[4]} to ${w.target(m[3])}` },
  { form: /^add claim (\S+) (“.*”)$/s, ids: () => [],
    words: (m) => `add claim ${m[2]}` },
  { form: /^(delete|edit) claim (\S+)(.*)$/s, ids: (m) => [m[2]],
    words: (m, w) => `${m[1]} ${w.claim(m[2])}${m[3].replace(/ and relations .*$/s, w.others)}` },
  { form: /^add (support|objection) (\S+) from (\S+) to (\S+)$/s, ids: (m) => [...m[3].split("+"), m[4]],
    words: (m, w) => `add ${m[1]} from ${w.premises(m[3].split("+"))} to ${w.target(m[4])}` },
  { form: /^edit relation (\S+) (.*)$/s, ids: (m) => [m[1]],
    words: (m, w) => `edit ${w.relation(m[1])}${m[2].startsWith("(") ? ` ${m[2]}` : `: ${m[2]}`}` },
  { form: /^delete relation (\S+)(.*)$/s, ids: (m) => [m[1]],
    words: (m, w) => `delete ${w.relation(m[1])}${m[2].replace(/ and relations .*$/s, w.others)}` },
];

/** The old form a description is in and its match, or null (a description in words). */
function oldForm(description) {
  for (const old of OLD_FORMS) {
    const match = description.match(old.form);
    if (match) return { old, match };
  }
  return null;
}

/**
 * The claim and relation ids a description names: those of its old form, or, in a description
 * without quotes, the tokens that look like generated ids. None for a description in words.
 */
export function idsNamed(description) {
  const found = oldForm(description);
  if (found) return found.old.ids(found.match);
  if (description.includes("“")) return [];
  return (description.match(ID) || []).filter((token) => LOOKS_LIKE_ID.test(token));
}

/**
 * A revision's description with claim and relation ids replaced by the claims' words ("delete
 * claim c1f…" -> "delete claim “Shops lose…”"; "edit relation r35… premises" -> "edit the support
 * from “A” to “B”: premises"). `claims` maps ids to texts (titles first), `relations` ids to
 * relations; an id neither knows becomes "a claim" or "a connection", never the id itself.
 * Only the old, id-style forms are rewritten: a description in words (with “…” quotes) is shown
 * as written, whatever ids the map's claims have; one without quotes has only the tokens that
 * look like generated ids replaced.
 */
export function readableDescription(description, claims, relations = new Map()) {
  const quote = (id) => (claims.has(id) ? `“${excerpt(claims.get(id), 48)}”` : "a claim");
  const claim = (id) => (claims.has(id) ? `claim ${quote(id)}` : "a claim");
  const premises = (list) => list.map(quote).join(" + ");
  const relation = (id, { article = "the" } = {}) => {
    const r = relations.get(id);
    if (!r) return "a connection";
    const to = r.target_claim ? quote(r.target_claim) : `the inference of ${relation(r.target_relation, { article: "" }).trim()}`;
    return `${article} ${r.kind} from ${premises(r.premises)} to ${to}`.trim();
  };
  const target = (id) => (!claims.has(id) && (relations.has(id) || (LOOKS_LIKE_ID.test(id) && id.startsWith("r")))
    ? `the inference from ${inferenceOf(id)}` : quote(id));
  const inferenceOf = (id) => {
    const r = relations.get(id);
    return r ? `${premises(r.premises)}${r.target_claim ? ` to ${quote(r.target_claim)}` : ""}` : "a connection";
  };
  const others = (text) => ` and ${plural(text.split(",").length, "connection")}`;
  const found = oldForm(description);
  if (found) return found.old.words(found.match, { claim, quote, premises, relation, target, others });
  if (description.includes("“")) return description;
  return description.replace(ID, (token) => {
    if (!LOOKS_LIKE_ID.test(token)) return token;
    if (claims.has(token)) return quote(token);
    if (relations.has(token)) return relation(token);
    return token.startsWith("r") ? "a connection" : "a claim";
  });
}

const FIELD_NAMES = { text: "text", title: "title", note: "note", tags: "tags", sources: "sources",
  accepted: "starting point", weight: "weight", group: "group", kind: "kind", premises: "premises",
  target_claim: "target", target_relation: "target", description: "description" };

/** A word diff as text with its added words in <ins> and removed ones in <del>. */
function wordDiff(pieces) {
  return h("span", { class: "word-diff" }, pieces.map((piece) =>
    piece.op === "added" ? h("ins", {}, piece.text)
      : piece.op === "removed" ? h("del", {}, piece.text)
        : piece.text));
}

function shown(value) {
  if (value === null || value === undefined || value === "") return "nothing";
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === "object" ? v.citation || JSON.stringify(v) : v)).join(", ") : "none";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

// Fields whose values are ids of claims or relations: shown by the claims' words.
const ID_FIELDS = new Set(["premises", "target_claim", "target_relation"]);

/**
 * The fields one element changed: text fields as word diffs, others as "before → after";
 * `nameOf(id)` names the claims a premise or target field points at.
 */
function fieldChanges(fields, nameOf = null) {
  const value = (name, v) => {
    if (!nameOf || !ID_FIELDS.has(name) || v === null || v === undefined) return shown(v);
    return Array.isArray(v) ? v.map(nameOf).join(" + ") : nameOf(v);
  };
  return Object.entries(fields).map(([name, change]) =>
    h("li", { class: "field-change" },
      h("span", { class: "field-name" }, `${FIELD_NAMES[name] || name}: `),
      change.words ? wordDiff(change.words) : `${value(name, change.before)} → ${value(name, change.after)}`));
}

/** What one revision changed, in words, with word diffs of its text edits. */
function changesView(changes, claims, relations = new Map()) {
  const named = (id) => (claims.has(id) ? `“${excerpt(claims.get(id), 60)}”` : "a claim");
  const items = [];
  for (const claim of changes.claims.added) items.push(h("li", {}, "Added ", `“${excerpt(claim.title || claim.text, 60)}”`));
  for (const claim of changes.claims.removed) items.push(h("li", {}, "Removed ", `“${excerpt(claim.title || claim.text, 60)}”`));
  for (const change of changes.claims.changed) {
    items.push(h("li", {}, "Edited ", named(change.id), h("ul", { class: "field-changes" }, fieldChanges(change.fields))));
  }
  const relation = (r) => `${r.kind === "objection" ? "an objection" : "a support"} from ${r.premises.map(named).join(" + ")} to ${r.target_claim ? named(r.target_claim) : "an inference"}`;
  for (const r of changes.relations.added) items.push(h("li", {}, `Added ${relation(r)}`));
  for (const r of changes.relations.removed) items.push(h("li", {}, `Removed ${relation(r)}`));
  for (const change of changes.relations.changed) {
    const known = relations.get(change.id);
    items.push(h("li", {}, known ? `Changed ${relation(known).replace(/^an? /, "the ")}` : "Changed a connection",
      h("ul", { class: "field-changes" }, fieldChanges(change.fields, (id) => (claims.has(id) ? named(id) : relations.has(id) ? "an inference" : "a claim")))));
  }
  if (Object.keys(changes.map).length) items.push(h("li", {}, "The map", h("ul", { class: "field-changes" }, fieldChanges(changes.map))));
  return items.length ? h("ul", { class: "revision-changes" }, items) : h("p", { class: "panel-status" }, "No claim or connection changed.");
}

/** A "What changed" disclosure that loads the revision's changes when opened. */
function changesDisclosure(mapId, number, claims, relations) {
  const body = h("div", { class: "revision-changes-body" });
  let loaded = false;
  const details = h("details", { class: "revision-details" }, h("summary", {}, "What changed"), body);
  details.addEventListener("toggle", async () => {
    if (!details.open || loaded) return;
    loaded = true;
    body.textContent = "Loading…";
    try {
      const { data } = await api.revisionChanges(mapId, number);
      const known = new Map(claims);
      for (const claim of data.claims.removed) known.set(claim.id, claim.title || claim.text);
      body.replaceChildren(changesView(data, known, relations));
    } catch (error) {
      loaded = false;
      body.textContent = `The changes could not be loaded: ${error.message}`;
    }
  });
  return details;
}

/**
 * {element, refresh(mapId, {viewing, version})}; onView(n|null), onRestore(n); `mayRestore()`
 * says whether the person's role lets them restore (readers only view).
 */
export function createHistory({ onView, onRestore, knownClaims = () => new Map(), knownRelations = () => new Map(),
                                mayRestore = () => true }) {
  const earlier = new Map(); // revision number -> {claims, relations} of the map as of it
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
      const relations = new Map(knownRelations());
      // What a description names and the map no longer holds: read it from the revision before.
      const unknown = (r) => idsNamed(r.description || "").some((id) => !claims.has(id) && !relations.has(id));
      const wanted = data.items.filter((r) => r.number > 1 && unknown(r)).slice(0, 12).map((r) => r.number - 1);
      await Promise.all(wanted.filter((n) => !earlier.has(n)).map(async (n) => {
        try {
          const { data: old } = await api.getRevision(mapId, n);
          earlier.set(n, { claims: new Map(old.claims.map((c) => [c.id, c.title || c.text])),
                           relations: new Map(old.relations.map((r) => [r.id, r])) });
        } catch {
          earlier.set(n, { claims: new Map(), relations: new Map() });
        }
      }));
      if (mine !== request) return;
      for (const n of wanted) {
        for (const [id, text] of earlier.get(n)?.claims || []) if (!claims.has(id)) claims.set(id, text);
        for (const [id, relation] of earlier.get(n)?.relations || []) if (!relations.has(id)) relations.set(id, relation);
      }
      list.replaceChildren(...data.items.map((revision) => {
        const isLatest = revision.number === latest;
        const isViewed = viewing === revision.number || (viewing === null && isLatest);
        return h("li", { class: ["revision", isViewed && "is-viewed"], "aria-current": isViewed ? "true" : null },
          h("div", { class: "revision-head" },
            h("span", { class: "revision-number" }, `#${revision.number}`),
            h("span", { class: "revision-who" }, icon("user", { size: 13 }), h("bdi", {}, revision.author || "Someone")),
            timeElement(revision.created_at)),
          h("p", { class: "revision-what", title: revision.description || null },
            readableDescription(revision.description || "change", claims, relations)),
          h("p", { class: "revision-size" },
            `${plural(revision.claim_count, "claim")} · ${plural(revision.relation_count, "relation")}`),
          changesDisclosure(mapId, revision.number, claims, relations),
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
