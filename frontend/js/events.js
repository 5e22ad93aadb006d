// A map's event stream: GET /api/v1/maps/{id}/events as server-sent events (EventSource, signed
// in by the session cookie). Events, their data JSON:
//   change    {version, author: {id, display_name}, summary, added, changed, removed}  (id: version)
//   comment   {action, target, comment_id, author, comment}
//   presence  {people: [{id, display_name, editing}]}
//   reset     {version}: we are too far behind, reload the map
// Heartbeats are SSE comments, which EventSource ignores. A dropped connection is reopened by
// EventSource itself, sending Last-Event-ID so the server resends what we missed; each reopening
// after the first calls `reconnect`. A stream that cannot be opened at all (an error before the
// first open: the endpoint is not there, refuses us, or the browser has no EventSource), or that
// the server closes for good, calls `unavailable` once: the caller polls instead.

import { eventsUrl } from "./api.js";

const EVENTS = ["change", "comment", "presence", "reset"];

/**
 * Open the stream of `mapId`; `on` = {open, interrupted, reconnect, unavailable, change, comment,
 * presence, reset}.
 */
export function connectEvents(mapId, on) {
  let source = null;
  let opened = false;
  let closed = false;

  const giveUp = () => {
    if (closed) return;
    closed = true;
    source?.close();
    on.unavailable?.({ wasOpen: opened });
  };

  if (typeof window.EventSource !== "function") {
    queueMicrotask(giveUp);
    return { close: () => { closed = true; } };
  }
  source = new EventSource(eventsUrl(mapId));
  source.addEventListener("open", () => {
    if (closed) return;
    if (opened) on.reconnect?.();
    else on.open?.();
    opened = true;
  });
  source.addEventListener("error", () => {
    if (closed) return;
    // Before the first open, or closed by the browser (an answer that is not a stream): poll.
    if (!opened || source.readyState === EventSource.CLOSED) giveUp();
    // Otherwise EventSource is reconnecting by itself (readyState CONNECTING).
    else on.interrupted?.();
  });
  for (const name of EVENTS) {
    source.addEventListener(name, (event) => {
      if (closed) return;
      let data = null;
      try {
        data = event.data ? JSON.parse(event.data) : null;
      } catch {
        return; // not ours to guess at
      }
      on[name]?.(data, event.lastEventId);
    });
  }
  return {
    close() {
      closed = true;
      source.close();
    },
    get open() {
      return opened && !closed && source.readyState === EventSource.OPEN;
    },
  };
}
