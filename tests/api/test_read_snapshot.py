"""Every read sees one version of a map, however busy its writers are (real PostgreSQL, a real
server): the map row, its claims and its relations come from one snapshot, so a body is exactly
the revision its ETag names, and no relation points outside the map."""

from __future__ import annotations

import json
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from live import ADMIN, LiveServer
from sqlalchemy import text

from api.store import Store
from api.store.database import snapshot_reader

pytestmark = pytest.mark.postgres
POSTGRES_ONLY = pytest.mark.parametrize(
    "store", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)

WRITERS = 3
READERS = 4
MAP_READS = 2000
DERIVED_READS = 500  # of each of diagram.dot and evaluation


def _dangling(body: dict[str, Any]) -> list[str]:
    """What the map's relations name that is not in the map."""
    claims = {claim["id"] for claim in body["claims"]}
    relations = {relation["id"] for relation in body["relations"]}
    missing = []
    for relation in body["relations"]:
        missing += [p for p in relation["premises"] if p not in claims]
        if relation.get("target_claim") and relation["target_claim"] not in claims:
            missing.append(relation["target_claim"])
        if relation.get("target_relation") and relation["target_relation"] not in relations:
            missing.append(relation["target_relation"])
    return missing


def _shape(body: dict[str, Any]) -> tuple[list[str], list[tuple[str, ...]]]:
    """A map's content, reduced to what a mixed read would get wrong."""
    return (
        [claim["id"] for claim in body["claims"]],
        [
            (r["id"], *r["premises"], r.get("target_claim") or r.get("target_relation"))
            for r in body["relations"]
        ],
    )


def _writer(url: str, map_id: str, thesis: str, stop: threading.Event) -> int:
    """Add a claim supporting the thesis, then delete it with its relation; again and again."""
    changes = 0
    with httpx.Client(base_url=url, timeout=60, headers=ADMIN) as client:
        while not stop.is_set():
            added = client.post(
                f"/api/v1/maps/{map_id}/claims",
                json={
                    "text": f"support {changes}",
                    "relation": {"kind": "support", "target_claim": thesis},
                },
            )
            assert added.status_code == 201, added.text
            claim_id = added.json()["claim"]["id"]
            deleted = client.delete(f"/api/v1/maps/{map_id}/claims/{claim_id}?cascade=true")
            assert deleted.status_code == 200, deleted.text
            changes += 2
    return changes


def _read(client: httpx.Client, map_id: str, path: str) -> tuple[str, int, str, str]:
    response = client.get(f"/api/v1/maps/{map_id}{path}")
    return path, response.status_code, response.headers.get("etag", ""), response.text


def _run(url: str, map_id: str, thesis: str, paths: list[str]) -> list[tuple[str, int, str, str]]:
    """Read each path of `paths` once, spread over the readers, while the writers write."""
    stop = threading.Event()

    def reader(index: int) -> list[tuple[str, int, str, str]]:
        with httpx.Client(base_url=url, timeout=60, headers=ADMIN) as client:
            return [_read(client, map_id, path) for path in paths[index::READERS]]

    with ThreadPoolExecutor(max_workers=WRITERS + READERS) as pool:
        writers = [pool.submit(_writer, url, map_id, thesis, stop) for _ in range(WRITERS)]
        try:
            reads = [read for part in pool.map(reader, range(READERS)) for read in part]
        finally:
            stop.set()
        assert sum(writer.result() for writer in writers) > 0
    return reads


def _busy_map(url: str) -> tuple[str, str]:
    with httpx.Client(base_url=url, timeout=60, headers=ADMIN) as client:
        map_id = client.post("/api/v1/maps", json={"title": "Busy"}).json()["id"]
        thesis = client.post(f"/api/v1/maps/{map_id}/claims", json={"text": "Thesis"})
        for index in range(20):  # a map of some size, so one read takes a while
            client.post(
                f"/api/v1/maps/{map_id}/claims",
                json={
                    "text": f"standing support {index}",
                    "relation": {"kind": "support", "target_claim": thesis.json()["claim"]["id"]},
                },
            )
    return map_id, thesis.json()["claim"]["id"]


def _check_map_reads(url: str, map_id: str, reads: list[tuple[str, int, str, str]]) -> None:
    bodies = [(tag, json.loads(text)) for path, status, tag, text in reads if path == ""]
    assert len(bodies) == MAP_READS
    assert len({body["version"] for _, body in bodies}) > 10  # the writers were busy meanwhile
    mismatched = [(tag, body["version"]) for tag, body in bodies if tag != f'"{body["version"]}"']
    assert mismatched == []
    dangling = [(body["version"], _dangling(body)) for _, body in bodies if _dangling(body)]
    assert dangling == []
    mixed = []
    with httpx.Client(base_url=url, timeout=60, headers=ADMIN) as client:
        for version, body in {body["version"]: body for _, body in bodies}.items():
            revision = client.get(f"/api/v1/maps/{map_id}/revisions/{version}").json()
            if _shape(revision) != _shape(body):
                mixed.append(version)
    assert mixed == []  # each body is exactly the revision it names


@pytest.mark.slow
@POSTGRES_ONLY
def test_every_read_sees_one_version_under_concurrent_writers(live_server: LiveServer) -> None:
    map_id, thesis = _busy_map(live_server.url)
    derived = ["/diagram.dot", "/evaluation"] * DERIVED_READS
    paths = [""] * MAP_READS + derived
    random.Random(7).shuffle(paths)

    reads = _run(live_server.url, map_id, thesis, paths)

    refused = [(path, status, text[:200]) for path, status, _, text in reads if status != 200]
    assert refused == []
    _check_map_reads(live_server.url, map_id, reads)


def test_reads_on_postgresql_run_in_one_read_only_snapshot(postgres_store: Store) -> None:
    reader = snapshot_reader(postgres_store.engine)
    with reader.connect() as connection:
        isolation = connection.execute(text("SHOW transaction_isolation")).scalar()
        read_only = connection.execute(text("SHOW transaction_read_only")).scalar()
    assert (isolation, read_only) == ("repeatable read", "on")
    with postgres_store.engine.connect() as connection:  # the engine itself is unchanged
        assert connection.execute(text("SHOW transaction_isolation")).scalar() == "read committed"


def test_the_map_cache_is_bounded_by_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from api.settings import Settings
    from api.store import open_store
    from models import Claim, MapContent

    store = open_store(Settings(data_dir=tmp_path, load_sample=False, map_cache_bytes=3_000_000))
    big = [Claim(id=f"c{n}", text="word " * 300) for n in range(500)]  # about 1.8 MB each
    made = [store.create_map(MapContent(title=f"Big {n}", claims=big)).id for n in range(4)]
    for map_id in made:
        store.get_map(map_id)
    assert 1 <= len(store._cache) <= 2
    assert store._cache_bytes <= 3_000_000 or len(store._cache) == 1
    assert list(store._cache)[-1] == made[-1]  # the latest read stays
    assert all(len(store.get_map(map_id).claims) == 500 for map_id in made)  # reads still work
