"""Rendering DOT to SVG, PNG and PDF with both engines: bytes, determinism, limits, failures."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from defusedxml import ElementTree

from maps.diagram import render as render_module
from maps.diagram.dot import build_dot
from maps.diagram.render import (
    Engine,
    EngineUnavailableError,
    RenderError,
    choose_engine,
    engine_info,
    render,
)
from maps.samples import load_sample
from models import LimitExceededError
from models.diagram import DiagramFormat

SVG = "{http://www.w3.org/2000/svg}"
MAGIC = {
    DiagramFormat.SVG: b"<?xml",
    DiagramFormat.PNG: b"\x89PNG\r\n\x1a\n",
    DiagramFormat.PDF: b"%PDF-",
}


def available(engine: Engine) -> bool:
    try:
        return choose_engine(engine.value) is engine
    except EngineUnavailableError:
        return False


ENGINES = [
    pytest.param(e, marks=pytest.mark.skipif(not available(e), reason=f"{e.value} not installed"))
    for e in Engine
]
BINARY = [DiagramFormat.SVG, DiagramFormat.PNG, DiagramFormat.PDF]


@pytest.fixture(scope="module")
def sample_dot() -> str:
    return build_dot(load_sample())


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", BINARY)
def test_the_sample_map_renders_deterministically(
    engine: Engine, fmt: DiagramFormat, sample_dot: str
) -> None:
    first = render(sample_dot, fmt, engine=engine)
    assert first.startswith(MAGIC[fmt])
    assert len(first) > 10_000
    assert render(sample_dot, fmt, engine=engine) == first


@pytest.mark.parametrize("engine", ENGINES)
def test_the_sample_svg_has_every_claim(engine: Engine, sample_dot: str) -> None:
    content = load_sample()
    root = ElementTree.fromstring(render(sample_dot, "svg", engine=engine))
    ids = {g.get("id") for g in root.iter(f"{SVG}g") if "claim" in g.get("class", "").split()}
    assert ids == {f"claim-{claim.id}" for claim in content.claims}


@pytest.mark.parametrize("engine", ENGINES)
def test_pdf_carries_a_fixed_creation_date(engine: Engine, sample_dot: str) -> None:
    pdf = render(sample_dot, "pdf", engine=engine)
    assert b"/CreationDate (D:20000101000000" in pdf
    assert pdf.rstrip().endswith(b"%%EOF")


def test_dot_format_is_the_source_itself(sample_dot: str) -> None:
    assert render(sample_dot, "dot") == sample_dot.encode("utf-8")


def slow_dot(n: int = 1500, seed: int = 7) -> str:
    """A dense random DAG that takes dot seconds to lay out."""
    rng = random.Random(seed)
    lines = ["digraph slow {"]
    for i in range(1, n):
        for _ in range(3):
            lines.append(f"n{rng.randrange(i)} -> n{i};")
    lines.append("}")
    return "\n".join(lines)


@pytest.mark.parametrize("engine", ENGINES)
def test_time_limit_stops_rendering_and_says_to_use_focus(engine: Engine) -> None:
    with pytest.raises(LimitExceededError, match="focus=") as raised:
        render(slow_dot(), "svg", engine=engine, timeout=0.3)
    assert raised.value.loc == ("query", "focus")


@pytest.mark.parametrize("engine", ENGINES)
def test_graphviz_failure_is_reported(engine: Engine) -> None:
    with pytest.raises(RenderError, match="syntax error"):
        render("digraph { a -> }", "svg", engine=engine)


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(EngineUnavailableError, match="unknown render engine"):
        choose_engine("neato")


@pytest.fixture
def no_system_dot(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A machine without Graphviz on PATH (the fresh-machine case)."""
    monkeypatch.setenv("PATH", "/nonexistent")
    render_module._system_dot.cache_clear()
    yield
    monkeypatch.undo()
    render_module._system_dot.cache_clear()


@pytest.mark.skipif(not available(Engine.PYGRAPHVIZ), reason="pygraphviz not installed")
@pytest.mark.usefixtures("no_system_dot")
def test_without_system_dot_auto_falls_back_to_pygraphviz(sample_dot: str) -> None:
    assert choose_engine("auto") is Engine.PYGRAPHVIZ
    with pytest.raises(EngineUnavailableError, match="not on PATH"):
        choose_engine("dot")
    info = engine_info()
    assert info["engine"] == "pygraphviz"
    assert info["available"] is True
    assert info["graphviz_version"]
    assert render(sample_dot, "png").startswith(MAGIC[DiagramFormat.PNG])


@pytest.mark.skipif(not available(Engine.DOT), reason="system dot not installed")
def test_engine_info_names_the_system_dot_and_its_version() -> None:
    info = engine_info()
    assert info["engine"] == "dot"
    assert info["available"] is True
    assert info["graphviz_version"][0].isdigit()
    assert info["path"].endswith("dot")
    assert info["formats"] == ["svg", "png", "pdf", "dot"]
    assert engine_info("pygraphviz")["engine"] in ("pygraphviz", None)
