"""Diagram rendering: cold, cached and raw `dot` times per map size, shape and format.

For each size (50, 200, 1000, 5000 claims), shape (tree, DAG) and format it prints, as median
and p99 (nearest rank; with few runs p99 is the slowest run):

- cold:   GET /api/v1/maps/{id}/diagram.{fmt} from the app served by uvicorn in this process
          (httpx, keep-alive), with the diagram cache emptied before each request: loading the
          map, DOT building, Graphviz, the HTTP response;
- cached: the same request again, served from the diagram cache (the body still crosses HTTP:
          several MB for thousands of claims); 304: the same with a matching If-None-Match;
- build+render: maps.diagram.dot.build_dot and maps.diagram.render.render in-process, no HTTP;
- raw:    the system `dot -T{fmt}` on the very same DOT source (a subprocess, as we run it);
- ratios: cold / raw and build+render / raw (1.10 = 10% over Graphviz itself) on wall time,
          and cold / raw on CPU time (this process, all threads, plus its children: Graphviz);
          CPU time barely moves when other work shares the machine, wall time does. The HTTP
          round trip alone (uvicorn + FastAPI + httpx) costs about 2-3 ms, like GET /health.

Cold and raw runs alternate, so both see the same machine load. Not a pass/fail test.

First, the sample map (issue 14): the overview SVG (default options: titles, a layout chosen from
the map's shape, hover texts), the paged PDF (fit, tile, thesis) and the handout, each against the
baseline of the drawing as it was before titles and paging (`direction=TB, label=text,
max_lines=50`, SVG), in-process (DOT, Graphviz, paging), runs alternating with the baseline's;
wall and CPU time (this process and Graphviz). The thesis pages are drawn in one run of `dot`,
streamed (ARGMAP_RENDER_PARALLEL=1, the default), and once more shared among two runs ("2 runs").

    .venv/bin/python bench/render.py                 # default, about 3 minutes on 2 cores
    .venv/bin/python bench/render.py --quick         # 50 and 200 claims only
    .venv/bin/python bench/render.py --dot-defaults  # also raw dot with Graphviz's own defaults
                                                     # on the 5000-claim maps (slow: ~20 s each)
    .venv/bin/python bench/render.py --sample-only   # the sample's overview, PDF and handout
"""

from __future__ import annotations

import argparse
import functools
import math
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402
from maps.diagram import dot as dot_module  # noqa: E402
from maps.diagram.draw import draw  # noqa: E402
from maps.diagram.render import engine_info, render  # noqa: E402
from maps.handout import make_handout  # noqa: E402
from maps.samples import load_sample  # noqa: E402
from models import Claim, MapContent, Relation, RelationKind, Source  # noqa: E402
from models.diagram import (  # noqa: E402
    DiagramFormat,
    DiagramOptions,
    Direction,
    LabelMode,
    PageOptions,
    Pages,
)

BASELINE = DiagramOptions(direction=Direction.TB, label=LabelMode.TEXT, max_lines=50)

WORDS = [
    "workers",
    "councils",
    "plan",
    "production",
    "the",
    "party",
    "state",
    "hierarchy",
    "management",
    "class",
    "power",
    "factory",
    "committees",
    "revolution",
    "control",
    "self-managed",
    "coordinators",
    "direct",
    "democracy",
    "trade",
    "unions",
    "bureaucracy",
    "soviet",
    "planning",
    "autonomy",
    "market",
    "wages",
]


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 22))).capitalize() + "."


def make_map(size: int, shape: str, seed: int = 1) -> MapContent:
    """An argument map of `size` claims.

    tree: every claim supports or objects to one claim of the rank above (about three premises
    per claim). dag: the tree plus, for 40% of claims, a second relation to a nearby claim of
    the rank above; 5% of relations have two linked premises and 2% are undercuts.
    """
    rng = random.Random(seed)
    claims = [
        Claim(
            id=f"k{i}",
            text=sentence(rng),
            tags=["economics"] if i % 7 == 0 else [],
            sources=[Source(citation="Brinton 1970")] if i % 11 == 0 else [],
        )
        for i in range(size)
    ]
    relations: list[Relation] = []
    used: set[tuple[str, tuple[str, ...], str]] = set()

    def add(premises: list[str], *, claim: str | None = None, relation: str | None = None) -> None:
        kind = RelationKind.SUPPORT if rng.random() < 0.55 else RelationKind.OBJECTION
        key = (kind.value, tuple(sorted(premises)), claim or relation or "")
        if key in used or (claim is not None and claim in premises):
            return
        used.add(key)
        relations.append(
            Relation(
                id=f"r{len(relations)}",
                kind=kind,
                premises=premises,
                target_claim=claim,
                target_relation=relation,
            )
        )

    for i in range(1, size):
        parent = rng.randint(max(0, i // 3 - 3), max(0, (i - 1) // 3))
        premises = [f"k{i}"]
        if shape == "dag" and i > 1 and rng.random() < 0.05:
            premises.append(f"k{i - 1}")
        add(premises, claim=f"k{parent}")
        if shape == "dag" and rng.random() < 0.4:
            other = rng.randint(max(0, i // 3 - 8), max(0, (i - 1) // 3))
            if other != parent:
                add([f"k{i}"], claim=f"k{other}")
        if shape == "dag" and relations and rng.random() < 0.02:
            add([f"k{i}"], relation=rng.choice(relations[: max(1, len(relations) // 3)]).id)
    return MapContent(title=f"{shape} of {size} claims", claims=claims, relations=relations)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f}" if seconds < 10 else f"{seconds * 1000:9.0f}"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def cpu() -> float:
    """CPU seconds used by this process (all threads) and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measured(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of an action."""
    wall, used = time.perf_counter(), cpu()
    action()
    return time.perf_counter() - wall, cpu() - used


def raw_dot(dot_path: str, source: bytes, fmt: str) -> None:
    done = subprocess.run(
        [dot_path, f"-T{fmt}"], input=source, capture_output=True, check=False, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode()[:500])


@contextmanager
def serve(app: FastAPI) -> Iterator[httpx.Client]:
    """The app on a real uvicorn server on a free port, and a keep-alive client of it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        admin = {"Authorization": f"Bearer {app.state.admin_token}"}
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", timeout=600, headers=admin
        ) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 200, 1000, 5000])
    parser.add_argument("--shapes", nargs="*", default=["tree", "dag"])
    parser.add_argument("--formats", nargs="*", default=["svg", "png", "pdf"])
    parser.add_argument(
        "--large-formats", nargs="*", default=["svg"], help="formats for maps of 5000+ claims"
    )
    parser.add_argument("--quick", action="store_true", help="50 and 200 claims only")
    parser.add_argument("--cached-requests", type=int, default=200)
    parser.add_argument("--dot-defaults", action="store_true")
    parser.add_argument("--sample-only", action="store_true", help="the sample map only")
    parser.add_argument("--sample-runs", type=int, default=15)
    args = parser.parse_args()
    sample_report(args.sample_runs)
    if args.sample_only:
        return
    sizes = [50, 200] if args.quick else args.sizes
    runs = {50: 15, 200: 9, 1000: 5}

    dot_path = shutil.which("dot")
    if dot_path is None:
        sys.exit("bench/render.py compares against the system `dot`: install graphviz first")
    info = engine_info()
    print(f"engine: {info['engine']} (Graphviz {info['graphviz_version']}), raw: {dot_path}")
    print("always:", ", ".join(dot_module.LAYOUT))
    print(
        f"maps of {dot_module.LARGE_MAP_CLAIMS}+ claims also:",
        ", ".join(dot_module.LARGE_MAP_LAYOUT),
        f"(a DAG: nslimit {dot_module.NSLIMIT:g} x {dot_module.LARGE_MAP_CLAIMS} / claims, and"
        " each premise ranked by one relation, the others constraint=false)",
    )

    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), load_sample=False, render_timeout_seconds=300)
        app = create_app(settings)
        with serve(app) as client:
            print()
            print(
                f"{'':>22} | {'cold (API, cache empty)':^29} | {'cached (API)':^27} |"
                f" {'build+':>9} | {'raw dot, same DOT':^31} | {'ratio to raw':^17}"
            )
            print(
                f"{'claims':>6} {'shape':<5} {'fmt':<4} {'runs':>4} |"
                f" {'p50':>9} {'p99':>9} {'cpu p50':>9} | {'p50':>10} {'p99':>9} {'304':>6} |"
                f" {'render':>9} |"
                f" {'p50':>11} {'p99':>9} {'cpu p50':>9} | {'api':>5} {'b+r':>5} {'cpu':>5}"
                "   (ms)"
            )
            for size in sizes:
                for shape in args.shapes:
                    content = make_map(size, shape)
                    stored = app.state.store.create_map(content)
                    source = dot_module.build_dot(
                        stored.content(), DiagramOptions(), max_claims=settings.render_max_claims
                    ).encode("utf-8")
                    formats = args.large_formats if size >= 5000 else args.formats
                    for fmt in formats:
                        report(client, app, stored.id, fmt, source, dot_path, size, shape,
                               runs.get(size, 3), args.cached_requests)  # fmt: skip
                    if args.dot_defaults and size >= 5000:
                        defaults = graphviz_defaults(source)
                        took = timed(functools.partial(raw_dot, dot_path, defaults, "svg"))
                        print(
                            f"{size:>6} {shape:<5} svg  raw dot with Graphviz defaults: {ms(took)} ms"
                        )


def graphviz_defaults(source: bytes) -> bytes:
    """The DOT without the layout settings argmap adds (`--dot-defaults`)."""
    settings = [*dot_module.LAYOUT, *dot_module.LARGE_MAP_LAYOUT, "constraint=false"]
    pattern = "|".join(re.escape(s) for s in settings).replace(
        re.escape(f"nslimit={dot_module.NSLIMIT:g}"), r"nslimit=[0-9.e-]+"
    )
    return re.sub(rf"(?:({pattern}), |, ({pattern}))".encode(), b"", source)


def sample_report(runs: int) -> None:
    """The sample map's new drawings against the old default SVG, alternating runs."""
    content = load_sample()
    baseline_svg = functools.partial(
        lambda: render(dot_module.build_dot(content, BASELINE), "svg", timeout=600)
    )
    cases: list[tuple[str, Callable[[], object]]] = [
        ("overview svg", lambda: draw(content, DiagramOptions(), DiagramFormat.SVG)),
        *(
            (f"pdf pages={pages.value}", functools.partial(
                draw, content, DiagramOptions(), DiagramFormat.PDF, page=PageOptions(pages=pages)
            ))
            for pages in Pages
        ),
        ("pdf pages=thesis, 2 runs", functools.partial(
            draw, content, DiagramOptions(), DiagramFormat.PDF,
            page=PageOptions(pages=Pages.THESIS), parallel=2,
        )),
        ("handout (evaluation too)", lambda: make_handout(content)),
    ]  # fmt: skip
    for _, action in cases:  # warm: imports, fonts registered once per process
        action()
    print(f"sample map ({len(content.claims)} claims), in-process, {runs} runs each; baseline: "
          "the old default SVG (TB, full text)")  # fmt: skip
    print(
        f"{'':<26} {'p50':>9} {'p99':>9} {'cpu p50':>9} | {'baseline p50':>12} {'p99':>9}"
        f" {'cpu p50':>9} | {'ratio':>6} {'cpu':>5}  (ms)"
    )
    for name, action in cases:
        new, old = [], []
        for _ in range(runs):
            new.append(measured(action))
            old.append(measured(baseline_svg))
        walls, cpus = [w for w, _ in new], [c for _, c in new]
        base_walls, base_cpus = [w for w, _ in old], [c for _, c in old]
        print(
            f"{name:<26} {ms(statistics.median(walls))} {ms(percentile(walls, 99))}"
            f" {ms(statistics.median(cpus))} |"
            f" {ms(statistics.median(base_walls)):>12} {ms(percentile(base_walls, 99))}"
            f" {ms(statistics.median(base_cpus))} |"
            f" {statistics.median(walls) / statistics.median(base_walls):6.2f}"
            f" {statistics.median(cpus) / statistics.median(base_cpus):5.2f}",
            flush=True,
        )
    print()


def report(
    client: httpx.Client,
    app: FastAPI,
    map_id: str,
    fmt: str,
    source: bytes,
    dot_path: str,
    size: int,
    shape: str,
    runs: int,
    cached_requests: int,
) -> None:
    url = f"/api/v1/maps/{map_id}/diagram.{fmt}"
    first = client.get(url)  # warms the store's map cache and creates the diagram cache
    assert first.status_code == 200, first.text
    cache = app.state.render_cache
    content = app.state.store.get_map(map_id).content()
    cold: list[tuple[float, float]] = []
    raw: list[tuple[float, float]] = []
    pipeline: list[float] = []
    for _ in range(runs):
        cache.clear()
        cold.append(measured(lambda: client.get(url)))
        raw.append(measured(lambda: raw_dot(dot_path, source, fmt)))
        pipeline.append(timed(lambda: render(dot_module.build_dot(content), fmt, timeout=600)))
    cached = [timed(lambda: client.get(url)) for _ in range(cached_requests)]
    etag = {"If-None-Match": client.get(url).headers["etag"]}
    revalidated = [timed(lambda: client.get(url, headers=etag)) for _ in range(cached_requests)]
    cold_wall, cold_cpu = [w for w, _ in cold], [c for _, c in cold]
    raw_wall, raw_cpu = [w for w, _ in raw], [c for _, c in raw]
    print(
        f"{size:>6} {shape:<5} {fmt:<4} {runs:>4} |"
        f" {ms(statistics.median(cold_wall))} {ms(percentile(cold_wall, 99))}"
        f" {ms(statistics.median(cold_cpu))} |"
        f" {ms(statistics.median(cached)):>10} {ms(percentile(cached, 99))}"
        f" {ms(statistics.median(revalidated)):>6} |"
        f" {ms(statistics.median(pipeline))} |"
        f" {ms(statistics.median(raw_wall)):>11} {ms(percentile(raw_wall, 99))}"
        f" {ms(statistics.median(raw_cpu))} |"
        f" {statistics.median(cold_wall) / statistics.median(raw_wall):5.2f}"
        f" {statistics.median(pipeline) / statistics.median(raw_wall):5.2f}"
        f" {statistics.median(cold_cpu) / statistics.median(raw_cpu):5.2f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
