// The map page: mounts the editor for one map and follows the address (current map or a revision).
//
// The editor is one small object passed to every part instead of a shared closure:
//   editor.state  the state and the only methods that change it   (editorstate.js)
//   editor.ui     the page's parts, drawn from the state            (editorview.js)
//   editor.sync   the write queue and the poll timer                (editorsync.js)
// and the commands (editorcommands.js) are what the page's buttons and keys call.

import { api } from "./api.js";
import { editorActions, showRevision } from "./editorcommands.js";
import { EditorState } from "./editorstate.js";
import { createSync, load, loadRevision, startPolling, stopPolling } from "./editorsync.js";
import { focusStart, mountLayout, renderRole, showLoadError } from "./editorview.js";

/** Mount the editor for `params.id` (and `params.revision`) into `root`. */
export function mountEditor(root, params) {
  const editor = { state: new EditorState(params), ui: null, sync: createSync() };
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
      stopPolling(editor);
    },
  };
}

async function start(editor, root) {
  try {
    await loadRole(editor);
    await load(editor);
    if (editor.state.revision !== null) await loadRevision(editor, editor.state.revision);
    focusStart(editor);
    startPolling(editor);
  } catch (error) {
    showLoadError(root, error);
  }
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
