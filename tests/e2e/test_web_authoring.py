"""Authoring at the speed of thought (issue 18), in a real browser: the 8-claim map by keyboard
alone (its keystrokes counted), the "?" sheet, the hint line and the buttons' letters, one-step
co-premises, collapsing branches, text limits, right-to-left text and drafts across tabs."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from e2e_support import (
    card,
    claim_by_text,
    create_map_in_ui,
    get_map,
    open_map,
    revision_count,
    screenshot,
)
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.e2e

THESIS = "Cities should ban cars from their centres."
SUPPORT_1 = "Car-free centres have cleaner air."
SUPPORT_2 = "Streets without cars are safer for children."
OBJECTION_1 = "Shops lose the customers who drive."
OBJECTION_2 = "People with disabilities need to drive in."
REBUTTAL = "Exemptions for disabled drivers are easy to grant."
CO_PREMISE = "Cleaner air means fewer asthma attacks."
UNDERCUT = "Safer streets alone do not justify a full ban."

KEYSTROKE_GOAL = 25


class Keyboard:
    """The page's keyboard, counting every key pressed beyond the claims' own text."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0
        self.log: list[str] = []

    def press(self, key: str) -> None:
        self.count += 1
        self.log.append(key)
        self.page.keyboard.press(key)

    def text(self, words: str) -> None:
        """The claim's own words: not counted."""
        self.page.keyboard.type(words)


def test_the_eight_claim_map_by_keyboard_alone(page: Page, api: httpx.Client) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})  # the study group's laptop
    map_id = create_map_in_ui(page, "Car-free centres, typed")
    keys = Keyboard(page)
    # From here on, no mouse: the empty map's thesis field has the cursor.
    expect(page.get_by_label("Thesis", exact=True)).to_be_focused()
    keys.text(THESIS)
    keys.press("Enter")
    expect(card(page, THESIS)).to_be_focused()

    # Two supports and two objections of the thesis: a letter, the words, Enter, ← back up.
    keys.press("s")
    keys.text(SUPPORT_1)
    keys.press("Enter")
    expect(card(page, SUPPORT_1)).to_be_focused()
    keys.press("ArrowLeft")
    keys.press("s")
    keys.text(SUPPORT_2)
    keys.press("Enter")
    expect(card(page, SUPPORT_2)).to_be_focused()
    keys.press("ArrowLeft")
    keys.press("o")
    keys.text(OBJECTION_1)
    keys.press("Enter")
    expect(card(page, OBJECTION_1)).to_be_focused()
    keys.press("ArrowLeft")
    keys.press("o")
    keys.text(OBJECTION_2)
    keys.press("Enter")
    expect(card(page, OBJECTION_2)).to_be_focused()

    # On an objection, O is a rebuttal.
    keys.press("o")
    expect(page.get_by_label(f"New rebuttal to “{OBJECTION_2}”")).to_be_focused()
    keys.text(REBUTTAL)
    keys.press("Enter")
    expect(card(page, REBUTTAL)).to_be_focused()

    # A new linked premise in one step: P on the first support.
    keys.press("Home")
    expect(card(page, THESIS)).to_be_focused()
    keys.press("ArrowRight")
    expect(card(page, SUPPORT_1)).to_be_focused()
    keys.press("p")
    keys.text(CO_PREMISE)
    keys.press("Enter")
    expect(card(page, CO_PREMISE)).to_be_focused()

    # An undercut of the second support's inference: U.
    keys.press("ArrowDown")
    expect(card(page, SUPPORT_2)).to_be_focused()
    keys.press("u")
    keys.text(UNDERCUT)
    keys.press("Enter")
    expect(card(page, UNDERCUT)).to_be_focused()
    screenshot(page, "authoring-eight-claims")

    print(
        f"\nKeystrokes beyond the claims' text for the 8-claim map: {keys.count} ({' '.join(keys.log)}), no mouse"
    )
    assert keys.count <= KEYSTROKE_GOAL, keys.log

    stored = get_map(api, map_id)
    assert len(stored["claims"]) == 8
    ids = {claim["text"]: claim["id"] for claim in stored["claims"]}
    relations = stored["relations"]
    linked = [r for r in relations if len(r["premises"]) == 2]
    assert len(linked) == 1
    assert set(linked[0]["premises"]) == {ids[SUPPORT_1], ids[CO_PREMISE]}
    assert linked[0]["target_claim"] == ids[THESIS]
    assert linked[0]["kind"] == "support"
    undercut = next(r for r in relations if r["premises"] == [ids[UNDERCUT]])
    support_2 = next(r for r in relations if r["premises"] == [ids[SUPPORT_2]])
    assert undercut["target_relation"] == support_2["id"]
    assert undercut["kind"] == "objection"
    rebuttal = next(r for r in relations if r["premises"] == [ids[REBUTTAL]])
    assert rebuttal["target_claim"] == ids[OBJECTION_2]
    assert rebuttal["kind"] == "objection"
    # No claim was left over as a thesis of its own.
    premises = {p for r in relations for p in r["premises"]}
    assert [c["text"] for c in stored["claims"] if c["id"] not in premises] == [THESIS]


def seed(api: httpx.Client, title: str) -> tuple[str, dict[str, str]]:
    """A small map through the API: a thesis, a support (with its own objection), an objection."""
    response = api.post("/api/v1/maps", json={"title": title})
    assert response.status_code == 201, response.text
    map_id = response.json()["id"]
    version = response.json()["version"]
    ids: dict[str, str] = {}

    def add(text: str, relation: dict[str, Any] | None = None) -> None:
        nonlocal version
        body: dict[str, Any] = {"text": text}
        if relation:
            body["relation"] = relation
        answer = api.post(
            f"/api/v1/maps/{map_id}/claims", json=body, headers={"If-Match": f'"{version}"'}
        )
        assert answer.status_code == 201, answer.text
        version = answer.json()["version"] if "version" in answer.json() else version + 1
        ids[text] = answer.json()["claim"]["id"]

    add(THESIS)
    add(SUPPORT_1, {"kind": "support", "target_claim": ids[THESIS]})
    add(OBJECTION_1, {"kind": "objection", "target_claim": ids[SUPPORT_1]})
    add(OBJECTION_2, {"kind": "objection", "target_claim": ids[THESIS]})
    return map_id, ids


def test_key_sheet_hint_line_and_letters_on_buttons(page: Page, api: httpx.Client) -> None:
    map_id, _ = seed(api, "Keys on view")
    open_map(page, map_id)
    # "?" opens the sheet of every key.
    page.locator("#page-heading").focus()
    page.keyboard.press("?")
    sheet = page.get_by_role("dialog", name="Keyboard keys")
    expect(sheet).to_be_visible()
    for key in ["S", "O", "U", "P", "L", "K", "E", "C", "Delete", "Home", "End", "[", "]", "Esc"]:
        expect(
            sheet.locator("kbd", has_text=re.compile(f"^{re.escape(key)}$")).first
        ).to_be_visible()
    screenshot(page, "authoring-key-sheet")
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    # …and so does a button.
    page.get_by_role("button", name="Keys").click()
    expect(sheet).to_be_visible()
    sheet.get_by_role("button", name="Close").first.click()
    expect(sheet).to_be_hidden()

    # The hint line shows what applies to the claim in focus: a thesis has no inference.
    hint = page.locator(".pane-hint")
    card(page, THESIS).click()
    expect(hint).to_contain_text("S support")
    expect(hint).to_contain_text("C collapse")
    expect(hint).not_to_contain_text("U undercut")
    page.keyboard.press("ArrowDown")
    expect(card(page, SUPPORT_1)).to_be_focused()
    expect(hint).to_contain_text("U undercut")
    expect(hint).to_contain_text("P co-premise")
    expect(hint).not_to_contain_text("K unlink")
    page.keyboard.press("ArrowDown")
    expect(card(page, OBJECTION_1)).to_be_focused()
    expect(hint).to_contain_text("O rebut")
    expect(hint).not_to_contain_text("C collapse")
    # Buttons show their letters.
    actions = card(page, OBJECTION_1).locator(".claim-actions")
    for name, letter in [
        ("Support", "S"),
        ("Rebuttal", "O"),
        ("Object to inference", "U"),
        ("Co-premise", "P"),
        ("Link premise", "L"),
        ("Edit", "E"),
        ("Delete", "Del"),
    ]:
        button = actions.get_by_role("button", name=name, exact=True)
        expect(button.locator(".action-key")).to_have_text(letter)
    screenshot(page, "authoring-hint-and-letters")


def test_co_premise_from_the_relation_and_unlink_by_key(page: Page, api: httpx.Client) -> None:
    map_id, ids = seed(api, "Co-premises")
    open_map(page, map_id)
    before = revision_count(api, map_id)
    card(page, SUPPORT_1).click()
    card(page, SUPPORT_1).get_by_role("button", name="Co-premise").click()
    field = page.get_by_label(re.compile("^New premise linked with"))
    expect(field).to_be_focused()
    page.keyboard.type(CO_PREMISE)
    page.keyboard.press("Enter")
    expect(card(page, CO_PREMISE)).to_be_focused()
    group = page.locator("li.node-linked")
    expect(group.locator(":scope > .linked-premises > li > .claim-card")).to_have_count(2)
    # One request, one revision: the claim and its link to the relation together.
    assert revision_count(api, map_id) == before + 1
    # From the relation: the linked group's own button adds a third.
    group.get_by_role("button", name="Add a premise").click()
    page.get_by_label(re.compile("^New premise linked with")).fill("Asthma costs cities a lot.")
    page.keyboard.press("Enter")
    expect(group.locator(":scope > .linked-premises > li > .claim-card")).to_have_count(3)
    expect(card(page, "Asthma costs cities a lot.")).to_be_focused()
    assert revision_count(api, map_id) == before + 2
    relation = next(r for r in get_map(api, map_id)["relations"] if len(r["premises"]) > 1)
    assert len(relation["premises"]) == 3
    assert relation["premises"][0] == ids[SUPPORT_1]
    # K unlinks the premise in focus (it becomes a claim of its own again).
    expect(card(page, "Asthma costs cities a lot.")).to_be_focused()
    page.keyboard.press("k")
    expect(group.locator(":scope > .linked-premises > li > .claim-card")).to_have_count(2)
    # History speaks of claims, not ids.
    page.get_by_role("tab", name="History").click()
    history = page.locator(".revision-list")
    expect(history).to_contain_text(CO_PREMISE)
    expect(history.locator(".revision-what").first).not_to_contain_text(
        re.compile(r"\br[0-9a-f]{6,}")
    )
    texts = history.locator(".revision-what").all_inner_texts()
    assert texts
    assert not any(re.search(r"\b[rc][0-9a-f]{7,}\b", text) for text in texts), texts
    assert any(text.startswith("edit the premises of the support from") for text in texts), texts
    # Each co-premise is one revision, described as such.
    for premise in (CO_PREMISE, "Asthma costs cities a lot."):
        linked = f"add “{premise}” as a linked premise of the support for “{THESIS}”"
        assert linked in texts, texts
    # "What changed" names the premises by their words too.
    latest = history.locator(".revision").first
    latest.locator("summary", has_text="What changed").click()
    changes = latest.locator(".revision-changes")
    expect(changes).to_contain_text("premises:")
    expect(changes).to_contain_text(CO_PREMISE)
    assert not re.search(r"\b[rc][0-9a-f]{7,}\b", changes.inner_text()), changes.inner_text()
    screenshot(page, "authoring-co-premise")


def test_collapse_and_expand_are_remembered(page: Page, api: httpx.Client) -> None:
    map_id, _ = seed(api, "Folding")
    open_map(page, map_id)
    card(page, SUPPORT_1).click()
    page.keyboard.press("c")
    expect(card(page, OBJECTION_1)).to_be_hidden()
    expect(card(page, SUPPORT_1)).to_contain_text("1 claim beneath, collapsed")
    expect(
        card(page, SUPPORT_1).get_by_role("button", name=re.compile("^Expand"))
    ).to_have_attribute("aria-expanded", "false")
    # The arrows pass the folded claims by.
    page.keyboard.press("ArrowDown")
    expect(card(page, OBJECTION_2)).to_be_focused()
    # Remembered across a reload.
    page.reload()
    expect(card(page, SUPPORT_1)).to_be_visible()
    expect(card(page, OBJECTION_1)).to_be_hidden()
    screenshot(page, "authoring-collapsed")
    # The button expands; "[" collapses every branch and "]" expands them all.
    card(page, SUPPORT_1).get_by_role("button", name=re.compile("^Expand")).click()
    expect(card(page, OBJECTION_1)).to_be_visible()
    card(page, THESIS).click()
    page.keyboard.press("[")
    expect(card(page, SUPPORT_1)).to_be_hidden()
    expect(card(page, THESIS)).to_be_focused()
    page.keyboard.press("]")
    expect(card(page, OBJECTION_1)).to_be_visible()
    # Selecting a folded claim (as from the diagram) opens its branch.
    card(page, SUPPORT_1).click()
    page.keyboard.press("c")
    expect(card(page, OBJECTION_1)).to_be_hidden()
    page.keyboard.press("ArrowRight")
    expect(card(page, OBJECTION_1)).to_be_visible()


def test_text_limits_counter_and_paste_over_the_limit(page: Page, api: httpx.Client) -> None:
    map_id, _ = seed(api, "Limits")
    open_map(page, map_id)
    thesis = page.get_by_label("Add another thesis", exact=True)
    thesis.fill("x" * 1790)
    thesis.press("End")
    page.keyboard.type("yyyyyyyyyy")
    counter = page.locator(".char-count").first
    expect(counter).to_have_text(re.compile(r"1,800 / 2,000 characters \(200 left\)"))
    # A paste of 2100 characters into the field keeps what fits and says how much was cut.
    thesis.fill("")
    page.evaluate(
        """(text) => {
          const box = document.querySelector('[data-focus-key="thesis"]');
          box.focus();
          const data = new DataTransfer();
          data.setData('text/plain', text);
          box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        "z" * 2100,
    )
    expect(thesis).to_have_value("z" * 2000)
    expect(counter).to_contain_text("Pasted 2,000 of 2,100 characters")
    expect(page.locator(".toast")).to_contain_text("the last 100 did not fit the limit of 2,000")
    screenshot(page, "authoring-limit-paste")
    # At the limit, a paste is refused with a message.
    page.evaluate(
        """() => {
          const box = document.querySelector('[data-focus-key="thesis"]');
          box.setSelectionRange(box.value.length, box.value.length);
          const data = new DataTransfer();
          data.setData('text/plain', 'more');
          box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    expect(counter).to_contain_text("Nothing was pasted")
    expect(thesis).to_have_value("z" * 2000)
    # The draft holds what is in the field (nothing was cut behind the person's back).
    stored = page.evaluate(f"localStorage.getItem('argmap.drafts.{map_id}')")
    assert "z" * 2000 in stored
    assert "z" * 2001 not in stored


def test_right_to_left_text_follows_its_direction(page: Page, api: httpx.Client) -> None:
    map_id, ids = seed(api, "כיוון הטקסט")
    arabic = "المدن يجب أن تمنع السيارات من مراكزها."
    version = get_map(api, map_id)["version"]
    answer = api.post(
        f"/api/v1/maps/{map_id}/claims",
        json={"text": arabic, "relation": {"kind": "support", "target_claim": ids[THESIS]}},
        headers={"If-Match": f'"{version}"'},
    )
    assert answer.status_code == 201, answer.text
    open_map(page, map_id)
    text = card(page, arabic).locator(".claim-text")
    expect(text).to_have_attribute("dir", "auto")
    assert text.evaluate("el => getComputedStyle(el).direction") == "rtl"
    expect(page.locator(".map-title-text")).to_have_attribute("dir", "auto")
    for field in page.locator(".outline textarea").all():
        expect(field).to_have_attribute("dir", "auto")
    card(page, arabic).click()
    page.keyboard.press("e")
    expect(page.locator(".claim-editor textarea").first).to_have_attribute("dir", "auto")
    page.keyboard.press("Escape")
    page.goto("/")
    expect(
        page.locator(".map-row", has_text="כיוון הטקסט").locator("[dir=auto]").first
    ).to_be_visible()
    screenshot(page, "authoring-rtl-list")


def test_drafts_survive_a_quick_reload_and_reach_another_tab(
    page: Page, context: BrowserContext, api: httpx.Client
) -> None:
    map_id, _ = seed(api, "Drafts")
    open_map(page, map_id)
    card(page, SUPPORT_1).click()
    page.keyboard.press("o")
    page.keyboard.type("An objection typed right before")
    # A reload straight after the last key keeps every keystroke.
    page.reload()
    expect(page.locator(".composer textarea").first).to_have_value(
        "An objection typed right before"
    )
    # The thesis draft reaches another tab of the same map (localStorage and its storage event).
    thesis = page.get_by_label("Add another thesis", exact=True)
    thesis.fill("A second thesis, half typed")
    other = context.new_page()
    open_map(other, map_id)
    expect(other.get_by_label("Add another thesis", exact=True)).to_have_value(
        "A second thesis, half typed"
    )
    thesis.fill("A second thesis, typed on")
    expect(other.get_by_label("Add another thesis", exact=True)).to_have_value(
        "A second thesis, typed on"
    )
    # The page being hidden writes the drafts too (nothing waits for a timer).
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    stored = page.evaluate(f"localStorage.getItem('argmap.drafts.{map_id}')")
    assert "A second thesis, typed on" in stored
    other.close()
    claim_by_text(get_map(api, map_id), SUPPORT_1)
