"""Diagram, handout and evaluation reads take the map's version from the access check (which
reads it with the map's visibility), not from a query of their own, and stay exact: a new
version gives new bytes and a new ETag."""

from __future__ import annotations

import pytest
from factories import add_claim, create_map
from fastapi.testclient import TestClient

from api.store import Store

READS = ["diagram.dot", "diagram.svg", "evaluation", "revisions/1/evaluation", "handout.pdf"]


@pytest.mark.parametrize("read", READS)
def test_a_read_asks_no_version_of_its_own(
    client: TestClient, store: Store, read: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = create_map(client, "Versions")
    add_claim(client, made["id"], "A first claim")

    def refused(self: Store, map_id: str) -> int:
        raise AssertionError("the version was asked for again")

    monkeypatch.setattr(Store, "get_version", refused)
    first = client.get(f"/api/v1/maps/{made['id']}/{read}")
    assert first.status_code == 200, first.text
    again = client.get(
        f"/api/v1/maps/{made['id']}/{read}", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    if not read.startswith("revisions/"):
        add_claim(client, made["id"], "A second claim")
        changed = client.get(f"/api/v1/maps/{made['id']}/{read}")
        assert changed.status_code == 200
        assert changed.headers["ETag"] != first.headers["ETag"]
        assert changed.content != first.content
    missing = client.get(f"/api/v1/maps/{made['id']}/revisions/99/evaluation")
    assert missing.status_code == 404
