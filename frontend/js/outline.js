// The outline: theses on top, each claim's supports, objections and rebuttals nested beneath.
// Claims are cards in nested lists; one card at a time is in the tab order (arrow keys move).

import { claimEditor, claimPicker, composer, claimDraft } from "./claimform.js";
import { commentIcon } from "./comments.js";
import { excerpt, h, icon, plural } from "./dom.js";
import { buildOutline, KIND_LABEL, KIND_MARK, premiseCandidates } from "./model.js";
import { editingSentence } from "./presence.js";
import { verdictDetails, verdictOf, verdictWord } from "./verdicts.js";

function kindBadge(kind) {
  return h("span", { class: ["kind-badge", `kind-${kind}`] },
    h("span", { class: "kind-mark", "aria-hidden": "true" }, KIND_MARK[kind]),
    KIND_LABEL[kind]);
}

/** The verdict in one word (Stands, Defeated, Open): never a number beside it. */
function statusBadge(status) {
  if (!status || !status.label) return null;
  return h("span", { class: ["status-badge", `status-${status.label}`, `verdict-${verdictOf(status)}`],
                     title: status.explanation || null }, verdictWord(status));
}

function claimMeta(claim) {
  const items = [];
  if (claim.accepted) {
    items.push(h("span", { class: "meta-item meta-accepted", title: "The group accepts this claim as given" },
      icon("check", { size: 14 }), "Starting point"));
  }
  for (const tag of claim.tags || []) items.push(h("span", { class: "tag", dir: "auto" }, tag));
  if (claim.note) {
    items.push(h("span", { class: "meta-item", title: claim.note }, icon("note", { size: 14 }), "Note"));
  }
  if (claim.sources && claim.sources.length) {
    items.push(h("span", { class: "meta-item" }, icon("source", { size: 14 }),
      plural(claim.sources.length, "source")));
  }
  return items.length ? h("div", { class: "claim-meta" }, items) : null;
}

/**
 * The selected claim's verdict with its reasons and what would change it (`onMove` starts a move;
 * null for a reader), its author, note and sources, shown in full beneath its text.
 */
function claimDetails(claim, status, { onMove = null } = {}) {
  const parts = [];
  const verdict = verdictDetails(status, { onMove });
  if (verdict) parts.push(verdict);
  if (claim.author) parts.push(h("p", { class: "claim-author" }, "Added by ", h("bdi", {}, claim.author)));
  if (claim.note) parts.push(h("p", { class: "claim-note", dir: "auto" }, claim.note));
  if (claim.sources && claim.sources.length) {
    parts.push(h("ol", { class: "claim-sources", "aria-label": "Sources" },
      claim.sources.map((source) => h("li", {},
        source.url
          ? h("a", { href: source.url, target: "_blank", rel: "noopener noreferrer nofollow", dir: "auto" }, source.citation)
          : h("cite", { dir: "auto" }, source.citation),
        source.locator ? h("span", { class: "source-locator", dir: "auto" }, `, ${source.locator}`) : null,
        source.quote ? h("blockquote", { dir: "auto" }, source.quote) : null))));
  }
  const authorOnly = parts.length === 1 && claim.author;
  return parts.length ? h("div", { class: ["claim-details", authorOnly && "is-author-only"] }, parts) : null;
}

/**
 * What others are doing on a claim's card, kept up to date in place (`updateLive`): its open
 * comment threads (the claim's and those on the relation the card stands for) and who is editing it.
 */
function liveBadges(ctx, node) {
  const claim = node.claim;
  const counts = ctx.commentCounts || new Map();
  const own = counts.get(claim.id) || 0;
  const onRelation = node.relation ? counts.get(node.relation.id) || 0 : 0;
  const parts = [];
  if (own + onRelation) {
    const label = [own ? plural(own, "open comment thread") : null,
                   onRelation ? `${plural(onRelation, "open comment thread")} on its ${KIND_LABEL[node.kind].toLowerCase()}` : null]
      .filter(Boolean).join(", ");
    parts.push(h("button", {
      type: "button", class: "outline-comments", title: label, "aria-label": `${label}: show the comments`,
      dataset: { count: own + onRelation },
      onclick: () => ctx.on.comments?.(claim.id, own ? claim.id : node.relation.id),
    }, commentIcon(13), String(own + onRelation)));
  }
  const names = [...(ctx.editingBy?.get(claim.id) || []),
                 ...(node.relation ? ctx.editingBy?.get(node.relation.id) || [] : [])];
  if (names.length && !node.repeat) {
    parts.push(h("span", { class: "editing-marker", title: "They may save changes to it soon; yours will be merged" },
      h("span", { class: "editing-dot", "aria-hidden": "true" }), editingSentence([...new Set(names)])));
  }
  return h("span", { class: "claim-live" }, parts);
}

/**
 * Above an open form: someone else is editing the same claim or relation, or has saved a change
 * to it since the form opened (never blocks: saving merges, or asks where both changed a field).
 */
function formLock(ctx, form) {
  if (!form || (form.type !== "edit" && !form.relation)) return null;
  const names = [...new Set(ctx.editingBy?.get(form.type === "edit" ? form.claim : form.relation) || [])];
  const changedBy = ctx.formChangedBy || [];
  if (!names.length && !changedBy.length) return null;
  const what = form.type === "edit" ? "this claim" : "this relation";
  const lines = [];
  if (changedBy.length) {
    const who = changedBy.length === 1 ? changedBy[0] : `${changedBy.slice(0, -1).join(", ")} and ${changedBy[changedBy.length - 1]}`;
    lines.push(`${who} saved a change to ${what} since you began; the form still shows your version. `);
  }
  if (names.length) lines.push(`${editingSentence(names)} ${what} too. `);
  lines.push("You can still save: changes to different fields are merged, "
    + "and you choose what to keep where you both changed the same one.");
  return h("p", { class: "form-lock", role: "status" },
    h("span", { class: "editing-dot", "aria-hidden": "true" }), h("span", {}, lines.join("")));
}

function actionButton(label, iconName, shortcut, onclick, extra = {}) {
  return h("button", {
    type: "button", class: "action", onclick, "aria-keyshortcuts": shortcut, title: `${label} (${shortcut})`,
    ...extra,
  }, icon(iconName, { size: 15 }), h("span", {}, label),
  h("kbd", { class: "action-key", "aria-hidden": "true" }, shortcut === "Delete" ? "Del" : shortcut));
}

/** How many claims lie beneath a node of the outline (its reasons, their reasons…). */
function countBeneath(node) {
  let count = 0;
  for (const child of [...(node.children || []), ...(node.undercuts || [])]) {
    count += child.type === "linked" ? child.premises.length + countBeneathList(child.premises, child.children) : 1 + countBeneath(child);
  }
  return count;
}

function countBeneathList(premises, children) {
  let count = 0;
  for (const premise of premises) count += countBeneath(premise);
  for (const child of children || []) count += countBeneath({ children: [child] });
  return count;
}

/** What a card stands for, for the keys that apply to it (keys.js): from its data attributes. */
export function cardKeys(card) {
  if (!card) return null;
  return {
    relation: Boolean(card.dataset.relationId),
    linked: card.dataset.linked === "true",
    branch: card.dataset.branch === "true",
    folded: card.dataset.folded === "true",
  };
}

/** Builds outline items for one state of the editor (`ctx`); `places` collects the cards. */
function makeBuilder(ctx, places) {
  const { map, index, readOnly, on } = ctx;
  const objecting = index.objecting;

  function openFormFor(node) {
    const form = ctx.openForm;
    if (!form || readOnly || node.repeat || form.claim !== node.claim.id) return null;
    if (form.relation && node.relation?.id !== form.relation) return null;
    if (!form.relation && form.type !== "add" && form.type !== "edit") return null;
    return form;
  }

  function actionsBar(node) {
    const claim = node.claim;
    const rebut = objecting.has(claim.id);
    const buttons = [
      actionButton("Support", "plus", "S", () => on.open({ type: "add", kind: "support", claim: claim.id })),
      actionButton(rebut ? "Rebuttal" : "Objection", "minus", "O",
        () => on.open({ type: "add", kind: "objection", claim: claim.id })),
    ];
    if (node.relation) {
      buttons.push(actionButton("Object to inference", "undercut", "U",
        () => on.open({ type: "undercut", claim: claim.id, relation: node.relation.id })));
      buttons.push(actionButton("Co-premise", "plus", "P",
        () => on.open({ type: "copremise", claim: claim.id, relation: node.relation.id }),
        { title: "Add a new premise linked with this one (P)" }));
      buttons.push(actionButton("Link premise", "link", "L",
        () => on.open({ type: "link", claim: claim.id, relation: node.relation.id })));
      if (node.relation.premises.length > 1) {
        buttons.push(actionButton("Unlink", "close", "K", () => on.unlink(node.relation, claim.id)));
      }
    }
    buttons.push(actionButton("Edit", "edit", "E", () => on.open({ type: "edit", claim: claim.id })));
    buttons.push(actionButton("Delete", "trash", "Delete", () => on.remove(claim), { class: "action action-danger" }));
    return h("div", { class: "claim-actions", role: "toolbar", "aria-label": `Actions for this claim` }, buttons);
  }

  function formFor(node, form) {
    const claim = node.claim;
    const key = formKey(form);
    const draft = ctx.drafts.get(key);
    if (form.type === "edit") {
      let value = draft;
      if (!value || typeof value !== "object") {
        value = claimDraft(claim);
        ctx.drafts.set(key, value);
      }
      return claimEditor({
        claim, key, draft: value,
        onDraft: (changed) => on.draft(key, changed),
        onSave: (changed) => on.save(claim, changed, key),
        onCancel: () => on.close(key, claim.id),
      });
    }
    if (form.type === "link") {
      const relation = index.relations.get(form.relation);
      if (!relation) return null;
      return claimPicker({
        key, label: `Link a claim as a further premise, together with “${excerpt(claim.text, 50)}”`,
        hint: "The linked premises then support or object only together. Enter links the chosen claim; Esc cancels.",
        candidates: premiseCandidates(map, relation),
        draft, onDraft: (text) => on.draft(key, text),
        onPick: (premise) => on.link(relation, premise),
        onCancel: () => on.close(key, claim.id),
      });
    }
    let kind = form.kind;
    let label;
    if (form.type === "copremise") {
      const relation = index.relations.get(form.relation);
      if (!relation) return null;
      const target = relation.target_claim ? index.claims.get(relation.target_claim) : null;
      const verb = relation.kind === "objection" ? "object to" : "support";
      return composer({
        key, kind: relation.kind, draft: typeof draft === "string" ? draft : "",
        label: `New premise linked with “${excerpt(claim.text, 50)}”: together they ${verb} `
          + (target ? `“${excerpt(target.title || target.text, 50)}”` : "the inference"),
        placeholder: "The premise that goes with it…",
        onDraft: (text) => on.draft(key, text),
        onSubmit: (text) => on.add(form, text, key),
        onCancel: () => on.close(key, claim.id),
      });
    }
    if (form.type === "undercut") {
      kind = "undercut";
      label = `New objection to the inference from “${excerpt(claim.text, 50)}”`;
    } else if (kind === "support") {
      label = `New support for “${excerpt(claim.text, 50)}”`;
    } else {
      kind = objecting.has(claim.id) ? "rebuttal" : "objection";
      label = `New ${kind} to “${excerpt(claim.text, 50)}”`;
    }
    return composer({
      key, kind, label, draft: typeof draft === "string" ? draft : "",
      placeholder: kind === "support" ? "A reason that supports it…"
        : kind === "undercut" ? "Why it does not follow…" : "A reason against it…",
      onDraft: (text) => on.draft(key, text),
      onSubmit: (text) => on.add(form, text, key),
      onCancel: () => on.close(key, claim.id),
    });
  }

  function claimCard(node) {
    const claim = node.claim;
    const selected = ctx.selected === claim.id;
    const form = openFormFor(node);
    const editing = form && form.type === "edit";
    const status = ctx.evaluation?.get(claim.id);
    const beneath = node.repeat ? 0 : countBeneath(node);
    const folded = beneath > 0 && Boolean(ctx.collapsed?.has(claim.id));
    const linked = Boolean(node.relation && node.relation.premises.length > 1);
    const card = h("article", {
      class: ["claim-card", `kind-${node.kind}`, selected && "is-selected", node.repeat && "is-repeat",
              status && `has-status-${status.label}`, !node.repeat && ctx.isFlashing?.(claim.id) && "is-flash"],
      tabindex: "-1",
      dataset: { claimId: claim.id, relationId: node.relation?.id, focusKey: `claim:${claim.id}${node.repeat ? ":repeat" : ""}`,
                 linked: linked ? "true" : null, branch: beneath ? "true" : null, folded: folded ? "true" : null },
      "aria-expanded": beneath ? String(!folded) : null,
      // The keys that work on this card, for assistive technology (the hint line shows them too).
      "aria-keyshortcuts": node.repeat ? null : [
        ...(readOnly ? [] : ["S", "O", ...(node.relation ? ["U", "P", "L"] : []), ...(linked ? ["K"] : []), "E"]),
        ...(beneath ? ["C"] : []), ...(readOnly ? [] : ["Delete"]),
      ].join(" ") || null,
      "aria-current": selected ? "true" : null,
      "aria-label": `${KIND_LABEL[node.kind]}: ${excerpt(claim.text, 160)}`,
    },
      h("div", { class: "claim-head" },
        beneath ? foldButton(claim, beneath, folded) : null,
        kindBadge(node.kind),
        node.relation && node.relation.premises.length > 1 && node.type === "claim" && node.linked
          ? h("span", { class: "linked-badge" }, "linked") : null,
        statusBadge(status),
        node.repeat ? h("span", { class: "repeat-note" }, "appears above") : null,
        liveBadges(ctx, node)),
      editing ? null : h("p", { class: "claim-text", dir: "auto" }, claim.text),
      folded ? h("p", { class: "fold-note" }, `${plural(beneath, "claim")} beneath, collapsed`) : null,
      editing || node.repeat ? null : claimMeta(claim),
      selected && !editing && !node.repeat
        ? claimDetails(claim, status, { onMove: readOnly ? null : (move) => on.move?.(move) }) : null,
      selected && !readOnly && !node.repeat && !form ? actionsBar(node) : null,
      form ? formLock(ctx, form) : null,
      form ? formFor(node, form) : null,
      node.repeat && !readOnly
        ? h("button", { type: "button", class: "button button-small button-quiet",
                        onclick: () => on.select(claim.id, { focus: true, original: true }) },
            "Go to it")
        : null);
    return card;
  }

  function foldButton(claim, beneath, folded) {
    const what = plural(beneath, "claim");
    return h("button", {
      type: "button", class: ["fold-button", folded && "is-folded"], "aria-expanded": String(!folded),
      "aria-keyshortcuts": "C", "aria-label": folded ? `Expand: show the ${what} beneath` : `Collapse: hide the ${what} beneath`,
      title: `${folded ? "Expand" : "Collapse"} the ${what} beneath (C)`,
      onclick: () => on.fold?.(claim.id, !folded),
    }, icon("chevron", { size: 14 }));
  }

  function claimItem(node) {
    const card = claimCard(node);
    const place = { node, card };
    if (!places.has(node.claim.id)) places.set(node.claim.id, []);
    places.get(node.claim.id).push(place);
    const children = [...node.children, ...(node.undercuts || [])];
    const folded = !node.repeat && Boolean(ctx.collapsed?.has(node.claim.id));
    return h("li", { class: ["node", `node-${node.kind}`] },
      card,
      children.length ? h("ol", { class: "children", hidden: folded }, children.map(item)) : null);
  }

  function linkedItem(node) {
    const label = `Linked premises: ${node.kind === "support" ? "they support" : "they object"} only together`;
    for (const premise of node.premises) premise.linked = true;
    return h("li", { class: ["node", "node-linked", `node-${node.kind}`] },
      h("div", { class: "linked-head" }, kindBadge(node.kind), h("span", {}, label),
        readOnly || !node.relation ? null : h("button", {
          type: "button", class: "action", "aria-keyshortcuts": "P",
          title: "Add a new premise to these linked premises (P on a premise)",
          onclick: () => on.open({ type: "copremise", claim: node.premises[node.premises.length - 1].claim.id,
                                   relation: node.relation.id }),
        }, icon("plus", { size: 15 }), h("span", {}, "Add a premise"),
        h("kbd", { class: "action-key", "aria-hidden": "true" }, "P"))),
      h("ol", { class: "linked-premises", "aria-label": label }, node.premises.map(claimItem)),
      node.children.length ? h("ol", { class: "children" }, node.children.map(item)) : null);
  }

  const item = (node) => (node.type === "linked" ? linkedItem(node) : claimItem(node));
  return { item, claimCard };
}

/** Render the outline of `ctx.map` into `container`. */
export function renderOutline(container, ctx) {
  const { map, index, readOnly, on } = ctx;
  const roots = buildOutline(map, index);
  const places = new Map();
  const { item } = makeBuilder(ctx, places);
  container.outlinePlaces = places;

  const parts = [];
  if (roots.length) {
    parts.push(h("ol", { class: "outline-tree", "aria-label": "Claims", "aria-describedby": "outline-help" },
      roots.map(item)));
  } else {
    parts.push(h("div", { class: "empty-state" },
      h("p", { class: "empty-title" }, readOnly && !ctx.refuse ? "This revision has no claims." : "This map has no claims yet."),
      readOnly ? null : h("p", {}, "Start with the thesis: the claim the debate is about.")));
  }
  if (!readOnly) {
    const key = "thesis";
    parts.push(composer({
      key, kind: "thesis",
      label: roots.length ? "Add another thesis" : "Thesis",
      placeholder: "The claim under debate…",
      draft: ctx.drafts.get(key) || "",
      onDraft: (text) => on.draft(key, text),
      onSubmit: (text) => on.add({ type: "thesis" }, text, key),
      onCancel: null,
    }));
  }
  container.replaceChildren(...parts);
  rovingStop(container);
}

/** One card in the tab order: the selected claim's, or the first. */
function rovingStop(container) {
  for (const card of container.querySelectorAll('.claim-card[tabindex="0"]')) card.tabIndex = -1;
  const current = container.querySelector(".claim-card.is-selected:not(.is-repeat)")
    || container.querySelector(".claim-card");
  if (current) current.tabIndex = 0;
}

/**
 * Rebuild only the cards of the given claims (after a change of selection or of the open form):
 * on a big map a full render per arrow key would be slow. False when a full render is needed.
 */
export function refreshClaims(container, ctx, claimIds) {
  const places = container.outlinePlaces;
  if (!places) return false;
  const { claimCard } = makeBuilder(ctx, new Map());
  for (const id of new Set(claimIds)) {
    if (!id) continue;
    for (const place of places.get(id) || []) {
      const fresh = claimCard(place.node);
      place.card.replaceWith(fresh);
      place.card = fresh;
    }
  }
  rovingStop(container);
  return true;
}

/**
 * Bring the cards' comment counts, "is editing" markers and highlights up to date in place,
 * without rebuilding the cards (an open form keeps its focus, caret and composition).
 */
export function updateLive(container, ctx) {
  const places = container.outlinePlaces;
  if (!places) return;
  for (const list of places.values()) {
    for (const place of list) {
      const { node, card } = place;
      card.querySelector(":scope > .claim-head > .claim-live")?.replaceWith(liveBadges(ctx, node));
      card.classList.toggle("is-flash", !node.repeat && Boolean(ctx.isFlashing?.(node.claim.id)));
      const form = card.querySelector(":scope > [data-form-key]");
      const old = card.querySelector(":scope > .form-lock");
      const open = form && ctx.openForm && ctx.openForm.key === form.dataset.formKey ? ctx.openForm : null;
      const fresh = open ? formLock(ctx, open) : null;
      if (old && fresh) old.replaceWith(fresh);
      else if (old) old.remove();
      else if (fresh) form.before(fresh);
    }
  }
}

export function formKey(form) {
  if (form.type === "thesis") return "thesis";
  if (form.type === "add") return `add:${form.claim}:${form.kind}`;
  if (form.type === "edit") return `edit:${form.claim}`;
  return `${form.type}:${form.relation}`;
}

/** Mouse and keyboard handling for the outline container (delegated; survives re-renders). */
export function outlineKeys(container, getCtx) {
  container.addEventListener("click", (event) => {
    const card = event.target.closest?.(".claim-card");
    if (!card || event.target.closest("button, a, input, textarea, select, form, .picker")) return;
    if (window.getSelection()?.toString()) return; // selecting text to copy, not a claim
    getCtx().on.select(card.dataset.claimId, { focus: true, card });
  });
  container.addEventListener("keydown", (event) => {
    const card = event.target.closest?.(".claim-card");
    if (!card || event.target !== card || event.altKey || event.ctrlKey || event.metaKey) return;
    const ctx = getCtx();
    // Cards in a collapsed branch are not on view: the arrows pass them by.
    const cards = [...container.querySelectorAll(".claim-card")].filter((c) => !c.closest("[hidden]"));
    const at = cards.indexOf(card);
    const claimId = card.dataset.claimId;
    const moveTo = (target) => {
      if (!target) return;
      event.preventDefault();
      ctx.on.select(target.dataset.claimId, { focus: true, card: target });
    };
    const li = card.closest("li.node");
    switch (event.key) {
      case "ArrowDown": return moveTo(cards[at + 1]);
      case "ArrowUp": return moveTo(cards[at - 1]);
      case "Home": return moveTo(cards[0]);
      case "End": return moveTo(cards[cards.length - 1]);
      case "ArrowLeft": return moveTo(li?.parentElement?.closest("li.node:has(> .claim-card)")?.querySelector(":scope > .claim-card"));
      case "ArrowRight":
        if (card.dataset.folded === "true" && !card.classList.contains("is-repeat")) {
          event.preventDefault();
          return ctx.on.fold?.(claimId, false);
        }
        return moveTo(li?.querySelector(":scope > ol .claim-card"));
      case "c": case "C":
        if (card.dataset.branch !== "true" || card.classList.contains("is-repeat")) return undefined;
        event.preventDefault();
        return ctx.on.fold?.(claimId, card.dataset.folded !== "true");
      case "[": event.preventDefault(); return ctx.on.foldAll?.(true);
      case "]": event.preventDefault(); return ctx.on.foldAll?.(false);
      default: break;
    }
    if (card.classList.contains("is-repeat")) return;
    const change = shortcut(event.key.toLowerCase(), claimId, card.dataset.relationId, card.dataset.linked === "true");
    if (!change) return;
    if (ctx.readOnly) {
      // A reader's keys change nothing; `refuse` says why (a revision on view needs no words).
      if (ctx.refuse) {
        event.preventDefault();
        ctx.refuse();
      }
      return;
    }
    event.preventDefault();
    if (change === "delete") ctx.on.remove(ctx.index.claims.get(claimId));
    else if (change === "unlink") ctx.on.unlink(ctx.index.relations.get(card.dataset.relationId), claimId);
    else ctx.on.open(change);
  });
}

/** The form a key opens on a claim's card, "delete", or null for a key that changes nothing. */
function shortcut(key, claimId, relationId, linked) {
  if (key === "s") return { type: "add", kind: "support", claim: claimId };
  if (key === "o" || key === "r") return { type: "add", kind: "objection", claim: claimId };
  if (key === "e" || key === "enter" || key === "f2") return { type: "edit", claim: claimId };
  if (key === "u" && relationId) return { type: "undercut", claim: claimId, relation: relationId };
  if (key === "l" && relationId) return { type: "link", claim: claimId, relation: relationId };
  if (key === "p" && relationId) return { type: "copremise", claim: claimId, relation: relationId };
  if (key === "k" && relationId && linked) return "unlink";
  if (key === "delete" || key === "backspace") return "delete";
  return null;
}
