"""How the sheets of a paged PDF are drawn: several graphs in one run of `dot`, shared among
at most `parallel` runs, with the same bytes whichever way."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from maps.diagram import dot
from maps.diagram.draw import _shares, draw, thesis_trees
from maps.diagram.render import Engine, EngineUnavailableError, choose_engine, render, render_pdfs
from maps.samples import load_sample
from models.diagram import DiagramFormat, DiagramOptions, PageOptions, Pages


def system_dot() -> None:
    try:
        choose_engine(Engine.DOT.value)
    except EngineUnavailableError:
        pytest.skip("no system Graphviz dot")


def test_one_run_of_dot_gives_the_pdf_of_each_graph() -> None:
    system_dot()
    sources = [dot.build_dot(tree, DiagramOptions()) for _, tree in thesis_trees(load_sample())]
    together = render_pdfs(sources, engine=Engine.DOT.value)
    assert together == [render(source, DiagramFormat.PDF, engine="dot") for source in sources]
    assert all(len(PdfReader(io.BytesIO(pdf)).pages) == 1 for pdf in together)


def test_no_graphs_no_run() -> None:
    assert render_pdfs([]) == []


def test_shares_are_balanced_and_keep_their_order() -> None:
    shares = _shares([50, 10, 40, 30, 20], 2)
    assert sorted(i for share in shares for i in share) == [0, 1, 2, 3, 4]
    assert all(share == sorted(share) for share in shares)
    totals = sorted(sum([50, 10, 40, 30, 20][i] for i in share) for share in shares)
    assert totals == [70, 80]
    assert _shares([5, 5], 4) == [[0], [1]]  # never an empty run


@pytest.mark.parametrize("parallel", [1, 2, 3])
def test_thesis_pages_are_the_same_however_many_runs(parallel: int) -> None:
    page = PageOptions(pages=Pages.THESIS)
    one = draw(load_sample(), DiagramOptions(), DiagramFormat.PDF, page=page, parallel=1)
    assert (
        draw(load_sample(), DiagramOptions(), DiagramFormat.PDF, page=page, parallel=parallel).body
        == one.body
    )
