// What a person can do in the map editor: select a claim, open and close the inline forms, add a
// support, objection or undercut, edit, link and unlink a premise, delete (with undo), view and
// restore a revision, edit the map's details, move the map to the trash.
//
// Each command changes the state through its methods, writes through `write` (editorsync.js) and
// redraws through editorview.js. `editorActions` hands them, bound to one editor, to the page.

import { api, ConflictError } from "./api.js";
import { claimChanges, claimDraft } from "./claimform.js";
import { confirmDialog, formDialog } from "./dialog.js";
import { excerpt, h, plural } from "./dom.js";
import { claimsBeneath } from "./model.js";
import { announce, notify, notifyError } from "./notify.js";
import { formKey } from "./outline.js";
import { showKeySheet } from "./keys.js";
import { shareDialog } from "./share.js";
import { READ_ONLY_NOTICE, flashClaims, focusCard, focusKey, refreshSide, render, renderClaims, showEvaluationSummary, showSelected, showTab } from "./editorview.js";
import { load, loadChanges, loadEvaluation, loadRevision, write } from "./editorsync.js";
import { ruleChange, ruleFields, setBalanceShown } from "./verdicts.js";

/** The commands of one editor, as the page's buttons, the outline and the side panel call them. */
export function editorActions(editor) {
  return {
    outline: {
      select: (id, options) => select(editor, id, options),
      open: (form) => openForm(editor, form),
      close: (key, claimId) => closeForm(editor, key, claimId),
      draft: (key, value) => editor.state.setDraft(key, value),
      add: (form, text, key) => addClaim(editor, form, text, key),
      save: (claim, draft, key) => saveClaim(editor, claim, draft, key),
      remove: (claim) => removeClaim(editor, claim),
      link: (relation, premise) => linkPremise(editor, relation, premise),
      unlink: (relation, premise) => unlinkPremise(editor, relation, premise),
      comments: (claimId, targetId) => showComments(editor, claimId, targetId),
      fold: (claimId, folded) => fold(editor, claimId, folded),
      foldAll: (folded) => foldAll(editor, folded),
      move: (move) => startMove(editor, move),
    },
    foldAll: (folded) => foldAll(editor, folded),
    keys: () => showKeySheet(),
    selectFromDiagram: (id) => select(editor, id, { focus: false, from: "diagram" }),
    diagramOptions: (options) => (options.status ? loadEvaluation(editor) : clearEvaluation(editor)),
    viewRevision: (number) => viewRevision(editor, number),
    restoreRevision: (number) => restoreRevision(editor, number),
    editDetails: () => editDetails(editor),
    changeRule: () => changeRule(editor),
    statusColours: (on) => editor.ui.diagram.setOptions({ status: on }),
    supportBalance: (shown) => {
      setBalanceShown(shown);
      render(editor);
    },
    trashMap: () => trashMap(editor),
    share: () => shareDialog({ mapId: editor.state.mapId, title: editor.state.map?.title || "map" }),
    refuse: () => refuse(),
    showChanged: (ids) => showChanged(editor, ids),
    comments: (claimId, targetId) => showComments(editor, claimId, targetId),
  };
}

// ----- selection and forms ----------------------------------------------------------------------

function select(editor, id, { focus = false, from = "outline", card = null, original = false } = {}) {
  const { state } = editor;
  if (!state.index?.claims.has(id)) return;
  const previous = state.select(id);
  if (unfoldAround(editor, id)) render(editor);
  else if (previous !== id) renderClaims(editor, [previous, id]);
  showSelected(editor, id, { focus, from, card, original });
  loadChanges(editor, id);
}

// ----- collapsing branches ----------------------------------------------------------------------

/** Expand the collapsed branches that hide claim `id`'s card; true when any was. */
function unfoldAround(editor, id) {
  const { state, ui } = editor;
  let changed = false;
  let element = originalCardOf(editor, id)?.closest("ol.children[hidden]");
  while (element && ui.outline.contains(element)) {
    const owner = element.parentElement?.querySelector(":scope > .claim-card");
    if (owner && state.collapsed.set(owner.dataset.claimId, false)) changed = true;
    element = element.parentElement?.closest("ol.children[hidden]");
  }
  return changed;
}

/** Collapse (true) or expand (false) the branch beneath a claim; the claim stays selected. */
function fold(editor, claimId, folded) {
  const { state } = editor;
  if (!state.collapsed.set(claimId, folded)) return;
  state.select(claimId);
  render(editor, { focus: `claim:${claimId}` });
  announce(folded ? "Branch collapsed" : "Branch expanded");
}

/** Collapse every branch (the theses stay on view) or expand them all. */
function foldAll(editor, folded) {
  const { state, ui } = editor;
  if (folded) {
    const owners = [...ui.outline.querySelectorAll('.claim-card[data-branch="true"]:not(.is-repeat)')]
      .map((card) => card.dataset.claimId);
    state.collapsed.replace(owners);
    // The selection goes up to what stays on view: its thesis.
    const selected = state.selected && originalCardOf(editor, state.selected);
    const root = selected?.closest(".outline-tree > li")?.querySelector(":scope > .claim-card");
    if (root) state.select(root.dataset.claimId);
  } else {
    state.collapsed.replace([]);
  }
  render(editor, { focus: state.selected ? `claim:${state.selected}` : null });
  announce(folded ? "Every branch collapsed" : "Every branch expanded");
}

/** Show what someone else just changed: select the first claim, bring it into view, highlight all. */
function showChanged(editor, ids) {
  const { state } = editor;
  const present = ids.filter((id) => state.index?.claims.has(id));
  if (!present.length) return;
  if (state.revision !== null) viewRevision(editor, null, { replace: true });
  revealPane(editor, "outline");
  select(editor, present[0], { focus: true, original: true });
  originalCardOf(editor, present[0])?.scrollIntoView({ block: "center", behavior: "smooth" });
  flashClaims(editor, present);
}

/**
 * On a narrow screen the outline and the side panel are two views (diagram.js's view tabs on
 * the editor's body): bring the one named ("outline" or "side") on view when it is hidden.
 */
function revealPane(editor, name) {
  const body = editor.ui.page.querySelector(".editor-body");
  const pane = body?.querySelector(name === "side" ? ":scope > .side-pane" : ":scope > .outline-pane");
  if (body?.viewTabsShow && pane && getComputedStyle(pane).display === "none") body.viewTabsShow(name);
}

function originalCardOf(editor, id) {
  return editor.ui.outline.querySelector(`.claim-card[data-claim-id="${CSS.escape(id)}"]:not(.is-repeat)`);
}

/** Open the comments of a claim (or of its relation `targetId`) in the side panel. */
function showComments(editor, claimId, targetId = null) {
  const { state, ui } = editor;
  if (!state.index?.claims.has(claimId)) return;
  select(editor, claimId, { focus: false, original: true });
  ui.comments.follow(claimId, { visible: false, targetId: targetId || claimId });
  revealPane(editor, "side");
  showTab(editor, "comments", { focus: false });
  ui.comments.element.querySelector("textarea")?.focus();
}

let refusedAt = 0;

function refuse() {
  if (Date.now() - refusedAt < 4000) return; // one notice for a burst of keys
  refusedAt = Date.now();
  notify(READ_ONLY_NOTICE, { kind: "info" });
}

/** Open a form in the outline; `field` is the focus key of the field to focus (else its first). */
function openForm(editor, form, { field = null } = {}) {
  const { state } = editor;
  if (state.locked) {
    if (!state.mayEdit) refuse();
    return;
  }
  const key = formKey(form);
  const touched = [state.openForm?.claim, state.selected, form.claim];
  const opened = { ...form, key };
  if (form.type === "edit") {
    // What the edit is based on: the claim as it is now, and the version (see saveClaim).
    const claim = state.index.claims.get(form.claim);
    const same = state.openForm?.key === key && state.openForm.baseVersion;
    opened.baseVersion = same ? state.openForm.baseVersion : state.map.version;
    opened.base = same ? state.openForm.base : structuredClone(claim);
  }
  state.setOpenForm(opened);
  state.select(form.claim);
  renderClaims(editor, touched);
  focusKey(editor, field || (form.type === "edit" ? `${key}:text` : form.type === "link" ? `${key}:search` : key));
}

/**
 * Start one of the moves that would change a claim's verdict (the evaluation's `changes`): open
 * the form that makes it, where it goes in the outline. rebut: an objection to the premise
 * `claim`; undercut: an objection to the inference `relation`; accept: the claim's edit form
 * with "Accepted as a starting point" ticked and focused (the person saves it).
 */
function startMove(editor, move) {
  const { state } = editor;
  if (state.locked) {
    if (!state.mayEdit) refuse();
    return;
  }
  const form = moveForm(editor, move);
  if (!form) {
    notify("The map has changed since this was suggested: that part of it is gone.", { kind: "info" });
    return;
  }
  if (form.type === "edit") {
    const key = formKey(form);
    const kept = state.drafts.get(key);
    const draft = kept && typeof kept === "object" ? kept : claimDraft(state.index.claims.get(form.claim));
    state.setDraft(key, { ...draft, accepted: true });
  }
  revealPane(editor, "outline");
  if (unfoldAround(editor, form.claim)) render(editor);
  openForm(editor, form, { field: form.type === "edit" ? `${formKey(form)}:accepted` : null });
  originalCardOf(editor, form.claim)?.scrollIntoView({ block: "nearest" });
}

function moveForm(editor, move) {
  const { index } = editor.state;
  if (move.kind === "rebut" && index.claims.has(move.claim)) return { type: "add", kind: "objection", claim: move.claim };
  if (move.kind === "accept" && index.claims.has(move.claim)) return { type: "edit", claim: move.claim };
  if (move.kind !== "undercut" || !index.relations.has(move.relation)) return null;
  // The form opens on the premise's card that stands for this relation (a premise of several
  // relations is drawn in full only once).
  const relation = index.relations.get(move.relation);
  const premise = relation.premises.find((id) => editor.ui.outline.querySelector(
    `.claim-card:not(.is-repeat)[data-claim-id="${CSS.escape(id)}"][data-relation-id="${CSS.escape(relation.id)}"]`))
    || relation.premises.find((id) => index.claims.has(id));
  return premise ? { type: "undercut", claim: premise, relation: relation.id } : null;
}

function closeForm(editor, key, claimId) {
  const { state } = editor;
  state.discardDraft(key);
  const touched = [state.openForm?.claim, claimId];
  state.setOpenForm(null);
  renderClaims(editor, touched);
  focusCard(editor, claimId);
}

/** The diagram stopped showing the status: the outline drops the labels too. */
function clearEvaluation(editor) {
  editor.state.setEvaluation(null);
  showEvaluationSummary(editor, null);
  render(editor);
}

// ----- claims and relations ---------------------------------------------------------------------

async function addClaim(editor, form, text, key) {
  const { state } = editor;
  if (!state.startBusy(key)) return;
  const body = { text };
  if (form.type === "add") body.relation = { kind: form.kind, target_claim: form.claim };
  if (form.type === "undercut") body.relation = { kind: "objection", target_relation: form.relation };
  // A new reason goes where it can be seen: the branch it joins is expanded.
  if (form.claim) state.collapsed.set(form.claim, false);
  const add = form.type === "copremise"
    ? (version) => addCoPremise(editor, form.relation, body, version)
    : (version) => api.addClaim(state.mapId, body, version);
  const result = await write(editor, form.type === "copremise" ? "Adding the premise" : "Adding the claim", (version) => add(version)
    .then((response) => {
      // Saved: the draft is done with before the map is reloaded and the forms rebuilt.
      state.discardDraft(key);
      if (form.type !== "thesis") state.setOpenForm(null);
      state.select(response.data.claim.id);
      return response;
    }));
  state.endBusy(key);
  if (result) {
    const claim = result.data.claim;
    render(editor, { focus: `claim:${claim.id}` });
    announce(form.type === "copremise" ? `Added a linked premise: ${excerpt(claim.text, 120)}` : `Added: ${excerpt(claim.text, 120)}`);
  }
}

/**
 * Save the edit form's changes: the fields the person changed since the form opened, based on
 * that version, so that the server merges them into what others saved meanwhile (or names the
 * clash for the merge dialog) instead of overwriting it.
 */
async function saveClaim(editor, claim, draft, key) {
  const { state } = editor;
  const current = state.index.claims.get(claim.id) || claim;
  const form = state.openForm?.key === key ? state.openForm : null;
  const based = form?.base && form.baseVersion ? { claim: form.base, version: form.baseVersion } : null;
  const changes = claimChanges(based ? based.claim : current, draft);
  if (!Object.keys(changes).length) {
    closeForm(editor, key, claim.id);
    return;
  }
  if (!state.startBusy(key)) return;
  const result = await write(editor, "Saving the claim", (version, fields) =>
    api.updateClaim(state.mapId, claim.id, fields, version).then((response) => {
      state.discardDraft(key);
      state.setOpenForm(null);
      return response;
    }), { merge: { what: `the claim “${excerpt((based?.claim || current).text, 60)}”`, fields: changes, version: based?.version } });
  state.endBusy(key);
  if (result) {
    render(editor, { focus: `claim:${claim.id}` });
    announce("Claim saved");
  }
}

/**
 * A new claim linked with the relation's premises, in one step: one request (`premise_of`) adds
 * the claim as one more premise of the relation, in one revision. The answer carries the claim,
 * the relation with its premises now and the version.
 */
function addCoPremise(editor, relationId, body, version) {
  const { state } = editor;
  if (!state.index.relations.has(relationId)) return Promise.reject(new Error("The relation is no longer in the map."));
  return api.addClaim(state.mapId, { ...body, premise_of: relationId }, version);
}

async function linkPremise(editor, relation, premise) {
  const { state } = editor;
  const key = `link:${relation.id}`;
  const result = await write(editor, "Linking the premise", (version, fields) =>
    api.updateRelation(state.mapId, relation.id, fields, version)
      .then((response) => {
        state.discardDraft(key);
        state.setOpenForm(null);
        state.select(premise);
        return response;
      }), { merge: { what: "the relation's premises", fields: { premises: [...relation.premises, premise] } } });
  if (result) {
    render(editor, { focus: `claim:${premise}` });
    notify(`Linked “${excerpt(state.index.claims.get(premise)?.text, 60)}” as a further premise.`, { kind: "success" });
  }
}

async function unlinkPremise(editor, relation, premise) {
  const result = await write(editor, "Unlinking the premise", (version, fields) =>
    api.updateRelation(editor.state.mapId, relation.id, fields, version),
  { merge: { what: "the relation's premises", fields: { premises: relation.premises.filter((id) => id !== premise) } } });
  if (result) notify("The claim is no longer a linked premise of that relation.", { kind: "success" });
}

// ----- deleting and undoing ---------------------------------------------------------------------

async function removeClaim(editor, claim) {
  const { state } = editor;
  if (!claim) return;
  if (state.locked) {
    if (!state.mayEdit) refuse();
    return;
  }
  const ids = await confirmDelete(state, claim);
  if (!ids) return;
  const parent = state.map.relations.find((r) => r.premises.includes(claim.id) && r.target_claim)?.target_claim;
  const { result, before, after } = await deleteClaims(editor, ids, parent || null);
  if (!result && after === null) return;
  if (state.selected) render(editor, { focus: `claim:${state.selected}` });
  notify(ids.length > 1 ? `Deleted the claim and ${plural(ids.length - 1, "claim")} beneath it.` : "Deleted the claim.", {
    kind: "success",
    action: { label: "Undo", run: () => undoTo(editor, before, after) },
  });
}

/** Ask before deleting; resolves to the ids to delete (the claim, maybe those beneath it) or null. */
async function confirmDelete(state, claim) {
  const beneath = claimsBeneath(state.map, claim.id, state.index);
  const uses = state.map.relations.filter((r) => r.premises.includes(claim.id) || r.target_claim === claim.id);
  const alsoBeneath = h("input", { type: "checkbox", checked: true, id: "delete-beneath" });
  const extra = beneath.length
    ? h("label", { class: "control-check dialog-check", for: "delete-beneath" }, alsoBeneath,
        h("span", {}, `Also delete the ${plural(beneath.length, "claim")} beneath it that argue only about it`))
    : null;
  const details = [];
  if (uses.length) details.push(`Its ${plural(uses.length, "connection")} to other claims will be removed.`);
  details.push("You can undo this right after, or restore any earlier version from the history.");
  const confirmed = await confirmDialog({
    title: "Delete this claim?", message: `“${excerpt(claim.text, 200)}”`, details,
    confirmLabel: "Delete", danger: true, extra,
  });
  if (!confirmed) return null;
  return beneath.length && alsoBeneath.checked ? [...beneath, claim.id] : [claim.id];
}

/**
 * Delete the claims one after the other in one write; the selection moves to `parent` when it is
 * deleted. `before` and `after` are the versions around the change (`after` is null if nothing was
 * deleted), for the undo.
 */
async function deleteClaims(editor, ids, parent) {
  const { state } = editor;
  let before = null;
  let after = null;
  const result = await write(editor, "Deleting", async (version) => {
    before = version;
    let response = null;
    for (const id of ids) {
      response = await api.deleteClaim(state.mapId, id, version, { cascade: true });
      version = response.version;
      after = version;
    }
    if (state.selected && ids.includes(state.selected)) state.select(parent);
    return response;
  });
  return { result, before, after };
}

/** Undo = restore the revision before the change, if nothing else happened since. */
async function undoTo(editor, before, after) {
  try {
    await api.restoreRevision(editor.state.mapId, before, after);
    await load(editor);
    notify(`Undone: the map is as it was at version ${before}.`, { kind: "success" });
  } catch (error) {
    if (error instanceof ConflictError) {
      notify("Cannot undo: the map has changed since. Open the history to restore an earlier version.", {
        kind: "warning", action: { label: "Open history", run: () => showTab(editor, "history") },
      });
    } else {
      notifyError(error, "Undo failed:");
    }
  }
}

// ----- revisions --------------------------------------------------------------------------------

async function restoreRevision(editor, number) {
  const { state } = editor;
  if (!state.mayEdit) return refuse();
  const confirmed = await confirmDialog({
    title: `Restore revision ${number}?`,
    message: "The map will be as it was after that change. This is itself a new change, so nothing is lost: you can go back again from the history.",
    confirmLabel: "Restore",
  });
  if (!confirmed) return;
  const result = await write(editor, "Restoring", (version) => api.restoreRevision(state.mapId, number, version));
  if (result) {
    if (state.revision !== null) viewRevision(editor, null, { replace: true });
    notify(`Restored revision ${number} as version ${result.version}.`, { kind: "success" });
    refreshSide(editor, { resetHistory: true });
  }
}

/** Go to a revision (or back to the current map, null) through the address; `replace` keeps no history entry. */
function viewRevision(editor, number, { replace = false } = {}) {
  const mapId = editor.state.mapId;
  const hash = number === null ? `#/maps/${encodeURIComponent(mapId)}`
    : `#/maps/${encodeURIComponent(mapId)}/revisions/${number}`;
  if (replace) window.history.replaceState(null, "", hash);
  else window.location.hash = hash;
  if (replace) showRevision(editor, number);
}

/** Show revision `number` read only, or the current map for null (the address says which). */
export function showRevision(editor, number) {
  const { state } = editor;
  if (number === state.revision) return;
  state.setRevision(number);
  if (number === null) {
    render(editor);
    refreshSide(editor);
    load(editor).catch((error) => notifyError(error));
  } else {
    loadRevision(editor, number).catch((error) => notifyError(error, "The revision could not be loaded:"));
  }
}

// ----- the map ----------------------------------------------------------------------------------

async function editDetails(editor) {
  const { state } = editor;
  if (!state.mayEdit) return refuse();
  const map = state.map;
  const version = map.version;
  await formDialog({
    title: "Map details",
    fields: [
      { name: "title", label: "Title", value: map.title, required: true, maxlength: 200 },
      { name: "description", label: "Description", type: "textarea", value: map.description, rows: 4, maxlength: 10000 },
    ],
    submit: async (values) => {
      const changes = {};
      if (values.title.trim() !== map.title) changes.title = values.title.trim();
      if (values.description.trim() !== map.description) changes.description = values.description.trim();
      if (!Object.keys(changes).length) return null;
      const result = await write(editor, "Saving the details",
        (version, fields) => api.updateMap(state.mapId, fields, version),
        { merge: { what: "the map's details", fields: changes, version } });
      if (!result) throw new Error("Not saved; see the message.");
      return result;
    },
  });
}

/** The group's rule of decision: four choices in a dialog, saved as a new revision of the map. */
async function changeRule(editor) {
  const { state } = editor;
  if (!state.mayEdit) return refuse();
  const rule = state.map.rule;
  const version = state.map.version;
  await formDialog({
    title: "Rule of decision",
    description: "How this map's verdicts are reached, the same for everyone who reads it. A change is a new revision.",
    fields: ruleFields(rule),
    submit: async (values) => {
      const changed = ruleChange(rule, values);
      if (!changed) return null;
      const result = await write(editor, "Changing the rule",
        (version, fields) => api.updateMap(state.mapId, fields, version),
        { merge: { what: "the map's rule of decision", fields: { rule: changed }, version } });
      if (!result) throw new Error("Not saved; see the message.");
      announce("The rule is changed; the verdicts follow it.");
      return result;
    },
  });
  return undefined;
}

async function trashMap(editor) {
  const map = editor.state.map;
  const result = await write(editor, "Moving to the trash", (version) => api.trashMap(editor.state.mapId, version));
  if (!result) return;
  window.location.hash = "#/";
  notify(`Moved “${excerpt(map.title, 60)}” to the trash.`, {
    kind: "success",
    action: { label: "Undo", run: () => untrashMap(map) },
  });
}

async function untrashMap(map) {
  try {
    await api.restoreMap(map.id);
    window.location.hash = `#/maps/${encodeURIComponent(map.id)}`;
  } catch (error) {
    notifyError(error, "Restoring failed:");
  }
}
