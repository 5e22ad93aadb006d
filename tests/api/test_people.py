"""People: sign-in, sessions, tokens, share links, groups, visibility, authorship, browser safety.

Every test runs on SQLite and on PostgreSQL. `client` is the admin (bearer token); `anon` is a
browser with no credentials on the same app; `browser_for` signs a person in with a password.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from live import ADMIN_TOKEN
from sqlalchemy import update
from sqlalchemy.orm import Session

from api.auth.passwords import hash_password
from api.store import Store
from api.store.people import People
from api.store.tables import SessionRow

PASSWORD = "correct horse battery"


@pytest.fixture
def people(client: TestClient) -> People:
    return client.app.state.people  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def anon(client: TestClient) -> Iterator[TestClient]:
    with TestClient(client.app) as browser:
        yield browser


@pytest.fixture
def browser_for(client: TestClient, people: People) -> Iterator[Callable[[str], TestClient]]:
    """A signed-in browser (session cookie + CSRF header) for a new user of that name."""
    opened: list[TestClient] = []

    def sign_in(username: str) -> TestClient:
        if people.find_username(username) is None:
            people.create_user(username, username.title(), password_hash=hash_password(PASSWORD))
        browser = TestClient(client.app)
        opened.append(browser)
        answer = browser.post(
            "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        browser.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        return browser

    yield sign_in
    for browser in opened:
        browser.close()


def _private_map(client: TestClient, title: str = "Ours") -> str:
    answer = client.post("/api/v1/maps", json={"title": title})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


# ---- sessions ---------------------------------------------------------------------------


def test_login_sets_a_session_cookie_that_logout_ends(
    browser_for: Callable[[str], TestClient],
) -> None:
    browser = browser_for("ada")
    cookie = browser.cookies.jar
    assert any(c.name == "argmap_session" for c in cookie)
    session = browser.get("/api/v1/auth/session").json()
    assert session["user"]["username"] == "ada"
    assert session["csrf_token"]
    assert browser.post("/api/v1/auth/logout").status_code == 204
    assert browser.get("/api/v1/auth/session").json()["user"] is None


def test_the_cookie_is_httponly_and_samesite_lax(client: TestClient, people: People) -> None:
    people.create_user("bo", "Bo", password_hash=hash_password(PASSWORD))
    with TestClient(client.app) as browser:
        answer = browser.post("/api/v1/auth/login", json={"username": "bo", "password": PASSWORD})
    header = answer.headers["set-cookie"].lower()
    assert "httponly" in header
    assert "samesite=lax" in header
    assert "secure" not in header  # plain http here; behind https it is Secure


def test_a_wrong_password_is_401(anon: TestClient, people: People) -> None:
    people.create_user("cy", "Cy", password_hash=hash_password(PASSWORD))
    answer = anon.post("/api/v1/auth/login", json={"username": "cy", "password": "not it at all"})
    assert answer.status_code == 401
    assert answer.json()["detail"].endswith("wrong username or password")


def test_an_expired_session_signs_nobody_in(
    browser_for: Callable[[str], TestClient],
    store: Store,
    client: TestClient,
) -> None:
    browser = browser_for("dee")
    map_id = _private_map(browser)
    with Session(store.engine) as session, session.begin():
        session.execute(update(SessionRow).values(expires_at=datetime.now(UTC) - timedelta(1)))
    assert browser.get("/api/v1/auth/session").json()["user"] is None
    answer = browser.get(f"/api/v1/maps/{map_id}")
    assert answer.status_code == 401
    assert "session has ended" in answer.json()["detail"]


def test_a_new_password_ends_other_sessions(browser_for: Callable[[str], TestClient]) -> None:
    first, second = browser_for("eve"), browser_for("eve")
    answer = first.patch(
        "/api/v1/auth/me", json={"password": "a brand new password", "current_password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    assert first.get("/api/v1/auth/session").json()["user"]["username"] == "eve"
    assert second.get("/api/v1/auth/session").json()["user"] is None


# ---- CSRF and cross-site requests -------------------------------------------------------


def test_a_cookie_write_needs_the_csrf_token(browser_for: Callable[[str], TestClient]) -> None:
    browser = browser_for("fay")
    token = browser.headers.pop("X-CSRF-Token")
    refused = browser.post("/api/v1/maps", json={"title": "No token"})
    assert refused.status_code == 403
    assert refused.json()["loc"] == ["header", "X-CSRF-Token"]
    accepted = browser.post(
        "/api/v1/maps", json={"title": "Token"}, headers={"X-CSRF-Token": token}
    )
    assert accepted.status_code == 201


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://attacker.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_a_cross_site_write_is_refused(
    browser_for: Callable[[str], TestClient], headers: dict[str, str]
) -> None:
    browser = browser_for("gus")
    answer = browser.post("/api/v1/maps", json={"title": "Forged"}, headers=headers)
    assert answer.status_code == 403
    assert browser.get("/api/v1/maps").json()["total"] == 0


def test_a_same_origin_write_passes(browser_for: Callable[[str], TestClient]) -> None:
    browser = browser_for("hal")
    answer = browser.post(
        "/api/v1/maps",
        json={"title": "Mine"},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert answer.status_code == 201


def test_bearer_requests_need_no_csrf_token(client: TestClient) -> None:
    assert client.post("/api/v1/maps", json={"title": "Scripted"}).status_code == 201


# ---- tokens -----------------------------------------------------------------------------


def test_a_token_is_shown_once_and_works_until_revoked(
    browser_for: Callable[[str], TestClient],
    client: TestClient,
) -> None:
    browser = browser_for("ivy")
    made = browser.post("/api/v1/auth/tokens", json={"name": "script"}).json()
    listed = browser.get("/api/v1/auth/tokens").json()
    assert [t["name"] for t in listed] == ["script"]
    assert "token" not in listed[0]
    with TestClient(client.app, headers={"Authorization": f"Bearer {made['token']}"}) as script:
        assert script.get("/api/v1/auth/session").json()["user"]["username"] == "ivy"
        assert browser.delete(f"/api/v1/auth/tokens/{made['id']}").status_code == 204
        assert script.get("/api/v1/auth/session").status_code == 401


# ---- maps, roles, links, groups ----------------------------------------------------------


def test_a_private_map_is_hidden_from_others(
    browser_for: Callable[[str], TestClient], anon: TestClient
) -> None:
    owner, other = browser_for("jo"), browser_for("kim")
    map_id = _private_map(owner)
    assert other.get(f"/api/v1/maps/{map_id}").status_code == 404
    assert anon.get(f"/api/v1/maps/{map_id}").status_code == 404
    assert other.get("/api/v1/maps").json()["total"] == 0
    assert owner.get("/api/v1/maps").json()["total"] == 1


def test_visibility_link_and_public(
    browser_for: Callable[[str], TestClient], anon: TestClient
) -> None:
    owner = browser_for("lee")
    map_id = _private_map(owner)
    assert (
        owner.put(f"/api/v1/maps/{map_id}/visibility", json={"visibility": "link"}).status_code
        == 200
    )
    assert anon.get(f"/api/v1/maps/{map_id}").status_code == 200
    assert anon.get("/api/v1/maps").json()["total"] == 0  # not listed
    owner.put(f"/api/v1/maps/{map_id}/visibility", json={"visibility": "public"})
    assert [m["id"] for m in anon.get("/api/v1/maps").json()["items"]] == [map_id]
    assert anon.post(f"/api/v1/maps/{map_id}/claims", json={"text": "x"}).status_code == 401


def test_a_guest_joins_through_a_link_and_is_recorded_as_author(
    client: TestClient, anon: TestClient
) -> None:
    map_id = _private_map(client)
    link = client.post(f"/api/v1/maps/{map_id}/links", json={"role": "editor"}).json()
    assert link["url"] == f"/join/{link['token']}"
    joined = anon.post(f"/api/v1/join/{link['token']}", json={"display_name": "Zoë Guest"})
    assert joined.status_code == 200, joined.text
    body = joined.json()
    assert (body["map_id"], body["role"], body["user"]["is_guest"]) == (map_id, "editor", True)
    anon.headers["X-CSRF-Token"] = body["csrf_token"]
    added = anon.post(
        f"/api/v1/maps/{map_id}/claims",
        json={"text": "A guest's claim.", "author": "Prof. Smith (admin)"},
        headers={"X-Author": "Prof. Smith (admin)"},
    )
    assert added.status_code == 201, added.text
    assert added.json()["claim"]["author"] == "Zoë Guest"
    newest = anon.get(f"/api/v1/maps/{map_id}/revisions").json()["items"][0]
    assert (newest["author"], newest["author_id"]) == ("Zoë Guest", body["user"]["id"])


def test_revoking_a_link_ends_its_guests_access(client: TestClient, anon: TestClient) -> None:
    map_id = _private_map(client)
    link = client.post(f"/api/v1/maps/{map_id}/links", json={"role": "viewer"}).json()
    joined = anon.post(f"/api/v1/join/{link['token']}", json={"display_name": "Visitor"})
    anon.headers["X-CSRF-Token"] = joined.json()["csrf_token"]
    assert anon.get(f"/api/v1/maps/{map_id}").status_code == 200
    assert client.delete(f"/api/v1/maps/{map_id}/links/{link['id']}").status_code == 204
    assert anon.get(f"/api/v1/maps/{map_id}").status_code == 404
    again = anon.post(f"/api/v1/join/{link['token']}", json={"display_name": "Visitor"})
    assert again.status_code == 404


def test_an_expired_link_does_not_work(client: TestClient, anon: TestClient) -> None:
    map_id = _private_map(client)
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    link = client.post(f"/api/v1/maps/{map_id}/links", json={"role": "viewer", "expires_at": past})
    answer = anon.post(f"/api/v1/join/{link.json()['token']}", json={"display_name": "Late"})
    assert answer.status_code == 404


def test_a_guest_keeps_the_account_by_setting_a_password(
    client: TestClient, anon: TestClient
) -> None:
    map_id = _private_map(client)
    link = client.post(f"/api/v1/maps/{map_id}/links", json={"role": "viewer"}).json()
    joined = anon.post(f"/api/v1/join/{link['token']}", json={"display_name": "Mo"}).json()
    anon.headers["X-CSRF-Token"] = joined["csrf_token"]
    kept = anon.patch("/api/v1/auth/me", json={"username": "mo", "password": "mo's own password"})
    assert kept.status_code == 200, kept.text
    assert kept.json()["is_guest"] is False
    with TestClient(client.app) as later:
        signed = later.post(
            "/api/v1/auth/login", json={"username": "mo", "password": "mo's own password"}
        )
        assert signed.status_code == 200


def test_roles_from_members_and_groups(
    client: TestClient, browser_for: Callable[[str], TestClient]
) -> None:
    owner, reader, student = browser_for("nia"), browser_for("oli"), browser_for("pat")
    map_id = _private_map(owner)
    assert (
        owner.put(
            f"/api/v1/maps/{map_id}/members", json={"username": "oli", "role": "viewer"}
        ).status_code
        == 200
    )
    assert reader.get(f"/api/v1/maps/{map_id}").status_code == 200
    assert reader.post(f"/api/v1/maps/{map_id}/claims", json={"text": "no"}).status_code == 403
    group = owner.post("/api/v1/groups", json={"name": "Seminar"}).json()
    token = group["invite_url"].rsplit("/", 1)[1]
    assert student.post(f"/api/v1/groups/join/{token}", json={}).status_code == 200
    shared = owner.put(
        f"/api/v1/maps/{map_id}/groups", json={"group_id": group["id"], "role": "editor"}
    )
    assert shared.status_code == 200, shared.text
    assert student.post(f"/api/v1/maps/{map_id}/claims", json={"text": "yes"}).status_code == 201
    sharing = student.get(f"/api/v1/maps/{map_id}/sharing").json()
    assert sharing["your_role"] == "editor"
    assert [m["user"]["username"] for m in sharing["members"]] == ["oli"]


def test_only_the_owner_trashes_and_restores(
    client: TestClient, browser_for: Callable[[str], TestClient]
) -> None:
    owner, editor = browser_for("quin"), browser_for("ray")
    map_id = _private_map(owner)
    owner.put(f"/api/v1/maps/{map_id}/members", json={"username": "ray", "role": "editor"})
    assert editor.delete(f"/api/v1/maps/{map_id}").status_code == 403
    assert owner.delete(f"/api/v1/maps/{map_id}").status_code == 200
    assert [m["id"] for m in owner.get("/api/v1/trash").json()["items"]] == [map_id]
    assert editor.get("/api/v1/trash").json()["total"] == 0
    assert editor.post(f"/api/v1/trash/{map_id}/restore").status_code == 404
    assert owner.post(f"/api/v1/trash/{map_id}/restore").status_code == 200


# ---- the admin, limits and browser safety -----------------------------------------------


def test_the_admin_makes_accounts_others_may_not(
    client: TestClient, browser_for: Callable[[str], TestClient]
) -> None:
    made = client.post("/api/v1/users", json={"username": "sam", "password": PASSWORD})
    assert made.status_code == 201
    assert browser_for("sam").get("/api/v1/users").status_code == 403


def test_login_attempts_are_rate_limited(app_factory: Callable[..., TestClient]) -> None:
    limited = app_factory(rate_login="3/minute")
    limited.headers.pop("Authorization")
    statuses = [
        limited.post(
            "/api/v1/auth/login", json={"username": "admin", "password": "guess"}
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    last = limited.post("/api/v1/auth/login", json={"username": "admin", "password": "guess"})
    assert int(last.headers["Retry-After"]) >= 1


def test_writes_are_rate_limited_per_person_but_not_for_the_admin(
    app_factory: Callable[..., TestClient],
) -> None:
    admin = app_factory(rate_writes="2/minute")
    people: People = admin.app.state.people  # type: ignore[attr-defined]
    user = people.create_user("tia", "Tia", password_hash=None)
    token = people.create_token(user.id, "t").token
    with TestClient(admin.app, headers={"Authorization": f"Bearer {token}"}) as tia:
        statuses = [tia.post("/api/v1/maps", json={"title": f"m{i}"}).status_code for i in range(3)]
    assert statuses == [201, 201, 429]
    assert all(admin.post("/api/v1/maps", json={"title": "a"}).status_code == 201 for _ in range(4))


def test_a_foreign_host_is_refused(client: TestClient) -> None:
    answer = client.get("/api/v1/maps", headers={"Host": "attacker.example"})
    assert answer.status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/maps", "/", "/api/v1/nothing-here"])
def test_security_headers_on_every_response(anon: TestClient, path: str) -> None:
    headers = anon.get(path).headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_health_tells_strangers_only_that_it_is_up(client: TestClient, anon: TestClient) -> None:
    assert anon.get("/api/v1/health").json() == {"status": "ok"}
    assert "diagram_engine" in client.get("/api/v1/health").json()


def test_the_login_link_signs_the_browser_in(anon: TestClient) -> None:
    answer = anon.get(f"/login?token={ADMIN_TOKEN}", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/#/"
    assert anon.get("/api/v1/auth/session").json()["user"]["username"] == "admin"
    wrong = anon.get("/login?token=nope", follow_redirects=False)
    assert wrong.headers["location"] == "/#/login?error=token"


@pytest.mark.parametrize("name", ["Ann\u0085Lee", "Ann\nLee", "Ann\x00", " "])
def test_a_display_name_follows_the_rule_of_claim_authors(
    browser_for: Callable[[str], TestClient], name: str
) -> None:
    browser = browser_for("una")
    answer = browser.patch("/api/v1/auth/me", json={"display_name": name})
    assert answer.status_code == 422
    assert answer.json()["loc"][-1] == "display_name"


def test_join_attempts_are_rate_limited(app_factory: Callable[..., TestClient]) -> None:
    admin = app_factory(rate_join="2/minute")
    map_id = _private_map(admin)
    link = admin.post(f"/api/v1/maps/{map_id}/links", json={"role": "viewer"}).json()
    statuses = [admin.post(f"/api/v1/join/{link['token']}", json={}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert int(admin.post(f"/api/v1/join/{link['token']}", json={}).headers["Retry-After"]) >= 1
