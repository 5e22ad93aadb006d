"""The bundled sample map of the review of Brinton's For Workers' Power."""

from __future__ import annotations

from collections import Counter

import pytest

from maps.formats import native
from maps.queries import claim_roles, claims_by_id, relations_by_id
from maps.samples import SAMPLES_DIR, available_samples, load_sample, sample_path
from maps.validation import validate_content
from models import MapContent, NotFoundError, RelationKind, Role

THESES = {
    "t-necessary": ("necessary", "not sufficient", "polity"),
    "t-coordinator": ("hierarchy", "coordinator", "party", "state", "industry"),
    "t-third-way": ("third alternative", "horizontal", "self-managed", "central planning"),
}


@pytest.fixture(scope="module")
def sample() -> MapContent:
    return load_sample()


def test_the_sample_is_listed_and_found() -> None:
    assert "for_workers_power" in available_samples()
    path = sample_path("for_workers_power")
    assert path.parent == SAMPLES_DIR
    assert path.name == "for_workers_power.yaml"


@pytest.mark.parametrize("name", ["missing", "../for_workers_power", "", "__init__"])
def test_an_unknown_sample_name_is_not_found(name: str) -> None:
    with pytest.raises(NotFoundError, match="no sample named"):
        sample_path(name)


def test_the_sample_is_a_native_yaml_document(sample: MapContent) -> None:
    text = sample_path().read_text(encoding="utf-8")
    assert text.lstrip().splitlines()[0] == "argmap: 1" or "\nargmap: 1\n" in text
    assert native.loads(text) == sample
    # What the native writer makes of it reads back the same.
    assert native.loads(native.dumps_yaml(sample)) == sample
    assert "For Workers' Power" in sample.title
    assert "Brinton" in sample.description
    assert "review" in sample.description


def test_the_sample_is_large_enough_and_valid(sample: MapContent) -> None:
    assert len(sample.claims) >= 40
    assert len(sample.relations) >= 40
    validate_content(sample)


def test_exactly_the_three_theses(sample: MapContent) -> None:
    roles = claim_roles(sample)
    theses = {claim_id for claim_id, role in roles.items() if role is Role.THESIS}
    assert theses == set(THESES)
    claims = claims_by_id(sample)
    for claim_id, words in THESES.items():
        text = claims[claim_id].text.lower()
        for word in words:
            assert word in text, (claim_id, word)


def test_every_relation_points_inside_the_map(sample: MapContent) -> None:
    claims = claims_by_id(sample)
    relations = relations_by_id(sample)
    for relation in sample.relations:
        assert all(premise in claims for premise in relation.premises), relation.id
        if relation.target_claim is not None:
            assert relation.target_claim in claims, relation.id
        else:
            assert relation.target_relation in relations, relation.id


def test_every_other_claim_is_a_premise(sample: MapContent) -> None:
    premises = {premise for relation in sample.relations for premise in relation.premises}
    assert {claim.id for claim in sample.claims} - premises == set(THESES)


def test_supports_objections_and_rebuttals_are_all_there(sample: MapContent) -> None:
    counts = Counter(claim_roles(sample).values())
    assert counts[Role.THESIS] == 3
    assert counts[Role.SUPPORT] >= 10
    assert counts[Role.OBJECTION] >= 5
    assert counts[Role.REBUTTAL] >= 5


def test_each_thesis_is_supported_and_objected_to(sample: MapContent) -> None:
    for thesis in THESES:
        kinds = {r.kind for r in sample.relations if r.target_claim == thesis}
        assert kinds == {RelationKind.SUPPORT, RelationKind.OBJECTION}, thesis


def test_linked_premises_and_an_undercut(sample: MapContent) -> None:
    assert any(len(relation.premises) > 1 for relation in sample.relations)
    relations = relations_by_id(sample)
    undercuts = [r for r in sample.relations if r.target_relation is not None]
    assert undercuts
    for undercut in undercuts:
        assert undercut.kind is RelationKind.OBJECTION
        assert undercut.target_relation in relations


def test_claims_carry_sources_and_quotes(sample: MapContent) -> None:
    assert all(claim.sources for claim in sample.claims)
    quoted = [claim for claim in sample.claims if any(s.quote for s in claim.sources)]
    assert len(quoted) >= len(sample.claims) * 3 // 4
    for claim in sample.claims:
        for source in claim.sources:
            assert source.citation.strip()
            if source.quote is not None:
                assert isinstance(source.quote, str)
                assert source.quote.strip()
    citations = " ".join(s.citation for c in sample.claims for s in c.sources)
    # The works the review's footnotes cite.
    for work in (
        "Rachleff",
        "Anweiler",
        "Avrich",
        "Reed",
        "Carr",
        "Deutscher",
        "Maximov",
        "Hahnel",
        "Maas",
        "Brinton",
    ):
        assert work in citations, work


def test_every_claim_has_a_group_and_tags(sample: MapContent) -> None:
    for claim in sample.claims:
        assert claim.group, claim.id
        assert claim.tags, claim.id
