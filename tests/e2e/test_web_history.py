"""History and concurrency in a real browser: view and restore revisions; another person's
change during editing is shown, and nothing typed is lost."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from e2e_support import (
    card,
    claim_by_text,
    diagram_claims,
    get_map,
    open_map,
    revisions,
    screenshot,
)
from playwright.sync_api import BrowserContext, Page, Route, expect
from test_web_outline import OBJECTION, REBUTTAL, SUPPORT, THESIS, make_debate

pytestmark = pytest.mark.e2e

DRAFT = "Fewer cars also means fewer road deaths — and I typed all of this before saving."


def test_history_lists_revisions_and_restores_one(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api)
    api.delete(
        f"/api/v1/maps/{ids['map']}/claims/{ids['objection']}",
        params={"cascade": "true"},
        headers={"X-Author": "Grace"},
    )
    api.delete(
        f"/api/v1/maps/{ids['map']}/claims/{ids['rebuttal']}",
        params={"cascade": "true"},
        headers={"X-Author": "Grace"},
    )
    page.goto(f"/#/maps/{ids['map']}")
    expect(page.locator(".claim-card")).to_have_count(2)

    page.get_by_role("button", name="History").click()
    history = page.get_by_role("tabpanel", name="History")
    revisions = history.locator(".revision")
    expect(revisions).to_have_count(7)
    expect(revisions.first).to_contain_text("Admin")  # the signed-in person, not X-Author
    expect(revisions.first).to_contain_text(f"delete “{REBUTTAL[:30]}")  # by its words, no id
    expect(revisions.first).to_contain_text("Current version")
    screenshot(page, "history")

    # View revision 5 (before the deletions): read-only outline and the diagram as of then.
    history.get_by_role("button", name="View revision 5").click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}#/maps/{ids['map']}/revisions/5")
    banner = page.get_by_role("region", name="Viewing an earlier revision")
    expect(banner).to_contain_text("revision 5")
    expect(page.locator(".claim-card")).to_have_count(4)
    expect(card(page, REBUTTAL)).to_be_visible()
    expect(page.get_by_label("Add another thesis")).to_have_count(0)
    page.get_by_role("tab", name="Diagram").click()
    expect(diagram_claims(page)).to_have_count(4)
    screenshot(page, "history-revision-view")

    banner.get_by_role("button", name="Restore this version").click()
    page.get_by_role("dialog", name="Restore revision 5?").get_by_role(
        "button", name="Restore"
    ).click()
    expect(banner).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="Restored revision 5")).to_be_visible()
    expect(page.locator(".claim-card")).to_have_count(4)
    expect(page.get_by_label("Add another thesis")).to_be_visible()
    stored = get_map(api, ids["map"])
    assert stored["version"] == 8
    assert {c["text"] for c in stored["claims"]} == {THESIS, SUPPORT, OBJECTION, REBUTTAL}
    assert page.url.endswith(f"#/maps/{ids['map']}")


def test_a_concurrent_change_is_shown_and_the_draft_kept(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api)
    page.goto(f"/#/maps/{ids['map']}")
    card(page, THESIS).locator(".claim-text").click()
    page.keyboard.press("s")
    field = page.get_by_label(f"New support for “{THESIS}”")
    expect(field).to_be_focused()
    page.keyboard.type(DRAFT[:30])

    # Meanwhile someone else adds a claim through the API.
    other = api.post(
        f"/api/v1/maps/{ids['map']}/claims",
        headers={"X-Author": "Grace"},
        json={
            "text": "Delivery vans need access.",
            "relation": {"kind": "objection", "target_claim": ids["thesis"]},
        },
    )
    assert other.status_code == 201

    page.keyboard.type(DRAFT[30:])
    page.keyboard.press("Enter")  # based on the version the person saw: 412

    notice = page.locator("#conflict-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Someone else changed this map")
    expect(page.locator("#conflict-live")).to_contain_text("Your unsaved text is kept")
    expect(page.get_by_role("alert").filter(has_text="Someone else changed")).to_have_count(1)
    expect(card(page, "Delivery vans need access.")).to_be_visible()
    field = page.get_by_label(f"New support for “{THESIS}”")
    expect(field).to_have_value(DRAFT)
    expect(field).to_be_focused()
    screenshot(page, "conflict-kept-draft")
    assert len(get_map(api, ids["map"])["claims"]) == 5  # nothing of the draft written

    page.keyboard.press("Enter")  # saved on top of the reloaded map
    expect(card(page, DRAFT)).to_be_visible()
    stored = get_map(api, ids["map"])
    assert len(stored["claims"]) == 6
    assert claim_by_text(stored, DRAFT)["role"] == "support"
    assert claim_by_text(stored, "Delivery vans need access.")["role"] == "objection"


def test_polling_shows_another_persons_change_while_typing(
    context: BrowserContext, api: httpx.Client
) -> None:
    context.add_init_script("localStorage.setItem('argmap.pollSeconds', '1')")
    page = context.new_page()
    # Where the event stream cannot be opened (a proxy that does not pass it, say), the page
    # falls back to polling: that fallback is what this test follows.
    page.route(re.compile(r".*/api/v1/maps/[^/]+/events$"), lambda route: route.fulfill(status=404))
    ids = make_debate(api)
    page.goto(f"/#/maps/{ids['map']}")
    card(page, OBJECTION).locator(".claim-text").click()
    page.keyboard.press("e")
    text = page.get_by_label("Claim", exact=True)
    expect(text).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" on weekdays")

    api.post(
        f"/api/v1/maps/{ids['map']}/claims", json={"text": "Residents get their streets back."}
    )
    notice = page.locator("#conflict-notice")
    expect(notice).to_contain_text("just changed by someone else")
    expect(notice).to_contain_text("Your unsaved text is kept")
    expect(card(page, "Residents get their streets back.")).to_be_visible()
    expect(text).to_have_value(OBJECTION + " on weekdays")
    expect(text).to_be_focused()
    page.keyboard.type("!")
    page.keyboard.press("Enter")
    expect(card(page, OBJECTION + " on weekdays!")).to_be_visible()
    assert (
        claim_by_text(get_map(api, ids["map"]), OBJECTION + " on weekdays!")["role"] == "objection"
    )
    page.close()


def test_a_failed_request_shows_a_clear_message(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api)
    page.goto(f"/#/maps/{ids['map']}")
    card(page, THESIS).locator(".claim-text").click()
    api.delete(f"/api/v1/maps/{ids['map']}")  # someone moves the map to the trash
    page.keyboard.press("o")
    page.keyboard.type("This will not be saved.")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert").filter(has_text="Adding the claim failed")
    expect(alert).to_be_visible()
    expect(page.get_by_label(f"New objection to “{THESIS}”")).to_have_value(
        "This will not be saved."
    )
    screenshot(page, "failed-request")


def test_history_shows_a_word_diff_of_a_text_edit(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api)
    edited = api.patch(
        f"/api/v1/maps/{ids['map']}/claims/{ids['thesis']}",
        json={"text": THESIS.replace("Cities", "Large cities"), "tags": ["policy"]},
    )
    assert edited.status_code == 200, edited.text
    page.goto(f"/#/maps/{ids['map']}")
    page.get_by_role("button", name="History").click()
    latest = page.get_by_role("tabpanel", name="History").locator(".revision").first
    latest.get_by_text("What changed").click()
    diff = latest.locator(".word-diff")
    expect(diff.locator("ins")).to_have_text("Large cities")
    expect(diff.locator("del")).to_have_text("Cities")
    expect(latest.locator(".field-change").filter(has_text="tags")).to_contain_text("none → policy")
    screenshot(page, "history-word-diff")


# A map whose claims and relations have ids that are ordinary words, as imported maps may have
# (Argdown names its statements): the words of today's descriptions ("the", "to", "of",
# "support") are ids of this map.
WORDY = {
    "argmap": 1,
    "title": "Tuition fees",
    "claims": [
        {"id": "Fees", "text": "Tuition fees should be abolished."},
        {"id": "the", "text": "Education is a public good."},
        {"id": "to", "text": "Graduates earn more, so they should pay."},
        {"id": "from", "text": "Most graduates never repay in full."},
    ],
    "relations": [
        {"id": "support", "kind": "support", "premises": ["the"], "target_claim": "Fees"},
        {"id": "of", "kind": "objection", "premises": ["to"], "target_claim": "Fees"},
        {"id": "for", "kind": "objection", "premises": ["from"], "target_claim": "to"},
    ],
}
GRADUATE_TAX = "A graduate tax is fairer."
DETERRED = "Fees deter poorer students."


def test_history_in_words_is_shown_as_written_and_old_ids_are_still_named(
    page: Page, api: httpx.Client
) -> None:
    imported = api.post(
        "/api/v1/maps/import", params={"format": "native"}, content=json.dumps(WORDY)
    )
    assert imported.status_code == 201, imported.text
    map_id = imported.json()["map"]["id"]
    base = f"/api/v1/maps/{map_id}"
    added = api.post(
        f"{base}/claims",
        json={"text": GRADUATE_TAX, "relation": {"kind": "objection", "target_claim": "to"}},
    )
    assert added.status_code == 201, added.text
    tax = added.json()["claim"]["id"]
    linked = api.post(f"{base}/claims", json={"text": DETERRED, "premise_of": "support"})
    assert linked.status_code == 201, linked.text
    edited = api.patch(f"{base}/claims/the", json={"text": "Education is a public good for all."})
    assert edited.status_code == 200, edited.text
    deleted = api.delete(f"{base}/claims/from", params={"cascade": "true"})
    assert deleted.status_code in (200, 204), deleted.text
    written = [item["description"] for item in revisions(api, map_id)]
    assert len(written) == 5, written
    assert any(text.startswith("add the objection “A graduate tax") for text in written), written

    # Today's descriptions are in words: shown exactly as the server wrote them.
    open_map(page, map_id)
    page.get_by_role("tab", name="History").click()
    shown = page.get_by_role("tabpanel", name="History").locator(".revision-what")
    expect(shown).to_have_count(5)
    expect(shown).to_have_text(written)
    screenshot(page, "history-word-ids")

    # Older revisions still carry the id-style descriptions: those are put in words.
    old_style = {
        2: f"add objection {tax} to to “{GRADUATE_TAX}”",
        3: "edit relation support premises",
        4: f"edit claim {tax} text, note",
        5: "delete claim from and relations for",
    }

    def older(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        for item in body["items"]:
            item["description"] = old_style.get(item["number"], item["description"])
        route.fulfill(response=response, json=body)

    page.route(re.compile(r".*/api/v1/maps/[^/]+/revisions$"), older)
    page.reload()
    expect(page.locator(".outline")).to_be_visible()
    page.get_by_role("tab", name="History").click()
    expect(shown).to_have_text(
        [
            # "from" is no longer in the map: its words come from the revision before.
            f"delete claim “{WORDY['claims'][3]['text']}” and 1 connection",
            f"edit claim “{GRADUATE_TAX}” text, note",
            "edit the support from “Education is a public good for all.” + "
            f"“{DETERRED}” to “Tuition fees should be abolished.”: premises",
            f"add objection “{GRADUATE_TAX}” to “Graduates earn more, so they should pay.”",
            written[-1],
        ]
    )
    # The description as written stays at hand, as the entry's tooltip.
    expect(shown.first).to_have_attribute("title", old_style[5])
