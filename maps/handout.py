"""A seminar handout of a map as one PDF: title page, diagram, outline with verdicts, sources.

- The title page: the map's title, description and counts.
- The diagram, one thesis with its tree per sheet (maps.diagram.draw, `pages=thesis`).
- A numbered outline: each thesis (1, 2, ...) and, under it, what supports or objects to it
  (1.1, 1.2, ...), each with its title, full text, verdict (Stands, Defeated or Open under the
  map's rule of decision, and why) and its sources as bibliography numbers. A claim under two theses is written
  out once; its second place refers to the first.
- The sources as a numbered bibliography.

reportlab writes the text pages with embedded TrueType fonts (maps.diagram.pdffonts); pikepdf
puts the title page, the paged diagram and the text pages together.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import pikepdf

from maps.diagram.draw import PARALLEL_RENDERS, draw, thesis_trees
from maps.diagram.layout import premises_of
from maps.diagram.paging import TEXT_SIZES, TextSizes, version_key
from maps.diagram.pdffonts import fonts
from maps.evaluation import evaluate
from maps.quote import rule_words
from models import Claim, MapContent, RelationKind, Source
from models.diagram import DiagramFormat, DiagramOptions, PageOptions, Pages, Paper
from models.evaluation import ClaimEvaluation

MARGIN = 56.0


@dataclass
class Entry:
    """One line of the outline: a claim at its number, or a reference to where it is."""

    number: str
    claim: Claim
    relation: str  # "thesis", "supports 1.2", "objects to 1"
    first: str | None = None  # the number where the claim is written out, if not here


@dataclass
class Bibliography:
    """Sources numbered in the order first cited."""

    numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)

    def cite(self, source: Source) -> int:
        key = (source.citation, source.url or "")
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            self.sources.append(source)
        return self.numbers[key]


def outline(content: MapContent) -> list[Entry]:
    """The claims numbered thesis by thesis, depth first; claims under no thesis at the end."""
    kinds = _relation_words(content)
    children = premises_of(content)
    by_id = {claim.id: claim for claim in content.claims}
    entries: list[Entry] = []
    placed: dict[str, str] = {}

    def walk(claim_id: str, number: str, relation: str) -> None:
        if claim_id in placed:
            entries.append(Entry(number, by_id[claim_id], relation, first=placed[claim_id]))
            return
        placed[claim_id] = number
        entries.append(Entry(number, by_id[claim_id], relation))
        for index, premise in enumerate(dict.fromkeys(children[claim_id]), start=1):
            word = kinds.get((premise, claim_id), "supports")
            walk(premise, f"{number}.{index}", f"{word} {number}")

    trees = thesis_trees(content)
    for index, (thesis, _) in enumerate(trees, start=1):
        walk(thesis, str(index), "thesis")
    rest = [claim for claim in content.claims if claim.id not in placed]
    for index, claim in enumerate(rest, start=len(trees) + 1):
        walk(claim.id, str(index), "under no thesis")
    return entries


def _relation_words(content: MapContent) -> dict[tuple[str, str], str]:
    """How a premise relates to the claim it is listed under, in words."""
    relations = {relation.id: relation for relation in content.relations}
    words: dict[tuple[str, str], str] = {}
    for relation in content.relations:
        aimed = relation
        word = "supports" if relation.kind is RelationKind.SUPPORT else "objects to"
        seen = set()
        while aimed.target_claim is None and aimed.id not in seen:
            seen.add(aimed.id)
            aimed = relations[str(aimed.target_relation)]
            word = "undercuts the inference to"
        if aimed.target_claim is None:
            continue
        linked = " (linked premises)" if len(relation.premises) > 1 else ""
        for premise in relation.premises:
            words.setdefault((premise, aimed.target_claim), word + linked)
    return words


def make_handout(
    content: MapContent,
    *,
    paper: Paper = Paper.A4,
    options: DiagramOptions | None = None,
    engine: str = "auto",
    timeout: float = 30.0,
    max_claims: int | None = None,
    budget_seconds: float = 2.0,
    text: TextSizes = TEXT_SIZES,
    parallel: int = PARALLEL_RENDERS,
) -> bytes:
    """The handout of a map as PDF bytes (A4 by default); `text` and `parallel` as for draw."""
    options = options or DiagramOptions()
    verdicts = evaluate(content, budget_seconds=budget_seconds, explanation_depth=1).claims
    diagram = draw(
        content,
        options.model_copy(update={"focus": None}),
        DiagramFormat.PDF,
        status=verdicts if options.status else None,
        page=PageOptions(paper=paper, pages=Pages.THESIS),
        engine=engine,
        timeout=timeout,
        max_claims=max_claims,
        first_page=2,
        text=text,
        parallel=parallel,
    )
    written = _text_pages(content, verdicts, paper=paper, diagram_pages=diagram.pages)
    with (
        pikepdf.Pdf.open(io.BytesIO(written)) as text_pages,
        pikepdf.Pdf.open(io.BytesIO(diagram.body)) as diagram_pages,
        pikepdf.Pdf.new() as handout,
    ):
        handout.pages.append(text_pages.pages[0])
        handout.pages.extend(diagram_pages.pages)
        handout.pages.extend(text_pages.pages[1:])
        handout.docinfo[pikepdf.Name.Title] = pikepdf.String(f"{content.title} \u2014 handout")
        handout.docinfo[pikepdf.Name.Producer] = pikepdf.String("argmap")
        out = io.BytesIO()
        # Streams as they were compressed (none decoded again); an id from the content.
        handout.save(
            out,
            deterministic_id=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            min_version=max(text_pages.pdf_version, diagram_pages.pdf_version, key=version_key),
        )
    return out.getvalue()


def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]

    names = fonts()
    base = ParagraphStyle("body", fontName=names.regular, fontSize=10, leading=13.5)
    return {
        "title": ParagraphStyle("title", base, fontName=names.bold, fontSize=22, leading=27),
        "h1": ParagraphStyle(
            "h1", base, fontName=names.bold, fontSize=15, leading=19, spaceBefore=6, spaceAfter=8
        ),
        "body": base,
        "claim": ParagraphStyle("claim", base, spaceBefore=7),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor="#444444"),
    }


def _text_pages(
    content: MapContent,
    verdicts: Mapping[str, ClaimEvaluation],
    *,
    paper: Paper,
    diagram_pages: int,
) -> bytes:
    """Title page, outline and bibliography; numbered as they will be with the diagram in."""
    from reportlab.platypus import PageBreak, SimpleDocTemplate  # type: ignore[import-untyped]

    styles = _styles()
    bibliography = Bibliography()
    story: list[Any] = [*_title_page(content, styles, diagram_pages), PageBreak()]
    story.extend(_outline_story(content, verdicts, bibliography, styles))
    story.extend(_bibliography_story(bibliography, styles))

    def number(canvas: Any, document: Any) -> None:
        page = canvas.getPageNumber()
        if page > 1:
            canvas.setFont(fonts().regular, 8)
            canvas.drawRightString(
                paper.size[0] - MARGIN, MARGIN / 2, f"page {page + diagram_pages}"
            )

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=paper.size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=f"{content.title} \u2014 handout", author="argmap",
        invariant=True, initialFontName=fonts().regular,
    )  # fmt: skip
    document.build(story, onFirstPage=number, onLaterPages=number)
    return out.getvalue()


def _title_page(content: MapContent, styles: Mapping[str, Any], diagram_pages: int) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    theses = len(thesis_trees(content))
    counts = (
        f"{len(content.claims)} claims, {len(content.relations)} relations, {theses} theses. "
        f"The diagram (pages 2\u2013{1 + diagram_pages}) gives each thesis its own page or "
        "pages; the outline after it gives every claim's full text and its verdict, the "
        "sources close the handout."
    )
    parts = [Spacer(1, 120), Paragraph(escape(content.title), styles["title"]), Spacer(1, 18)]
    if content.description:
        parts.append(Paragraph(escape(content.description), styles["body"]))
        parts.append(Spacer(1, 12))
    parts.append(Paragraph(escape(counts), styles["small"]))
    parts.append(Spacer(1, 6))
    parts.append(
        Paragraph(
            f"Rule of decision: {escape(rule_words(content.rule))}. Each claim "
            "<i>Stands</i> (nothing that stands defeats it), is <i>Defeated</i> (an objection "
            "to it stands), or is <i>Open</i> (the map does not settle it).",
            styles["small"],
        )
    )
    return parts


def _outline_story(
    content: MapContent,
    verdicts: Mapping[str, ClaimEvaluation],
    bibliography: Bibliography,
    styles: Mapping[str, Any],
) -> Iterator[Any]:
    from reportlab.platypus import KeepTogether, Paragraph

    yield Paragraph("Outline", styles["h1"])
    for entry in outline(content):
        depth = entry.number.count(".")
        indent = min(depth, 6) * 14
        heading = f"<b>{entry.number}</b>"
        name = escape(entry.claim.title or _short(entry.claim.text))
        if entry.first is not None:
            yield Paragraph(
                f"{heading} {name} <i>({escape(entry.relation)}; see {entry.first})</i>",
                _indented(styles["claim"], indent),
            )
            continue
        parts = [
            Paragraph(
                f"{heading} <b>{name}</b> <i>({escape(entry.relation)})</i>",
                _indented(styles["claim"], indent),
            ),
            Paragraph(escape(entry.claim.text), _indented(styles["body"], indent + 14)),
            Paragraph(
                _verdict(verdicts.get(entry.claim.id)), _indented(styles["small"], indent + 14)
            ),
        ]
        cited = list(dict.fromkeys(_citation(s, bibliography) for s in entry.claim.sources))
        if cited:
            parts.append(
                Paragraph("Sources: " + "; ".join(cited), _indented(styles["small"], indent + 14))
            )
        yield KeepTogether(parts)


def _bibliography_story(bibliography: Bibliography, styles: Mapping[str, Any]) -> Iterator[Any]:
    from reportlab.platypus import Paragraph

    if not bibliography.sources:
        return
    yield Paragraph("Sources", styles["h1"])
    for number, source in enumerate(bibliography.sources, start=1):
        url = f" {escape(source.url)}" if source.url else ""
        yield Paragraph(f"[{number}] {escape(source.citation)}.{url}", styles["body"])


def _citation(source: Source, bibliography: Bibliography) -> str:
    where = f", {escape(source.locator)}" if source.locator else ""
    return f"[{bibliography.cite(source)}{where}]"


def _verdict(result: ClaimEvaluation | None) -> str:
    if result is None:
        return "Verdict: not evaluated."
    return f"<b>{result.verdict_label}.</b> {escape(result.explanation)}"


def _indented(style: Any, indent: float) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"{style.name}-{indent}", style, leftIndent=indent)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + "\u2026"
