// Modal dialogs built on <dialog>: confirmation and small forms. Focus returns where it was.

import { h, icon } from "./dom.js";

/** Show a modal <dialog> (removed when closed); focus goes back to `returnFocus`. */
export function openDialog(dialog, returnFocus) {
  document.body.append(dialog);
  dialog.showModal();
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  });
}

/** Ask a yes/no question; resolves to true when confirmed. */
export function confirmDialog({ title, message, details = [], confirmLabel = "Confirm",
                                danger = false, extra = null }) {
  const returnFocus = document.activeElement;
  return new Promise((resolve) => {
    let answer = false;
    const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
    const confirmButton = h("button", {
      type: "submit", class: ["button", danger ? "button-danger" : "button-primary"], value: "yes",
    }, confirmLabel);
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId },
      h("form", {
        method: "dialog",
        onsubmit: (event) => { answer = event.submitter?.value === "yes"; },
      },
        h("h2", { id: titleId, class: "dialog-title" }, title),
        message ? h("p", { class: "dialog-message" }, message) : null,
        details.length ? h("ul", { class: "dialog-details" }, details.map((d) => h("li", {}, d))) : null,
        extra,
        h("div", { class: "dialog-actions" },
          h("button", { type: "submit", class: "button", value: "no" }, "Cancel"),
          confirmButton)));
    dialog.addEventListener("close", () => resolve(answer));
    openDialog(dialog, returnFocus);
    confirmButton.focus();
  });
}

/**
 * A dialog with form fields: fields = [{name, label, type: "text"|"textarea"|"select"|"file",
 * value, required, options, hint, accept}]. `submit(values)` may throw to keep the dialog open
 * (the error is shown in it). Resolves to submit's result or null when cancelled.
 */
export function formDialog({ title, description = null, fields, submitLabel = "Save", submit }) {
  const returnFocus = document.activeElement;
  return new Promise((resolve) => {
    let result = null;
    const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
    const errorBox = h("p", { class: "dialog-error", role: "alert", hidden: true });
    const inputs = {};
    const rows = fields.map((field) => {
      const id = `field-${field.name}-${Math.random().toString(36).slice(2)}`;
      let control;
      if (field.type === "textarea") {
        control = h("textarea", { id, name: field.name, rows: field.rows || 3,
                                  maxlength: field.maxlength, required: field.required });
        control.value = field.value || "";
      } else if (field.type === "select") {
        control = h("select", { id, name: field.name },
          field.options.map(([value, label]) => h("option", { value, selected: value === field.value }, label)));
      } else {
        control = h("input", { id, name: field.name, type: field.type || "text",
                               required: field.required, maxlength: field.maxlength,
                               accept: field.accept, autocomplete: "off" });
        if (field.type !== "file") control.value = field.value || "";
      }
      const hintId = field.hint ? `${id}-hint` : null;
      if (hintId) control.setAttribute("aria-describedby", hintId);
      inputs[field.name] = control;
      return h("div", { class: "field" },
        h("label", { for: id }, field.label),
        control,
        field.hint ? h("p", { class: "field-hint", id: hintId }, field.hint) : null);
    });
    const submitButton = h("button", { type: "submit", class: "button button-primary" }, submitLabel);
    const cancelButton = h("button", { type: "button", class: "button",
                                       onclick: () => dialog.close() }, "Cancel");
    const form = h("form", {
      onsubmit: async (event) => {
        event.preventDefault();
        const values = {};
        for (const [name, control] of Object.entries(inputs)) {
          values[name] = control.type === "file" ? control.files[0] || null : control.value;
        }
        submitButton.disabled = true;
        errorBox.hidden = true;
        try {
          result = await submit(values);
          dialog.close();
        } catch (error) {
          errorBox.textContent = error.message || "That did not work.";
          errorBox.hidden = false;
        } finally {
          submitButton.disabled = false;
        }
      },
    },
      h("div", { class: "dialog-head" },
        h("h2", { id: titleId, class: "dialog-title" }, title),
        h("button", { type: "button", class: "icon-button", "aria-label": "Close",
                      onclick: () => dialog.close() }, icon("close"))),
      description ? h("p", { class: "dialog-message" }, description) : null,
      rows,
      errorBox,
      h("div", { class: "dialog-actions" }, cancelButton, submitButton));
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId }, form);
    dialog.addEventListener("close", () => resolve(result));
    openDialog(dialog, returnFocus);
    const first = Object.values(inputs)[0];
    if (first) first.focus();
  });
}
