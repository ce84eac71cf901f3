"""Train live on a projector: a 1024x576 viewport (1280x720 at 125 % zoom), sidebar collapsed.

Start and the live panel's key figure (the probe image's feature maps) are on screen together
before and after Start, with nothing scrolled; no metric, button, label or table cell has its
text cut; in English and Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.helpers import wait_idle

VIEWPORT = {"width": 1024, "height": 576}
START = {"en": "Start", "zh": "开始"}
MAPS = {"en": "feature maps", "zh": "张特征图"}
FINISHED = {"en": "finished", "zh": "已结束"}
# elements whose text must never be cut (Streamlit truncates with an ellipsis)
CLIPPABLE = [
    "[data-testid='stMetricValue'] div",
    "[data-testid='stMetricLabel'] p",
    "[data-testid='stMetricLabel'] div",
    "button p",
    "button [data-testid='stMarkdownContainer']",
    "[data-testid='stWidgetLabel'] [data-testid='stMarkdownContainer']",
    "[data-testid='stWidgetLabel'] p",
    "td",
    "th",
]


@pytest.fixture
def projector(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def collapse_sidebar(page: Page) -> None:
    """Close the sidebar as a teacher would (its button shows on hover)."""
    page.locator("[data-testid='stSidebar']").hover()
    page.locator("[data-testid='stSidebarCollapseButton'] button").first.click(force=True)
    expect(page.locator("[data-testid='stSidebar']")).to_have_attribute("data-collapsed", "true")


def in_viewport(page: Page, locator: Locator) -> bool:
    """The element lies entirely within the viewport, as the page is scrolled now."""
    locator.wait_for(state="visible")
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"] + 1
        and box["y"] + box["height"] <= size["height"] + 1
    )


def clipped_charts(page: Page) -> list[str]:
    """Charts drawn wider than the column that holds them (plotly never draws narrower than
    150 px, so a narrower column cuts its right side off): their titles."""
    return page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
            .filter((el) => el.getClientRects().length)
            .filter((el) => {
                const svg = el.querySelector('.main-svg');
                return svg && svg.getBoundingClientRect().width > el.clientWidth + 1;
            })
            .map((el) => el.innerText.trim().split('\\n')[0])"""
    )


def clipped_texts(page: Page) -> list[str]:
    """Texts cut short: an element whose content is wider than its box (scrollWidth >
    clientWidth), among metrics, buttons, widget labels and table cells."""
    return page.evaluate(
        """(selectors) => {
            const out = [];
            for (const selector of selectors) {
                for (const el of document.querySelectorAll(selector)) {
                    if (!el.getClientRects().length || !el.innerText.trim()) continue;
                    if (el.scrollWidth > el.clientWidth + 1) out.push(el.innerText.trim());
                }
            }
            return out;
        }""",
        CLIPPABLE,
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_start_and_the_learning_on_one_projector_screen(
    projector: Page, app_url: str, lang: str
) -> None:
    page = projector
    page.goto(f"{app_url}/train?lang={lang}")
    wait_idle(page, 60_000)
    collapse_sidebar(page)
    start = page.get_by_role("button", name=START[lang], exact=True)
    expect(start).to_be_visible()
    assert in_viewport(page, start)
    assert clipped_texts(page) == []
    start.click()
    maps = page.locator("[data-testid='stPlotlyChart']", has_text=MAPS[lang]).first
    expect(maps.locator(".main-svg").first).to_be_visible(timeout=60_000)
    probe = page.locator("[data-testid='stPlotlyChart']").nth(1)
    progress = page.locator("[data-testid='stProgress']").first
    expect(progress).to_contain_text(FINISHED[lang], timeout=120_000)
    page.wait_for_timeout(1000)  # the run's end reruns the whole page once
    wait_idle(page)
    page.screenshot(path=f"/tmp/train_projector_{lang}.png")
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop") == 0
    for element in (start, maps, probe, progress):
        assert in_viewport(page, element), element
    # the replay slider of the finished run is there too, without scrolling, at the last epoch
    replay = page.locator("[data-testid='stSlider']").first
    assert in_viewport(page, replay)
    expect(replay.get_by_role("slider")).to_have_attribute("aria-valuetext", "10")
    assert clipped_texts(page) == []
    assert clipped_charts(page) == []
    # the filters further down: tiles of at least 60 px
    filters = page.locator("[data-testid='stPlotlyChart']", has_text=re.compile("kernels|个"))
    filters.first.scroll_into_view_if_needed()
    image = filters.first.locator("image").first
    box = image.bounding_box()
    assert box is not None and (box["width"] - 7 * 4) / 8 >= 60  # 8 kernels, 4 px apart
    assert clipped_texts(page) == []
