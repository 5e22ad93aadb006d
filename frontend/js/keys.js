// Every key of the map editor in one place: the "?" sheet lists them, the outline's hint line
// shows those that apply to the selected claim, and the buttons show their letters.

import { openDialog } from "./dialog.js";
import { h, icon } from "./dom.js";

/** The outline's keys on a selected claim: [keys, what, when] (`when` says where it applies). */
export const CLAIM_KEYS = [
  { keys: ["S"], what: "Add a support", when: "any" },
  { keys: ["O"], what: "Add an objection (a rebuttal when the claim itself objects)", when: "any" },
  { keys: ["U"], what: "Object to the inference (an undercut)", when: "relation" },
  { keys: ["P"], what: "Add a co-premise: a new claim linked with this one (they support or object only together)", when: "relation" },
  { keys: ["L"], what: "Link an existing claim as a further premise", when: "relation" },
  { keys: ["K"], what: "Unlink this premise from its linked premises", when: "linked" },
  { keys: ["E", "Enter"], what: "Edit the text, title, note, tags and sources", when: "any" },
  { keys: ["C"], what: "Collapse or expand the branch beneath the claim", when: "branch" },
  { keys: ["Delete"], what: "Delete the claim (asks first; Undo after)", when: "any" },
];

export const MOVE_KEYS = [
  { keys: ["↑", "↓"], what: "Previous or next claim" },
  { keys: ["←"], what: "The claim it argues about (its parent)" },
  { keys: ["→"], what: "Its first reason (a child); expands a collapsed branch" },
  { keys: ["Home", "End"], what: "First or last claim" },
  { keys: ["["], what: "Collapse every branch" },
  { keys: ["]"], what: "Expand every branch" },
  { keys: ["?"], what: "This list of keys" },
];

export const FORM_KEYS = [
  { keys: ["Enter"], what: "Add the claim, or save the edit" },
  { keys: ["Shift+Enter"], what: "A new line in the text" },
  { keys: ["Ctrl+Enter"], what: "Save the edit from any of its fields" },
  { keys: ["Esc"], what: "Cancel the form (what you typed is kept as a draft until then)" },
];

/** The keys that apply to a claim: `on` = {relation, linked, branch} (what the card stands for). */
export function keysFor(on) {
  return CLAIM_KEYS.filter((entry) => entry.when === "any" || on[entry.when]);
}

/** The hint line's text for the selected claim (or the moves alone when nothing can be changed). */
export function hintText(on, { locked = false, rebuttal = false } = {}) {
  const moves = "↑↓ move · ←→ parent/child";
  if (!on) return `${moves} · ? all keys`;
  const short = {
    S: "S support", O: rebuttal ? "O rebut" : "O object", U: "U undercut", P: "P co-premise",
    L: "L link", K: "K unlink", E: "E edit", C: on.folded ? "C expand" : "C collapse", Delete: "Del delete",
  };
  const keys = locked ? keysFor(on).filter((entry) => entry.keys[0] === "C") : keysFor(on);
  return [moves, ...keys.map((entry) => short[entry.keys[0]]), "? all keys"].join(" · ");
}

function keyList(entries) {
  return h("dl", { class: "key-list" }, entries.map((entry) => [
    h("dt", {}, entry.keys.flatMap((key, i) => [i ? " or " : null, h("kbd", {}, key)])),
    h("dd", {}, entry.what),
  ]));
}

let open = null;

/** The "?" sheet: a dialog listing every key. */
export function showKeySheet() {
  if (open) return open;
  const returnFocus = document.activeElement;
  const close = h("button", { type: "button", class: "icon-button", "aria-label": "Close",
                              onclick: () => dialog.close() }, icon("close"));
  const dialog = h("dialog", { class: "dialog dialog-wide key-sheet", "aria-labelledby": "key-sheet-title" },
    h("div", { class: "dialog-head" },
      h("h2", { class: "dialog-title", id: "key-sheet-title" }, "Keyboard keys"),
      close),
    h("p", { class: "dialog-message" },
      "In the outline, select a claim (arrow keys or a click), then press a key. "
      + "The hint line above the outline shows the keys for the selected claim."),
    h("div", { class: "key-sheet-columns" },
      h("section", { "aria-labelledby": "keys-claim" },
        h("h3", { id: "keys-claim", class: "key-sheet-heading" }, "On the selected claim"), keyList(CLAIM_KEYS)),
      h("section", {},
        h("h3", { id: "keys-move", class: "key-sheet-heading" }, "Moving"), keyList(MOVE_KEYS),
        h("h3", { id: "keys-form", class: "key-sheet-heading" }, "In a form"), keyList(FORM_KEYS))),
    h("div", { class: "dialog-actions" },
      h("button", { type: "button", class: "button button-primary", onclick: () => dialog.close() }, "Close")));
  dialog.addEventListener("close", () => { open = null; });
  openDialog(dialog, returnFocus);
  close.focus();
  open = dialog;
  return dialog;
}

/** True when a key event happens where typing goes (a field), so "?" is text and not the sheet. */
export function inField(event) {
  const target = event.target;
  return Boolean(target?.closest?.("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
}

/** "?" anywhere outside a field opens the sheet (once per page). */
export function listenForHelp() {
  document.addEventListener("keydown", (event) => {
    if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey || inField(event)) return;
    if (document.querySelector("dialog[open]")) return;
    event.preventDefault();
    showKeySheet();
  });
}
