// The map editor and the server: loading the map, a revision and the evaluation; writing; polling.
//
// Every write sends If-Match with the version the person saw, one after the other (`write` queues
// them), and reloads the map afterwards. On a 412 the map is reloaded, the forms are rebuilt from
// the drafts (so what was typed stays), and a visible, spoken message says what happened. Another
// person's change is also picked up by polling (If-None-Match). `editor.sync` holds the queue and
// the poll timer; nothing else touches them.

import { api, ConflictError } from "./api.js";
import { notify, notifyError } from "./notify.js";
import { refreshSide, render, showConflict, showEvaluationSummary, showSaveState } from "./editorview.js";

const POLL_KEY = "argmap.pollSeconds";

function pollSeconds() {
  const value = Number.parseFloat(localStorage.getItem(POLL_KEY) ?? "5");
  return Number.isFinite(value) ? value : 5;
}

/** The bookkeeping of the writes and the polling, as `editor.sync`. */
export function createSync() {
  return { queue: Promise.resolve(), pollTimer: null };
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
  } else if (ownVersion !== null && version > ownVersion) {
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
    showEvaluationSummary(editor, data.counts || {});
  } catch (error) {
    state.setEvaluation(null);
    showEvaluationSummary(editor, null);
    if (error.status !== 404) notifyError(error, "The evaluation could not be loaded:");
  }
  render(editor);
}

/** Labels per claim from the evaluation endpoint, tolerant of its exact shape. */
export function evaluationLabels(data) {
  const labels = new Map();
  const claims = data?.claims ?? data?.labels ?? {};
  const entries = Array.isArray(claims) ? claims.map((item) => [item.id ?? item.claim, item]) : Object.entries(claims);
  for (const [id, value] of entries) {
    if (typeof value === "string") labels.set(id, { label: value });
    else if (value) {
      labels.set(id, {
        label: value.label ?? value.status,
        strength: value.strength,
        explanation: typeof value.explanation === "string" ? value.explanation : value.explanation?.text,
      });
    }
  }
  return labels;
}

// ----- writing ----------------------------------------------------------------------------------

/**
 * Run `operation(version)` after the writes before it; reload the map afterwards. A 412
 * reloads the map and shows the conflict notice; other errors show a message. Resolves to the
 * operation's result, or null when it failed.
 */
export function write(editor, label, operation) {
  const run = () => runWrite(editor, label, operation);
  editor.sync.queue = editor.sync.queue.then(run, run);
  return editor.sync.queue;
}

async function runWrite(editor, label, operation) {
  const { state } = editor;
  if (state.destroyed) return null;
  state.startWriting();
  showSaveState(editor, "Saving…");
  try {
    const result = await operation(state.map.version);
    showSaveState(editor, "All changes saved");
    await load(editor, { ownVersion: result?.version ?? null });
    return result;
  } catch (error) {
    await reportWriteError(editor, label, error);
    return null;
  } finally {
    state.endWriting();
  }
}

async function reportWriteError(editor, label, error) {
  if (error instanceof ConflictError) {
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

// ----- polling ----------------------------------------------------------------------------------

export function startPolling(editor) {
  schedulePoll(editor, pollSeconds());
}

export function stopPolling(editor) {
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
  if (!state.destroyed) schedulePoll(editor, seconds);
}
