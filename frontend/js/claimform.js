// Inline forms in the outline: the composer that adds a claim, the claim editor, the premise picker.

import { excerpt, h, icon } from "./dom.js";

let counter = 0;
const uid = (prefix) => `${prefix}-${++counter}`;

/** Grow a textarea with its content. */
function autosize(textarea) {
  const fit = () => {
    textarea.style.height = "auto";
    textarea.style.height = `${textarea.scrollHeight + 2}px`;
  };
  textarea.addEventListener("input", fit);
  requestAnimationFrame(fit);
  return textarea;
}

/**
 * A one-field form: type the claim, Enter adds it (Shift+Enter for a new line), Escape cancels.
 * `draft` is the text kept by the editor; `onDraft(text)` is called on every keystroke.
 */
export function composer({ key, kind, label, placeholder, draft, onDraft, onSubmit, onCancel,
                           submitLabel = "Add" }) {
  const id = uid("composer");
  const input = autosize(h("textarea", {
    id, rows: 1, class: "composer-input", placeholder, maxlength: 2000,
    "aria-describedby": `${id}-hint`, dataset: { focusKey: key },
  }));
  input.value = draft || "";
  input.addEventListener("input", () => onDraft(input.value));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Escape" && onCancel) {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  });
  const form = h("form", {
    class: ["composer", `kind-${kind}`], dataset: { formKey: key },
    onsubmit: (event) => {
      event.preventDefault();
      if (input.readOnly) return;  // already saving: a second Enter must not add it twice
      const text = input.value.trim();
      if (!text) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      // While the claim is being saved, keys typed ahead must not change what is saved.
      input.readOnly = true;
      form.setAttribute("aria-busy", "true");
      Promise.resolve(onSubmit(text)).finally(() => {
        input.readOnly = false;
        form.removeAttribute("aria-busy");
      });
    },
  },
    h("label", { for: id, class: "composer-label" }, label),
    h("div", { class: "composer-row" },
      input,
      h("button", { type: "submit", class: "button button-primary button-small" }, submitLabel),
      onCancel
        ? h("button", { type: "button", class: "button button-small", onclick: onCancel }, "Cancel")
        : null),
    h("p", { id: `${id}-hint`, class: "field-hint" },
      onCancel ? "Enter to add · Shift+Enter for a new line · Esc to cancel"
               : "Enter to add · Shift+Enter for a new line"));
  return form;
}

export function emptySource() {
  return { citation: "", url: "", locator: "", quote: "" };
}

/** The editable fields of a claim as a draft. */
export function claimDraft(claim) {
  return {
    text: claim.text,
    title: claim.title || "",
    note: claim.note || "",
    tags: (claim.tags || []).join(", "),
    accepted: Boolean(claim.accepted),
    sources: (claim.sources || []).map((s) => ({
      citation: s.citation || "", url: s.url || "", locator: s.locator || "", quote: s.quote || "",
    })),
  };
}

export function parseTags(text) {
  const seen = new Set();
  for (const part of text.split(",")) {
    const tag = part.trim().replace(/^#/, "");
    if (tag) seen.add(tag);
  }
  return [...seen];
}

/** The PATCH body for the fields of `draft` that differ from `claim`. */
export function claimChanges(claim, draft) {
  const changes = {};
  if (draft.text.trim() !== claim.text) changes.text = draft.text.trim();
  const title = (draft.title || "").trim();
  if (title !== (claim.title || "")) changes.title = title || null;
  const note = draft.note.trim();
  if (note !== (claim.note || "")) changes.note = note || null;
  const tags = parseTags(draft.tags);
  if (JSON.stringify(tags) !== JSON.stringify(claim.tags || [])) changes.tags = tags;
  // A draft kept from before the form had the box says nothing about it.
  if (typeof draft.accepted === "boolean" && draft.accepted !== Boolean(claim.accepted)) changes.accepted = draft.accepted;
  const sources = draft.sources
    .filter((s) => s.citation.trim() || s.url.trim() || s.quote.trim() || s.locator.trim())
    .map((s) => {
      const source = { citation: s.citation.trim() || s.url.trim() };
      if (s.url.trim()) source.url = s.url.trim();
      if (s.quote.trim()) source.quote = s.quote.trim();
      if (s.locator.trim()) source.locator = s.locator.trim();
      return source;
    });
  const before = (claim.sources || []).map((s) => {
    const source = { citation: s.citation };
    if (s.url) source.url = s.url;
    if (s.quote) source.quote = s.quote;
    if (s.locator) source.locator = s.locator;
    return source;
  });
  if (JSON.stringify(sources) !== JSON.stringify(before)) changes.sources = sources;
  return changes;
}

/** The inline editor of a claim's text, title, note, tags and sources. */
export function claimEditor({ claim, key, draft, onDraft, onSave, onCancel }) {
  const id = uid("edit");
  const changed = () => onDraft(draft);
  const keys = (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  };
  const text = autosize(h("textarea", {
    id: `${id}-text`, rows: 2, maxlength: 2000, required: true,
    dataset: { focusKey: `${key}:text` }, "aria-describedby": `${id}-hint`,
  }));
  text.value = draft.text;
  text.addEventListener("input", () => { draft.text = text.value; changed(); });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  const title = h("input", { id: `${id}-title`, type: "text", autocomplete: "off", maxlength: 80,
                             dataset: { focusKey: `${key}:title` }, "aria-describedby": `${id}-title-hint` });
  title.value = draft.title || "";
  title.addEventListener("input", () => { draft.title = title.value; changed(); });
  title.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  const note = autosize(h("textarea", { id: `${id}-note`, rows: 1, maxlength: 10000,
                                        dataset: { focusKey: `${key}:note` } }));
  note.value = draft.note;
  note.addEventListener("input", () => { draft.note = note.value; changed(); });
  const tags = h("input", { id: `${id}-tags`, type: "text", autocomplete: "off",
                            dataset: { focusKey: `${key}:tags` }, "aria-describedby": `${id}-tags-hint` });
  tags.value = draft.tags;
  tags.addEventListener("input", () => { draft.tags = tags.value; changed(); });
  tags.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  const accepted = h("input", { id: `${id}-accepted`, type: "checkbox", checked: Boolean(draft.accepted),
                                dataset: { focusKey: `${key}:accepted` }, "aria-describedby": `${id}-accepted-hint` });
  accepted.addEventListener("change", () => { draft.accepted = accepted.checked; changed(); });

  const sourcesList = h("div", { class: "sources-edit" });
  const renderSources = (focusIndex = null) => {
    sourcesList.replaceChildren();
    draft.sources.forEach((source, i) => {
      const field = (name, label, attrs = {}) => {
        const fieldId = `${id}-s${i}-${name}`;
        const control = name === "quote"
          ? autosize(h("textarea", { id: fieldId, rows: 1, maxlength: 5000,
                                     dataset: { focusKey: `${key}:s${i}:${name}` } }))
          : h("input", { id: fieldId, type: name === "url" ? "url" : "text", autocomplete: "off",
                         dataset: { focusKey: `${key}:s${i}:${name}` }, ...attrs });
        control.value = source[name];
        control.addEventListener("input", () => { source[name] = control.value; changed(); });
        return h("div", { class: `field field-${name}` }, h("label", { for: fieldId }, label), control);
      };
      const box = h("fieldset", { class: "source-edit" },
        h("legend", {}, `Source ${i + 1}`),
        field("citation", "Citation"),
        h("div", { class: "field-row" },
          field("url", "Link (http or https)", { placeholder: "https://" }),
          field("locator", "Page or place", { placeholder: "p. 12" })),
        field("quote", "Quote"),
        h("button", {
          type: "button", class: "button button-small button-quiet",
          "aria-label": `Remove source ${i + 1}`,
          onclick: () => { draft.sources.splice(i, 1); changed(); renderSources(); addSource.focus(); },
        }, icon("trash"), "Remove source"));
      sourcesList.append(box);
      if (focusIndex === i) requestAnimationFrame(() => box.querySelector("input")?.focus());
    });
  };
  const addSource = h("button", {
    type: "button", class: "button button-small",
    onclick: () => {
      draft.sources.push(emptySource());
      changed();
      renderSources(draft.sources.length - 1);
    },
  }, icon("plus"), "Add a source");
  renderSources();

  const form = h("form", {
    class: "claim-editor", dataset: { formKey: key }, "aria-label": `Edit claim “${excerpt(claim.text, 80)}”`,
    onkeydown: keys,
    onsubmit: (event) => {
      event.preventDefault();
      if (!draft.text.trim()) {
        text.setAttribute("aria-invalid", "true");
        text.focus();
        return;
      }
      onSave(draft);
    },
  },
    h("div", { class: "field" }, h("label", { for: `${id}-text` }, "Claim"), text,
      h("p", { class: "field-hint", id: `${id}-hint` },
        "Enter to save · Shift+Enter for a new line · Esc to cancel")),
    h("div", { class: "field" }, h("label", { for: `${id}-title` }, "Title"), title,
      h("p", { class: "field-hint", id: `${id}-title-hint` },
        "Optional: a few words the diagram shows instead of the text (at most 80 characters)")),
    h("div", { class: "field" }, h("label", { for: `${id}-note` }, "Note"), note),
    h("div", { class: "field" }, h("label", { for: `${id}-tags` }, "Tags"), tags,
      h("p", { class: "field-hint", id: `${id}-tags-hint` }, "Separate tags with commas")),
    h("div", { class: "field field-accepted" },
      h("label", { class: "control-check", for: `${id}-accepted` }, accepted, h("span", {}, "Accepted as a starting point")),
      h("p", { class: "field-hint", id: `${id}-accepted-hint` },
        "The group takes it as given: under evidential support it stands without a support; an objection can still defeat it")),
    h("div", { class: "field" }, h("span", { class: "field-label" }, "Sources"), sourcesList, addSource),
    h("div", { class: "form-actions" },
      h("button", { type: "button", class: "button", onclick: onCancel }, "Cancel"),
      h("button", { type: "submit", class: "button button-primary" }, "Save")));
  return form;
}

/**
 * Pick an existing claim: a search box and a list box. `onPick(claimId)` is called on Enter or
 * on the button.
 */
export function claimPicker({ key, label, hint, candidates, draft, onDraft, onPick, onCancel,
                              pickLabel = "Link" }) {
  const id = uid("picker");
  const search = h("input", { id, type: "search", placeholder: "Search claims", autocomplete: "off",
                              dataset: { focusKey: `${key}:search` }, "aria-describedby": `${id}-hint` });
  search.value = draft || "";
  const list = h("select", { size: 6, class: "picker-list", "aria-label": "Matching claims",
                             dataset: { focusKey: `${key}:list` } });
  const fill = () => {
    const query = search.value.trim().toLowerCase();
    list.replaceChildren();
    const matches = candidates.filter((c) => !query || c.text.toLowerCase().includes(query)).slice(0, 200);
    for (const claim of matches) list.append(h("option", { value: claim.id }, excerpt(claim.text, 110)));
    if (list.options.length) list.selectedIndex = 0;
    status.textContent = matches.length ? `${matches.length} matching` : "No matching claims";
  };
  const status = h("p", { class: "field-hint", "aria-live": "polite" });
  const pick = () => {
    if (list.value) onPick(list.value);
  };
  search.addEventListener("input", () => { onDraft(search.value); fill(); });
  const keys = (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === "Enter") {
      event.preventDefault();
      pick();
    } else if (event.key === "ArrowDown" && event.target === search) {
      event.preventDefault();
      list.focus();
    }
  };
  list.addEventListener("dblclick", pick);
  const form = h("div", { class: "picker", role: "group", "aria-labelledby": `${id}-label`,
                          dataset: { formKey: key }, onkeydown: keys },
    h("label", { for: id, id: `${id}-label`, class: "composer-label" }, label),
    search, list, status,
    h("p", { class: "field-hint", id: `${id}-hint` }, hint),
    h("div", { class: "form-actions" },
      h("button", { type: "button", class: "button button-small", onclick: onCancel }, "Cancel"),
      h("button", { type: "button", class: "button button-primary button-small", onclick: pick }, pickLabel)));
  fill();
  return form;
}
