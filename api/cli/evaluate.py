"""`argmap evaluate` (which claims stand) and `argmap attacks` (the ICCMA attack structure)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import typer

from api.cli.errors import fail, where
from api.settings import Settings
from maps.formats import registry
from models import ArgmapError, MapContent
from models.evaluation import (
    ClaimEvaluation,
    Evaluation,
    GradualName,
    ProofStandardName,
    SemanticsName,
    SupportMode,
)

EXCERPT = 60


# The models' Literals are the evaluation's choices; these two are the CLI's own.
Output = Literal["table", "json"]
AttackFormat = Literal["i23", "apx"]


def read_map_file(path: Path) -> MapContent:
    """A map from any import format, or an ICCMA framework (.i23 / .apx); exits on bad input."""
    from maps.formats import iccma

    try:
        data = path.read_bytes()
    except OSError as error:
        fail(f"{path}: {error.strerror or error}")
    try:
        suffix = path.suffix.lower()
        if suffix in (".i23", ".af", ".apx"):
            text = registry.decode(data)
            af = iccma.loads_apx(text) if suffix == ".apx" else iccma.loads_i23(text)
            return iccma.to_map(af, title=path.name)
        return registry.read_map(data, filename=path.name)
    except ArgmapError as error:
        fail(where(path, error))


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


_MET = {"yes": "met", "no": "not met", "undetermined": "open"}


def format_table(content: MapContent, result: Evaluation, *, explain: bool) -> str:
    """One row per claim: id, verdict (Stands, Defeated, Open), (credulous/sceptical), whether
    it meets the rule's proof standard, text excerpt; with `explain`, the sentences, what its
    support balance means and the moves that would change the verdict under each claim."""
    acceptance = result.semantics != "grounded"
    header = ["claim", "verdict"] + (["credulous", "sceptical"] if acceptance else [])
    header += ["standard", "text"]
    rows: list[list[str]] = []
    for claim in content.claims:
        element = result.claims[claim.id]
        row = [claim.id, element.verdict_label]
        if acceptance:
            row += [element.credulous or "", element.sceptical or ""]
        row += [_MET[element.meets_standard], _excerpt(claim.title or claim.text)]
        rows.append(row)
    widths = [
        max(len(h), *(len(r[k]) for r in rows)) if rows else len(h) for k, h in enumerate(header)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for claim, row in zip(content.claims, rows, strict=True):
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        if explain:
            lines += _explained(result.claims[claim.id])
    lines += _summary(result, len(rows))
    return "\n".join(lines)


def _explained(element: ClaimEvaluation) -> list[str]:
    """The lines under a claim's row: why, what the balance means, what would change it."""
    lines = [f"    {sentence}" for sentence in element.sentences]
    if element.strength_text:
        lines.append(f"    ({element.strength_text})")
    if element.changes:
        lines.append("    What would change it:")
        lines += [f"      - {move.sentence}" for move in element.changes]
    elif element.changes is not None:
        lines.append("    No single move in the map would change it.")
    return lines


def _summary(result: Evaluation, claims: int) -> list[str]:
    """The counts in the plain words, the formal terms as a detail, and any warnings."""
    verdicts, counts = result.verdicts, result.counts
    lines = [
        f"{claims} claims: {verdicts.get('stands', 0)} stand, "
        f"{verdicts.get('defeated', 0)} defeated, {verdicts.get('open', 0)} open "
        f"(under {result.semantics} semantics with {result.support} support: "
        f"{counts.get('in', 0)} in, {counts.get('out', 0)} out, "
        f"{counts.get('undecided', 0)} undecided).",
        f"Standard: whether a claim meets the "
        f"{result.proof_standard.replace('_', ' ')} proof standard.",
    ]
    if result.acceptance is not None:
        if result.acceptance.extensions_exist is False:
            lines.append("The map has no stable reading (no stable extension).")
        if result.acceptance.undetermined:
            lines.append(
                f"{result.acceptance.undetermined} elements undetermined: the time budget of "
                f"{result.acceptance.budget_seconds:g} s ran out (ARGMAP_EVALUATION_BUDGET_SECONDS)."
            )
    if not result.gradual.converged:
        lines.append(
            f"Warning: {result.gradual.method} strengths did not converge after "
            f"{result.gradual.iterations} iterations (last change {result.gradual.max_delta:.2g})."
        )
    return lines


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `argmap` CLI."""

    @app.command("evaluate")
    def evaluate_command(
        map_file: Path = typer.Argument(..., help="A map file (any import format) or .i23/.apx."),
        semantics: SemanticsName | None = typer.Option(
            None, help="Labelling semantics (default: the map's rule of decision)."
        ),
        support: SupportMode | None = typer.Option(
            None, help="How supports count (default: the map's rule)."
        ),
        gradual: GradualName | None = typer.Option(
            None, help="Gradual strength semantics (default: the map's rule)."
        ),
        standard: ProofStandardName | None = typer.Option(
            None, help="Proof standard of the standard column (default: the map's rule)."
        ),
        output: Output = typer.Option("table", "--format", help="table or json."),
        explain: bool = typer.Option(False, "--explain", help="Print why under each claim."),
        budget: float | None = typer.Option(
            None, min=0.001, help="Seconds for preferred/stable (default: the setting)."
        ),
        depth: int | None = typer.Option(None, min=1, max=32, help="Explanation depth."),
    ) -> None:
        """Which claims stand: label, strength and text of every claim of a map file."""
        from maps.evaluation import evaluate

        settings = Settings()
        content = read_map_file(map_file)
        try:
            result = evaluate(
                content,
                semantics=semantics,
                support=support,
                gradual=gradual,
                proof_standard=standard,
                budget_seconds=budget or settings.evaluation_budget_seconds,
                explanation_depth=depth or settings.explanation_depth,
                explanation_max_nodes=settings.explanation_max_nodes,
            )
        except ArgmapError as error:
            fail(where(map_file, error))
        if output == "json":
            typer.echo(result.model_dump_json(indent=2))
        else:
            typer.echo(format_table(content, result, explain=explain))

    @app.command("attacks")
    def attacks_command(
        map_file: Path = typer.Argument(..., help="A map file (any import format)."),
        output: AttackFormat = typer.Option("i23", "--format", help="i23 or apx."),
        support: SupportMode | None = typer.Option(
            None, help="How supports count (default: the map's rule)."
        ),
        out: Path | None = typer.Option(None, "--output", "-o", help="Write here, not stdout."),
    ) -> None:
        """The map's attack structure in an ICCMA format, to check with any ICCMA solver."""
        from maps.evaluation.framework import dung_framework
        from maps.formats import iccma

        content = read_map_file(map_file)
        af = dung_framework(content, support=support or content.rule.support)
        writer = iccma.dumps_apx if output == "apx" else iccma.dumps_i23
        text = writer(af, title=content.title)
        if out is None:
            typer.echo(text, nl=False)
            return
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as error:
            fail(f"{out}: {error.strerror or error}")
