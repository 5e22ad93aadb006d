"""Comments on claims and relations: threads of a first comment and its replies.

A thread hangs on one target (a claim or relation id of the map). Its first comment has no
`parent`; a reply names the thread's first comment (threads are one level deep). Resolving is
done on the first comment and closes the whole thread.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from models.people import Person
from models.text import NAME_MAX, ElementId, Name, no_control, single_line

# Its length limit is a setting (ARGMAP_MAX_COMMENT_TEXT), checked by the API.
CommentText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(no_control)
]
AuthorName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=NAME_MAX),
    AfterValidator(no_control),
    AfterValidator(single_line),
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommentCreate(_Body):
    target: ElementId = Field(description="The id of a claim or relation of the map.")
    text: CommentText = Field(description="The comment (its length limit is a setting).")
    parent: ElementId | None = Field(
        default=None, description="The first comment of the thread this replies to."
    )


class CommentUpdate(_Body):
    text: CommentText | None = Field(default=None, description="New text (its author only).")
    resolved: bool | None = Field(
        default=None, description="Resolve or reopen the thread (editors and owners)."
    )


class Comment(BaseModel):
    id: str
    target: str
    parent: str | None = None
    author: Person | None = Field(description="Who wrote it (None: imported from a file).")
    author_name: str = Field(description="The author's display name when it was written.")
    text: str
    created_at: datetime
    edited_at: datetime | None = None
    resolved: bool = False
    resolved_by: str | None = Field(default=None, description="Display name of who resolved it.")


class Thread(Comment):
    """A thread's first comment with its replies, oldest first."""

    replies: list[Comment] = Field(default_factory=list)


class Comments(BaseModel):
    threads: list[Thread]
    counts: dict[str, int] = Field(description="How many comments each target has.")


class CommentDocument(BaseModel):
    """A comment as the native file format holds it: attributed by display name."""

    model_config = ConfigDict(extra="forbid")

    id: ElementId
    target: ElementId
    parent: ElementId | None = None
    author: AuthorName = ""
    text: CommentText
    created_at: datetime | None = None
    edited_at: datetime | None = None
    resolved: bool = False
    resolved_by: Name | None = None
