"""Train live in a real browser: start, watch the curve grow, pause, resume, stop; Chinese renders."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.helpers import open_page, wait_idle


def _click(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    wait_idle(page)


def _choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (re-opening it if a rerun closed it)."""
    wait_idle(page)
    for _ in range(3):
        page.locator("[data-testid='stSelectbox']", has_text=label).click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(timeout=5_000)
            choice.click()
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    wait_idle(page)


def _progress(page: Page):
    return page.locator("[data-testid='stProgress']").first


def test_start_watch_pause_resume_stop(page: Page, app_url: str) -> None:
    open_page(page, app_url, "train")
    expect(page.get_by_role("heading", name="Train live")).to_be_visible()
    epochs = page.locator("[data-testid='stSlider']", has_text="Epochs").get_by_role("slider")
    epochs.focus()
    epochs.press("End")  # 100 epochs: still running when Pause is pressed
    wait_idle(page)
    expect(page.locator("[data-testid='stSlider']", has_text="Epochs")).to_contain_text("100")
    _click(page, "Start")
    # the fragment redraws every second: the progress text and the loss curve grow
    at_least_epoch_2 = re.compile(r"epoch ([2-9]|[1-9][0-9]+)/")
    expect(_progress(page)).to_contain_text(at_least_epoch_2, timeout=25_000)
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

    # try it yourself: draw a vertical stroke on the canvas, get a prediction
    canvas = page.locator("canvas").last
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 40)
    page.mouse.down()
    for i in range(25):
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 40 + i * 8)
    page.mouse.up()
    expect(page.get_by_text("What the network sees (1x28x28)")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Every layer's output for this image")).to_be_visible()
    page.screenshot(path="/tmp/train_after.png", full_page=True)


def test_chinese_page_and_lr_schedule_plot(page: Page, app_url: str) -> None:
    open_page(page, app_url, "train", lang="zh")
    expect(page.get_by_role("heading", name="实时训练")).to_be_visible()
    expect(page.get_by_role("button", name="开始", exact=True)).to_be_visible()
    expect(page.get_by_text("2. 超参数")).to_be_visible()
    _choose(page, "学习率调度", "余弦退火")
    chart = page.locator(".js-plotly-plot", has_text="训练过程中的学习率")
    expect(chart.locator(".main-svg").first).to_be_visible()


def test_bad_uploads_show_messages_not_tracebacks(page: Page, app_url: str) -> None:
    open_page(page, app_url, "train")
    # a checkpoint that is not one
    checkpoint = page.locator("[data-testid='stFileUploader']", has_text="Load a trained network")
    checkpoint.locator("input[type='file']").set_input_files(
        files=[{"name": "model.zip", "mimeType": "application/zip", "buffer": b"not a zip"}]
    )
    wait_idle(page)
    expect(page.get_by_text("This is not a cnnviz checkpoint")).to_be_visible()
    # a dataset zip that is not a zip
    _choose(page, "Dataset", "Your own images (zip)")
    images = page.locator("[data-testid='stFileUploader']", has_text="Your images")
    images.locator("input[type='file']").set_input_files(
        files=[{"name": "classes.zip", "mimeType": "application/zip", "buffer": b"garbage"}]
    )
    wait_idle(page)
    expect(page.get_by_text("This file is not a zip archive")).to_be_visible()
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_disabled()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def test_alexnet_recipe_and_the_test_split_note_in_chinese(page: Page, app_url: str) -> None:
    """Issue 9, items 22 and 23 in a real browser: the built-in shapes say they have no official
    test split; AlexNet's recipe turns on crops, PCA colour and ten crops, and the preview grid
    shows them."""
    open_page(page, app_url, "train", lang="zh")
    expect(page.get_by_text("这份数据没有官方测试集").first).to_be_visible()
    page.get_by_text("数据增强", exact=True).first.click()
    page.get_by_role("button", name="AlexNet 的配方").click()
    wait_idle(page)
    expect(page.get_by_role("checkbox", name="十裁剪评估")).to_be_checked()
    expect(page.get_by_text("PCA 颜色扰动:α 的 σ").first).to_be_visible()
    preview = page.locator(".st-key-train_aug_preview")  # the preview grid of 9 images
    expect(
        page.get_by_text("一张训练图像,以及它按上面的设置随机增强后的八个版本").first
    ).to_be_visible()
    expect(preview.locator(".main-svg").first).to_be_visible()
