"""Real-browser tests of the stepper pages: stepping, clicking an output cell, Chinese, plots."""

from __future__ import annotations

from tests.e2e.helpers import open_page, wait_idle

PLOT = ".js-plotly-plot .main-svg"


def _written_sum(page: object) -> str:
    return page.locator("[data-testid='stCode']").first.inner_text()  # type: ignore[attr-defined]


def _click_output_cell(page: object, index: int, cells: int) -> None:
    """Click output cell ``index`` (row-major) on the transparent marker layer of the first plot."""
    points = page.locator(".js-plotly-plot").first.locator(
        ".scatterlayer .trace.scatter .points path"
    )  # type: ignore[attr-defined]
    assert points.count() >= cells
    box = points.nth(points.count() - cells + index).bounding_box()
    # plotly picks the point under the pointer on hover, then selects it on click
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # type: ignore[attr-defined]
    page.wait_for_timeout(200)  # type: ignore[attr-defined]
    page.mouse.down()  # type: ignore[attr-defined]
    page.mouse.up()  # type: ignore[attr-defined]
    wait_idle(page)


def test_next_changes_the_written_sum(page: object, app_url: str) -> None:
    open_page(page, app_url, "conv")
    page.wait_for_selector(PLOT)  # type: ignore[attr-defined]
    first = _written_sum(page)
    assert first.endswith("= -3")
    page.get_by_role("button", name="Next ▶").click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.wait_for_function(  # type: ignore[attr-defined]
        "t => document.querySelector(\"[data-testid='stCode']\").innerText.trim() !== t", arg=first
    )
    assert _written_sum(page).endswith("= -4")


def test_clicking_an_output_cell_jumps_there(page: object, app_url: str) -> None:
    open_page(page, app_url, "conv")
    page.wait_for_selector(PLOT)  # type: ignore[attr-defined]
    _click_output_cell(page, 2 * 5 + 3, 25)  # cell (2, 3) of the 5x5 output
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelector(\"[data-testid='stCode']\").innerText.trim().endsWith('= 6')"
    )
    assert _written_sum(page).startswith("3×1 + 2×0 + 1×(-1)")
    slider = page.locator("[data-testid='stSlider']").first  # type: ignore[attr-defined]
    assert "(2, 3)" in slider.inner_text()
    # the same cell can be clicked again after moving away
    page.get_by_role("button", name="Next ▶").click()  # type: ignore[attr-defined]
    wait_idle(page)
    _click_output_cell(page, 2 * 5 + 3, 25)
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelector(\"[data-testid='stCode']\").innerText.trim().endsWith('= 6')"
    )


def test_chinese_ui_renders(page: object, app_url: str) -> None:
    open_page(page, app_url, "conv", lang="zh")
    page.wait_for_selector(PLOT)  # type: ignore[attr-defined]
    assert "卷积" in page.locator("h1").first.inner_text()  # type: ignore[attr-defined]
    page.get_by_role("button", name="下一步 ▶").wait_for()  # type: ignore[attr-defined]
    assert page.locator(".js-plotly-plot").first.get_by_text("▶ 播放").count() == 1  # type: ignore[attr-defined]
    assert page.get_by_text("填充后的输入").count() >= 1  # type: ignore[attr-defined]


def test_pool_page_steps_and_shows_the_autograd_badge(page: object, app_url: str) -> None:
    open_page(page, app_url, "pool")
    page.wait_for_selector(PLOT)  # type: ignore[attr-defined]
    # stepper, backward, comparison grids: plotly draws them one after another
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 4")  # type: ignore[attr-defined]
    page.get_by_text("matches PyTorch autograd").first.wait_for()  # type: ignore[attr-defined]
    first = _written_sum(page)
    assert first.startswith("max(")
    page.get_by_role("button", name="Next ▶").click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.wait_for_function(  # type: ignore[attr-defined]
        "t => document.querySelector(\"[data-testid='stCode']\").innerText.trim() !== t", arg=first
    )


def test_walkthrough_renders_every_stage(page: object, app_url: str) -> None:
    open_page(page, app_url, "walkthrough")
    page.wait_for_selector(PLOT)  # type: ignore[attr-defined]
    page.get_by_role("tab", name="6 · Softmax ⚠").click()  # type: ignore[attr-defined]
    page.get_by_text("one is negative").first.wait_for()  # type: ignore[attr-defined]
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 10")  # type: ignore[attr-defined]


def test_practice_checks_an_answer_and_draws_the_positions(page: object, app_url: str) -> None:
    open_page(page, app_url, "practice")
    page.get_by_text("Pick padding & stride").click()  # type: ignore[attr-defined]
    wait_idle(page)
    # exercise 0: a 16x16 input, a 5x5 kernel, target 6x6; padding 2 and stride 3 also work
    page.get_by_label("Padding", exact=True).fill("2")  # type: ignore[attr-defined]
    page.get_by_label("Stride", exact=True).fill("3")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Check").click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.get_by_text("Correct!").wait_for()  # type: ignore[attr-defined]
    page.wait_for_selector(PLOT)  # type: ignore[attr-defined]
    assert "6 window positions" in page.locator(".js-plotly-plot").first.inner_text()  # type: ignore[attr-defined]
