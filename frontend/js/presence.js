// Who is here: the people viewing the map now, and which claim or relation each is editing.
//
// The page says what the person is editing (PUT /maps/{id}/presence {editing}) when a form opens
// and null when it closes, and again every HEARTBEAT ms so that the server does not count them
// gone. Others' presence comes from the event stream (`presence` events), or from GET
// /maps/{id}/presence at each heartbeat while the stream is not open. Someone else editing a
// claim is shown as a soft lock ("Ana is editing"), which never blocks anything. When the server
// has no presence endpoint (404), the page stops asking.

import { api } from "./api.js";
import { h } from "./dom.js";
import { currentUser } from "./session.js";

const HEARTBEAT = 20000;

/** Initials of a display name, for the avatar. */
export function initials(name) {
  const parts = String(name || "?").trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] || "?").slice(0, 2);
  return letters.toUpperCase();
}

/** A steady hue per person, so the same person has the same colour on every screen. */
function hue(id) {
  let value = 0;
  for (const char of String(id)) value = (value * 31 + char.codePointAt(0)) % 360;
  return value;
}

export function avatar(person, { size = "normal" } = {}) {
  return h("span", {
    class: ["avatar", size === "small" && "avatar-small"], "aria-hidden": "true",
    style: `--avatar-hue: ${hue(person.id)}`,
  }, initials(person.display_name));
}

/**
 * Presence of one editor. `isLive()` says whether the event stream is open; `onChange(ids)` is
 * called with the ids whose "is editing" marker may have changed.
 */
export function createPresence(mapId, { isLive, onChange }) {
  let people = [];
  let editing = null;
  let sent; // what the server last heard (undefined: nothing yet)
  let disabled = false;
  let timer = null;
  let stopped = false;
  let started = false;

  const me = () => currentUser()?.id ?? null;

  function editingIds(list) {
    return list.filter((p) => p.editing && p.id !== me()).map((p) => p.editing);
  }

  function receive(list) {
    if (!Array.isArray(list)) return;
    const before = editingIds(people);
    people = list;
    onChange([...new Set([...before, ...editingIds(people)])]);
  }

  async function send(force = false) {
    if (!started || disabled || stopped || !me()) return;
    if (!force && sent === editing) return;
    const value = editing;
    try {
      await api.setPresence(mapId, value);
      sent = value;
    } catch (error) {
      if (error.status === 404 || error.status === 405) disabled = true;
    }
  }

  async function fetchPeople() {
    if (disabled || stopped) return;
    try {
      const { data } = await api.presence(mapId);
      receive(data?.people);
    } catch (error) {
      if (error.status === 404 || error.status === 405) disabled = true;
    }
  }

  function beat() {
    timer = setTimeout(async () => {
      if (stopped) return;
      await send(true);
      if (!isLive()) await fetchPeople();
      beat();
    }, HEARTBEAT);
  }

  return {
    async start() {
      started = true;
      await send(true);
      await fetchPeople();
      beat();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (sent && !disabled && me()) api.setPresence(mapId, null).catch(() => {});
    },
    /** The person started (an id) or stopped (null) editing a claim or relation. */
    setEditing(id) {
      editing = id || null;
      send();
    },
    receive,
    /** After the stream reconnects: ask again who is here. */
    refresh: fetchPeople,
    /** Everyone else here now. */
    others() {
      // One entry per person (they may have the map open twice): editing, if any tab is.
      const byId = new Map();
      for (const person of people) {
        if (person.id === me()) continue;
        const known = byId.get(person.id);
        if (!known) byId.set(person.id, { ...person });
        else if (!known.editing && person.editing) known.editing = person.editing;
      }
      return [...byId.values()];
    },
    /** The names of the others editing this claim or relation. */
    editorsOf(id) {
      return id ? this.others().filter((p) => p.editing === id).map((p) => p.display_name) : [];
    },
    /** Map of id -> names of the others editing it, for the outline. */
    editingMap() {
      const found = new Map();
      for (const person of this.others()) {
        if (!person.editing) continue;
        if (!found.has(person.editing)) found.set(person.editing, []);
        found.get(person.editing).push(person.display_name);
      }
      return found;
    },
  };
}

/** "Ana is editing", "Ana and Ben are editing", "Ana, Ben and Cem are editing". */
export function editingSentence(names) {
  if (!names.length) return "";
  const list = names.length === 1 ? names[0]
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `${list} ${names.length === 1 ? "is" : "are"} editing`;
}
