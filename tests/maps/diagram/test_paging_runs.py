"""How the sheets of a paged PDF are drawn: several graphs in one run of `dot` (streamed, each
PDF as soon as it is drawn, with `parallel=1`), or shared among at most `parallel` runs, with the
same bytes whichever way."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from maps.diagram import dot
from maps.diagram.draw import _shares, draw, thesis_trees
from maps.diagram.render import (
    Engine,
    EngineUnavailableError,
    RenderError,
    choose_engine,
    render,
    render_pdfs,
    stream_pdfs,
)
from maps.samples import load_sample
from models import LimitExceededError
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


def test_streamed_pdfs_are_the_pdfs_of_each_graph() -> None:
    system_dot()
    sources = [dot.build_dot(tree, DiagramOptions()) for _, tree in thesis_trees(load_sample())]
    assert list(stream_pdfs(iter(sources))) == render_pdfs(sources, engine=Engine.DOT.value)


def test_a_source_that_cannot_be_made_is_raised_after_the_ones_before_it() -> None:
    system_dot()
    drawn: list[bytes] = []

    def sources() -> Iterator[str]:
        yield "digraph a { x -> y }\n"
        raise LimitExceededError("too many claims")

    with pytest.raises(LimitExceededError, match="too many claims"):
        drawn.extend(stream_pdfs(sources()))
    assert len(drawn) == 1


def test_a_graph_graphviz_refuses_is_a_render_error() -> None:
    system_dot()
    with pytest.raises(RenderError):
        list(stream_pdfs(["digraph a { x -> y }\n", "digraph b { x -> }\n"]))


def test_streaming_past_the_time_limit_is_refused() -> None:
    system_dot()
    sources = [dot.build_dot(load_sample(), DiagramOptions())] * 3
    with pytest.raises(LimitExceededError, match="longer than the limit"):
        list(stream_pdfs(sources, timeout=0.001))
