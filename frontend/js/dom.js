// Building DOM nodes. User text only ever becomes a text node: there is no innerHTML here.

/**
 * Create an element: h("button", {class: "x", onclick: fn, "aria-label": "Close"}, "text", child).
 * Strings among the children become text nodes; null/false children are skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  setProps(element, props);
  // What people type may be written right to left: fields follow the text's own direction.
  if ((tag === "textarea" || (tag === "input" && TEXT_TYPES.has(props?.type ?? "text"))) && !props?.dir) {
    element.dir = "auto";
  }
  append(element, children);
  return element;
}

const TEXT_TYPES = new Set(["text", "search", "url", "email"]);

function setProps(element, props) {
  for (const [name, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      element.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    } else if (name === "dataset") {
      for (const [key, item] of Object.entries(value)) {
        if (item !== null && item !== undefined) element.dataset[key] = String(item);
      }
    } else if (name === "value" || name === "checked" || name === "selected") {
      element[name] = value;
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replace all children of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Small line icons (static path data, never user text). */
const ICONS = {
  plus: "M12 5v14M5 12h14",
  minus: "M5 12h14",
  search: "M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zM21 21l-5-5",
  trash: "M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3",
  restore: "M4 12a8 8 0 1 0 2.3-5.7M4 4v4h4",
  edit: "M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4",
  link: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
  history: "M12 8v4l3 2M3 12a9 9 0 1 0 3-6.7M3 4v4h4",
  download: "M12 4v11M7 10l5 5 5-5M5 20h14",
  upload: "M12 20V9M7 14l5-5 5 5M5 4h14",
  close: "M6 6l12 12M18 6L6 18",
  zoomIn: "M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zM21 21l-5-5M11 8v6M8 11h6",
  zoomOut: "M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zM21 21l-5-5M8 11h6",
  fit: "M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5",
  chevron: "M9 6l6 6-6 6",
  back: "M15 6l-6 6 6 6",
  source: "M6 4h9l3 3v13H6zM9 10h6M9 14h6",
  note: "M5 5h14v10l-4 4H5zM15 19v-4h4",
  undercut: "M5 19L19 5M9 5h10v10",
  map: "M9 4L3 6v14l6-2 6 2 6-2V4l-6 2-6-2zM9 4v14M15 6v14",
  user: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 20a8 8 0 0 1 16 0",
  more: "M5 12h.01M12 12h.01M19 12h.01",
  alert: "M12 8v5M12 16h.01M10.3 4.3L2.6 18a2 2 0 0 0 1.7 3h15.4a2 2 0 0 0 1.7-3L13.7 4.3a2 2 0 0 0-3.4 0z",
  check: "M5 12l5 5 9-10",
};

export function icon(name, { size = 16, label = null } = {}) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("fill", "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", "2");
  svg.setAttribute("stroke-linecap", "round");
  svg.setAttribute("stroke-linejoin", "round");
  svg.setAttribute("class", "icon");
  if (label) {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
  } else {
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
  }
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", ICONS[name] || ICONS.more);
  svg.append(path);
  return svg;
}

/** A short excerpt of a claim text for labels and messages. */
export function excerpt(text, length = 60) {
  const flat = String(text || "").replace(/\s+/g, " ").trim();
  return flat.length > length ? flat.slice(0, length - 1).trimEnd() + "…" : flat;
}

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const ABSOLUTE = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "3 minutes ago" for recent times, a date for older ones. */
export function relativeTime(iso, now = Date.now()) {
  const when = new Date(iso).getTime();
  if (Number.isNaN(when)) return "";
  const seconds = Math.round((when - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return RELATIVE.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return RELATIVE.format(Math.round(seconds / 3600), "hour");
  if (abs < 86400 * 7) return RELATIVE.format(Math.round(seconds / 86400), "day");
  return ABSOLUTE.format(new Date(when));
}

export function absoluteTime(iso) {
  const when = new Date(iso);
  return Number.isNaN(when.getTime()) ? "" : ABSOLUTE.format(when);
}

/** A <time> element showing a relative time with the exact time as a tooltip. */
export function timeElement(iso) {
  return h("time", { datetime: iso, title: absoluteTime(iso) }, relativeTime(iso));
}

export function plural(count, one, many = one + "s") {
  return `${count} ${count === 1 ? one : many}`;
}

/** A file-name-safe version of a title. */
export function fileName(title, extension) {
  const base = String(title || "map")
    .normalize("NFKD")
    .replace(/[^\w\s.-]/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .slice(0, 60) || "map";
  return `${base}.${extension}`;
}
