// The map editor and the server: loading the map, a revision and the evaluation; writing; the
// event stream (and polling when the stream cannot be opened).
//
// Every write sends If-Match with the version the person saw, one after the other (`write` queues
// them), and reloads the map afterwards. An edit based on an older version is merged by the
// server; when someone else changed the same field (409 with `conflicts`) the merge dialog asks
// what to keep and the edit is sent again on the current version. On a 412 (an addition or a
// deletion on an older version) the map is reloaded, the forms are rebuilt from the drafts (so
// what was typed stays), and a visible, spoken message says what happened.
//
// Another person's change arrives through the map's event stream (events.js) as a `change`:
// the map is reloaded (in the write queue, so never in the middle of a write of ours) and a
// quiet notice says what changed, with Show. When the stream cannot be opened, polling
// (If-None-Match) takes over. `argmap.pollSeconds` in localStorage sets the polling interval; 0
// turns background updates off altogether (the stream too), as the browser tests do for a page
// that should see only its own changes. `editor.sync` holds the queue, the poll timer and the
// stream; nothing else touches them.

import { api, ConflictError } from "./api.js";
import { connectEvents } from "./events.js";
import { mergeDialog } from "./mergedialog.js";
import { notify, notifyError } from "./notify.js";
import { currentUser } from "./session.js";
import { claimStatus, verdictOf } from "./verdicts.js";
import { flashClaims, refreshSide, render, renderClaims, renderLive, showConflict, showEvaluationSummary, showSaveState } from "./editorview.js";

const POLL_KEY = "argmap.pollSeconds";
const STREAM_RETRY_MS = 60000; // a stream refused after it had worked is tried again this much later

function pollSeconds() {
  const value = Number.parseFloat(localStorage.getItem(POLL_KEY) ?? "5");
  return Number.isFinite(value) ? value : 5;
}

/** False when `argmap.pollSeconds` is 0: no stream, no polling, no presence (the tests' quiet pages). */
export function backgroundUpdates() {
  return pollSeconds() > 0;
}

/** The bookkeeping of the writes and the polling, as `editor.sync`. */
export function createSync() {
  return { queue: Promise.resolve(), pollTimer: null, polling: false, stream: null, live: false, retryTimer: null,
           asking: new Set() }; // asking: claims whose moves are being asked for (loadChanges)
}

// ----- loading ----------------------------------------------------------------------------------

/**
 * Load the current map and redraw. `reason` ("conflict", "poll") says why, for the message;
 * `ownVersion` is the version our own write made, to tell whether someone else's came with it.
 */
export async function load(editor, { reason = null, ownVersion = null } = {}) {
  const { state } = editor;
  const { data } = await api.getMap(state.mapId);
  if (state.destroyed) return;
  const before = state.receiveMap(data);
  const lostText = state.dropGoneForm();
  if (lostText) {
    notify("The claim you were working on was deleted by someone else. Your text:", {
      kind: "warning", detail: lostText, timeout: 0,
    });
  }
  state.dropGoneSelection();
  redraw(editor);
  reportLoad(editor, { reason, ownVersion, before, version: data.version });
}

function reportLoad(editor, { reason, ownVersion, before, version }) {
  const { state } = editor;
  if (reason === "conflict") {
    showConflict(editor, `Someone else changed this map while you were working; it is now at version ${version}. `
      + "The map has been reloaded with their changes. Your unsaved text is kept: check it and save again.");
  } else if (reason === "poll" && before) {
    const kept = state.openForm && state.drafts.hasText(state.openForm.key) ? " Your unsaved text is kept." : "";
    showConflict(editor, `This map was just changed by someone else (now version ${version}); the view is updated.${kept}`);
  } else if (ownVersion !== null && version > ownVersion && !editor.sync.live) {
    notify("The map also shows changes that someone else made at the same time.", { kind: "info" });
  }
}

/** Load revision `number` to show read only (unless the person has moved on meanwhile). */
export async function loadRevision(editor, number) {
  const { state } = editor;
  const { data } = await api.getRevision(state.mapId, number);
  if (state.destroyed || state.revision !== number) return;
  state.receiveRevision(data);
  redraw(editor);
}

function redraw(editor) {
  render(editor);
  refreshSide(editor);
  if (editor.ui.diagram.options().status) loadEvaluation(editor);
}

/** Load the labels of what is shown, while the diagram shows the status. */
export async function loadEvaluation(editor) {
  const { state, ui } = editor;
  const revision = state.revision;
  try {
    const { data } = await api.evaluation(state.mapId, { revision });
    if (!ui.diagram.options().status || revision !== state.revision) return;
    state.setEvaluation(evaluationLabels(data));
    showEvaluationSummary(editor, data);
    if (state.selected) loadChanges(editor, state.selected);
  } catch (error) {
    state.setEvaluation(null);
    showEvaluationSummary(editor, null);
    if (error.status !== 404) notifyError(error, "The evaluation could not be loaded:");
  }
  render(editor);
}

/**
 * A defeated or open claim whose moves the evaluation's budget did not reach (`changes` null):
 * ask for them on their own, then redraw its card.
 */
export async function loadChanges(editor, claimId) {
  const { state } = editor;
  const evaluation = state.evaluation;
  const status = evaluation?.get(claimId);
  if (!status || status.changes || verdictOf(status) === "stands" || state.revision !== null) return;
  if (editor.sync.asking.has(claimId)) return;
  editor.sync.asking.add(claimId);
  try {
    const { data } = await api.claimChanges(state.mapId, claimId);
    if (state.destroyed || state.evaluation !== evaluation) return; // reloaded meanwhile
    state.setClaimChanges(claimId, Array.isArray(data) ? data : []);
    renderClaims(editor, [claimId]);
  } catch {
    /* the details say nothing of what would change it */
  } finally {
    editor.sync.asking.delete(claimId);
  }
}

/** Verdicts per claim from the evaluation endpoint (see verdicts.js), tolerant of its exact shape. */
export function evaluationLabels(data) {
  const labels = new Map();
  const claims = data?.claims ?? data?.labels ?? {};
  const entries = Array.isArray(claims) ? claims.map((item) => [item.id ?? item.claim, item]) : Object.entries(claims);
  for (const [id, value] of entries) {
    if (typeof value === "string") labels.set(id, claimStatus({ label: value }));
    else if (value) labels.set(id, claimStatus(value, data?.semantics ?? null, data?.proof_standard ?? null));
  }
  return labels;
}

// ----- writing ----------------------------------------------------------------------------------

/**
 * Run `operation(version, fields)` after the writes before it; reload the map afterwards.
 * `merge` = {what, fields, version?} makes an edit mergeable (`version`: the one it is based on): on a 409 naming conflicting fields the merge
 * dialog asks what to keep and the operation runs again with `fields` updated and the current
 * version. A 412 reloads the map and shows the conflict notice; other errors show a message.
 * Resolves to the operation's result, or null when it failed (or the person chose not to save).
 */
export function write(editor, label, operation, { merge = null } = {}) {
  const run = () => runWrite(editor, label, operation, merge);
  editor.sync.queue = editor.sync.queue.then(run, run);
  return editor.sync.queue;
}

class NotSaved extends Error {}

async function runWrite(editor, label, operation, merge) {
  const { state } = editor;
  if (state.destroyed) return null;
  state.startWriting();
  showSaveState(editor, "Saving…");
  try {
    // An edit form's changes are based on the version it was opened on (its fields as they were
    // then): the server merges them into what others saved since, or names the clash.
    const based = merge?.version ?? state.map.version;
    let version = based;
    let fields = merge?.fields;
    let result;
    for (;;) {
      try {
        result = await operation(version, fields);
        break;
      } catch (error) {
        if (!merge || !(error instanceof ConflictError) || !error.body?.conflicts) throw error;
        const chosen = await resolveConflict(editor, merge, error, version);
        if (!chosen) throw new NotSaved();
        fields = { ...fields, ...chosen };
        version = error.currentVersion ?? state.map.version;
      }
    }
    showSaveState(editor, "All changes saved");
    await load(editor, { ownVersion: result?.version ?? null });
    if (result?.data?.merged) tellMerged(editor, based, result.version);
    return result;
  } catch (error) {
    await reportWriteError(editor, label, error);
    return null;
  } finally {
    state.endWriting();
  }
}

/** Reload the map (to show theirs) and ask how to merge; resolves to the chosen fields or null. */
async function resolveConflict(editor, merge, error, version) {
  showSaveState(editor, "Someone else changed the same field");
  try {
    await load(editor);
  } catch {
    /* the dialog shows their version from the answer anyway */
  }
  const names = await othersSince(editor, version, error.currentVersion);
  return mergeDialog({ what: merge.what, conflicts: error.body.conflicts, theirName: names.join(" and ") || null });
}

/** Display names of the others who wrote the revisions after `after` (up to `upTo`). */
async function othersSince(editor, after, upTo = null) {
  const me = currentUser()?.id ?? null;
  try {
    const { data } = await api.listRevisions(editor.state.mapId);
    const names = [];
    for (const item of data.items || []) {
      if (item.number <= after || (upTo !== null && item.number > upTo)) continue;
      if (me && item.author_id === me) continue;
      if (item.author && !names.includes(item.author)) names.push(item.author);
    }
    return names;
  } catch {
    return [];
  }
}

/** The server merged our edit with changes made since `based`: say with whose, quietly. */
async function tellMerged(editor, based, version) {
  const names = await othersSince(editor, based, version - 1);
  const whose = names.length
    ? `${names.map((name) => `${name}’s`).join(" and ")} ${names.length > 1 ? "changes" : "change"}`
    : "someone else’s change";
  notify(`Merged with ${whose}.`, { kind: "info", quiet: true });
}

async function reportWriteError(editor, label, error) {
  if (error instanceof NotSaved) {
    showSaveState(editor, "Not saved");
    notify("Not saved: your version is still in the form. Save it again when you are ready.", {
      kind: "info", quiet: true,
    });
    try {
      await load(editor);
    } catch (reloadError) {
      notifyError(reloadError, "Reloading the map failed:");
    }
  } else if (error instanceof ConflictError) {
    showSaveState(editor, "Not saved: the map changed");
    try {
      await load(editor, { reason: "conflict" });
    } catch (reloadError) {
      notifyError(reloadError, "Reloading the map failed:");
    }
  } else {
    showSaveState(editor, "Not saved");
    notifyError(error, `${label} failed:`);
  }
}

// ----- the event stream -------------------------------------------------------------------------

/**
 * Follow the map: its event stream, or polling when the stream cannot be opened. `on` gets the
 * comment and presence events and a reconnect ({comment, presence, reconnect}).
 */
export function startLive(editor, on = {}) {
  if (!backgroundUpdates()) return;
  // How the page follows the map, for whoever looks (and the tests): stream, reconnecting, polling.
  const say = (how) => { if (editor.ui?.page) editor.ui.page.dataset.live = how; };
  editor.sync.stream = connectEvents(editor.state.mapId, {
    open: () => {
      editor.sync.live = true;
      say("stream");
      stopPolling(editor);
    },
    interrupted: () => say("reconnecting"),
    reconnect: () => {
      say("stream");
      catchUp(editor);
      on.reconnect?.();
    },
    unavailable: ({ wasOpen }) => {
      editor.sync.live = false;
      editor.sync.stream = null;
      say("polling");
      on.unavailable?.();
      startPolling(editor);
      // A stream that worked and was then refused (too many streams, say): try it again later.
      if (wasOpen) {
        editor.sync.retryTimer = setTimeout(() => {
          if (!editor.state.destroyed && !editor.sync.stream) startLive(editor, on);
        }, STREAM_RETRY_MS);
      }
    },
    change: (data) => onChange(editor, data),
    reset: () => {
      catchUp(editor, { reason: "reset" });
      on.reconnect?.();
    },
    comment: (data) => on.comment?.(data),
    presence: (data) => on.presence?.(data),
  });
}

export function stopLive(editor) {
  clearTimeout(editor.sync.retryTimer);
  editor.sync.stream?.close();
  editor.sync.stream = null;
  editor.sync.live = false;
  stopPolling(editor);
}

/** After a reconnect or a reset: reload the map if it moved on while we were away. */
function catchUp(editor, { reason = null } = {}) {
  const { state } = editor;
  const run = async () => {
    if (state.destroyed || !state.map) return;
    try {
      if (reason === "reset") {
        await load(editor);
        return;
      }
      const response = await api.getMap(state.mapId, { knownVersion: state.map.version });
      if (response.status === 200 && response.data.version > state.map.version) await load(editor);
    } catch {
      /* the next event tries again */
    }
  };
  editor.sync.queue = editor.sync.queue.then(run, run);
}

/** Someone changed the map: reload it (after our own writes) and say what changed. */
function onChange(editor, data) {
  const { state } = editor;
  const mine = currentUser() && data?.author?.id === currentUser().id;
  const run = async () => {
    if (state.destroyed || !state.map) return;
    if (typeof data?.version === "number" && data.version <= state.map.version) {
      if (!mine) tellChange(editor, data);
      return;
    }
    try {
      await load(editor);
    } catch (error) {
      notifyError(error, "Reloading the map failed:");
      return;
    }
    if (!mine) tellChange(editor, data);
  };
  editor.sync.queue = editor.sync.queue.then(run, run);
}

/** The claims a change touched (relations count as their premises), those still in the map. */
export function changedClaims(editor, data) {
  const { index } = editor.state;
  const ids = [];
  for (const id of [...(data?.added || []), ...(data?.changed || [])]) {
    if (index.claims.has(id)) ids.push(id);
    else if (index.relations.has(id)) ids.push(...index.relations.get(id).premises);
  }
  return [...new Set(ids)].filter((id) => index.claims.has(id));
}

function tellChange(editor, data) {
  const { state } = editor;
  const form = state.openForm;
  const touched = [...(data?.changed || []), ...(data?.added || [])];
  if (form && ((form.type === "edit" && touched.includes(form.claim)) || (form.relation && touched.includes(form.relation)))) {
    state.noteFormChangedBy(data?.author?.display_name || "Someone");
  }
  const ids = changedClaims(editor, data);
  if (ids.length) flashClaims(editor, ids);
  else renderLive(editor);
  const who = data?.author?.display_name || "Someone";
  const summary = data?.summary || `${who} changed the map.`;
  notify(summary, {
    kind: "info", quiet: true, timeout: 10000,
    action: ids.length
      ? { label: "Show", run: () => editor.ui.actions.showChanged(ids) }
      : null,
  });
}

// ----- polling ----------------------------------------------------------------------------------

export function startPolling(editor) {
  stopPolling(editor);
  editor.sync.polling = true;
  schedulePoll(editor, pollSeconds());
}

export function stopPolling(editor) {
  editor.sync.polling = false;
  clearTimeout(editor.sync.pollTimer);
}

function schedulePoll(editor, seconds) {
  editor.sync.pollTimer = setTimeout(() => poll(editor), Math.max(1, seconds || 5) * 1000);
}

/** Reload when the server has a newer version, unless a write of ours is under way. */
async function poll(editor) {
  const { state } = editor;
  if (state.destroyed) return;
  const seconds = pollSeconds();
  if (seconds > 0 && document.visibilityState === "visible" && state.writing === 0 && state.map) {
    try {
      const response = await api.getMap(state.mapId, { knownVersion: state.map.version });
      if (response.status === 200 && response.data.version > state.map.version && state.writing === 0) {
        await load(editor, { reason: "poll" });
      }
    } catch {
      /* the next poll tries again; writes report their own errors */
    }
  }
  if (!state.destroyed && editor.sync.polling) schedulePoll(editor, seconds);
}
