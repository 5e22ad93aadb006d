"""No user text can inject DOT, HTML-like label markup or anything active into the SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as StdET
from collections.abc import Iterator

import pygraphviz
import pytest
from defusedxml import ElementTree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.diagram.dot import build_dot, title_width
from maps.diagram.draw import draw
from maps.diagram.escape import attribute, escape_label, shorten, wrap
from maps.diagram.render import Engine, EngineUnavailableError, choose_engine, render
from models import Claim, MapContent, Relation, RelationKind, Source
from models.diagram import MAX_LINES_DEFAULT, WRAP_DEFAULT, DiagramFormat, DiagramOptions

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
LABEL_ELEMENTS = {"L", "B", "I", "FONT", "BR", "TABLE", "TR", "TD"}

CLASSIC = [
    '"',
    "\\",
    "\\N",
    "\\G \\E \\H \\T \\L \\l \\n \\r",
    "\\\\N",
    "&#92;N",
    "<",
    ">",
    "&",
    "&amp; &lt; &#x3C; &unknown;",
    "]",
    ";",
    '"]; x [label="pwned"]; y -> z [',
    "a\nb\r\nc\rd",
    "<b>bold</b> <i>it</i> <BR/> <TABLE>",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "<![CDATA[ x ]]> <!-- c --> <?pi x?>",
    "<svg><foreignObject><div>x</div></foreignObject></svg>",
    "w" * 500,
    "שלום עולם ومرحبا بالعالم \u202ereversed\u202c",
    "😀 👩‍👩‍👧 🇪🇺 e\u0301",
    "'single' `back` {brace} |pipe| #hash %percent",
    "tab\there",
    "\ud800 lone surrogate \udfff",
    "\x00 \x07 \x1b \x7f \x85 \ufffe \uffff",
]

# Text that leans on the characters with a meaning in DOT, HTML and Graphviz escapes.
NASTY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\"\\<>&;[]{}=,:#/'`\n\r\t NGELTHlnr-x!?%")),
        st.characters(codec="utf-8"),
    ),
    max_size=120,
)


def unescape_label_text(text: str) -> str:
    """What Graphviz shows for label text: entities decoded, `\\\\` read as one backslash."""
    return text.replace("\\\\", "\\")


def label_lines(label: str) -> list[str]:
    """The text lines of an HTML-like label, and a check that it holds only label markup."""
    root = StdET.fromstring(f"<L>{label}</L>")
    names = {element.tag for element in root.iter()}
    assert names <= LABEL_ELEMENTS, names - LABEL_ELEMENTS
    for element in root.iter():
        for name in element.attrib:
            assert name in {"POINT-SIZE", "COLOR"}, name
    lines = [""]

    def walk(element: StdET.Element) -> None:
        if element.text:
            lines[-1] += element.text
        for child in element:
            if child.tag == "BR":
                lines.append("")
            else:
                walk(child)
            if child.tail:
                lines[-1] += child.tail

    walk(root)
    return [unescape_label_text(line) for line in lines]


def svg_problems(svg: bytes) -> Iterator[str]:
    """Everything in an SVG that is not plain, inert SVG."""
    root = ElementTree.fromstring(svg)
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(SVG):
            yield f"foreign element {element.tag!r}"
            continue
        name = element.tag.removeprefix(SVG)
        if name in {"script", "foreignObject", "iframe", "object", "embed", "handler"}:
            yield f"active element {name}"
        for attr, value in element.attrib.items():
            local = attr.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                yield f"event attribute {attr} on {name}"
            if "javascript:" in value.lower().replace(" ", "") or "data:" in value.lower():
                yield f"script URL in {attr} on {name}"
            if local == "href" and value and not value.startswith("#"):
                yield f"link {value!r} on {name}"


def claim_texts(svg: bytes) -> dict[str, list[str]]:
    """The text lines drawn in each claim's box, by SVG id."""
    root = ElementTree.fromstring(svg)
    found: dict[str, list[str]] = {}
    for group in root.iter(f"{SVG}g"):
        if "claim" in group.get("class", "").split():
            texts = [(text.text or "").replace("\xa0", " ") for text in group.iter(f"{SVG}text")]
            found[group.get("id", "")] = [t for t in texts if t.strip()]
    return found


def one_claim_map(text: str, *, tag: str | None = None, title: str = "Map") -> MapContent:
    """A thesis with the text and one support; built without validation, so that the drawing
    is tested on text the models would refuse (controls, lone surrogates) too."""
    return MapContent.model_construct(
        title=title,
        description="",
        claims=[
            Claim.model_construct(id="a", text=text, tags=[tag] if tag else []),
            Claim.model_construct(
                id="b", text="Other", sources=[Source.model_construct(citation=text)]
            ),
        ],
        relations=[Relation(id="r", kind=RelationKind.SUPPORT, premises=["b"], target_claim="a")],
    )


def engines() -> list[object]:
    params: list[object] = []
    for engine in Engine:
        try:
            available = choose_engine(engine.value) is engine
        except EngineUnavailableError:
            available = False
        params.append(
            pytest.param(
                engine,
                marks=pytest.mark.skipif(not available, reason=f"{engine.value} is not installed"),
            )
        )
    return params


# -- the escaping function itself ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"', "&quot;"),
        ("\\", "\\\\"),
        ("\\N", "\\\\N"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("&", "&amp;"),
        ("]", "&#93;"),
        (";", ";"),
        ("'", "&#39;"),
        ("a\nb", "a<BR/>b"),
        ("a\r\nb", "a<BR/>b"),
        ("a\tb", "a b"),
        ("<script>", "&lt;script&gt;"),
        ("\x00\ud800\uffff", "\ufffd\ufffd\ufffd"),
        ("שלום 😀", "שלום 😀"),
    ],
)
def test_classic_cases(text: str, expected: str) -> None:
    assert escape_label(text) == expected


def cleaned(text: str) -> str:
    """The text as a label can carry it: one kind of line break, tabs as spaces, no controls."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return re.sub("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "\ufffd", text)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(), max_size=200))
def test_escaped_text_is_inert(text: str) -> None:
    escaped = escape_label(text)
    without_breaks = escaped.replace("<BR/>", "")
    assert "<" not in without_breaks
    assert ">" not in without_breaks
    assert '"' not in escaped
    assert re.fullmatch(r"(?:[^&]|&(?:amp|lt|gt|quot|#39|#93);)*", escaped, re.DOTALL)
    assert "\\" not in without_breaks.replace("\\\\", "")  # backslashes only in pairs
    # Read back as XML, then as Graphviz reads label text: the text, line for line.
    assert label_lines(escaped) == cleaned(text).split("\n")


@given(st.text(max_size=300), st.integers(min_value=10, max_value=200))
def test_wrap_keeps_every_word_within_width(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(len(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(cleaned(text).split())


@pytest.mark.parametrize("value", ['a"b', "a\\b", "a<b", "a>b", "a\nb", "a;b", "a[b]", "\\N"])
def test_attribute_refuses_unsafe_values(value: str) -> None:
    with pytest.raises(ValueError, match="not a safe DOT attribute"):
        attribute(value)


def test_attribute_quotes_safe_values() -> None:
    assert attribute("claim-a.b:c_d") == '"claim-a.b:c_d"'
    assert attribute("#009E73") == '"#009E73"'


# -- DOT: user text cannot add nodes, edges or attributes ------------------------------------


def shown(text: str) -> list[str]:
    """The lines of a claim's text its box shows at wrap 30: cut to `max_lines` with '…'."""
    return shorten(wrap(text, 30), max_lines=MAX_LINES_DEFAULT, width=30)


def check_dot(content: MapContent) -> None:
    source = build_dot(content, DiagramOptions(wrap=30))
    graph = pygraphviz.AGraph(string=source)
    assert sorted(graph.nodes()) == ["c0", "c1"]
    assert len(graph.edges()) == 1
    assert set(graph.graph_attr.keys()) <= {
        "bgcolor", "class", "fontcolor", "fontname", "fontsize", "id", "label", "labeljust",
        "labelloc", "newrank", "nodesep", "rankdir", "ranksep",
    }  # fmt: skip
    node = graph.get_node("c0")
    assert set(node.attr.keys()) <= {"class", "color", "id", "label", "peripheries"}
    assert node.attr["id"] == "claim-a"
    claim = content.claims[0]
    expected = shown(claim.text)
    if claim.tags:
        expected += wrap(f"#{claim.tags[0]}", 30)
    # (an empty label is drawn as a single space)
    assert [line.strip() for line in label_lines(node.attr["label"])] == expected


@pytest.mark.parametrize("text", CLASSIC)
def test_classic_cases_stay_inside_their_label(text: str) -> None:
    check_dot(one_claim_map(text, tag=text, title=text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NASTY, tag=NASTY, title=NASTY)
def test_no_text_injects_dot(text: str, tag: str, title: str) -> None:
    check_dot(one_claim_map(text, tag=tag, title=title))


# -- SVG: what reaches the browser is inert and shows the text as written --------------------


def check_svg(content: MapContent, engine: Engine) -> None:
    svg = render(build_dot(content, DiagramOptions(wrap=30)), "svg", engine=engine)
    assert list(svg_problems(svg)) == []
    texts = claim_texts(svg)
    assert set(texts) == {"claim-a", "claim-b"}
    claim = content.claims[0]
    expected = [line for line in shown(claim.text) if line]
    if claim.tags:
        expected += [line for line in wrap(f"#{claim.tags[0]}", 30) if line]
    assert texts["claim-a"] == expected


@pytest.mark.parametrize("engine", engines())
@pytest.mark.parametrize("text", CLASSIC)
def test_classic_cases_reach_the_svg_as_text(text: str, engine: Engine) -> None:
    check_svg(one_claim_map(text, tag=text, title=text), engine)


@pytest.mark.parametrize("engine", engines())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NASTY, tag=NASTY)
def test_no_text_reaches_the_svg_as_markup(engine: Engine, text: str, tag: str) -> None:
    check_svg(one_claim_map(text, tag=tag, title=tag), engine)


# -- titles, groups and hover texts: the same guarantees ----------------------------------------


def titled_map(title: str, group: str) -> MapContent:
    content = one_claim_map("Text", title="Map")
    claim = content.claims[0].model_copy(update={"title": title or None, "group": group or None})
    return content.model_copy(update={"claims": [claim, content.claims[1]]})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=NASTY, group=NASTY)
def test_no_title_or_group_injects_dot(title: str, group: str) -> None:
    content = titled_map(title, group)
    graph = pygraphviz.AGraph(string=build_dot(content, DiagramOptions(groups=True)))
    assert sorted(graph.nodes()) == ["c0", "c1"]
    assert len(graph.edges()) == 1
    assert len(graph.subgraphs()) == (1 if group else 0)
    lines = [line.strip() for line in label_lines(graph.get_node("c0").attr["label"])]
    expected = wrap(title, title_width(WRAP_DEFAULT)) if title else shown("Text")
    assert lines[: len(expected)] == [line.strip() for line in expected]


@pytest.mark.parametrize("text", CLASSIC)
def test_classic_cases_reach_the_hover_text_as_text(text: str) -> None:
    content = titled_map(text[:80], text)
    svg = draw(content, DiagramOptions(wrap=30, groups=True), DiagramFormat.SVG).body
    assert list(svg_problems(svg)) == []
    root = ElementTree.fromstring(svg)
    claim = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "claim-a")
    hover = claim.findtext(f"{SVG}title") or ""
    assert "Text" in hover
