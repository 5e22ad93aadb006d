"""GET /maps/{id}/evaluation, its revision twin, and the ICCMA attack structure."""

from __future__ import annotations

import pytest
from factories import add_claim, debate
from fastapi.testclient import TestClient


def test_evaluation_labels_explains_and_versions(client: TestClient) -> None:
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/evaluation")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["semantics"] == "grounded"
    assert body["support"] == "loose"
    assert body["version"] == client.get(f"/api/v1/maps/{ids['map_id']}").json()["version"]
    claims = body["claims"]
    assert claims[ids["thesis"]]["label"] == "in"  # the objection is rebutted
    assert claims[ids["objection"]]["label"] == "out"
    assert claims[ids["rebuttal"]]["label"] == "in"
    assert "Footfall rises" in claims[ids["objection"]]["explanation"]
    assert claims[ids["objection"]]["why"]["defeaters"] == [ids["rebuttal_relation"]]
    assert body["relations"][ids["objection_relation"]]["label"] == "out"
    assert 0 <= claims[ids["thesis"]]["strength"] <= 1
    assert claims[ids["thesis"]]["proof_standards"]["scintilla"] == "yes"
    assert body["counts"] == {"in": 3, "out": 1, "undecided": 0}


def test_evaluation_speaks_plain_words_and_offers_moves(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    body = client.get(f"/api/v1/maps/{map_id}/evaluation").json()
    objection = body["claims"][ids["objection"]]
    assert (objection["label"], objection["verdict"], objection["verdict_label"]) == (
        "out",
        "defeated",
        "Defeated",
    )
    assert objection["sentences"][0].startswith("“Shops lose customers who drive.” is defeated")
    assert objection["strength_text"].startswith("Support balance ")
    moves = objection["changes"]
    assert {(move["kind"], move["relation"]) for move in moves} >= {
        ("undercut", ids["rebuttal_relation"])
    }
    assert body["claims"][ids["thesis"]]["changes"] is None  # it stands
    assert body["verdicts"] == {"stands": 3, "defeated": 1, "open": 0}
    assert body["changes_complete"] is True
    every_id = {*body["claims"], *body["relations"]}
    for element in [*body["claims"].values(), *body["relations"].values()]:
        said = " ".join(
            [element["explanation"], *element["sentences"], element.get("strength_text") or ""]
            + [move["sentence"] for move in element.get("changes") or []]
        )
        assert not any(element_id in said for element_id in every_id), said


def test_the_moves_of_one_claim_are_searched_on_demand(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    url = f"/api/v1/maps/{map_id}/evaluation/claims/{ids['objection']}/changes"
    response = client.get(url)
    assert response.status_code == 200, response.text
    whole = client.get(f"/api/v1/maps/{map_id}/evaluation").json()
    assert response.json() == whole["claims"][ids["objection"]]["changes"]
    stands = client.get(f"/api/v1/maps/{map_id}/evaluation/claims/{ids['thesis']}/changes")
    assert stands.json() == []
    missing = client.get(f"/api/v1/maps/{map_id}/evaluation/claims/nope/changes")
    assert missing.status_code == 404
    assert missing.json()["loc"] == ["claim_id"]


@pytest.mark.parametrize("semantics", ["preferred", "stable"])
def test_preferred_and_stable_report_acceptance(client: TestClient, semantics: str) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    add_claim(
        client,
        map_id,
        "Footfall data are unreliable.",
        kind="objection",
        target_claim=ids["rebuttal"],
    )
    response = client.get(f"/api/v1/maps/{map_id}/evaluation", params={"semantics": semantics})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["acceptance"]["extensions_exist"] is True
    thesis = body["claims"][ids["thesis"]]
    assert thesis["credulous"] in ("yes", "no")
    assert thesis["sceptical"] in ("yes", "no")


def test_evidential_mode(client: TestClient) -> None:
    ids = debate(client)
    response = client.get(
        f"/api/v1/maps/{ids['map_id']}/evaluation", params={"support": "evidential"}
    )
    assert response.status_code == 200
    claims = response.json()["claims"]
    # Nothing is marked accepted, so nothing has a starting point to stand on.
    assert claims[ids["thesis"]]["label"] == "out"
    assert claims[ids["thesis"]]["why"]["reason"] == "unsupported"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"semantics": "ideal"}, "semantics"),
        ({"support": "strict"}, "support"),
        ({"gradual": "hbs"}, "gradual"),
        ({"depth": "0"}, "depth"),
    ],
)
def test_bad_query_values_are_422(client: TestClient, params: dict[str, str], field: str) -> None:
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/evaluation", params=params)
    assert response.status_code == 422
    assert field in response.text


def test_unknown_map_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/maps/nope/evaluation").status_code == 404
    assert client.get("/api/v1/maps/nope/evaluation/attacks.i23").status_code == 404


def test_revision_evaluation(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    # Revision 4 is before the rebuttal: the objection still stands against the thesis.
    response = client.get(f"/api/v1/maps/{map_id}/revisions/4/evaluation")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 4
    assert body["claims"][ids["thesis"]]["label"] == "out"
    assert ids["rebuttal"] not in body["claims"]
    assert client.get(f"/api/v1/maps/{map_id}/revisions/99/evaluation").status_code == 404


@pytest.mark.parametrize("fmt", ["i23", "apx"])
def test_attack_structure_export(client: TestClient, fmt: str) -> None:
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/evaluation/attacks.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    text = response.text
    if fmt == "i23":
        assert f"claim {ids['thesis']}" in text
        assert "p af " in text
    else:
        assert "arg(a1)." in text
        assert "att(" in text
    assert client.get(f"/api/v1/maps/{ids['map_id']}/evaluation/attacks.tgf").status_code in (
        404,
        422,
    )


def test_the_server_loads_the_compiled_kernels_in_the_background(
    sqlite_client: TestClient,
) -> None:
    """Start-up starts loading them (once per process); health says when they are in use."""
    from api import app as app_module

    thread = app_module._kernels_thread
    assert thread is not None
    thread.join(timeout=600)  # a liveness bound (compiling from scratch takes seconds)
    assert not thread.is_alive()
    body = sqlite_client.get("/api/v1/health").json()
    assert body["compiled_kernels"] is True
    ids = debate(sqlite_client)
    evaluation = sqlite_client.get(f"/api/v1/maps/{ids['map_id']}/evaluation").json()
    assert evaluation["claims"][ids["thesis"]]["label"] == "in"


def test_an_evaluation_is_computed_once_per_version_and_revalidates(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.routes import evaluation as route

    calls: list[int | None] = []
    real = route.evaluate

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(kwargs.get("version"))  # type: ignore[arg-type]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(route, "evaluate", counting)
    ids = debate(client)
    url = f"/api/v1/maps/{ids['map_id']}/evaluation"
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    again = client.get(url)
    assert again.content == first.content
    assert again.headers["ETag"] == etag
    assert len(calls) == 1  # served from the cache
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    other = client.get(url, params={"semantics": "preferred"})
    assert other.headers["ETag"] != etag
    assert len(calls) == 2
    # A change makes a new version: a new evaluation, a new ETag, no 304 for the old one.
    add_claim(client, ids["map_id"], "Delivery vans need access.", kind="objection",
              target_claim=ids["thesis"])  # fmt: skip
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert changed.json()["claims"][ids["thesis"]]["label"] == "out"
    assert len(calls) == 3
    # The revision before the change has its own entry, and the same labels as before.
    version = changed.json()["version"]
    old = client.get(f"/api/v1/maps/{ids['map_id']}/revisions/{version - 1}/evaluation")
    assert old.status_code == 200
    assert old.json()["claims"] == first.json()["claims"]
    assert old.headers["ETag"] not in (etag, changed.headers["ETag"])


def test_the_evaluation_cache_can_be_turned_off(app_factory: object) -> None:
    with app_factory(evaluation_cache_entries=0) as http:  # type: ignore[operator]
        ids = debate(http)
        url = f"/api/v1/maps/{ids['map_id']}/evaluation"
        first = http.get(url)
        assert first.status_code == 200
        assert http.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
        assert http.get(url).json() == first.json()


def test_evaluation_of_a_missing_map_or_revision_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/maps/nowhere/evaluation").status_code == 404
    ids = debate(client)
    response = client.get(f"/api/v1/maps/{ids['map_id']}/revisions/999/evaluation")
    assert response.status_code == 404
