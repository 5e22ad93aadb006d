"""The diagram beside the outline: selection both ways, options, export downloads."""

from __future__ import annotations

import httpx
import pytest
from defusedxml import ElementTree  # type: ignore[import-untyped]
from e2e_support import card, diagram_claims, screenshot
from playwright.sync_api import Page, expect
from test_web_outline import OBJECTION, REBUTTAL, SUPPORT, THESIS, make_debate

pytestmark = pytest.mark.e2e


def test_clicking_a_claim_in_the_diagram_selects_it_in_the_outline(
    page: Page, api: httpx.Client
) -> None:
    ids = make_debate(api)
    page.goto(f"/#/maps/{ids['map']}")
    expect(diagram_claims(page)).to_have_count(4)
    page.locator(f'.diagram-canvas g[id="claim-{ids["objection"]}"]').click()
    selected = card(page, OBJECTION)
    expect(selected).to_have_attribute("aria-current", "true")
    expect(page.locator('.claim-card[aria-current="true"]')).to_have_count(1)
    expect(page.locator(f'.diagram-canvas g[id="claim-{ids["objection"]}"]')).to_have_class(
        lambda_has("is-selected")
    )

    # And the other way round: selecting in the outline highlights the diagram's box.
    card(page, REBUTTAL).locator(".claim-text").click()
    expect(page.locator(f'.diagram-canvas g[id="claim-{ids["rebuttal"]}"]')).to_have_class(
        lambda_has("is-selected")
    )
    expect(page.locator(".diagram-canvas g.is-selected")).to_have_count(1)
    page.keyboard.press("ArrowUp")
    expect(card(page, OBJECTION)).to_be_focused()
    expect(page.locator(f'.diagram-canvas g[id="claim-{ids["objection"]}"]')).to_have_class(
        lambda_has("is-selected")
    )
    screenshot(page, "diagram-selection")


def test_diagram_options_focus_and_zoom(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api)
    page.goto(f"/#/maps/{ids['map']}")
    expect(diagram_claims(page)).to_have_count(4)
    with page.expect_response(lambda r: "direction=LR" in r.url and r.status == 200):
        page.get_by_label("Direction").select_option("LR")
    expect(diagram_claims(page)).to_have_count(4)

    # Focus on the support with depth 1: the support and the thesis it supports.
    card(page, SUPPORT).locator(".claim-text").click()
    page.get_by_label("Focus on selection").check()
    page.get_by_label("Depth").fill("1")
    page.get_by_label("Depth").press("Tab")
    expect(diagram_claims(page)).to_have_count(2)
    page.get_by_label("Focus on selection").uncheck()
    expect(diagram_claims(page)).to_have_count(4)

    zoom = page.locator(".zoom-level")
    before = zoom.inner_text()
    page.get_by_role("button", name="Zoom in").click()
    expect(zoom).not_to_have_text(before)
    page.get_by_label("Direction").select_option("TB")
    expect(diagram_claims(page)).to_have_count(4)


def test_export_svg_and_pdf_downloads(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api, title="Export me")
    page.goto(f"/#/maps/{ids['map']}")
    expect(diagram_claims(page)).to_have_count(4)
    page.get_by_text("Export", exact=True).click()
    screenshot(page, "export-menu")
    with page.expect_download() as svg_download:
        page.get_by_role("link", name="SVG image").click()
    svg_bytes = svg_download.value.path().read_bytes()
    assert svg_bytes.lstrip().startswith((b"<?xml", b"<svg")), svg_bytes[:80]
    svg = ElementTree.fromstring(svg_bytes)
    claim_ids = {
        g.get("id")
        for g in svg.iter("{http://www.w3.org/2000/svg}g")
        if (g.get("id") or "").startswith("claim-")
    }
    assert claim_ids == {
        f"claim-{ids[name]}" for name in ("thesis", "support", "objection", "rebuttal")
    }
    assert svg_download.value.suggested_filename.endswith(".svg")

    page.get_by_text("Export", exact=True).click()
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF document").click()
    assert pdf_download.value.path().read_bytes().startswith(b"%PDF-")
    assert pdf_download.value.suggested_filename.endswith(".pdf")

    page.get_by_text("Export", exact=True).click()
    with page.expect_download() as png_download:
        page.get_by_role("link", name="PNG image").click()
    assert png_download.value.path().read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    page.get_by_text("Export", exact=True).click()
    with page.expect_download() as argdown_download:
        page.get_by_role("link", name="Argdown").click()
    argdown = argdown_download.value.path().read_text(encoding="utf-8")
    for text in (THESIS, SUPPORT, OBJECTION, REBUTTAL):
        assert text in argdown


def lambda_has(name: str):  # type: ignore[no-untyped-def]
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def test_status_colours_in_the_diagram_and_the_outline(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api, title="Which claims stand")
    page.goto(f"/#/maps/{ids['map']}")
    expect(diagram_claims(page)).to_have_count(4)
    with page.expect_response(lambda r: "status=true" in r.url and "diagram.svg" in r.url):
        page.get_by_label("Status colours").check()
    # The rebuttal defeats the objection, so the thesis stands.
    objection = page.locator(f'.diagram-canvas g[id="claim-{ids["objection"]}"]')
    expect(objection).to_have_class(lambda_has("status-out"))
    expect(page.locator(f'.diagram-canvas g[id="claim-{ids["thesis"]}"]')).to_have_class(
        lambda_has("status-in")
    )
    # The outline says the same in words, with the reason on the selected claim.
    expect(card(page, OBJECTION).locator(".status-badge")).to_contain_text("Defeated")
    expect(card(page, THESIS).locator(".status-badge")).to_contain_text("Stands")
    card(page, OBJECTION).locator(".claim-text").click()
    expect(card(page, OBJECTION).locator(".claim-why")).to_contain_text(REBUTTAL[:20])
    screenshot(page, "diagram-status-colours")
    page.get_by_label("Status colours").uncheck()
    expect(page.locator(".status-badge")).to_have_count(0)
