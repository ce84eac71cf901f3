"""A class in real browsers: four students train at once in separate browser contexts (the server
runs two jobs at a time, so two wait in line), all four runs finish, and another student's
stepper clicks are answered meanwhile. No timing thresholds: responsiveness is measured by
``benchmarks/bench_class.py``."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.helpers import open_page, wait_idle

STUDENTS = 4
EPOCHS = 3


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened = [
        browser.new_context(viewport={"width": 1280, "height": 800}) for _ in range(STUDENTS + 1)
    ]
    yield opened
    for context in opened:
        context.close()


def _set_epochs(page: Page, epochs: int) -> None:
    slider = page.locator("[data-testid='stSlider']", has_text="Epochs").get_by_role("slider")
    slider.focus()
    slider.press("Home")  # 1
    for _ in range(epochs - 1):
        slider.press("ArrowRight")
    wait_idle(page)
    expect(page.locator("[data-testid='stSlider']", has_text="Epochs")).to_contain_text(str(epochs))


def test_four_students_train_at_once_and_a_fifth_still_steps(
    contexts: list[BrowserContext], app_url: str
) -> None:
    students = [context.new_page() for context in contexts[:STUDENTS]]
    for page in students:
        page.set_default_timeout(60_000)
        open_page(page, app_url, "train")
        _set_epochs(page, EPOCHS)
    other = contexts[STUDENTS].new_page()
    other.set_default_timeout(60_000)
    open_page(other, app_url, "conv")

    for page in students:  # everyone presses Start within a second or two
        page.get_by_role("button", name="Start", exact=True).click()
    progress = [page.locator("[data-testid='stProgress']").first for page in students]
    for bar in progress:
        expect(bar).to_contain_text(re.compile("waiting|training|finished"), timeout=60_000)

    # while they train or wait, the fifth student steps through a convolution
    position = other.locator("[data-testid='stSlider']", has_text="Output position")
    for step in (1, 2, 3):
        other.get_by_role("button", name="Next ▶", exact=True).click()
        expect(position).to_contain_text(f"(0, {step})", timeout=60_000)

    for bar in progress:
        expect(bar).to_contain_text(f"finished: epoch {EPOCHS}/{EPOCHS}", timeout=300_000)
    for page in students:
        expect(page.get_by_text("Training finished in").first).to_be_visible()
        expect(page.get_by_role("button", name="Start", exact=True)).to_be_enabled()
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
