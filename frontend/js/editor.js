// The map page: mounts the editor for one map and follows the address (current map or a revision).
//
// The editor is one small object passed to every part instead of a shared closure:
//   editor.state  the state and the only methods that change it   (editorstate.js)
//   editor.ui     the page's parts, drawn from the state            (editorview.js)
//   editor.sync   the write queue, the event stream, the poll timer (editorsync.js)
//   editor.presence  who else is here and what they edit          (presence.js)
// and the commands (editorcommands.js) are what the page's buttons and keys call.

import { api } from "./api.js";
import { editorActions, showRevision } from "./editorcommands.js";
import { EditorState } from "./editorstate.js";
import { backgroundUpdates, createSync, load, loadRevision, startLive, stopLive } from "./editorsync.js";
import { focusStart, mountLayout, renderLive, renderRole, showLoadError } from "./editorview.js";
import { excerpt } from "./dom.js";
import { notify } from "./notify.js";
import { createPresence } from "./presence.js";
import { currentUser } from "./session.js";

/** Mount the editor for `params.id` (and `params.revision`) into `root`. */
export function mountEditor(root, params) {
  const editor = { state: new EditorState(params), ui: null, sync: createSync(), presence: null };
  editor.presence = createPresence(editor.state.mapId, {
    isLive: () => editor.sync.live,
    onChange: () => renderLive(editor),
  });
  editor.state.onFormChange((form) => editor.presence.setEditing(editingId(form)));
  // Another tab of this map changed a draft: the thesis box (always on view) follows, unless it is
  // being typed in here; the other forms read their drafts when they open.
  editor.state.drafts.onChange((keys) => {
    if (!keys.includes("thesis")) return;
    const box = editor.ui?.outline.querySelector('[data-focus-key="thesis"]');
    if (box && document.activeElement !== box) box.value = editor.state.drafts.get("thesis") || "";
  });
  mountLayout(editor, root, editorActions(editor));
  start(editor, root);
  return {
    /** Follow a new address; false when it is another map's (the caller mounts a new editor). */
    update(next) {
      if (next.id !== editor.state.mapId) return false;
      showRevision(editor, next.revision ?? null);
      return true;
    },
    destroy() {
      editor.state.destroy();
      stopLive(editor);
      editor.presence.stop();
    },
  };
}

async function start(editor, root) {
  try {
    await loadRole(editor);
    await load(editor);
    if (editor.state.revision !== null) await loadRevision(editor, editor.state.revision);
    focusStart(editor);
    startLive(editor, {
      comment: (data) => onComment(editor, data),
      presence: (data) => editor.presence.receive(data?.people),
      reconnect: () => {
        editor.ui.comments.refresh();
        editor.presence.refresh();
      },
    });
    editor.ui.comments.refreshCounts();
    if (backgroundUpdates()) {
      editor.presence.setEditing(editingId(editor.state.openForm));
      await editor.presence.start();
    } else {
      editor.presence.stop();
    }
  } catch (error) {
    showLoadError(root, error);
  }
}

/** What an open form edits, for the others' "is editing": the claim, or the relation linked. */
function editingId(form) {
  if (!form) return null;
  if (form.type === "edit") return form.claim;
  if (form.type === "link") return form.relation;
  return null;
}

/** A comment event: the counts and the thread on view follow; another's new comment is told quietly. */
function onComment(editor, data) {
  const { state, ui } = editor;
  if (state.destroyed) return;
  ui.comments.receive(data, { visible: !ui.panels.comments.hidden });
  const mine = data?.author?.id && data.author.id === currentUser()?.id;
  if (mine || data?.action !== "added") return;
  const claimId = ui.comments.claimOf(data.target);
  const who = data.author?.display_name || "Someone";
  const on = claimId ? ` on “${excerpt(state.index.claims.get(claimId).text, 60)}”` : "";
  notify(`${who} commented${on}.`, {
    kind: "info", quiet: true, timeout: 8000,
    action: claimId ? { label: "Show", run: () => ui.actions.comments(claimId, data.target) } : null,
  });
}

/**
 * The person's role on the map, before the map is drawn (so that no edit button flashes up for a
 * reader). When the sharing cannot be read (but the map can), the page offers editing and leaves
 * the check to the server.
 */
async function loadRole(editor) {
  const { state } = editor;
  try {
    const { data } = await api.sharing(state.mapId);
    state.setRole(data.your_role ?? null);
  } catch (error) {
    if (error.status === 404 || error.status === 401) throw error;
    state.setRole("editor");
  }
  if (!state.destroyed) renderRole(editor);
}
