"""Train live in a real browser: start, watch the curve grow, pause, resume, stop; Chinese renders."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page, wait_idle


def _click(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    wait_idle(page)


def _progress(page: Page):
    return page.locator("[data-testid='stProgress']").first


def test_start_watch_pause_resume_stop(page: Page, app_url: str) -> None:
    open_page(page, app_url, "train")
    expect(page.get_by_role("heading", name="Train live")).to_be_visible()
    _click(page, "Start")
    # the fragment redraws every second: the progress text and the loss curve grow
    expect(_progress(page)).to_contain_text("epoch 2/", timeout=25_000)
    loss_chart = page.locator(".js-plotly-plot", has_text="Loss per batch")
    expect(loss_chart.locator(".main-svg").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"1 Conv2d 8@3x3: 8 feature maps")).first).to_be_visible()
    page.screenshot(path="/tmp/train_live.png", full_page=True)

    _click(page, "Pause")
    expect(_progress(page)).to_contain_text("paused", timeout=10_000)
    paused_text = _progress(page).inner_text()
    page.wait_for_timeout(2_000)
    assert _progress(page).inner_text() == paused_text  # nothing moves while paused

    _click(page, "Resume")
    expect(_progress(page)).to_contain_text("training", timeout=10_000)
    expect(_progress(page)).not_to_have_text(paused_text, timeout=10_000)

    _click(page, "Stop")
    expect(page.get_by_text(re.compile("Stopped after")).first).to_be_visible(timeout=15_000)
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_enabled()
    expect(page.get_by_text("Confusion matrix (validation set)").first).to_be_visible()
    page.screenshot(path="/tmp/train_after.png", full_page=True)


def test_chinese_page_and_lr_schedule_plot(page: Page, app_url: str) -> None:
    open_page(page, app_url, "train", lang="zh")
    expect(page.get_by_role("heading", name="实时训练")).to_be_visible()
    expect(page.get_by_role("button", name="开始", exact=True)).to_be_visible()
    expect(page.get_by_text("2. 超参数")).to_be_visible()
