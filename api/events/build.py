"""Events built from what the database holds: a change from its revision, a comment from its
row, presence from the presence rows. The same code serves live events and the replay of what a
reconnecting client missed.

    builder = Builder(store, comments, presence)
    builder.change("m1", 8)  -> Event("change", {"version": 8, "author": {...},
                                "summary": "Ben added an objection to “…”", "added": [...],
                                "changed": [], "removed": []}, version=8)
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from api.events.broker import Event, Notice
from api.store import Store
from api.store.comments import CommentStore
from api.store.presence import PresenceStore
from maps.changes import revision_changes, summary
from models import MapContent, NotFoundError
from models.changes import RevisionChanges
from models.events import ChangeEvent, CommentEvent, Presence
from models.people import Person

CACHED_CHANGES = 256
CACHED_CONTENTS = 16  # contents of recent versions: the next change is one delta away


def _ids(changes: RevisionChanges) -> tuple[list[str], list[str], list[str]]:
    claims, relations = changes.claims, changes.relations
    added = [c.id for c in claims.added] + [r.id for r in relations.added]
    changed = [c.id for c in claims.changed] + [r.id for r in relations.changed]
    removed = [c.id for c in claims.removed] + [r.id for r in relations.removed]
    return added, changed, removed


class Builder:
    def __init__(self, store: Store, comments: CommentStore, presence: PresenceStore) -> None:
        self.store = store
        self.comments = comments
        self.presence = presence
        self._changes: OrderedDict[tuple[str, int], Event] = OrderedDict()
        self._contents: OrderedDict[tuple[str, int], MapContent] = OrderedDict()
        self._lock = threading.Lock()

    def build(self, notice: Notice) -> Event | None:
        if notice.kind == "change":
            return self.change(notice.map_id, int(notice.ref["version"]))
        if notice.kind == "comment":
            return self.comment(notice.map_id, CommentEvent.model_validate(notice.ref))
        if notice.kind == "presence":
            return self.people(notice.map_id)
        return None

    def comment(self, map_id: str, news: CommentEvent) -> Event:
        """A comment event with the comment as it is now, read back (the notice only names it)."""
        if news.action != "deleted":
            try:
                news.comment = self.comments.get(map_id, news.comment_id)
            except NotFoundError:
                news.comment = None  # deleted since
        return Event("comment", news.model_dump(mode="json"))

    def people(self, map_id: str) -> Event:
        people = Presence(people=self.presence.people(map_id))
        return Event("presence", people.model_dump(mode="json"))

    def change(self, map_id: str, version: int) -> Event:
        """The `change` event of version `version` (its revision against the one before)."""
        with self._lock:
            cached = self._changes.get((map_id, version))
        if cached is not None:
            return cached
        event = self._made(map_id, version)
        with self._lock:
            self._changes[(map_id, version)] = event
            while len(self._changes) > CACHED_CHANGES:
                self._changes.popitem(last=False)
        return event

    def _made(self, map_id: str, version: int) -> Event:
        info = self.store.revision_info(map_id, version)
        if info is None:
            raise NotFoundError(f"map {map_id} has no revision {version}", loc=("version",))
        before = self._content(map_id, version - 1) if version > 1 else None
        after = self._content(map_id, version, before)
        changes = revision_changes(before, after, number=version)
        author = (
            Person(id=info.author_id, display_name=info.author or "someone")
            if info.author_id is not None
            else None
        )
        who = info.author or "Someone"
        added, changed, removed = _ids(changes)
        data = ChangeEvent(
            version=version,
            author=author,
            summary=f"{who} {summary(changes, before, after, info.description)}",
            added=added,
            changed=changed,
            removed=removed,
        )
        return Event("change", data.model_dump(mode="json"), version=version)

    def _content(self, map_id: str, version: int, before: MapContent | None = None) -> MapContent:
        """The content as of `version`: remembered, one delta from `before`, or read whole."""
        with self._lock:
            found = self._contents.get((map_id, version))
        if found is None:
            found = (
                self.store.get_revision(map_id, version).content()
                if before is None
                else self.store.revision_after(map_id, version, before)
            )
            with self._lock:
                self._contents[(map_id, version)] = found
                while len(self._contents) > CACHED_CONTENTS:
                    self._contents.popitem(last=False)
        return found

    def replay(self, map_id: str, since: int, current: int) -> list[Event]:
        """The change events of versions `since`+1 to `current`, oldest first."""
        return [self.change(map_id, version) for version in range(since + 1, current + 1)]
