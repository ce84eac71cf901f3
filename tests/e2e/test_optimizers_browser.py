"""The Optimizers page in a real browser: the race renders and plays, a click on the contour moves
the start, a bad learning rate gets a message while the last race stays, and the page in Chinese."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.e2e.helpers import open_page, wait_idle

PLOT = ".js-plotly-plot .main-svg"
GRID = 41  # the click layer's markers per axis (cnnviz.viz.RACE_CLICK_GRID)


def _race_plot(page: Page) -> Locator:
    return page.locator(".js-plotly-plot").first


def _click_grid_point(page: Page, ix: int, iy: int) -> None:
    """Click marker (ix, iy) of the contour's nearly invisible click layer (its first scatter)."""
    # a fresh server's first deep link opens its page but leaves Streamlit's "Page not found"
    # dialog over it (pages.shared.session.follow_deep_link; reported): close it before clicking
    dialog = page.get_by_test_id("stDialog")
    if dialog.count():
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
    points = _race_plot(page).locator(".scatterlayer .trace.scatter").first.locator(".points path")
    assert points.count() == GRID * GRID
    points.nth(iy * GRID + ix).scroll_into_view_if_needed()  # the mouse only reaches the viewport
    box = points.nth(iy * GRID + ix).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(200)
    page.mouse.down()
    page.mouse.up()
    wait_idle(page)


def test_race_plays_and_a_click_moves_the_start(page: Page, app_url: str) -> None:
    open_page(page, app_url, "optimizers")
    page.wait_for_selector(PLOT)
    expect(page.get_by_text("Optimizers on loss surfaces").first).to_be_visible()
    expect(page.get_by_text("after 150 steps").first).to_be_visible()
    # play: the frames run in the browser and the scrub slider follows
    plot = _race_plot(page)
    plot.get_by_text("▶ play").click()
    page.wait_for_timeout(1500)
    expect(plot.locator(".slider-container")).to_be_visible()
    plot.get_by_text("⏸ pause").click()
    # the bowl spans [-2, 2]: marker (30, 30) sits at (1.0, 1.0)
    _click_grid_point(page, 30, 30)
    x0 = page.get_by_label("start x")
    expect(x0).to_have_value("1.00")
    expect(page.get_by_label("start y")).to_have_value("1.00")
    expect(page.get_by_text("after 150 steps at").first).to_be_visible()


def test_bad_learning_rate_keeps_the_last_race(page: Page, app_url: str) -> None:
    open_page(page, app_url, "optimizers")
    page.wait_for_selector(PLOT)
    box = page.get_by_label("lr of SGD", exact=True)
    box.fill("0")
    box.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("would never move")).to_be_visible()
    expect(page.get_by_text("last race whose settings were valid")).to_be_visible()
    assert page.locator(PLOT).count() >= 1
    box.fill("1e6")
    box.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("is above 100")).to_be_visible()
    box.fill("5")
    box.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("SGD (lr 5) diverged").first).to_be_visible()


def test_optimizers_page_in_chinese(page: Page, app_url: str) -> None:
    open_page(page, app_url, "optimizers", lang="zh")
    page.wait_for_selector(PLOT)
    expect(page.get_by_text("损失曲面上的优化器").first).to_be_visible()
    expect(_race_plot(page).get_by_text("▶ 播放")).to_be_visible()
    expect(page.get_by_text("把一步写出来").first).to_be_visible()
    expect(page.locator(".katex").first).to_be_visible()  # the inspector's formulas
