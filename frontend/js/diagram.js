// The diagram beside the outline: the server-rendered SVG, parsed with DOMParser, cleaned, and
// inserted as DOM nodes. Click a claim to select it, double-click to edit it, Tab to reach it and
// Enter to select it; zoom with the wheel or buttons, drag to pan; full screen. It opens at a
// readable zoom centred on the selection and follows the selection. Below 900 px wide the outline
// and the side panel become two tabs (viewTabs). Claims with open comment threads get a badge.

import { api, diagramUrl } from "./api.js";
import { h, icon } from "./dom.js";

const OPTIONS_KEY = "argmap.diagram";
const DEFAULTS = { direction: "auto", focus: false, depth: 2, status: false, legend: true, groups: false };
// Graphviz draws claim text at 11 pt = 14.7 px at zoom 1; below this zoom it reads under 11 px.
const READABLE_ZOOM = 0.75;
// A small map is drawn up to this zoom to fill the panel.
const MAX_FIT_ZOOM = 2;
const NARROW = "(max-width: 899px)";
const DROP_ELEMENTS = new Set(["script", "foreignobject", "iframe", "object", "embed", "audio", "video",
                               "handler", "listener", "set", "animate"]);

export function loadOptions() {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(OPTIONS_KEY) || "{}") };
  } catch {
    return { ...DEFAULTS };
  }
}

function saveOptions(options) {
  try {
    localStorage.setItem(OPTIONS_KEY, JSON.stringify(options));
  } catch {
    /* not kept across visits */
  }
}

/** Remove anything active from a parsed SVG document: scripts, handlers, foreign links. */
export function cleanSvg(root) {
  const walker = [root];
  while (walker.length) {
    const element = walker.pop();
    for (const child of [...element.children]) {
      if (DROP_ELEMENTS.has(child.localName.toLowerCase())) child.remove();
      else walker.push(child);
    }
    for (const attribute of [...element.attributes]) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.trim().toLowerCase();
      if (name.startsWith("on")) element.removeAttribute(attribute.name);
      else if ((name === "href" || name === "xlink:href" || name.endsWith(":href"))
               && !(value.startsWith("#") || value.startsWith("http://") || value.startsWith("https://"))) {
        element.removeAttribute(attribute.name);
      } else if (name === "style" && /url\s*\(|expression/i.test(value)) {
        element.removeAttribute(attribute.name);
      }
    }
    if (element.localName === "a") {
      element.setAttribute("target", "_blank");
      element.setAttribute("rel", "noopener noreferrer");
    }
  }
  return root;
}

function claimIdOf(element) {
  const group = element.closest?.('g[id^="claim-"]');
  return group ? group.id.slice("claim-".length) : null;
}

/** Make each claim's box a keyboard stop named by its hover text (the full claim). */
function makeClaimsFocusable(root) {
  for (const group of root.querySelectorAll('g[id^="claim-"]')) {
    const text = group.querySelector(":scope > title")?.textContent || "";
    group.setAttribute("tabindex", "0");
    group.setAttribute("role", "button");
    // The name holds what the box shows (its wrapped lines, a status label) and its hover text.
    const label = text.split("\n").slice(0, 2).join(": ");
    const shown = [...group.querySelectorAll("text")].map((t) => t.textContent.trim()).filter(Boolean).join(" ");
    const flat = (value) => value.replace(/\s+/g, " ").trim().toLowerCase();
    group.setAttribute("aria-label", !shown || flat(label).includes(flat(shown)) ? label : `${shown}. ${label}`);
  }
}

/** Unresolved comment threads per claim id, from GET /maps/{id}/comments. */
async function openThreads(mapId, signal) {
  const { data } = await api.listComments(mapId);
  if (signal?.aborted) return new Map();
  const counts = new Map();
  for (const thread of data.threads || []) {
    if (!thread.resolved) counts.set(thread.target, (counts.get(thread.target) || 0) + 1);
  }
  return counts;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** A small count in the top right corner of each claim box that has open comment threads. */
function drawCommentBadges(root, counts) {
  for (const old of root.querySelectorAll(".comment-badge")) old.remove();
  for (const [claimId, count] of counts) {
    const group = root.querySelector(`g[id="claim-${CSS.escape(claimId)}"]`);
    const shape = group?.querySelector(":scope > path, :scope > polygon");
    if (!shape) continue;
    const box = shape.getBBox();
    const badge = document.createElementNS(SVG_NS, "g");
    badge.setAttribute("class", "comment-badge");
    badge.setAttribute("aria-hidden", "true");
    const circle = document.createElementNS(SVG_NS, "circle");
    circle.setAttribute("cx", box.x + box.width - 2);
    circle.setAttribute("cy", box.y + 2);
    circle.setAttribute("r", 7.5);
    const label = document.createElementNS(SVG_NS, "text");
    label.setAttribute("x", box.x + box.width - 2);
    label.setAttribute("y", box.y + 5);
    label.setAttribute("text-anchor", "middle");
    label.textContent = count > 9 ? "9+" : String(count);
    badge.append(circle, label);
    group.append(badge);
    group.dataset.openComments = String(count);
  }
}

/**
 * Below 900 px wide, the outline and the side panel (diagram, history, comments) as two tabs
 * above them, on the editor's body that holds both panes. Returns `show(name)`.
 */
function viewTabs(body, onShow) {
  if (body.querySelector(":scope > .view-tabs")) return body.viewTabsShow;
  const names = { outline: "Outline", side: "Diagram" };
  const tabs = {};
  const list = h("div", { class: "view-tabs", role: "tablist", "aria-label": "Outline or diagram" });
  const show = (name, { focus = false } = {}) => {
    body.dataset.view = name;
    for (const [key, tab] of Object.entries(tabs)) {
      tab.setAttribute("aria-selected", String(key === name));
      tab.tabIndex = key === name ? 0 : -1;
    }
    if (focus) tabs[name].focus();
    onShow?.(name);
  };
  for (const [name, label] of Object.entries(names)) {
    tabs[name] = h("button", { type: "button", role: "tab", class: "view-tab", dataset: { view: name },
                               onclick: () => show(name) }, label);
    list.append(tabs[name]);
  }
  list.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    show(body.dataset.view === "outline" ? "side" : "outline", { focus: true });
  });
  body.prepend(list);
  body.classList.add("has-view-tabs");
  body.viewTabsShow = show;
  show("outline");
  return show;
}

/**
 * The diagram panel. `onSelect(claimId)` is called when a claim is clicked in the diagram. The
 * status colours are switched from the outline (`setOptions({status})`, the switch lives there);
 * `onStatusUnavailable(message)` hears when this server cannot colour by status.
 * Returns {element, show(mapId, {revision, selected}), select(id), options(), setOptions(changes)}.
 */
export function createDiagram({ onSelect, onOptions, onEdit, onStatusUnavailable }) {
  let options = loadOptions();
  let view = { scale: 1, x: 0, y: 0 };
  let mode = "auto"; // auto: legible start; whole: fitted; manual: as the person left it
  let controller = null;
  let current = { mapId: null, revision: null, selected: null, version: null };
  let svg = null;
  let lastUrl = null;

  const canvas = h("div", { class: "diagram-canvas" });
  const message = h("div", { class: "diagram-message", role: "status", "aria-live": "polite" });
  const zoomLabel = h("output", { class: "zoom-level", "aria-live": "off" }, "100%");
  const viewport = h("div", {
    class: "diagram-viewport", tabindex: "0", role: "region",
    "aria-label": "Diagram. Drag or use the arrow keys to pan, plus and minus to zoom, 0 to fit.",
  }, canvas, message);
  const zoomControls = h("div", { class: "zoom-controls", role: "group", "aria-label": "Zoom" },
    h("button", { type: "button", class: "icon-button", "aria-label": "Zoom out", onclick: () => zoomAt(0.8) }, icon("zoomOut")),
    zoomLabel,
    h("button", { type: "button", class: "icon-button", "aria-label": "Zoom in", onclick: () => zoomAt(1.25) }, icon("zoomIn")),
    h("button", { type: "button", class: "icon-button", "aria-label": "Fit the diagram to the panel",
                  onclick: () => { mode = "whole"; fit(); } }, icon("fit")));
  const fullscreenButton = h("button", {
    type: "button", class: "button button-small fullscreen-button", "aria-pressed": "false",
    onclick: () => toggleFullscreen(),
  }, "Full screen");
  const stage = h("div", { class: "diagram-stage" }, viewport, zoomControls);

  const apply = () => {
    canvas.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
    zoomLabel.textContent = `${Math.round(view.scale * 100)}%`;
  };
  const naturalSize = () => {
    if (!svg) return { width: 1, height: 1 };
    return { width: svg.width.baseVal.value || 1, height: svg.height.baseVal.value || 1 };
  };
  const fit = ({ readable = false } = {}) => {
    const { width, height } = naturalSize();
    const box = viewport.getBoundingClientRect();
    if (box.width < 40 || box.height < 40) return; // hidden (another tab): fitted when shown
    const pad = 24;
    const scale = Math.min((box.width - pad) / width, (box.height - pad) / height, MAX_FIT_ZOOM);
    if (readable && scale < READABLE_ZOOM && svg) {
      // A big map fitted whole is unreadable: start at a legible size, at the selection (or
      // the first thesis).
      view.scale = READABLE_ZOOM;
      const anchor = selectedGroup() || svg.querySelector('g[id^="claim-"].role-thesis, g[id^="claim-"]');
      centreOn(anchor);
      return;
    }
    view.scale = Math.max(0.05, scale);
    view.x = (box.width - width * view.scale) / 2;
    view.y = (box.height - height * view.scale) / 2;
    apply();
  };
  const selectedGroup = () => (current.selected && svg
    ? svg.querySelector(`g[id="claim-${CSS.escape(current.selected)}"]`) : null);
  /** Move the view so that `group`'s box is at the centre of the panel (at the current zoom). */
  const centreOn = (group, { smooth = false } = {}) => {
    const box = viewport.getBoundingClientRect();
    const rect = group?.getBoundingClientRect();
    if (!rect || !rect.width) {
      const { width } = naturalSize();
      view.x = (box.width - width * view.scale) / 2;
      view.y = 12;
    } else {
      view.x += box.left + box.width / 2 - (rect.left + rect.width / 2);
      view.y += box.top + box.height / 2 - (rect.top + rect.height / 2);
    }
    if (smooth) {
      canvas.classList.add("is-gliding");
      setTimeout(() => canvas.classList.remove("is-gliding"), 300);
    }
    apply();
  };
  const currentScale = () => view.scale || 1;
  const zoomAt = (factor, cx, cy) => {
    const scale = Math.min(8, Math.max(0.05, view.scale * factor));
    const box = viewport.getBoundingClientRect();
    const px = cx ?? box.width / 2;
    const py = cy ?? box.height / 2;
    view.x = px - ((px - view.x) * scale) / view.scale;
    view.y = py - ((py - view.y) * scale) / view.scale;
    view.scale = scale;
    mode = "manual";
    apply();
  };

  // Zoom with the wheel, pan by dragging; a press that does not move is a click.
  viewport.addEventListener("wheel", (event) => {
    if (!svg) return;
    event.preventDefault();
    const box = viewport.getBoundingClientRect();
    zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });
  let drag = null;
  viewport.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !svg) return;
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false, id: event.pointerId };
  });
  viewport.addEventListener("pointermove", (event) => {
    if (!drag || drag.id !== event.pointerId) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) viewport.setPointerCapture(event.pointerId);
    drag.moved = true;
    viewport.classList.add("is-panning");
    view.x = drag.vx + dx;
    view.y = drag.vy + dy;
    mode = "manual";
    apply();
  });
  const endDrag = (event) => {
    if (!drag) return;
    const wasClick = !drag.moved;
    drag = null;
    viewport.classList.remove("is-panning");
    if (wasClick && event.type === "pointerup") {
      const id = claimIdOf(event.target);
      if (id) onSelect(id);
    }
  };
  viewport.addEventListener("pointerup", endDrag);
  viewport.addEventListener("pointercancel", endDrag);
  viewport.addEventListener("dblclick", (event) => {
    const id = claimIdOf(event.target);
    if (!id) return;
    event.preventDefault();
    edit(id);
  });
  // A claim's box reached with Tab: Enter or Space selects it, E or F2 edits it.
  viewport.addEventListener("keydown", (event) => {
    const id = event.target.closest?.('g[id^="claim-"]') ? claimIdOf(event.target) : null;
    if (!id || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter" || event.key === " ") onSelect(id);
    else if (event.key === "e" || event.key === "F2") edit(id);
    else return;
    event.preventDefault();
    event.stopPropagation();
  });
  viewport.addEventListener("focusin", (event) => {
    const group = event.target.closest?.('g[id^="claim-"]');
    if (group && !isVisible(group)) centreOn(group, { smooth: true });
  });

  /** Edit a claim: select it, show the outline (a tab when narrow) and open its editor there. */
  function edit(id) {
    onSelect(id);
    if (onEdit) {
      onEdit(id);
      return;
    }
    if (fullscreen()) toggleFullscreen();
    const body = element.closest(".editor-body");
    if (body?.viewTabsShow && window.matchMedia(NARROW).matches) body.viewTabsShow("outline");
    // The outline opens a claim's editor on E from its card; the card is the outline's own.
    requestAnimationFrame(() => {
      const card = document.querySelector(`.claim-card[data-claim-id="${CSS.escape(id)}"]:not(.is-repeat)`);
      card?.dispatchEvent(new KeyboardEvent("keydown", { key: "e", bubbles: true }));
    });
  }
  viewport.addEventListener("keydown", (event) => {
    const step = 60;
    const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[event.key]) {
      view.x += moves[event.key][0];
      view.y += moves[event.key][1];
      mode = "manual";
      apply();
    } else if (event.key === "+" || event.key === "=") zoomAt(1.25);
    else if (event.key === "-") zoomAt(0.8);
    else if (event.key === "0") { mode = "whole"; fit(); }
    else return;
    event.preventDefault();
  });

  const control = (label, input) => h("label", { class: "control" }, h("span", {}, label), input);
  const direction = h("select", { onchange: () => update({ direction: direction.value }) },
    [["auto", "Automatic"], ["TB", "Top to bottom"], ["LR", "Left to right"], ["BT", "Bottom to top"],
     ["RL", "Right to left"]]
      .map(([value, label]) => h("option", { value, selected: options.direction === value }, label)));
  const focus = h("input", { type: "checkbox", checked: options.focus,
                             onchange: () => update({ focus: focus.checked }) });
  const depth = h("input", { type: "number", min: 1, max: 20, value: options.depth, class: "depth-input",
                             onchange: () => update({ depth: Math.max(1, Math.min(20, Number(depth.value) || 1)) }) });
  const legend = h("input", { type: "checkbox", checked: options.legend,
                              onchange: () => update({ legend: legend.checked }) });
  const groups = h("input", { type: "checkbox", checked: options.groups,
                              onchange: () => update({ groups: groups.checked }) });
  const toolbar = h("div", { class: "diagram-toolbar", role: "group", "aria-label": "Diagram options" },
    control("Direction", direction),
    h("div", { class: "control-group" },
      h("label", { class: "control control-check" }, focus, h("span", {}, "Focus on selection")),
      control("Depth", depth)),
    h("label", { class: "control control-check" }, legend, h("span", {}, "Legend")),
    h("label", { class: "control control-check" }, groups, h("span", {}, "Groups")),
    fullscreenButton);

  // Full screen: the browser's when it allows it, else the panel over the whole window.
  const fullscreen = () => element.classList.contains("is-fullscreen");
  function toggleFullscreen() {
    const on = !fullscreen();
    if (on && element.requestFullscreen && !document.fullscreenElement) {
      element.requestFullscreen().catch(() => {});
    } else if (!on && document.fullscreenElement === element) {
      document.exitFullscreen().catch(() => {});
    }
    setFullscreen(on);
  }
  function setFullscreen(on) {
    element.classList.toggle("is-fullscreen", on);
    fullscreenButton.setAttribute("aria-pressed", String(on));
    fullscreenButton.textContent = on ? "Exit full screen" : "Full screen";
    requestAnimationFrame(() => { if (svg && mode !== "manual") fit({ readable: mode === "auto" }); });
  }
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && fullscreen()) setFullscreen(false);
  });
  const isVisible = (group) => {
    const box = viewport.getBoundingClientRect();
    const rect = group.getBoundingClientRect();
    return rect.left >= box.left + 10 && rect.right <= box.right - 10
      && rect.top >= box.top + 10 && rect.bottom <= box.bottom - 10;
  };

  function update(changes) {
    options = { ...options, ...changes };
    saveOptions(options);
    depth.disabled = !options.focus;
    onOptions?.(options);
    refresh();
  }
  depth.disabled = !options.focus;

  function query() {
    const dark = window.matchMedia?.("(prefers-color-scheme: dark)").matches;
    const params = { direction: options.direction, theme: dark ? "dark" : undefined,
                     legend: String(options.legend), status: options.status ? "true" : undefined,
                     groups: options.groups ? "true" : undefined };
    if (options.focus && current.selected) {
      params.focus = current.selected;
      params.depth = options.depth;
    }
    return params;
  }

  function highlight() {
    if (!svg) return;
    for (const old of svg.querySelectorAll(".is-selected")) old.classList.remove("is-selected");
    if (!current.selected) return;
    const group = svg.querySelector(`g[id="claim-${CSS.escape(current.selected)}"]`);
    if (!group) return;
    group.classList.add("is-selected");
    // Follow the selection: bring it to the centre when it is not wholly in view.
    if (group.getBoundingClientRect().width && !isVisible(group)) centreOn(group, { smooth: true });
  }

  async function refresh() {
    if (!current.mapId) return;
    const url = diagramUrl(current.mapId, "svg", query(), current.revision);
    if (url === lastUrl && svg) {
      highlight();
      return;
    }
    controller?.abort();
    controller = new AbortController();
    viewport.setAttribute("aria-busy", "true");
    try {
      const { data } = await api.diagram(url, { signal: controller.signal });
      const doc = new DOMParser().parseFromString(data, "image/svg+xml");
      const root = doc.documentElement;
      if (root.localName !== "svg" || doc.querySelector("parsererror")) {
        throw new Error("The server sent a diagram that is not valid SVG.");
      }
      cleanSvg(root);
      makeClaimsFocusable(root);
      const next = document.importNode(root, true);
      next.classList.add("diagram-svg");
      // A group, not an image: its claims are buttons of their own (an image's parts are not).
      next.setAttribute("role", "group");
      next.setAttribute("aria-label", "Argument diagram of the map; the outline lists the same claims.");
      canvas.replaceChildren(next);
      svg = next;
      lastUrl = url;
      if (!message.textContent.startsWith("Status colours")) {
        message.textContent = "";
        viewport.classList.remove("has-message");
      }
      if (mode !== "manual") fit({ readable: mode === "auto" });
      highlight();
      showCommentBadges(controller.signal);
    } catch (error) {
      if (error.name === "AbortError") return;
      lastUrl = null;
      const loc = error.body?.loc || [];
      if (options.status && error.status === 422 && loc.includes("status")) {
        // This server cannot colour by evaluation (yet): say so once and draw without it.
        options = { ...options, status: false };
        onStatusUnavailable?.(error.message);
        message.textContent = `Status colours are not available: ${error.message}`;
        viewport.classList.add("has-message");
        setTimeout(() => {
          if (message.textContent.startsWith("Status colours")) {
            message.textContent = "";
            viewport.classList.remove("has-message");
          }
        }, 8000);
        onOptions?.(options);
        refresh();
        return;
      }
      viewport.classList.add("has-message");
      message.textContent = error.status === 404 && !svg
        ? "Diagrams are not available on this server yet."
        : `The diagram could not be drawn: ${error.message}`;
    } finally {
      viewport.removeAttribute("aria-busy");
    }
  }

  async function showCommentBadges(signal) {
    if (!svg || current.revision) return;
    try {
      drawCommentBadges(svg, await openThreads(current.mapId, signal));
    } catch {
      /* no comments here (an older server, or none to see): no badges */
    }
  }

  const element = h("section", { class: "diagram-panel", "aria-label": "Diagram" }, toolbar, stage);
  let resizeTimer = null;
  new ResizeObserver(() => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (svg && mode !== "manual") fit({ readable: mode === "auto" }); }, 100);
  }).observe(viewport);

  return {
    element,
    options: () => ({ ...options }),
    /** Change options from outside the toolbar (the outline's status switch): kept and redrawn. */
    setOptions: (changes) => update(changes),
    query,
    show(mapId, { revision = null, selected = null, version = null } = {}) {
      if (mapId !== current.mapId || revision !== current.revision) mode = "auto";
      const body = element.closest(".editor-body");
      if (body) viewTabs(body, (name) => { if (name === "side" && svg && mode !== "manual") requestAnimationFrame(() => fit({ readable: mode === "auto" })); });
      if (version !== current.version) lastUrl = null;
      current = { mapId, revision, selected, version };
      refresh();
    },
    select(id) {
      current.selected = id;
      if (options.focus) refresh();
      else highlight();
    },
    /** Open comment threads per claim, as the editor learns them (comment events): redraw the badges. */
    setCommentCounts(counts) {
      if (svg && !current.revision) drawCommentBadges(svg, counts);
    },
  };
}
