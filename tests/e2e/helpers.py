"""Helpers for real-browser tests: wait for Streamlit to finish a run, open a page, and check a page
the way a teacher's projector shows it (1024x576 CSS px: 1280x720 at 125% zoom).

``projector_page`` opens a browser context of that size; ``collapse_sidebar`` hides the sidebar
as the teacher does; ``in_viewport`` says whether an element lies entirely on the screen;
``clipped_texts`` lists every metric, button, tab, table cell, heading, label or chart text
whose text is cut; ``small_chart_fonts`` every chart text under 14 px. The Train page's test uses
them too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
#: A 1280x720 projector at 125% browser zoom.
PROJECTOR = {"width": 1024, "height": 576}


def wait_idle(page: object, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script (after a load or a click)."""
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    page.wait_for_selector(IDLE, timeout=timeout)  # type: ignore[attr-defined]


def open_page(page: object, app_url: str, path: str, lang: str = "en") -> None:
    """Go to ``/{path}?lang=...`` and wait until the page has rendered."""
    page.goto(f"{app_url}/{path}?lang={lang}")  # type: ignore[attr-defined]
    page.wait_for_selector("[data-testid='stApp']")  # type: ignore[attr-defined]
    wait_idle(page)


@contextmanager
def projector_page(browser: Any) -> Iterator[Any]:
    """A page in a fresh browser context of the projector's size (``PROJECTOR``)."""
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        context.close()


def collapse_sidebar(page: Any) -> None:
    """Collapse the sidebar as a teacher does (its « button); nothing if it is collapsed."""
    sidebar = page.locator("[data-testid='stSidebar']")
    if sidebar.get_attribute("data-collapsed") != "true":
        sidebar.hover()
        page.locator("[data-testid='stSidebarCollapseButton'] button").click()
        page.wait_for_function(
            "() => document.querySelector(\"[data-testid='stSidebar']\")"
            ".getAttribute('data-collapsed') === 'true'"
        )
        page.wait_for_timeout(600)  # the main column re-lays out; charts resize


def wait_for_charts(page: Any, count: int = 1) -> None:
    """Wait until at least ``count`` plotly charts have drawn."""
    page.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}"
    )
    page.wait_for_timeout(400)


def box(page: Any, locator: Any) -> dict[str, float]:
    """The element's box relative to the viewport, as the user sees it now."""
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; }"
    )


def in_viewport(page: Any, locator: Any, slack: float = 1.0) -> bool:
    """True when ``locator``'s element lies entirely inside the viewport (no scrolling needed)."""
    size = page.viewport_size
    b = box(page, locator)
    return (
        b["left"] >= -slack
        and b["top"] >= -slack
        and b["right"] <= size["width"] + slack
        and b["bottom"] <= size["height"] + slack
        and b["bottom"] > b["top"]
    )


_CLIPPED = """
() => {
  const selector = [
    "[data-testid='stMetricValue']", "[data-testid='stMetricLabel']",
    "[data-testid='stMain'] button", "[data-testid='stTab']",
    "[data-testid='stTable'] td", "[data-testid='stTable'] th",
    "[data-testid='stMarkdownContainer'] td", "[data-testid='stMarkdownContainer'] th",
    "[data-testid='stMain'] h1", "[data-testid='stMain'] h2", "[data-testid='stMain'] h3",
    "[data-testid='stMain'] [data-testid='stWidgetLabel']",
  ].join(", ");
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    for (let a = e; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
      if (a.tagName === 'DETAILS' && !a.open && !e.closest('summary')) return false;
    }
    return true;
  };
  const icon = (x) => x.closest("[data-testid='stIconMaterial'], [data-testid='stIconEmoji']");
  const found = [];
  for (const e of document.querySelectorAll(selector)) {
    if (!visible(e) || !(e.innerText || '').trim()) continue;
    let cut = false;
    // text cut inside the element: an ellipsis or hidden overflow
    for (const x of [e, ...e.querySelectorAll('*')]) {
      if (icon(x)) continue;
      const s = getComputedStyle(x);
      if (s.overflowX !== 'visible' && x.scrollWidth > x.clientWidth + 1 && x.clientWidth > 0) {
        cut = true; break;
      }
    }
    // or the element sticks out of an ancestor that hides its overflow
    if (!cut) {
      const r = e.getBoundingClientRect();
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX === 'visible') continue;
        if (a.getAttribute('data-testid') === 'stMain') break;  // the page scrolls: not cut
        const c = a.getBoundingClientRect();
        if (r.right > c.right + 1 || r.left < c.left - 1) { cut = true; }
        break;
      }
    }
    if (cut) found.push((e.getAttribute('data-testid') || e.tagName) + ': ' + e.innerText.trim().slice(0, 60));
  }
  // the value shown in a select box or number box ("3×:" for "3×3")
  for (const x of document.querySelectorAll("[data-testid='stMain'] input")) {
    if (!visible(x) || !x.value || x.type === 'hidden') continue;
    if (x.scrollWidth > x.clientWidth + 1) found.push('input: ' + x.value.slice(0, 60));
  }
  // chart texts drawn outside their chart (a title or legend cut at the figure's edge)
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    if (!visible(chart)) continue;
    const c = chart.getBoundingClientRect();
    for (const t of chart.querySelectorAll('.main-svg text')) {
      const r = t.getBoundingClientRect();
      if (r.width < 1 || !(t.textContent || '').trim()) continue;
      if (r.left < c.left - 1 || r.right > c.right + 1) found.push('chart: ' + t.textContent.slice(0, 60));
    }
  }
  return found;
}
"""


def clipped_texts(page: Any) -> list[str]:
    """Every visible number, label, title or button text on the page that is cut (its own
    ``scrollWidth > clientWidth``, or it sticks out of a box that hides overflow), and chart
    texts drawn past their chart's edge. Empty when nothing is cut."""
    return page.evaluate(_CLIPPED)


_SMALL_FONTS = """
(minimum) => {
  const found = [];
  for (const t of document.querySelectorAll('.js-plotly-plot .main-svg text')) {
    const r = t.getBoundingClientRect();
    if (r.width < 1 || !(t.textContent || '').trim()) continue;
    const size = parseFloat(getComputedStyle(t).fontSize);
    if (size < minimum - 0.01) found.push(size + 'px: ' + t.textContent.slice(0, 40));
  }
  return found;
}
"""


def small_chart_fonts(page: Any, minimum: float = 14.0) -> list[str]:
    """Every chart text drawn smaller than ``minimum`` CSS px (the projector's floor)."""
    return page.evaluate(_SMALL_FONTS, minimum)
