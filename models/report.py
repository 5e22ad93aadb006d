"""What an import or export carried over from one format to another, and what it could not."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.map import ArgumentMap

MAX_REPORT_ITEMS = 500


class NotCarried(BaseModel):
    """One thing a conversion could not carry over exactly, and why."""

    model_config = ConfigDict(extra="forbid")

    what: str = Field(
        description="What was left out or changed, e.g. 'tags', 'locution', 'L node'."
    )
    reason: str = Field(
        description="Why the target format cannot hold it, or what was done instead."
    )
    line: int | None = Field(default=None, ge=1, description="Line in the imported file.")
    column: int | None = Field(default=None, ge=1, description="Column in the imported file.")
    element: str | None = Field(
        default=None, description="The claim, relation or source-file element concerned."
    )


class ConversionReport(BaseModel):
    """The result of reading or writing one file: counts of what was carried, list of what was not."""

    model_config = ConfigDict(extra="forbid")

    format: str
    direction: Literal["import", "export"]
    carried: dict[str, int] = Field(
        default_factory=dict,
        description="How many of each kind of element made it across, e.g. claims, relations, tags.",
    )
    not_carried: list[NotCarried] = Field(default_factory=list)
    omitted: int = Field(
        default=0, ge=0, description=f"Items left out of `not_carried` beyond {MAX_REPORT_ITEMS}."
    )

    def drop(
        self,
        what: str,
        reason: str,
        *,
        line: int | None = None,
        column: int | None = None,
        element: str | None = None,
    ) -> None:
        """Record one thing that was not carried over (the list stays bounded)."""
        if len(self.not_carried) >= MAX_REPORT_ITEMS:
            self.omitted += 1
            return
        self.not_carried.append(
            NotCarried(what=what, reason=reason, line=line, column=column, element=element)
        )

    def count(self, kind: str, n: int = 1) -> None:
        self.carried[kind] = self.carried.get(kind, 0) + n


class ImportResult(BaseModel):
    """A map created from an imported file, with the conversion report."""

    map: ArgumentMap
    report: ConversionReport


class FormatInfo(BaseModel):
    """One interchange format argmap knows."""

    name: str
    label: str
    content_type: str
    extensions: list[str]
    can_import: bool
    can_export: bool
