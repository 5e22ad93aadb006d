"""What one revision changed: claims and relations added, removed and changed, with word diffs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from models.map import Claim, Relation


class WordPiece(BaseModel):
    """A run of words (with the spaces between them) kept, added or removed."""

    op: Literal["same", "added", "removed"]
    text: str


class FieldChange(BaseModel):
    before: Any
    after: Any
    words: list[WordPiece] | None = Field(
        default=None, description="For a text field: the word diff from before to after."
    )


class ElementChange(BaseModel):
    """A claim or relation both revisions hold, and the fields that differ."""

    id: str
    fields: dict[str, FieldChange]


class ClaimChanges(BaseModel):
    added: list[Claim] = Field(default_factory=list)
    removed: list[Claim] = Field(default_factory=list)
    changed: list[ElementChange] = Field(default_factory=list)


class RelationChanges(BaseModel):
    added: list[Relation] = Field(default_factory=list)
    removed: list[Relation] = Field(default_factory=list)
    changed: list[ElementChange] = Field(default_factory=list)


class RevisionChanges(BaseModel):
    """Revision `number` against the one before it (revision 1 against an empty map)."""

    number: int
    map: dict[str, FieldChange] = Field(description="Title and description, where they changed.")
    claims: ClaimChanges
    relations: RelationChanges
