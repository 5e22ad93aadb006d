"""Validators for user text shared by every model."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

# Control characters other than tab and newline (C0, DEL, C1) and the Unicode
# non-characters that break XML and terminals.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"

CLAIM_TEXT_MAX = 2000
TITLE_MAX = 200
CLAIM_TITLE_MAX = 80
NOTE_MAX = 10_000
DESCRIPTION_MAX = 10_000
TAG_MAX = 64
NAME_MAX = 200
CITATION_MAX = 1000
QUOTE_MAX = 5000
URL_MAX = 2000


def no_control(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    bad = _FORBIDDEN.search(value)
    if bad:
        raise ValueError(
            f"control character U+{ord(bad.group()):04X} at position {bad.start()} is not allowed"
        )
    return value


def single_line(value: str) -> str:
    if "\n" in value or "\t" in value:
        raise ValueError("must be a single line")
    return value


ClaimText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=CLAIM_TEXT_MAX),
    AfterValidator(no_control),
]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX),
    AfterValidator(no_control),
    AfterValidator(single_line),
]
ClaimTitle = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=CLAIM_TITLE_MAX),
    AfterValidator(no_control),
    AfterValidator(single_line),
]
"""A claim's short title (Argdown's `[Title]: text`), shown in diagrams instead of its text."""
Description = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=DESCRIPTION_MAX),
    AfterValidator(no_control),
]
Note = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=NOTE_MAX),
    AfterValidator(no_control),
]
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TAG_MAX),
    AfterValidator(no_control),
    AfterValidator(single_line),
]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX),
    AfterValidator(no_control),
    AfterValidator(single_line),
]
Citation = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=CITATION_MAX),
    AfterValidator(no_control),
]
Quote = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=QUOTE_MAX),
    AfterValidator(no_control),
]
Locator = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX),
    AfterValidator(no_control),
    AfterValidator(single_line),
]
ElementId = Annotated[str, StringConstraints(pattern=_ID)]
"""Ids of claims and relations: 1-64 of letters, digits and `_ . : -`, starting alphanumeric."""
