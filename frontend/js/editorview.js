// The map editor's page and how it is drawn from the state: the header (with who is here), the
// notices (conflict, revision on view), the outline and the side panel with the diagram, the
// history and the comments of the selected claim.
//
// `mountLayout` builds the page once and keeps its parts in `editor.ui`; the functions after it
// redraw those parts from `editor.state`. Nothing here changes the state: the buttons call the
// `actions` (editorcommands.js), the outline gets them as its `on` handlers.

import { loginHref } from "./account.js";
import { createComments } from "./comments.js";
import { createDiagram } from "./diagram.js";
import { excerpt, h, icon, plural, timeElement } from "./dom.js";
import { createExportMenu } from "./exportmenu.js";
import { createHistory } from "./history.js";
import { announce } from "./notify.js";
import { hintText } from "./keys.js";
import { cardKeys, outlineKeys, refreshClaims, renderOutline, updateLive } from "./outline.js";
import { avatar, editingSentence } from "./presence.js";
import { currentUser } from "./session.js";
import { balanceShown, ruleMeanings, ruleWords } from "./verdicts.js";

/** What a reader (viewer, commenter) is told when they try to change the map. */
export const READ_ONLY_NOTICE = "You can read this map; ask its owner for edit access.";

// ----- building the page ----------------------------------------------------------------------

/** Build the editor's page into `root`; its parts go to `editor.ui`. */
export function mountLayout(editor, root, actions) {
  const ui = { actions, tabs: {}, panels: {} };
  editor.ui = ui;
  const header = buildHeader(editor, ui);
  const conflict = buildConflictNotice(ui);
  const revisionBanner = buildRevisionBanner(editor, ui);
  const readerNotice = buildReaderNotice(ui);
  ui.diagram = createDiagram({
    onSelect: actions.selectFromDiagram, onOptions: actions.diagramOptions,
    onStatusUnavailable: (message) => statusUnavailable(ui, message),
  });
  const outlinePane = buildOutlinePane(editor, ui);
  ui.history = createHistory({
    knownClaims: () => knownClaims(editor.state),
    knownRelations: () => knownRelations(editor.state),
    mayRestore: () => editor.state.mayEdit,
    onView: actions.viewRevision,
    onRestore: actions.restoreRevision,
  });
  ui.comments = createComments(editor, {
    onCounts: (counts) => {
      renderLive(editor);
      ui.diagram.setCommentCounts?.(counts); // the diagram's badges, when it takes them from here
    },
  });
  const sidePane = buildSidePane(editor, ui);
  ui.page = h("div", { class: "editor" }, header, ui.conflictLive, conflict, readerNotice, revisionBanner,
    h("div", { class: "editor-body" }, outlinePane, sidePane));
  root.replaceChildren(ui.page);
  showTab(editor, editor.state.revision ? "history" : "diagram", { focus: false });
  outlineKeys(ui.outline, () => outlineContext(editor));
  // The hint line follows the card in focus (and the selection).
  ui.outline.addEventListener("focusin", () => renderHint(editor));
}

function buildHeader(editor, ui) {
  const { state } = editor;
  ui.titleText = h("span", { class: "map-title-text", dir: "auto" }, "Loading…");
  ui.title = h("h1", { class: "map-title", tabindex: "-1", id: "page-heading" }, ui.titleText);
  ui.stats = h("p", { class: "map-stats", "aria-live": "off" });
  // The group's rule of decision, drawn with the map (renderVerdictControls).
  ui.ruleWords = h("span", { class: "map-rule-words" });
  ui.ruleButton = h("button", {
    type: "button", class: "button button-small button-quiet map-rule-change", "aria-haspopup": "dialog",
    hidden: true, onclick: () => ui.actions.changeRule(),
  }, "Change rule");
  ui.rule = h("p", { class: "map-rule", hidden: true }, ui.ruleWords, ui.ruleButton);
  // The parts' meanings, behind a disclosure a keyboard reaches (hover text alone does not).
  ui.ruleMeanings = h("div");
  ui.ruleDetails = h("details", { class: "map-rule-details", hidden: true },
    h("summary", {}, "What the rule means"), ui.ruleMeanings);
  ui.saveState = h("span", { class: "save-state", role: "status", "aria-live": "polite" });
  ui.presence = h("div", { class: "presence", role: "group", "aria-label": "Who is here", hidden: true });
  const exportMenu = createExportMenu(() => ({
    mapId: state.mapId, title: state.map?.title || "map", revision: state.revision,
    options: { ...ui.diagram.options(), selected: state.selected },
  }));
  const historyButton = h("button", { type: "button", class: "button", "aria-controls": "side-history",
                                      onclick: () => showTab(editor, "history") }, icon("history"), "History");
  // Shown once the role is known (renderRole): only what the role allows.
  ui.detailsButton = h("button", { type: "button", class: "button", hidden: true,
                                   onclick: () => ui.actions.editDetails() }, icon("edit"), "Details");
  ui.shareButton = h("button", { type: "button", class: "button", hidden: true, "aria-haspopup": "dialog",
                                 onclick: () => ui.actions.share() }, icon("user"), "Share");
  ui.trashButton = h("button", { type: "button", class: "button button-quiet", hidden: true,
                                 onclick: () => ui.actions.trashMap(), "aria-label": "Move this map to the trash" },
    icon("trash"), h("span", { class: "hide-narrow" }, "Trash"));
  return h("header", { class: "editor-head" },
    h("a", { href: "#/", class: "back-link" }, icon("back"), "All maps"),
    h("div", { class: "title-block" },
      ui.title,
      h("div", { class: "title-meta" }, ui.stats, ui.saveState),
      ui.rule,
      ui.ruleDetails),
    h("div", { class: "head-actions" },
      ui.presence,
      ui.detailsButton,
      ui.shareButton,
      historyButton,
      exportMenu,
      ui.trashButton));
}

function buildReaderNotice(ui) {
  ui.readerNotice = h("div", { class: "notice notice-info", id: "reader-notice", hidden: true },
    icon("user", { size: 18 }), ui.readerText = h("p", { class: "notice-text" }));
  return ui.readerNotice;
}

/** Offer only what the person's role allows (the server checks it again). */
export function renderRole(editor) {
  const { state, ui } = editor;
  ui.detailsButton.hidden = !state.mayEdit;
  ui.shareButton.hidden = !state.isOwner;
  ui.trashButton.hidden = !state.isOwner;
  ui.restoreButton.hidden = !state.mayEdit;
  ui.readerNotice.hidden = state.mayEdit;
  ui.readerText.textContent = state.role
    ? `${READ_ONLY_NOTICE} (Your role: ${state.role}.)`
    : READ_ONLY_NOTICE;
  ui.page.classList.toggle("is-reader", !state.mayEdit);
}

function buildConflictNotice(ui) {
  ui.conflictText = h("p", { class: "notice-text" });
  ui.conflict = h("div", { class: "notice notice-warning", id: "conflict-notice", hidden: true },
    icon("alert", { size: 18 }), ui.conflictText,
    h("button", { type: "button", class: "icon-button", "aria-label": "Dismiss",
                  onclick: () => { ui.conflict.hidden = true; } }, icon("close")));
  // The live region exists from the start (hidden notices are not announced when shown).
  ui.conflictLive = h("div", { class: "visually-hidden", role: "alert", "aria-live": "assertive",
                               id: "conflict-live" });
  return ui.conflict;
}

function buildRevisionBanner(editor, ui) {
  ui.revisionText = h("p", { class: "notice-text" });
  ui.revisionBanner = h("div", { class: "notice notice-info", hidden: true, role: "region",
                                 "aria-label": "Viewing an earlier revision" },
    icon("history", { size: 18 }), ui.revisionText,
    h("div", { class: "notice-actions" },
      ui.restoreButton = h("button", { type: "button", class: "button button-primary button-small",
                                       onclick: () => ui.actions.restoreRevision(editor.state.revision) },
        "Restore this version"),
      h("button", { type: "button", class: "button button-small", onclick: () => ui.actions.viewRevision(null) },
        "Back to the current map")));
  return ui.revisionBanner;
}

function buildOutlinePane(editor, ui) {
  ui.outline = h("div", { class: "outline", id: "outline" });
  ui.evaluationSummary = h("p", { class: "evaluation-summary", "aria-live": "polite" });
  ui.hint = h("p", { class: "pane-hint", "aria-hidden": "true" }, hintText(null));
  const small = (label, keyName, onclick, extra = {}) => h("button", {
    type: "button", class: "button button-small button-quiet", onclick, "aria-keyshortcuts": keyName,
    title: `${label} (${keyName})`, ...extra,
  }, label, h("kbd", { class: "action-key", "aria-hidden": "true" }, keyName));
  ui.foldButtons = h("div", { class: "outline-tools", role: "group", "aria-label": "Outline" },
    small("Collapse all", "[", () => ui.actions.foldAll(true)),
    small("Expand all", "]", () => ui.actions.foldAll(false)),
    small("Keys", "?", () => ui.actions.keys(), { "aria-haspopup": "dialog" }));
  return h("section", { class: "pane outline-pane", "aria-labelledby": "outline-heading" },
    h("div", { class: "pane-head" },
      h("h2", { class: "pane-title", id: "outline-heading" }, "Outline"),
      ui.evaluationSummary,
      ui.foldButtons,
      buildVerdictControls(ui),
      ui.hint,
      h("p", { class: "visually-hidden", id: "outline-help" },
        "Arrow keys move between claims; left goes to the claim it argues about, right to its first reason. "
        + "On a claim: S adds a support, O an objection (a rebuttal when the claim objects), "
        + "U objects to the inference, P adds a new premise linked with it, L links an existing claim as a further premise, "
        + "K unlinks it, E or Enter edits, C collapses or expands its branch, Delete deletes. "
        + "Question mark lists every key.")),
    ui.outline);
}

/**
 * Above the outline: the status switch (verdicts in the outline, colours in the diagram) and the
 * support balance's.
 */
function buildVerdictControls(ui) {
  ui.statusSwitch = h("input", { type: "checkbox", checked: ui.diagram.options().status,
                                 onchange: () => ui.actions.statusColours(ui.statusSwitch.checked) });
  ui.balanceSwitch = h("input", { type: "checkbox", checked: balanceShown(),
                                  onchange: () => ui.actions.supportBalance(ui.balanceSwitch.checked) });
  ui.balanceControl = h("label", { class: "control control-check", title: "The support balance says how far supports outweigh objections; it is not the verdict" },
    ui.balanceSwitch, h("span", {}, "Show support balance"));
  return h("div", { class: "outline-switches", role: "group", "aria-label": "Verdicts" },
    h("label", { class: "control control-check", title: "Verdicts in the outline and colours in the diagram" },
      ui.statusSwitch, h("span", {}, "Status colours")),
    ui.balanceControl);
}

/** This server cannot colour by evaluation: the switch says why and stays off. */
function statusUnavailable(ui, message) {
  ui.statusSwitch.checked = false;
  ui.statusSwitch.disabled = true;
  ui.statusSwitch.parentElement.title = message;
}

/** The rule line under the title and the outline's switches, from the state (the rule of what is on view). */
function renderVerdictControls(editor) {
  const { state, ui } = editor;
  const rule = state.shown?.rule;
  ui.rule.hidden = !rule;
  ui.ruleWords.replaceChildren(...(rule ? ruleWords(rule).childNodes : []));
  ui.ruleDetails.hidden = !rule;
  ui.ruleMeanings.replaceChildren(...(rule ? [ruleMeanings(rule)] : []));
  ui.ruleButton.hidden = state.locked;
  const status = ui.diagram.options().status;
  if (!ui.statusSwitch.disabled) ui.statusSwitch.checked = status;
  ui.balanceControl.hidden = !status;
  ui.balanceSwitch.checked = balanceShown();
}

/** The hint line: the keys that apply to the selected claim (or the card in focus). */
export function renderHint(editor) {
  const { state, ui } = editor;
  if (!ui.hint) return;
  const active = document.activeElement;
  const focused = active?.classList?.contains("claim-card") && ui.outline.contains(active) ? active : null;
  const card = focused || (state.selected
    ? ui.outline.querySelector(`.claim-card[data-claim-id="${CSS.escape(state.selected)}"]:not(.is-repeat)`)
    : null);
  const on = card && !card.classList.contains("is-repeat") ? cardKeys(card) : null;
  const rebuttal = Boolean(card && state.index?.objecting.has(card.dataset.claimId));
  ui.hint.textContent = hintText(on, { locked: state.locked, rebuttal });
}

/** The side panel: a tab for the diagram, one for the history, one for the comments. */
function buildSidePane(editor, ui) {
  const { tabs, panels } = ui;
  const tabList = h("div", { class: "tabs", role: "tablist", "aria-label": "Side panel" });
  const names = ["diagram", "history", "comments"];
  for (const [name, label, content] of [["diagram", "Diagram", ui.diagram.element], ["history", "History", ui.history.element],
                                        ["comments", "Comments", ui.comments.element]]) {
    tabs[name] = h("button", { type: "button", role: "tab", id: `side-tab-${name}`, class: "tab",
                               "aria-controls": `side-${name}`, onclick: () => showTab(editor, name, { focus: false }) }, label);
    panels[name] = h("div", { role: "tabpanel", id: `side-${name}`, class: "tab-panel",
                              "aria-labelledby": `side-tab-${name}` }, content);
    tabList.append(tabs[name]);
  }
  tabList.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      const at = names.findIndex((name) => tabs[name].getAttribute("aria-selected") === "true");
      const step = event.key === "ArrowRight" ? 1 : names.length - 1;
      showTab(editor, names[(at + step) % names.length]);
    }
  });
  return h("section", { class: "pane side-pane", "aria-label": "Diagram, history and comments" },
    tabList, ...Object.values(panels));
}

/** Claims for the history's descriptions (titles first): the current map's, then those only in the revision. */
function knownClaims(state) {
  const texts = new Map((state.map?.claims || []).map((c) => [c.id, c.title || c.text]));
  for (const c of state.shown?.claims || []) if (!texts.has(c.id)) texts.set(c.id, c.title || c.text);
  return texts;
}

/** Relations for the history's descriptions, the same way. */
function knownRelations(state) {
  const relations = new Map((state.map?.relations || []).map((r) => [r.id, r]));
  for (const r of state.shown?.relations || []) if (!relations.has(r.id)) relations.set(r.id, r);
  return relations;
}

/** What the outline draws from (see outline.js). */
function outlineContext(editor) {
  const { state, ui } = editor;
  return {
    map: state.shown, index: state.index, readOnly: state.locked,
    refuse: state.mayEdit ? null : ui.actions.refuse,
    selected: state.selected, openForm: state.openForm, drafts: state.drafts, collapsed: state.collapsed,
    evaluation: state.evaluation, on: ui.actions.outline,
    commentCounts: state.commentCounts,
    editingBy: editor.presence ? editor.presence.editingMap() : new Map(),
    isFlashing: (id) => state.isFlashing(id),
    formChangedBy: state.formChangedBy(),
  };
}

// ----- others: who is here, their changes, comment counts ---------------------------------------

const FLASH_MS = 4000;

/** Bring the outline's live parts (counts, "is editing", highlights) and the header up to date. */
export function renderLive(editor) {
  const { ui } = editor;
  if (!editor.state.shown || !ui.outline.outlinePlaces) return;
  updateLive(ui.outline, outlineContext(editor));
  renderPresence(editor);
}

/** Highlight the cards of claims someone just changed, for a few seconds. */
export function flashClaims(editor, ids) {
  editor.state.flash(ids, FLASH_MS);
  renderLive(editor);
  clearTimeout(editor.ui.flashTimer);
  editor.ui.flashTimer = setTimeout(() => renderLive(editor), FLASH_MS + 50);
}

/** The others on this map, as avatars in the header, with what they are editing. */
export function renderPresence(editor) {
  const { state, ui } = editor;
  const others = editor.presence ? editor.presence.others() : [];
  ui.presence.hidden = !others.length;
  if (!others.length) {
    ui.presence.replaceChildren();
    return;
  }
  const shown = others.slice(0, 5);
  const describe = (person) => {
    const editing = person.editing && (state.index?.claims.get(person.editing)?.text
      ?? (state.index?.relations.has(person.editing) ? "a relation" : null));
    return editing ? `${editingSentence([person.display_name])} “${excerpt(editing, 60)}”` : `${person.display_name} is here`;
  };
  ui.presence.replaceChildren(
    h("span", { class: "presence-label" }, "Here:"),
    ...shown.map((person) => h("span", {
      class: ["presence-person", person.editing && "is-editing"], title: describe(person),
      dataset: { personId: person.id },
    }, avatar(person), h("span", { class: "presence-name", dir: "auto" }, person.display_name),
    h("span", { class: "visually-hidden" }, person.editing ? ` (${describe(person)})` : ""))),
    ...(others.length > shown.length ? [h("span", { class: "presence-more" }, `+${others.length - shown.length}`)] : []));
}

// ----- drawing from the state -----------------------------------------------------------------

/** Redraw the outline and the header, keeping focus, caret and scroll (or focusing `focus`). */
export function render(editor, { focus = null } = {}) {
  const { state, ui } = editor;
  if (!state.shown) return;
  const saved = focusState(ui.outline);
  const scroll = ui.outline.scrollTop;
  renderOutline(ui.outline, outlineContext(editor));
  ui.outline.scrollTop = scroll;
  if (focus) focusKey(editor, focus);
  else restoreFocus(ui.outline, saved);
  renderHeader(editor);
  renderPresence(editor);
  renderHint(editor);
  ui.comments.follow(state.readOnly ? null : state.selected, { visible: false });
}

/** Re-render only the cards of these claims, keeping focus and the caret. */
export function renderClaims(editor, ids, { focus = null } = {}) {
  const { outline } = editor.ui;
  const saved = focusState(outline);
  if (!refreshClaims(outline, outlineContext(editor), ids)) return render(editor, { focus });
  if (focus) focusKey(editor, focus);
  else restoreFocus(outline, saved);
  return undefined;
}

function focusState(outline) {
  const active = document.activeElement;
  if (!active || !outline.contains(active) || !active.dataset.focusKey) return null;
  return {
    key: active.dataset.focusKey,
    start: active.selectionStart ?? null,
    end: active.selectionEnd ?? null,
    scroll: outline.scrollTop,
  };
}

function restoreFocus(outline, saved) {
  if (!saved) return;
  const element = outline.querySelector(`[data-focus-key="${CSS.escape(saved.key)}"]`);
  if (!element) return;
  element.focus({ preventScroll: true });
  if (saved.start !== null && typeof element.setSelectionRange === "function") {
    try {
      element.setSelectionRange(saved.start, saved.end);
    } catch {
      /* not a text field */
    }
  }
}

/** Focus the outline element with this focus key (a card, a form field) and bring it into view. */
export function focusKey(editor, key) {
  const element = editor.ui.outline.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
  if (element) {
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest" });
  }
}

/** Focus the card of a claim where it first appears (not a repeat of it). */
export function focusCard(editor, claimId) {
  originalCard(editor.ui.outline, claimId)?.focus();
}

function originalCard(outline, claimId) {
  return outline.querySelector(`.claim-card[data-claim-id="${CSS.escape(claimId)}"]:not(.is-repeat)`);
}

function renderHeader(editor) {
  const { state, ui } = editor;
  const map = state.map;
  ui.titleText.textContent = map.title;
  document.title = `${map.title} · argmap`;
  ui.stats.replaceChildren(
    `${plural(map.claims.length, "claim")} · ${plural(map.relations.length, "relation")} · version ${map.version} · changed `,
    timeElement(map.updated_at));
  if (state.revision !== null && state.shown) {
    ui.revisionText.textContent = `You are viewing revision ${state.revision} (read only, ${plural(state.shown.claims.length, "claim")}). The current version is ${map.version}.`;
    ui.revisionBanner.hidden = false;
  } else {
    ui.revisionBanner.hidden = true;
  }
  ui.page.classList.toggle("is-readonly", state.revision !== null);
  renderVerdictControls(editor);
}

/**
 * Make the selected claim's card the one Tab reaches (focusing it if asked), and tell the diagram.
 * `card` is the card the selection came from (a repeat of the claim, say), unless `original`.
 */
export function showSelected(editor, id, { focus, from, card, original }) {
  const { state, ui } = editor;
  const target = card && !original
    ? ui.outline.querySelector(`[data-focus-key="${CSS.escape(card.dataset.focusKey)}"]`)
    : originalCard(ui.outline, id);
  if (target) {
    for (const other of ui.outline.querySelectorAll('.claim-card[tabindex="0"]')) other.tabIndex = -1;
    target.tabIndex = 0;
    if (focus) target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "nearest", behavior: from === "diagram" ? "smooth" : "auto" });
  }
  renderHint(editor);
  if (from === "diagram") announce(`Selected: ${excerpt(state.index.claims.get(id).text, 120)}`);
  ui.diagram.select(id);
  ui.comments.follow(id, { visible: !ui.panels.comments.hidden });
}

/** Redraw the diagram, and the history when it is on view; `resetHistory` forgets its pages first. */
export function refreshSide(editor, { resetHistory = false } = {}) {
  const { state, ui } = editor;
  if (resetHistory) ui.history.reset();
  ui.diagram.show(state.mapId, { revision: state.revision, selected: state.selected, version: state.map.version });
  if (!ui.panels.history.hidden) ui.history.refresh(state.mapId, { viewing: state.revision, version: state.map.version });
}

export function showTab(editor, name, { focus = true } = {}) {
  const { state, ui } = editor;
  for (const [key, tab] of Object.entries(ui.tabs)) {
    const active = key === name;
    tab.setAttribute("aria-selected", String(active));
    tab.tabIndex = active ? 0 : -1;
    ui.panels[key].hidden = !active;
  }
  if (name === "history") ui.history.refresh(state.mapId, { viewing: state.revision, version: state.map?.version });
  if (name === "comments") ui.comments.follow(state.selected, { visible: true });
  if (focus) ui.tabs[name].focus();
}

/** How many claims stand, are defeated and are open, above the outline; null clears it. */
export function showEvaluationSummary(editor, evaluation) {
  const counts = evaluation?.counts || {};
  const verdicts = evaluation?.verdicts
    || (evaluation ? { stands: counts.in, defeated: counts.out, open: counts.undecided } : null);
  editor.ui.evaluationSummary.textContent = verdicts
    ? [
        verdicts.stands ? `${verdicts.stands} ${verdicts.stands === 1 ? "stands" : "stand"}` : null,
        verdicts.defeated ? `${verdicts.defeated} defeated` : null,
        verdicts.open ? `${verdicts.open} open` : null,
      ].filter(Boolean).join(" · ")
    : "";
}

export function showSaveState(editor, text) {
  editor.ui.saveState.textContent = text;
}

/** Show the conflict notice and say it through the live region. */
export function showConflict(editor, message) {
  const { ui } = editor;
  ui.conflictText.textContent = message;
  ui.conflict.hidden = false;
  ui.conflictLive.textContent = "";
  setTimeout(() => { ui.conflictLive.textContent = message; }, 30);
}

/** Where focus goes once the map is loaded: the title, the empty map's thesis, or the open form. */
export function focusStart(editor) {
  const { state, ui } = editor;
  ui.title.focus({ preventScroll: true });
  const thesis = ui.outline.querySelector('[data-focus-key="thesis"]');
  if (!state.map.claims.length && thesis) thesis.focus();
  else if (state.openForm) render(editor, { focus: state.openForm.type === "edit" ? `${state.openForm.key}:text` : state.openForm.key });
}

/** In place of the page, when the map could not be loaded. */
export function showLoadError(root, error) {
  const signIn = !currentUser() && (error.status === 404 || error.status === 401);
  root.replaceChildren(h("div", { class: "page-message" },
    h("h1", { tabindex: "-1", id: "page-heading" }, error.status === 404 ? "Map not found" : "The map could not be loaded"),
    h("p", {}, error.message),
    h("div", { class: "page-message-actions" },
      signIn ? h("a", { href: loginHref(), class: "button button-primary" }, "Sign in") : null,
      h("a", { href: "#/", class: "button" }, "Back to all maps"))));
  document.getElementById("page-heading")?.focus();
}
