"""People, roles and sharing in a real browser: a guest joins through a share link, a person
signs in with a password and out, a viewer is offered no changes, the owner shares a map with a
link (and its QR code) and revokes it, a session that ends mid-edit signs in again in place; and
another site can neither post to argmap with the person's cookie nor frame it."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import LAPTOP
from e2e_support import card, screenshot
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

pytestmark = pytest.mark.e2e

THESIS = "The library should open on Sundays."
SUPPORT = "Students who work on weekdays need it."
READ_ONLY = "You can read this map; ask its owner for edit access"

NewContext = Callable[[], BrowserContext]


# ----- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def admin(server: Any) -> Iterator[httpx.Client]:
    """The instance's admin through the API, by bearer token."""
    with httpx.Client(
        base_url=server.url, timeout=30, headers={"Authorization": f"Bearer {server.admin_token}"}
    ) as client:
        yield client


@pytest.fixture
def new_context(browser: Browser, server: Any) -> Iterator[NewContext]:
    """Fresh browser profiles, signed in as nobody (unlike the `context` fixture)."""
    made: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(base_url=server.url, viewport=LAPTOP)
        # In a try: frames of other sites (and sandboxed answers) may not touch the storage.
        context.add_init_script("try { localStorage.setItem('argmap.pollSeconds', '0'); } catch {}")
        context.set_default_timeout(15_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def watched(context: BrowserContext) -> tuple[Page, list[str]]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def make_map(admin: httpx.Client, title: str) -> tuple[str, str]:
    """A map of the admin's with a thesis: (map id, thesis id)."""
    created = admin.post("/api/v1/maps", json={"title": title})
    assert created.status_code == 201, created.text
    map_id = created.json()["id"]
    thesis = admin.post(f"/api/v1/maps/{map_id}/claims", json={"text": THESIS})
    assert thesis.status_code == 201, thesis.text
    return map_id, thesis.json()["claim"]["id"]


def make_user(admin: httpx.Client, display_name: str) -> tuple[str, str]:
    """An account with a password: (username, password)."""
    username = f"{display_name.split()[0].lower()}-{secrets.token_hex(3)}"
    password = f"pw-{secrets.token_hex(8)}"
    made = admin.post(
        "/api/v1/users",
        json={"username": username, "password": password, "display_name": display_name},
    )
    assert made.status_code == 201, made.text
    return username, password


def sign_in(context: BrowserContext, username: str, password: str) -> None:
    """Sign a browser profile in through the API (it shares the profile's cookies)."""
    answer = context.request.post(
        "/api/v1/auth/login", data={"username": username, "password": password}
    )
    assert answer.status == 200, answer.text()


def open_map(page: Page, map_id: str) -> None:
    page.goto(f"/#/maps/{map_id}")
    expect(page.locator(".map-stats")).to_contain_text("version")


# ----- joining, signing in and out ----------------------------------------------------------------


def test_a_guest_joins_through_a_share_link_adds_a_claim_and_is_named_in_the_history(
    admin: httpx.Client,
    new_context: NewContext,
    server: Any,
) -> None:
    map_id, _ = make_map(admin, "Sunday opening")
    link = admin.post(f"/api/v1/maps/{map_id}/links", json={"role": "editor"})
    assert link.status_code == 201, link.text
    assert link.json()["url"] == f"/join/{link.json()['token']}"

    page, errors = watched(new_context())
    page.goto(f"{server.url}{link.json()['url']}")
    expect(page.get_by_role("heading", level=1, name="Join an argument map")).to_be_visible()
    assert f"#/join/{link.json()['token']}" in page.url
    expect(
        page.locator("#account").get_by_role("link", name="Sign in")
    ).to_be_visible()  # nobody yet
    page.get_by_label("Your name").fill("Grace Hopper")
    screenshot(page, "join-page")
    page.get_by_role("button", name="Join as guest").click()

    expect(page.get_by_role("heading", level=1, name="Sunday opening")).to_be_visible()
    assert page.url.endswith(f"#/maps/{map_id}")
    expect(page.get_by_role("button", name="Your account: Grace Hopper")).to_be_visible()
    expect(page.get_by_role("button", name="Share")).to_have_count(0)  # an editor, not the owner

    card(page, THESIS).locator(".claim-text").click()
    page.keyboard.press("s")
    page.get_by_label(f"New support for “{THESIS}”").fill(SUPPORT)
    page.keyboard.press("Enter")
    expect(card(page, SUPPORT)).to_be_visible()

    page.get_by_role("button", name="History").click()
    newest = page.get_by_role("tabpanel", name="History").locator(".revision").first
    expect(newest).to_contain_text("Grace Hopper")
    expect(newest).to_contain_text(SUPPORT[:20])
    revisions = admin.get(f"/api/v1/maps/{map_id}/revisions").json()["items"]
    assert revisions[0]["author"] == "Grace Hopper"
    assert errors == []


def test_a_revoked_link_says_it_does_not_work(admin: httpx.Client, new_context: NewContext) -> None:
    map_id, _ = make_map(admin, "Revoked at once")
    link = admin.post(f"/api/v1/maps/{map_id}/links", json={"role": "viewer"}).json()
    assert admin.delete(f"/api/v1/maps/{map_id}/links/{link['id']}").status_code == 204

    page, errors = watched(new_context())
    page.goto(link["url"])
    page.get_by_label("Your name").fill("Too late")
    page.get_by_role("button", name="Join as guest").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "This link does not work: it was revoked or has expired"
    )
    assert "#/join/" in page.url
    assert errors == []


def test_sign_in_with_a_password_and_sign_out(
    admin: httpx.Client, new_context: NewContext, server: Any
) -> None:
    username, password = make_user(admin, "Lin Signer")
    page, errors = watched(new_context())

    page.goto("/login?token=not-a-token")
    expect(page.get_by_role("alert")).to_contain_text("That sign-in link does not work")
    page.goto("/login")
    assert page.url.endswith("#/login")
    heading = page.get_by_role("heading", level=1, name="Sign in to argmap")
    expect(heading).to_be_visible()
    expect(page.get_by_label("Username")).to_be_focused()

    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    screenshot(page, "login-page")

    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Maps")).to_be_visible()
    expect(page.get_by_role("button", name="Your account: Lin Signer")).to_be_visible()
    expect(page.get_by_role("button", name="New map")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(heading).to_be_visible()
    expect(page.locator("#account").get_by_role("link", name="Sign in")).to_be_visible()
    session = page.evaluate("fetch('/api/v1/auth/session').then((r) => r.json())")
    assert session["user"] is None
    page.goto("/#/")
    expect(page.get_by_role("button", name="New map")).to_have_count(0)
    assert errors == []


def test_a_guest_keeps_the_account_with_a_username_and_password(
    admin: httpx.Client,
    new_context: NewContext,
) -> None:
    map_id, _ = make_map(admin, "Keep me")
    link = admin.post(f"/api/v1/maps/{map_id}/links", json={"role": "viewer"}).json()
    context = new_context()
    page, errors = watched(context)
    page.goto(link["url"])
    page.get_by_label("Your name").fill("Kim")
    page.get_by_role("button", name="Join as guest").click()
    expect(page.get_by_role("heading", level=1, name="Keep me")).to_be_visible()

    page.get_by_role("button", name="Your account: Kim").click()
    dialog = page.get_by_role("dialog", name="Your account")
    username = f"kim-{secrets.token_hex(3)}"
    dialog.get_by_label("Display name").fill("Kim Park")
    dialog.get_by_label("Username").fill(username)
    dialog.get_by_label("Password").fill("a long enough password")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Your account: Kim Park")).to_be_visible()

    # The account can sign in again elsewhere.
    with httpx.Client(base_url=admin.base_url) as other:
        answer = other.post(
            "/api/v1/auth/login", json={"username": username, "password": "a long enough password"}
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["user"]["display_name"] == "Kim Park"
    assert errors == []


# ----- roles --------------------------------------------------------------------------------------


def test_a_viewer_is_offered_no_changes(admin: httpx.Client, new_context: NewContext) -> None:
    map_id, _ = make_map(admin, "Only to read")
    username, password = make_user(admin, "Vic Viewer")
    added = admin.put(
        f"/api/v1/maps/{map_id}/members", json={"username": username, "role": "viewer"}
    )
    assert added.status_code == 200, added.text
    context = new_context()
    sign_in(context, username, password)
    page, errors = watched(context)
    open_map(page, map_id)

    expect(page.locator("#reader-notice")).to_contain_text(READ_ONLY)
    for name in ("Details", "Share", "Move this map to the trash"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_label("Add another thesis")).to_have_count(0)
    card(page, THESIS).locator(".claim-text").click()
    expect(page.get_by_role("toolbar", name="Actions for this claim")).to_have_count(0)
    for key in ("s", "o", "e", "Delete"):
        page.keyboard.press(key)
    expect(page.locator(".composer, .claim-editor")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text=READ_ONLY)).to_have_count(1)

    page.get_by_role("button", name="History").click()
    history = page.get_by_role("tabpanel", name="History")
    expect(history.locator(".revision")).to_have_count(2)
    expect(history.get_by_role("button", name="View revision 1")).to_be_visible()
    expect(history.get_by_role("button", name="Restore revision 1")).to_have_count(0)
    history.get_by_role("button", name="View revision 1").click()
    expect(page.get_by_role("button", name="Restore this version")).to_be_hidden()
    assert admin.get(f"/api/v1/maps/{map_id}").json()["version"] == 2
    assert errors == []


def test_the_owner_shares_a_map_with_a_link_shows_its_qr_code_and_revokes_it(
    page: Page,
    admin: httpx.Client,
    server: Any,
) -> None:
    map_id, _ = make_map(admin, "Shared by link")
    open_map(page, map_id)
    page.get_by_role("button", name="Share").click()
    dialog = page.get_by_role("dialog", name="Share “Shared by link”")
    expect(dialog.get_by_role("radio", name="Private")).to_be_checked()
    expect(dialog).to_contain_text("No share links yet.")

    dialog.get_by_label("Role of the new link").select_option("editor")
    dialog.get_by_role("button", name="Create link").click()
    url_field = dialog.get_by_label("Share link for editors")
    expect(url_field).to_be_visible()
    links = admin.get(f"/api/v1/maps/{map_id}/links").json()
    assert [link["role"] for link in links] == ["editor"]
    expect(url_field).to_have_value(f"{server.url}{links[0]['url']}")
    qr = dialog.get_by_role("img", name="QR code of the editor link")
    expect(qr).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    assert qr.evaluate("(img) => img.naturalWidth") > 0

    # Visibility: anyone with the map's address can read it.
    dialog.get_by_role("radio", name="Anyone with the link").check()
    expect(dialog.get_by_role("radio", name="Anyone with the link")).to_be_checked()
    page.wait_for_timeout(300)
    screenshot(page, "share-dialog")
    sharing = admin.get(f"/api/v1/maps/{map_id}/sharing").json()
    assert sharing["visibility"] == "link"

    dialog.get_by_role("button", name="Revoke the editor link").click()
    expect(dialog).to_contain_text("No share links yet.")
    assert admin.get(f"/api/v1/maps/{map_id}/links").json() == []
    with httpx.Client(base_url=server.url) as stranger:
        assert (
            stranger.post(
                f"/api/v1/join/{links[0]['token']}", json={"display_name": "Late"}
            ).status_code
            == 404
        )
    dialog.get_by_role("button", name="Done").click()
    expect(dialog).to_be_hidden()


def test_an_ended_session_signs_in_again_in_place_and_keeps_the_draft(
    admin: httpx.Client,
    new_context: NewContext,
    server: Any,
) -> None:
    map_id, _ = make_map(admin, "Session ends")
    username, password = make_user(admin, "Eve Editor")
    admin.put(f"/api/v1/maps/{map_id}/members", json={"username": username, "role": "editor"})
    context = new_context()
    sign_in(context, username, password)
    page, errors = watched(context)
    open_map(page, map_id)
    card(page, THESIS).locator(".claim-text").click()
    page.keyboard.press("s")
    field = page.get_by_label(f"New support for “{THESIS}”")
    field.fill(SUPPORT)

    # Elsewhere the person changes the password: every other session of theirs ends.
    with httpx.Client(base_url=server.url) as elsewhere:
        answer = elsewhere.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        csrf = answer.json()["csrf_token"]
        changed = elsewhere.patch(
            "/api/v1/auth/me",
            headers={"X-CSRF-Token": csrf},
            json={"password": "the new password", "current_password": password},
        )
        assert changed.status_code == 200, changed.text

    field.press("Enter")
    dialog = page.get_by_role("dialog", name="Your session has ended")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Username")).to_have_value(username)
    dialog.get_by_label("Password").fill("the new password")
    dialog.get_by_role("button", name="Sign in and carry on").click()
    expect(dialog).to_be_hidden()
    expect(card(page, SUPPORT)).to_be_visible()
    texts = [c["text"] for c in admin.get(f"/api/v1/maps/{map_id}").json()["claims"]]
    assert texts.count(SUPPORT) == 1
    assert errors == []


# ----- another site -------------------------------------------------------------------------------


@pytest.fixture
def other_site(tmp_path: Path) -> Iterator[Callable[[str, str], str]]:
    """A second web server on another port: `put(name, html)` serves a page, returns its URL."""
    handler = partial(_QuietHandler, directory=str(tmp_path))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    port = httpd.server_address[1]

    def put(name: str, html: str, host: str = "localhost") -> str:
        (tmp_path / name).write_text(html, encoding="utf-8")
        return f"http://{host}:{port}/{name}"

    yield put  # type: ignore[misc]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


FORMS = """<!doctype html><html><body>
<iframe name="one"></iframe><iframe name="two"></iframe>
<form id="import" method="POST" enctype="text/plain" target="one" action="{argmap}/api/v1/maps/import">
  <input name='{{"title": "Planted by another site", "claims": [], "x": "' value='"}}'>
</form>
<form id="restore" method="POST" enctype="text/plain" target="two"
      action="{argmap}/api/v1/maps/{map_id}/revisions/1/restore">
  <input name="a" value="b">
</form>
<script>document.getElementById("import").submit(); document.getElementById("restore").submit();</script>
</body></html>"""


@pytest.mark.parametrize(
    "host", ["localhost", "127.0.0.1"], ids=["cross-site", "same-site-other-port"]
)
def test_another_site_cannot_post_with_the_session_cookie(
    admin: httpx.Client,
    new_context: NewContext,
    server: Any,
    other_site: Callable[..., str],
    host: str,
) -> None:
    map_id, _ = make_map(admin, "Not to be restored")
    before_total = admin.get("/api/v1/maps", params={"limit": 1}).json()["total"]
    page, errors = watched(new_context())
    page.goto(f"/login?token={server.admin_token}")  # the profile is signed in to argmap
    expect(page.get_by_role("button", name="New map")).to_be_visible()

    answers: list[Response] = []
    page.on(
        "response",
        # Only the forms' posts: the map list's own GET may still be answering.
        lambda r: (
            answers.append(r)
            if r.url.startswith(server.url + "/api/") and r.request.method == "POST"
            else None
        ),
    )
    page.goto(other_site("forms.html", FORMS.format(argmap=server.url, map_id=map_id), host))
    for _ in range(100):  # both forms answered, within 10 s
        if len(answers) >= 2:
            break
        page.wait_for_timeout(100)
    assert sorted(r.url.rsplit("/", 1)[-1] for r in answers) == ["import", "restore"]
    assert all(r.status == 403 for r in answers), [(r.url, r.status) for r in answers]

    assert admin.get("/api/v1/maps", params={"limit": 1}).json()["total"] == before_total
    stored = admin.get(f"/api/v1/maps/{map_id}").json()
    assert stored["version"] == 2
    assert [c["text"] for c in stored["claims"]] == [THESIS]
    assert errors == []


def test_another_site_cannot_frame_the_app(
    browser: Browser, server: Any, other_site: Callable[..., str]
) -> None:
    # A profile without init scripts: theirs would run in the frame, where storage is refused.
    context = browser.new_context(viewport=LAPTOP)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/#/")
        expect(page.locator(".app-bar")).to_be_visible()
        frame_page = other_site(
            "frame.html",
            f'<!doctype html><iframe src="{server.url}/" width="800" height="600"></iframe>',
        )
        page.goto(frame_page)
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        frames = [frame for frame in page.frames if frame != page.main_frame]
        assert len(frames) == 1
        # Refused by frame-ancestors / X-Frame-Options: Chromium shows its error page in the frame.
        assert frames[0].locator(".app-bar").count() == 0, frames[0].url
        assert frames[0].get_by_role("link", name="argmap home").count() == 0
    finally:
        context.close()
