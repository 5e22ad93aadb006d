"""The map list in a real browser: create, search, trash and restore, import a file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from e2e_support import card, create_map_in_ui, diagram_claims, get_map, screenshot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

ARGDOWN = """===
title: Nuclear power in the energy mix
===

[Nuclear]: We should build more nuclear power plants.
  <+ [Low carbon]: Nuclear power emits almost no CO2 over its life cycle. #climate
  <- [Waste]: Nuclear waste stays dangerous for many thousands of years.
    <- [Storage]: Deep geological storage keeps the waste isolated safely.
"""


def test_create_search_trash_and_restore(page: Page, api: httpx.Client) -> None:
    title = "Should homework be abolished?"
    other = api.post("/api/v1/maps", json={"title": "Four-day school week"}).json()
    map_id = create_map_in_ui(page, title)
    assert get_map(api, map_id)["title"] == title

    page.get_by_role("link", name="All maps", exact=True).click()
    row = page.locator(".map-row", has_text=title)
    expect(row).to_be_visible()
    expect(row).to_contain_text("0 claims")
    expect(row).to_contain_text("Changed")

    # Search narrows the list (title or claim text).
    page.get_by_label("Search maps").fill("homework")
    expect(row).to_be_visible()
    expect(page.locator(".map-row", has_text="Four-day school week")).to_have_count(0)
    expect(page.locator(".list-count")).to_contain_text("matching")
    screenshot(page, "map-list-search")
    page.get_by_label("Search maps").fill("")
    expect(page.locator(".map-row", has_text="Four-day school week")).to_be_visible()

    # Move to the trash: gone from the list, listed in the trash, restorable.
    page.get_by_role("button", name=f"Move “{title}” to the trash").click()
    expect(page.locator(".map-row", has_text=title)).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Moved")).to_be_visible()
    assert api.get(f"/api/v1/maps/{map_id}").status_code == 404
    page.get_by_role("link", name="Trash").click()
    expect(page.get_by_role("heading", level=1, name="Trash")).to_be_visible()
    trashed = page.locator(".map-row", has_text=title)
    expect(trashed).to_contain_text("Deleted")
    screenshot(page, "trash")
    page.get_by_role("button", name=f"Restore “{title}”").click()
    expect(page.locator(".map-row", has_text=title)).to_have_count(0)
    assert get_map(api, map_id)["title"] == title
    page.get_by_role("link", name="Maps", exact=True).click()
    expect(page.locator(".map-row", has_text=title)).to_be_visible()
    assert get_map(api, other["id"])["title"] == "Four-day school week"


def test_import_an_argdown_file_opens_the_new_map(
    page: Page, api: httpx.Client, tmp_path: Path
) -> None:
    source = tmp_path / "nuclear.argdown"
    source.write_text(ARGDOWN, encoding="utf-8")
    page.goto("/")
    page.get_by_role("button", name="Import").click()
    dialog = page.get_by_role("dialog", name="Import a map")
    dialog.get_by_label("File").set_input_files(str(source))
    dialog.get_by_label("Format").select_option("argdown")
    screenshot(page, "import-dialog")
    dialog.get_by_role("button", name="Import").click()

    expect(
        page.get_by_role("heading", level=1, name="Nuclear power in the energy mix")
    ).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Imported")).to_be_visible()
    expect(page.locator(".claim-card")).to_have_count(4)
    expect(card(page, "We should build more nuclear power plants.")).to_have_class(
        "claim-card kind-thesis"
    )
    expect(card(page, "Deep geological storage keeps the waste isolated safely.")).to_contain_text(
        "Rebuttal"
    )
    expect(diagram_claims(page)).to_have_count(4)
    map_id = page.url.rsplit("/", 1)[-1]
    stored = get_map(api, map_id)
    assert sorted(claim["role"] for claim in stored["claims"]) == [
        "objection",
        "rebuttal",
        "support",
        "thesis",
    ]


def test_a_bad_import_file_is_reported_in_the_dialog(page: Page, tmp_path: Path) -> None:
    source = tmp_path / "broken.json"
    source.write_text('{"title": "half a map", "claims": [', encoding="utf-8")
    page.goto("/")
    page.get_by_role("button", name="Import").click()
    dialog = page.get_by_role("dialog", name="Import a map")
    dialog.get_by_label("File").set_input_files(str(source))
    dialog.get_by_label("Format").select_option("native")
    dialog.get_by_role("button", name="Import").click()
    error = dialog.get_by_role("alert")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    expect(dialog).to_be_visible()  # the dialog stays open to pick another file


def test_rename_a_map_from_its_details(page: Page, api: httpx.Client) -> None:
    map_id = create_map_in_ui(page, "Untitled debate")
    page.get_by_role("button", name="Details").click()
    dialog = page.get_by_role("dialog", name="Map details")
    expect(dialog.get_by_label("Title")).to_be_focused()
    dialog.get_by_label("Title").fill("Should voting be compulsory?")
    dialog.get_by_label("Description").fill("Seminar 4, spring term.")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Should voting be compulsory?")
    stored = get_map(api, map_id)
    assert stored["title"] == "Should voting be compulsory?"
    assert stored["description"] == "Seminar 4, spring term."
    assert page.title() == "Should voting be compulsory? · argmap"
