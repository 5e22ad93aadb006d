"""The Argdown document as the parser reads it, before it becomes an argmap map.

The parser (`parser.py`) fills a `Document`; the builder (`builder.py`) turns it into
`MapContent`. Nothing here reads text or knows argmap's rules: an `Element` is every occurrence
of one `[statement]` or `<argument>` title, a `RawRelation` is one written `+`/`-`/`_`/`><`
line, a `Reconstruction` is one premise-conclusion structure. Places (line, column) travel
with every part, so that the builder's errors and report items can name them.

The vocabulary the reader and the writer share (the implied-conclusion marker, the `{data}`
keys that are claim fields, the names the export gave claims) is here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from models import InvalidInputError
from models.report import ConversionReport

FORMAT = "argdown"
# `{"argmap": "implied"}` marks a conclusion the export made up; the import skips it.
IMPLIED_KEY = "argmap"
RULE_KEY = "decisionRule"  # the map's rule of decision, when it is not the default
IMPLIED_VALUE = "implied"
# `{data}` keys that fill the claim fields of the same name.
CLAIM_DATA_FIELDS = ("note", "author", "accepted", "weight", "sources")

Kind = Literal["statement", "argument"]


@dataclass
class ExportNames:
    """What argmap's export says about the statement names it wrote, in the front matter
    (`argmap: {untitled: [Fees pay], ids: {Fees pay: c4, Untitled 2: c9, Ban cars: c7}}`):
    `untitled` are names given to claims without a title (from their first words), `ids` the
    claims whose id is not the one their name gives, plain statements among them by the name
    Argdown gives them (`Untitled n`). Elsewhere a name is the claim's title and its id the
    name made into an id."""

    untitled: set[str] = field(default_factory=set)
    ids: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, value: Any, report: ConversionReport) -> ExportNames:
        """The names from the front matter value; anything else is reported and ignored."""
        if value is None:
            return cls()
        untitled = value.get("untitled", []) if isinstance(value, dict) else None
        ids = value.get("ids", {}) if isinstance(value, dict) else None
        if not (
            isinstance(untitled, list)
            and all(isinstance(name, str) for name in untitled)
            and isinstance(ids, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in ids.items())
        ):
            report.drop(
                f"front matter '{IMPLIED_KEY}'",
                "not argmap's {untitled: [names], ids: {name: id}}; ignored",
                line=1,
            )
            return cls()
        return cls(set(untitled), dict(ids))

    def front(self) -> dict[str, Any]:
        """The front matter value, with only what is needed."""
        value: dict[str, Any] = {}
        if self.untitled:
            value["untitled"] = sorted(self.untitled)
        if self.ids:
            value["ids"] = self.ids
        return value


Sign = Literal["support", "attack", "undercut", "contradiction"]


def error_at(message: str, line: int, column: int | None = None) -> InvalidInputError:
    """An error at a place in the file (the place is in `loc`; `str()` shows it first)."""
    if column is None:
        return InvalidInputError(message, loc=("line", line))
    return InvalidInputError(message, loc=("line", line, "column", column))


@dataclass
class Ref:
    """A statement or argument as written at one place in the file."""

    kind: Kind
    title: str
    line: int
    column: int
    text_column: int = 0  # where the text after the title starts

    def shown(self) -> str:
        """The reference as Argdown writes it: `[Title]` or `<Title>`."""
        return f"[{self.title}]" if self.kind == "statement" else f"<{self.title}>"


@dataclass
class Member:
    """One occurrence of a statement or argument that brings text, tags or data."""

    text: str | None
    tags: list[str]
    data: dict[str, Any]
    line: int
    column: int
    group: str | None


@dataclass
class Element:
    """Every occurrence of one title: the members are what each occurrence brought."""

    kind: Kind
    title: str
    untitled: bool
    first_line: int
    first_group: str | None = None  # the heading above its first mention
    members: list[Member] = field(default_factory=list)

    def shown(self) -> str:
        """The element as Argdown writes it: `[Title]` or `<Title>`."""
        return f"[{self.title}]" if self.kind == "statement" else f"<{self.title}>"


@dataclass
class RawRelation:
    """One relation as written: `source` supports, attacks, undercuts or contradicts `target`."""

    kind: Sign
    source: Ref
    target: Ref
    line: int
    column: int


@dataclass
class PcsStatement:
    """A numbered statement `(n) ...` of a premise-conclusion structure."""

    number: int
    ref: Ref


@dataclass
class Inference:
    """An inference line `----`: its premises are its `{uses: [...]}` or the statements above."""

    uses: list[int] | None
    line: int
    column: int
    conclusion: PcsStatement | None = None
    premises: list[PcsStatement] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # `-- Modus ponens --`


@dataclass
class Reconstruction:
    """A premise-conclusion structure of one argument."""

    argument: str
    line: int
    statements: list[PcsStatement] = field(default_factory=list)
    inferences: list[Inference] = field(default_factory=list)


@dataclass
class Document:
    """Everything the parser read from one file."""

    front: dict[str, Any] = field(default_factory=dict)
    elements: dict[tuple[str, str], Element] = field(default_factory=dict)
    relations: list[RawRelation] = field(default_factory=list)
    reconstructions: dict[str, Reconstruction] = field(default_factory=dict)
    untitled: int = 0
    untitled_arguments: int = 0
