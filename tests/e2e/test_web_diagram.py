"""The diagram beside the outline: selection both ways, options, export downloads."""

from __future__ import annotations

import re

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


# -- issue 14: full screen, readable start, keyboard, double-click, tabs, comment badges ---------


def import_sample(api: httpx.Client) -> str:
    from maps.samples import sample_path

    response = api.post(
        "/api/v1/maps/import?filename=for_workers_power.yaml",
        content=sample_path().read_bytes(),
    )
    assert response.status_code == 201, response.text
    map_id: str = response.json()["map"]["id"]
    return map_id


def zoom_percent(page: Page) -> int:
    return int(page.locator(".zoom-level").inner_text().rstrip("%"))


def test_full_screen_diagram_opens_readable_and_follows_the_selection(
    page: Page, api: httpx.Client
) -> None:
    map_id = import_sample(api)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"/#/maps/{map_id}")
    expect(diagram_claims(page)).to_have_count(65)
    expect(page.locator(".diagram-canvas g[id^='claim-'] > title").first).to_contain_text(
        "Direct workers' management"
    )
    page.get_by_role("button", name="Full screen").click()
    panel = page.locator(".diagram-panel")
    expect(panel).to_have_class(lambda_has("is-fullscreen"))
    box = panel.bounding_box()
    assert box is not None
    assert box["width"] >= 1900
    assert box["height"] >= 1000
    page.get_by_role("button", name="Fit the diagram to the panel").click()
    # The whole sample on a 1920 x 1080 screen, its claim text at 7 px or more.
    sizes = page.evaluate(
        """() => {
          const svg = document.querySelector('.diagram-canvas svg');
          const perUnit = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return [...svg.querySelectorAll('g[id^="claim-"] text')]
            .filter((t) => t.textContent.trim())
            .map((t) => parseFloat(t.getAttribute('font-size')) * perUnit);
        }"""
    )
    assert min(sizes) >= 7
    screenshot(page, "diagram-overview-full-screen")
    page.get_by_role("button", name="Exit full screen").click()
    expect(panel).not_to_have_class(lambda_has("is-fullscreen"))

    # A fresh open of a big map starts at a readable zoom, centred on the selection.
    page.reload()
    expect(diagram_claims(page)).to_have_count(65)
    assert zoom_percent(page) >= 70
    target = page.locator('.diagram-canvas g[id="claim-s-consumer-cooperatives"]')
    card(page, "The consumer cooperatives grew").locator(".claim-text").click()
    expect(target).to_have_class(lambda_has("is-selected"))
    page.wait_for_timeout(400)  # the glide to the selection
    viewport = page.locator(".diagram-viewport").bounding_box()
    claim = target.bounding_box()
    assert viewport is not None
    assert claim is not None
    assert viewport["x"] <= claim["x"] <= viewport["x"] + viewport["width"] - claim["width"]
    assert viewport["y"] <= claim["y"] <= viewport["y"] + viewport["height"] - claim["height"]


def test_claims_in_the_diagram_are_reached_by_keyboard_and_edited_by_double_click(
    page: Page, api: httpx.Client
) -> None:
    ids = make_debate(api)
    api.patch(f"/api/v1/maps/{ids['map']}/claims/{ids['thesis']}", json={"title": "Car-free"})
    page.goto(f"/#/maps/{ids['map']}")
    expect(diagram_claims(page)).to_have_count(4)
    thesis = page.locator(f'.diagram-canvas g[id="claim-{ids["thesis"]}"]')
    expect(thesis).to_have_attribute("tabindex", "0")
    expect(thesis).to_have_attribute("aria-label", re.compile("^Car-free: "))
    thesis.focus()
    page.keyboard.press("Enter")
    expect(card(page, THESIS)).to_have_attribute("aria-current", "true")

    page.locator(f'.diagram-canvas g[id="claim-{ids["support"]}"]').dblclick()
    editor = page.locator("form.claim-editor")
    expect(editor).to_be_visible()
    editor.get_by_label("Title").fill("Fewer cars, cleaner air")
    editor.get_by_role("button", name="Save").click()
    expect(editor).to_have_count(0)
    support = page.locator(f'.diagram-canvas g[id="claim-{ids["support"]}"]')
    expect(support.locator("text").first).to_contain_text("Fewer cars")


def test_below_900_px_the_outline_and_the_diagram_are_tabs(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api)
    page.set_viewport_size({"width": 768, "height": 1000})
    page.goto(f"/#/maps/{ids['map']}")
    tabs = page.get_by_role("tablist", name="Outline or diagram")
    expect(tabs).to_be_visible()
    expect(page.locator(".outline-pane")).to_be_visible()
    expect(page.locator(".side-pane")).to_be_hidden()
    tabs.get_by_role("tab", name="Diagram").click()
    expect(page.locator(".outline-pane")).to_be_hidden()
    expect(diagram_claims(page).first).to_be_visible()
    side = page.locator(".side-pane").bounding_box()
    assert side is not None
    assert side["y"] < 400  # near the top, not below the whole outline
    # A small map fills the panel.
    svg = page.locator(".diagram-canvas svg").bounding_box()
    stage = page.locator(".diagram-viewport").bounding_box()
    assert svg is not None
    assert stage is not None
    assert svg["width"] >= 0.6 * stage["width"] or svg["height"] >= 0.6 * stage["height"]
    screenshot(page, "diagram-narrow-tabs")
    page.locator(f'.diagram-canvas g[id="claim-{ids["objection"]}"]').dblclick()
    expect(page.locator(".outline-pane")).to_be_visible()
    expect(page.locator("form.claim-editor")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(tabs).to_be_hidden()
    expect(page.locator(".side-pane")).to_be_visible()


def test_claims_with_open_comment_threads_get_a_badge(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api)
    for text in ("Is this so?", "Source?"):
        made = api.post(
            f"/api/v1/maps/{ids['map']}/comments", json={"target": ids["support"], "text": text}
        )
        assert made.status_code == 201, made.text
    resolved = api.post(
        f"/api/v1/maps/{ids['map']}/comments", json={"target": ids["thesis"], "text": "Done."}
    ).json()
    api.patch(f"/api/v1/maps/{ids['map']}/comments/{resolved['id']}", json={"resolved": True})
    page.goto(f"/#/maps/{ids['map']}")
    badge = page.locator(f'.diagram-canvas g[id="claim-{ids["support"]}"] .comment-badge')
    expect(badge).to_have_text("2")
    expect(page.locator(".diagram-canvas .comment-badge")).to_have_count(1)


def test_export_offers_the_handout_and_paged_pdfs(page: Page, api: httpx.Client) -> None:
    ids = make_debate(api, title="Print me")
    page.goto(f"/#/maps/{ids['map']}")
    expect(diagram_claims(page)).to_have_count(4)
    for name in ("Handout: diagram, outline, verdicts, sources", "Diagram, one page per thesis"):
        page.get_by_text("Export", exact=True).click()
        with page.expect_download() as download:
            page.get_by_role("link", name=name).click()
        body = download.value.path().read_bytes()
        assert body.startswith(b"%PDF-")
        assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_text("Export", exact=True).click()
    screenshot(page, "export-menu-print")
