"""What the event stream of a map says (`GET /maps/{id}/events`), and presence.

Every event carries as its id the map version the client is up to date with once it has it, so
a client that reconnects with `Last-Event-ID` gets exactly the changes it missed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.comments import Comment
from models.people import Person
from models.text import ElementId


class Present(BaseModel):
    """A person on the map now, and what they edit (a claim or relation id), if anything."""

    id: str
    display_name: str
    editing: str | None = None


class Presence(BaseModel):
    """The `presence` event, and the answer of `GET /maps/{id}/presence`."""

    people: list[Present] = Field(description="Everyone signed in who has the map open.")


class PresenceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    editing: ElementId | None = Field(
        default=None, description="The claim or relation you edit now; null: nothing."
    )


class ChangeEvent(BaseModel):
    """The `change` event: a new version of the map, who made it, what it did."""

    version: int
    author: Person | None = Field(description="Who made it (None: the CLI or an import).")
    summary: str = Field(description='In words, e.g. "Ben added an objection to “…”".')
    added: list[str] = Field(description="Claims and relations the change added.")
    changed: list[str]
    removed: list[str]


class CommentEvent(BaseModel):
    """The `comment` event: a comment added, edited, deleted, resolved or reopened."""

    action: Literal["added", "edited", "deleted", "resolved", "reopened"]
    target: str = Field(description="The claim or relation the comment is on.")
    comment_id: str
    author: Person = Field(description="Who did it.")
    comment: Comment | None = Field(
        default=None, description="The comment as it is now (None once deleted)."
    )


class ResetEvent(BaseModel):
    """The `reset` event: the client is too far behind; read the map again."""

    version: int
