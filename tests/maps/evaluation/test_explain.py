"""Explanations: every element gets one, and what is made for all nodes at once is what the
per-node definitions (explain_oracle.py) say."""

from __future__ import annotations

import explain_oracle as oracle
import numpy as np
from factories import small_maps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.evaluation import evaluate
from maps.evaluation.framework import build_framework
from maps.evaluation.graph import Graph
from maps.evaluation.grounded import grounded
from models import MapContent


@settings(max_examples=40, deadline=None)
@given(small_maps())
def test_every_element_gets_an_explanation_and_a_strength(content: MapContent) -> None:
    result = evaluate(content, support="evidential")
    for element in [*result.claims.values(), *result.relations.values()]:
        assert element.explanation
        assert element.strength is not None
        assert 0.0 <= element.strength <= 1.0
        if element.label == "out":
            assert element.why.defeaters or element.why.reason == "unsupported"
        if element.label == "undecided":
            assert element.why.cycle, element.explanation
            assert element.why.cycle[0] == element.why.cycle[-1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_maps(most_claims=5, most_relations=7), st.booleans())
def test_reasons_descriptions_and_defeaters_are_those_of_the_definitions(
    content: MapContent, evidential: bool
) -> None:
    fw = build_framework(content)
    generation = np.zeros(fw.n_nodes, dtype=np.int64)
    label = grounded(fw, evidential=evidential, generation=generation)
    graph = Graph.of(fw, label, generation, evidential=evidential)
    nodes = range(fw.n_nodes)
    assert graph.reasons == [oracle.reason(graph, v) for v in nodes]
    assert graph.descriptions == [oracle.describe(graph, v) for v in nodes]
    assert graph.subjects == [oracle.subject(graph, v) for v in nodes]
    assert [graph.defeaters(v) for v in nodes] == [oracle.defeaters(graph, v) for v in nodes]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_maps(most_claims=6, most_relations=9), st.booleans())
def test_the_nodes_on_a_cycle_are_those_a_cycle_search_finds(
    content: MapContent, evidential: bool
) -> None:
    fw = build_framework(content)
    generation = np.zeros(fw.n_nodes, dtype=np.int64)
    label = grounded(fw, evidential=evidential, generation=generation)
    graph = Graph.of(fw, label, generation, evidential=evidential)
    undecided = {v for v in range(fw.n_nodes) if label[v] == 0}
    cyclic = graph.cyclic()
    for v in range(fw.n_nodes):
        assert cyclic[v] == (v in undecided and bool(graph.cycle_through(v, undecided)))
