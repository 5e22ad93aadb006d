"""Laptop and tablet widths, keyboard reach and accessible names of the main screens."""

from __future__ import annotations

import httpx
import pytest
from e2e_support import card, diagram_claims, screenshot
from playwright.sync_api import Page, expect
from test_web_outline import SUPPORT, THESIS, make_debate

pytestmark = pytest.mark.e2e

# Every control needs an accessible name; every form field a label.
UNNAMED_CONTROLS = """() => [...document.querySelectorAll(
    'button, a[href], input:not([type=hidden]), select, textarea, [role=tab], [tabindex="0"]')]
  .filter((el) => el.offsetParent !== null || el.getClientRects().length)
  .filter((el) => {
    const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
      || (el.labels && el.labels.length) || el.getAttribute('title');
    return !labelled && !(el.textContent || '').trim();
  })
  .map((el) => el.outerHTML.slice(0, 120))"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_tablet_width_is_readable(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api, title="A debate read on a tablet")
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto("/")
    expect(page.locator(".map-row", has_text="A debate read on a tablet")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "tablet-map-list")
    page.goto(f"/#/maps/{ids['map']}")
    # Below 900 px the outline and the diagram are tabs of the whole width.
    expect(page.locator(".outline-pane")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    outline_box = page.locator(".outline-pane").bounding_box()
    assert outline_box
    assert outline_box["width"] > 700
    screenshot(page, "tablet-editor")
    page.get_by_role("tablist", name="Outline or diagram").get_by_role(
        "tab", name="Diagram"
    ).click()
    expect(diagram_claims(page)).to_have_count(4)
    assert page.evaluate(OVERFLOW) <= 0
    diagram_box = page.locator(".side-pane").bounding_box()
    assert diagram_box
    assert diagram_box["width"] > 700
    screenshot(page, "tablet-editor-full", full_page=True)


def test_laptop_screens_have_names_for_every_control(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api, title="Accessible names")
    page.goto("/")
    expect(page.locator(".map-row").first).to_be_visible()
    assert page.evaluate(UNNAMED_CONTROLS) == []
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "map-list")

    page.goto(f"/#/maps/{ids['map']}")
    expect(diagram_claims(page)).to_have_count(4)
    card(page, THESIS).locator(".claim-text").click()
    assert page.evaluate(UNNAMED_CONTROLS) == []
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "editor")

    # Landmarks and live regions a screen reader relies on.
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("tablist", name="Side panel")).to_be_visible()
    expect(page.locator("[aria-live]")).not_to_have_count(0)
    expect(page.get_by_role("toolbar", name="Actions for this claim")).to_be_visible()

    # The history records the signed-in person.
    card(page, THESIS).locator(".claim-text").click()
    page.keyboard.press("s")
    expect(page.get_by_label(f"New support for “{THESIS}”")).to_be_focused()
    page.keyboard.type("Pedestrians spend more per month in shops than drivers do.")
    page.keyboard.press("Enter")
    expect(card(page, "Pedestrians spend more per month")).to_be_visible()
    revisions = api.get(f"/api/v1/maps/{ids['map']}/revisions").json()["items"]
    assert revisions[0]["author"] == "Admin"

    # Tab from the outline reaches the selected claim's actions; arrows move between claims.
    card(page, SUPPORT).locator(".claim-text").click()
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("toolbar", name="Actions for this claim").get_by_role(
            "button", name="Support"
        )
    ).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(card(page, SUPPORT)).to_be_focused()
    page.keyboard.press("Home")
    expect(card(page, THESIS)).to_be_focused()


@pytest.mark.parametrize("width", [420, 768, 1366])
def test_the_map_header_keeps_every_action_in_view(
    page: Page, api: httpx.Client, width: int
) -> None:
    ids = make_debate(api, title="A debate about cars in city centres, read on a phone")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/#/maps/{ids['map']}")
    expect(page.locator(".map-stats")).to_contain_text("version")
    actions = page.locator(".editor-head .head-actions")
    controls = {
        name: actions.get_by_role("button", name=name, exact=True)
        for name in ("Details", "Share", "History", "Move this map to the trash")
    }
    controls["Export"] = actions.locator(".export-menu > summary")
    screenshot(page, f"map-header-{width}")
    for name, control in controls.items():
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box, name
        # Wholly inside the page: nothing cut off at its right edge.
        assert box["x"] >= 0, (name, box)
        assert box["x"] + box["width"] <= width, (name, box, width)
    assert page.evaluate(OVERFLOW) <= 0
    # The export menu opens within the page too.
    controls["Export"].click()
    menu = actions.locator(".export-menu .menu-list")
    expect(menu).to_be_visible()
    screenshot(page, f"map-header-{width}-export")
    menu_box = menu.bounding_box()
    assert menu_box
    assert menu_box["x"] >= 0, (menu_box, width)
    assert menu_box["x"] + menu_box["width"] <= width, (menu_box, width)
