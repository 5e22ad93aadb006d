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


class Direction(StrEnum):
    """Where the theses sit: `TB` puts them at the top with their premises below."""

    TB = "TB"
    LR = "LR"
    BT = "BT"
    RL = "RL"


class Theme(StrEnum):
    LIGHT = "light"
    DARK = "dark"
    PRINT = "print"


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
        default=Direction.TB, description="TB: theses at the top, premises below them."
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
        )
