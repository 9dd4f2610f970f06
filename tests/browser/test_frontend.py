"""What a frontend developer sees in a real browser: cross-origin calls work in both modes, and
/docs and /redoc render every operation with nothing loaded from another host."""

import json

import pytest
from playwright.sync_api import Page, expect

from app.services.mock_data import ASSETS
from tests.browser.conftest import Traffic, screenshot
from tools.openapi import FILE

SAMPLE = "projects/demo-platformer/sprites/hero.png"  # mock mode's first asset; seeded in live
CREATED = "projects/browser-test/sprites/coin.png"
SAMPLES = len(ASSETS)
OPERATIONS = sum(len(methods) for methods in json.loads(FILE.read_text())["paths"].values())


@pytest.mark.parametrize("mode", ["mock", pytest.param("live", marks=pytest.mark.integration)])
def test_a_page_on_another_origin_creates_an_asset_and_finds_it_in_the_list(
    page: Page, frontend: str, mode: str, request: pytest.FixtureRequest
) -> None:
    api: str = request.getfixturevalue(f"{mode}_api")
    page.goto(f"{frontend}/index.html?api={api}")
    expect(page.locator("#status")).to_contain_text("found ", timeout=15_000)
    created = page.locator("li.created")
    expect(created).to_have_text(f"{CREATED} (uploaded)")
    expect(page.locator("li").first).to_have_text(f"{CREATED} (uploaded)")  # newest first
    expect(page.locator("li", has_text=SAMPLE)).to_have_count(1)
    expect(page.locator("li")).to_have_count(SAMPLES + 1)  # live is seeded: the same samples
    screenshot(page, f"frontend-{mode}")


def test_a_page_on_an_origin_not_allowed_is_refused_by_the_browser(
    page: Page, frontend: str, mock_api: str
) -> None:
    other_origin = frontend.replace("127.0.0.1", "localhost")
    page.goto(f"{other_origin}/index.html?api={mock_api}")
    expect(page.locator("#status")).to_have_text("error: TypeError: Failed to fetch")


@pytest.mark.parametrize(
    ("path", "operation"),
    [("/docs", ".opblock"), ("/redoc", "[data-section-id^='operation/']")],
)
def test_docs_render_every_operation_loading_only_from_the_app(
    page: Page, traffic: Traffic, mock_api: str, path: str, operation: str
) -> None:
    page.goto(f"{mock_api}{path}")
    expect(page.locator(operation)).to_have_count(OPERATIONS, timeout=15_000)
    screenshot(page, path.strip("/"))
    assert f"{mock_api}/openapi.json" in traffic.loaded
    assert all(url.startswith((f"{mock_api}/", f"blob:{mock_api}/")) for url in traffic.loaded)
    # ReDoc's menu shows Redocly's logo from its CDN: the page's policy stops the browser.
    assert set(traffic.refused.values()) <= {"csp"}, traffic.refused
