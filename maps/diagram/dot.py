"""A map as Graphviz DOT source: one box per claim, one arrow (or junction) per relation.

Design:

- Node names are internal (`c0`, `c1`, ... for claims, `r0`, ... for relation junctions), never
  user text. User text reaches DOT only through `escape.escape_label`, inside HTML-like
  labels. SVG ids are `claim-<id>` and `relation-<id>` (claim and relation ids are validated to
  `[A-Za-z0-9_.:-]`), classes come from fixed vocabularies.
- Edges run from a relation's target to its premises with `dir=back`, so the arrowhead still
  points at the target while Graphviz ranks targets first: theses (and claims with no relations)
  sit on the first rank, at the top for `TB`.
- A relation with one premise, not undercut, is one edge (`id="relation-<id>"`) with its `+`/`−`
  mark as a tail label (tail labels do not enter the layout, so they cost no time).
  A relation with linked premises, or one that an undercut aims at, gets a junction: a small
  circle (`id="relation-<id>"`) showing the `+`/`−` mark, joined to each premise by a line
  (`id="premise-<id>-<n>"`, class `relation-premise`) and to its target by the arrow
  (`id="arrow-<id>"`, class `relation-arrow`). So `.relation` selects exactly one element per
  relation, and `kind-support|objection|rebuttal` and `undercut` classes say what it is. An undercut ends
  on the junction of the relation it targets. Junctions only where needed keep large maps at one
  node per claim, which is what makes 5000-claim maps lay out in seconds.
- Supports, objections and rebuttals differ by colour (Okabe-Ito), line style (solid, dashed,
  dotted), arrowhead (normal, tee) and mark (`+`, `−`), so they read in grayscale too.
- Output is a pure function of (map, options, status): same input, same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from maps.diagram.escape import attribute, escape_label, shorten, wrap
from maps.diagram.layout import (
    BOX_MARGIN,
    CHAR_WIDTH,
    LINE_HEIGHT,
    Layout,
    choose_layout,
    loose_premises,
)
from maps.queries import claim_roles, neighbourhood, rebuttals, subgraph
from maps.validation import check_references, not_in_map
from models import Claim, LimitExceededError, MapContent, Relation, RelationKind
from models.diagram import WRAP_MIN, DiagramOptions, Direction, LabelMode, StatusLabel, Theme
from models.evaluation import VERDICT_LABELS

# Bump when the drawing changes, so caches keyed on it drop old diagrams.
STYLE_VERSION = "4"

# From this many claims on, layout settings trade a little polish for speed (see bench/render.py).
LARGE_MAP_CLAIMS = 1000


class Standing(Protocol):
    """A claim's evaluation as drawn: label `in`, `out` or `undecided`, strength in [0, 1] or None.

    The values of `Evaluation.claims` are such: the caller evaluates, the diagram only draws.
    """

    @property
    def label(self) -> str: ...

    @property
    def strength(self) -> float | None: ...


Status = Mapping[str, Standing]
"""Evaluation per claim id (claims missing from it are drawn without a status)."""


@dataclass(frozen=True)
class Palette:
    background: str
    text: str
    muted: str
    claim_fill: str
    claim_border: str
    thesis_border: str
    support: str
    objection: str
    rebuttal: str
    status_fill: Mapping[StatusLabel, str]


# Okabe-Ito: bluish green #009E73, vermillion #D55E00, blue #0072B2, sky blue #56B4E9,
# yellow #F0E442; the status fills are light tints of the same hues.
PALETTES: Mapping[Theme, Palette] = {
    Theme.LIGHT: Palette(
        background="#FFFFFF",
        text="#1A1A1A",
        muted="#555555",
        claim_fill="#FFFFFF",
        claim_border="#4D4D4D",
        thesis_border="#000000",
        support="#009E73",
        objection="#D55E00",
        rebuttal="#0072B2",
        status_fill={
            StatusLabel.IN: "#CCEDE3",
            StatusLabel.OUT: "#F7D7C4",
            StatusLabel.UNDECIDED: "#FBF5C8",
        },
    ),
    Theme.DARK: Palette(
        background="#1E1E1E",
        text="#EEEEEE",
        muted="#AAAAAA",
        claim_fill="#2A2A2A",
        claim_border="#BBBBBB",
        thesis_border="#FFFFFF",
        support="#009E73",
        objection="#D55E00",
        rebuttal="#56B4E9",
        status_fill={
            StatusLabel.IN: "#1C4A3C",
            StatusLabel.OUT: "#5C2E14",
            StatusLabel.UNDECIDED: "#4D4819",
        },
    ),
    Theme.PRINT: Palette(
        background="#FFFFFF",
        text="#000000",
        muted="#333333",
        claim_fill="#FFFFFF",
        claim_border="#000000",
        thesis_border="#000000",
        support="#000000",
        objection="#000000",
        rebuttal="#000000",
        status_fill={
            StatusLabel.IN: "#FFFFFF",
            StatusLabel.OUT: "#D9D9D9",
            StatusLabel.UNDECIDED: "#F0F0F0",
        },
    ),
}

FONT = "Helvetica"
MINUS = "\u2212"


@dataclass(frozen=True)
class RelationStyle:
    name: str
    mark: str
    line: str
    arrow: str
    meaning: str


SUPPORT = RelationStyle("support", "+", "solid", "normal", "supports")
OBJECTION = RelationStyle("objection", MINUS, "dashed", "tee", "objects to")
REBUTTAL = RelationStyle("rebuttal", MINUS, "dotted", "tee", "rebuts (objects to an objection)")

# Border style and the verdict's word per evaluation label: legible without colour, and the
# words a person reads everywhere (models.evaluation.VERDICT_LABELS).
STATUS_STYLE: Mapping[StatusLabel, tuple[str, str]] = {
    StatusLabel.IN: ("solid", VERDICT_LABELS["stands"]),
    StatusLabel.OUT: ("dashed", VERDICT_LABELS["defeated"]),
    StatusLabel.UNDECIDED: ("dotted", VERDICT_LABELS["open"]),
}


def status_label(label: str) -> StatusLabel:
    """An evaluation label as drawn: anything not `in` or `out` is drawn as undecided."""
    try:
        return StatusLabel(label)
    except ValueError:
        return StatusLabel.UNDECIDED


def focus_content(content: MapContent, options: DiagramOptions) -> MapContent:
    """The part of the map the options ask for (all of it without `focus`)."""
    if options.focus is None:
        return content
    if all(claim.id != options.focus for claim in content.claims):
        raise not_in_map("claim", options.focus, loc=("query", "focus"))
    claims, relations = neighbourhood(content, options.focus, options.depth)
    return subgraph(content, claims, relations)


def check_size(content: MapContent, max_claims: int | None) -> None:
    """Refuse a diagram with more claims than `max_claims`, saying how to draw a part."""
    if max_claims is not None and len(content.claims) > max_claims:
        raise LimitExceededError(
            f"the diagram would show {len(content.claims)} claims, more than the limit of "
            f"{max_claims}; draw part of the map with focus=<claim id> and depth=<relations>",
            loc=("query", "focus"),
        )


def relation_styles(content: MapContent) -> dict[str, RelationStyle]:
    """Support, objection or rebuttal (an objection aimed at an objecting claim or relation)."""
    rebutting = rebuttals(content)
    styles: dict[str, RelationStyle] = {}
    for relation in content.relations:
        if relation.kind is RelationKind.SUPPORT:
            styles[relation.id] = SUPPORT
        else:
            styles[relation.id] = REBUTTAL if relation.id in rebutting else OBJECTION
    return styles


def build_dot(
    content: MapContent,
    options: DiagramOptions | None = None,
    *,
    status: Status | None = None,
    max_claims: int | None = None,
    notes: Mapping[str, str] | None = None,
) -> str:
    """DOT source for a diagram of the map (or of the part around `options.focus`).

    `notes` adds a small line to the box of a claim (by id), such as where else it appears.
    """
    options = options or DiagramOptions()
    # Roles and relation kinds come from the whole map: a focused view shows the same roles.
    roles = claim_roles(content)
    styles = relation_styles(content)
    drawn = focus_content(content, options)
    check_size(drawn, max_claims)
    palette = PALETTES[options.theme]
    large = len(drawn.claims) >= LARGE_MAP_CLAIMS

    claim_node, junction = node_names(drawn)
    _check_references(drawn, claim_node)
    layout, minlen = _layout(drawn, options, large=large)
    loose = loose_premises(drawn) if large else frozenset()

    out: list[str] = ["digraph argmap {"]
    out.append(
        _graph_attributes(
            drawn, options, palette, layout, loose=len(loose), status=status is not None
        )
    )
    out.append(
        f"node [shape=box, style={attribute('rounded,filled')}, fontname={FONT}, fontsize=11, "
        f"margin={attribute('0.14,0.07')}, penwidth=1.2, fillcolor={attribute(palette.claim_fill)}, "
        f"color={attribute(palette.claim_border)}, fontcolor={attribute(palette.text)}];"
    )
    out.append(
        f"edge [dir=back, penwidth=1.5, arrowsize=0.8, fontname={FONT}, labelfontsize=12, "
        f"labeldistance=1.6, labelangle=35, arrowhead=none];"
    )

    nodes = {
        claim.id: _claim_node(
            claim,
            roles[claim.id].value,
            claim_node[claim.id],
            status.get(claim.id) if status is not None else None,
            palette,
            options,
            note=(notes or {}).get(claim.id),
        )
        for claim in drawn.claims
    }
    out.extend(_grouped(drawn, nodes, palette) if options.groups else nodes.values())

    for relation in drawn.relations:
        out.extend(
            _relation(relation, styles[relation.id], palette, claim_node, junction, minlen, loose)
        )

    out.append("}")
    return "\n".join(out) + "\n"


def node_names(content: MapContent) -> tuple[dict[str, str], dict[str, str]]:
    """Graphviz names of the claims (`c0`, ...) and of the relations drawn as junctions (`r0`)."""
    claim_node = {claim.id: f"c{index}" for index, claim in enumerate(content.claims)}
    undercut = {r.target_relation for r in content.relations if r.target_relation is not None}
    junction = {
        relation.id: f"r{index}"
        for index, relation in enumerate(content.relations)
        if len(relation.premises) > 1 or relation.id in undercut
    }
    return claim_node, junction


def _layout(
    drawn: MapContent, options: DiagramOptions, *, large: bool
) -> tuple[Layout, Mapping[str, int]]:
    """The direction asked for, or with `auto` the one chosen from the map's shape."""
    if options.direction is not Direction.AUTO:
        return Layout(options.direction), {}
    return choose_layout(drawn, lambda claim: box_size(claim, options), large=large)


def box_size(claim: Claim, options: DiagramOptions) -> tuple[float, float]:
    """A rough width and height in points of a claim's box, for choosing a layout."""
    title, text = claim_lines(claim, options)
    lines = title + text
    if not (options.label is LabelMode.TITLE and claim.title is not None):
        lines += [""] * (bool(claim.tags) + bool(claim.sources))
    longest = max((len(line) for line in lines), default=1)
    return (
        longest * CHAR_WIDTH + BOX_MARGIN[0],
        max(1, len(lines)) * LINE_HEIGHT + BOX_MARGIN[1],
    )


def _grouped(content: MapContent, nodes: Mapping[str, str], palette: Palette) -> list[str]:
    """Claims' boxes with those of each group inside a cluster labelled with its name."""
    lines: list[str] = []
    groups: dict[str, list[str]] = {}
    for claim in content.claims:
        if claim.group is None:
            lines.append(nodes[claim.id])
        else:
            groups.setdefault(claim.group, []).append(claim.id)
    for index, (name, members) in enumerate(groups.items()):
        lines.append(
            f"subgraph cluster_{index} {{ id={attribute(f'group-{index}')}; "
            f"class={attribute('group')}; style={attribute('rounded,dashed')}; "
            f"color={attribute(palette.muted)}; fontcolor={attribute(palette.muted)}; "
            f"fontsize=12; label=<<I>{escape_label(name)}</I>>;"
        )
        lines.extend("  " + nodes[claim_id] for claim_id in members)
        lines.append("}")
    return lines


def _claim_node(
    claim: Claim,
    role: str,
    node: str,
    claim_status: Standing | None,
    palette: Palette,
    options: DiagramOptions,
    *,
    note: str | None = None,
) -> str:
    """The DOT statement of one claim's box: its label, classes and border."""
    classes = ["claim", f"role-{role}"]
    attrs = [f"id={attribute('claim-' + claim.id)}"]
    label: list[str] = []
    border_style = "solid"
    if claim_status is not None:
        label_value = status_label(claim_status.label)
        # The verdict alone: a strength beside it would read as a second verdict (issue 15).
        border_style, marker = STATUS_STYLE[label_value]
        label.append(f'<FONT POINT-SIZE="9"><B>{escape_label(marker)}</B></FONT><BR/>')
        classes.append(f"status-{label_value.value}")
        attrs.append(f"fillcolor={attribute(palette.status_fill[label_value])}")
    if border_style != "solid":
        attrs.append(f"style={attribute('rounded,filled,' + border_style)}")
    label.append(_claim_words(claim, role, options))
    if options.label is LabelMode.TITLE and claim.title is not None:
        # A compact box: the title alone, with a source mark at its end; the tooltip says more.
        label.append(
            f' <FONT COLOR="{palette.muted}"><I>\u00a7</I></FONT>' if claim.sources else ""
        )
    else:
        label.extend(_claim_marks(claim, palette, options))
    if note:
        label.append(
            f'<BR/><FONT POINT-SIZE="9" COLOR="{palette.muted}"><I>{escape_label(note)}</I></FONT>'
        )
        classes.append("noted")
    if claim.sources:
        classes.append("has-sources")
    if role == "thesis":
        attrs.append(f"peripheries=2, color={attribute(palette.thesis_border)}")
    if claim.id == options.focus:
        classes.append("focus")
        attrs.append("penwidth=3")
    attrs.append(f"class={attribute(' '.join(classes))}")
    # Graphviz refuses an empty HTML-like label (`<>`); a space keeps the box.
    return f"{node} [{', '.join(attrs)}, label=<{''.join(label) or ' '}>];"


def claim_lines(claim: Claim, options: DiagramOptions) -> tuple[list[str], list[str]]:
    """The lines of a claim's title and of its text that its box shows (either may be empty)."""
    text = shorten(wrap(claim.text, options.wrap), max_lines=options.max_lines, width=options.wrap)
    if claim.title is None or options.label is LabelMode.TEXT:
        return [], text
    title = wrap(claim.title, title_width(options.wrap))
    return (title, []) if options.label is LabelMode.TITLE else (title, text)


def title_width(wrap_width: int) -> int:
    """Characters per line of a title: titles are short, so narrower boxes stack better."""
    return max(WRAP_MIN, round(wrap_width * TITLE_WRAP))


# Titles wrap at this share of `wrap`: at the default 40, a typical title takes two lines of 26.
TITLE_WRAP = 0.65


def _claim_words(claim: Claim, role: str, options: DiagramOptions) -> str:
    """A claim's title (bold) and text (bold for a thesis without a title) as label content."""
    title, text = claim_lines(claim, options)
    parts = []
    if title:
        parts.append(_bold(escape_label("\n".join(title))))
    if text:
        words = escape_label("\n".join(text))
        parts.append(_bold(words) if role == "thesis" and not title else words)
    return "<BR/>".join(parts)


def _claim_marks(claim: Claim, palette: Palette, options: DiagramOptions) -> list[str]:
    """The small lines under a claim's text: its #tags and how many sources it has."""
    marks = []
    if claim.tags:
        tags = escape_label("\n".join(wrap(" ".join(f"#{t}" for t in claim.tags), options.wrap)))
        marks.append(f'<BR/><FONT POINT-SIZE="9" COLOR="{palette.muted}">{tags}</FONT>')
    if claim.sources:
        count = len(claim.sources)
        noun = "source" if count == 1 else "sources"
        marks.append(
            f'<BR/><FONT POINT-SIZE="9" COLOR="{palette.muted}"><I>\u00a7 {count} {noun}</I></FONT>'
        )
    return marks


def _bold(text: str) -> str:
    """Bold text; Graphviz refuses an empty element (`<B></B>`), so empty stays empty."""
    return f"<B>{text}</B>" if text else text


def _check_references(content: MapContent, claim_node: Mapping[str, str]) -> None:
    relation_ids = {relation.id for relation in content.relations}
    for index, relation in enumerate(content.relations):
        check_references(
            relation, claim_ids=claim_node, relation_ids=relation_ids, loc=("relations", index)
        )


def _relation(
    relation: Relation,
    style: RelationStyle,
    palette: Palette,
    claim_node: Mapping[str, str],
    junction: Mapping[str, str],
    minlen: Mapping[str, int],
    loose: frozenset[tuple[str, int]] = frozenset(),
) -> list[str]:
    """The edges (and junction) of a relation; premise edges in `loose` do not rank."""
    colour = getattr(palette, style.name)
    undercut = relation.target_relation is not None
    kind = f"kind-{style.name}" + (" undercut" if undercut else "")
    classes = f"relation {kind}"
    look = f"color={attribute(colour)}, style={style.line}"
    target = (
        claim_node[relation.target_claim]
        if relation.target_claim is not None
        else junction[str(relation.target_relation)]
    )
    node = junction.get(relation.id)
    if node is None:
        premise = claim_node[relation.premises[0]]
        length = minlen.get(relation.premises[0], 1)
        return [
            f"{target} -> {premise} [id={attribute('relation-' + relation.id)}, "
            + (f"minlen={length}, " if length > 1 else "")
            + (_LOOSE if (relation.id, 0) in loose else "")
            + f"class={attribute(classes)}, {look}, arrowtail={style.arrow}, "
            f"taillabel={attribute(style.mark)}, labelfontcolor={attribute(colour)}];"
        ]
    lines = [
        f"{node} [id={attribute('relation-' + relation.id)}, class={attribute(classes + ' junction')}, "
        f"shape=circle, fixedsize=true, width=0.24, height=0.24, margin=0, penwidth=1.5, "
        f"style=filled, fillcolor={attribute(palette.background)}, color={attribute(colour)}, "
        f"fontcolor={attribute(colour)}, fontsize=12, label={attribute(style.mark)}];",
        f"{target} -> {node} [id={attribute('arrow-' + relation.id)}, "
        f"class={attribute('relation-arrow ' + kind)}, {look}, arrowtail={style.arrow}];",
    ]
    for position, premise in enumerate(relation.premises):
        lines.append(
            f"{node} -> {claim_node[premise]} [id={attribute(f'premise-{relation.id}-{position}')}, "
            + (_LOOSE if (relation.id, position) in loose else "")
            + f"class={attribute('relation-premise ' + kind)}, {look}, arrowtail=none];"
        )
    return lines


def _graph_attributes(
    content: MapContent,
    options: DiagramOptions,
    palette: Palette,
    layout: Layout,
    *,
    loose: int,
    status: bool,
) -> str:
    attrs = [
        f"rankdir={layout.direction.value}",
        f"bgcolor={attribute(palette.background)}",
        f"fontname={FONT}",
        f"fontcolor={attribute(palette.text)}",
        "fontsize=10",
        *LAYOUT,
        f"nodesep={layout.nodesep:g}",
        "ranksep=0.45",
        "labelloc=t",
        "labeljust=l",
        f"id={attribute('argmap')}",
        f"class={attribute('argmap theme-' + options.theme.value)}",
    ]
    attrs.extend(large_map_layout(len(content.claims), loose / max(1, len(content.relations))))
    attrs.append(f"label=<{_heading(content, options, palette, status=status)}>")
    return "graph [" + ", ".join(attrs) + "];"


# Measured with bench/render.py on Graphviz 2.43 (2 cores): a 5000-claim DAG takes 16-19 s with
# dot's defaults. `newrank=true` skips the old ranker's cleanup pass, which is quadratic in the
# number of edges (about 2.5 s of it); it gives the same ranks for graphs without clusters, so it
# is always on. For large maps, fewer crossing-minimisation rounds (`mclimit`) and a cap on the
# network-simplex iterations that straighten edges (`nslimit`) cut the rest from ~4 s to ~1 s,
# at the price of ~15% more crossings and less compact x positions.
LAYOUT = ("newrank=true",)
NSLIMIT = 0.2  # at LARGE_MAP_CLAIMS; less for larger maps (`large_map_layout`)
LARGE_MAP_LAYOUT = ("mclimit=0.05", f"nslimit={NSLIMIT:g}", "remincross=false")

# `dot -v` on the 5000-claim DAG (2026-12-01, CPU seconds on a loaded machine): rank 0.3,
# mincross 6-15, position 2.3-4.5, splines 0.2-0.3, render 0.5. Ranking each premise by one
# relation only (`layout.loose_premises`: the other edges get `constraint=false`) takes mincross
# to 0.3-0.8 s and shortens the edges (median horizontal run 458 in -> 130 in).
# Position is network simplex on an auxiliary graph of about three nodes per claim, allowed
# nslimit x nodes iterations of a cost that grows with the nodes: at 0.2 it is 3-4.5 s of the
# DAG. A tree needs them, to centre each claim over its premises (at nslimit 0.04 its median
# edge runs 103 in instead of 14), and takes 2.3-2.6 s in all at 5000 claims; a DAG, whose
# claims with several targets cannot sit under each, gains less from them. So a map with more
# loose premise edges than `LOOSE_SHARE` per relation gets nslimit 0.2 x 1000 / claims (0.04 at
# 5000: position 0.6-1.7 s; edges' mean horizontal run 827 in against 654 before loosening, on
# a drawing 4955 in wide instead of 6731). Graphviz's spline routing stays: it is 0.2-0.3 s,
# and `splines=polyline` saved under 0.1 s.
_LOOSE = "constraint=false, "
LOOSE_SHARE = 0.1


def large_map_layout(claims: int, loose_share: float = 0.0) -> tuple[str, ...]:
    """The graph attributes added for a map of `claims` claims (none below LARGE_MAP_CLAIMS)
    with `loose_share` premise edges per relation that do not rank their premise."""
    if claims < LARGE_MAP_CLAIMS:
        return ()
    nslimit = NSLIMIT * LARGE_MAP_CLAIMS / claims if loose_share > LOOSE_SHARE else NSLIMIT
    return tuple(
        f"nslimit={nslimit:.3g}" if setting.startswith("nslimit=") else setting
        for setting in LARGE_MAP_LAYOUT
    )


def _heading(
    content: MapContent, options: DiagramOptions, palette: Palette, *, status: bool
) -> str:
    """The title and, if asked, a compact legend, as an HTML-like table above the diagram."""
    title = escape_label("\n".join(wrap(content.title, max(options.wrap, 60))))
    heading = f'<FONT POINT-SIZE="16">{_bold(title)}</FONT>' if title else ""
    rows = [f'<TR><TD ALIGN="LEFT" COLSPAN="6">{heading}</TD></TR>']
    if options.legend:
        cells = []
        for style in (SUPPORT, OBJECTION, REBUTTAL):
            colour = getattr(palette, style.name)
            cells.append(
                f'<TD WIDTH="36" HEIGHT="10" FIXEDSIZE="TRUE" SIDES="B" BORDER="2" '
                f'STYLE="{style.line}" COLOR="{colour}"></TD>'
                f'<TD ALIGN="LEFT"><FONT COLOR="{colour}"><B>{style.mark}</B></FONT> '
                f"{style.meaning}</TD>"
            )
        rows.append(f"<TR>{''.join(cells)}</TR>")
        rows.append(
            '<TR><TD><FONT POINT-SIZE="13">\u25cb</FONT></TD>'
            '<TD ALIGN="LEFT">junction: linked premises, undercut target</TD>'
            '<TD><TABLE BORDER="1" CELLBORDER="0" CELLPADDING="0" CELLSPACING="1" '
            f'COLOR="{palette.thesis_border}"><TR><TD BORDER="1" WIDTH="24" HEIGHT="8" '
            f'COLOR="{palette.thesis_border}"></TD></TR></TABLE></TD>'
            '<TD ALIGN="LEFT">thesis</TD>'
            '<TD><I>\u00a7</I></TD><TD ALIGN="LEFT">claim has sources</TD></TR>'
        )
        if status:
            cells = []
            for label_value, (border, marker) in STATUS_STYLE.items():
                cells.append(
                    f'<TD BGCOLOR="{palette.status_fill[label_value]}" BORDER="1" '
                    f'STYLE="{border}" COLOR="{palette.claim_border}">'
                    f'<FONT POINT-SIZE="8"><B>{marker}</B></FONT></TD>'
                    f'<TD ALIGN="LEFT">{_STATUS_MEANING[label_value]}</TD>'
                )
            rows.append(f"<TR>{''.join(cells)}</TR>")
            rows.append(
                '<TR><TD COLSPAN="6" ALIGN="LEFT">'
                "the verdict of the map's evaluation (grounded: in, out, undecided)"
                "</TD></TR>"
            )
    return f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="2">{"".join(rows)}</TABLE>'


_STATUS_MEANING: Mapping[StatusLabel, str] = {
    StatusLabel.IN: "no standing objection defeats it",
    StatusLabel.OUT: "a standing objection defeats it",
    StatusLabel.UNDECIDED: "not decided: it sits in a circle of objections",
}
