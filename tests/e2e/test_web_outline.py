"""The outline editor in a real browser: keyboard-only building of a debate, and the diagram."""

from __future__ import annotations

import httpx
import pytest
from e2e_support import (
    card,
    claim_by_text,
    create_map_in_ui,
    diagram_claims,
    get_map,
    screenshot,
)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

THESIS = "Cities should ban cars from their centres."
SUPPORT = "Car-free centres have cleaner air."
OBJECTION = "Shops lose the customers who drive."
REBUTTAL = "Shops in car-free centres gain more walking customers than they lose."


def test_keyboard_builds_a_debate_and_the_diagram_follows(page: Page, api: httpx.Client) -> None:
    map_id = create_map_in_ui(page, "Car-free city centres")
    # An empty map puts the cursor in the thesis field: type, Enter.
    thesis_field = page.get_by_label("Thesis", exact=True)
    expect(thesis_field).to_be_focused()
    page.keyboard.type(THESIS)
    page.keyboard.press("Enter")
    expect(card(page, THESIS)).to_be_focused()
    expect(diagram_claims(page)).to_have_count(1)

    # On the focused thesis: S opens a support field in place.
    page.keyboard.press("s")
    expect(page.get_by_label(f"New support for “{THESIS}”")).to_be_focused()
    page.keyboard.type(SUPPORT)
    page.keyboard.press("Enter")
    expect(card(page, SUPPORT)).to_be_focused()

    # Back up to the thesis with the arrow key, O for an objection.
    page.keyboard.press("ArrowLeft")
    expect(card(page, THESIS)).to_be_focused()
    page.keyboard.press("o")
    page.keyboard.type(OBJECTION)
    page.keyboard.press("Enter")
    expect(card(page, OBJECTION)).to_be_focused()

    # On an objection, O adds a rebuttal.
    page.keyboard.press("o")
    expect(page.get_by_label(f"New rebuttal to “{OBJECTION}”")).to_be_focused()
    page.keyboard.type(REBUTTAL)
    page.keyboard.press("Enter")
    expect(card(page, REBUTTAL)).to_be_focused()

    # The outline nests and marks them by kind.
    expect(page.locator(".claim-card.kind-thesis")).to_have_count(1)
    expect(card(page, SUPPORT)).to_have_class(lambda_class("kind-support"))
    expect(card(page, OBJECTION)).to_have_class(lambda_class("kind-objection"))
    expect(card(page, REBUTTAL)).to_have_class(lambda_class("kind-rebuttal"))
    thesis_item = page.locator("li.node").filter(has=card(page, THESIS)).first
    expect(thesis_item.locator(".claim-card")).to_have_count(4)

    # The diagram gained every claim, without a page reload.
    expect(diagram_claims(page)).to_have_count(4)
    screenshot(page, "editor-debate")

    stored = get_map(api, map_id)
    assert len(stored["claims"]) == 4
    assert len(stored["relations"]) == 3
    roles = {claim["text"]: claim["role"] for claim in stored["claims"]}
    assert roles == {THESIS: "thesis", SUPPORT: "support", OBJECTION: "objection",
                     REBUTTAL: "rebuttal"}
    assert claim_by_text(stored, SUPPORT)["author"] == "Ada"


def lambda_class(name: str):  # type: ignore[no-untyped-def]
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")
