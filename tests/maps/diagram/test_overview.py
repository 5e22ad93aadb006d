"""The whole-map overview: titles in boxes, a layout that fits a screen, hover texts, groups."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from defusedxml import ElementTree

from maps.diagram.dot import build_dot, claim_lines
from maps.diagram.draw import draw
from maps.diagram.escape import ELLIPSIS, shorten, wrap
from maps.diagram.layout import DEFAULT_LAYOUT, choose_layout, claim_depths
from maps.diagram.render import render
from maps.diagram.tooltips import claim_tooltip
from maps.samples import load_sample
from models import Claim, MapContent, Relation, RelationKind, Source
from models.diagram import DiagramFormat, DiagramOptions, Direction, LabelMode

SVG = "{http://www.w3.org/2000/svg}"
OUTPUT = Path(__file__).resolve().parents[2] / "output"
SCREEN = (1920, 1080)


def svg_root(content: MapContent, options: DiagramOptions | None = None) -> ElementTree.Element:
    body = draw(content, options or DiagramOptions(), DiagramFormat.SVG).body
    return ElementTree.fromstring(body)


def claim_groups(root: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {
        g.get("id", "")[len("claim-") :]: g
        for g in root.iter(f"{SVG}g")
        if "claim" in g.get("class", "").split()
    }


def lines_of(group: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in group.iter(f"{SVG}text")]


def fitted(root: ElementTree.Element) -> tuple[float, float]:
    """The drawing's aspect ratio, and the scale at which it fits the screen."""
    _, _, width, height = (float(v) for v in root.get("viewBox", "").split())
    return width / height, min(SCREEN[0] / width, SCREEN[1] / height)


# -- the sample at default options ------------------------------------------------------------


def test_the_sample_overview_fits_a_screen_with_readable_text() -> None:
    root = svg_root(load_sample())
    aspect, scale = fitted(root)
    assert 1 / 2.5 <= aspect <= 2.5
    sizes = [
        float(text.get("font-size", "14"))
        for group in claim_groups(root).values()
        for text in group.iter(f"{SVG}text")
    ]
    assert min(sizes) * scale >= 7.0
    OUTPUT.mkdir(parents=True, exist_ok=True)
    source = build_dot(load_sample(), DiagramOptions())
    (OUTPUT / "diagram-overview.png").write_bytes(render(source, DiagramFormat.PNG))


def test_every_sample_claim_has_a_short_title_shown_in_its_box() -> None:
    content = load_sample()
    assert all(claim.title and len(claim.title) <= 80 for claim in content.claims)
    groups = claim_groups(svg_root(content))
    for claim in content.claims:
        shown = " ".join(line.strip() for line in lines_of(groups[claim.id]))
        assert shown.replace(" \u00a7", "").strip() == " ".join(wrap(claim.title or "", 26))


def test_hover_texts_are_the_full_claims_not_graphviz_names() -> None:
    content = load_sample()
    body = draw(content, DiagramOptions(), DiagramFormat.SVG).body.decode()
    assert not re.search(r"<title>(c|r)\d+(&#45;&gt;|</title>)", body)
    groups = claim_groups(ElementTree.fromstring(body))
    for claim in content.claims:
        title = groups[claim.id].find(f"{SVG}title")
        assert title is not None
        assert title.text == claim_tooltip(claim)
        assert claim.text in (title.text or "")
    first = content.claims[0]
    tooltip = claim_tooltip(first)
    assert " ".join(f"#{tag}" for tag in first.tags) in tooltip
    assert first.sources[0].citation in tooltip
    edges = [g for g in ElementTree.fromstring(body).iter(f"{SVG}g") if g.get("class") == "edge"]
    assert all("\u201c" in (g.findtext(f"{SVG}title") or "") for g in edges)


def test_the_sample_is_laid_out_left_to_right_with_staggered_leaves() -> None:
    content = load_sample()
    source = build_dot(content, DiagramOptions())
    assert "rankdir=LR" in source
    assert "minlen=2" in source
    assert "rankdir=TB" in build_dot(content, DiagramOptions(direction=Direction.TB))


def test_a_deep_narrow_map_stays_top_down() -> None:
    claims = [Claim(id=f"k{i}", text=f"Step {i} of a long chain.") for i in range(8)]
    relations = [
        Relation(
            id=f"r{i}", kind=RelationKind.SUPPORT, premises=[f"k{i + 1}"], target_claim=f"k{i}"
        )
        for i in range(7)
    ]
    chain = MapContent(title="Chain", claims=claims, relations=relations)
    assert claim_depths(chain)["k7"] == 7
    layout, minlen = choose_layout(chain, lambda claim: (150.0, 30.0), large=False)
    assert layout.direction is Direction.TB
    assert minlen == {}
    assert choose_layout(chain, lambda claim: (150.0, 30.0), large=True) == (DEFAULT_LAYOUT, {})


# -- labels ------------------------------------------------------------------------------------

LONG = " ".join(f"word{i}" for i in range(40))


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    lines = wrap(LONG, 20)
    cut = shorten(lines, max_lines=2, width=20)
    assert len(cut) == 2
    assert cut[0] == lines[0]
    assert cut[1].endswith(ELLIPSIS)
    assert all(len(line) <= 20 for line in cut)
    assert cut[1][:-1] in lines[1]
    assert shorten(["short"], max_lines=2, width=20) == ["short"]


@pytest.mark.parametrize(
    ("label", "title_shown", "text_shown"),
    [(LabelMode.TITLE, True, False), (LabelMode.TEXT, False, True), (LabelMode.BOTH, True, True)],
)
def test_label_modes(label: LabelMode, title_shown: bool, text_shown: bool) -> None:
    claim = Claim(id="a", text=LONG, title="A short title")
    title, text = claim_lines(claim, DiagramOptions(label=label, max_lines=2))
    assert bool(title) is title_shown
    assert bool(text) is text_shown
    if text:
        assert len(text) == 2
        assert text[-1].endswith(ELLIPSIS)


def test_a_claim_without_a_title_shows_its_text_cut_to_max_lines() -> None:
    content = MapContent(title="T", claims=[Claim(id="a", text=LONG)])
    lines = lines_of(claim_groups(svg_root(content, DiagramOptions(max_lines=2)))["a"])
    assert len(lines) == 2
    assert lines[-1].endswith(ELLIPSIS)


# -- groups ------------------------------------------------------------------------------------


def test_groups_are_drawn_as_labelled_clusters() -> None:
    root = svg_root(load_sample(), DiagramOptions(groups=True))
    clusters = [g for g in root.iter(f"{SVG}g") if "group" in g.get("class", "").split()]
    names = {claim.group for claim in load_sample().claims if claim.group}
    assert len(clusters) == len(names)
    labels = {" ".join(t.text or "" for t in g.iter(f"{SVG}text")) for g in clusters}
    assert labels == names
    assert {g.findtext(f"{SVG}title") for g in clusters} == names


def test_user_text_in_a_group_name_and_tooltip_stays_text() -> None:
    nasty = '</title><script>alert(1)</script> \\N "quoted" & more'
    content = MapContent(
        title="T",
        claims=[
            Claim(
                id="a", text=nasty, title=nasty[:80], group=nasty, sources=[Source(citation=nasty)]
            )
        ],
    )
    body = draw(content, DiagramOptions(groups=True), DiagramFormat.SVG).body
    root = ElementTree.fromstring(body)
    assert not list(root.iter(f"{SVG}script"))
    title = claim_groups(root)["a"].findtext(f"{SVG}title") or ""
    assert nasty in title
