// The argmap REST API (v1): one request function, errors as ApiError, and a function per endpoint.

const BASE = "/api/v1";
const AUTHOR_KEY = "argmap.author";

export class ApiError extends Error {
  constructor(status, message, body = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

/** A write based on a version that someone else has changed meanwhile (HTTP 412). */
export class ConflictError extends ApiError {
  constructor(message, body) {
    super(412, message, body);
    this.name = "ConflictError";
    this.currentVersion = body && typeof body.current_version === "number" ? body.current_version : null;
  }
}

export function authorName() {
  try {
    return (localStorage.getItem(AUTHOR_KEY) || "").trim();
  } catch {
    return "";
  }
}

export function setAuthorName(name) {
  try {
    localStorage.setItem(AUTHOR_KEY, name.trim());
  } catch {
    /* private mode: the name lasts for this page only */
  }
}

/** Header values must be Latin-1; names outside printable ASCII are sent percent-encoded. */
function authorHeader(name) {
  return /^[\x20-\x7e]*$/.test(name) ? name : encodeURIComponent(name);
}

function describe(status, body, fallback) {
  if (body && typeof body.detail === "string" && body.detail) return body.detail;
  if (body && Array.isArray(body.detail) && body.detail.length) {
    const first = body.detail[0];
    return `${(first.loc || []).join(".")}: ${first.msg || "invalid value"}`;
  }
  if (status === 404) return "Not found: it may have been deleted or moved to the trash.";
  if (status === 413) return "That is too large for the server's limits.";
  if (status >= 500) return `The server failed (HTTP ${status}). Please try again.`;
  return fallback || `The request failed (HTTP ${status}).`;
}

/**
 * Send a request. `version` becomes `If-Match` (the map version the user saw); `json` is sent as
 * a JSON body, `body` as is. Resolves to {status, data, version, headers, response}.
 */
export async function request(method, path, { json, body, version, headers = {}, signal,
                                               as = "json", query, cache = "no-cache" } = {}) {
  const url = new URL(path.startsWith(BASE) ? path : BASE + path, window.location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  const sent = { Accept: as === "json" ? "application/json" : "*/*", ...headers };
  if (version !== undefined && version !== null) sent["If-Match"] = `"${version}"`;
  if (method !== "GET") {
    const name = authorName();
    if (name) sent["X-Author"] = authorHeader(name);
  }
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
    const message = describe(response.status, errorBody);
    if (response.status === 412) throw new ConflictError(message, errorBody);
    throw new ApiError(response.status, message, errorBody);
  }
  let data = null;
  if (as === "json") data = response.status === 204 ? null : await response.json();
  else if (as === "text") data = await response.text();
  else if (as === "blob") data = await response.blob();
  const newVersion = Number.isNaN(etagVersion) ? data?.version : etagVersion;
  return { status: response.status, data, version: newVersion, headers: response.headers, response };
}

const enc = encodeURIComponent;

export const api = {
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
  restoreRevision: (id, number, version) =>
    request("POST", `/maps/${enc(id)}/revisions/${number}/restore`, { version }),

  evaluation: (id, { signal, revision = null } = {}) =>
    request("GET", revision ? `/maps/${enc(id)}/revisions/${revision}/evaluation` : `/maps/${enc(id)}/evaluation`,
      { signal }),
  diagram: (path, { signal } = {}) => request("GET", path, { signal, as: "text" }),

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

export function exportUrl(mapId, format, revision = null) {
  const version = revision ? `&version=${revision}` : "";
  return `${BASE}/maps/${enc(mapId)}/export?format=${enc(format)}${version}`;
}
