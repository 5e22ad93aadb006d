// The argmap REST API (v1): one request function, errors as ApiError, and a function per endpoint.
//
// The browser is signed in by an HttpOnly session cookie the page never sees. Every unsafe request
// carries the session's CSRF token (X-CSRF-Token, from GET /auth/session); a 403 about that token
// refreshes the session once and tries again. A 401 after the person was signed in means the
// session ended: the page's sign-in dialog (`setReauthenticate`) signs in again in place, and the
// request is sent again, so nothing typed is lost.

import { csrfToken, currentUser, sessionKnown, setSession } from "./session.js";

const BASE = "/api/v1";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// Requests about signing in answer 401 for a wrong password, not for an ended session.
const AUTH_PATHS = /^\/api\/v1\/(auth\/(login|session|logout)|join\/|groups\/join\/)/;

export class ApiError extends Error {
  constructor(status, message, body = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

/**
 * A write based on a version that someone else has changed meanwhile: HTTP 412, or a 409 whose
 * body names the fields both changed (`conflicts`; an edit that touches other fields is merged
 * by the server and succeeds, with `merged: true`). On a 409 the editor's merge dialog shows
 * `conflicts` ({field: {base, theirs, yours}}) and sends the chosen values on `currentVersion`;
 * on a 412 the map is reloaded and what the person typed is kept.
 */
export class ConflictError extends ApiError {
  constructor(message, body, status = 412) {
    super(status, message, body);
    this.name = "ConflictError";
    this.currentVersion = body && typeof body.current_version === "number" ? body.current_version : null;
  }
}

function retryAfter(headers) {
  const seconds = Number.parseInt(headers?.get("Retry-After") || "", 10);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

/** The person's words for an error answer; the server's own detail where it says more. */
function describe(status, body, { headers = null, path = "" } = {}) {
  const loc = Array.isArray(body?.loc) ? body.loc : [];
  if (status === 401) {
    if (AUTH_PATHS.test(path) && typeof body?.detail === "string") return capitalise(body.detail);
    return "You are not signed in, or your session has ended. Sign in and try again.";
  }
  if (status === 403 && loc[0] !== "body") {
    if (loc[0] === "header") return "The browser's request was refused as coming from another site. Reload the page and try again.";
    if (/^\/api\/v1\/maps\//.test(path)) return "Your role on this map does not allow this.";
    return "You may not do this.";
  }
  if (status === 404 && (loc.includes("map_id") || /^\/api\/v1\/maps\/[^/]+(\/sharing)?$/.test(path))) {
    return "This map does not exist or you may not see it.";
  }
  if (status === 404 && loc.includes("token")) return "This link does not work: it was revoked or has expired.";
  if (status === 429) {
    const seconds = retryAfter(headers);
    return seconds ? `Too many attempts; try again in ${seconds} s.` : "Too many attempts; try again in a little while.";
  }
  if (body && typeof body.detail === "string" && body.detail) return capitalise(body.detail);
  if (body && Array.isArray(body.detail) && body.detail.length) {
    const first = body.detail[0];
    return `${(first.loc || []).join(".")}: ${first.msg || "invalid value"}`;
  }
  if (status === 404) return "Not found: it may have been deleted or moved to the trash.";
  if (status === 413) return "That is too large for the server's limits.";
  if (status >= 500) return `The server failed (HTTP ${status}). Please try again.`;
  return `The request failed (HTTP ${status}).`;
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

// ----- the session ------------------------------------------------------------------------------

let sessionRequest = null;
let reauthenticate = null; // () => Promise<boolean>: sign in again in place (the page's dialog)
let reauthenticating = null;

/** Ask the server who is signed in (once, unless `refresh`); resolves to SessionInfo. */
export function loadSession({ refresh = false } = {}) {
  if (!sessionRequest || refresh) {
    sessionRequest = request("GET", "/auth/session", { noRetry: true }).then(({ data }) => {
      setSession(data);
      return data;
    }, (error) => {
      sessionRequest = null;
      throw error;
    });
  }
  return sessionRequest;
}

/** The page's way to sign in again when a session ends (a dialog); resolves true when signed in. */
export function setReauthenticate(handler) {
  reauthenticate = handler;
}

async function signInAgain() {
  if (!reauthenticate) return false;
  if (!reauthenticating) {
    reauthenticating = Promise.resolve(reauthenticate()).finally(() => { reauthenticating = null; });
  }
  return reauthenticating;
}

/**
 * Send a request. `version` becomes `If-Match` (the map version the user saw); `json` is sent as
 * a JSON body, `body` as is. Resolves to {status, data, version, headers, response}.
 */
export async function request(method, path, options = {}) {
  if (UNSAFE.has(method) && !sessionKnown() && !options.noRetry) {
    try {
      await loadSession();
    } catch {
      /* the request itself will say what is wrong */
    }
  }
  try {
    return await send(method, path, options);
  } catch (error) {
    if (!(error instanceof ApiError) || options.noRetry) throw error;
    const loc = Array.isArray(error.body?.loc) ? error.body.loc : [];
    if (error.status === 403 && loc[0] === "header" && loc[1] === "X-CSRF-Token") {
      await loadSession({ refresh: true });
      return send(method, path, options);
    }
    if (error.status === 401 && currentUser() && !AUTH_PATHS.test(error.path)) {
      if (await signInAgain()) return send(method, path, options);
      setSession({ user: null, csrf_token: null });
    }
    throw error;
  }
}

async function send(method, path, { json, body, version, headers = {}, signal,
                                    as = "json", query, cache = "no-cache" } = {}) {
  const url = new URL(path.startsWith(BASE) ? path : BASE + path, window.location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  const sent = { Accept: as === "json" ? "application/json" : "*/*", ...headers };
  if (version !== undefined && version !== null) sent["If-Match"] = `"${version}"`;
  if (UNSAFE.has(method) && csrfToken()) sent["X-CSRF-Token"] = csrfToken();
  let payload = body;
  if (json !== undefined) {
    sent["Content-Type"] = "application/json";
    payload = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(url, { method, headers: sent, body: payload, signal, cache });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "Could not reach the argmap server. Check the connection and try again.");
  }
  const etag = response.headers.get("ETag");
  const etagVersion = etag ? Number.parseInt(etag.replace(/^W\//, "").replaceAll('"', ""), 10) : NaN;
  if (response.status === 304) {
    return { status: 304, data: null, version: etagVersion, headers: response.headers, response };
  }
  if (!response.ok) {
    let errorBody = null;
    try {
      errorBody = await response.json();
    } catch {
      /* not JSON: keep the generic message */
    }
    const message = describe(response.status, errorBody, { headers: response.headers, path: url.pathname });
    if (response.status === 412) throw new ConflictError(message, errorBody);
    if (response.status === 409 && errorBody?.conflicts) throw new ConflictError(message, errorBody, 409);
    const error = new ApiError(response.status, message, errorBody);
    error.path = url.pathname;
    error.retryAfter = retryAfter(response.headers);
    throw error;
  }
  let data = null;
  if (as === "json") data = response.status === 204 ? null : await response.json();
  else if (as === "text") data = await response.text();
  else if (as === "blob") data = await response.blob();
  const newVersion = Number.isNaN(etagVersion) ? data?.version : etagVersion;
  return { status: response.status, data, version: newVersion, headers: response.headers, response };
}

const enc = encodeURIComponent;

/** Take the session an answer brings (sign-in, join) and pass the answer on. */
function keepSession(response) {
  const data = response.data || {};
  setSession({ user: data.user ?? null, csrf_token: data.csrf_token ?? null });
  sessionRequest = Promise.resolve({ user: data.user ?? null, csrf_token: data.csrf_token ?? null });
  return response;
}

export const api = {
  login: (username, password) =>
    request("POST", "/auth/login", { json: { username, password } }).then(keepSession),
  logout: () => request("POST", "/auth/logout").finally(() => {
    setSession({ user: null, csrf_token: null });
    sessionRequest = null;
  }),
  updateMe: (fields) => request("PATCH", "/auth/me", { json: fields }),
  join: (token, displayName) =>
    request("POST", `/join/${enc(token)}`, { json: displayName ? { display_name: displayName } : {} })
      .then(keepSession),
  joinGroup: (token, displayName) =>
    request("POST", `/groups/join/${enc(token)}`, { json: displayName ? { display_name: displayName } : {} })
      .then(keepSession),

  sharing: (id) => request("GET", `/maps/${enc(id)}/sharing`),
  setVisibility: (id, visibility) => request("PUT", `/maps/${enc(id)}/visibility`, { json: { visibility } }),
  addMember: (id, username, role) => request("PUT", `/maps/${enc(id)}/members`, { json: { username, role } }),
  changeMember: (id, userId, role) =>
    request("PATCH", `/maps/${enc(id)}/members/${enc(userId)}`, { json: { role } }),
  removeMember: (id, userId) => request("DELETE", `/maps/${enc(id)}/members/${enc(userId)}`),
  listLinks: (id) => request("GET", `/maps/${enc(id)}/links`),
  createLink: (id, role, expiresAt = null) =>
    request("POST", `/maps/${enc(id)}/links`, { json: expiresAt ? { role, expires_at: expiresAt } : { role } }),
  revokeLink: (id, linkId) => request("DELETE", `/maps/${enc(id)}/links/${enc(linkId)}`),
  listGroups: () => request("GET", "/groups"),
  createGroup: (name) => request("POST", "/groups", { json: { name } }),
  shareWithGroup: (id, groupId, role) =>
    request("PUT", `/maps/${enc(id)}/groups`, { json: { group_id: groupId, role } }),
  unshareGroup: (id, groupId) => request("DELETE", `/maps/${enc(id)}/groups/${enc(groupId)}`),

  listMaps: ({ q, limit, offset } = {}) => request("GET", "/maps", { query: { q, limit, offset } }),
  listTrash: ({ limit, offset } = {}) => request("GET", "/trash", { query: { limit, offset } }),
  createMap: (fields) => request("POST", "/maps", { json: fields }),
  getMap: (id, { knownVersion, signal } = {}) =>
    request("GET", `/maps/${enc(id)}`, {
      signal,
      headers: knownVersion ? { "If-None-Match": `"${knownVersion}"` } : {},
    }),
  updateMap: (id, fields, version) => request("PATCH", `/maps/${enc(id)}`, { json: fields, version }),
  trashMap: (id, version) => request("DELETE", `/maps/${enc(id)}`, { version }),
  restoreMap: (id) => request("POST", `/trash/${enc(id)}/restore`),

  addClaim: (id, fields, version) =>
    request("POST", `/maps/${enc(id)}/claims`, { json: fields, version }),
  updateClaim: (id, claimId, fields, version) =>
    request("PATCH", `/maps/${enc(id)}/claims/${enc(claimId)}`, { json: fields, version }),
  deleteClaim: (id, claimId, version, { cascade = false } = {}) =>
    request("DELETE", `/maps/${enc(id)}/claims/${enc(claimId)}`, {
      version, query: { cascade: cascade ? "true" : undefined },
    }),
  addRelation: (id, fields, version) =>
    request("POST", `/maps/${enc(id)}/relations`, { json: fields, version }),
  updateRelation: (id, relationId, fields, version) =>
    request("PATCH", `/maps/${enc(id)}/relations/${enc(relationId)}`, { json: fields, version }),
  deleteRelation: (id, relationId, version, { cascade = false } = {}) =>
    request("DELETE", `/maps/${enc(id)}/relations/${enc(relationId)}`, {
      version, query: { cascade: cascade ? "true" : undefined },
    }),

  listRevisions: (id) => request("GET", `/maps/${enc(id)}/revisions`),
  getRevision: (id, number) => request("GET", `/maps/${enc(id)}/revisions/${number}`),
  revisionChanges: (id, number) => request("GET", `/maps/${enc(id)}/revisions/${number}/changes`),
  restoreRevision: (id, number, version) =>
    request("POST", `/maps/${enc(id)}/revisions/${number}/restore`, { version }),

  evaluation: (id, { signal, revision = null } = {}) =>
    request("GET", revision ? `/maps/${enc(id)}/revisions/${revision}/evaluation` : `/maps/${enc(id)}/evaluation`,
      { signal }),
  claimChanges: (id, claimId) => request("GET", `/maps/${enc(id)}/evaluation/claims/${enc(claimId)}/changes`),
  diagram: (path, { signal } = {}) => request("GET", path, { signal, as: "text" }),

  listComments: (id, target = null) =>
    request("GET", `/maps/${enc(id)}/comments`, { query: { target: target || undefined } }),
  addComment: (id, fields) => request("POST", `/maps/${enc(id)}/comments`, { json: fields }),
  updateComment: (id, commentId, fields) =>
    request("PATCH", `/maps/${enc(id)}/comments/${enc(commentId)}`, { json: fields }),
  deleteComment: (id, commentId) => request("DELETE", `/maps/${enc(id)}/comments/${enc(commentId)}`),

  presence: (id) => request("GET", `/maps/${enc(id)}/presence`),
  setPresence: (id, editing) =>
    request("PUT", `/maps/${enc(id)}/presence`, { json: { editing: editing || null } }),

  importMap: (file, format) =>
    request("POST", "/maps/import", {
      body: file,
      headers: { "Content-Type": file.type || "application/octet-stream" },
      query: { format: format || undefined, filename: file.name || undefined },
    }),
};

/** The URL of a diagram of a map (or of one revision of it) with the given options. */
export function diagramUrl(mapId, extension, options = {}, revision = null) {
  const base = revision
    ? `${BASE}/maps/${enc(mapId)}/revisions/${revision}/diagram.${extension}`
    : `${BASE}/maps/${enc(mapId)}/diagram.${extension}`;
  const url = new URL(base, window.location.origin);
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && value !== null && value !== "" && value !== false) {
      url.searchParams.set(key, String(value));
    }
  }
  return url.pathname + url.search;
}

/** The map's event stream (server-sent events; the session cookie signs it in). */
export function eventsUrl(mapId) {
  return `${BASE}/maps/${enc(mapId)}/events`;
}

/** The QR code of a share link, as an image the page shows (same origin). */
export function linkQrUrl(mapId, linkId) {
  return `${BASE}/maps/${enc(mapId)}/links/${enc(linkId)}/qr.svg`;
}

/** The URL of the map's printable handout (title page, diagram by thesis, outline, sources). */
export function handoutUrl(mapId, paper = "a4") {
  return `${BASE}/maps/${enc(mapId)}/handout.pdf?paper=${enc(paper)}&download=true`;
}

export function exportUrl(mapId, format, revision = null) {
  const version = revision ? `&version=${revision}` : "";
  return `${BASE}/maps/${enc(mapId)}/export?format=${enc(format)}${version}`;
}
