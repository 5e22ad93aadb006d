"""Large maps: the fast layout settings are chosen from the size, and each claim is ranked by
one relation only (the one aiming at its shallowest target)."""

from __future__ import annotations

import re

import pytest
from defusedxml import ElementTree

from maps.diagram import dot as dot_module
from maps.diagram.dot import LARGE_MAP_CLAIMS, LARGE_MAP_LAYOUT, build_dot, large_map_layout
from maps.diagram.layout import loose_premises
from maps.diagram.render import render
from maps.samples import load_sample
from models import Claim, MapContent, Relation, RelationKind
from models.diagram import DiagramOptions

SUPPORT, OBJECTION = RelationKind.SUPPORT, RelationKind.OBJECTION
SVG = "{http://www.w3.org/2000/svg}"


def dag(size: int) -> MapContent:
    """Claim i supports claim (i - 1) // 2 and, for odd i > 2, also objects to claim i // 2 + 1
    (another claim of the rank above, or of its own rank); every tenth claim has a linked
    premise and every 25th an undercut."""
    claims = [Claim(id=f"k{i}", text=f"Claim {i}") for i in range(size)]
    relations: list[Relation] = []
    for i in range(1, size):
        premises = [f"k{i}"] + ([f"k{i - 1}"] if i % 10 == 0 else [])
        relations.append(
            Relation(id=f"r{i}", kind=SUPPORT, premises=premises, target_claim=f"k{(i - 1) // 2}")
        )
        if i > 2 and i % 2 and i // 2 + 1 != (i - 1) // 2:
            relations.append(
                Relation(
                    id=f"o{i}", kind=OBJECTION, premises=[f"k{i}"], target_claim=f"k{i // 2 + 1}"
                )
            )
        if i > 3 and i % 25 == 0:
            relations.append(
                Relation(id=f"u{i}", kind=OBJECTION, premises=[f"k{i}"], target_relation="r2")
            )
    return MapContent(title="DAG", claims=claims, relations=relations)


def graph_attributes(source: str) -> str:
    return source.splitlines()[1]


def test_no_large_settings_below_the_threshold() -> None:
    assert large_map_layout(LARGE_MAP_CLAIMS - 1) == ()
    source = build_dot(dag(LARGE_MAP_CLAIMS - 1))
    assert "constraint=false" not in source
    assert not any(f"{setting}," in graph_attributes(source) for setting in LARGE_MAP_LAYOUT)
    assert "newrank=true" in graph_attributes(source)


def nslimit(claims: int, loose_share: float) -> float:
    (value,) = (s for s in large_map_layout(claims, loose_share) if s.startswith("nslimit="))
    return float(value.removeprefix("nslimit="))


def test_the_settings_at_the_threshold_and_a_dag_s_nslimit_falling_with_its_size() -> None:
    assert large_map_layout(LARGE_MAP_CLAIMS) == LARGE_MAP_LAYOUT
    assert large_map_layout(LARGE_MAP_CLAIMS, 0.5) == LARGE_MAP_LAYOUT
    many = dot_module.LOOSE_SHARE + 0.01
    assert nslimit(2 * LARGE_MAP_CLAIMS, many) == pytest.approx(dot_module.NSLIMIT / 2)
    assert nslimit(5 * LARGE_MAP_CLAIMS, many) == pytest.approx(dot_module.NSLIMIT / 5)
    # A tree (or a map with few loose edges) keeps its position iterations at any size.
    assert nslimit(5 * LARGE_MAP_CLAIMS, 0.0) == dot_module.NSLIMIT
    assert nslimit(5 * LARGE_MAP_CLAIMS, dot_module.LOOSE_SHARE) == dot_module.NSLIMIT
    for claims in (LARGE_MAP_CLAIMS, 3 * LARGE_MAP_CLAIMS):
        others = [s for s in large_map_layout(claims, many) if not s.startswith("nslimit=")]
        assert others == [s for s in LARGE_MAP_LAYOUT if not s.startswith("nslimit=")]


def test_build_dot_chooses_nslimit_from_the_size_and_the_loose_edges() -> None:
    size = 2 * LARGE_MAP_CLAIMS
    content = dag(size)
    share = len(loose_premises(content)) / len(content.relations)
    assert share > dot_module.LOOSE_SHARE
    attributes = graph_attributes(build_dot(content))
    assert all(f"{setting}," in attributes for setting in large_map_layout(size, share))
    assert f"nslimit={dot_module.NSLIMIT / 2:g}," in attributes

    single = [r.model_copy(update={"premises": r.premises[:1]}) for r in content.relations]
    tree = content.model_copy(update={"relations": [r for r in single if r.id.startswith("r")]})
    assert not loose_premises(tree)
    attributes = graph_attributes(build_dot(tree))
    assert f"nslimit={dot_module.NSLIMIT:g}," in attributes


def test_a_claim_is_ranked_by_its_relation_to_the_shallowest_target() -> None:
    content = MapContent(
        title="t",
        claims=[Claim(id=c, text=c) for c in ("a", "b", "c", "d", "e")],
        relations=[
            Relation(id="r1", kind=SUPPORT, premises=["b"], target_claim="a"),
            Relation(id="r2", kind=SUPPORT, premises=["c"], target_claim="b"),  # deeper: loose
            Relation(id="r3", kind=OBJECTION, premises=["c", "d"], target_claim="a"),
            Relation(id="r4", kind=OBJECTION, premises=["d"], target_claim="a"),  # d ranked by r3
            Relation(id="r5", kind=OBJECTION, premises=["e"], target_relation="r2"),  # aims at b
        ],
    )
    assert loose_premises(content) == {("r2", 0), ("r4", 0)}


def test_large_maps_rank_each_claim_by_one_edge_and_still_draw_every_relation() -> None:
    content = dag(LARGE_MAP_CLAIMS)
    source = build_dot(content)
    loose = loose_premises(content)
    assert loose  # the map has claims with several relations
    ranking: dict[str, int] = {}
    for line in source.splitlines():
        edge = re.match(r"(\w+) -> (c\d+) \[id=\"(?:relation|premise)-", line)
        if edge and "constraint=false" not in line:
            ranking[edge.group(2)] = ranking.get(edge.group(2), 0) + 1
    premises = {p for relation in content.relations for p in relation.premises}
    assert len(ranking) == len(premises)
    assert set(ranking.values()) == {1}
    assert source.count("constraint=false") == len(loose)


@pytest.mark.parametrize("groups", [False, True])
def test_a_loosely_ranked_map_renders_whole(monkeypatch: pytest.MonkeyPatch, groups: bool) -> None:
    monkeypatch.setattr(dot_module, "LARGE_MAP_CLAIMS", 40)
    content = dag(60)
    for index, claim in enumerate(content.claims):
        content.claims[index] = claim.model_copy(update={"group": f"g{index % 3}"})
    source = build_dot(content, DiagramOptions(groups=groups))
    assert "constraint=false" in source
    assert "nslimit=" in graph_attributes(source)
    root = ElementTree.fromstring(render(source, "svg", timeout=60))
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert {f"claim-{claim.id}" for claim in content.claims} <= ids
    assert {f"relation-{relation.id}" for relation in content.relations} <= ids


def test_the_sample_is_not_a_large_map() -> None:
    source = build_dot(load_sample())
    assert "constraint=false" not in source
    assert "nslimit" not in source
    assert "mclimit" not in source
