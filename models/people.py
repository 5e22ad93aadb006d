"""People and what they may do: accounts, roles on maps, visibility, share links, groups.

A person has an account (a username and a display name; a password, or none for a guest who came
through a share link). On a map a person holds one role, the highest of what the map gives them:

    owner > editor > commenter > viewer

- owner: everything, including the trash, members, links, groups and visibility;
- editor: changes claims and relations, imports into the map, restores revisions;
- commenter: reads (and comments, once comments exist);
- viewer: reads the map, its diagrams, evaluation, exports and revisions.

A map's visibility says who reads it without being a member: `private` (members only, the
default), `link` (anyone who has the map's address: it is not listed), `public` (listed and
readable by anyone, even without an account).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from models.text import no_control, single_line

MemberRole = Literal["owner", "editor", "commenter", "viewer"]
GrantedRole = Literal["editor", "commenter", "viewer"]  # what a link or a group can give
Visibility = Literal["private", "link", "public"]

RANK: dict[str, int] = {"viewer": 1, "commenter": 2, "editor": 3, "owner": 4}


def at_least(role: str | None, wanted: str) -> bool:
    """Whether `role` (None: no role) is `wanted` or higher."""
    return role is not None and RANK[role] >= RANK[wanted]


def highest(*roles: MemberRole | str | None) -> MemberRole | None:
    """The highest of some roles (None when there is none)."""
    held = [role for role in roles if role is not None]
    return cast(MemberRole, max(held, key=RANK.__getitem__)) if held else None


Username = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=2, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
    ),
]
# A display name becomes the author of claims: the same rule as theirs (one line, no control
# characters), shorter.
DisplayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
    AfterValidator(no_control),
    AfterValidator(single_line),
]
Password = Annotated[str, StringConstraints(min_length=8, max_length=200)]
TokenName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
GroupName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Person(BaseModel):
    """Who did something, as recorded with it."""

    id: str
    display_name: str


class User(BaseModel):
    id: str
    username: str
    display_name: str
    is_admin: bool = False
    is_guest: bool = False
    created_at: datetime


class SessionInfo(BaseModel):
    """Who the caller is; `csrf_token` goes in `X-CSRF-Token` on unsafe cookie requests."""

    user: User | None
    csrf_token: str | None = None


class LoginRequest(_Body):
    username: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class JoinRequest(_Body):
    display_name: DisplayName | None = Field(
        default=None, description="Needed when not signed in: you become a guest by this name."
    )


class JoinResult(BaseModel):
    user: User
    map_id: str | None = None
    group_id: str | None = None
    role: MemberRole | None = None
    csrf_token: str | None = None


class UserCreate(_Body):
    username: Username
    display_name: DisplayName | None = None
    password: Password


class ProfileUpdate(_Body):
    """Change your own account; a guest who sets a username and password keeps it."""

    display_name: DisplayName | None = None
    username: Username | None = None
    password: Password | None = None
    current_password: str | None = Field(default=None, max_length=200)


class TokenCreate(_Body):
    name: TokenName


class TokenInfo(BaseModel):
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None = None


class TokenCreated(TokenInfo):
    token: str = Field(description="Shown once: send it as `Authorization: Bearer <token>`.")


class Member(BaseModel):
    user: User
    role: MemberRole
    via: Literal["owner", "member", "link"]


class MemberSet(_Body):
    username: Username
    role: GrantedRole


class MemberRoleSet(_Body):
    role: GrantedRole


class ShareLinkCreate(_Body):
    role: GrantedRole = "viewer"
    expires_at: datetime | None = Field(
        default=None, description="RFC 3339; none: the link works until revoked."
    )

    @field_validator("expires_at", mode="before")
    @classmethod
    def _a_date_time_text(cls, value: object) -> object:
        """A date and time as text: a bare number would be read as seconds since 1970."""
        if value is not None and not isinstance(value, str | datetime):
            raise ValueError("give a date and time such as 2027-01-31T18:00:00Z")
        return value


class ShareLink(BaseModel):
    id: str
    role: GrantedRole
    url: str
    token: str
    created_at: datetime
    expires_at: datetime | None = None


class Group(BaseModel):
    id: str
    name: str
    owner: Person
    member_count: int
    invite_url: str | None = Field(default=None, description="Only for the group's owner.")


class GroupCreate(_Body):
    name: GroupName


class GroupShare(_Body):
    group_id: str = Field(max_length=64)
    role: GrantedRole


class MapGroup(BaseModel):
    group: Group
    role: GrantedRole


class Sharing(BaseModel):
    """Who may read and change a map, and your own role on it."""

    visibility: Visibility
    your_role: MemberRole | None
    owner: Person
    members: list[Member]
    groups: list[MapGroup]


class VisibilitySet(_Body):
    visibility: Visibility
