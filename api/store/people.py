"""The repository of people: accounts, sessions, API tokens, roles on maps, share links, groups.

Secrets (session cookies, API tokens) are stored as their SHA-256; the secret itself is handed
out once. Share-link and group-invite tokens are stored as they are, so their owner can copy the
link again later (revoking a link is how it stops working).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, cast

from sqlalchemy import Connection, Engine, bindparam, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.store.database import loop_reader
from api.store.repository import possible_id
from api.store.tables import (
    GroupMemberRow,
    GroupRow,
    LinkRow,
    MapGroupRow,
    MapRow,
    MemberRow,
    SessionRow,
    TokenRow,
    UserRow,
)
from models import ConflictError, NotFoundError
from models.people import (
    GrantedRole,
    Group,
    MapGroup,
    Member,
    MemberRole,
    Person,
    ShareLink,
    TokenCreated,
    TokenInfo,
    User,
    Visibility,
    highest,
)

USE_NOTED_EVERY = timedelta(minutes=1)

# The access check runs on nearly every request: its statements are built once (building a
# SELECT and its cache key cost three times as much as running it).
_USER_COLUMNS = (
    UserRow.id,
    UserRow.username,
    UserRow.display_name,
    UserRow.is_admin,
    UserRow.is_guest,
    UserRow.created_at,
)
# Who a request is from: a bearer token's or a session cookie's person, with what of the token
# or session the check needs (columns, not ORM objects: a third of the CPU).
_TOKEN_USER = (
    select(TokenRow.id.label("token_id"), TokenRow.last_used_at.label("used_at"), *_USER_COLUMNS)
    .select_from(TokenRow)
    .join(UserRow, UserRow.id == TokenRow.user_id)
    .where(TokenRow.hash == bindparam("digest"))
)
_SESSION_USER = (
    select(
        SessionRow.id.label("session_id"),
        SessionRow.csrf_token,
        SessionRow.expires_at,
        *_USER_COLUMNS,
    )
    .select_from(SessionRow)
    .join(UserRow, UserRow.id == SessionRow.user_id)
    .where(SessionRow.id == bindparam("digest"))
)
_MAP_ACCESS = select(MapRow.owner_id, MapRow.visibility, MapRow.version).where(
    MapRow.id == bindparam("map_id"), MapRow.deleted_at.is_(None)
)
_ROLES_HELD = (
    select(MemberRow.role)
    .where(MemberRow.map_id == bindparam("map_id"), MemberRow.user_id == bindparam("user_id"))
    .union_all(
        select(MapGroupRow.role)
        .join(GroupMemberRow, GroupMemberRow.group_id == MapGroupRow.group_id)
        .where(
            MapGroupRow.map_id == bindparam("map_id"),
            GroupMemberRow.user_id == bindparam("user_id"),
        )
    )
)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class _UserColumns(Protocol):
    """A user's row, or a row of a query that selects `_USER_COLUMNS`."""

    id: str
    username: str
    display_name: str
    is_admin: bool
    is_guest: bool
    created_at: datetime


def _user(row: _UserColumns) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        is_admin=row.is_admin,
        is_guest=row.is_guest,
        created_at=row.created_at,
    )


@dataclass(frozen=True)
class Access:
    """What a person may do on a map: `role` None means they may not even see it."""

    map_id: str
    role: MemberRole | None
    visibility: Visibility
    owner_id: str
    version: int  # the map's version when access was looked up (a read's ETag and cache key)


class People:
    def __init__(self, engine: Engine, *, session_days: float = 14.0) -> None:
        self.engine = engine
        self._writer = engine.execution_options(argmap_write=True)
        self.session_lifetime = timedelta(days=session_days)
        # Where who calls and their access to a map are read in the event loop (None: they are
        # read in a worker thread; see `loop_reader`).
        self.loop_reader = loop_reader(engine)

    def close(self) -> None:
        """Close the event loop's read connections (the engine's own are the store's)."""
        if self.loop_reader is not None:
            self.loop_reader.dispose()

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _write(self) -> Session:
        """A session whose transaction takes the write lock up front (SQLite: BEGIN IMMEDIATE)."""
        return Session(self._writer, expire_on_commit=False)

    # ---- accounts ----------------------------------------------------------------------

    def get_user(self, user_id: str) -> User:
        with self._session() as session:
            row = session.get(UserRow, user_id)
            if row is None:
                raise NotFoundError(f"no user {user_id!r}", loc=("user",))
            return _user(row)

    def find_username(self, username: str) -> tuple[User, str | None] | None:
        """The user of that name (any case) and their password hash."""
        if not possible_id(username):
            return None
        with self._session() as session:
            row = session.scalars(
                select(UserRow).where(func.lower(UserRow.username) == username.lower())
            ).first()
            return None if row is None else (_user(row), row.password_hash)

    def create_user(
        self,
        username: str,
        display_name: str,
        *,
        password_hash: str | None,
        is_guest: bool = False,
        is_admin: bool = False,
    ) -> User:
        if self.find_username(username) is not None:
            raise ConflictError(f"the username {username!r} is taken", loc=("body", "username"))
        row = UserRow(
            id="u" + secrets.token_hex(8),
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            is_guest=is_guest,
            is_admin=is_admin,
            created_at=_now(),
        )
        with self._write() as session, session.begin():
            session.add(row)
        return _user(row)

    def create_guest(self, display_name: str) -> User:
        """A guest account: a generated username, no password (until the guest sets one)."""
        return self.create_user(
            f"guest-{secrets.token_hex(4)}", display_name, password_hash=None, is_guest=True
        )

    def update_user(
        self,
        user_id: str,
        *,
        display_name: str | None = None,
        username: str | None = None,
        password_hash: str | None = None,
    ) -> User:
        values: dict[str, object] = {}
        if display_name is not None:
            values["display_name"] = display_name
        if username is not None:
            found = self.find_username(username)
            if found is not None and found[0].id != user_id:
                raise ConflictError(f"the username {username!r} is taken", loc=("body", "username"))
            values["username"] = username
        if password_hash is not None:
            values["password_hash"] = password_hash
            values["is_guest"] = False  # a guest with a password keeps the account
        if values:
            with self._write() as session, session.begin():
                session.execute(update(UserRow).where(UserRow.id == user_id).values(**values))
        return self.get_user(user_id)

    def list_users(self) -> list[User]:
        with self._session() as session:
            return [
                _user(row) for row in session.scalars(select(UserRow).order_by(UserRow.username))
            ]

    # ---- sessions and tokens -----------------------------------------------------------

    def create_session(self, user_id: str) -> tuple[str, str]:
        """A new session: (the cookie's secret, its CSRF token)."""
        secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        now = _now()
        with self._write() as session, session.begin():
            session.add(
                SessionRow(
                    id=digest(secret),
                    user_id=user_id,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=now + self.session_lifetime,
                )
            )
        return secret, csrf

    def session_user(
        self, secret: str, *, engine: Engine | None = None
    ) -> tuple[User, str, str] | None:
        """(user, CSRF token, session id) of a live session cookie, or None; read through
        `engine` when given (the `loop_reader`)."""
        with (engine or self.engine).connect() as connection:
            found = connection.execute(_SESSION_USER, {"digest": digest(secret)}).first()
        if found is None or found.expires_at <= _now():
            return None
        return _user(found), found.csrf_token, found.session_id

    def end_session(self, session_id: str) -> None:
        with self._write() as session, session.begin():
            session.execute(delete(SessionRow).where(SessionRow.id == session_id))

    def end_sessions(self, user_id: str, *, keep: str | None = None) -> None:
        with self._write() as session, session.begin():
            statement = delete(SessionRow).where(SessionRow.user_id == user_id)
            if keep is not None:
                statement = statement.where(SessionRow.id != keep)
            session.execute(statement)

    def create_token(self, user_id: str, name: str, *, secret: str | None = None) -> TokenCreated:
        secret = secret or "am_" + secrets.token_urlsafe(32)
        row = TokenRow(
            id="k" + secrets.token_hex(8),
            user_id=user_id,
            name=name,
            hash=digest(secret),
            created_at=_now(),
        )
        with self._write() as session, session.begin():
            session.add(row)
        return TokenCreated(id=row.id, name=name, created_at=row.created_at, token=secret)

    def token_user(self, secret: str) -> User | None:
        """The owner of an API token; its last use is noted at most once a minute (a write)."""
        found = self.find_token(secret)
        if found is None:
            return None
        user, token_id, due = found
        if due:
            self.note_token_use(token_id)
        return user

    def find_token(
        self, secret: str, *, engine: Engine | None = None
    ) -> tuple[User, str, bool] | None:
        """(owner, token id, whether its use is due to be noted) of an API token, or None;
        read through `engine` when given (the `loop_reader`)."""
        with (engine or self.engine).connect() as connection:
            found = connection.execute(_TOKEN_USER, {"digest": digest(secret)}).first()
        if found is None:
            return None
        due = found.used_at is None or _now() - found.used_at > USE_NOTED_EVERY
        return _user(found), found.token_id, due

    def note_token_use(self, token_id: str) -> None:
        with self._write() as session, session.begin():
            session.execute(
                update(TokenRow).where(TokenRow.id == token_id).values(last_used_at=_now())
            )

    def has_token(self, secret: str) -> bool:
        with self._session() as session:
            return (
                session.scalar(select(TokenRow.id).where(TokenRow.hash == digest(secret)))
                is not None
            )

    def list_tokens(self, user_id: str) -> list[TokenInfo]:
        with self._session() as session:
            rows = session.scalars(
                select(TokenRow).where(TokenRow.user_id == user_id).order_by(TokenRow.created_at)
            )
            return [
                TokenInfo(
                    id=r.id, name=r.name, created_at=r.created_at, last_used_at=r.last_used_at
                )
                for r in rows
            ]

    def delete_token(self, user_id: str, token_id: str) -> None:
        if not possible_id(token_id):
            raise NotFoundError(f"no such {token_id!r}", loc=("path", "token_id"))
        with self._write() as session, session.begin():
            gone = session.execute(
                delete(TokenRow).where(TokenRow.id == token_id, TokenRow.user_id == user_id)
            )
        if gone.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFoundError(f"no token {token_id!r}", loc=("path", "token_id"))

    def delete_tokens_named(self, user_id: str, name: str) -> None:
        with self._write() as session, session.begin():
            session.execute(
                delete(TokenRow).where(TokenRow.user_id == user_id, TokenRow.name == name)
            )

    # ---- roles on maps -----------------------------------------------------------------

    def access(
        self, map_id: str, user: User | None, *, engine: Engine | None = None
    ) -> Access | None:
        """The caller's access to a map (None: no such map, or one in the trash); read through
        `engine` when given (the `loop_reader`)."""
        if not possible_id(map_id):
            return None
        # Core on a connection, not an ORM session: half the CPU of this often-made check.
        with (engine or self.engine).connect() as connection:
            row = connection.execute(_MAP_ACCESS, {"map_id": map_id}).first()
            if row is None:
                return None
            owner_id, visibility, version = row
            role = self._role(connection, map_id, owner_id, visibility, user)
            return Access(map_id, role, cast(Visibility, visibility), owner_id, version)

    def trashed_owner(self, map_id: str) -> str | None:
        """The owner of a map in the trash (None when there is no such map in the trash)."""
        if not possible_id(map_id):
            return None
        with self._session() as session:
            return session.scalar(
                select(MapRow.owner_id).where(MapRow.id == map_id, MapRow.deleted_at.is_not(None))
            )

    def _role(
        self,
        connection: Connection,
        map_id: str,
        owner_id: str,
        visibility: str,
        user: User | None,
    ) -> MemberRole | None:
        public: MemberRole | None = "viewer" if visibility in ("public", "link") else None
        if user is None:
            return public
        if user.is_admin or user.id == owner_id:
            return "owner"
        held = connection.scalars(_ROLES_HELD, {"map_id": map_id, "user_id": user.id}).all()
        return highest(public, *held)

    def readable_filter(self, user: User | None):  # type: ignore[no-untyped-def]
        """A WHERE clause over `maps` for the maps `user` may list (public ones for anyone)."""
        listed = MapRow.visibility == "public"
        if user is None:
            return listed
        if user.is_admin:
            return MapRow.id.is_not(None)
        members = select(MemberRow.map_id).where(MemberRow.user_id == user.id)
        grouped = (
            select(MapGroupRow.map_id)
            .join(GroupMemberRow, GroupMemberRow.group_id == MapGroupRow.group_id)
            .where(GroupMemberRow.user_id == user.id)
        )
        return or_(
            listed, MapRow.owner_id == user.id, MapRow.id.in_(members), MapRow.id.in_(grouped)
        )

    def owned_filter(self, user: User):  # type: ignore[no-untyped-def]
        """A WHERE clause over `maps` for the maps `user` owns (every map for the admin)."""
        return MapRow.id.is_not(None) if user.is_admin else MapRow.owner_id == user.id

    def set_visibility(self, map_id: str, visibility: Visibility) -> None:
        with self._write() as session, session.begin():
            session.execute(update(MapRow).where(MapRow.id == map_id).values(visibility=visibility))

    def set_owner(self, map_id: str, owner_id: str, visibility: Visibility | None = None) -> None:
        values: dict[str, str] = {"owner_id": owner_id}
        if visibility is not None:
            values["visibility"] = visibility
        with self._write() as session, session.begin():
            session.execute(update(MapRow).where(MapRow.id == map_id).values(**values))

    # ---- members -----------------------------------------------------------------------

    def members(self, map_id: str, owner_id: str) -> list[Member]:
        with self._session() as session:
            owner = session.get(UserRow, owner_id)
            listed = [Member(user=_user(owner), role="owner", via="owner")] if owner else []
            rows = session.execute(
                select(MemberRow, UserRow)
                .join(UserRow, UserRow.id == MemberRow.user_id)
                .where(MemberRow.map_id == map_id)
                .order_by(UserRow.display_name)
            ).all()
            for member, user in rows:
                via = "link" if member.link_id else "member"
                listed.append(Member(user=_user(user), role=member.role, via=via))
            return listed

    def set_member(
        self,
        map_id: str,
        user_id: str,
        role: GrantedRole,
        *,
        link_id: str | None = None,
        only_raise: bool = False,
    ) -> MemberRole:
        """Give a person a role on a map; with `only_raise`, never lower a role they hold."""
        with self._write() as session, session.begin():
            row = session.get(MemberRow, (map_id, user_id))
            if row is None:
                session.add(MemberRow(map_id=map_id, user_id=user_id, role=role, link_id=link_id))
                return role
            if not only_raise or highest(row.role, role) == role:
                row.role = role
                row.link_id = link_id if only_raise else None
            return row.role  # type: ignore[return-value]

    def remove_member(self, map_id: str, user_id: str) -> None:
        if not possible_id(user_id):
            raise NotFoundError(f"no such {user_id!r}", loc=("path", "user_id"))
        with self._write() as session, session.begin():
            gone = session.execute(
                delete(MemberRow).where(MemberRow.map_id == map_id, MemberRow.user_id == user_id)
            )
        if gone.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFoundError(f"no member {user_id!r} on this map", loc=("path", "user_id"))

    # ---- share links -------------------------------------------------------------------

    def create_link(
        self, map_id: str, role: GrantedRole, created_by: str, expires_at: datetime | None
    ) -> ShareLink:
        row = LinkRow(
            id="l" + secrets.token_hex(8),
            map_id=map_id,
            role=role,
            token=secrets.token_urlsafe(24),
            created_by=created_by,
            created_at=_now(),
            expires_at=expires_at,
        )
        with self._write() as session, session.begin():
            session.add(row)
        return _link(row)

    def links(self, map_id: str) -> list[ShareLink]:
        with self._session() as session:
            rows = session.scalars(
                select(LinkRow).where(LinkRow.map_id == map_id).order_by(LinkRow.created_at)
            )
            return [_link(row) for row in rows]

    def revoke_link(self, map_id: str, link_id: str) -> None:
        """Delete a link; guests who came only through it lose their access to the map."""
        if not possible_id(link_id):
            raise NotFoundError(f"no link {link_id!r} on this map", loc=("path", "link_id"))
        with self._write() as session, session.begin():
            gone = session.execute(
                delete(LinkRow).where(LinkRow.id == link_id, LinkRow.map_id == map_id)
            )
            if gone.rowcount == 0:  # type: ignore[attr-defined]
                raise NotFoundError(f"no link {link_id!r} on this map", loc=("path", "link_id"))
            guests = select(UserRow.id).where(UserRow.is_guest.is_(True))
            session.execute(
                delete(MemberRow).where(MemberRow.link_id == link_id, MemberRow.user_id.in_(guests))
            )

    def link_by_token(self, token: str) -> LinkRow | None:
        if not possible_id(token):
            return None
        with self._session() as session:
            row = session.scalars(select(LinkRow).where(LinkRow.token == token)).first()
            if row is None or (row.expires_at is not None and row.expires_at <= _now()):
                return None
            session.expunge(row)
            return row

    # ---- groups ------------------------------------------------------------------------

    def create_group(self, name: str, owner_id: str) -> Group:
        row = GroupRow(
            id="g" + secrets.token_hex(8),
            name=name,
            owner_id=owner_id,
            invite_token=secrets.token_urlsafe(24),
            created_at=_now(),
        )
        with self._write() as session, session.begin():
            session.add(row)
            session.flush()
            session.add(GroupMemberRow(group_id=row.id, user_id=owner_id))
        return self.group(row.id, viewer_id=owner_id)

    def group(self, group_id: str, *, viewer_id: str | None) -> Group:
        with self._session() as session:
            row = session.get(GroupRow, group_id)
            if row is None:
                raise NotFoundError(f"no group {group_id!r}", loc=("group",))
            return self._group(session, row, viewer_id)

    def _group(self, session: Session, row: GroupRow, viewer_id: str | None) -> Group:
        owner = session.get(UserRow, row.owner_id)
        count = (
            session.scalar(
                select(func.count())
                .select_from(GroupMemberRow)
                .where(GroupMemberRow.group_id == row.id)
            )
            or 0
        )
        invite = f"/join/g/{row.invite_token}" if viewer_id == row.owner_id else None
        return Group(
            id=row.id,
            name=row.name,
            member_count=count,
            invite_url=invite,
            owner=Person(id=row.owner_id, display_name=owner.display_name if owner else "?"),
        )

    def groups_of(self, user_id: str) -> list[Group]:
        with self._session() as session:
            rows = session.scalars(
                select(GroupRow)
                .join(GroupMemberRow, GroupMemberRow.group_id == GroupRow.id)
                .where(GroupMemberRow.user_id == user_id)
                .order_by(GroupRow.name)
            )
            return [self._group(session, row, user_id) for row in rows]

    def group_exists(self, group_id: str) -> bool:
        if not possible_id(group_id):
            return False
        with self._session() as session:
            return session.get(GroupRow, group_id) is not None

    def is_group_member(self, group_id: str, user_id: str) -> bool:
        if not possible_id(group_id):
            return False
        with self._session() as session:
            return session.get(GroupMemberRow, (group_id, user_id)) is not None

    def group_by_token(self, token: str) -> GroupRow | None:
        if not possible_id(token):
            return None
        with self._session() as session:
            row = session.scalars(select(GroupRow).where(GroupRow.invite_token == token)).first()
            if row is not None:
                session.expunge(row)
            return row

    def join_group(self, group_id: str, user_id: str) -> None:
        try:
            with self._write() as session, session.begin():
                if session.get(GroupMemberRow, (group_id, user_id)) is None:
                    session.add(GroupMemberRow(group_id=group_id, user_id=user_id))
        except IntegrityError:  # joined twice at once: the first one counts
            pass

    def map_groups(self, map_id: str, viewer_id: str | None) -> list[MapGroup]:
        with self._session() as session:
            rows = session.execute(
                select(MapGroupRow.role, GroupRow)
                .join(GroupRow, GroupRow.id == MapGroupRow.group_id)
                .where(MapGroupRow.map_id == map_id)
                .order_by(GroupRow.name)
            ).all()
            return [
                MapGroup(role=role, group=self._group(session, group, viewer_id))
                for role, group in rows
            ]

    def share_with_group(self, map_id: str, group_id: str, role: GrantedRole) -> None:
        with self._write() as session, session.begin():
            row = session.get(MapGroupRow, (map_id, group_id))
            if row is None:
                session.add(MapGroupRow(map_id=map_id, group_id=group_id, role=role))
            else:
                row.role = role

    def unshare_group(self, map_id: str, group_id: str) -> None:
        if not possible_id(group_id):
            raise NotFoundError(f"no such {group_id!r}", loc=("path", "group_id"))
        with self._write() as session, session.begin():
            gone = session.execute(
                delete(MapGroupRow).where(
                    MapGroupRow.map_id == map_id, MapGroupRow.group_id == group_id
                )
            )
        if gone.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFoundError(
                f"the map is not shared with group {group_id!r}", loc=("path", "group_id")
            )


def _link(row: LinkRow) -> ShareLink:
    return ShareLink(
        id=row.id,
        role=row.role,
        url=f"/join/{row.token}",
        token=row.token,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )
