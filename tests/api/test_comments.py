"""Comments on claims and relations: threads, who may write, edit, resolve and delete them.

Every test runs on SQLite and on PostgreSQL; `browser_for` signs a person in with a password.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.auth.passwords import hash_password
from api.store.people import People

PASSWORD = "correct horse battery"
Browser = Callable[[str], TestClient]


@pytest.fixture
def browser_for(client: TestClient) -> Iterator[Browser]:
    """A signed-in browser (session cookie + CSRF header) for a new user of that name."""
    people: People = client.app.state.people  # type: ignore[attr-defined]
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


def _map_with_claims(owner: TestClient) -> tuple[str, str, str, str]:
    """A map of the owner's: a thesis, an objection to it; their ids and the relation's."""
    map_id = owner.post("/api/v1/maps", json={"title": "Homework"}).json()["id"]
    thesis = owner.post(f"/api/v1/maps/{map_id}/claims", json={"text": "Homework helps"})
    assert thesis.status_code == 201, thesis.text
    thesis_id = thesis.json()["claim"]["id"]
    objection = owner.post(
        f"/api/v1/maps/{map_id}/claims",
        json={
            "text": "It takes time from play",
            "relation": {"kind": "objection", "target_claim": thesis_id},
        },
    )
    assert objection.status_code == 201, objection.text
    return (map_id, thesis_id, objection.json()["claim"]["id"], objection.json()["relation"]["id"])


def _join(owner: TestClient, map_id: str, username: str, role: str) -> None:
    answer = owner.put(f"/api/v1/maps/{map_id}/members", json={"username": username, "role": role})
    assert answer.status_code == 200, answer.text


def _comment(
    who: TestClient, map_id: str, target: str, text: str, parent: str | None = None
) -> dict[str, object]:
    answer = who.post(
        f"/api/v1/maps/{map_id}/comments", json={"target": target, "text": text, "parent": parent}
    )
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_threads_hold_their_replies_and_counts_per_target(browser_for: Browser) -> None:
    owner, student = browser_for("ada"), browser_for("ben")
    map_id, thesis, objection, relation = _map_with_claims(owner)
    _join(owner, map_id, "ben", "commenter")
    first = _comment(student, map_id, thesis, "Which studies?")
    _comment(owner, map_id, thesis, "Cooper 2006", parent=str(first["id"]))
    _comment(student, map_id, relation, "Is this an undercut instead?")

    everything = owner.get(f"/api/v1/maps/{map_id}/comments").json()
    assert everything["counts"] == {thesis: 2, relation: 1}
    on_thesis = owner.get(f"/api/v1/maps/{map_id}/comments", params={"target": thesis}).json()
    [thread] = on_thesis["threads"]
    assert thread["text"] == "Which studies?"
    assert thread["author"]["display_name"] == "Ben"
    assert [(r["text"], r["author_name"]) for r in thread["replies"]] == [("Cooper 2006", "Ada")]
    assert owner.get(f"/api/v1/maps/{map_id}/comments", params={"target": objection}).json() == {
        "threads": [],
        "counts": {},
    }


def test_a_target_must_be_in_the_map_and_a_parent_a_first_comment(browser_for: Browser) -> None:
    owner = browser_for("cy")
    map_id, thesis, objection, _relation = _map_with_claims(owner)
    missing = owner.post(f"/api/v1/maps/{map_id}/comments", json={"target": "c99", "text": "?"})
    assert missing.status_code == 422
    assert missing.json()["loc"] == ["body", "target"]
    first = _comment(owner, map_id, thesis, "first")
    reply = _comment(owner, map_id, thesis, "reply", parent=str(first["id"]))
    for parent, target in ((reply["id"], thesis), (first["id"], objection), ("m0", thesis)):
        answer = owner.post(
            f"/api/v1/maps/{map_id}/comments",
            json={"target": target, "text": "x", "parent": parent},
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["loc"] == ["body", "parent"]
    empty = owner.post(f"/api/v1/maps/{map_id}/comments", json={"target": thesis, "text": " "})
    assert empty.status_code == 422
    nul = owner.post(f"/api/v1/maps/{map_id}/comments", json={"target": thesis, "text": "a\x00b"})
    assert nul.status_code == 422
    assert nul.json()["loc"] == ["body", "text"]


def test_limits_on_text_and_comments_per_map(app_factory: Callable[..., TestClient]) -> None:
    admin = app_factory(max_comment_text=10, max_comments_per_map=1)
    map_id, thesis, _objection, _relation = _map_with_claims(admin)
    long = admin.post(f"/api/v1/maps/{map_id}/comments", json={"target": thesis, "text": "x" * 11})
    assert long.status_code == 422
    assert long.json()["loc"] == ["body", "text"]
    _comment(admin, map_id, thesis, "one")
    full = admin.post(f"/api/v1/maps/{map_id}/comments", json={"target": thesis, "text": "two"})
    assert full.status_code == 413
    assert "ARGMAP_MAX_COMMENTS_PER_MAP" in full.json()["detail"]


def test_the_author_edits_and_deletes_their_own_and_others_may_not(
    browser_for: Browser,
) -> None:
    owner, ben, cat = browser_for("dee"), browser_for("ben"), browser_for("cat")
    map_id, thesis, _objection, _relation = _map_with_claims(owner)
    _join(owner, map_id, "ben", "commenter")
    _join(owner, map_id, "cat", "editor")
    mine = _comment(ben, map_id, thesis, "tpyo")
    url = f"/api/v1/maps/{map_id}/comments/{mine['id']}"

    edited = ben.patch(url, json={"text": "typo"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["text"] == "typo"
    assert edited.json()["edited_at"] is not None
    for other in (cat, owner):
        refused = other.patch(url, json={"text": "mine now"})
        assert refused.status_code == 403
        assert "author" in refused.json()["detail"]
    assert cat.delete(url).status_code == 403
    assert ben.delete(url).status_code == 204
    assert ben.get(f"/api/v1/maps/{map_id}/comments").json()["threads"] == []
    assert ben.delete(url).status_code == 404


def test_the_owner_deletes_any_thread_with_its_replies(browser_for: Browser) -> None:
    owner, ben = browser_for("eve"), browser_for("ben")
    map_id, thesis, _objection, _relation = _map_with_claims(owner)
    _join(owner, map_id, "ben", "commenter")
    first = _comment(ben, map_id, thesis, "first")
    _comment(ben, map_id, thesis, "second", parent=str(first["id"]))
    assert owner.delete(f"/api/v1/maps/{map_id}/comments/{first['id']}").status_code == 204
    assert owner.get(f"/api/v1/maps/{map_id}/comments").json() == {"threads": [], "counts": {}}


def test_a_commenter_comments_but_cannot_add_a_claim(browser_for: Browser) -> None:
    owner, ben = browser_for("fay"), browser_for("ben")
    map_id, thesis, _objection, _relation = _map_with_claims(owner)
    _join(owner, map_id, "ben", "commenter")
    _comment(ben, map_id, thesis, "fine by me")
    assert ben.post(f"/api/v1/maps/{map_id}/claims", json={"text": "no"}).status_code == 403


def test_a_viewer_reads_comments_but_cannot_comment(browser_for: Browser) -> None:
    owner, vic = browser_for("gus"), browser_for("vic")
    map_id, thesis, _objection, _relation = _map_with_claims(owner)
    _join(owner, map_id, "vic", "viewer")
    first = _comment(owner, map_id, thesis, "read me")
    assert len(vic.get(f"/api/v1/maps/{map_id}/comments").json()["threads"]) == 1
    refused = vic.post(f"/api/v1/maps/{map_id}/comments", json={"target": thesis, "text": "hi"})
    assert refused.status_code == 403
    assert "commenter" in refused.json()["detail"]
    assert vic.delete(f"/api/v1/maps/{map_id}/comments/{first['id']}").status_code == 403


def test_a_stranger_sees_no_comments_of_a_private_map(browser_for: Browser) -> None:
    owner, stranger = browser_for("hal"), browser_for("ivy")
    map_id, thesis, _objection, _relation = _map_with_claims(owner)
    _comment(owner, map_id, thesis, "private")
    assert stranger.get(f"/api/v1/maps/{map_id}/comments").status_code == 404


def test_an_editor_resolves_and_reopens_a_thread_a_commenter_may_not(browser_for: Browser) -> None:
    owner, ben, cat = browser_for("jo"), browser_for("ben"), browser_for("cat")
    map_id, thesis, _objection, _relation = _map_with_claims(owner)
    _join(owner, map_id, "ben", "commenter")
    _join(owner, map_id, "cat", "editor")
    first = _comment(ben, map_id, thesis, "done?")
    reply = _comment(ben, map_id, thesis, "yes", parent=str(first["id"]))
    url = f"/api/v1/maps/{map_id}/comments/{first['id']}"

    refused = ben.patch(url, json={"resolved": True})
    assert refused.status_code == 403
    assert "editor" in refused.json()["detail"]
    resolved = cat.patch(url, json={"resolved": True})
    assert resolved.status_code == 200, resolved.text
    assert (resolved.json()["resolved"], resolved.json()["resolved_by"]) == (True, "Cat")
    on_reply = cat.patch(f"/api/v1/maps/{map_id}/comments/{reply['id']}", json={"resolved": True})
    assert on_reply.status_code == 422
    reopened = owner.patch(url, json={"resolved": False})
    assert (reopened.json()["resolved"], reopened.json()["resolved_by"]) == (False, None)


def test_comments_of_a_deleted_claim_go_with_it_and_come_back_with_it(client: TestClient) -> None:
    map_id, thesis, objection, _relation = _map_with_claims(client)
    _comment(client, map_id, objection, "on the objection")
    _comment(client, map_id, thesis, "on the thesis")
    deleted = client.delete(f"/api/v1/maps/{map_id}/claims/{objection}", params={"cascade": "true"})
    assert deleted.status_code == 200, deleted.text
    assert client.get(f"/api/v1/maps/{map_id}/comments").json()["counts"] == {thesis: 1}
    gone = client.post(f"/api/v1/maps/{map_id}/comments", json={"target": objection, "text": "?"})
    assert gone.status_code == 422
    restored = client.post(f"/api/v1/maps/{map_id}/revisions/3/restore")
    assert restored.status_code in (200, 201), restored.text
    assert client.get(f"/api/v1/maps/{map_id}/comments").json()["counts"] == {
        objection: 1,
        thesis: 1,
    }


def test_the_native_round_trip_keeps_comments_by_display_name(browser_for: Browser) -> None:
    owner, ben, cat = browser_for("kim"), browser_for("ben"), browser_for("cat")
    map_id, thesis, _objection, relation = _map_with_claims(owner)
    _join(owner, map_id, "ben", "commenter")
    _join(owner, map_id, "cat", "editor")
    first = _comment(ben, map_id, thesis, "Which studies?")
    _comment(owner, map_id, thesis, "Cooper 2006", parent=str(first["id"]))
    _comment(ben, map_id, relation, "An undercut?")
    cat.patch(f"/api/v1/maps/{map_id}/comments/{first['id']}", json={"resolved": True})

    exported = owner.get(f"/api/v1/maps/{map_id}/export", params={"format": "native"})
    assert exported.status_code == 200
    document = exported.json()
    assert [(c["author"], c["text"]) for c in document["comments"]] == [
        ("Ben", "Which studies?"),
        ("Ben", "An undercut?"),
        ("Kim", "Cooper 2006"),
    ]
    imported = cat.post(
        "/api/v1/maps/import", params={"format": "native"}, content=exported.content
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["report"]["carried"]["comments"] == 3
    copy = imported.json()["map"]["id"]
    threads = cat.get(f"/api/v1/maps/{copy}/comments").json()
    assert threads["counts"] == {thesis: 2, relation: 1}
    kept = next(t for t in threads["threads"] if t["target"] == thesis)
    assert (kept["author"], kept["author_name"], kept["resolved"], kept["resolved_by"]) == (
        None,
        "Ben",
        True,
        "Cat",
    )
    assert [r["author_name"] for r in kept["replies"]] == ["Kim"]
    assert kept["created_at"] == first["created_at"]


def test_other_formats_report_comments_as_not_carried(client: TestClient) -> None:
    map_id, thesis, _objection, _relation = _map_with_claims(client)
    _comment(client, map_id, thesis, "a remark")
    report = client.get(f"/api/v1/maps/{map_id}/export/report", params={"format": "argdown"})
    dropped = [(n["what"], n["element"]) for n in report.json()["not_carried"]]
    assert [item for item in dropped if item[0] == "comment"] == [("comment", thesis)]
    native = client.get(f"/api/v1/maps/{map_id}/export/report", params={"format": "native"})
    assert native.json()["carried"]["comments"] == 1
    assert native.json()["not_carried"] == []


def test_an_imported_comment_must_name_an_element_and_a_thread(client: TestClient) -> None:
    document = {
        "argmap": 1,
        "title": "Imported",
        "claims": [{"id": "c1", "text": "A thesis."}],
        "comments": [
            {"id": "k1", "target": "c1", "author": "Ada", "text": "first"},
            {"id": "k2", "target": "c1", "parent": "k9", "text": "lost"},
        ],
    }
    answer = client.post("/api/v1/maps/import", json=document)
    assert answer.status_code == 422
    assert answer.json()["loc"] == ["comments", 1, "parent"]
    document["comments"] = [{"id": "k1", "target": "c7", "text": "nowhere"}]
    answer = client.post("/api/v1/maps/import", json=document)
    assert answer.status_code == 422
    assert answer.json()["loc"] == ["comments", 0, "target"]
    assert client.get("/api/v1/maps").json()["total"] == 0
