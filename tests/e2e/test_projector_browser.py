"""Every page on a classroom projector: 1280x720 at 125% zoom, a 1024x576 CSS viewport, the sidebar
collapsed as a teacher does. For each page, in English and Chinese: its key figure and the control
that drives it lie inside the viewport together (no scrolling), no number, label, title or button
text is cut, and every chart text is at least 14 px. A screenshot of each page is kept in
``$CNNVIZ_SCREENSHOTS`` (default /tmp/cnnviz-projector). The Train page has its own projector test.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import (
    clipped_texts,
    collapse_sidebar,
    in_viewport,
    open_page,
    projector_page,
    small_chart_fonts,
    wait_for_charts,
    wait_idle,
)

SHOTS = Path(os.environ.get("CNNVIZ_SCREENSHOTS", "/tmp/cnnviz-projector"))
LANGS = ["en", "zh"]


def _key(key: str) -> str:
    """The element Streamlit drew with ``key`` (its container carries the class st-key-<key>)."""
    return f".st-key-{key}"


#: path -> (what must be on the screen together: the key figure first, then its controls)
PAGES: dict[str, tuple[str, ...]] = {
    "": ("[data-testid='stMain'] ol", "[data-testid='stMain'] h1"),
    "build": (_key("build_diagram"), _key("build_preset"), "[data-testid='stBaseButton-primary']"),
    "sources": ("[data-testid='stMain'] h3", "[data-testid='stMain'] h1"),
    "conv": (
        _key("conv_figure"),
        _key("conv_next"),
        _key("conv_prev"),
        "[data-testid='stMain'] [data-testid='stCode']",  # the written sum, beside the grid
    ),
    "pool": (
        _key("pool_figure"),
        _key("pool_next"),
        _key("pool_pass"),
        "[data-testid='stMain'] [data-testid='stCode']",
    ),
    "walkthrough": (_key("walk_padded1"), "[data-testid='stMain'] [role='tablist']"),
    "practice": (
        "[data-testid='stMain'] [data-testid='stForm']",
        _key("practice_new"),
        _key("practice_kind"),
    ),
    "lab": ("[data-testid='stMain'] [role='tablist']", _key("lab_run_panel")),
}


#: Pages added after the projector issue: their title on screen, nothing cut, chart text >= 14 px.
LATER_PAGES: tuple[str, ...] = (
    "activations",
    "losses",
    "regularize",
    "optimizers",
    "learning-rate",
    "init",
    "inside",
    "prune",
    "beyond",
    "lessons",
    "lesson",
    "class",
)


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _check_screen(page: Any, selectors: tuple[str, ...], name: str) -> None:
    """Everything in ``selectors`` on the screen, nothing cut, every chart text >= 14 px."""
    page.evaluate("() => window.scrollTo(0, 0)")
    _shot(page, name)
    off = [s for s in selectors if not in_viewport(page, page.locator(s).first)]
    assert not off, f"{name}: not on the 1024x576 screen: {off}"
    assert clipped_texts(page) == [], name
    assert small_chart_fonts(page) == [], name


@pytest.fixture(scope="module")
def projector(browser: Any) -> Any:
    with projector_page(browser) as page:
        yield page


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", list(PAGES))
def test_key_figure_and_control_fit_the_projector(
    projector: Any, app_url: str, path: str, lang: str
) -> None:
    open_page(projector, app_url, path, lang)
    collapse_sidebar(projector)
    if PAGES[path][0].startswith(".st-key-") and path not in ("practice",):
        wait_for_charts(projector)
    _check_screen(projector, PAGES[path], f"{path or 'home'}-{lang}")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", LATER_PAGES)
def test_later_pages_fit_the_projector(projector: Any, app_url: str, path: str, lang: str) -> None:
    open_page(projector, app_url, path, lang)
    collapse_sidebar(projector)
    if projector.locator("[data-testid='stMain'] .stPlotlyChart").count():
        wait_for_charts(projector)
    _check_screen(projector, ("[data-testid='stMain'] h1",), f"{path}-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_pool_backward_row_fits_with_the_same_step_control(
    projector: Any, app_url: str, lang: str
) -> None:
    open_page(projector, app_url, "pool", lang)
    collapse_sidebar(projector)
    projector.locator(_key("pool_pass")).locator("button").last.click()  # Backward
    wait_idle(projector)
    projector.wait_for_selector(f"{_key('pool_backward')} .main-svg")
    _check_screen(projector, (_key("pool_backward"), _key("pool_next")), f"pool-backward-{lang}")
    projector.locator(_key("pool_next")).locator("button").click()  # the same control steps it
    wait_idle(projector)
    _check_screen(projector, (_key("pool_backward"),), f"pool-backward-next-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_walkthrough_position_and_its_sum_fit_together(
    projector: Any, app_url: str, lang: str
) -> None:
    open_page(projector, app_url, "walkthrough", lang)
    collapse_sidebar(projector)
    projector.locator("[data-testid='stTab']").nth(1).click()
    wait_idle(projector)
    panel = "[data-testid='stMain'] [role='tabpanel']:not([hidden])"
    _check_screen(
        projector,
        (_key("walk_conv1"), _key("walk_position"), f"{panel} [data-testid='stCode']"),
        f"walkthrough-conv1-{lang}",
    )


def test_practice_wrong_answer_then_try_again_fits(projector: Any, app_url: str) -> None:
    open_page(projector, app_url, "practice", "en")
    collapse_sidebar(projector)
    field = projector.locator("[data-testid='stForm'] input").first
    field.fill("99999")
    projector.locator("[data-testid='stBaseButton-primaryFormSubmit']").click()
    wait_idle(projector)
    projector.get_by_text("Try again").wait_for()
    _check_screen(
        projector,
        ("[data-testid='stForm']", _key("practice_reveal"), "[data-testid='stAlert']"),
        "practice-try-again",
    )


def test_lab_run_brings_its_results_into_view(projector: Any, app_url: str) -> None:
    open_page(projector, app_url, "lab", "en")
    collapse_sidebar(projector)
    run = projector.locator(_key("lab_run_underfit")).locator("button")
    run.scroll_into_view_if_needed()
    run.click()
    projector.get_by_text("Run: Scenario 2").first.wait_for()
    projector.wait_for_timeout(800)  # the scroll
    title = projector.get_by_text("Run: Scenario 2").first
    assert in_viewport(projector, title), "the run panel did not come into view after Run"
    # a 60-epoch run: slow on a loaded CI machine, so a generous wait for its verdict
    projector.locator(_key("lab_run_panel")).get_by_text("Diagnosis:").first.wait_for(
        timeout=240_000
    )
    wait_idle(projector)
    projector.locator("[data-testid='stMetricValue']").first.wait_for()
    projector.wait_for_timeout(500)
    _shot(projector, "lab-after-run")
    assert clipped_texts(projector) == []  # the verdict's metrics ("Val. loss 0.…") are whole
    assert small_chart_fonts(projector) == []
