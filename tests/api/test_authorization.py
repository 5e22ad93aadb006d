"""Who may do what: every operation of the OpenAPI document, for every kind of caller.

The test is generated from the document: each operation must carry its access rule
(`x-argmap-access`, written by api/auth/access.py), so an endpoint without a rule fails here.
For each operation and each caller a fresh private map is made (owned by `owner`, with a viewer,
a commenter and an editor, a share link, a group, a claim, a relation and a revision), the
request is sent with the caller's bearer token, and the status is checked against what the rule
says the caller may do:

- allowed: anything but 401 and 403, and no "map not found" (a 422 for the empty body, or a
  404 for a sub-resource, still says the caller got past the rule);
- on a map the caller may not see: 404, as for a map that does not exist;
- not signed in where the rule needs a person: 401; signed in with too low a role: 403.

The same walk runs over a public map, where anybody reads and nobody but members writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import BACKENDS, empty_database
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth.passwords import hash_password
from api.settings import Settings
from api.store import Store, open_store
from api.store.people import People
from models import Claim, MapContent, Relation
from models.people import RANK

CALLERS = ["anonymous", "viewer", "commenter", "editor", "owner", "other", "revoked_guest", "admin"]
MAP_ROLES = {
    "viewer": "viewer",
    "commenter": "commenter",
    "editor": "editor",
    "owner": "owner",
    "admin": "owner",
}
HIDDEN = re.compile(r"map .* not found")

# A body that passes validation where one is easy to give; others get {} (a 422 when allowed).
BODIES: dict[str, Any] = {
    "create_map": {"title": "New"},
    "patch_map": {"title": "Renamed"},
    "add_claim": {"text": "Another claim."},
    "patch_claim": {"text": "Changed text."},
    "add_relation": {"kind": "support", "premises": ["c-b"], "target_claim": "c-a"},
    "patch_relation": {"note": "A note."},
    "login": {"username": "owner", "password": "the owner's password"},
    "update_me": {"display_name": "Renamed Person"},
    "create_token": {"name": "script"},
    "create_user": {"username": "newuser", "password": "long enough password"},
    "join_map": {"display_name": "Visitor"},
    "join_group": {"display_name": "Visitor"},
    "set_visibility": {"visibility": "link"},
    "add_member": {"username": "other", "role": "viewer"},
    "change_member": {"role": "commenter"},
    "create_link": {"role": "viewer"},
    "create_group": {"name": "Seminar"},
}


@dataclass
class World:
    app: FastAPI
    people: People
    store: Store
    tokens: dict[str, str]
    users: dict[str, str]  # caller -> user id


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One app and its people per backend (each check makes its own fresh maps)."""
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path_factory.mktemp("matrix"), load_sample=False)
        store = open_store(settings)
    else:
        store = request.getfixturevalue("postgres_store")
        empty_database(store)
    # An event stream answers until its time is up: a tenth of a second here.
    changed = {
        "rate_writes": "10000/minute",
        "events_stream_seconds": 0.1,
        "quota_maps": 100_000,  # the owner owns a fresh map for every check
    }
    app = create_app(store.settings.model_copy(update=changed), store=store)
    people: People = app.state.people
    tokens = {"admin": app.state.admin_token}
    users = {"admin": "admin"}
    for name in ["viewer", "commenter", "editor", "owner", "other"]:
        hashed = hash_password("the owner's password") if name == "owner" else None
        user = people.create_user(name, name.title(), password_hash=hashed)
        users[name] = user.id
        tokens[name] = people.create_token(user.id, "test").token
    guest = people.create_guest("Guest")
    users["revoked_guest"] = guest.id
    tokens["revoked_guest"] = people.create_token(guest.id, "test").token
    yield World(app, people, store, tokens, users)
    if request.param == "sqlite":
        store.engine.dispose()


def _map(world: World, visibility: str) -> dict[str, str]:
    """A fresh map owned by `owner`, its members, a link, a group, and one of everything."""
    content = MapContent(
        title="Matrix",
        claims=[Claim(id="c-a", text="A thesis."), Claim(id="c-b", text="A support.")],
        relations=[Relation(id="r-1", kind="support", premises=["c-b"], target_claim="c-a")],
    )
    people, users = world.people, world.users
    created = world.store.create_map(content, owner_id=users["owner"], visibility=visibility)
    map_id = created.id
    for role in ("viewer", "commenter", "editor"):
        people.set_member(map_id, users[role], role)  # type: ignore[arg-type]
    revoked = people.create_link(map_id, "editor", users["owner"], None)
    people.set_member(map_id, users["revoked_guest"], "editor", link_id=revoked.id, only_raise=True)
    people.revoke_link(map_id, revoked.id)
    link = people.create_link(map_id, "viewer", users["owner"], None)
    group = people.create_group("Study group", users["owner"])
    people.share_with_group(map_id, group.id, "viewer")
    trashed = world.store.create_map(MapContent(title="Old"), owner_id=users["owner"])
    world.store.trash_map(trashed.id)
    assert group.invite_url is not None  # the owner sees the group's invite link
    return {
        "map_id": map_id,
        "trashed": trashed.id,
        "link_id": link.id,
        "token": link.token,
        "group_id": group.id,
        "group_token": group.invite_url.rsplit("/", 1)[1],
    }


def _url(path: str, operation: dict[str, Any], ids: dict[str, str], world: World) -> str:
    values = {
        "map_id": ids["trashed"] if path.startswith("/api/v1/trash/") else ids["map_id"],
        "claim_id": "c-a",
        "relation_id": "r-1",
        "number": "1",
        "link_id": ids["link_id"],
        "user_id": world.users["viewer"],
        "group_id": ids["group_id"],
        "token_id": "k-none",
        "comment_id": "m-none",  # a 404 past the rule (the finer rules are tested on their own)
        "token": ids["group_token"]
        if "groups/join" in path or "/join/g/" in path
        else ids["token"],
    }
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path" and parameter["name"] == "fmt":
            pattern = parameter.get("schema", {}).get("pattern", "")
            values["fmt"] = "i23" if "i23" in pattern else "dot"
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def _expected(rule: str, caller: str, visibility: str) -> str:
    """allowed, hidden (404), unauthenticated (401) or forbidden (403)."""
    signed_in = caller != "anonymous"
    if rule == "public":
        return "allowed"
    if rule == "signed-in":
        return "allowed" if signed_in else "unauthenticated"
    if rule == "admin":
        return "allowed" if caller == "admin" else ("forbidden" if signed_in else "unauthenticated")
    if rule == "trash:owner":
        return "allowed" if caller in ("owner", "admin") else "hidden"
    wanted = rule.removeprefix("map:")
    role = MAP_ROLES.get(caller)
    if role is None and visibility == "public":
        role = "viewer"
    if role is None:
        return "hidden"
    if RANK[role] >= RANK[wanted]:
        return "allowed"
    return "forbidden" if signed_in else "unauthenticated"


def _operations() -> list[tuple[str, str]]:
    app = create_app(_bare_settings())
    try:
        document = app.openapi()
        return [
            (method, path)
            for path, item in document["paths"].items()
            for method in item
            if method != "options"
        ]
    finally:
        app.state.store.engine.dispose()


def _bare_settings() -> Settings:
    return Settings(database_url="sqlite://", load_sample=False, data_dir="/tmp/argmap-matrix")


OPERATIONS = _operations()


def _check(
    world: World, method: str, path: str, visibility: str, callers: list[str] = CALLERS
) -> list[str]:
    """Send the operation as each caller; return what came out other than the rule says.

    Callers the rule refuses go first, on one fresh map (they change nothing); each caller it
    allows then gets a fresh map of its own when the operation changes things.
    """
    operation = world.app.openapi()["paths"][path][method]
    rule = operation.get("x-argmap-access")
    assert rule, f"{method.upper()} {path} has no access rule"
    expected = {caller: _expected(rule, caller, visibility) for caller in callers}
    ordered = sorted(callers, key=lambda caller: expected[caller] == "allowed")
    body = BODIES.get(operation["operationId"], {}) if method in ("post", "put", "patch") else None
    wrong: list[str] = []
    ids: dict[str, str] | None = None
    for caller in ordered:
        if ids is None or (expected[caller] == "allowed" and method != "get"):
            ids = _map(world, visibility)
        headers = (
            {} if caller == "anonymous" else {"Authorization": f"Bearer {world.tokens[caller]}"}
        )
        with TestClient(world.app, headers=headers, follow_redirects=False) as client:
            response = client.request(method.upper(), _url(path, operation, ids, world), json=body)
        wrong.extend(_judge(response, expected[caller], caller, rule))
    return wrong


def _judge(response: Any, expected: str, caller: str, rule: str) -> list[str]:
    status = response.status_code
    hidden = status == 404 and HIDDEN.search(response.text) is not None
    got = {401: "unauthenticated", 403: "forbidden"}.get(status, "hidden" if hidden else "allowed")
    if status >= 500 or got != expected:
        return [f"{caller} ({rule}): expected {expected}, got {status} {response.text[:150]}"]
    return []


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_caller_gets_what_the_rule_allows(world: World, method: str, path: str) -> None:
    wrong = _check(world, method, path, "private")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize(
    ("method", "path"),
    [(m, p) for m, p in OPERATIONS if "{map_id}" in p and not p.startswith("/api/v1/trash")],
)
def test_a_public_map_is_read_by_anyone_and_changed_by_members(
    world: World, method: str, path: str
) -> None:
    # Members fare as on a private map; what differs is the lot of those who are not.
    wrong = _check(world, method, path, "public", ["anonymous", "other", "revoked_guest"])
    assert wrong == [], "\n".join(wrong)
