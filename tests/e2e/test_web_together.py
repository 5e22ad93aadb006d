"""Live together in a real browser: the merge dialog when two people changed the same field, a
quiet notice when the server merged an edit, comment threads (add, reply, edit, resolve; what a
commenter is not offered), the open-comment counts in the outline, and three people on one map
over the event stream: presence, a change pushed and highlighted, a same-claim conflict
resolved through the dialog with nothing lost."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import LAPTOP
from e2e_support import card
from live import LiveServer
from playwright.sync_api import Browser, BrowserContext, Page, expect

from api.settings import Settings

pytestmark = pytest.mark.e2e

OUTPUT = Path(__file__).resolve().parent.parent / "output"
THESIS = "The canteen should serve only vegetarian food."
SUPPORT = "It cuts the kitchen's carbon footprint."


def shot(page: Page, name: str) -> None:
    """A screenshot for review, as tests/output/together-<name>.png."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"together-{name}.png"))


# ----- people ---------------------------------------------------------------------------------


@dataclass
class Person:
    display_name: str
    username: str
    password: str
    id: str
    client: httpx.Client  # signed in as them (session cookie and CSRF token)


def person_on(server: Any, display_name: str, made: list[httpx.Client]) -> Person:
    """An account with a password on `server`, with an API client signed in as them."""
    username = f"{display_name.split()[0].lower()}-{secrets.token_hex(3)}"
    password = f"pw-{secrets.token_hex(8)}"
    with httpx.Client(base_url=server.url, timeout=30, headers=server.admin_headers) as admin:
        created = admin.post(
            "/api/v1/users",
            json={"username": username, "password": password, "display_name": display_name},
        )
    assert created.status_code == 201, created.text
    client = httpx.Client(base_url=server.url, timeout=30)
    made.append(client)
    login = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert login.status_code == 200, login.text
    client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    return Person(display_name, username, password, login.json()["user"]["id"], client)


@pytest.fixture
def people(server: Any) -> Iterator[Callable[[str], Person]]:
    """Make accounts on the tests' server, each with an API client signed in as them."""
    made: list[httpx.Client] = []
    yield lambda display_name: person_on(server, display_name, made)
    for client in made:
        client.close()


def share(api: httpx.Client, map_id: str, person: Person, role: str) -> None:
    answer = api.put(
        f"/api/v1/maps/{map_id}/members", json={"username": person.username, "role": role}
    )
    assert answer.status_code in (200, 201), answer.text


def make_map(api: httpx.Client, title: str) -> tuple[str, str]:
    """A map of the admin's with a thesis: (map id, thesis id)."""
    created = api.post("/api/v1/maps", json={"title": title})
    assert created.status_code == 201, created.text
    map_id = created.json()["id"]
    thesis = api.post(f"/api/v1/maps/{map_id}/claims", json={"text": THESIS})
    assert thesis.status_code == 201, thesis.text
    return map_id, thesis.json()["claim"]["id"]


def version(api: httpx.Client, map_id: str) -> int:
    answer = api.get(f"/api/v1/maps/{map_id}")
    assert answer.status_code == 200, answer.text
    value: int = answer.json()["version"]
    return value


def claim_text(api: httpx.Client, map_id: str, claim_id: str) -> str:
    answer = api.get(f"/api/v1/maps/{map_id}")
    for claim in answer.json()["claims"]:
        if claim["id"] == claim_id:
            text: str = claim["text"]
            return text
    raise AssertionError(f"no claim {claim_id}")


@pytest.fixture
def browser_as(browser: Browser, server: Any) -> Iterator[Callable[..., Page]]:
    """A page in a browser profile of its own, signed in as a person; `live` turns on the
    background updates (the event stream, polling when it cannot be opened)."""
    contexts: list[BrowserContext] = []
    pages: list[tuple[Page, list[str]]] = []

    def make(person: Person, *, live: bool = False, on: Any = None) -> Page:
        context = browser.new_context(base_url=(on or server).url, viewport=LAPTOP)
        seconds = "5" if live else "0"
        context.add_init_script(f"localStorage.setItem('argmap.pollSeconds', '{seconds}')")
        context.set_default_timeout(15_000)
        contexts.append(context)
        login = context.request.post(
            "/api/v1/auth/login", data={"username": person.username, "password": person.password}
        )
        assert login.status == 200, login.text()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        pages.append((page, errors))
        return page

    yield make
    for context in contexts:
        context.close()
    for _, errors in pages:
        assert errors == [], f"uncaught errors in a page: {errors}"


def open_map(page: Page, map_id: str) -> None:
    page.goto(f"/#/maps/{map_id}")
    expect(page.locator(".map-stats")).to_contain_text("version")


def start_editing(page: Page, text: str) -> Any:
    """Open the edit form of the claim with this text; returns its Claim field."""
    card(page, text).locator(".claim-text").click()
    page.keyboard.press("e")
    field = page.get_by_label("Claim", exact=True)
    expect(field).to_be_focused()
    return field


def events_endpoint(server: Any) -> bool:
    """Whether the server offers the map event stream (it is declared in its OpenAPI)."""
    paths = httpx.get(f"{server.url}/openapi.json", timeout=30).json()["paths"]
    return "/api/v1/maps/{map_id}/events" in paths


def two_editors(
    api: httpx.Client,
    people: Callable[[str], Person],
    browser_as: Callable[..., Page],
    title: str,
) -> tuple[str, str, Person, Person, Page]:
    """A map with a thesis, Ana and Ben its editors, and Ana's page open on it."""
    map_id, thesis = make_map(api, title)
    ana, ben = people("Ana Lopez"), people("Ben Okafor")
    share(api, map_id, ana, "editor")
    share(api, map_id, ben, "editor")
    page = browser_as(ana)
    open_map(page, map_id)
    return map_id, thesis, ana, ben, page


# ----- merging --------------------------------------------------------------------------------


def test_a_clash_on_the_same_field_opens_the_merge_dialog_and_nothing_is_lost(
    api: httpx.Client, people: Callable[[str], Person], browser_as: Callable[..., Page]
) -> None:
    map_id, thesis, _ana, ben, page = two_editors(api, people, browser_as, "Canteen menu")
    field = start_editing(page, THESIS)
    field.fill("The canteen should serve mostly vegetarian food.")

    # Meanwhile Ben changes the same claim's text.
    theirs = "The canteen should serve vegetarian food on weekdays."
    answer = ben.client.patch(f"/api/v1/maps/{map_id}/claims/{thesis}", json={"text": theirs})
    assert answer.status_code == 200, answer.text
    before = version(api, map_id)

    page.keyboard.press("Enter")  # based on the version the form was opened on: a clash
    dialog = page.get_by_role("dialog", name="Merge your edit with theirs")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".merge-base")).to_contain_text(THESIS)
    expect(dialog.locator(".merge-theirs")).to_contain_text(theirs)
    expect(dialog.locator(".merge-theirs")).to_contain_text("Ben Okafor’s version")
    expect(dialog.locator(".merge-yours")).to_contain_text("mostly vegetarian")
    expect(dialog.locator(".merge-yours mark")).to_contain_text("mostly")
    box = dialog.get_by_label("Claim to save")
    expect(box).to_have_value("The canteen should serve mostly vegetarian food.")
    assert version(api, map_id) == before  # nothing written yet
    shot(page, "merge-dialog")

    dialog.get_by_role("button", name="Take theirs").click()
    expect(box).to_have_value(theirs)
    dialog.get_by_role("button", name="Keep mine").click()
    expect(box).to_have_value("The canteen should serve mostly vegetarian food.")
    merged = "The canteen should serve mostly vegetarian food, and only vegetarian on weekdays."
    box.fill(merged)
    dialog.get_by_role("button", name="Save merged").click()
    expect(dialog).to_be_hidden()
    expect(card(page, merged)).to_be_visible()
    assert claim_text(api, map_id, thesis) == merged
    # Ben's words are in the history, and so are Ana's.
    revisions = api.get(f"/api/v1/maps/{map_id}/revisions").json()["items"]
    assert [r["author"] for r in revisions[:2]] == ["Ana Lopez", "Ben Okafor"]


def test_not_now_keeps_the_draft_and_a_merge_without_clash_says_with_whom(
    api: httpx.Client, people: Callable[[str], Person], browser_as: Callable[..., Page]
) -> None:
    map_id, thesis, _ana, ben, page = two_editors(api, people, browser_as, "Canteen prices")
    field = start_editing(page, THESIS)
    field.fill("The canteen should serve more vegetarian food.")
    assert (
        ben.client.patch(
            f"/api/v1/maps/{map_id}/claims/{thesis}", json={"text": "Ben's text."}
        ).status_code
        == 200
    )
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Merge your edit with theirs")
    dialog.get_by_role("button", name="Not now (keep my draft)").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".toast-quiet")).to_contain_text("your version is still in the form")
    expect(page.get_by_label("Claim", exact=True)).to_have_value(
        "The canteen should serve more vegetarian food."
    )
    assert claim_text(api, map_id, thesis) == "Ben's text."
    page.get_by_role("button", name="Cancel").click()

    # Ben changes the note while Ana changes the text: merged by the server, said quietly.
    field = start_editing(page, "Ben's text.")
    field.fill("Ana's text.")
    note = ben.client.patch(
        f"/api/v1/maps/{map_id}/claims/{thesis}", json={"note": "Ask the kitchen staff."}
    )
    assert note.status_code == 200, note.text
    page.keyboard.press("Enter")
    expect(page.locator(".toast-quiet").filter(has_text="Merged with")).to_contain_text(
        "Merged with Ben Okafor’s change"
    )
    expect(card(page, "Ana's text.")).to_be_visible()
    stored = api.get(f"/api/v1/maps/{map_id}").json()["claims"][0]
    assert (stored["text"], stored["note"]) == ("Ana's text.", "Ask the kitchen staff.")
    shot(page, "merged-notice")


def test_a_clash_on_two_fields_is_merged_field_by_field(
    api: httpx.Client, people: Callable[[str], Person], browser_as: Callable[..., Page]
) -> None:
    map_id, thesis, _ana, ben, page = two_editors(api, people, browser_as, "Canteen tags")
    start_editing(page, THESIS)
    page.get_by_label("Note", exact=True).fill("Ana's note.")
    page.get_by_label("Tags", exact=True).fill("food, climate")
    theirs = {"note": "Ben's note.", "tags": ["food", "budget"]}
    answer = ben.client.patch(f"/api/v1/maps/{map_id}/claims/{thesis}", json=theirs)
    assert answer.status_code == 200, answer.text
    page.get_by_role("button", name="Save", exact=True).click()

    dialog = page.get_by_role("dialog", name="Merge your edit with theirs")
    expect(dialog.locator(".merge-field")).to_have_count(2)
    tags = dialog.locator('.merge-field[data-field="tags"]')
    expect(tags.locator(".merge-theirs")).to_contain_text("food, budget")
    expect(tags.locator(".merge-yours")).to_contain_text("food, climate")
    tags.get_by_role("button", name="Take theirs").click()
    expect(dialog.get_by_label("Tags to save")).to_have_value("food, budget")
    note = dialog.locator('.merge-field[data-field="note"]')
    expect(note.locator(".merge-base")).to_contain_text("(empty)")
    expect(dialog.get_by_label("Note to save")).to_have_value("Ana's note.")
    shot(page, "merge-two-fields")
    dialog.get_by_role("button", name="Save merged").click()
    expect(dialog).to_be_hidden()
    expect(card(page, THESIS)).to_be_visible()
    stored = api.get(f"/api/v1/maps/{map_id}").json()["claims"][0]
    assert (stored["note"], stored["tags"]) == ("Ana's note.", ["food", "budget"])


# ----- comments -------------------------------------------------------------------------------


def test_comment_threads_replies_resolving_and_counts(
    api: httpx.Client, people: Callable[[str], Person], browser_as: Callable[..., Page]
) -> None:
    map_id, thesis = make_map(api, "Canteen comments")
    owner, cora = people("Olga Owner"), people("Cora Commenter")
    share(api, map_id, owner, "editor")
    share(api, map_id, cora, "commenter")
    added = api.post(
        f"/api/v1/maps/{map_id}/claims",
        json={"text": SUPPORT, "relation": {"kind": "support", "target_claim": thesis}},
    )
    assert added.status_code == 201, added.text

    # The editor comments on the thesis.
    page = browser_as(owner)
    open_map(page, map_id)
    card(page, THESIS).locator(".claim-text").click()
    page.get_by_role("tab", name="Comments").click()
    panel = page.get_by_role("tabpanel", name="Comments")
    expect(
        panel.get_by_role("heading", name=re.compile("Comments on “The canteen"))
    ).to_be_visible()
    expect(panel).to_contain_text("No comments yet.")
    panel.get_by_label("Add a comment").fill("Is there a study on the footprint?")
    panel.get_by_role("button", name="Comment", exact=True).click()
    thread = panel.locator(".thread")
    expect(thread).to_have_count(1)
    expect(thread).to_contain_text("Olga Owner")
    expect(thread).to_contain_text("Is there a study on the footprint?")
    expect(panel.get_by_label("Add a comment")).to_have_value("")
    expect(card(page, THESIS).locator(".outline-comments")).to_have_text("1")
    expect(card(page, SUPPORT).locator(".outline-comments")).to_have_count(0)

    # The commenter replies; she may edit her own reply but not resolve, nor touch Olga's.
    other = browser_as(cora)
    open_map(other, map_id)
    expect(other.locator("#reader-notice")).to_be_visible()
    expect(card(other, THESIS).locator(".outline-comments")).to_have_text("1")
    card(other, THESIS).locator(".outline-comments").click()
    their_panel = other.get_by_role("tabpanel", name="Comments")
    their_thread = their_panel.locator(".thread")
    expect(their_thread).to_contain_text("Is there a study on the footprint?")
    expect(their_thread.get_by_role("button", name="Resolve")).to_have_count(0)
    first = their_thread.locator(".comment").first
    expect(first.get_by_role("button", name="Edit")).to_have_count(0)
    expect(first.get_by_role("button", name="Delete")).to_have_count(0)
    their_thread.get_by_role("button", name="Reply").click()
    their_panel.get_by_label("Your reply").fill("The 2021 report, p. 4.")
    their_panel.get_by_role("button", name="Reply", exact=True).click()
    reply = their_thread.locator(".reply")
    expect(reply).to_contain_text("Cora Commenter")
    expect(reply).to_contain_text("The 2021 report, p. 4.")
    reply.get_by_role("button", name="Edit").click()
    their_panel.get_by_label("Edit your comment").fill("The 2021 report, page 4.")
    their_panel.get_by_role("button", name="Save").click()
    expect(reply).to_contain_text("The 2021 report, page 4.")
    expect(reply).to_contain_text("edited")
    expect(card(other, THESIS).locator(".outline-comments")).to_have_text("1")  # one thread
    shot(other, "comments-commenter")

    # The editor sees the reply (after a reload: no background updates on these pages), resolves.
    page.reload()
    expect(card(page, THESIS).locator(".outline-comments")).to_have_text("1")
    card(page, THESIS).locator(".outline-comments").click()
    panel = page.get_by_role("tabpanel", name="Comments")
    expect(panel.locator(".reply")).to_contain_text("The 2021 report, page 4.")
    panel.locator(".thread").get_by_role("button", name="Resolve").click()
    expect(panel.locator(".thread")).to_contain_text("Resolved by Olga Owner")
    expect(panel.locator(".thread").get_by_role("button", name="Reopen")).to_be_visible()
    expect(card(page, THESIS).locator(".outline-comments")).to_have_count(0)  # no open thread
    shot(page, "comments-resolved")

    # A comment on the support itself (the relation), from the support's card.
    card(page, SUPPORT).locator(".claim-text").click()
    targets = panel.get_by_role("group", name="Comments on")
    expect(targets.get_by_role("button", name="This claim")).to_have_attribute(
        "aria-pressed", "true"
    )
    targets.get_by_role("button", name=re.compile("^Its support of “The canteen")).click()
    panel.get_by_label("Add a comment").fill("Does it follow, if the food is flown in?")
    panel.get_by_role("button", name="Comment", exact=True).click()
    expect(panel.locator(".thread")).to_contain_text("flown in")
    expect(panel.get_by_label("Add a comment")).to_have_value("")
    badge = card(page, SUPPORT).locator(".outline-comments")
    expect(badge).to_have_text("1")
    expect(badge).to_have_attribute("title", "1 open comment thread on its support")
    shot(page, "comments-on-a-relation")

    stored = api.get(f"/api/v1/maps/{map_id}/comments", params={"target": thesis}).json()
    assert stored["threads"][0]["resolved"] is True
    assert [r["text"] for r in stored["threads"][0]["replies"]] == ["The 2021 report, page 4."]
    # The commenter's API answer matches what she was offered: resolving is refused.
    refused = cora.client.patch(
        f"/api/v1/maps/{map_id}/comments/{stored['threads'][0]['id']}", json={"resolved": False}
    )
    assert refused.status_code == 403


def test_without_the_event_stream_the_page_polls(
    api: httpx.Client, people: Callable[[str], Person], browser_as: Callable[..., Page]
) -> None:
    map_id, thesis = make_map(api, "Canteen, polled")
    ana = people("Ana Lopez")
    share(api, map_id, ana, "editor")
    page = browser_as(ana, live=True)
    page.add_init_script("localStorage.setItem('argmap.pollSeconds', '1')")
    refused: list[str] = []

    def refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.fulfill(status=404, content_type="application/json", body='{"detail": "not here"}')

    page.route(re.compile(r".*/api/v1/maps/[^/]+/events$"), refuse)
    open_map(page, map_id)
    expect(page.locator(".editor")).to_have_attribute("data-live", "polling")
    for _ in range(100):  # the stream is asked for once the map is drawn
        if refused:
            break
        page.wait_for_timeout(100)
    assert refused, "the page never asked for the event stream"
    added = api.post(
        f"/api/v1/maps/{map_id}/claims",
        json={"text": SUPPORT, "relation": {"kind": "support", "target_claim": thesis}},
    )
    assert added.status_code == 201, added.text
    expect(card(page, SUPPORT)).to_be_visible(timeout=10_000)
    expect(page.locator("#conflict-notice")).to_contain_text("just changed by someone else")
    assert len(refused) == 1  # it did not keep knocking


# ----- three people over the event stream -----------------------------------------------------


def test_three_people_see_each_other_and_each_others_changes_live(
    api: httpx.Client,
    people: Callable[[str], Person],
    browser_as: Callable[..., Page],
    server: Any,
) -> None:
    assert events_endpoint(server), "the server offers no event stream"
    map_id, thesis = make_map(api, "Canteen, live")
    ana, ben, cem = people("Ana Lopez"), people("Ben Okafor"), people("Cem Yilmaz")
    for person in (ana, ben, cem):
        share(api, map_id, person, "editor")
    pages = {person.display_name: browser_as(person, live=True) for person in (ana, ben, cem)}
    for page in pages.values():
        open_map(page, map_id)
        page.evaluate("window.__notReloaded = true")
    a, b, c = pages["Ana Lopez"], pages["Ben Okafor"], pages["Cem Yilmaz"]

    # Who is here.
    expect(a.locator(".presence")).to_contain_text("Ben Okafor", timeout=10_000)
    expect(a.locator(".presence")).to_contain_text("Cem Yilmaz", timeout=10_000)

    # Ben adds an objection; Ana sees it highlighted, with a quiet notice, without reloading.
    card(b, THESIS).locator(".claim-text").click()
    b.keyboard.press("o")
    objection = "Some students need more protein than the menu would offer."
    b.get_by_label(f"New objection to “{THESIS}”").fill(objection)
    b.keyboard.press("Enter")
    expect(card(b, objection)).to_be_visible()
    expect(card(a, objection)).to_have_class(re.compile(r"\bis-flash\b"), timeout=5_000)
    notice = a.locator(".toast-quiet").filter(has_text="Ben Okafor")
    expect(notice).to_contain_text("objection", timeout=5_000)
    shot(a, "live-change")
    notice.get_by_role("button", name="Show").click()
    expect(card(a, objection)).to_have_class(re.compile(r"\bis-selected\b"))
    expect(card(c, objection)).to_be_visible(timeout=5_000)
    assert b.locator(".toast-quiet").filter(has_text="Ben Okafor added").count() == 0  # own change
    assert a.evaluate("window.__notReloaded") is True

    # Ben comments on it: Ana's outline counts the comment and she is told, quietly.
    stored = api.get(f"/api/v1/maps/{map_id}").json()
    objection_id = next(c["id"] for c in stored["claims"] if c["text"] == objection)
    commented = ben.client.post(
        f"/api/v1/maps/{map_id}/comments", json={"target": objection_id, "text": "Which ones?"}
    )
    assert commented.status_code == 201, commented.text
    expect(card(a, objection).locator(".outline-comments")).to_have_text("1", timeout=5_000)
    told = a.locator(".toast-quiet").filter(has_text="Ben Okafor commented on")
    expect(told).to_contain_text("Some students need more protein")
    told.get_by_role("button", name="Show").click()
    expect(a.get_by_role("tabpanel", name="Comments").locator(".thread")).to_contain_text(
        "Which ones?"
    )

    # Ana and Cem edit the thesis at once: each sees the other is editing it.
    a_field = start_editing(a, THESIS)
    expect(card(c, THESIS).locator(".editing-marker")).to_contain_text(
        "Ana Lopez is editing", timeout=10_000
    )
    c_field = start_editing(c, THESIS)
    expect(c.locator(".form-lock")).to_contain_text("Ana Lopez is editing this claim too")
    expect(b.locator(".presence")).to_contain_text("Ana Lopez")
    shot(c, "live-soft-lock")
    cem_text = "The canteen should serve only vegetarian food on Mondays."
    c_field.fill(cem_text)
    a_field.fill("The canteen should serve vegetarian food by default.")
    c.keyboard.press("Enter")
    expect(card(c, cem_text)).to_be_visible()
    # Ana's page takes Cem's change while her form stays open with her text in it.
    expect(a.locator(".toast-quiet").filter(has_text="Cem Yilmaz")).to_be_visible(timeout=5_000)
    expect(a_field).to_have_value("The canteen should serve vegetarian food by default.")
    expect(a.locator(".form-lock")).to_contain_text(
        "Cem Yilmaz saved a change to this claim since you began"
    )
    shot(a, "live-changed-under-the-form")
    a_field.press("Enter")
    dialog = a.get_by_role("dialog", name="Merge your edit with theirs")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".merge-theirs")).to_contain_text(cem_text)
    box = dialog.get_by_label("Claim to save")
    merged = "The canteen should serve vegetarian food by default, and only vegetarian on Mondays."
    box.fill(merged)
    shot(a, "live-merge-dialog")
    dialog.get_by_role("button", name="Save merged").click()
    expect(card(a, merged)).to_be_visible()
    # Everyone ends up with the merged text; Cem's own words stay in the history.
    expect(card(b, merged)).to_be_visible(timeout=5_000)
    expect(card(c, merged)).to_have_class(re.compile(r"\bis-flash\b"), timeout=5_000)
    assert claim_text(api, map_id, thesis) == merged
    revisions = api.get(f"/api/v1/maps/{map_id}/revisions").json()["items"]
    assert [r["author"] for r in revisions[:3]] == ["Ana Lopez", "Cem Yilmaz", "Ben Okafor"]
    before_cem = api.get(f"/api/v1/maps/{map_id}/revisions/{revisions[1]['number']}").json()
    assert any(claim["text"] == cem_text for claim in before_cem["claims"])
    expect(c.locator(".editing-marker")).to_have_count(0, timeout=10_000)  # Ana is done
    for page in pages.values():
        assert page.evaluate("window.__notReloaded") is True


@pytest.fixture(scope="module")
def short_streams(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A server of its own whose event streams end after two seconds (the browser reconnects)."""
    data_dir = tmp_path_factory.mktemp("e2e-short-streams")
    with LiveServer(
        Settings(data_dir=data_dir, load_sample=False, events_stream_seconds=2)
    ) as live:
        yield live


def test_after_a_lost_connection_the_page_catches_up(
    short_streams: Any, browser_as: Callable[..., Page]
) -> None:
    assert events_endpoint(short_streams), "the server offers no event stream"
    made: list[httpx.Client] = []
    ana, ben = (
        person_on(short_streams, "Ana Lopez", made),
        person_on(short_streams, "Ben Okafor", made),
    )
    with httpx.Client(
        base_url=short_streams.url, timeout=30, headers=short_streams.admin_headers
    ) as api:
        map_id, thesis = make_map(api, "Canteen, offline")
        share(api, map_id, ana, "editor")
        share(api, map_id, ben, "editor")
    page = browser_as(ana, live=True, on=short_streams)
    open_map(page, map_id)
    editor = page.locator(".editor")
    expect(editor).to_have_attribute("data-live", "stream")
    card(page, THESIS).locator(".claim-text").click()
    page.get_by_role("tab", name="Comments").click()
    panel = page.get_by_role("tabpanel", name="Comments")
    expect(panel).to_contain_text("No comments yet.")

    # The connection drops (the server ends the stream) and cannot be made again for a while.
    events = re.compile(r".*/api/v1/maps/[^/]+/events$")
    page.route(events, lambda route: route.abort("internetdisconnected"))
    expect(editor).to_have_attribute("data-live", "reconnecting", timeout=10_000)
    # Meanwhile Ben comments and adds a claim: events this page does not get.
    commented = ben.client.post(
        f"/api/v1/maps/{map_id}/comments", json={"target": thesis, "text": "Ask the cooks."}
    )
    assert commented.status_code == 201, commented.text
    added = ben.client.post(
        f"/api/v1/maps/{map_id}/claims",
        json={"text": SUPPORT, "relation": {"kind": "support", "target_claim": thesis}},
    )
    assert added.status_code == 201, added.text
    page.unroute(events)

    expect(editor).to_have_attribute("data-live", "stream", timeout=15_000)
    expect(panel.locator(".thread")).to_contain_text("Ask the cooks.")
    expect(card(page, SUPPORT)).to_be_visible()
    expect(card(page, THESIS).locator(".outline-comments")).to_have_text("1")
    for client in made:
        client.close()
