"""A map to a finished diagram: DOT, Graphviz, then the SVG's hover texts or the PDF's pages.

The one pipeline the API, the CLI and the handout share, so a diagram looks the same wherever
it is made.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from maps.diagram import dot, paging, render
from maps.diagram.layout import premises_of
from maps.diagram.tooltips import set_titles, tooltips
from maps.queries import claim_roles, subgraph
from models import MapContent, Role
from models.diagram import DiagramFormat, DiagramOptions, PageOptions, Pages

# Graphviz runs at once for one paged PDF, by default (the setting ARGMAP_RENDER_PARALLEL). One
# run, streamed, was the fastest for the sample's thesis pages on 2 shared cores (bench/render.py)
# and takes the least CPU; more runs can help on idle cores.
PARALLEL_RENDERS = 1


@dataclass(frozen=True)
class Drawing:
    """A diagram's bytes and what a reader should know about them (text too small, ...)."""

    body: bytes
    notes: tuple[str, ...] = ()
    pages: int = 1


def draw(
    content: MapContent,
    options: DiagramOptions,
    fmt: DiagramFormat,
    *,
    status: dot.Status | None = None,
    page: PageOptions | None = None,
    engine: str = "auto",
    timeout: float = 30.0,
    max_claims: int | None = None,
    first_page: int | None = None,
    text: paging.TextSizes = paging.TEXT_SIZES,
    parallel: int = PARALLEL_RENDERS,
) -> Drawing:
    """The map drawn in `fmt`; a PDF is laid on paper as `page` asks (A4, fitted, by default).

    `first_page` numbers a PDF's pages from there, for a document it becomes part of; `text`
    holds the smallest and the readable text size on paper, `parallel` the most Graphviz runs
    at once for one PDF."""
    drawn = dot.focus_content(content, options)
    if fmt is DiagramFormat.PDF:
        return _paged(content, drawn, options, page or PageOptions(), status=status,
                      engine=engine, timeout=timeout, max_claims=max_claims,
                      first_page=first_page, text=text, parallel=parallel)  # fmt: skip
    source = dot.build_dot(content, options, status=status, max_claims=max_claims)
    body = render.render(source, fmt, engine=engine, timeout=timeout)
    if fmt is DiagramFormat.SVG:
        body = set_titles(body, tooltips(drawn, dot.relation_styles(content)))
    return Drawing(body)


def thesis_trees(content: MapContent) -> list[tuple[str, MapContent]]:
    """Each thesis (by id) with the claims and relations that support or object to it,
    directly or further down, and the undercuts of those relations."""
    premises = premises_of(content)
    roles = claim_roles(content)
    trees = []
    for claim in content.claims:
        if roles[claim.id] is not Role.THESIS:
            continue
        claims = {claim.id}
        todo = [claim.id]
        while todo:
            for premise in premises[todo.pop()]:
                if premise not in claims:
                    claims.add(premise)
                    todo.append(premise)
        relations = {
            relation.id
            for relation in content.relations
            if set(relation.premises) <= claims
            and (relation.target_claim is None or relation.target_claim in claims)
        }
        trees.append((claim.id, subgraph(content, claims, relations)))
    return trees


def shared_notes(trees: list[tuple[str, MapContent]]) -> list[dict[str, str]]:
    """Per tree, a note for each claim that also appears under other theses."""
    under: dict[str, list[int]] = {}
    for number, (_, tree) in enumerate(trees, start=1):
        for claim in tree.claims:
            under.setdefault(claim.id, []).append(number)
    notes = []
    for number, (_, tree) in enumerate(trees, start=1):
        notes.append(
            {
                claim.id: "also under thesis " + ", ".join(str(n) for n in others)
                for claim in tree.claims
                if (others := [n for n in under[claim.id] if n != number])
            }
        )
    return notes


def _paged(
    content: MapContent,
    drawn: MapContent,
    options: DiagramOptions,
    page: PageOptions,
    *,
    status: dot.Status | None,
    engine: str,
    timeout: float,
    max_claims: int | None,
    first_page: int | None,
    text: paging.TextSizes,
    parallel: int,
) -> Drawing:
    deadline = time.monotonic() + timeout
    # The whole drawing (roles from the whole map, as on screen), or one thesis tree per sheet.
    parts: list[tuple[str, MapContent, DiagramOptions, Mapping[str, str]]] = [
        (content.title, content, options, {})
    ]
    if page.pages is Pages.THESIS:
        whole = options.model_copy(update={"focus": None})
        # The legend once, on the first thesis's sheet: the others have the room for claims.
        rest = whole.model_copy(update={"legend": False})
        trees = thesis_trees(drawn)
        by_id = {claim.id: claim for claim in drawn.claims}
        parts = [
            (_thesis_heading(by_id[thesis].title or by_id[thesis].text, n, len(trees)),
             tree, whole if n == 1 else rest, notes)
            for n, ((thesis, tree), notes) in enumerate(
                zip(trees, shared_notes(trees), strict=True), start=1
            )
        ] or parts  # fmt: skip

    def source(part: MapContent, part_options: DiagramOptions, notes: Mapping[str, str]) -> str:
        return dot.build_dot(part, part_options, status=status, max_claims=max_claims,
                             notes=notes)  # fmt: skip

    makers: list[tuple[str, Callable[[], str]]] = [
        (heading, functools.partial(source, part, part_options, notes))
        for heading, part, part_options, notes in parts
    ]
    runs = min(parallel, os.cpu_count() or 1)
    if len(makers) > 1 and runs <= 1 and render.choose_engine(engine) is render.Engine.DOT:
        sheets: Iterable[paging.Sheet] = _streamed_sheets(makers, deadline=deadline)
    else:
        sources = [(heading, make()) for heading, make in makers]
        sheets = _render_sheets(sources, engine=engine, deadline=deadline, parallel=parallel)
    pager = paging.Pager()
    for sheet in sheets:
        pager.add(sheet)
    paged = pager.finish(page, title=content.title, first_page=first_page, text=text)
    return Drawing(paged.body, paged.notes, paged.pages)


def _streamed_sheets(
    makers: list[tuple[str, Callable[[], str]]], *, deadline: float
) -> Iterator[paging.Sheet]:
    """The sheets from one run of `dot`, each as soon as it is drawn, while the next sources
    are made and drawn: the same sheets as `_render_sheets` with `parallel=1`, in less time."""
    sources: list[str] = []

    def made() -> Iterator[str]:
        for _, make in makers:
            sources.append(make())
            yield sources[-1]

    left = max(0.001, deadline - time.monotonic())
    for index, pdf in enumerate(render.stream_pdfs(made(), timeout=left)):
        yield paging.Sheet(pdf, makers[index][0], paging.smallest_font(sources[index]))


def _render_sheets(
    sources: list[tuple[str, str]], *, engine: str, deadline: float, parallel: int
) -> list[paging.Sheet]:
    """Each (heading, DOT source) as a Graphviz PDF. The sheets are shared among at most
    `parallel` runs of Graphviz at once (and no more than there are cores), each drawing its
    share in one process: starting `dot` costs about a third of a thesis sheet."""
    runs = max(1, min(len(sources), parallel, os.cpu_count() or 1))
    shares = _shares([len(source) for _, source in sources], runs)

    def one(share: list[int]) -> list[bytes]:
        left = max(0.001, deadline - time.monotonic())
        return render.render_pdfs([sources[i][1] for i in share], engine=engine, timeout=left)

    if runs == 1:
        drawn = [one(share) for share in shares]
    else:
        with ThreadPoolExecutor(max_workers=runs) as pool:
            drawn = list(pool.map(one, shares))
    pdfs: dict[int, bytes] = {}
    for share, out in zip(shares, drawn, strict=True):
        pdfs.update(zip(share, out, strict=True))
    return [
        paging.Sheet(pdfs[i], heading, paging.smallest_font(source))
        for i, (heading, source) in enumerate(sources)
    ]


def _shares(sizes: list[int], runs: int) -> list[list[int]]:
    """Indices of `sizes` in `runs` groups of about equal total, each in its original order
    (largest first into the lightest group)."""
    groups: list[list[int]] = [[] for _ in range(runs)]
    totals = [0] * runs
    for index in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        lightest = totals.index(min(totals))
        groups[lightest].append(index)
        totals[lightest] += sizes[index]
    return [sorted(group) for group in groups if group]


def _thesis_heading(thesis: str, number: int, count: int) -> str:
    return f"Thesis {number} of {count}: {thesis}"
