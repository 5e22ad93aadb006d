"""Fixtures for the browser tests: the system Chromium driven by Playwright, a live server.

Playwright cannot download browsers here; the tests drive Debian's `chromium`, which the README's
test command installs. Without it they fail (they are part of the suite, not optional).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from live import LiveServer
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)

from api.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP: ViewportSize = {"width": 1440, "height": 900}


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """The system Chromium, headless."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(the README's test command installs it; or run `apt-get install -y chromium`).",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One real server on an SQLite file for the browser tests (each test makes its own maps)."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    with LiveServer(Settings(data_dir=data_dir, load_sample=False)) as live:
        yield live


@pytest.fixture
def api(server: Any) -> Iterator[httpx.Client]:
    """The admin, through the HTTP API (a second user of the same server)."""
    headers = {"Authorization": f"Bearer {server.admin_token}"}
    with httpx.Client(base_url=server.url, timeout=30, headers=headers) as client:
        yield client


@pytest.fixture
def context(browser: Browser, server: Any) -> Iterator[BrowserContext]:
    """A fresh browser profile, signed in as the admin; no polling unless a test turns it on."""
    context = browser.new_context(base_url=server.url, viewport=LAPTOP, accept_downloads=True)
    context.add_init_script(
        "if (!sessionStorage.getItem('e2e-init')) {"
        " sessionStorage.setItem('e2e-init', '1');"
        " localStorage.setItem('argmap.pollSeconds', localStorage.getItem('argmap.pollSeconds') ?? '0');"
        " }"
    )
    # Signed in as the admin, as by the login link `argmap serve` prints.
    signed_in = context.request.get(
        f"{server.url}/login?token={server.admin_token}", max_redirects=0
    )
    assert signed_in.status == 303, signed_in.text()
    context.set_default_timeout(15_000)
    yield context
    context.close()


class PageErrors:
    """JavaScript errors and dialogs seen by a page; a test fails on an uncaught error."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest.fixture
def page(context: BrowserContext, page_errors: PageErrors) -> Iterator[Page]:
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        page_errors.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    assert page_errors.errors == [], f"uncaught errors in the page: {page_errors.errors}"
