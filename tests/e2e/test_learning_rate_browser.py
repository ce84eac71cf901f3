"""The Learning rate page in a real browser: every schedule drawn; the range test runs in the
background to a suggested range and "Use this LR" opens the Train page with it; Chinese."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page, wait_idle

PLOT = ".js-plotly-plot .main-svg"


def test_range_test_sends_a_rate_to_the_train_page(page: Page, app_url: str) -> None:
    open_page(page, app_url, "learning-rate")
    page.wait_for_selector(PLOT)
    legend = page.locator(".js-plotly-plot").first.locator(".legendtext")
    expect(legend).to_have_count(7)  # every schedule of the Train page
    page.get_by_role("button", name="Run the range test").click()
    expect(page.get_by_text("Suggested range")).to_be_visible(timeout=180_000)
    wait_idle(page)
    use = page.get_by_role("button", name="Use this LR on the Train page")
    expect(use).to_be_visible()
    use.click()
    page.wait_for_url("**/train**")
    wait_idle(page)
    expect(page.get_by_text("Learning rate set to")).to_be_visible()
    expect(page.get_by_text("Train live").first).to_be_visible()


def test_learning_rate_page_in_chinese(page: Page, app_url: str) -> None:
    open_page(page, app_url, "learning-rate", lang="zh")
    page.wait_for_selector(PLOT)
    expect(page.get_by_text("学习率与批大小").first).to_be_visible()
    expect(page.get_by_role("button", name="运行范围测试")).to_be_visible()
    expect(page.get_by_role("button", name="测量并训练")).to_be_visible()
    expect(page.locator(".js-plotly-plot").first.get_by_text("余弦退火")).to_be_visible()
