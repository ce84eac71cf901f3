"""Every page loads in a real browser, in English and in Chinese, with no traceback."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import open_page

PATHS = ["", "build", "conv", "pool", "walkthrough", "practice", "train", "lab"]


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
