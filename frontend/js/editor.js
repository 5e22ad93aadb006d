// The map page: header, outline, diagram and history; loading, saving and conflicts.
//
// Every write sends If-Match with the version the person saw. On a 412 the map is reloaded, the
// forms are rebuilt from the drafts (so what was typed stays), and a visible, spoken message
// says what happened. Another person's change is also picked up by polling (If-None-Match).

import { api, ConflictError } from "./api.js";
import { claimChanges } from "./claimform.js";
import { confirmDialog, formDialog } from "./dialog.js";
import { createDiagram } from "./diagram.js";
import { excerpt, h, icon, plural, timeElement } from "./dom.js";
import { Drafts } from "./drafts.js";
import { createExportMenu } from "./exportmenu.js";
import { createHistory } from "./history.js";
import { claimsBeneath, indexMap } from "./model.js";
import { announce, notify, notifyError } from "./notify.js";
import { formKey, outlineKeys, refreshClaims, renderOutline } from "./outline.js";

const POLL_KEY = "argmap.pollSeconds";

function pollSeconds() {
  const value = Number.parseFloat(localStorage.getItem(POLL_KEY) ?? "5");
  return Number.isFinite(value) ? value : 5;
}

/** Mount the editor for `params.id` (and `params.revision`) into `root`. */
export function mountEditor(root, params) {
  const state = {
    mapId: params.id,
    map: null, // the current map
    shown: null, // what the outline shows: the current map or a revision
    index: null,
    revision: params.revision ?? null,
    selected: null,
    openForm: null,
    drafts: new Drafts(params.id),
    busy: new Set(),
    evaluation: null,
    destroyed: false,
    writing: 0,
  };
  state.openForm = state.drafts.get("__open") || null;

  // ----- layout ---------------------------------------------------------------------------
  const titleText = h("span", { class: "map-title-text" }, "Loading…");
  const title = h("h1", { class: "map-title", tabindex: "-1", id: "page-heading" }, titleText);
  const stats = h("p", { class: "map-stats", "aria-live": "off" });
  const saveState = h("span", { class: "save-state", role: "status", "aria-live": "polite" });
  const exportMenu = createExportMenu(() => ({
    mapId: state.mapId, title: state.map?.title || "map", revision: state.revision,
    options: { ...diagram.options(), selected: state.selected },
  }));
  const historyButton = h("button", { type: "button", class: "button", "aria-controls": "side-history",
                                      onclick: () => showTab("history") }, icon("history"), "History");
  const header = h("header", { class: "editor-head" },
    h("a", { href: "#/", class: "back-link" }, icon("back"), "All maps"),
    h("div", { class: "title-block" },
      title,
      h("div", { class: "title-meta" }, stats, saveState)),
    h("div", { class: "head-actions" },
      h("button", { type: "button", class: "button", onclick: () => editDetails() }, icon("edit"), "Details"),
      historyButton,
      exportMenu,
      h("button", { type: "button", class: "button button-quiet", onclick: () => trashMap(),
                    "aria-label": "Move this map to the trash" }, icon("trash"), h("span", { class: "hide-narrow" }, "Trash"))));

  const conflictText = h("p", { class: "notice-text" });
  const conflict = h("div", { class: "notice notice-warning", id: "conflict-notice", hidden: true },
    icon("alert", { size: 18 }), conflictText,
    h("button", { type: "button", class: "icon-button", "aria-label": "Dismiss",
                  onclick: () => { conflict.hidden = true; } }, icon("close")));
  // The live region exists from the start (hidden notices are not announced when shown).
  const conflictLive = h("div", { class: "visually-hidden", role: "alert", "aria-live": "assertive",
                                  id: "conflict-live" });
  const revisionText = h("p", { class: "notice-text" });
  const revisionBanner = h("div", { class: "notice notice-info", hidden: true, role: "region",
                                    "aria-label": "Viewing an earlier revision" },
    icon("history", { size: 18 }), revisionText,
    h("div", { class: "notice-actions" },
      h("button", { type: "button", class: "button button-primary button-small",
                    onclick: () => restoreRevision(state.revision) }, "Restore this version"),
      h("button", { type: "button", class: "button button-small", onclick: () => viewRevision(null) },
        "Back to the current map")));

  const outline = h("div", { class: "outline", id: "outline" });
  const evaluationSummary = h("p", { class: "evaluation-summary", "aria-live": "polite" });
  const outlinePane = h("section", { class: "pane outline-pane", "aria-labelledby": "outline-heading" },
    h("div", { class: "pane-head" },
      h("h2", { class: "pane-title", id: "outline-heading" }, "Outline"),
      evaluationSummary,
      h("p", { class: "pane-hint", "aria-hidden": "true" }, "↑↓ move · S support · O object · E edit · Del delete"),
      h("p", { class: "visually-hidden", id: "outline-help" },
        "Arrow keys move between claims. On a claim: S adds a support, O an objection (a rebuttal when the claim objects), "
        + "U objects to the inference, L links a further premise, E or Enter edits, Delete deletes.")),
    outline);

  const diagram = createDiagram({
    onSelect: (id) => select(id, { focus: false, from: "diagram" }),
    onOptions: (options) => {
      if (options.status) loadEvaluation();
      else {
        state.evaluation = null;
        evaluationSummary.textContent = "";
        render();
      }
    },
  });
  const history = createHistory({
    knownClaims: () => {
      const texts = new Map((state.map?.claims || []).map((c) => [c.id, c.text]));
      for (const c of state.shown?.claims || []) if (!texts.has(c.id)) texts.set(c.id, c.text);
      return texts;
    },
    onView: (number) => viewRevision(number),
    onRestore: (number) => restoreRevision(number),
  });
  const tabs = {};
  const panels = {};
  const showTab = (name, { focus = true } = {}) => {
    for (const [key, tab] of Object.entries(tabs)) {
      const active = key === name;
      tab.setAttribute("aria-selected", String(active));
      tab.tabIndex = active ? 0 : -1;
      panels[key].hidden = !active;
    }
    if (name === "history") history.refresh(state.mapId, { viewing: state.revision, version: state.map?.version });
    if (focus) tabs[name].focus();
  };
  const tabList = h("div", { class: "tabs", role: "tablist", "aria-label": "Side panel" });
  for (const [name, label, content] of [["diagram", "Diagram", diagram.element], ["history", "History", history.element]]) {
    tabs[name] = h("button", { type: "button", role: "tab", id: `side-tab-${name}`, class: "tab",
                               "aria-controls": `side-${name}`, onclick: () => showTab(name, { focus: false }) }, label);
    panels[name] = h("div", { role: "tabpanel", id: `side-${name}`, class: "tab-panel",
                              "aria-labelledby": `side-tab-${name}` }, content);
    tabList.append(tabs[name]);
  }
  tabList.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      showTab(tabs.diagram.getAttribute("aria-selected") === "true" ? "history" : "diagram");
    }
  });
  const sidePane = h("section", { class: "pane side-pane", "aria-label": "Diagram and history" },
    tabList, ...Object.values(panels));

  const page = h("div", { class: "editor" }, header, conflictLive, conflict, revisionBanner,
    h("div", { class: "editor-body" }, outlinePane, sidePane));
  root.replaceChildren(page);
  showTab(state.revision ? "history" : "diagram", { focus: false });

  // ----- rendering ------------------------------------------------------------------------
  const outlineActions = {
    select: (id, options) => select(id, options),
    open: (form) => openForm(form),
    close: (key, claimId) => closeForm(key, claimId),
    draft: (key, value) => state.drafts.set(key, value),
    add: (form, text, key) => addClaim(form, text, key),
    save: (claim, draft, key) => saveClaim(claim, draft, key),
    remove: (claim) => removeClaim(claim),
    link: (relation, premise) => linkPremise(relation, premise),
    unlink: (relation, premise) => unlinkPremise(relation, premise),
  };
  const context = () => ({
    map: state.shown, index: state.index, readOnly: state.revision !== null,
    selected: state.selected, openForm: state.openForm, drafts: state.drafts,
    evaluation: state.evaluation, on: outlineActions,
  });
  outlineKeys(outline, context);

  function focusState() {
    const active = document.activeElement;
    if (!active || !outline.contains(active) || !active.dataset.focusKey) return null;
    return {
      key: active.dataset.focusKey,
      start: active.selectionStart ?? null,
      end: active.selectionEnd ?? null,
      scroll: outline.scrollTop,
    };
  }

  function restoreFocus(saved) {
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

  function render({ focus = null } = {}) {
    if (!state.shown) return;
    const saved = focusState();
    const scroll = outline.scrollTop;
    renderOutline(outline, context());
    outline.scrollTop = scroll;
    if (focus) focusKey(focus);
    else restoreFocus(saved);
    renderHeader();
  }

  /** Re-render only the cards of these claims, keeping focus and the caret. */
  function renderClaims(ids, { focus = null } = {}) {
    const saved = focusState();
    if (!refreshClaims(outline, context(), ids)) return render({ focus });
    if (focus) focusKey(focus);
    else restoreFocus(saved);
    return undefined;
  }

  function focusKey(key) {
    const element = outline.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    if (element) {
      element.focus({ preventScroll: true });
      element.scrollIntoView({ block: "nearest" });
    }
  }

  function renderHeader() {
    const map = state.map;
    titleText.textContent = map.title;
    document.title = `${map.title} · argmap`;
    stats.replaceChildren(
      `${plural(map.claims.length, "claim")} · ${plural(map.relations.length, "relation")} · version ${map.version} · changed `,
      timeElement(map.updated_at));
    if (state.revision !== null && state.shown) {
      revisionText.textContent = `You are viewing revision ${state.revision} (read only, ${plural(state.shown.claims.length, "claim")}). The current version is ${map.version}.`;
      revisionBanner.hidden = false;
    } else {
      revisionBanner.hidden = true;
    }
    page.classList.toggle("is-readonly", state.revision !== null);
  }

  function refreshSide() {
    diagram.show(state.mapId, { revision: state.revision, selected: state.selected, version: state.map.version });
    if (!panels.history.hidden) history.refresh(state.mapId, { viewing: state.revision, version: state.map.version });
  }

  // ----- selection and forms ----------------------------------------------------------------
  function select(id, { focus = false, from = "outline", card = null, original = false } = {}) {
    if (!state.index?.claims.has(id)) return;
    const previous = state.selected;
    state.selected = id;
    if (previous !== id) renderClaims([previous, id]);
    const target = card && !original
      ? outline.querySelector(`[data-focus-key="${CSS.escape(card.dataset.focusKey)}"]`)
      : outline.querySelector(`.claim-card[data-claim-id="${CSS.escape(id)}"]:not(.is-repeat)`);
    if (target) {
      for (const other of outline.querySelectorAll('.claim-card[tabindex="0"]')) other.tabIndex = -1;
      target.tabIndex = 0;
      if (focus) target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "nearest", behavior: from === "diagram" ? "smooth" : "auto" });
    }
    if (from === "diagram") announce(`Selected: ${excerpt(state.index.claims.get(id).text, 120)}`);
    diagram.select(id);
  }

  function setOpenForm(form) {
    state.openForm = form;
    state.drafts.set("__open", form);
  }

  function openForm(form) {
    if (state.revision !== null) return;
    const key = formKey(form);
    const touched = [state.openForm?.claim, state.selected, form.claim];
    setOpenForm({ ...form, key });
    state.selected = form.claim;
    renderClaims(touched);
    const field = form.type === "edit" ? `${key}:text` : form.type === "link" ? `${key}:search` : key;
    focusKey(field);
  }

  function closeForm(key, claimId) {
    state.drafts.delete(key);
    const touched = [state.openForm?.claim, claimId];
    setOpenForm(null);
    renderClaims(touched);
    const card = outline.querySelector(`.claim-card[data-claim-id="${CSS.escape(claimId)}"]:not(.is-repeat)`);
    card?.focus();
  }

  // ----- loading ------------------------------------------------------------------------------
  async function load({ reason = null, ownVersion = null } = {}) {
    const { data } = await api.getMap(state.mapId);
    if (state.destroyed) return;
    const before = state.map;
    state.map = data;
    if (state.revision === null) {
      state.shown = data;
      state.index = indexMap(data);
    }
    // A form whose claim or relation is gone cannot come back; keep its text in a message.
    const form = state.openForm;
    if (form && state.revision === null) {
      const gone = (form.claim && !state.index.claims.has(form.claim))
        || (form.relation && !state.index.relations.has(form.relation));
      if (gone) {
        const draft = state.drafts.get(form.key);
        const text = typeof draft === "string" ? draft : draft?.text;
        setOpenForm(null);
        if (text && text.trim()) {
          notify("The claim you were working on was deleted by someone else. Your text:", {
            kind: "warning", detail: text, timeout: 0,
          });
        }
        state.drafts.delete(form.key);
      }
    }
    if (state.selected && !state.index.claims.has(state.selected)) state.selected = null;
    render();
    refreshSide();
    if (diagram.options().status) loadEvaluation();
    if (reason === "conflict") {
      showConflict(`Someone else changed this map while you were working; it is now at version ${data.version}. `
        + "The map has been reloaded with their changes. Your unsaved text is kept: check it and save again.");
    } else if (reason === "poll" && before) {
      const kept = state.openForm && state.drafts.hasText(state.openForm.key) ? " Your unsaved text is kept." : "";
      showConflict(`This map was just changed by someone else (now version ${data.version}); the view is updated.${kept}`);
    } else if (ownVersion !== null && data.version > ownVersion) {
      notify("The map also shows changes that someone else made at the same time.", { kind: "info" });
    }
  }

  function showConflict(message) {
    conflictText.textContent = message;
    conflict.hidden = false;
    conflictLive.textContent = "";
    setTimeout(() => { conflictLive.textContent = message; }, 30);
  }

  async function loadRevision(number) {
    const { data } = await api.getRevision(state.mapId, number);
    if (state.destroyed || state.revision !== number) return;
    state.shown = data;
    state.index = indexMap(data);
    if (state.selected && !state.index.claims.has(state.selected)) state.selected = null;
    state.evaluation = null;
    render();
    refreshSide();
    if (diagram.options().status) loadEvaluation();
  }

  async function loadEvaluation() {
    const revision = state.revision;
    try {
      const { data } = await api.evaluation(state.mapId, { revision });
      if (!diagram.options().status || revision !== state.revision) return;
      state.evaluation = evaluationLabels(data);
      const counts = data.counts || {};
      evaluationSummary.textContent = [
        counts.in ? `${counts.in} stand` : null,
        counts.out ? `${counts.out} defeated` : null,
        counts.undecided ? `${counts.undecided} undecided` : null,
      ].filter(Boolean).join(" · ");
    } catch (error) {
      state.evaluation = null;
      evaluationSummary.textContent = "";
      if (error.status !== 404) notifyError(error, "The evaluation could not be loaded:");
    }
    render();
  }

  // ----- writing ------------------------------------------------------------------------------
  let queue = Promise.resolve();

  /**
   * Run `operation(version)` after the writes before it; reload the map afterwards. A 412
   * reloads the map and shows the conflict notice; other errors show a message.
   */
  function write(label, operation) {
    const run = async () => {
      if (state.destroyed) return null;
      state.writing += 1;
      saveState.textContent = "Saving…";
      try {
        const result = await operation(state.map.version);
        saveState.textContent = "All changes saved";
        await load({ ownVersion: result?.version ?? null });
        return result;
      } catch (error) {
        if (error instanceof ConflictError) {
          saveState.textContent = "Not saved: the map changed";
          try {
            await load({ reason: "conflict" });
          } catch (reloadError) {
            notifyError(reloadError, "Reloading the map failed:");
          }
        } else {
          saveState.textContent = "Not saved";
          notifyError(error, `${label} failed:`);
        }
        return null;
      } finally {
        state.writing -= 1;
      }
    };
    queue = queue.then(run, run);
    return queue;
  }

  async function addClaim(form, text, key) {
    if (state.busy.has(key)) return;
    const body = { text };
    if (form.type === "add") body.relation = { kind: form.kind, target_claim: form.claim };
    if (form.type === "undercut") body.relation = { kind: "objection", target_relation: form.relation };
    state.busy.add(key);
    const result = await write("Adding the claim", (version) => api.addClaim(state.mapId, body, version)
      .then((response) => {
        // Saved: the draft is done with before the map is reloaded and the forms rebuilt.
        state.drafts.delete(key);
        if (form.type !== "thesis") setOpenForm(null);
        state.selected = response.data.claim.id;
        return response;
      }));
    state.busy.delete(key);
    if (result) {
      const claim = result.data.claim;
      render({ focus: `claim:${claim.id}` });
      announce(`Added: ${excerpt(claim.text, 120)}`);
    }
  }

  async function saveClaim(claim, draft, key) {
    const current = state.index.claims.get(claim.id) || claim;
    const changes = claimChanges(current, draft);
    if (!Object.keys(changes).length) {
      closeForm(key, claim.id);
      return;
    }
    if (state.busy.has(key)) return;
    state.busy.add(key);
    const result = await write("Saving the claim", (version) =>
      api.updateClaim(state.mapId, claim.id, changes, version).then((response) => {
        state.drafts.delete(key);
        setOpenForm(null);
        return response;
      }));
    state.busy.delete(key);
    if (result) {
      render({ focus: `claim:${claim.id}` });
      announce("Claim saved");
    }
  }

  async function linkPremise(relation, premise) {
    const key = `link:${relation.id}`;
    const result = await write("Linking the premise", (version) =>
      api.updateRelation(state.mapId, relation.id, { premises: [...relation.premises, premise] }, version)
        .then((response) => {
          state.drafts.delete(key);
          setOpenForm(null);
          state.selected = premise;
          return response;
        }));
    if (result) {
      render({ focus: `claim:${premise}` });
      notify(`Linked “${excerpt(state.index.claims.get(premise)?.text, 60)}” as a further premise.`, { kind: "success" });
    }
  }

  async function unlinkPremise(relation, premise) {
    const result = await write("Unlinking the premise", (version) =>
      api.updateRelation(state.mapId, relation.id,
        { premises: relation.premises.filter((id) => id !== premise) }, version));
    if (result) notify("The claim is no longer a linked premise of that relation.", { kind: "success" });
  }

  async function removeClaim(claim) {
    if (!claim || state.revision !== null) return;
    const beneath = claimsBeneath(state.map, claim.id, state.index);
    const uses = state.map.relations.filter((r) => r.premises.includes(claim.id) || r.target_claim === claim.id);
    const alsoBeneath = h("input", { type: "checkbox", checked: true, id: "delete-beneath" });
    const extra = beneath.length
      ? h("label", { class: "control-check dialog-check", for: "delete-beneath" }, alsoBeneath,
          h("span", {}, `Also delete the ${plural(beneath.length, "claim")} beneath it that argue only about it`))
      : null;
    const details = [];
    if (uses.length) details.push(`Its ${plural(uses.length, "connection")} to other claims will be removed.`);
    details.push("You can undo this right after, or restore any earlier version from the history.");
    const confirmed = await confirmDialog({
      title: "Delete this claim?", message: `“${excerpt(claim.text, 200)}”`, details,
      confirmLabel: "Delete", danger: true, extra,
    });
    if (!confirmed) return;
    const ids = beneath.length && alsoBeneath.checked ? [...beneath, claim.id] : [claim.id];
    const parent = state.map.relations.find((r) => r.premises.includes(claim.id) && r.target_claim)?.target_claim;
    let before = null;
    let after = null;
    const result = await write("Deleting", async (version) => {
      before = version;
      let response = null;
      for (const id of ids) {
        response = await api.deleteClaim(state.mapId, id, version, { cascade: true });
        version = response.version;
        after = version;
      }
      if (state.selected && ids.includes(state.selected)) state.selected = parent || null;
      return response;
    });
    if (!result && after === null) return;
    if (state.selected) render({ focus: `claim:${state.selected}` });
    notify(ids.length > 1 ? `Deleted the claim and ${plural(ids.length - 1, "claim")} beneath it.` : "Deleted the claim.", {
      kind: "success",
      action: { label: "Undo", run: () => undoTo(before, after) },
    });
  }

  /** Undo = restore the revision before the change, if nothing else happened since. */
  async function undoTo(before, after) {
    try {
      await api.restoreRevision(state.mapId, before, after);
      await load();
      notify(`Undone: the map is as it was at version ${before}.`, { kind: "success" });
    } catch (error) {
      if (error instanceof ConflictError) {
        notify("Cannot undo: the map has changed since. Open the history to restore an earlier version.", {
          kind: "warning", action: { label: "Open history", run: () => showTab("history") },
        });
      } else {
        notifyError(error, "Undo failed:");
      }
    }
  }

  async function restoreRevision(number) {
    const confirmed = await confirmDialog({
      title: `Restore revision ${number}?`,
      message: "The map will be as it was after that change. This is itself a new change, so nothing is lost: you can go back again from the history.",
      confirmLabel: "Restore",
    });
    if (!confirmed) return;
    const result = await write("Restoring", (version) => api.restoreRevision(state.mapId, number, version));
    if (result) {
      if (state.revision !== null) viewRevision(null, { replace: true });
      notify(`Restored revision ${number} as version ${result.version}.`, { kind: "success" });
      history.reset();
      refreshSide();
    }
  }

  function viewRevision(number, { replace = false } = {}) {
    const hash = number === null ? `#/maps/${encodeURIComponent(state.mapId)}`
      : `#/maps/${encodeURIComponent(state.mapId)}/revisions/${number}`;
    if (replace) window.history.replaceState(null, "", hash);
    else window.location.hash = hash;
    if (replace) update({ id: state.mapId, revision: number });
  }

  async function editDetails() {
    const map = state.map;
    await formDialog({
      title: "Map details",
      fields: [
        { name: "title", label: "Title", value: map.title, required: true, maxlength: 200 },
        { name: "description", label: "Description", type: "textarea", value: map.description, rows: 4 },
      ],
      submit: async (values) => {
        const changes = {};
        if (values.title.trim() !== map.title) changes.title = values.title.trim();
        if (values.description.trim() !== map.description) changes.description = values.description.trim();
        if (!Object.keys(changes).length) return null;
        const result = await write("Saving the details", (version) => api.updateMap(state.mapId, changes, version));
        if (!result) throw new Error("Not saved; see the message.");
        return result;
      },
    });
  }

  async function trashMap() {
    const map = state.map;
    const result = await write("Moving to the trash", (version) => api.trashMap(state.mapId, version));
    if (!result) return;
    window.location.hash = "#/";
    notify(`Moved “${excerpt(map.title, 60)}” to the trash.`, {
      kind: "success",
      action: { label: "Undo", run: async () => {
        try {
          await api.restoreMap(map.id);
          window.location.hash = `#/maps/${encodeURIComponent(map.id)}`;
        } catch (error) {
          notifyError(error, "Restoring failed:");
        }
      } },
    });
  }

  // ----- polling --------------------------------------------------------------------------------
  let pollTimer = null;
  async function poll() {
    if (state.destroyed) return;
    const seconds = pollSeconds();
    if (seconds > 0 && document.visibilityState === "visible" && state.writing === 0 && state.map) {
      try {
        const response = await api.getMap(state.mapId, { knownVersion: state.map.version });
        if (response.status === 200 && response.data.version > state.map.version && state.writing === 0) {
          await load({ reason: "poll" });
        }
      } catch {
        /* the next poll tries again; writes report their own errors */
      }
    }
    if (!state.destroyed) pollTimer = setTimeout(poll, Math.max(1, seconds || 5) * 1000);
  }

  // ----- entry -----------------------------------------------------------------------------------
  async function start() {
    try {
      await load();
      if (state.revision !== null) await loadRevision(state.revision);
      title.focus({ preventScroll: true });
      const thesis = outline.querySelector('[data-focus-key="thesis"]');
      if (!state.map.claims.length && thesis) thesis.focus();
      else if (state.openForm) render({ focus: state.openForm.type === "edit" ? `${state.openForm.key}:text` : state.openForm.key });
      pollTimer = setTimeout(poll, Math.max(1, pollSeconds() || 5) * 1000);
    } catch (error) {
      root.replaceChildren(h("div", { class: "page-message" },
        h("h1", { tabindex: "-1", id: "page-heading" }, error.status === 404 ? "Map not found" : "The map could not be loaded"),
        h("p", {}, error.message),
        h("a", { href: "#/", class: "button" }, "Back to all maps")));
      document.getElementById("page-heading")?.focus();
    }
  }

  function update(next) {
    if (next.id !== state.mapId) return false;
    const revision = next.revision ?? null;
    if (revision === state.revision) return true;
    state.revision = revision;
    if (revision === null) {
      state.shown = state.map;
      state.index = indexMap(state.map);
      state.evaluation = null;
      render();
      refreshSide();
      load().catch((error) => notifyError(error));
    } else {
      loadRevision(revision).catch((error) => notifyError(error, "The revision could not be loaded:"));
    }
    return true;
  }

  start();
  return {
    update,
    destroy() {
      state.destroyed = true;
      clearTimeout(pollTimer);
    },
  };
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
