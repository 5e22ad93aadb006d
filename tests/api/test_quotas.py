"""Quotas per person: maps owned, claims in them, changes per hour, bytes stored."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from api.store.people import People


def _person(client: TestClient, name: str = "ana") -> dict[str, str]:
    people: People = client.app.state.people  # type: ignore[attr-defined]
    user = people.create_user(name, name.title(), password_hash=None)
    return {"Authorization": f"Bearer {people.create_token(user.id, 'quota test').token}"}


def test_maps_and_claims_per_person(app_factory: Callable[..., TestClient]) -> None:
    with app_factory(quota_maps=2, quota_claims=2) as client:
        ana = _person(client)
        first = client.post("/api/v1/maps", json={"title": "One"}, headers=ana)
        assert first.status_code == 201
        assert client.post("/api/v1/maps", json={"title": "Two"}, headers=ana).status_code == 201
        third = client.post("/api/v1/maps", json={"title": "Three"}, headers=ana)
        assert third.status_code == 413
        assert "ARGMAP_QUOTA_MAPS" in third.json()["detail"]
        claims = f"/api/v1/maps/{first.json()['id']}/claims"
        for text in ("A", "B"):
            assert client.post(claims, json={"text": text}, headers=ana).status_code == 201
        over = client.post(claims, json={"text": "C"}, headers=ana)
        assert over.status_code == 413
        assert "ARGMAP_QUOTA_CLAIMS" in over.json()["detail"]
        # The admin has no quota.
        assert client.post("/api/v1/maps", json={"title": "Admin's"}).status_code == 201


def test_changes_per_hour(app_factory: Callable[..., TestClient]) -> None:
    with app_factory(quota_revisions_per_hour=3) as client:
        ana = _person(client)
        map_id = client.post("/api/v1/maps", json={"title": "One"}, headers=ana).json()["id"]
        for text in ("A", "B"):  # the map's first revision is hers too: 3 in all
            client.post(f"/api/v1/maps/{map_id}/claims", json={"text": text}, headers=ana)
        over = client.post(f"/api/v1/maps/{map_id}/claims", json={"text": "C"}, headers=ana)
        assert over.status_code == 429
        assert 0 < int(over.headers["Retry-After"]) <= 3601
        assert "ARGMAP_QUOTA_REVISIONS_PER_HOUR" in over.json()["detail"]
        assert len(client.get(f"/api/v1/maps/{map_id}", headers=ana).json()["claims"]) == 2


def test_bytes_stored(app_factory: Callable[..., TestClient]) -> None:
    with app_factory(quota_bytes=2000) as client:
        ana = _person(client)
        map_id = client.post("/api/v1/maps", json={"title": "One"}, headers=ana).json()["id"]
        answers = [
            client.post(
                f"/api/v1/maps/{map_id}/claims",
                json={"text": f"Claim {n}: " + "words that take room " * 40},
                headers=ana,
            ).status_code
            for n in range(20)
        ]
        assert 413 in answers
        assert answers[: answers.index(413)] == [201] * answers.index(413)
