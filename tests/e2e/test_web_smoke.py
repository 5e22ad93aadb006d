from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_list_loads(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Maps")).to_be_visible()
