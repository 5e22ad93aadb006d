// The merge dialog: someone else changed the same field as you since you started (HTTP 409 with
// `conflicts`). Per field it shows what it was when you started (base), their version and yours
// side by side, the words each side changed marked, with "Keep mine", "Take theirs" and an
// editable merged value. Nothing is sent until the person saves; cancelling keeps their text in
// the form (the caller says so), so nobody's words are lost without them knowing.

import { openDialog } from "./dialog.js";
import { h, icon } from "./dom.js";

const FIELD_LABEL = {
  text: "Claim", title: "Title", note: "Note", tags: "Tags", sources: "Sources",
  description: "Description", premises: "Premises", kind: "Kind", target_claim: "Target",
  target_relation: "Target", accepted: "Accepted", rejected: "Rejected", rule: "Rule of decision",
};

let counter = 0;

/** How a value of a field is shown and edited: text, a comma list, or JSON. */
function shapeOf(values) {
  const known = values.filter((value) => value !== null && value !== undefined);
  if (known.every((value) => typeof value === "string")) return "text";
  if (known.every((value) => Array.isArray(value) && value.every((item) => typeof item === "string"))) return "list";
  return "json";
}

function asText(value, shape) {
  if (value === null || value === undefined) return "";
  if (shape === "text") return value;
  if (shape === "list") return value.join(", ");
  return JSON.stringify(value, null, 2);
}

function fromText(text, shape, field) {
  if (shape === "text") {
    const trimmed = text.trim();
    if (!trimmed && field === "text") throw new Error("The claim cannot be empty.");
    return trimmed || null;
  }
  if (shape === "list") return [...new Set(text.split(",").map((item) => item.trim()).filter(Boolean))];
  try {
    return text.trim() ? JSON.parse(text) : null;
  } catch {
    throw new Error(`${FIELD_LABEL[field] || field}: that is not valid JSON.`);
  }
}

/** Words of `text` (spaces kept with the word before them). */
function words(text) {
  return text.match(/\S+\s*|\s+/g) || [];
}

/**
 * `text` with the words that are not in `base` marked (a longest common subsequence of words),
 * as nodes for a column of the dialog.
 */
export function markedWords(base, text) {
  const a = words(base);
  const b = words(text);
  if (a.length * b.length > 250000) return [text];
  const table = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      table[i][j] = a[i].trim() === b[j].trim() ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const nodes = [];
  let i = 0;
  let j = 0;
  while (j < b.length) {
    if (i < a.length && a[i].trim() === b[j].trim()) {
      nodes.push(b[j]);
      i += 1;
      j += 1;
    } else if (i < a.length && table[i + 1][j] >= table[i][j + 1]) {
      i += 1;
    } else {
      nodes.push(h("mark", { class: "merge-changed" }, b[j]));
      j += 1;
    }
  }
  return nodes;
}

function column(label, value, base, shape, extraClass) {
  const text = asText(value, shape);
  const shown = !text ? h("span", { class: "merge-empty" }, "(empty)")
    : shape === "json" ? h("pre", { class: "merge-json" }, text)
      : markedWords(asText(base, shape), text);
  return h("div", { class: ["merge-column", extraClass] },
    h("p", { class: "merge-column-label" }, label),
    h("div", { class: "merge-value", dir: "auto" }, shown));
}

/**
 * Ask how to merge `conflicts` ({field: {base, theirs, yours}}) of `what` ("the claim “…”").
 * `theirName` names who changed it meanwhile, if known. Resolves to {field: value} to send, or
 * null when the person chose not to save now.
 */
export function mergeDialog({ what, conflicts, theirName = null }) {
  const returnFocus = document.activeElement;
  const titleId = `merge-title-${++counter}`;
  const them = theirName || "Someone else";
  return new Promise((resolve) => {
    let result = null;
    const readers = [];
    const sections = Object.entries(conflicts).map(([field, conflict]) => {
      const { base, theirs, yours } = conflict;
      const shape = shapeOf([base, theirs, yours]);
      const label = FIELD_LABEL[field] || field;
      const boxId = `${titleId}-${field}`;
      const box = h("textarea", { id: boxId, class: "merge-box", rows: shape === "json" ? 6 : shape === "list" ? 1 : 3,
                                  dataset: { field } });
      box.value = asText(yours, shape);
      const mine = h("button", { type: "button", class: "button button-small", "aria-pressed": "true",
                                 dataset: { choice: "mine" } }, "Keep mine");
      const theirsButton = h("button", { type: "button", class: "button button-small", "aria-pressed": "false",
                                         dataset: { choice: "theirs" } }, "Take theirs");
      const choose = (button, value) => {
        box.value = asText(value, shape);
        mine.setAttribute("aria-pressed", String(button === mine));
        theirsButton.setAttribute("aria-pressed", String(button === theirsButton));
      };
      mine.addEventListener("click", () => choose(mine, yours));
      theirsButton.addEventListener("click", () => choose(theirsButton, theirs));
      box.addEventListener("input", () => {
        mine.setAttribute("aria-pressed", String(box.value === asText(yours, shape)));
        theirsButton.setAttribute("aria-pressed", String(box.value === asText(theirs, shape)));
      });
      readers.push(() => [field, fromText(box.value, shape, field)]);
      return h("section", { class: "merge-field", "aria-labelledby": `${boxId}-heading`, dataset: { field } },
        h("h3", { class: "merge-field-title", id: `${boxId}-heading` }, label),
        h("div", { class: "merge-columns" },
          column("When you started", base, base, shape, "merge-base"),
          column(`${them === "Someone else" ? "Their version" : `${them}’s version`}`, theirs, base, shape, "merge-theirs"),
          column("Yours", yours, base, shape, "merge-yours")),
        h("div", { class: "merge-choices" }, mine, theirsButton),
        h("label", { class: "merge-box-label", for: boxId }, `${label} to save`),
        box);
    });
    const errorBox = h("p", { class: "dialog-error", role: "alert", hidden: true });
    const saveButton = h("button", { type: "submit", class: "button button-primary" }, "Save merged");
    const form = h("form", {
      onsubmit: (event) => {
        event.preventDefault();
        try {
          result = Object.fromEntries(readers.map((read) => read()));
        } catch (error) {
          errorBox.textContent = error.message;
          errorBox.hidden = false;
          return;
        }
        dialog.close();
      },
    },
      h("div", { class: "dialog-head" },
        h("h2", { id: titleId, class: "dialog-title" }, "Merge your edit with theirs"),
        h("button", { type: "button", class: "icon-button", "aria-label": "Close",
                      onclick: () => dialog.close() }, icon("close"))),
      h("p", { class: "dialog-message" },
        `${them} changed ${what} while you were editing it, in the same ${sections.length > 1 ? "fields" : "field"}. `
        + "Choose what to keep, or write a merged version. Nothing is saved until you do."),
      sections,
      errorBox,
      h("div", { class: "dialog-actions" },
        h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Not now (keep my draft)"),
        saveButton));
    const dialog = h("dialog", { class: "dialog dialog-wide merge-dialog", "aria-labelledby": titleId }, form);
    dialog.addEventListener("close", () => resolve(result));
    openDialog(dialog, returnFocus);
    dialog.querySelector(".merge-box")?.focus();
  });
}
