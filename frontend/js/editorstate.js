// The map editor's state: the map as loaded, what the outline shows (the map or a revision), the
// person's role on the map, the selected claim, the open form with its drafts, the evaluation
// labels, writes under way.
//
// The other editor modules read these fields; these methods are the only code that changes them.

import { Collapsed } from "./collapsed.js";
import { Drafts } from "./drafts.js";
import { indexMap } from "./model.js";
import { isOwner, mayEdit } from "./session.js";

// The drafts also keep which form was open, so that a reload of the page reopens it.
const OPEN_FORM = "__open";

export class EditorState {
  constructor({ id, revision }) {
    this.mapId = id;
    this.map = null; // the current map
    this.shown = null; // what the outline shows: the current map or a revision
    this.index = null; // indexMap(shown)
    this.revision = revision ?? null; // the revision on view, or null for the current map
    this.role = null; // the person's role on the map (GET /maps/{id}/sharing): owner … viewer, or null
    this.selected = null;
    this.drafts = new Drafts(id);
    this.openForm = this.drafts.get(OPEN_FORM) || null;
    this.drafts.keep(this.openForm?.key ?? null);
    this.collapsed = new Collapsed(id); // the branches folded away in the outline
    this.busy = new Set(); // keys of the forms whose save is under way
    this.evaluation = null; // labels per claim, while the diagram shows the status
    this.destroyed = false;
    this.writing = 0; // writes sent and not yet answered
    this.commentCounts = new Map(); // open comments per claim or relation id
    this.flashing = new Map(); // claim id -> until when (ms) its card is highlighted as just changed
    this.formListener = null; // called with the open form whenever it changes (presence)
    this.formNews = null; // {key, names}: who changed what the open edit form edits since it opened
  }

  /** A revision is read only. */
  get readOnly() {
    return this.revision !== null;
  }

  /** The role lets the person change the map (editor or owner). */
  get mayEdit() {
    return mayEdit(this.role);
  }

  get isOwner() {
    return isOwner(this.role);
  }

  /** Nothing on view can be changed: a revision is shown, or the role only reads. */
  get locked() {
    return this.readOnly || !this.mayEdit;
  }

  setRole(role) {
    this.role = role;
  }

  /** Take a freshly loaded current map; returns the map it replaces. */
  receiveMap(map) {
    const before = this.map;
    this.map = map;
    if (!this.readOnly) this.show(map);
    return before;
  }

  /** Take a loaded revision to show in place of the current map. */
  receiveRevision(revisionMap) {
    this.show(revisionMap);
    this.dropGoneSelection();
    this.evaluation = null;
  }

  /** Switch to a revision (a number) or back to the current map (null). */
  setRevision(number) {
    this.revision = number;
    if (number === null) {
      this.show(this.map);
      this.evaluation = null;
    }
  }

  show(map) {
    this.shown = map;
    this.index = indexMap(map);
  }

  /** Select a claim (or nothing); returns the claim selected before. */
  select(id) {
    const previous = this.selected;
    this.selected = id;
    return previous;
  }

  dropGoneSelection() {
    if (this.selected && !this.index.claims.has(this.selected)) this.selected = null;
  }

  setOpenForm(form) {
    this.openForm = form;
    this.drafts.set(OPEN_FORM, form);
    this.drafts.keep(form?.key ?? null);
    this.formListener?.(form);
  }

  /** Someone else changed what the open edit form edits (it stays open, its text kept). */
  noteFormChangedBy(name) {
    const key = this.openForm?.key;
    if (!key) return;
    if (this.formNews?.key !== key) this.formNews = { key, names: [] };
    if (!this.formNews.names.includes(name)) this.formNews.names.push(name);
  }

  /** Who changed what the open form edits since it opened (names), or []. */
  formChangedBy() {
    return this.formNews && this.formNews.key === this.openForm?.key ? this.formNews.names : [];
  }

  /** Call `listener(form)` whenever the open form changes (one listener). */
  onFormChange(listener) {
    this.formListener = listener;
  }

  setCommentCounts(counts) {
    this.commentCounts = counts;
  }

  /** Highlight these claims as just changed for `ms` milliseconds. */
  flash(ids, ms) {
    const until = Date.now() + ms;
    for (const id of ids) this.flashing.set(id, until);
  }

  isFlashing(id) {
    const until = this.flashing.get(id);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.flashing.delete(id);
    return false;
  }

  /**
   * Close the open form when its claim or relation is gone from the map (it cannot come back).
   * Returns the text the person had typed into it, or null.
   */
  dropGoneForm() {
    const form = this.openForm;
    if (!form || this.readOnly) return null;
    const gone = (form.claim && !this.index.claims.has(form.claim))
      || (form.relation && !this.index.relations.has(form.relation));
    if (!gone) return null;
    const draft = this.drafts.get(form.key);
    const text = typeof draft === "string" ? draft : draft?.text;
    this.setOpenForm(null);
    this.drafts.delete(form.key);
    return text && text.trim() ? text : null;
  }

  setDraft(key, value) {
    this.drafts.set(key, value);
  }

  discardDraft(key) {
    this.drafts.delete(key);
  }

  /** Mark the form under `key` as saving; false when it already is (a double submit). */
  startBusy(key) {
    if (this.busy.has(key)) return false;
    this.busy.add(key);
    return true;
  }

  endBusy(key) {
    this.busy.delete(key);
  }

  setEvaluation(labels) {
    this.evaluation = labels;
  }

  /** The moves that would change a claim's verdict, searched on their own (the evaluation's budget missed it). */
  setClaimChanges(claimId, changes) {
    const status = this.evaluation?.get(claimId);
    if (status) status.changes = changes;
  }

  startWriting() {
    this.writing += 1;
  }

  endWriting() {
    this.writing -= 1;
  }

  destroy() {
    this.destroyed = true;
    this.drafts.destroy();
  }
}
