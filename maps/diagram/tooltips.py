"""What hovering a claim or a relation in the SVG shows: its full text, tags and sources.

Graphviz writes each node's and edge's name as its SVG `<title>` (`c0`, `c0->c3`), which the
browser shows on hover. Rather than pass user text through a DOT `tooltip` (a quoted string in
which Graphviz substitutes `\\N`, `\\G` and the like), the rendered SVG's titles are replaced,
by name, with the text XML-escaped: user text never enters DOT this way at all.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from maps.diagram.dot import RelationStyle, node_names, relation_styles
from maps.diagram.escape import escape_text
from models import Claim, MapContent

_TITLE = re.compile(rb"<title>([^<]*)</title>")


def claim_tooltip(claim: Claim) -> str:
    """A claim's title, full text, #tags and sources, one per line."""
    lines = [claim.title] if claim.title else []
    lines.append(claim.text)
    if claim.tags:
        lines.append(" ".join(f"#{tag}" for tag in claim.tags))
    for source in claim.sources:
        where = f", {source.locator}" if source.locator else ""
        lines.append(f"\u00a7 {source.citation}{where}")
    return "\n".join(lines)


def tooltips(
    drawn: MapContent, styles: Mapping[str, RelationStyle] | None = None
) -> dict[str, str]:
    """Hover text by Graphviz name: claims (`c0`), junctions (`r0`), edges (`c0->c3`).

    `styles` (support, objection, rebuttal per relation) come from the whole map when `drawn`
    is a part of it."""
    claim_node, junction = node_names(drawn)
    styles = styles or relation_styles(drawn)
    short = {claim.id: claim.title or claim.text for claim in drawn.claims}
    relations = {relation.id: relation for relation in drawn.relations}
    names = {claim_node[claim.id]: claim_tooltip(claim) for claim in drawn.claims}

    def target_text(relation_id: str) -> str:
        relation = relations[relation_id]
        if relation.target_claim is not None:
            return short[relation.target_claim]
        return f"the inference to \u201c{target_text(str(relation.target_relation))}\u201d"

    for relation in drawn.relations:
        meaning = styles[relation.id].meaning
        premises = " + ".join(f"\u201c{short[p]}\u201d" for p in relation.premises)
        sentence = f"{premises} {meaning} \u201c{target_text(relation.id)}\u201d"
        target = (
            claim_node[relation.target_claim]
            if relation.target_claim is not None
            else junction[str(relation.target_relation)]
        )
        node = junction.get(relation.id)
        if node is None:
            names[f"{target}->{claim_node[relation.premises[0]]}"] = sentence
            continue
        names[node] = names[f"{target}->{node}"] = sentence
        for premise in relation.premises:
            names[f"{node}->{claim_node[premise]}"] = sentence
    groups = dict.fromkeys(c.group for c in drawn.claims if c.group is not None)
    names.update({f"cluster_{i}": name for i, name in enumerate(groups)})
    return names


def set_titles(svg: bytes, names: Mapping[str, str]) -> bytes:
    """The SVG with each Graphviz `<title>` found in `names` replaced by its text."""

    def replace(match: re.Match[bytes]) -> bytes:
        name = html.unescape(match.group(1).decode("utf-8"))
        text = names.get(name)
        if text is None:
            return match.group(0)
        return b"<title>" + escape_text(text).encode("utf-8") + b"</title>"

    return _TITLE.sub(replace, svg)
