"""How a diagram of a map is drawn: the options a user picks and the formats it comes in."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from models.text import ElementId

WRAP_MIN = 10
WRAP_MAX = 200
WRAP_DEFAULT = 40
DEPTH_MAX = 100
DEPTH_DEFAULT = 2
MAX_LINES_MIN = 1
MAX_LINES_MAX = 50
MAX_LINES_DEFAULT = 3


class Direction(StrEnum):
    """Where the theses sit: `TB` puts them at the top with their premises below.

    `auto` picks one from the map's shape: whatever keeps the whole drawing closest to a screen.
    """

    AUTO = "auto"
    TB = "TB"
    LR = "LR"
    BT = "BT"
    RL = "RL"


class Theme(StrEnum):
    LIGHT = "light"
    DARK = "dark"
    PRINT = "print"


class LabelMode(StrEnum):
    """What a claim's box shows: its title (its text, cut short, when it has none), its text,
    or both."""

    TITLE = "title"
    TEXT = "text"
    BOTH = "both"


class Paper(StrEnum):
    A4 = "a4"
    A3 = "a3"
    LETTER = "letter"

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in points, portrait."""
        return _PAPER_SIZES[self]


_PAPER_SIZES = {
    Paper.A4: (595.28, 841.89),
    Paper.A3: (841.89, 1190.55),
    Paper.LETTER: (612.0, 792.0),
}


class Orientation(StrEnum):
    """`auto` turns the page the way the drawing is longer."""

    AUTO = "auto"
    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"


class Pages(StrEnum):
    """How a PDF diagram is paged: one page scaled to fit, tiles of the drawing at a readable
    size, or each thesis with its tree on its own page(s)."""

    FIT = "fit"
    TILE = "tile"
    THESIS = "thesis"


class DiagramFormat(StrEnum):
    SVG = "svg"
    PNG = "png"
    PDF = "pdf"
    DOT = "dot"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]


_MEDIA_TYPES = {
    DiagramFormat.SVG: "image/svg+xml",
    DiagramFormat.PNG: "image/png",
    DiagramFormat.PDF: "application/pdf",
    DiagramFormat.DOT: "text/vnd.graphviz; charset=utf-8",
}


class StatusLabel(StrEnum):
    """A claim's evaluation label as the diagram shows it."""

    IN = "in"
    OUT = "out"
    UNDECIDED = "undecided"


class DiagramOptions(BaseModel):
    """What to draw and how. The same map and options always give the same diagram."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    direction: Direction = Field(
        default=Direction.AUTO,
        description="TB: theses at the top, premises below them; auto: from the map's shape.",
    )
    focus: ElementId | None = Field(
        default=None, description="Draw only what lies within `depth` relations of this claim."
    )
    depth: int = Field(
        default=DEPTH_DEFAULT, ge=0, le=DEPTH_MAX, description="Relations away from `focus`."
    )
    wrap: int = Field(
        default=WRAP_DEFAULT, ge=WRAP_MIN, le=WRAP_MAX, description="Characters per label line."
    )
    theme: Theme = Theme.LIGHT
    legend: bool = Field(default=True, description="Explain colours, lines and marks.")
    status: bool = Field(default=False, description="Colour claims by their evaluation label.")
    label: LabelMode = Field(
        default=LabelMode.TITLE,
        description="title: a claim's title, or its text cut short without one; text; both.",
    )
    max_lines: int = Field(
        default=MAX_LINES_DEFAULT,
        ge=MAX_LINES_MIN,
        le=MAX_LINES_MAX,
        description="Lines of a claim's text shown in its box; more are cut at a word with '…'.",
    )
    groups: bool = Field(default=False, description="Draw the claims' groups as boxes.")

    def cache_key(self) -> tuple[str, ...]:
        """A hashable, order-stable key of every option that changes the drawing."""
        return (
            self.direction.value,
            self.focus or "",
            str(self.depth) if self.focus is not None else "",
            str(self.wrap),
            self.theme.value,
            "legend" if self.legend else "",
            "status" if self.status else "",
            self.label.value,
            str(self.max_lines),
            "groups" if self.groups else "",
        )


class PageOptions(BaseModel):
    """How a PDF diagram is laid on paper."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paper: Paper = Paper.A4
    orientation: Orientation = Orientation.AUTO
    pages: Pages = Field(
        default=Pages.FIT, description="fit: one page; tile: several with overlap; thesis."
    )

    def cache_key(self) -> tuple[str, ...]:
        return (self.paper.value, self.orientation.value, self.pages.value)
