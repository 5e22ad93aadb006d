// Who is signed in on this browser, and the CSRF token their unsafe requests carry.
//
// api.js fills this from GET /auth/session (and from sign-in, join and sign-out answers); the
// header and the pages listen for changes. Nothing here talks to the server.

let user = null;
let csrf = null;
let known = false; // the session has been asked for at least once
const listeners = new Set();

/** The signed-in person ({id, username, display_name, is_admin, is_guest}) or null. */
export function currentUser() {
  return user;
}

export function csrfToken() {
  return csrf;
}

export function sessionKnown() {
  return known;
}

/** Take a SessionInfo-like answer ({user, csrf_token}); listeners hear of a change of person. */
export function setSession(info) {
  const before = user;
  user = info?.user ?? null;
  csrf = info?.csrf_token ?? null;
  known = true;
  if (before?.id !== user?.id || before?.display_name !== user?.display_name) {
    for (const listener of listeners) listener(user, before);
  }
}

/** Keep the person (a changed display name, say) and the token as they are. */
export function updateUser(changed) {
  setSession({ user: changed, csrf_token: csrf });
}

/** Call `listener(user, before)` when the signed-in person changes; returns the unsubscribe. */
export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// What each role on a map allows in the web app (the server checks it again).
const RANK = { viewer: 1, commenter: 2, editor: 3, owner: 4 };

export const GRANTED_ROLES = [
  ["editor", "Editor: changes claims and relations"],
  ["commenter", "Commenter: reads (comments later)"],
  ["viewer", "Viewer: reads"],
];

export function roleAtLeast(role, wanted) {
  return (RANK[role] || 0) >= RANK[wanted];
}

export const mayEdit = (role) => roleAtLeast(role, "editor");
export const isOwner = (role) => role === "owner";
