"""Helpers for the browser tests: screenshots and the steps many tests share."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

SCREENSHOTS = Path(__file__).resolve().parent.parent / "output" / "screenshots"


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Keep a screenshot of a main screen for review under tests/output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def create_map_in_ui(page: Page, title: str) -> str:
    """Create a map from the map list's dialog; returns its id (from the address)."""
    page.goto("/")
    page.get_by_role("button", name="New map").click()
    dialog = page.get_by_role("dialog", name="New map")
    dialog.get_by_label("Title").fill(title)
    dialog.get_by_role("button", name="Create map").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    match = re.search(r"#/maps/([^/]+)$", page.url)
    assert match, page.url
    return match.group(1)


def open_map(page: Page, map_id: str) -> None:
    page.goto(f"/#/maps/{map_id}")
    expect(page.locator(".outline")).to_be_visible()
    expect(page.locator(".map-stats")).to_contain_text("version")


def card(page: Page, text: str) -> Locator:
    """The outline card of the claim with this text (its first, non-repeated place)."""
    return page.locator(".claim-card:not(.is-repeat)").filter(
        has=page.locator(".claim-text", has_text=text)
    )


def diagram_claims(page: Page) -> Locator:
    return page.locator('.diagram-canvas svg g[id^="claim-"]')


def get_map(api: httpx.Client, map_id: str) -> dict[str, Any]:
    response = api.get(f"/api/v1/maps/{map_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def claim_by_text(argument_map: dict[str, Any], text: str) -> dict[str, Any]:
    for claim in argument_map["claims"]:
        if claim["text"] == text:
            found: dict[str, Any] = claim
            return found
    raise AssertionError(f"no claim {text!r} in {[c['text'] for c in argument_map['claims']]}")


def revisions(api: httpx.Client, map_id: str) -> list[dict[str, Any]]:
    """The map's revisions through the API, newest first."""
    response = api.get(f"/api/v1/maps/{map_id}/revisions")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def revision_count(api: httpx.Client, map_id: str) -> int:
    return len(revisions(api, map_id))
