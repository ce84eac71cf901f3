"""Every page loads in a real browser, in English and in Chinese, with no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import open_page, wait_idle

ROOT = Path(__file__).parents[2]

PATHS = [
    "",
    "build",
    "conv",
    "pool",
    "walkthrough",
    "practice",
    "train",
    "lab",
    "beyond",
    "prune",
    "activations",
    "losses",
    "regularize",
    "inside",
    "optimizers",
    "learning-rate",
    "init",
    "sources",
    "lessons",
    "lesson",
    "class",
]


def test_every_registered_page_is_visited() -> None:
    """A page added to app.py is opened here too (the operator page needs its secret)."""
    registered = set(re.findall(r'url_path="([a-z-]+)"', (ROOT / "app.py").read_text("utf-8")))
    assert registered - {"admin"} == set(PATHS) - {""}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_loads_without_traceback(page, app_url: str, lang: str) -> None:
    for path in PATHS:
        open_page(page, app_url, path, lang=lang)
        assert page.locator("[data-testid='stException']").count() == 0, path
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Traceback" not in body, path
        assert len(body.strip()) > 20, f"{path} is empty"
        assert page.get_by_text("Page not found").count() == 0, path
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert ("计算设备" if lang == "zh" else "Compute device") in sidebar
    assert "CPU" in sidebar or "CUDA" in sidebar or "MPS" in sidebar


def test_language_switch_in_the_sidebar(page, app_url: str) -> None:
    open_page(page, app_url, "", lang="en")
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="简体中文").click()
    page.wait_for_timeout(500)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "计算设备" in sidebar
    assert "搭建 CNN" in sidebar


def test_the_home_page_is_the_first_request_of_a_fresh_server(
    browser: object, tmp_path: Path
) -> None:
    """A teacher starts the server and opens it: the first run switches to the router while the
    shared session module is being imported, and must not leave it half-defined (it once did:
    an ImportError box, the legacy page list, and every link "not found" until a reload)."""
    from tests.e2e.conftest import streamlit_server

    with streamlit_server(tmp_path) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 720})  # type: ignore[attr-defined]
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            page.goto(f"{url}/?lang=en")
            page.wait_for_selector("[data-testid='stApp']")
            wait_idle(page)
            expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Build a CNN")
            assert page.locator("[data-testid='stException']").count() == 0
            page.goto(f"{url}/conv?lang=en")
            wait_idle(page)
            expect(page.locator("h1").first).to_contain_text("Convolution")
            assert page.get_by_text("Page not found").count() == 0
        finally:
            context.close()


def test_a_deep_link_is_the_first_request_of_a_fresh_server(
    browser: object, tmp_path: Path
) -> None:
    """The very first request a new server gets is a link into a page, in Chinese: it opens that
    page (not the home page), through the router, with its query parameters kept."""
    from tests.e2e.conftest import streamlit_server

    with streamlit_server(tmp_path) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            page.goto(f"{url}/lab?lang=zh")
            page.wait_for_selector("[data-testid='stApp']")
            wait_idle(page)
            expect(page.get_by_role("heading", name="过拟合实验室")).to_be_visible()
            assert "/lab" in page.url and "lang=zh" in page.url
            expect(page.locator("[data-testid='stSidebar']")).to_contain_text("语言")
        finally:
            context.close()
