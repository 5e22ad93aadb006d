// Entry point: the session, the header's account corner and a small hash router (#/, #/trash,
// #/maps/<id>, #/maps/<id>/revisions/<n>, #/login, #/join/<token>, #/join/g/<token>). Hash
// routes keep every screen a plain static file for the server.

import { loadSession, setReauthenticate } from "./api.js";
import { mountAccount } from "./account.js";
import { mountEditor } from "./editor.js";
import { mountJoin } from "./join.js";
import { listenForHelp } from "./keys.js";
import { watchLimits } from "./limits.js";
import { mountMapList } from "./maplist.js";
import { notifyError } from "./notify.js";
import { currentUser, onSessionChange } from "./session.js";
import { mountLogin, signInAgainDialog } from "./signin.js";

const view = document.getElementById("view");
let current = null; // {name, handle}

function parse(hash) {
  const [path, search = ""] = (hash.replace(/^#/, "") || "/").split(/\?(.*)/s);
  const query = new URLSearchParams(search);
  let match = path.match(/^\/maps\/([^/]+)\/revisions\/(\d+)$/);
  if (match) return { name: "editor", id: decodeURIComponent(match[1]), revision: Number(match[2]) };
  match = path.match(/^\/maps\/([^/]+)\/?$/);
  if (match) return { name: "editor", id: decodeURIComponent(match[1]), revision: null };
  match = path.match(/^\/join\/g\/([^/]+)$/);
  if (match) return { name: "join", token: decodeURIComponent(match[1]), group: true };
  match = path.match(/^\/join\/([^/]+)$/);
  if (match) return { name: "join", token: decodeURIComponent(match[1]), group: false };
  if (path === "/login") return { name: "login", query };
  if (path === "/trash") return { name: "trash" };
  return { name: "maps" };
}

function mount(next) {
  switch (next.name) {
    case "editor": return mountEditor(view, next);
    case "login": return mountLogin(view, next);
    case "join": return mountJoin(view, next);
    default: return mountMapList(view, { trash: next.name === "trash" });
  }
}

function route({ remount = false } = {}) {
  const next = parse(window.location.hash);
  if (!remount && current && current.name === next.name && current.handle.update(next)) return;
  current?.handle.destroy();
  // A dialog belongs to the page it was opened on (the sign-in-again dialog to no page).
  for (const dialog of document.querySelectorAll("dialog[open]:not([data-keep])")) dialog.close();
  current = { name: next.name, handle: mount(next) };
  showNav(next.name);
  if (next.name !== "editor" && next.name !== "login" && next.name !== "join") {
    document.getElementById("page-heading")?.focus({ preventScroll: true });
  }
}

function showNav(name) {
  const trash = document.querySelector('[data-nav="trash"]');
  if (trash) trash.hidden = !currentUser();
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

/** Another person on this browser (signed in, out, or joined): what the page shows changes. */
function sessionChanged() {
  if (!current || current.name === "login" || current.name === "join") {
    showNav(current?.name);
    return;
  }
  route({ remount: true });
}

async function start() {
  setReauthenticate(() => signInAgainDialog());
  listenForHelp();
  watchLimits();
  mountAccount(document.getElementById("account"));
  try {
    await loadSession();
  } catch (error) {
    notifyError(error, "Could not ask the server who is signed in:");
  }
  onSessionChange(sessionChanged);
  window.addEventListener("hashchange", () => route());
  route();
}

start();
