"""The map's rule of decision across formats: native and Argdown carry it, AIF, GraphML and
Kialo say they leave it out, and a default rule is written nowhere but the native format."""

from __future__ import annotations

import pytest

from maps.formats import argdown, native, registry
from maps.samples import load_sample
from models import DecisionRule, InvalidInputError, MapContent

RULE = DecisionRule(semantics="preferred", support="evidential", proof_standard="scintilla")


@pytest.fixture(scope="module")
def ruled() -> MapContent:
    return load_sample().model_copy(update={"rule": RULE})


def test_native_and_argdown_carry_the_rule(ruled: MapContent) -> None:
    assert native.loads(native.dumps(ruled)).rule == RULE
    text, report = argdown.dumps(ruled)
    assert "decisionRule:" in text.split("===")[1]  # in the front matter
    assert not any(item.what == "rule of decision" for item in report.not_carried)
    back, _ = argdown.loads(text)
    assert back.rule == RULE


def test_a_default_rule_is_not_written_into_argdown() -> None:
    text, _ = argdown.dumps(load_sample())
    assert "decisionRule" not in text
    assert argdown.loads(text)[0].rule == DecisionRule()


@pytest.mark.parametrize("fmt", ["aif", "graphml", "kialo"])
def test_other_formats_report_the_rule_they_leave_out(ruled: MapContent, fmt: str) -> None:
    _, _, report = registry.export_map(ruled, fmt)
    dropped = [item for item in report.not_carried if item.what == "rule of decision"]
    assert len(dropped) == 1
    assert "preferred semantics, evidential support, the scintilla standard" in dropped[0].reason
    _, _, plain = registry.export_map(load_sample(), fmt)
    assert not any(item.what == "rule of decision" for item in plain.not_carried)


def test_a_bad_rule_in_argdown_front_matter_is_refused_at_line_1() -> None:
    text = '===\ntitle: "T"\ndecisionRule: {"semantics": "majority"}\n===\n\n[A]: a claim.\n'
    with pytest.raises(InvalidInputError) as refused:
        argdown.loads(text)
    assert refused.value.loc == ("line", 1)
