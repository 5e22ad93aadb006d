// Text limits, shown as you type: every text field with a `maxlength` (a claim's text 2000, its
// title 80, a note 10000, a comment 5000 …) gets a counter once it is near its limit, and a paste
// that would go over it is never cut without a word: what fits is pasted and a message says how
// much was left out (or, with no room left, that nothing was pasted).
//
// One set of listeners on the document serves every field of every page (forms are rebuilt often).

import { announce, notify } from "./notify.js";

const NEAR = 0.9; // the counter shows from 90 % of the limit
const counters = new WeakMap(); // field -> its counter element
const NUMBER = new Intl.NumberFormat();

function limitOf(element) {
  if (!(element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement)) return 0;
  if (element instanceof HTMLInputElement && !["text", "search", "url", "email", ""].includes(element.type)) return 0;
  return element.maxLength > 0 ? element.maxLength : 0;
}

/** Where the counter goes: after the field, or after the row it shares with its buttons. */
function anchorOf(element) {
  return element.closest(".composer-row, .picker") || element;
}

function counterOf(element, create) {
  let counter = counters.get(element);
  if (counter && counter.isConnected) return counter;
  if (!create) return null;
  counter = document.createElement("p");
  counter.className = "char-count";
  counter.id = `char-count-${Math.random().toString(36).slice(2)}`;
  anchorOf(element).insertAdjacentElement("afterend", counter);
  const described = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  element.setAttribute("aria-describedby", [...described, counter.id].join(" "));
  counters.set(element, counter);
  return counter;
}

/** Show, update or hide the field's counter; `cut` is a message about a paste that did not fit. */
function update(element, cut = null) {
  const limit = limitOf(element);
  if (!limit) return;
  const length = element.value.length;
  const near = length >= Math.floor(limit * NEAR);
  const counter = counterOf(element, near || Boolean(cut));
  if (!counter) return;
  if (!near && !cut) {
    counter.hidden = true;
    counter.textContent = "";
    return;
  }
  counter.hidden = false;
  const left = limit - length;
  counter.classList.toggle("is-full", left <= 0);
  counter.classList.toggle("is-cut", Boolean(cut));
  const count = `${NUMBER.format(length)} / ${NUMBER.format(limit)} characters`;
  counter.textContent = cut ? `${count}. ${cut}`
    : left <= 0 ? `${count}: the limit` : `${count} (${NUMBER.format(left)} left)`;
  if (left <= 0 && !cut && counter.dataset.told !== "full") {
    counter.dataset.told = "full";
    announce(`The limit of ${NUMBER.format(limit)} characters is reached.`);
  } else if (left > 0) {
    delete counter.dataset.told;
  }
}

/** Drop a lone high surrogate at the end (an emoji cut in half). */
function whole(text) {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}

function onPaste(event) {
  const element = event.target;
  const limit = limitOf(element);
  if (!limit || element.readOnly || element.disabled) return;
  const pasted = event.clipboardData?.getData("text/plain") ?? "";
  if (!pasted) return;
  // Text fields of one line take the paste as one line, as the browser would.
  const text = element instanceof HTMLInputElement ? pasted.replace(/\r?\n/g, " ") : pasted.replace(/\r\n/g, "\n");
  const selected = (element.selectionEnd ?? 0) - (element.selectionStart ?? 0);
  const room = limit - (element.value.length - selected);
  if (text.length <= room) return;
  event.preventDefault();
  if (room <= 0) {
    const message = `Nothing was pasted: the field is at its limit of ${NUMBER.format(limit)} characters `
      + `and the pasted text has ${NUMBER.format(text.length)}.`;
    update(element, message);
    notify(message, { kind: "warning" });
    return;
  }
  const part = whole(text.slice(0, room));
  // insertText keeps the browser's undo and fires the input event the forms listen to.
  if (!document.execCommand("insertText", false, part)) {
    element.setRangeText(part, element.selectionStart, element.selectionEnd, "end");
    element.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const cut = text.length - part.length;
  const message = `Pasted ${NUMBER.format(part.length)} of ${NUMBER.format(text.length)} characters: `
    + `the last ${NUMBER.format(cut)} did not fit the limit of ${NUMBER.format(limit)}.`;
  update(element, message);
  notify(message, { kind: "warning", timeout: 10000 });
}

/** A drop of text that does not fit: the browser keeps what fits; say how much it left out. */
function onBeforeInput(event) {
  if (event.inputType !== "insertFromDrop") return;
  const element = event.target;
  const limit = limitOf(element);
  const dropped = event.dataTransfer?.getData("text/plain") ?? "";
  if (!limit || !dropped) return;
  const selected = (element.selectionEnd ?? 0) - (element.selectionStart ?? 0);
  const room = Math.max(0, limit - (element.value.length - selected));
  if (dropped.length <= room) return;
  const message = room
    ? `Dropped ${NUMBER.format(room)} of ${NUMBER.format(dropped.length)} characters: the last `
      + `${NUMBER.format(dropped.length - room)} did not fit the limit of ${NUMBER.format(limit)}.`
    : `Nothing was dropped: the field is at its limit of ${NUMBER.format(limit)} characters.`;
  setTimeout(() => update(element, message), 0);
  notify(message, { kind: "warning", timeout: 10000 });
}

let watching = false;

/** Start the counters and the paste check for every field of the page (once). */
export function watchLimits() {
  if (watching) return;
  watching = true;
  document.addEventListener("input", (event) => update(event.target), true);
  document.addEventListener("focusin", (event) => update(event.target), true);
  document.addEventListener("paste", onPaste, true);
  document.addEventListener("beforeinput", onBeforeInput, true);
}
