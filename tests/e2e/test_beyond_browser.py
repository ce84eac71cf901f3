"""The Beyond classification page in a real browser, in English and Chinese: it renders, a short
U-Net run starts, its live curve appears, and (English) it ends with the image row and joins the
comparison; the Transfer learning tab shows its layer report and the pretrained-weights note,
compares the three approaches to the sweep (English) and starts and stops (Chinese)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page, wait_idle

SCREENSHOT = "/tmp/beyond_page.png"


def _one_epoch(page: Page, label: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill("1")
    field.press("Enter")
    wait_idle(page)


def test_a_one_epoch_run_draws_curves_masks_and_a_comparison(page: Page, app_url: str) -> None:
    open_page(page, app_url, "beyond")
    expect(page.get_by_text("Beyond classification: segmentation").first).to_be_visible()
    expect(page.get_by_text("Press Start")).to_be_visible()
    _one_epoch(page, "Epochs")
    page.get_by_role("button", name="Start", exact=True).click()
    # the live panel: the curve of batch losses appears while it trains
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=90_000)
    expect(page.get_by_text("finished after 1 epochs")).to_be_visible(timeout=180_000)
    wait_idle(page)
    expect(page.get_by_text("Rows: input, true mask, predicted mask")).to_be_visible()
    expect(page.locator("[data-testid='stImage'] img").first).to_be_visible()
    expect(page.get_by_text("Validation mean IoU").first).to_be_visible()
    # the finished run joins the comparison: its name in the legend and in the table
    expect(page.get_by_text("Compare runs")).to_be_visible()
    legend = page.locator(".js-plotly-plot .legendtext", has_text="Run 1: Cross-entropy + Dice")
    expect(legend.first).to_be_visible()
    expect(page.locator("[data-testid='stDataFrame']").last).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_page_runs_in_chinese(page: Page, app_url: str) -> None:
    open_page(page, app_url, "beyond", lang="zh")
    expect(page.get_by_text("超越分类:语义分割").first).to_be_visible()
    expect(page.get_by_label("跳跃连接", exact=True)).to_be_checked()
    _one_epoch(page, "训练轮数")
    page.get_by_role("button", name="开始", exact=True).click()
    expect(page.get_by_text("第 1 次:交叉熵 + Dice,有跳跃连接").first).to_be_visible(timeout=90_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=90_000)
    page.get_by_role("button", name="停止", exact=True).click()
    expect(page.get_by_role("button", name="开始", exact=True)).to_be_enabled(timeout=90_000)


def _open_transfer(page: Page, app_url: str, lang: str) -> None:
    open_page(page, app_url, "beyond", lang=lang)
    tab = "Transfer learning" if lang == "en" else "迁移学习"
    page.get_by_role("tab", name=tab).click()
    wait_idle(page)


def test_transfer_section_compares_three_approaches(page: Page, app_url: str) -> None:
    _open_transfer(page, app_url, "en")
    expect(page.get_by_text("Which layers transfer")).to_be_visible()
    expect(page.get_by_text("new head: its outputs are the target's classes")).to_be_visible()
    expect(page.get_by_text("never downloads them")).to_be_visible()
    page.get_by_role("button", name="Start comparison", exact=True).click()
    # the three curves appear while the runs train, then the sweep after the last run
    legend = page.locator(".js-plotly-plot .legendtext", has_text="Frozen features + new head")
    expect(legend.first).to_be_visible(timeout=120_000)
    expect(page.get_by_text("Comparison finished")).to_be_visible(timeout=300_000)
    wait_idle(page)
    expect(page.get_by_text("How many labels does each approach need?")).to_be_visible()
    expect(page.get_by_text("Accuracy reached with k labelled images per class")).to_be_visible()
    page.screenshot(path="/tmp/beyond_transfer.png", full_page=True)


def test_transfer_section_in_chinese(page: Page, app_url: str) -> None:
    _open_transfer(page, app_url, "zh")
    expect(page.get_by_text("哪些层可以迁移")).to_be_visible()
    expect(page.get_by_text("新的输出层:它的输出对应目标任务的类别")).to_be_visible()
    expect(page.get_by_text("从不下载").first).to_be_visible()
    page.get_by_role("button", name="开始比较", exact=True).click()
    expect(page.get_by_text("源网络:").first).to_be_visible(timeout=120_000)
    page.get_by_role("button", name="停止比较", exact=True).click()
    expect(page.get_by_role("button", name="开始比较", exact=True)).to_be_enabled(timeout=90_000)
