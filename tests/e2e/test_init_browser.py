"""The Initialisation page in a real browser: the stack's histograms render and change with the
initialisation; the symmetry runs train in the background and tell the story; Chinese."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page, wait_idle

PLOT = ".js-plotly-plot .main-svg"


def test_stack_and_symmetry_story(page: Page, app_url: str) -> None:
    open_page(page, app_url, "init")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 3")
    expect(page.get_by_text("Vanishing activations.")).to_be_visible()  # small normal, tanh
    # the option, not the chart legend that names it too
    page.get_by_test_id("stHorizontalBlock").get_by_text("He / Kaiming", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Healthy.")).to_be_visible()
    page.get_by_role("button", name="Train the three runs").click()
    expect(page.get_by_text("learned different features")).to_be_visible(timeout=240_000)
    expect(page.get_by_text("every other weight and bias is still exactly 0")).to_be_visible()
    expect(page.get_by_text("are still identical")).to_be_visible()
    assert page.locator(PLOT).count() >= 9  # three charts of the stack, two filter banks per run


def test_init_page_in_chinese(page: Page, app_url: str) -> None:
    open_page(page, app_url, "init", lang="zh")
    page.wait_for_selector(PLOT)
    expect(page.get_by_text("参数初始化:训练从哪里开始").first).to_be_visible()
    expect(page.get_by_text("激活值消失。")).to_be_visible()
    expect(page.get_by_role("button", name="训练这三次")).to_be_visible()
