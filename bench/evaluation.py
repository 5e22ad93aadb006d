"""Evaluation speed: grounded labels, a full 1000-claim evaluation, gradual strength.

    .venv/bin/python bench/evaluation.py                 # default sizes, about 3 minutes
    .venv/bin/python bench/evaluation.py --claims 100000 --repeats 5 --shapes random chain
    .venv/bin/python bench/evaluation.py --only small     # the 1000-claim evaluation, seconds
    .venv/bin/python bench/evaluation.py --only fast-paths  # each compiled kernel against its reference

Every figure is the median and p99 (over `--repeats` runs; with few runs p99 is the slowest)
next to the `formal_argumentation` package on the same input in the same run, as a ratio.
The baseline is pure Python and too slow for 1M claims in a short run, so it is measured on
`--baseline-claims` (default 100k) and the ratio is taken at that size (printed as such).

Shapes (3 relations per claim unless said): random (uniform premises and targets, 60%
objections), dag (premise index above target index: acyclic), chain (claim i attacked from
i+1, i+2, i+3: the deepest dependency, where frontier-per-step algorithms go quadratic), tree
(one objection or support per claim towards its parent: N-1 relations).

"Building" is measured from three inputs: the map held as columns of string ids (one list per
field) with one string object per reference, as a parsed file or database rows give them;
the same with every reference sharing its claim's string object, scattered in memory (the
worst case for the cache: each reference is a cache miss); and integer positions (claims are
a list, so a premise or target can be held as its claim's index), which is what the
structure is built from after the ids are resolved. Making 4M pydantic objects for the input
is not measured.

Large maps run through compiled numba kernels (maps/evaluation/kernels.py, from
maps/evaluation/framework.py `KERNEL_MIN_ELEMENTS` elements). The
first call in a fresh install compiles them (a second or two, then cached on disk); the
benchmark calls each kernel once before timing and says how long that took.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from argumentation.core.dung import ArgumentationFramework, grounded_extension
from argumentation.gradual.dfquad import dfquad_strengths
from argumentation.gradual.gradual import WeightedBipolarGraph

from maps.evaluation import evaluate, framework, prepare_kernels
from maps.evaluation.framework import (
    Framework,
    NumberedIds,
    build_framework,
    dung_framework,
    framework_from_columns,
    to_framework,
)
from maps.evaluation.gradual import gradual_strength
from maps.evaluation.grounded import grounded
from maps.formats import iccma
from models import MapContent
from models.evaluation import GradualName

Columns = dict[str, Any]


def positions(shape: str, n: int, seed: int = 1) -> dict[str, Any]:
    """A map of `n` claims in the given shape: premise and target claim positions."""
    rng = np.random.default_rng(seed)
    m = n - 1 if shape == "tree" else 3 * n
    if shape == "random":
        premise = rng.integers(0, n, m)
        target = rng.integers(0, n, m)
        clash = premise == target
        target[clash] = (target[clash] + 1) % n
        objection = rng.random(m) < 0.6
    elif shape == "dag":
        a = rng.integers(0, n, m)
        b = rng.integers(0, n, m)
        b[a == b] = (b[a == b] + 1) % n
        premise, target = np.maximum(a, b), np.minimum(a, b)
        objection = rng.random(m) < 0.6
    elif shape == "chain":
        target = np.repeat(np.arange(n), 3)
        premise = target + np.tile(np.arange(1, 4), n)
        keep = premise < n
        target, premise = target[keep], premise[keep]
        m = len(target)
        objection = np.ones(m, dtype=bool)
    elif shape == "tree":
        premise = np.arange(1, n)
        target = (premise - 1) // 3
        objection = rng.random(m) < 0.6
    else:
        raise SystemExit(f"unknown shape {shape!r}")
    return {"n": n, "premise": premise, "target": target, "objection": objection}


def columns(shape: str, n: int, seed: int = 1, *, shared: bool = False) -> Columns:
    """A map of `n` claims in the given shape, as columns of string ids.

    `shared`: every reference is its claim's own string object (scattered in memory), instead
    of one string object per reference laid out in order (as parsing gives).
    """
    at = positions(shape, n, seed)
    ids = [f"c{i}" for i in range(n)]
    if shared:
        premises = [[ids[p]] for p in at["premise"].tolist()]
        targets = [ids[t] for t in at["target"].tolist()]
    else:
        premises = [[f"c{p}"] for p in at["premise"].tolist()]
        targets = [f"c{t}" for t in at["target"].tolist()]
    return {
        "claim_ids": ids,
        "relation_ids": [f"r{j}" for j in range(len(targets))],
        "objection": at["objection"].astype(np.uint8).tobytes(),
        "premises": premises,
        "target_claims": targets,
    }


def framework_from_positions(at: dict[str, Any], *, kernels: bool | None = None) -> Framework:
    """The structure straight from integer positions (ids made on demand)."""
    m = len(at["target"])
    return Framework(
        claim_ids=NumberedIds("c", at["n"]),
        relation_ids=NumberedIds("r", m),
        objection=at["objection"].astype(np.uint8).tobytes(),
        target=at["target"],
        premise_start=np.arange(m + 1, dtype=np.int64),
        premises=at["premise"],
        kernels=kernels,
    )


def warm_up() -> None:
    """Compile (or load from numba's cache) the kernels once, before anything is timed.

    As in the API server (which does this at start-up), every map uses them from then on; the
    1000-claim figures are also given without them, as a one-off command runs.
    """
    start = time.perf_counter()
    tiny = columns("random", 20)
    framework_from_columns(**tiny, kernels=True)  # the id lookup (large maps only)
    prepare_kernels()
    print(f"kernels compiled or loaded from cache in {time.perf_counter() - start:.2f} s (once)")


def timed(run: Callable[[], object], repeats: int, *, collect: bool = True) -> list[float]:
    """Run times; `collect`: a full garbage collection before each run (not timed)."""
    times = []
    for _ in range(repeats):
        if collect:
            gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def stats(times: list[float]) -> str:
    p99 = float(np.percentile(times, 99)) if len(times) > 1 else times[0]
    return f"median {statistics.median(times):8.3f} s  p99 {p99:8.3f} s"


def stats_ms(times: list[float]) -> str:
    p99 = float(np.percentile(times, 99)) if len(times) > 1 else times[0]
    return f"median {statistics.median(times) * 1e3:6.2f} ms  p99 {p99 * 1e3:6.2f} ms"


def baseline_af(fw: Framework) -> ArgumentationFramework:
    af = dung_framework(fw)
    return ArgumentationFramework(
        arguments=frozenset(str(k) for k in range(af.n)),
        defeats=frozenset((str(a), str(b)) for a, b in af.attacks),
    )


def time_columns(shape: str, n: int, repeats: int, *, shared: bool) -> list[float]:
    """Build from string-id columns and label, timed."""
    data = columns(shape, n, shared=shared)
    gc.freeze()  # the input is long-lived; keep the collector from rescanning it
    try:
        return timed(lambda: grounded(framework_from_columns(**data)), repeats)
    finally:
        gc.unfreeze()


def bench_grounded(shape: str, n: int, baseline_n: int, repeats: int) -> None:
    at = positions(shape, n)
    fw = framework_from_positions(at)
    label_only = timed(lambda: grounded(fw), repeats)
    from_positions = timed(lambda: grounded(framework_from_positions(at)), repeats)
    total = time_columns(shape, n, repeats, shared=False)
    total_shared = time_columns(shape, n, repeats, shared=True)
    text = iccma.dumps_i23(dung_framework(fw))
    from_file = timed(lambda: grounded(to_framework(iccma.loads_i23(text, side_table=False))), 1)
    label = grounded(fw)
    counts = np.bincount(label[: fw.n_claims], minlength=3)
    print(
        f"{shape:7s} {n:>9,} claims {fw.n_relations:>9,} relations  "
        f"in {counts[1]:,} out {counts[2]:,} undecided {counts[0]:,}"
    )
    print(f"    grounded labels                         {stats(label_only)}")
    print(f"    build from positions + grounded         {stats(from_positions)}")
    print(f"    build from string ids + grounded        {stats(total)}")
    print(f"    the same, ids shared and scattered      {stats(total_shared)}")
    print(
        f"    from ICCMA i23 text                     {stats(from_file)}  "
        f"({len(text) / 1e6:.0f} MB, Dung form)"
    )
    small = columns(shape, baseline_n)
    small_fw = framework_from_columns(**small)
    ours = timed(lambda: grounded(framework_from_columns(**small)), repeats)
    reference = timed(lambda: grounded_extension(baseline_af(small_fw)), min(repeats, 3))
    ext = grounded_extension(baseline_af(small_fw))
    agree = (
        sorted(int(x) for x in ext if int(x) < small_fw.n_nodes)
        == np.flatnonzero(grounded(small_fw) == 1).tolist()
    )
    ratio = statistics.median(reference) / statistics.median(ours)
    print(
        f"    at {baseline_n:,} claims (from string ids): ours {stats(ours)}; "
        f"formal_argumentation {stats(reference)}; ratio {ratio:.0f}x; "
        f"same grounded extension: {agree}"
    )


def bench_small_evaluation(repeats: int) -> None:
    rng = random.Random(3)
    n = 1000
    claims = [
        {"id": f"c{i}", "text": f"Claim {i}: a sentence of study-group length."} for i in range(n)
    ]
    relations: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    while len(relations) < 2 * n:
        a, b = rng.randrange(n), rng.randrange(n)
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        kind = "objection" if rng.random() < 0.6 else "support"
        relations.append(
            {
                "id": f"r{len(relations)}",
                "kind": kind,
                "premises": [f"c{a}"],
                "target_claim": f"c{b}",
            }
        )
    content = MapContent.model_validate(
        {"title": "bench", "claims": claims, "relations": relations}
    )
    # Back to back, as a server answers requests: the collector runs on its own schedule (its
    # cost is inside these figures). A forced full collection before each run would also empty
    # CPython's free lists, which nothing does between requests; that figure is given too.
    for _ in range(20):
        evaluate(content)  # settle allocator and caches
    full = timed(lambda: evaluate(content), repeats, collect=False)
    no_moves = timed(lambda: evaluate(content, move_budget=0), repeats, collect=False)
    plain = timed(lambda: evaluate(content, kernels=False), repeats, collect=False)
    forced = timed(lambda: evaluate(content), repeats)
    body = timed(lambda: evaluate(content).json_bytes(), repeats)
    size = len(evaluate(content).json_bytes())

    core = timed(
        lambda: (lambda fw: (grounded(fw), gradual_strength(fw)))(build_framework(content)), repeats
    )
    fw = build_framework(content)
    reference = timed(lambda: grounded_extension(baseline_af(fw)), repeats)
    print(f"1000 claims / 2000 relations, full evaluate() with explanations: {stats_ms(full)}")
    print(f"    without the search for moves (move_budget=0):        {stats_ms(no_moves)}")
    print(f"    without the compiled kernels (a one-off command):   {stats_ms(plain)}")
    print(f"    with a full garbage collection before each run:      {stats_ms(forced)}")
    print(f"    and its JSON (the API response body, {size / 1e6:.1f} MB):  {stats_ms(body)}")
    print(f"    of which build + grounded + gradual:  {stats_ms(core)}")
    print(
        f"    formal_argumentation grounded only:   {stats_ms(reference)}; ratio (its grounded / "
        f"our full evaluation) {statistics.median(reference) / statistics.median(full):.1f}x"
    )


def bench_server_evaluation(repeats: int) -> None:
    """The largest map the server takes (5000 claims, 20000 relations), evaluated whole."""
    at = server_positions()
    claims = [{"id": f"c{i}", "text": f"Claim {i}: a sentence."} for i in range(at["n"])]
    relations = [
        {
            "id": f"r{j}",
            "kind": "objection" if objection else "support",
            "premises": [f"c{premise}"],
            "target_claim": f"c{target}",
        }
        for j, (premise, target, objection) in enumerate(
            zip(
                at["premise"].tolist(), at["target"].tolist(), at["objection"].tolist(), strict=True
            )
        )
    ]
    content = MapContent.model_validate(
        {"title": "bench", "claims": claims, "relations": relations}
    )
    evaluate(content)
    full = timed(lambda: evaluate(content), repeats, collect=False)
    no_moves = timed(lambda: evaluate(content, move_budget=0), repeats, collect=False)
    print(f"5000 claims / 20000 relations (the server's limit), full evaluate(): {stats_ms(full)}")
    print(f"    without the search for moves (move_budget=0):        {stats_ms(no_moves)}")


def bench_gradual(n: int, baseline_n: int, repeats: int) -> None:
    fw = framework_from_columns(**columns("random", n))
    methods: tuple[GradualName, ...] = ("dfquad", "quadratic_energy")
    for method in methods:
        times = timed(lambda m=method: gradual_strength(fw, method=m), repeats)  # type: ignore[misc]
        result = gradual_strength(fw, method=method)
        print(
            f"gradual {method:16s} {n:,} claims: {stats(times)}  "
            f"({result.iterations} iterations, converged {result.converged})"
        )
    small = framework_from_columns(**columns("dag", baseline_n))
    ours = timed(lambda: gradual_strength(small), repeats)
    objection = small.objection.astype(bool)
    src, tgt = small.premises.tolist(), small.target.tolist()
    attacks = frozenset(
        (str(a), str(b)) for a, b, o in zip(src, tgt, objection.tolist(), strict=True) if o
    )
    supports = (
        frozenset(
            (str(a), str(b)) for a, b, o in zip(src, tgt, objection.tolist(), strict=True) if not o
        )
        - attacks
    )
    names = frozenset(str(i) for i in range(small.n_claims))
    graph = WeightedBipolarGraph(names, dict.fromkeys(names, 0.5), attacks, supports)
    reference = timed(lambda: dfquad_strengths(graph), 1)
    print(
        f"    DF-QuAD at {baseline_n:,} claims (acyclic): ours {stats(ours)}; formal_argumentation "
        f"{stats(reference)}; ratio {statistics.median(reference) / statistics.median(ours):.0f}x"
    )


def interleaved(variants: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median run time of each variant, the variants run in turn (a shared machine's load then
    weighs on all of them alike)."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeats):
        for name, run in variants.items():
            times[name] += timed(run, 1)
    return {name: statistics.median(runs) for name, runs in times.items()}


def server_positions(seed: int = 2) -> dict[str, Any]:
    """The largest map the server takes: 5000 claims, 20000 relations (60% objections)."""
    rng = np.random.default_rng(seed)
    n, m = 5000, 20000
    premise = rng.integers(0, n, m)
    target = (premise + rng.integers(1, n, m)) % n
    return {"n": n, "premise": premise, "target": target, "objection": rng.random(m) < 0.6}


def bench_fast_paths(n: int, repeats: int) -> None:
    """Each compiled kernel against the plain reference it replaces, on the largest server map
    and on `n` claims: a kernel stays only where it runs at least 1.5 times as fast."""
    for at in (server_positions(), positions("random", n)):
        size = f"{at['n']:,} claims / {len(at['target']):,} relations"
        for name, variants in fast_path_cases(at):
            medians = interleaved(variants, repeats if at["n"] > 5000 else 10 * repeats)
            ratio = medians["reference"] / medians["kernel"]
            print(
                f"{size:38s} {name:44s} reference {medians['reference'] * 1e3:9.1f} ms  "
                f"kernel {medians['kernel'] * 1e3:9.1f} ms  {ratio:5.1f}x"
            )


def fast_path_cases(at: dict[str, Any]) -> list[tuple[str, dict[str, Callable[[], object]]]]:
    """(what, {"reference": run, "kernel": run}) for each fast path on one map."""
    plain = framework_from_positions(at, kernels=False)
    fast = framework_from_positions(at, kernels=True)
    cases: list[tuple[str, dict[str, Callable[[], object]]]] = [
        (
            "framework from positions (uses, incoming)",
            {
                "reference": lambda: framework_from_positions(at, kernels=False).incoming(),
                "kernel": lambda: framework_from_positions(at, kernels=True).incoming(),
            },
        ),
        (
            "grounded labels",
            {"reference": lambda: grounded(plain), "kernel": lambda: grounded(fast)},
        ),
        (
            "gradual strength (DF-QuAD)",
            {
                "reference": lambda: gradual_strength(plain),
                "kernel": lambda: gradual_strength(fast),
            },
        ),
    ]
    if at["n"] > 5000:  # the hash table runs from KERNEL_MIN_ELEMENTS elements only
        data = columns("random", at["n"])
        cases.append(
            (
                "ids resolved from string ids (dict / table)",
                {
                    "reference": lambda: build_with_dict(data),
                    "kernel": lambda: framework_from_columns(**data, kernels=True),
                },
            )
        )
    return cases


def build_with_dict(data: Columns) -> Framework:
    """`framework_from_columns` with the kernels on but the ids resolved by the dict path."""
    with mock.patch.object(framework, "_lookup_joined", return_value=None):
        return framework_from_columns(**data, kernels=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--baseline-claims", type=int, default=20_000)
    parser.add_argument("--gradual-baseline-claims", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--small-repeats", type=int, default=30)
    parser.add_argument("--shapes", nargs="+", default=["random", "tree", "dag", "chain"])
    parser.add_argument(
        "--only",
        choices=("small", "grounded", "gradual", "fast-paths"),
        help="run one part: the 1000-claim evaluation, grounded labels, gradual strength, or "
        "each compiled kernel against its reference",
    )
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]} ({sys.base_prefix}), numpy {np.__version__}, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    warm_up()
    if args.only in (None, "small"):
        bench_small_evaluation(args.small_repeats)
        bench_server_evaluation(max(3, args.small_repeats // 6))
    if args.only in (None, "grounded"):
        for shape in args.shapes:
            bench_grounded(shape, args.claims, args.baseline_claims, args.repeats)
    if args.only in (None, "gradual"):
        bench_gradual(args.claims, args.gradual_baseline_claims, args.repeats)
    if args.only in (None, "fast-paths"):
        bench_fast_paths(args.claims, args.repeats)


if __name__ == "__main__":
    main()
