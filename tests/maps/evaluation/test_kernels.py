"""The compiled kernels (numba) against the plain references they replace (framework, grounded)."""

from __future__ import annotations

import numpy as np
import pytest

from maps.evaluation import evaluate, framework, prepare_kernels
from maps.evaluation.framework import (
    Framework,
    _Dangling,
    build_framework,
    framework_from_columns,
    kernels_ready,
    use_kernels,
)
from maps.evaluation.grounded import grounded
from maps.samples import load_sample
from models import Claim, InvalidInputError, MapContent, Relation, RelationKind


def random_columns(seed: int, n: int, *, undercuts: bool = False, chain: bool = False) -> dict:
    """A random map as columns: linked premises, supports, objections, cycles, chains."""
    rng = np.random.default_rng(seed)
    m = 3 * n
    ids = [f"claim-{i}" if i % 3 else f"ç{i}" for i in range(n)]  # some non-ASCII ids
    relation_ids = [f"r{j}" for j in range(m)]
    premises: list[list[str]] = []
    target_claims: list[str | None] = []
    target_relations: list[str | None] = []
    for j in range(m):
        if chain:
            t = j // 3
            size = 1
            chosen = [min(n - 1, t + 1 + j % 3)]
        else:
            t = int(rng.integers(0, n))
            size = 1 if rng.random() < 0.8 else 2
            chosen = rng.integers(0, n, size).tolist()
        premises.append([ids[p] for p in chosen])
        if undercuts and j > 0 and rng.random() < 0.1:
            target_claims.append(None)
            target_relations.append(relation_ids[int(rng.integers(0, j))])
        else:
            target_claims.append(ids[t])
            target_relations.append(None)
    return {
        "claim_ids": ids,
        "relation_ids": relation_ids,
        "objection": (rng.random(m) < 0.6).astype(np.uint8).tobytes(),
        "premises": premises,
        "target_claims": target_claims,
        "target_relations": target_relations if undercuts else None,
        "accepted": (rng.random(n) < 0.3).astype(np.uint8).tobytes(),
    }


def assert_same(a: Framework, b: Framework) -> None:
    for name in ("target", "premise_start", "premises", "uses", "uses_start"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    for x, y in zip(a.incoming(), b.incoming(), strict=True):
        assert np.array_equal(x, y)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("evidential", [False, True])
def test_kernels_match_the_plain_paths(seed: int, evidential: bool) -> None:
    data = random_columns(seed, 300 + 200 * seed, undercuts=seed % 2 == 1, chain=seed == 4)
    plain = framework_from_columns(**data, kernels=False)
    fast = framework_from_columns(**data, kernels=True)
    assert not plain.kernels
    assert fast.kernels
    assert_same(plain, fast)
    gen_plain = np.full(plain.n_nodes, -1, dtype=np.int64)
    gen_fast = np.full(fast.n_nodes, -1, dtype=np.int64)
    expected = grounded(plain, evidential=evidential, generation=gen_plain)
    label = grounded(fast, evidential=evidential, generation=gen_fast)
    assert np.array_equal(label, expected)
    assert np.array_equal(gen_fast, gen_plain)


@pytest.mark.parametrize("kernels", [False, True])
def test_duplicate_and_dangling_ids_are_caught_on_both_paths(kernels: bool) -> None:
    data = random_columns(1, 50)
    data["claim_ids"][7] = data["claim_ids"][3]
    with pytest.raises(InvalidInputError, match="used twice"):
        framework_from_columns(**data, kernels=kernels)
    data = random_columns(1, 50)
    data["premises"][5] = ["nowhere"]
    with pytest.raises(_Dangling):
        framework_from_columns(**data, kernels=kernels)
    data = random_columns(1, 50)
    data["target_claims"][9] = "nowhere"
    with pytest.raises(_Dangling):
        framework_from_columns(**data, kernels=kernels)


def test_ids_that_cannot_be_joined_fall_back_to_dicts() -> None:
    data = random_columns(2, 40)
    old = data["claim_ids"][0]
    data["claim_ids"][0] = "two\nlines"
    data["premises"] = [["two\nlines" if x == old else x for x in p] for p in data["premises"]]
    data["target_claims"] = ["two\nlines" if t == old else t for t in data["target_claims"]]
    data["premises"][0] = ["two\nlines"]
    data["premises"][1] = []  # no premise at all: also not joinable line by line
    fast = framework_from_columns(**data, kernels=True)
    plain = framework_from_columns(**data, kernels=False)
    assert_same(plain, fast)
    assert int(fast.premises[0]) == 0


def test_empty_maps() -> None:
    empty = {
        "claim_ids": [],
        "relation_ids": [],
        "objection": b"",
        "premises": [],
        "target_claims": [],
    }
    for kernels in (False, True):
        fw = framework_from_columns(**empty, kernels=kernels)
        assert len(grounded(fw)) == 0
        lone = framework_from_columns(**{**empty, "claim_ids": ["a"]}, kernels=kernels)
        assert grounded(lone).tolist() == [1]


@pytest.mark.parametrize("kernels", [False, True])
def test_long_ids_that_share_their_first_16_bytes(kernels: bool) -> None:
    """The compiled table holds 16 bytes of an id inline; longer ids compare the rest."""
    prefix = "a-shared-prefix-"  # 16 bytes
    assert len(prefix) == 16
    data = random_columns(3, 60)
    renamed = {
        old: f"{prefix}{k}" if k % 2 else prefix + "x" * k
        for k, old in enumerate(data["claim_ids"])
    }
    renamed[data["claim_ids"][0]] = prefix  # exactly 16 bytes
    data["claim_ids"] = [renamed[x] for x in data["claim_ids"]]
    data["premises"] = [[renamed[x] for x in p] for p in data["premises"]]
    data["target_claims"] = [renamed[t] for t in data["target_claims"]]
    fw = framework_from_columns(**data, kernels=kernels)
    assert_same(fw, framework_from_columns(**data, kernels=False))
    assert fw.target.tolist() == [data["claim_ids"].index(t) for t in data["target_claims"]]
    for wrong in (prefix + "999", prefix + "x" * 7 + "y", prefix[:-1], prefix + "1" * 40):
        changed = {**data, "target_claims": [wrong, *data["target_claims"][1:]]}
        with pytest.raises(_Dangling):
            framework_from_columns(**changed, kernels=kernels)
    twice = {**data, "claim_ids": [*data["claim_ids"][:-1], data["claim_ids"][5]]}
    with pytest.raises(InvalidInputError, match="used twice"):
        framework_from_columns(**twice, kernels=kernels)


def test_an_empty_premise_list_beside_a_linked_one() -> None:
    """As many premise ids as relations, but not one each: the premise rows must still line up."""
    data = {
        "claim_ids": ["a", "b", "c"],
        "relation_ids": ["r1", "r2"],
        "objection": bytes([1, 1]),
        "premises": [[], ["a", "b"]],
        "target_claims": ["c", "c"],
    }
    for kernels in (False, True):
        fw = framework_from_columns(**data, kernels=kernels)
        assert fw.premise_start.tolist() == [0, 0, 2]
        assert fw.premises.tolist() == [0, 1]
        # r1 holds unconditionally and defeats c; r2 stands on a and b.
        assert grounded(fw).tolist() == [1, 1, 2, 1, 1]


def random_content(seed: int, n: int = 80) -> MapContent:
    """A random map with cycles, linked premises, undercuts, weights and starting points."""
    rng = np.random.default_rng(seed)
    claims = [
        Claim(
            id=f"c{i}",
            text=f"Claim {i}",
            weight=None if i % 3 else float(rng.random()),
            accepted=bool(rng.random() < 0.3),
        )
        for i in range(n)
    ]
    relations: list[Relation] = []
    for j in range(2 * n):
        size = 1 if rng.random() < 0.8 else 2
        premises = [f"c{p}" for p in rng.choice(n, size, replace=False).tolist()]
        kind = RelationKind.OBJECTION if rng.random() < 0.6 else RelationKind.SUPPORT
        if j > 0 and rng.random() < 0.1:
            target = {"target_relation": relations[int(rng.integers(0, j))].id}
            kind = RelationKind.OBJECTION
        else:
            target = {"target_claim": f"c{int(rng.integers(0, n))}"}
        relations.append(Relation(id=f"r{j}", kind=kind, premises=premises, **target))
    return MapContent(title="random", claims=claims, relations=relations)


@pytest.mark.parametrize("semantics", ["grounded", "preferred", "stable"])
@pytest.mark.parametrize("support", ["loose", "evidential"])
@pytest.mark.parametrize("gradual", ["dfquad", "quadratic_energy"])
def test_an_evaluation_is_the_same_with_and_without_kernels(
    semantics: str, support: str, gradual: str
) -> None:
    """Labels, strengths (to the last bit) and explanations do not depend on the kernels."""
    for content in (load_sample(), random_content(1), random_content(2, 200)):
        options = {"semantics": semantics, "support": support, "gradual": gradual}
        plain = evaluate(content, kernels=False, **options).json_bytes()
        fast = evaluate(content, kernels=True, **options).json_bytes()
        assert fast == plain


def test_prepare_kernels_lets_maps_of_every_size_use_them() -> None:
    assert prepare_kernels()
    assert kernels_ready()
    assert use_kernels(3, None)
    assert not use_kernels(3, False)
    assert build_framework(load_sample()).kernels


@pytest.mark.parametrize("evidential", [False, True])
def test_the_compiled_worklist_gives_the_same_over_64_bit_numbers(
    monkeypatch: pytest.MonkeyPatch, evidential: bool
) -> None:
    """Maps of 2**31 nodes or more run the worklist over 64-bit arrays: the same labels."""
    data = random_columns(5, 400, undercuts=True)
    plain = framework_from_columns(**data, kernels=False)
    narrow = framework_from_columns(**data, kernels=True)
    assert narrow.narrow() is not None
    gen_plain = np.full(plain.n_nodes, -1, dtype=np.int64)
    expected = grounded(plain, evidential=evidential, generation=gen_plain)
    monkeypatch.setattr(framework, "NARROW_LIMIT", 0)
    wide = framework_from_columns(**data, kernels=True)
    assert wide.narrow() is None
    gen_wide = np.full(wide.n_nodes, -1, dtype=np.int64)
    assert np.array_equal(grounded(wide, evidential=evidential, generation=gen_wide), expected)
    assert np.array_equal(gen_wide, gen_plain)
