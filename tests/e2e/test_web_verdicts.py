"""Verdicts a student understands, in the web app (issue 15): the verdict word alone on the
badge, the reasons as sentences, the support balance with its meaning (and a switch to hide it),
what would change a verdict as buttons that open the right form, the status switch with the
outline, and the group's rule of decision shown with the map and changed by an editor."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import LAPTOP
from e2e_support import card, diagram_claims, get_map, open_map, screenshot
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route, expect

pytestmark = pytest.mark.e2e

OUTPUT = Path(__file__).resolve().parent.parent / "output"

THESIS = "Cities should ban cars from their centres."
SUPPORT = "Car-free centres have cleaner air."
OBJECTION = "Shops lose the customers who drive."


def _class(name: str) -> re.Pattern[str]:
    """Matches a class attribute that holds this class."""
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def make_map(
    api: httpx.Client, *, objection: bool = True, title: str = "Car-free centres"
) -> dict[str, str]:
    """A thesis with a support and (unless told not to) an unanswered objection: the thesis is
    defeated under the default rule. Returns the ids by name."""
    created = api.post("/api/v1/maps", json={"title": title})
    assert created.status_code == 201, created.text
    ids = {"map": created.json()["id"]}

    def add(name: str, text: str, relation: dict[str, str] | None = None) -> None:
        body: dict[str, Any] = {"text": text}
        if relation:
            body["relation"] = relation
        answer = api.post(f"/api/v1/maps/{ids['map']}/claims", json=body)
        assert answer.status_code == 201, answer.text
        ids[name] = answer.json()["claim"]["id"]
        if relation:
            ids[f"{name}-relation"] = answer.json()["relation"]["id"]

    add("thesis", THESIS)
    add("support", SUPPORT, {"kind": "support", "target_claim": ids["thesis"]})
    if objection:
        add("objection", OBJECTION, {"kind": "objection", "target_claim": ids["thesis"]})
    return ids


def outline_switch(page: Page, name: str) -> Locator:
    return page.locator(".outline-pane").get_by_label(name)


def show_status(page: Page) -> None:
    """Turn the status on from the outline; the diagram is redrawn with its colours."""
    with page.expect_response(lambda r: "status=true" in r.url and "diagram.svg" in r.url):
        outline_switch(page, "Status colours").check()
    expect(page.locator(".status-badge").first).to_be_visible()


def verdict_of(page: Page, text: str) -> Locator:
    return card(page, text).locator(".status-badge")


def select(page: Page, text: str) -> Locator:
    selected = card(page, text)
    selected.locator(".claim-text").click()
    expect(selected).to_have_attribute("aria-current", "true")
    return selected


def move_button(page: Page, kind: str) -> Locator:
    return page.locator(f".claim-card.is-selected .verdict-moves li.move-{kind} button")


def test_the_explanation_reads_as_sentences_led_by_the_verdict_word(
    page: Page, api: httpx.Client
) -> None:
    ids = make_map(api)
    open_map(page, ids["map"])
    show_status(page)
    # The badges say the verdict and nothing else: no percentage beside it.
    expect(verdict_of(page, THESIS)).to_have_text("Defeated")
    expect(verdict_of(page, OBJECTION)).to_have_text("Stands")
    for badge in page.locator(".status-badge").all():
        assert "%" not in badge.inner_text()
    expect(page.locator(".evaluation-summary")).to_have_text("2 stand · 1 defeated")

    thesis = select(page, THESIS)
    why = thesis.locator(".claim-why")
    expect(why.locator(".verdict-word")).to_have_text("Defeated")
    sentences = why.locator(".verdict-sentence")
    assert sentences.count() >= 2, why.inner_text()
    texts = [sentence.inner_text().strip() for sentence in sentences.all()]
    for text in texts:
        assert text.endswith("."), texts
        assert text[0].isupper() or text[0] in '“"', texts
    # The reasons name claims by their words, never by an id of the map.
    argument_map = get_map(api, ids["map"])
    map_ids = {ids["map"]} | {c["id"] for c in argument_map["claims"]}
    map_ids |= {r["id"] for r in argument_map["relations"]}
    details = why.inner_text()
    for element_id in map_ids:
        assert element_id not in details, (element_id, details)
    assert OBJECTION.rstrip(".") in " ".join(texts)
    # Beside the verdict, the rule's proof standard (a detail, not the verdict).
    expect(why.locator(".proof-standard")).to_have_text("Preponderance standard: not met.")
    # The support balance only with what it means.
    balance = why.locator(".support-balance")
    expect(balance).to_have_text(re.compile(r"^Support balance \d+%: base \d+%, .+\.$"))
    assert not re.search(r"\d+%", thesis.locator(".claim-head").inner_text())
    # What would change it, for a defeated claim.
    expect(why.locator(".verdict-changes-title")).to_have_text("What would change it")
    expect(move_button(page, "rebut")).to_have_count(1)
    expect(move_button(page, "undercut")).to_have_count(1)

    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.locator(".outline-pane").screenshot(path=str(OUTPUT / "verdicts-outline.png"))
    screenshot(page, "verdicts-editor")


def test_a_rebut_move_opens_the_objection_form_aimed_at_the_premise(
    page: Page, api: httpx.Client
) -> None:
    ids = make_map(api)
    open_map(page, ids["map"])
    show_status(page)
    select(page, THESIS)
    expect(move_button(page, "rebut")).to_contain_text(OBJECTION.rstrip("."))
    move_button(page, "rebut").click()
    # The objection's card holds the form for an objection to it (a rebuttal), focused.
    field = page.get_by_label(f"New rebuttal to “{OBJECTION}”")
    expect(field).to_be_focused()
    expect(
        card(page, OBJECTION).locator(f'[data-form-key="add:{ids["objection"]}:objection"]')
    ).to_have_count(1)
    # Made, it changes the verdict it promised.
    page.keyboard.type("Most shoppers in town centres arrive on foot or by bus.")
    page.keyboard.press("Enter")
    expect(verdict_of(page, THESIS)).to_have_text("Stands")
    expect(verdict_of(page, OBJECTION)).to_have_text("Defeated")


def test_an_undercut_move_opens_the_objection_form_aimed_at_the_relation(
    page: Page, api: httpx.Client
) -> None:
    ids = make_map(api)
    open_map(page, ids["map"])
    show_status(page)
    select(page, THESIS)
    move_button(page, "undercut").click()
    field = page.get_by_label(f"New objection to the inference from “{OBJECTION}”")
    expect(field).to_be_focused()
    relation = ids["objection-relation"]
    expect(card(page, OBJECTION).locator(f'[data-form-key="undercut:{relation}"]')).to_have_count(1)
    page.keyboard.type("Lost drivers say nothing about whether cars belong in the centre.")
    page.keyboard.press("Enter")
    expect(verdict_of(page, THESIS)).to_have_text("Stands")
    undercut = get_map(api, ids["map"])["relations"]
    assert any(r.get("target_relation") == relation for r in undercut), undercut


def set_rule(api: httpx.Client, map_id: str, **changes: str) -> None:
    rule = {
        "semantics": "grounded",
        "support": "loose",
        "proof_standard": "preponderance",
        "gradual": "dfquad",
        **changes,
    }
    answer = api.patch(f"/api/v1/maps/{map_id}", json={"rule": rule})
    assert answer.status_code == 200, answer.text


def test_an_accept_move_opens_the_edit_form_with_the_box_ticked(
    page: Page, api: httpx.Client
) -> None:
    ids = make_map(api, objection=False)
    # Under evidential support a claim needs a standing support or to be a starting point.
    set_rule(api, ids["map"], support="evidential")
    open_map(page, ids["map"])
    show_status(page)
    expect(verdict_of(page, THESIS)).to_have_text("Defeated")
    select(page, THESIS)
    accept = move_button(page, "accept").filter(has_text=SUPPORT.rstrip("."))
    expect(accept).to_have_count(1)
    accept.click()
    # The support's card holds its edit form (the text is in the form's field now).
    editing = page.locator(f'.claim-card[data-claim-id="{ids["support"]}"]')
    expect(editing.locator(f'[data-form-key="edit:{ids["support"]}"]')).to_have_count(1)
    box = editing.get_by_label("Accepted as a starting point")
    expect(box).to_be_checked()
    expect(box).to_be_focused()
    # Nothing is saved until the person saves.
    assert not {c["id"]: c for c in get_map(api, ids["map"])["claims"]}[ids["support"]]["accepted"]
    editing.get_by_role("button", name="Save").click()
    expect(card(page, SUPPORT).locator(".meta-accepted")).to_have_text("Starting point")
    expect(verdict_of(page, SUPPORT)).to_have_text("Stands")
    expect(verdict_of(page, THESIS)).to_have_text("Stands")
    saved = {c["id"]: c for c in get_map(api, ids["map"])["claims"]}
    assert saved[ids["support"]]["accepted"] is True


def test_moves_the_evaluation_budget_missed_are_asked_for_on_their_own(
    page: Page, api: httpx.Client
) -> None:
    ids = make_map(api)

    def as_if_out_of_budget(route: Route) -> None:
        # On a big map the evaluation's move search may not reach a claim: `changes` is null.
        answer = route.fetch()
        body = answer.json()
        body["claims"][ids["thesis"]]["changes"] = None
        route.fulfill(response=answer, json=body)

    page.route(re.compile(r".*/api/v1/maps/[^/]+/evaluation(\?.*)?$"), as_if_out_of_budget)
    open_map(page, ids["map"])
    show_status(page)
    with page.expect_response(f"**/evaluation/claims/{ids['thesis']}/changes"):
        select(page, THESIS)
    expect(move_button(page, "rebut")).to_have_count(1)
    expect(move_button(page, "undercut")).to_have_count(1)


def test_hiding_the_support_balance_survives_a_reload(page: Page, api: httpx.Client) -> None:
    ids = make_map(api)
    open_map(page, ids["map"])
    show_status(page)
    select(page, THESIS)
    balance = page.locator(".claim-card.is-selected .support-balance")
    expect(balance).to_be_visible()
    switch = outline_switch(page, "Show support balance")
    expect(switch).to_be_checked()
    switch.uncheck()
    expect(balance).to_have_count(0)
    expect(page.locator(".claim-card.is-selected .verdict-sentence").first).to_be_visible()

    page.reload()
    expect(page.locator(".status-badge").first).to_be_visible()
    expect(outline_switch(page, "Show support balance")).not_to_be_checked()
    select(page, THESIS)
    expect(page.locator(".claim-card.is-selected .verdict-sentence").first).to_be_visible()
    expect(page.locator(".support-balance")).to_have_count(0)
    outline_switch(page, "Show support balance").check()
    expect(page.locator(".claim-card.is-selected .support-balance")).to_be_visible()


def test_the_status_switch_is_in_the_outline_and_colours_the_diagram(
    page: Page, api: httpx.Client
) -> None:
    ids = make_map(api)
    open_map(page, ids["map"])
    expect(diagram_claims(page)).to_have_count(3)
    expect(page.locator(".diagram-toolbar").get_by_label("Status colours")).to_have_count(0)
    expect(outline_switch(page, "Status colours")).not_to_be_checked()
    expect(page.locator(".status-badge")).to_have_count(0)
    show_status(page)
    thesis_box = page.locator(f'.diagram-canvas g[id="claim-{ids["thesis"]}"]')
    expect(thesis_box).to_have_class(_class("status-out"))
    expect(page.locator(f'.diagram-canvas g[id="claim-{ids["objection"]}"]')).to_have_class(
        _class("status-in")
    )
    with page.expect_response(lambda r: "diagram.svg" in r.url and "status=true" not in r.url):
        outline_switch(page, "Status colours").uncheck()
    expect(page.locator(".status-badge")).to_have_count(0)
    expect(thesis_box).not_to_have_class(_class("status-out"))
    expect(page.locator('.diagram-canvas g[class*="status-"]')).to_have_count(0)


def test_an_editor_changes_the_rule_and_the_verdicts_follow(page: Page, api: httpx.Client) -> None:
    ids = make_map(api, objection=False)
    open_map(page, ids["map"])
    rule = page.locator(".map-rule")
    expect(rule).to_have_text(
        "Rule: grounded semantics · loose support · preponderance standard · DF-QuAD strength"
        "Change rule"
    )
    expect(rule.locator('[data-part="support"]')).to_have_attribute(
        "title", re.compile("Loose support")
    )
    show_status(page)
    expect(verdict_of(page, THESIS)).to_have_text("Stands")
    expect(verdict_of(page, SUPPORT)).to_have_text("Stands")

    page.get_by_role("button", name="Change rule").click()
    dialog = page.get_by_role("dialog", name="Rule of decision")
    dialog.get_by_label("What supports do").select_option("evidential")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    expect(rule).to_contain_text("evidential support")
    expect(page.get_by_role("button", name="Change rule")).to_be_focused()
    # Nothing is accepted as a starting point: under evidential support nothing stands.
    expect(verdict_of(page, SUPPORT)).to_have_text("Defeated")
    expect(verdict_of(page, THESIS)).to_have_text("Defeated")
    expect(page.locator(".evaluation-summary")).to_have_text("2 defeated")
    saved = get_map(api, ids["map"])
    assert saved["rule"]["support"] == "evidential", saved["rule"]
    assert saved["rule"]["semantics"] == "grounded"
    evaluation = api.get(f"/api/v1/maps/{ids['map']}/evaluation").json()
    assert evaluation["support"] == "evidential"
    # The change is a revision of the map.
    revisions = api.get(f"/api/v1/maps/{ids['map']}/revisions").json()["items"]
    assert revisions[0]["number"] == saved["version"]

    # And back, from the same dialog.
    page.get_by_role("button", name="Change rule").click()
    dialog.get_by_label("What supports do").select_option("loose")
    dialog.get_by_role("button", name="Save").click()
    expect(verdict_of(page, THESIS)).to_have_text("Stands")
    expect(rule).to_contain_text("loose support")


def test_the_rule_explained_to_a_keyboard(page: Page, api: httpx.Client) -> None:
    """The meanings of the rule's parts, hover text on the rule line, are also one disclosure
    away for a keyboard (and a touch screen), and follow the rule."""
    ids = make_map(api, objection=False)
    open_map(page, ids["map"])
    summary = page.locator(".map-rule-details summary")
    meanings = page.locator(".map-rule-meanings li")
    expect(summary).to_have_text("What the rule means")
    expect(meanings.first).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(meanings).to_have_count(4)
    expect(meanings.first).to_be_visible()
    expect(page.locator('.map-rule-meanings [data-part="support"]')).to_contain_text(
        "Loose support"
    )
    screenshot(page, "verdicts-rule-meanings")
    set_rule(api, ids["map"], support="evidential")
    page.reload()
    page.locator(".map-rule-details summary").click()
    expect(page.locator('.map-rule-meanings [data-part="support"]')).to_contain_text(
        "Evidential support"
    )


def test_a_rule_changed_elsewhere_reaches_an_open_page(page: Page, api: httpx.Client) -> None:
    ids = make_map(api, objection=False)
    # This page follows the map's event stream (the other tests' pages see only their own changes).
    page.add_init_script("localStorage.setItem('argmap.pollSeconds', '5')")
    open_map(page, ids["map"])
    expect(page.locator(".editor")).to_have_attribute("data-live", "stream")
    show_status(page)
    expect(verdict_of(page, THESIS)).to_have_text("Stands")
    set_rule(api, ids["map"], support="evidential", gradual="quadratic_energy")
    expect(page.locator(".map-rule")).to_contain_text("evidential support")
    expect(page.locator(".map-rule")).to_contain_text("quadratic energy strength")
    expect(verdict_of(page, THESIS)).to_have_text("Defeated")
    expect(verdict_of(page, SUPPORT)).to_have_text("Defeated")


# ----- a reader -----------------------------------------------------------------------------------


@pytest.fixture
def reader(
    browser: Browser, server: Any, api: httpx.Client
) -> Iterator[tuple[BrowserContext, str]]:
    """A browser profile signed in as someone with a password account (not yet a member), and
    their username."""
    username = f"rita-{secrets.token_hex(3)}"
    password = f"pw-{secrets.token_hex(8)}"
    made = api.post(
        "/api/v1/users",
        json={"username": username, "password": password, "display_name": "Rita Reader"},
    )
    assert made.status_code == 201, made.text
    context = browser.new_context(base_url=server.url, viewport=LAPTOP)
    context.add_init_script("localStorage.setItem('argmap.pollSeconds', '0');")
    context.set_default_timeout(15_000)
    answer = context.request.post(
        "/api/v1/auth/login", data={"username": username, "password": password}
    )
    assert answer.status == 200, answer.text()
    yield context, username
    context.close()


def test_a_reader_sees_the_rule_and_the_moves_but_no_way_to_change_them(
    reader: tuple[BrowserContext, str], api: httpx.Client
) -> None:
    context, username = reader
    ids = make_map(api)
    added = api.put(
        f"/api/v1/maps/{ids['map']}/members",
        json={"username": username, "role": "viewer"},
    )
    assert added.status_code == 200, added.text
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_map(page, ids["map"])
    expect(page.locator("#reader-notice")).to_be_visible()
    expect(page.locator(".map-rule")).to_contain_text("Rule: grounded semantics")
    expect(page.get_by_role("button", name="Change rule")).to_have_count(0)
    show_status(page)
    select(page, THESIS)
    moves = page.locator(".claim-card.is-selected .verdict-moves li")
    expect(moves).to_have_count(2)
    expect(moves.locator("button")).to_have_count(0)
    expect(moves.first).to_contain_text("this claim would then stand")
    assert errors == []
