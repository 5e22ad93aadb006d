// Comments: the thread panel of the selected claim (or of its relation) in the side pane, and the
// open-comment counts the outline shows per claim.
//
// Threads are one level deep: a first comment and its replies (GET /maps/{id}/comments?target=).
// Whoever may comment (commenter and up) writes and replies; the author edits and deletes their
// own, the owner deletes any; editors and owners resolve and reopen a thread. Buttons the
// person's role cannot use are not shown (the server checks again). The counts come from every
// open thread of the map (GET /maps/{id}/comments) and are refreshed after each change, ours or
// one the event stream reports.

import { api } from "./api.js";
import { confirmDialog } from "./dialog.js";
import { excerpt, h, icon, plural, timeElement } from "./dom.js";
import { KIND_LABEL, relationKind } from "./model.js";
import { announce, notifyError } from "./notify.js";
import { currentUser, roleAtLeast } from "./session.js";

const SVG_NS = "http://www.w3.org/2000/svg";

/** A speech-bubble icon (the shared icon set has none). */
export function commentIcon(size = 14) {
  const svg = document.createElementNS(SVG_NS, "svg");
  for (const [name, value] of Object.entries({
    viewBox: "0 0 24 24", width: size, height: size, fill: "none", stroke: "currentColor",
    "stroke-width": 2, "stroke-linecap": "round", "stroke-linejoin": "round", class: "icon",
    "aria-hidden": "true", focusable: "false",
  })) svg.setAttribute(name, String(value));
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", "M4 5h16v11H9l-5 4z");
  svg.append(path);
  return svg;
}

/** Open (unresolved) threads per target (claim or relation id) from a Comments answer, as the
 * diagram counts them too. */
export function openCounts(data) {
  const counts = new Map();
  for (const thread of data?.threads || []) {
    if (thread.resolved) continue;
    counts.set(thread.target, (counts.get(thread.target) || 0) + 1);
  }
  return counts;
}

/**
 * The comments part of one editor. `editor.state` gives the map, the role and the selection;
 * `onCounts(counts)` is called with the open counts whenever they are reloaded.
 */
export function createComments(editor, { onCounts }) {
  const { state } = editor;
  const heading = h("h2", { class: "comments-heading", id: "comments-heading" }, "Comments");
  const targetBar = h("div", { class: "comments-targets", role: "group", "aria-label": "Comments on" });
  const list = h("div", { class: "comment-threads", "aria-live": "polite" });
  const composerBox = h("div", { class: "comment-new" });
  const element = h("div", { class: "comments-panel", "aria-labelledby": "comments-heading" },
    heading, targetBar, list, composerBox);
  let target = null; // the claim or relation whose threads are shown
  let claimId = null; // the selected claim the panel follows
  let threads = [];
  let loading = null;
  let editing = null; // id of the comment being edited
  let replying = null; // id of the thread being replied to
  // What was typed, by box: kept with the map's drafts (a redraw, a reload, another tab).
  const drafts = {
    has: (key) => editor.state.drafts.has(`comment:${key}`),
    get: (key) => editor.state.drafts.get(`comment:${key}`),
    set: (key, value) => editor.state.drafts.set(`comment:${key}`, value),
    delete: (key) => editor.state.drafts.delete(`comment:${key}`),
  };

  const me = () => currentUser()?.id ?? null;
  const mayComment = () => roleAtLeast(state.role, "commenter");
  const mayResolve = () => roleAtLeast(state.role, "editor");
  const mayDeleteAny = () => state.role === "owner";

  /** What the person may comment on about `claim`: the claim, and the relations it argues in. */
  function targetsOf(id) {
    const index = state.index;
    if (!index?.claims.has(id)) return [];
    const found = [{ id, label: "This claim" }];
    for (const relation of index.premiseOf.get(id) || []) {
      const kind = relationKind(index, relation);
      const aim = relation.target_claim
        ? `“${excerpt(index.claims.get(relation.target_claim)?.text, 40)}”`
        : "an inference";
      found.push({ id: relation.id, label: `Its ${KIND_LABEL[kind].toLowerCase()} of ${aim}` });
    }
    return found;
  }

  function drawTargets() {
    const options = claimId ? targetsOf(claimId) : [];
    targetBar.hidden = options.length < 2;
    targetBar.replaceChildren(...options.map((option) => h("button", {
      type: "button", class: ["button", "button-small", "comments-target"],
      "aria-pressed": String(option.id === target),
      onclick: () => { target = option.id; draw(); refresh(); },
    }, option.label, counted(option.id))));
  }

  function counted(id) {
    const count = state.commentCounts?.get(id) || 0;
    return count ? h("span", { class: "comment-count-inline" }, ` · ${count}`) : null;
  }

  /** Redraw, keeping the focus and caret of a comment box being typed in. */
  function draw() {
    const active = document.activeElement;
    const key = active && element.contains(active) ? active.dataset.focusKey : null;
    const caret = key ? [active.selectionStart, active.selectionEnd] : null;
    drawPanel();
    if (!key) return;
    const again = element.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    if (!again) return;
    again.focus({ preventScroll: true });
    if (caret && caret[0] !== null && typeof again.setSelectionRange === "function") again.setSelectionRange(...caret);
  }

  function drawPanel() {
    if (!claimId || !state.index?.claims.has(claimId)) {
      heading.textContent = "Comments";
      targetBar.hidden = true;
      list.replaceChildren(h("p", { class: "panel-intro" }, "Select a claim to read and write its comments."));
      composerBox.replaceChildren();
      return;
    }
    heading.textContent = `Comments on “${excerpt(state.index.claims.get(claimId).text, 70)}”`;
    drawTargets();
    if (!threads.length) {
      list.replaceChildren(h("p", { class: "panel-intro" }, loading ? "Loading…" : "No comments yet."));
    } else {
      list.replaceChildren(h("ol", { class: "thread-list", "aria-label": "Threads" }, threads.map(threadItem)));
    }
    composerBox.replaceChildren(mayComment() && !state.readOnly
      ? textBox({ key: `new:${target}`, label: "Add a comment", submitLabel: "Comment",
                  onSubmit: (text) => add(text) })
      : h("p", { class: "field-hint" }, state.readOnly ? "" : "Your role on this map lets you read the comments."));
  }

  function textBox({ key, label, submitLabel, onSubmit, onCancel = null, value = "" }) {
    const id = `comment-box-${key.replace(/[^\w-]/g, "-")}`;
    const box = h("textarea", { id, class: "comment-input", rows: 2, maxlength: 5000, dataset: { focusKey: key } });
    box.value = drafts.has(key) ? drafts.get(key) : value;
    box.addEventListener("input", () => drafts.set(key, box.value));
    const form = h("form", {
      class: "comment-form",
      onsubmit: async (event) => {
        event.preventDefault();
        const text = box.value.trim();
        if (!text) {
          box.setAttribute("aria-invalid", "true");
          box.focus();
          return;
        }
        form.setAttribute("aria-busy", "true");
        box.readOnly = true;
        const done = await onSubmit(text);
        box.readOnly = false;
        form.removeAttribute("aria-busy");
        if (done) {
          // Sent: the box (drawn again by now, from the draft) starts empty.
          drafts.delete(key);
          const again = element.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
          if (again) again.value = "";
        }
      },
      onkeydown: (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          form.requestSubmit();
        } else if (event.key === "Escape" && onCancel) {
          event.preventDefault();
          event.stopPropagation();
          onCancel();
        }
      },
    },
      h("label", { for: id, class: "comment-label" }, label),
      box,
      h("div", { class: "form-actions" },
        onCancel ? h("button", { type: "button", class: "button button-small", onclick: onCancel }, "Cancel") : null,
        h("button", { type: "submit", class: "button button-primary button-small" }, submitLabel)));
    return form;
  }

  function commentBody(comment, { first }) {
    const own = comment.author && comment.author.id === me();
    const actions = [];
    if (own && mayComment()) {
      actions.push(h("button", { type: "button", class: "button button-small button-quiet",
                                 onclick: () => { editing = comment.id; draw(); focusBox(`edit:${comment.id}`); } }, "Edit"));
    }
    if ((own && mayComment()) || mayDeleteAny()) {
      actions.push(h("button", { type: "button", class: "button button-small button-quiet",
                                 onclick: () => remove(comment, first) }, "Delete"));
    }
    if (first && mayResolve()) {
      actions.push(h("button", { type: "button", class: "button button-small button-quiet",
                                 onclick: () => resolve(comment, !comment.resolved) },
        comment.resolved ? "Reopen" : "Resolve"));
    }
    return h("div", { class: "comment", dataset: { commentId: comment.id } },
      h("p", { class: "comment-head" },
        h("span", { class: "comment-author", dir: "auto" }, comment.author?.display_name || comment.author_name || "Someone"),
        timeElement(comment.created_at),
        comment.edited_at ? h("span", { class: "comment-edited", title: `Edited` }, "edited") : null),
      editing === comment.id
        ? textBox({ key: `edit:${comment.id}`, label: "Edit your comment", submitLabel: "Save", value: comment.text,
                    onSubmit: (text) => edit(comment, text),
                    onCancel: () => { editing = null; drafts.delete(`edit:${comment.id}`); draw(); } })
        : h("p", { class: "comment-text", dir: "auto" }, comment.text),
      actions.length && editing !== comment.id ? h("div", { class: "comment-actions" }, actions) : null);
  }

  function threadItem(thread) {
    const replies = thread.replies || [];
    return h("li", { class: ["thread", thread.resolved && "is-resolved"], dataset: { threadId: thread.id } },
      thread.resolved
        ? h("p", { class: "thread-resolved" }, icon("check", { size: 14 }),
            `Resolved${thread.resolved_by ? ` by ${thread.resolved_by}` : ""}`)
        : null,
      commentBody(thread, { first: true }),
      replies.length
        ? h("ol", { class: "replies", "aria-label": plural(replies.length, "reply", "replies") },
            replies.map((reply) => h("li", { class: "reply" }, commentBody(reply, { first: false }))))
        : null,
      mayComment() && !state.readOnly && !thread.resolved
        ? (replying === thread.id
            ? textBox({ key: `reply:${thread.id}`, label: "Your reply", submitLabel: "Reply",
                        onSubmit: (text) => add(text, thread.id),
                        onCancel: () => { replying = null; draw(); } })
            : h("button", { type: "button", class: "button button-small thread-reply",
                            onclick: () => { replying = thread.id; draw(); focusBox(`reply:${thread.id}`); } },
                "Reply"))
        : null);
  }

  function focusBox(key) {
    element.querySelector(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
  }

  // ----- talking to the server ------------------------------------------------------------------

  /** Reload the shown thread (and the counts). */
  async function refresh() {
    const shown = target;
    if (!shown) {
      draw();
      return refreshCounts();
    }
    loading = shown;
    const counts = refreshCounts();
    try {
      const { data } = await api.listComments(state.mapId, shown);
      if (shown !== target) return counts;
      threads = data.threads || [];
    } catch (error) {
      if (shown === target) notifyError(error, "The comments could not be loaded:");
    } finally {
      if (loading === shown) loading = null;
    }
    draw();
    return counts;
  }

  async function refreshCounts() {
    try {
      const { data } = await api.listComments(state.mapId);
      state.setCommentCounts(openCounts(data));
      onCounts(state.commentCounts);
      drawTargets();
    } catch {
      /* the counts are a hint; the next change tries again */
    }
  }

  async function run(what, operation) {
    try {
      await operation();
      await refresh();
      return true;
    } catch (error) {
      notifyError(error, `${what} failed:`);
      return false;
    }
  }

  async function add(text, parent = null) {
    const done = await run(parent ? "Replying" : "Commenting", async () => {
      await api.addComment(state.mapId, parent ? { target, text, parent } : { target, text });
      if (parent) replying = null;
    });
    if (done) announce(parent ? "Reply added" : "Comment added");
    return done;
  }

  function edit(comment, text) {
    return run("Saving the comment", async () => {
      await api.updateComment(state.mapId, comment.id, { text });
      editing = null;
    });
  }

  async function remove(comment, first) {
    const replies = first ? threads.find((t) => t.id === comment.id)?.replies?.length || 0 : 0;
    const confirmed = await confirmDialog({
      title: "Delete this comment?", message: `“${excerpt(comment.text, 200)}”`,
      details: replies ? [`Its ${plural(replies, "reply", "replies")} will be deleted with it.`] : [],
      confirmLabel: "Delete", danger: true,
    });
    if (!confirmed) return false;
    return run("Deleting the comment", () => api.deleteComment(state.mapId, comment.id));
  }

  function resolve(comment, resolved) {
    return run(resolved ? "Resolving" : "Reopening", async () => {
      await api.updateComment(state.mapId, comment.id, { resolved });
      announce(resolved ? "Thread resolved" : "Thread reopened");
    });
  }

  return {
    element,
    /** Follow the selected claim (null: none); `visible` says whether to load its threads now. */
    follow(id, { visible, targetId = null } = {}) {
      const changed = id !== claimId || (targetId && targetId !== target);
      if (changed) {
        claimId = id;
        target = targetId || id;
        threads = [];
        editing = null;
        replying = null;
      }
      if (!state.index?.claims.has(claimId)) target = null;
      draw();
      if (visible && (changed || !loading)) refresh();
    },
    refresh,
    refreshCounts,
    /** A comment event from the stream: reload the counts, and the thread if it is on view. */
    receive(data, { visible }) {
      if (visible && data?.target && data.target === target) refresh();
      else refreshCounts();
    },
    /** The claim a comment target belongs to (a relation's first premise). */
    claimOf(targetId) {
      if (state.index?.claims.has(targetId)) return targetId;
      return state.index?.relations.get(targetId)?.premises[0] ?? null;
    },
    get target() {
      return target;
    },
  };
}
