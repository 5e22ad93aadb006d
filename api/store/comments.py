"""The repository of comments: threads on the claims and relations of a map."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, or_, select
from sqlalchemy.orm import Session

from api.store.tables import CommentRow
from models import NotFoundError
from models.comments import Comment, CommentDocument
from models.people import Person


def _now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return "m" + secrets.token_hex(8)


def comment_of(row: CommentRow) -> Comment:
    author = (
        None if row.author_id is None else Person(id=row.author_id, display_name=row.author_name)
    )
    return Comment(
        id=row.id,
        target=row.target,
        parent=row.parent_id,
        author=author,
        author_name=row.author_name,
        text=row.text,
        created_at=row.created_at,
        edited_at=row.edited_at,
        resolved=row.resolved,
        resolved_by=row.resolved_by,
    )


class CommentStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(argmap_write=True)

    def _read(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _write(self) -> Session:
        """A session whose transaction takes the write lock up front (SQLite: BEGIN IMMEDIATE)."""
        return Session(self._writer, expire_on_commit=False)

    def comments(self, map_id: str, target: str | None = None) -> list[Comment]:
        """The map's comments (of one target), oldest first."""
        query = select(CommentRow).where(CommentRow.map_id == map_id)
        if target is not None:
            query = query.where(CommentRow.target == target)
        with self._read() as session:
            rows = session.scalars(query.order_by(CommentRow.created_at, CommentRow.id))
            return [comment_of(row) for row in rows]

    def count(self, map_id: str) -> int:
        with self._read() as session:
            found = session.scalar(
                select(func.count()).select_from(CommentRow).where(CommentRow.map_id == map_id)
            )
            return int(found or 0)

    def get(self, map_id: str, comment_id: str) -> Comment:
        with self._read() as session:
            row = session.get(CommentRow, comment_id)
            if row is None or row.map_id != map_id:
                raise NotFoundError(
                    f"no comment {comment_id[:40]!r} on this map", loc=("path", "comment_id")
                )
            return comment_of(row)

    def add(
        self, map_id: str, *, target: str, text: str, parent: str | None, author: Person
    ) -> Comment:
        row = CommentRow(
            id=new_id(),
            map_id=map_id,
            target=target,
            parent_id=parent,
            author_id=author.id,
            author_name=author.display_name,
            text=text,
            created_at=_now(),
            resolved=False,
        )
        with self._write() as session, session.begin():
            session.add(row)
        return comment_of(row)

    def update(
        self,
        map_id: str,
        comment_id: str,
        *,
        text: str | None = None,
        resolved: bool | None = None,
        resolver: str | None = None,
    ) -> Comment:
        with self._write() as session, session.begin():
            row = session.get(CommentRow, comment_id)
            if row is None or row.map_id != map_id:
                raise NotFoundError(
                    f"no comment {comment_id[:40]!r} on this map", loc=("path", "comment_id")
                )
            if text is not None and text != row.text:
                row.text = text
                row.edited_at = _now()
            if resolved is not None:
                row.resolved = resolved
                row.resolved_by = resolver if resolved else None
        return comment_of(row)

    def delete(self, map_id: str, comment_id: str) -> None:
        """Delete a comment; a thread's first comment takes its replies with it."""
        with self._write() as session, session.begin():
            session.execute(
                delete(CommentRow).where(
                    CommentRow.map_id == map_id,
                    or_(CommentRow.id == comment_id, CommentRow.parent_id == comment_id),
                )
            )

    def add_documents(self, map_id: str, documents: Iterable[CommentDocument]) -> int:
        """Store comments read from a file under new ids, by display name (no account)."""
        ids: dict[str, str] = {}
        rows = []
        for document in documents:
            ids[document.id] = new_id()
            rows.append(
                CommentRow(
                    id=ids[document.id],
                    map_id=map_id,
                    target=document.target,
                    parent_id=None if document.parent is None else ids[document.parent],
                    author_id=None,
                    author_name=document.author,
                    text=document.text,
                    created_at=document.created_at or _now(),
                    edited_at=document.edited_at,
                    resolved=document.resolved,
                    resolved_by=document.resolved_by,
                )
            )
        if rows:
            with self._write() as session, session.begin():
                for row in rows:  # parents first: a reply's foreign key names a stored row
                    session.add(row)
                    session.flush()
        return len(rows)


def documents_of(comments: Iterable[Comment]) -> list[CommentDocument]:
    """Comments as the native file format holds them (threads' first comments first)."""
    ordered = sorted(comments, key=lambda c: c.parent is not None)
    return [
        CommentDocument(
            id=c.id,
            target=c.target,
            parent=c.parent,
            author=c.author_name,
            text=c.text,
            created_at=c.created_at,
            edited_at=c.edited_at,
            resolved=c.resolved,
            resolved_by=c.resolved_by,
        )
        for c in ordered
    ]
