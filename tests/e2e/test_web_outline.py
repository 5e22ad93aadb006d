"""The outline editor in a real browser: keyboard-only building of a debate, and the diagram."""

from __future__ import annotations

from typing import Any

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
    screenshot(page, "editor-empty-map")
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
    assert roles == {
        THESIS: "thesis",
        SUPPORT: "support",
        OBJECTION: "objection",
        REBUTTAL: "rebuttal",
    }
    assert claim_by_text(stored, SUPPORT)["author"] == "Admin"


def lambda_class(name: str):  # type: ignore[no-untyped-def]
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def make_debate(api: httpx.Client, title: str = "Car-free city centres") -> dict[str, str]:
    """A map with a thesis, a support, an objection and a rebuttal (through the API): their ids."""
    map_id = api.post("/api/v1/maps", json={"title": title}).json()["id"]

    def add(text: str, **relation: str) -> dict[str, Any]:
        body: dict[str, object] = {"text": text}
        if relation:
            body["relation"] = relation
        response = api.post(f"/api/v1/maps/{map_id}/claims", json=body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    thesis = add(THESIS)["claim"]
    support = add(SUPPORT, kind="support", target_claim=thesis["id"])
    objection = add(OBJECTION, kind="objection", target_claim=thesis["id"])
    rebuttal = add(REBUTTAL, kind="objection", target_claim=objection["claim"]["id"])
    return {
        "map": map_id,
        "thesis": thesis["id"],
        "support": support["claim"]["id"],
        "support_relation": support["relation"]["id"],
        "objection": objection["claim"]["id"],
        "rebuttal": rebuttal["claim"]["id"],
    }


def test_inline_edit_of_text_note_tags_and_sources(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api)
    page.goto(f"/#/maps/{ids['map']}")
    card(page, SUPPORT).locator(".claim-text").click()
    page.keyboard.press("e")
    editor = page.get_by_role("form", name=f"Edit claim “{SUPPORT}”")
    text = editor.get_by_label("Claim", exact=True)
    expect(text).to_be_focused()
    text.fill("Car-free centres have measurably cleaner air.")
    editor.get_by_label("Note").fill("Nitrogen dioxide fell by a third in Oslo.")
    editor.get_by_label("Tags").fill("air, health, #oslo")
    editor.get_by_role("button", name="Add a source").click()
    editor.get_by_label("Citation").fill("Oslo city council, Car-free livability programme report")
    editor.get_by_label("Link (http or https)").fill("https://example.org/oslo-report")
    editor.get_by_label("Page or place").fill("p. 14")
    editor.get_by_label("Quote").fill("NO2 levels in the centre fell markedly.")
    screenshot(page, "editor-inline-edit")
    text.focus()
    page.keyboard.press("Enter")

    edited = card(page, "Car-free centres have measurably cleaner air.")
    expect(edited).to_be_focused()
    expect(edited.locator(".tag")).to_have_text(["air", "health", "oslo"])
    expect(edited.locator(".claim-sources")).to_contain_text("Oslo city council")
    claim = claim_by_text(get_map(api, ids["map"]), "Car-free centres have measurably cleaner air.")
    assert claim["note"] == "Nitrogen dioxide fell by a third in Oslo."
    assert claim["tags"] == ["air", "health", "oslo"]
    assert claim["sources"] == [
        {
            "citation": "Oslo city council, Car-free livability programme report",
            "url": "https://example.org/oslo-report",
            "locator": "p. 14",
            "quote": "NO2 levels in the centre fell markedly.",
        }
    ]

    # A bad value gets the server's message, and the typed values stay in the form.
    page.keyboard.press("e")
    editor = page.get_by_role("form", name="Edit claim “Car-free centres have measurably")
    editor.get_by_label("Link (http or https)").fill("javascript:alert(1)")
    editor.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="url")).to_be_visible()
    expect(editor.get_by_label("Link (http or https)")).to_have_value("javascript:alert(1)")
    page.keyboard.press("Escape")
    expect(page.locator(".claim-editor")).to_have_count(0)


def test_link_a_premise_and_object_to_an_inference(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api)
    extra = api.post(
        f"/api/v1/maps/{ids['map']}/claims", json={"text": "Clean air lowers asthma rates."}
    ).json()["claim"]
    page.goto(f"/#/maps/{ids['map']}")
    card(page, SUPPORT).locator(".claim-text").click()
    page.keyboard.press("l")
    picker = page.get_by_role("group", name="Link a claim as a further premise")
    picker.get_by_label("Link a claim").fill("asthma")
    page.keyboard.press("Enter")
    expect(page.locator(".node-linked")).to_have_count(1)
    expect(page.locator(".node-linked .claim-card")).to_have_count(2)
    relation = next(
        r for r in get_map(api, ids["map"])["relations"] if r["id"] == ids["support_relation"]
    )
    assert relation["premises"] == [ids["support"], extra["id"]]

    # U on a premise aims an objection at the inference (an undercut).
    card(page, SUPPORT).locator(".claim-text").click()
    page.keyboard.press("u")
    page.keyboard.type("Cleaner air may come from newer cars, not from the ban.")
    page.keyboard.press("Enter")
    undercut = card(page, "Cleaner air may come from newer cars, not from the ban.")
    expect(undercut).to_contain_text("Undercut")
    stored = get_map(api, ids["map"])
    claim = claim_by_text(stored, "Cleaner air may come from newer cars, not from the ban.")
    aimed = next(r for r in stored["relations"] if claim["id"] in r["premises"])
    assert aimed["kind"] == "objection"
    assert aimed["target_relation"] == ids["support_relation"]
    expect(diagram_claims(page)).to_have_count(6)
    screenshot(page, "editor-linked-and-undercut")


def test_delete_asks_first_and_can_be_undone(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api)
    page.goto(f"/#/maps/{ids['map']}")
    card(page, OBJECTION).locator(".claim-text").click()
    page.keyboard.press("Delete")
    dialog = page.get_by_role("dialog", name="Delete this claim?")
    expect(dialog).to_contain_text(OBJECTION)
    expect(dialog.get_by_label("Also delete the 1 claim beneath it")).to_be_checked()
    dialog.get_by_role("button", name="Cancel").click()
    expect(card(page, OBJECTION)).to_be_visible()
    assert len(get_map(api, ids["map"])["claims"]) == 4

    card(page, OBJECTION).locator(".claim-text").click()
    page.keyboard.press("Delete")
    page.get_by_role("dialog", name="Delete this claim?").get_by_role(
        "button", name="Delete"
    ).click()
    expect(card(page, OBJECTION)).to_have_count(0)
    expect(card(page, REBUTTAL)).to_have_count(0)
    assert {c["text"] for c in get_map(api, ids["map"])["claims"]} == {THESIS, SUPPORT}

    page.get_by_role("status").filter(has_text="Deleted").get_by_role("button", name="Undo").click()
    expect(card(page, OBJECTION)).to_be_visible()
    expect(card(page, REBUTTAL)).to_be_visible()
    stored = get_map(api, ids["map"])
    assert {c["text"] for c in stored["claims"]} == {THESIS, SUPPORT, OBJECTION, REBUTTAL}
    assert len(stored["relations"]) == 3


def test_claim_text_with_markup_is_shown_as_text(
    page: Page, api: httpx.Client, page_errors: object
) -> None:
    payload = "<img src=x onerror=alert(1)>"
    map_id = create_map_in_ui(page, "<b>Markup</b> <script>alert(2)</script> in a title")
    page.keyboard.type(payload)
    page.keyboard.press("Enter")
    expect(card(page, payload)).to_be_focused()  # the new thesis takes the focus once saved
    page.keyboard.press("s")
    page.keyboard.type('<svg onload=alert(3)><a href="javascript:alert(4)">x</a>')
    page.keyboard.press("Enter")
    expect(card(page, payload)).to_be_visible()
    expect(card(page, payload).locator(".claim-text")).to_have_text(payload)
    expect(diagram_claims(page)).to_have_count(2)
    page.wait_for_timeout(300)  # give any injected handler the chance to fire
    assert page.locator("img").count() == 0
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("b").count() == 0
    assert page.locator("main svg [onload], main [onerror]").count() == 0
    assert page_errors.dialogs == []  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "<b>Markup</b> <script>alert(2)</script> in a title"
    )
    assert claim_by_text(get_map(api, map_id), payload)["role"] == "thesis"
    page.get_by_role("link", name="All maps", exact=True).click()
    expect(page.locator(".map-name", has_text="<b>Markup</b>")).to_be_visible()
    assert page.locator("img, b").count() == 0
    screenshot(page, "markup-as-text")
    assert page_errors.dialogs == []  # type: ignore[attr-defined]
