"""Real-browser tests of the stepper pages: stepping, clicking an output cell, Chinese, plots."""

from __future__ import annotations

import re

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
    # stepper and comparison grids: plotly draws them one after another
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 3")  # type: ignore[attr-defined]
    # the pooled value written out beside the stepper (the output-size formula is code too)
    pooled = page.locator("[data-testid='stCode']").filter(has_text="max(").first  # type: ignore[attr-defined]
    pooled.wait_for()
    first = pooled.inner_text().strip()
    page.get_by_role("button", name="Next ▶").click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.wait_for_function(  # type: ignore[attr-defined]
        """t => [...document.querySelectorAll("[data-testid='stCode']")]
            .some(c => c.innerText.trim().startsWith('max(') && c.innerText.trim() !== t)""",
        arg=first,
    )
    # the same step control switched to the backward pass: the row and autograd's verdict
    page.locator(".st-key-pool_pass button").last.click()  # type: ignore[attr-defined]
    wait_idle(page)
    page.get_by_text("matches PyTorch autograd").first.wait_for()  # type: ignore[attr-defined]


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


def _figure_texts(page: object) -> list[str]:
    """The texts plotly drew in the first stepper figure (sums under the grids, cell numbers)."""
    plot = page.locator(".js-plotly-plot").first  # type: ignore[attr-defined]
    return plot.locator("text").all_text_contents()


def _output_sum(page: object) -> str:
    """The written total under the output grid, e.g. ``(2, 3) = 6``."""
    texts = [t for t in _figure_texts(page) if t.startswith("(") and ") = " in t]
    return texts[-1] if texts else ""


def _play_moves_the_sum(page: object) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # type: ignore[attr-defined]
    before = _output_sum(page)
    assert before, _figure_texts(page)
    plot = page.locator(".js-plotly-plot").first  # type: ignore[attr-defined]
    plot.get_by_text("▶ fast").click()
    page.wait_for_function(  # type: ignore[attr-defined]
        """t => [...document.querySelector('.js-plotly-plot').querySelectorAll('text')]
              .map(e => e.textContent).some(s => s.startsWith('(') && s.includes(') = ')
                                                  && s !== t)""",
        arg=before,
        timeout=15_000,
    )
    assert not errors, errors


def test_play_runs_the_frames_in_the_browser(page: object, app_url: str) -> None:
    """Issue 9, item 24: the compact frames (only what changes, numbers sent once) still play."""
    open_page(page, app_url, "conv")
    page.wait_for_selector(PLOT)  # type: ignore[attr-defined]
    _play_moves_the_sum(page)
    # paused, the frame on screen is complete (a loaded machine may be mid-way through drawing one)
    page.locator(".js-plotly-plot").first.get_by_text("⏸ pause").click()  # type: ignore[attr-defined]
    page.wait_for_timeout(600)  # type: ignore[attr-defined]
    # the grids still write their numbers, from the values sent once (Z_TEXT), exactly as
    # format_number writes them: ASCII minus, no SI suffix ("12μ"), no trailing zeros
    texts = _figure_texts(page)
    assert not [t for t in texts if "\u2212" in t or re.fullmatch(r"-?[\d.]+[μmnkM]", t)]
    numbers = [t for t in texts if re.fullmatch(r"-?\d+(\.\d*[1-9])?", t)]
    assert len(numbers) >= 49 + 9 + 9 + 25, texts  # padded input, kernel, products, output cells


def test_a_3x32x32_input_plays_and_stays_clickable(page: object, app_url: str) -> None:
    """The issue's case: 3 channels of 32x32 (padding drawn as filled regions, output colours
    as bytes, output values in the click layer) renders, plays and answers a click."""
    open_page(page, app_url, "conv")
    sidebar = page.locator("[data-testid='stSidebar']")  # type: ignore[attr-defined]
    sidebar.get_by_label("Input values").click()
    page.get_by_role("option", name="A handwritten-style digit").click()  # type: ignore[attr-defined]
    wait_idle(page)
    for label, value in (("Height", "32"), ("Width", "32"), ("Channels", "3")):
        field = sidebar.get_by_label(label, exact=True)
        field.fill(value)
        field.press("Enter")
        wait_idle(page)
    page.wait_for_selector(PLOT)  # type: ignore[attr-defined]
    assert page.get_by_text("channel 2").count() >= 1  # type: ignore[attr-defined]
    _play_moves_the_sum(page)
    plot = page.locator(".js-plotly-plot").first  # type: ignore[attr-defined]
    plot.get_by_text("⏸ pause").click()
    _click_output_cell(page, 4 * 32 + 9, 32 * 32)  # cell (4, 9)
    slider = page.locator("[data-testid='stSlider']").first  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll(\"[data-testid='stSlider']\")]"
        ".some(e => e.innerText.includes('(4, 9)'))"
    )
    assert "(4, 9)" in slider.inner_text()
