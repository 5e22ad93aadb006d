"""GET /maps/{id}/diagram.{fmt} and /maps/{id}/revisions/{n}/diagram.{fmt}."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from defusedxml import ElementTree
from factories import add_claim, debate
from fastapi.testclient import TestClient
from live import ADMIN, LiveServer

from api.app import create_app
from api.render_cache import RenderCache
from api.routes.diagrams import map_diagram
from api.settings import Settings
from maps.diagram import render as render_module
from maps.diagram.render import Engine, EngineUnavailableError, choose_engine
from maps.evaluation import evaluate
from models import MapContent

SVG = "{http://www.w3.org/2000/svg}"
MAGIC = {"svg": b"<?xml", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "dot": b"digraph argmap {"}
TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "dot": "text/vnd.graphviz; charset=utf-8",
}


def available(engine: Engine) -> bool:
    try:
        return choose_engine(engine.value) is engine
    except EngineUnavailableError:
        return False


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Any]:
    """Clients of fresh apps on one SQLite file, with settings changed per app."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        settings = Settings(data_dir=tmp_path, **{"load_sample": False, **overrides})
        client = TestClient(create_app(settings), headers=ADMIN)
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Any) -> TestClient:
    result: TestClient = make_client()
    return result


def claim_ids(svg: bytes) -> set[str]:
    root = ElementTree.fromstring(svg)
    return {g.get("id", "") for g in root.iter(f"{SVG}g") if "claim" in g.get("class", "").split()}


def diagram_cache(client: TestClient) -> RenderCache:
    app: Any = client.app
    cache: RenderCache = app.state.render_cache
    return cache


# -- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "dot"])
def test_the_sample_map_in_every_format(make_client: Any, fmt: str) -> None:
    client = make_client(load_sample=True)
    sample = client.get("/api/v1/maps").json()["items"][0]
    response = client.get(f"/api/v1/maps/{sample['id']}/diagram.{fmt}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == TYPES[fmt]
    assert response.content.startswith(MAGIC[fmt])
    assert len(response.content) > 10_000
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("inline;")
    assert f'filename="for-workers-power-the-review-s-argument.{fmt}"' in disposition
    assert response.headers["etag"].startswith('"d-')
    if fmt == "svg":
        full = client.get(f"/api/v1/maps/{sample['id']}").json()
        assert claim_ids(response.content) == {f"claim-{c['id']}" for c in full["claims"]}
        assert "script-src" not in response.headers["content-security-policy"]
        assert response.headers["content-security-policy"].startswith("default-src 'none'")


def test_download_is_an_attachment(client: TestClient) -> None:
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/diagram.pdf?download=true")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="a-debate.pdf"')


def test_svg_counts_claims_and_relations(client: TestClient) -> None:
    ids = debate(client)
    svg = client.get(f"/api/v1/maps/{ids['map_id']}/diagram.svg").content
    assert claim_ids(svg) == {
        f"claim-{ids[k]}" for k in ("thesis", "support", "objection", "rebuttal")
    }
    root = ElementTree.fromstring(svg)
    relations = {
        g.get("id"): g.get("class", "")
        for g in root.iter(f"{SVG}g")
        if "relation" in g.get("class", "").split()
    }
    assert relations.keys() == {
        f"relation-{ids[k]}"
        for k in ("support_relation", "objection_relation", "rebuttal_relation")
    }
    assert "kind-rebuttal" in relations[f"relation-{ids['rebuttal_relation']}"]


def test_status_colours_claims_by_their_evaluation(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    body = client.get(f"/api/v1/maps/{map_id}").json()
    content = MapContent.model_validate({k: body[k] for k in ("title", "claims", "relations")})
    labels = {cid: claim.label for cid, claim in evaluate(content).claims.items()}
    assert labels[ids["objection"]] == "out"  # the rebuttal defeats it
    response = client.get(f"/api/v1/maps/{map_id}/diagram.svg?status=true")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if "claim" in classes:
            claim_id = group.get("id", "").removeprefix("claim-")
            assert f"status-{labels[claim_id]}" in classes
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Stands" in texts  # the legend explains the colours, in the outline's words
    plain = client.get(f"/api/v1/maps/{map_id}/diagram.svg")
    assert plain.headers["etag"] != response.headers["etag"]
    assert b"status-" not in plain.content


# -- caching, ETag, 304 -----------------------------------------------------------------------


def test_repeated_request_is_served_from_the_cache_with_etag_and_304(client: TestClient) -> None:
    ids = debate(client)
    url = f"/api/v1/maps/{ids['map_id']}/diagram.svg?theme=dark&wrap=20"
    first = client.get(url)
    cache = diagram_cache(client)
    hits = cache.hits
    second = client.get(url)
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert cache.hits == hits + 1
    not_modified = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified.headers["etag"] == first.headers["etag"]
    other = client.get(url, headers={"If-None-Match": '"d-something-else"'})
    assert other.status_code == 200
    # Other options are another diagram.
    assert client.get(url + "&legend=false").headers["etag"] != first.headers["etag"]


def test_304_needs_no_render_even_after_eviction(make_client: Any) -> None:
    client = make_client(render_cache_entries=0)
    ids = debate(client)
    url = f"/api/v1/maps/{ids['map_id']}/diagram.png"
    first = client.get(url)
    assert len(diagram_cache(client)) == 0
    assert (
        client.get(url, headers={"If-None-Match": f"W/{first.headers['etag']}"}).status_code == 304
    )


def test_a_change_gives_a_new_diagram(client: TestClient) -> None:
    ids = debate(client)
    url = f"/api/v1/maps/{ids['map_id']}/diagram.svg"
    before = client.get(url)
    added = add_claim(
        client, ids["map_id"], "A new support.", kind="support", target_claim=ids["thesis"]
    )
    after = client.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert f"claim-{added['claim']['id']}" in claim_ids(after.content)


def test_the_cache_is_bounded(make_client: Any) -> None:
    client = make_client(render_cache_entries=2)
    ids = debate(client)
    for wrap in (20, 30, 40, 50):
        assert (
            client.get(f"/api/v1/maps/{ids['map_id']}/diagram.dot?wrap={wrap}").status_code == 200
        )
    assert len(diagram_cache(client)) == 2


# -- revisions --------------------------------------------------------------------------------


def test_revision_diagram_shows_the_map_as_it_was(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    revisions = client.get(f"/api/v1/maps/{map_id}/revisions").json()
    items = revisions["items"] if isinstance(revisions, dict) else revisions
    numbers = sorted(item["number"] for item in items)
    # Revision 2 holds the thesis only (1 created the map), the latest holds all four claims.
    early = client.get(f"/api/v1/maps/{map_id}/revisions/2/diagram.svg")
    assert early.status_code == 200
    assert claim_ids(early.content) == {f"claim-{ids['thesis']}"}
    assert 'filename="a-debate-revision-2.svg"' in early.headers["content-disposition"]
    latest = client.get(f"/api/v1/maps/{map_id}/revisions/{numbers[-1]}/diagram.svg")
    assert len(claim_ids(latest.content)) == 4
    assert client.get(f"/api/v1/maps/{map_id}/revisions/2/diagram.svg").content == early.content
    missing = client.get(f"/api/v1/maps/{map_id}/revisions/{numbers[-1] + 5}/diagram.svg")
    assert missing.status_code == 404
    assert "revision" in missing.json()["detail"]
    assert client.get(f"/api/v1/maps/{map_id}/revisions/0/diagram.svg").status_code == 422


# -- options and bad input --------------------------------------------------------------------


def test_focus_and_depth_draw_a_part(client: TestClient) -> None:
    ids = debate(client)
    url = f"/api/v1/maps/{ids['map_id']}/diagram.svg?focus={ids['rebuttal']}&depth=1"
    assert claim_ids(client.get(url).content) == {
        f"claim-{ids['rebuttal']}",
        f"claim-{ids['objection']}",
    }


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("focus=nope", "focus"),
        ("focus=%3Cscript%3E", "focus"),
        ("wrap=5", "wrap"),
        ("wrap=1000", "wrap"),
        ("depth=-1", "depth"),
        ("direction=up", "direction"),
        ("theme=neon", "theme"),
        ("legend=maybe", "legend"),
        ("label=summary", "label"),
        ("max_lines=0", "max_lines"),
        ("paper=a5", "paper"),
        ("pages=all", "pages"),
        ("orientation=sideways", "orientation"),
    ],
)
def test_bad_options_get_422_with_their_location(
    client: TestClient, query: str, where: str
) -> None:
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/diagram.svg?{query}")
    assert response.status_code == 422, response.text
    assert where in response.json()["loc"]


def test_unknown_map_and_format(client: TestClient) -> None:
    assert client.get("/api/v1/maps/nope/diagram.svg").status_code == 404
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/diagram.gif")
    assert response.status_code == 422
    assert "fmt" in response.json()["loc"]


def test_claim_limit_gives_413_that_says_to_use_focus(make_client: Any) -> None:
    client = make_client(render_max_claims=3)
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/diagram.svg")
    assert response.status_code == 413
    assert "focus=" in response.json()["detail"]
    assert "4 claims" in response.json()["detail"]
    part = client.get(f"/api/v1/maps/{ids['map_id']}/diagram.svg?focus={ids['rebuttal']}&depth=1")
    assert part.status_code == 200


def test_time_limit_gives_413_that_says_to_use_focus(make_client: Any) -> None:
    client = make_client(render_timeout_seconds=0.001)  # no Graphviz run finishes in 1 ms
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/diagram.svg")
    assert response.status_code == 413
    assert "focus=" in response.json()["detail"]
    # DOT source needs no Graphviz run.
    assert client.get(f"/api/v1/maps/{ids['map_id']}/diagram.dot").status_code == 200


# -- engines ----------------------------------------------------------------------------------


@pytest.mark.skipif(not available(Engine.PYGRAPHVIZ), reason="pygraphviz not installed")
def test_pygraphviz_engine_renders_too(make_client: Any) -> None:
    client = make_client(render_engine="pygraphviz")
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/diagram.svg")
    assert response.status_code == 200
    assert len(claim_ids(response.content)) == 4
    assert client.get(f"/api/v1/maps/{ids['map_id']}/diagram.png").content.startswith(MAGIC["png"])


@pytest.fixture
def no_system_dot(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PATH", "/nonexistent")
    render_module._system_dot.cache_clear()
    yield
    monkeypatch.undo()
    render_module._system_dot.cache_clear()


@pytest.mark.usefixtures("no_system_dot")
def test_missing_engine_gives_503_but_dot_source_still_works(make_client: Any) -> None:
    client = make_client(render_engine="dot")
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/diagram.svg")
    assert response.status_code == 503
    assert "not on PATH" in response.json()["detail"]
    assert client.get(f"/api/v1/maps/{ids['map_id']}/diagram.dot").status_code == 200


# -- the event loop ---------------------------------------------------------------------------


def test_rendering_does_not_block_other_requests(tmp_path: Path) -> None:
    """While a big PNG renders in a worker thread, the server keeps answering other requests."""
    assert not inspect.iscoroutinefunction(map_diagram)  # FastAPI runs it in its thread pool
    settings = Settings(data_dir=tmp_path, load_sample=True, render_cache_entries=0)
    with (
        LiveServer(settings) as server,
        httpx.Client(base_url=server.url, timeout=60, headers=ADMIN) as http,
    ):
        sample = http.get("/api/v1/maps").json()["items"][0]["id"]
        result: list[httpx.Response] = []
        slow = threading.Thread(
            target=lambda: result.append(
                httpx.get(
                    f"{server.url}/api/v1/maps/{sample}/diagram.png?wrap=12",
                    timeout=60,
                    headers=ADMIN,
                )
            )
        )
        slow.start()
        answered = 0
        while slow.is_alive():
            assert http.get("/api/v1/health").status_code == 200
            answered += int(slow.is_alive())
        slow.join()
        assert result[0].status_code == 200
        # A blocked loop would answer at most the requests that came before the render began.
        assert answered >= 3


# -- titles, hover texts, paged PDF ------------------------------------------------------------


def test_titles_and_hover_texts_reach_the_svg(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    client.patch(f"/api/v1/maps/{map_id}/claims/{ids['thesis']}", json={"title": "Short title"})
    svg = client.get(f"/api/v1/maps/{map_id}/diagram.svg").content
    root = ElementTree.fromstring(svg)
    thesis = next(g for g in root.iter(f"{SVG}g") if g.get("id") == f"claim-{ids['thesis']}")
    shown = " ".join(t.text or "" for t in thesis.iter(f"{SVG}text"))
    assert "Short title" in shown
    full = client.get(f"/api/v1/maps/{map_id}").json()
    text = next(c["text"] for c in full["claims"] if c["id"] == ids["thesis"])
    assert text in (thesis.findtext(f"{SVG}title") or "")
    as_text = ElementTree.fromstring(
        client.get(f"/api/v1/maps/{map_id}/diagram.svg?label=text").content
    )
    boxes = [g for g in as_text.iter(f"{SVG}g") if g.get("id") == f"claim-{ids['thesis']}"]
    assert "Short title" not in " ".join(t.text or "" for t in boxes[0].iter(f"{SVG}text"))


def test_paged_pdf_options_and_the_small_text_note(make_client: Any) -> None:
    import io

    from pypdf import PdfReader

    client = make_client(load_sample=True)
    sample = client.get("/api/v1/maps").json()["items"][0]["id"]
    fitted = client.get(f"/api/v1/maps/{sample}/diagram.pdf")
    assert fitted.status_code == 200
    assert "pages=tile" in fitted.headers["x-diagram-note"]
    assert len(PdfReader(io.BytesIO(fitted.content)).pages) == 1
    cached = client.get(f"/api/v1/maps/{sample}/diagram.pdf")
    assert cached.headers["x-diagram-note"] == fitted.headers["x-diagram-note"]
    tiled = client.get(f"/api/v1/maps/{sample}/diagram.pdf?pages=tile&paper=a3")
    assert "x-diagram-note" not in tiled.headers
    pages = PdfReader(io.BytesIO(tiled.content)).pages
    assert len(pages) > 1
    assert round(float(pages[0].mediabox.width)) in (842, 1191)
    assert tiled.headers["etag"] != fitted.headers["etag"]
    thesis = client.get(f"/api/v1/maps/{sample}/diagram.pdf?pages=thesis&paper=letter")
    assert len(PdfReader(io.BytesIO(thesis.content)).pages) >= 3
    svg = client.get(f"/api/v1/maps/{sample}/diagram.svg?pages=tile")
    assert svg.status_code == 200  # paper options mean nothing to an SVG, and are ignored
