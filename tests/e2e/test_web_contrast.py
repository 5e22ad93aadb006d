"""Contrast and accessibility by axe-core in the browser: no serious or critical violation on the
map list and the editor, in the light and dark themes, with the status colours, and in print."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_support import card, open_map, screenshot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"

THESIS = "Cities should ban cars from their centres."
SUPPORT = "Car-free centres have cleaner air."
OBJECTION = "Shops lose the customers who drive."
REBUTTAL = "Shops in car-free centres gain more walking customers than they lose."
UNDERCUT = "Cleaner air does not by itself justify a ban."


def needs_axe() -> None:
    if not AXE.exists():
        pytest.skip(
            f"axe-core is not installed at {AXE} (the setup installs it from npm: "
            "npm install --prefix tests/e2e/.axe axe-core@4.14.1)"
        )


def run_axe(page: Page) -> list[dict[str, Any]]:
    """The serious and critical violations axe-core finds on the page as it is."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # The page's Content-Security-Policy refuses inline scripts (add_script_tag): evaluated
        # through the DevTools protocol, axe-core runs without loosening it.
        page.evaluate(
            f"() => {{ {AXE.read_text(encoding='utf-8')}\n; window.axe = window.axe || axe; }}"
        )
    result: dict[str, Any] = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return {violations: result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
          }))};
        }"""
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def seed(api: httpx.Client) -> str:
    response = api.post(
        "/api/v1/maps", json={"title": "Contrast check", "description": "A map for axe."}
    )
    assert response.status_code == 201, response.text
    map_id = response.json()["id"]
    ids: dict[str, str] = {}
    relations: dict[str, str] = {}

    def add(text: str, relation: dict[str, Any] | None = None, **fields: Any) -> None:
        version = api.get(f"/api/v1/maps/{map_id}").json()["version"]
        body: dict[str, Any] = {"text": text, **fields}
        if relation:
            body["relation"] = relation
        answer = api.post(
            f"/api/v1/maps/{map_id}/claims", json=body, headers={"If-Match": f'"{version}"'}
        )
        assert answer.status_code == 201, answer.text
        ids[text] = answer.json()["claim"]["id"]
        if answer.json().get("relation"):
            relations[text] = answer.json()["relation"]["id"]

    add(THESIS)
    add(
        SUPPORT,
        {"kind": "support", "target_claim": ids[THESIS]},
        note="Measured in 12 cities.",
        tags=["air"],
    )
    add(OBJECTION, {"kind": "objection", "target_claim": ids[THESIS]})
    add(REBUTTAL, {"kind": "objection", "target_claim": ids[OBJECTION]})
    add(UNDERCUT, {"kind": "objection", "target_relation": relations[SUPPORT]})
    return map_id


THEMES = [
    ("light", {"color_scheme": "light"}, False),
    ("dark", {"color_scheme": "dark"}, False),
    ("light-status", {"color_scheme": "light"}, True),
    ("dark-status", {"color_scheme": "dark"}, True),
    ("print", {"color_scheme": "light", "media": "print"}, False),
]


@pytest.mark.parametrize(("theme", "media", "status"), THEMES, ids=[t[0] for t in THEMES])
def test_no_serious_axe_violations(
    page: Page, api: httpx.Client, theme: str, media: dict[str, Any], status: bool
) -> None:
    needs_axe()
    map_id = seed(api)
    found: dict[str, list[dict[str, Any]]] = {}
    # The page is used on screen in the theme's colours; each check sees it in the theme's media
    # (print hides the controls the steps use).
    screen = {"color_scheme": media["color_scheme"], "media": "screen"}
    page.emulate_media(**screen)

    def check(where: str) -> None:
        page.emulate_media(**media)
        found[where] = run_axe(page)
        page.emulate_media(**screen)

    page.goto("/")
    expect(page.locator(".map-row").first).to_be_visible()
    check("map list")

    open_map(page, map_id)
    if status:
        page.get_by_label("Status colours").check()
        expect(page.locator(".status-badge").first).to_be_visible()
    # Every kind of card, with the selected claim's buttons and details on view.
    for text in (THESIS, SUPPORT, OBJECTION, REBUTTAL, UNDERCUT):
        card(page, text).click()
        expect(card(page, text)).to_have_class(_selected)
        check(f"editor, {text[:20]}… selected")
    page.keyboard.press("s")
    expect(page.locator(".outline .composer textarea").first).to_be_focused()
    page.keyboard.type("x" * 1900)  # near the limit: the counter shows
    expect(page.locator(".char-count").first).to_be_visible()
    check("editor, a composer open near its limit")
    page.keyboard.press("Escape")
    page.keyboard.press("e")
    expect(page.locator(".claim-editor")).to_be_visible()
    check("editor, the edit form")
    page.keyboard.press("Escape")
    # A branch collapsed, and a toast on view.
    card(page, THESIS).click()
    page.keyboard.press("c")
    expect(card(page, THESIS)).to_have_attribute("data-folded", "true")
    check("editor, a collapsed branch")
    page.keyboard.press("c")
    page.get_by_role("tab", name="Comments").click()
    page.get_by_label("Add a comment").fill("Is the air really cleaner?")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator(".comment-text")).to_be_visible()
    check("editor, comments")
    page.get_by_role("tab", name="History").click()
    expect(page.locator(".revision").first).to_be_visible()
    check("editor, history")
    page.get_by_role("button", name="View revision 2").click()
    expect(page.get_by_role("region", name="Viewing an earlier revision")).to_be_visible()
    check("editor, an earlier revision")
    page.get_by_role("button", name="Back to the current map").click()
    page.get_by_role("button", name="Keys").click()
    expect(page.get_by_role("dialog", name="Keyboard keys")).to_be_visible()
    check("the key sheet")
    screenshot(page, f"contrast-{theme}-keys")
    page.keyboard.press("Escape")
    page.emulate_media(**media)
    screenshot(page, f"contrast-{theme}", full_page=theme == "print")

    # Each failing element once, with the first screen it was seen on.
    seen: dict[str, str] = {}
    for where, violations in found.items():
        for violation in violations:
            for node in violation["nodes"]:
                summary = " ".join(node["summary"].split("\n")[1:]).strip()
                seen.setdefault(f"{violation['id']} {node['target']}: {summary}", where)
    report = "\n".join(f"[{where}] {line}" for line, where in seen.items())
    print(f"\naxe-core, {theme}: {len(seen)} serious or critical violations")
    assert not report, "\n" + report


_selected = re.compile(r"\bis-selected\b")
