// The diagram beside the outline: the server-rendered SVG, parsed with DOMParser, cleaned, and
// inserted as DOM nodes. Click a claim to select it; zoom with the wheel or buttons, drag to pan.

import { api, diagramUrl } from "./api.js";
import { h, icon } from "./dom.js";

const OPTIONS_KEY = "argmap.diagram";
const DEFAULTS = { direction: "TB", focus: false, depth: 2, status: false, legend: true };
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

/**
 * The diagram panel. `onSelect(claimId)` is called when a claim is clicked in the diagram.
 * Returns {element, show(mapId, {revision, selected}), select(id), options()}.
 */
export function createDiagram({ onSelect, onOptions }) {
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
    const scale = Math.min((box.width - pad) / width, (box.height - pad) / height, 1.5);
    if (readable && scale < 0.3 && svg) {
      // A big map fitted whole is unreadable: start at a legible size, at its first thesis.
      view.scale = 0.55;
      const anchor = svg.querySelector('g[id^="claim-"].role-thesis, g[id^="claim-"]');
      const canvasBox = canvas.getBoundingClientRect();
      const rect = anchor?.getBoundingClientRect();
      const ax = rect ? (rect.left + rect.width / 2 - canvasBox.left) / currentScale() : width / 2;
      view.x = box.width / 2 - ax * view.scale;
      view.y = pad / 2;
      apply();
      return;
    }
    view.scale = Math.max(0.05, scale);
    view.x = (box.width - width * view.scale) / 2;
    view.y = pad / 2;
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
    [["TB", "Top to bottom"], ["LR", "Left to right"], ["BT", "Bottom to top"], ["RL", "Right to left"]]
      .map(([value, label]) => h("option", { value, selected: options.direction === value }, label)));
  const focus = h("input", { type: "checkbox", checked: options.focus,
                             onchange: () => update({ focus: focus.checked }) });
  const depth = h("input", { type: "number", min: 1, max: 20, value: options.depth, class: "depth-input",
                             onchange: () => update({ depth: Math.max(1, Math.min(20, Number(depth.value) || 1)) }) });
  const status = h("input", { type: "checkbox", checked: options.status,
                              onchange: () => update({ status: status.checked }) });
  const legend = h("input", { type: "checkbox", checked: options.legend,
                              onchange: () => update({ legend: legend.checked }) });
  const toolbar = h("div", { class: "diagram-toolbar", role: "group", "aria-label": "Diagram options" },
    control("Direction", direction),
    h("div", { class: "control-group" },
      h("label", { class: "control control-check" }, focus, h("span", {}, "Focus on selection")),
      control("Depth", depth)),
    h("label", { class: "control control-check" }, status, h("span", {}, "Status colours")),
    h("label", { class: "control control-check" }, legend, h("span", {}, "Legend")));

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
                     legend: String(options.legend), status: options.status ? "true" : undefined };
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
    // Bring the selected claim into view when it is outside the visible part.
    const box = viewport.getBoundingClientRect();
    const rect = group.getBoundingClientRect();
    if (rect.width && (rect.right < box.left + 20 || rect.left > box.right - 20
                       || rect.bottom < box.top + 20 || rect.top > box.bottom - 20)) {
      view.x += box.left + box.width / 2 - (rect.left + rect.width / 2);
      view.y += box.top + box.height / 2 - (rect.top + rect.height / 2);
      apply();
    }
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
      const next = document.importNode(root, true);
      next.classList.add("diagram-svg");
      next.setAttribute("role", "img");
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
    } catch (error) {
      if (error.name === "AbortError") return;
      lastUrl = null;
      const loc = error.body?.loc || [];
      if (options.status && error.status === 422 && loc.includes("status")) {
        // This server cannot colour by evaluation (yet): say so once and draw without it.
        options = { ...options, status: false };
        status.checked = false;
        status.disabled = true;
        status.parentElement.title = error.message;
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

  const element = h("section", { class: "diagram-panel", "aria-label": "Diagram" }, toolbar, stage);
  let resizeTimer = null;
  new ResizeObserver(() => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (svg && mode !== "manual") fit({ readable: mode === "auto" }); }, 100);
  }).observe(viewport);

  return {
    element,
    options: () => ({ ...options }),
    query,
    show(mapId, { revision = null, selected = null, version = null } = {}) {
      if (mapId !== current.mapId || revision !== current.revision) mode = "auto";
      if (version !== current.version) lastUrl = null;
      current = { mapId, revision, selected, version };
      refresh();
    },
    select(id) {
      current.selected = id;
      if (options.focus) refresh();
      else highlight();
    },
  };
}
