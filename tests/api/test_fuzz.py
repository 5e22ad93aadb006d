"""Schemathesis over the app's own OpenAPI document, with every check, on SQLite and PostgreSQL.

Every response must pass all of schemathesis's checks: no 5xx, status codes, content types,
headers and bodies as documented (the error model of api/responses.py included), invalid
requests refused and valid ones accepted, 405 with a true `Allow` for an undocumented method.
For every operation:

- schemathesis's coverage cases (each parameter's edge values, missing and unknown parameters,
  wrong types, undocumented methods), sent with the ids of the sample map so they get past the
  404s;
- a modest number of hypothesis-generated requests, valid and invalid, with random ids and with
  the sample map's ids (a real map, claim and relation; revision 1 or a generated number), some
  with an integer parameter pushed to an extreme (0, -1, 2**31, 2**63, 10**20).

Then schemathesis's state machine follows the document's links (a created map to its claims,
a claim to its reading and deletion, a deleted map to its restoring) with the stateful checks
(`use_after_free`, `ensure_resource_availability`) on top. An exception escaping the app fails
the test too (the in-process client re-raises it).

A valid request may still be refused for what a schema cannot say: a stale `If-Match` (412), a
domain rule such as a premise that is not in the map (422). Those statuses count as accepted
for `positive_data_acceptance`; every other check runs as schemathesis configures it.

schemathesis's own pytest entry points (`schemathesis.pytest.from_fixture`,
`@schema.parametrize()`) do not run under this project's pytest, so the cases are drawn from
`APIOperation.as_strategy` and `iter_coverage_cases` with plain hypothesis and pytest.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from conftest import BACKENDS
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from live import ADMIN
from schemathesis import APIOperation, Case, GenerationMode
from sqlalchemy import text

from api.app import create_app
from api.settings import Settings
from api.store import Store

# Generated requests per operation: enough to reach odd corners, few enough that the whole file
# runs in well under a minute.
EXAMPLES = 15
EXTREMES = [0, -1, 2**31, 2**63, 10**20]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
# Scenarios of the state machine, and calls in each.
SCENARIOS = 15
STEPS = 6
# Refusals of a valid request for what no schema can say (see the module docstring).
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "429", "5xx"]
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}}
)


def _operation_keys() -> list[tuple[str, str]]:
    """(method, path) of every operation in the OpenAPI document, read at collection time."""
    app = create_app(Settings(database_url="sqlite://", load_sample=False))
    try:
        operations = schemathesis.openapi.from_asgi("/openapi.json", app).get_all_operations()
        return [(op.ok().method.upper(), op.ok().path) for op in operations]
    finally:
        app.state.store.engine.dispose()


OPERATIONS = _operation_keys()
# An event stream answers until its time is up: a tenth of a second here, so each call ends.
STREAMS = {"events_stream_seconds": 0.1}


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    """One app with the sample map, shared by every operation: on a fresh SQLite file, or on
    the session's PostgreSQL server (emptied)."""
    if request.param == "sqlite":
        data_dir: Path = tmp_path_factory.mktemp("fuzz")
        app = create_app(Settings(data_dir=data_dir, load_sample=True, **STREAMS))
        yield app
        app.state.store.engine.dispose()
        return
    store: Store = request.getfixturevalue("postgres_store")
    with store.engine.begin() as connection:
        connection.execute(text("TRUNCATE maps, claims, relations, revisions CASCADE"))
    yield create_app(
        store.settings.model_copy(update={"load_sample": True, **STREAMS}), store=store
    )


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app, config=CONFIG)


@pytest.fixture(scope="module")
def fuzz_client(fuzz_app: FastAPI) -> TestClient:
    return TestClient(fuzz_app, headers=ADMIN)


def _objection(rid: str, premise: str, target: str, *, undercut: bool = False) -> dict[str, Any]:
    key = "target_relation" if undercut else "target_claim"
    return {"id": rid, "kind": "objection", "premises": [premise], key: target}


# Objections only: an odd cycle (a, b, c), an even one (d, e) and an undercut of an undercut.
CYCLES = {
    "argmap": 1,
    "title": "Cycles",
    "claims": [{"id": name, "text": f"claim {name}"} for name in "abcdefg"],
    "relations": [
        _objection("ab", "a", "b"),
        _objection("bc", "b", "c"),
        _objection("ca", "c", "a"),
        _objection("de", "d", "e"),
        _objection("ed", "e", "d"),
        _objection("fd", "f", "d"),
        _objection("g-fd", "g", "fd", undercut=True),
        _objection("a-g-fd", "a", "g-fd", undercut=True),
    ],
}


@pytest.fixture(scope="module")
def sample_ids(fuzz_client: TestClient) -> dict[str, str]:
    """A real map id, claim id and relation id of the sample map."""
    map_id = fuzz_client.get("/api/v1/maps").json()["items"][0]["id"]
    body = fuzz_client.get(f"/api/v1/maps/{map_id}").json()
    return {
        "map_id": map_id,
        "claim_id": body["claims"][-1]["id"],
        "relation_id": body["relations"][-1]["id"],
    }


@pytest.fixture(scope="module")
def cycle_ids(fuzz_client: TestClient) -> dict[str, str]:
    """The ids of a map of objection cycles and undercuts, imported through the API."""
    response = fuzz_client.post(
        "/api/v1/maps/import?format=native", content=json.dumps(CYCLES).encode()
    )
    assert response.status_code == 201, response.text
    return {"map_id": response.json()["map"]["id"], "claim_id": "a", "relation_id": "g-fd"}


def _integer_parameters(operation: APIOperation) -> list[tuple[str, str]]:
    """(location, name) of the path and query parameters that take an integer."""
    found = []
    for location, parameters in (("path", operation.path_parameters), ("query", operation.query)):
        for parameter in parameters:
            if '"integer"' in json.dumps(parameter.definition.get("schema", {})):
                found.append((location, parameter.name))
    return found


def _pinned(operation: APIOperation, ids: dict[str, str]) -> dict[str, Any]:
    names = {parameter.name for parameter in operation.path_parameters}
    return {name: value for name, value in ids.items() if name in names}


def _generated(operation: APIOperation, *maps: dict[str, str]) -> st.SearchStrategy[Case]:
    """Valid and invalid requests, with random ids and with the ids of each given map."""
    variants: list[dict[str, Any] | None] = [None]
    for ids in maps:
        pinned = _pinned(operation, ids)
        if pinned:
            variants.append(pinned)
            if any(p.name == "number" for p in operation.path_parameters):
                variants.append({**pinned, "number": 1})
    return st.one_of(
        [
            operation.as_strategy(mode, path_parameters=variant)
            for variant in variants
            for mode in MODES
        ]
    )


def _push(case: Case, location: str, name: str, value: int) -> None:
    """Set one integer parameter of the case to an extreme value."""
    if location == "path":
        case.path_parameters = {**(case.path_parameters or {}), name: value}
    else:
        case.query = {**(case.query or {}), name: value}


class Runner:
    """Sends cases to the app, checks them, and keeps the sample map out of the trash."""

    def __init__(self, client: TestClient, *map_ids: str) -> None:
        self.client = client
        self.map_ids = map_ids

    def send(self, case: Case) -> None:
        response = case.call(headers={**ADMIN, **(case.headers or {})})
        case.validate_response(response)  # every check schemathesis has
        map_id = (case.path_parameters or {}).get("map_id")
        if case.method.upper() == "DELETE" and map_id in self.map_ids:
            self.client.post(f"/api/v1/trash/{map_id}/restore")


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_coverage_cases_pass_every_check(
    method: str,
    path: str,
    fuzz_schema: schemathesis.BaseSchema,
    fuzz_client: TestClient,
    sample_ids: dict[str, str],
) -> None:
    operation = fuzz_schema[path][method]
    runner = Runner(fuzz_client, sample_ids["map_id"])
    pinned = _pinned(operation, sample_ids)
    cases = fuzz_schema.iter_coverage_cases(
        operation,
        generation_modes=MODES,
        generation_config=fuzz_schema.config.generation_for(operation=operation),
    )
    for case in cases:
        # Keep a deliberately invalid id as it is; put the sample map's ids in its place otherwise.
        if case.path_parameters and all(
            isinstance(case.path_parameters.get(name), str) for name in pinned
        ):
            case.path_parameters = {**case.path_parameters, **pinned}
        runner.send(case)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_generated_requests_pass_every_check(
    method: str,
    path: str,
    fuzz_schema: schemathesis.BaseSchema,
    fuzz_client: TestClient,
    sample_ids: dict[str, str],
    cycle_ids: dict[str, str],
) -> None:
    operation = fuzz_schema[path][method]
    runner = Runner(fuzz_client, sample_ids["map_id"], cycle_ids["map_id"])
    integers = _integer_parameters(operation)
    pushes = st.none()
    if integers:
        pushes = st.none() | st.tuples(st.sampled_from(integers), st.sampled_from(EXTREMES))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_generated(operation, sample_ids, cycle_ids), push=pushes)
    def check(case: Case, push: tuple[tuple[str, str], int] | None) -> None:
        if push is not None:
            (location, name), value = push
            _push(case, location, name, value)
        runner.send(case)

    check()


def test_linked_calls_pass_every_check(fuzz_schema: schemathesis.BaseSchema) -> None:
    """Scenarios that follow the document's links, checked by the stateful checks too."""

    class AsAdmin(fuzz_schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": {**ADMIN, **(case.headers or {})}}

    AsAdmin.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )


# Requests found by hand that schemathesis does not generate (lone surrogates, 5000-digit
# numbers, gradual strength on a map without supports). Each must get a 4xx, or for valid
# requests a 2xx, and a rejected write must leave the map as it was.
def _hostile(sample: str, cycles: str) -> list[tuple[str, str, dict[str, Any], int]]:
    surrogate = b'{"text": "x", "data": {"k": "\\udc00"}}'
    big = b'{"argmap": ' + b"9" * 5000 + b', "title": "t", "claims": [], "relations": []}'
    native_surrogate = (
        b'{"argmap": 1, "title": "t", "claims": [{"id": "a", "text": "x", '
        b'"data": {"k": "\\ud800"}}], "relations": []}'
    )
    json_body = {"content-type": "application/json"}
    return [
        ("POST", f"/api/v1/maps/{sample}/claims", {"content": surrogate, "headers": json_body}, 4),
        (
            "PATCH",
            f"/api/v1/maps/{sample}/claims/{{claim}}",
            {"content": surrogate, "headers": json_body},
            4,
        ),
        ("POST", "/api/v1/maps/import?format=native", {"content": native_surrogate}, 4),
        ("POST", "/api/v1/maps/import", {"content": big}, 4),
        ("POST", "/api/v1/maps/import", {"files": {"file": ("big.json", big)}}, 4),
        ("GET", f"/api/v1/maps/{sample}/revisions/{10**20}/evaluation", {}, 4),
        ("GET", f"/api/v1/maps/{sample}/revisions/{2**63}/diagram.svg", {}, 4),
        ("GET", f"/api/v1/maps/{sample}/export?version={2**63}", {}, 4),
        ("GET", f"/api/v1/maps/{sample}/export/report?version={10**20}", {}, 4),
        ("GET", f"/api/v1/maps/{cycles}/evaluation?gradual=quadratic_energy", {}, 2),
        (
            "GET",
            f"/api/v1/maps/{cycles}/evaluation?gradual=quadratic_energy&semantics=stable"
            "&support=evidential",
            {},
            2,
        ),
    ]


HOSTILE_IDS = [
    "surrogate in claim data (POST)",
    "surrogate in claim data (PATCH)",
    "surrogate in imported claim data",
    "5000-digit number in an import (raw)",
    "5000-digit number in an import (multipart)",
    "revision 10**20 evaluation",
    "revision 2**63 diagram",
    "export version 2**63",
    "export report version 10**20",
    "quadratic energy without supports",
    "quadratic energy, stable, evidential, no supports",
]


@pytest.mark.parametrize("index", range(len(HOSTILE_IDS)), ids=HOSTILE_IDS)
def test_hand_made_hostile_requests(
    index: int,
    fuzz_client: TestClient,
    sample_ids: dict[str, str],
    cycle_ids: dict[str, str],
) -> None:
    sample = sample_ids["map_id"]
    method, url, kwargs, status_class = _hostile(sample, cycle_ids["map_id"])[index]
    url = url.replace("{claim}", sample_ids["claim_id"])
    before = fuzz_client.get(f"/api/v1/maps/{sample}").json()["version"]
    maps_before = fuzz_client.get("/api/v1/maps").json()["total"]
    response = fuzz_client.request(method, url, **kwargs)
    assert response.status_code // 100 == status_class, (response.status_code, response.text)
    if status_class == 4:
        assert "detail" in response.json()
        assert fuzz_client.get(f"/api/v1/maps/{sample}").json()["version"] == before
        assert fuzz_client.get("/api/v1/maps").json()["total"] == maps_before
