// Entry point: the header's name field and a small hash router (#/, #/trash, #/maps/<id>,
// #/maps/<id>/revisions/<n>). Hash routes keep every screen a plain static file for the server.

import { authorName, setAuthorName } from "./api.js";
import { mountEditor } from "./editor.js";
import { mountMapList } from "./maplist.js";

const view = document.getElementById("view");
let current = null; // {name, handle}

function parse(hash) {
  const path = hash.replace(/^#/, "") || "/";
  let match = path.match(/^\/maps\/([^/]+)\/revisions\/(\d+)$/);
  if (match) return { name: "editor", id: decodeURIComponent(match[1]), revision: Number(match[2]) };
  match = path.match(/^\/maps\/([^/]+)\/?$/);
  if (match) return { name: "editor", id: decodeURIComponent(match[1]), revision: null };
  if (path === "/trash") return { name: "trash" };
  return { name: "maps" };
}

function route() {
  const next = parse(window.location.hash);
  if (current && current.name === next.name && current.handle.update(next)) return;
  current?.handle.destroy();
  const handle = next.name === "editor" ? mountEditor(view, next) : mountMapList(view, { trash: next.name === "trash" });
  current = { name: next.name, handle };
  for (const link of document.querySelectorAll("[data-nav]")) {
    const active = link.dataset.nav === next.name;
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (next.name !== "editor") document.getElementById("page-heading")?.focus({ preventScroll: true });
}

function setupName() {
  const input = document.getElementById("author-name");
  input.value = authorName();
  input.addEventListener("change", () => setAuthorName(input.value));
  input.addEventListener("input", () => setAuthorName(input.value));
}

setupName();
window.addEventListener("hashchange", route);
route();
