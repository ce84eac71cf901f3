"""The /activations, /losses and /regularize explorers in a real browser, in English and Chinese:
each loads with its charts drawn, and its main interaction works (a deeper network and a refused
depth; the worked example's logits and the embedding trained live; dropout's p = 1 refused, a
resampled mask, and the deep network trained with and without batch norm)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page, wait_idle

CHART = ".js-plotly-plot .main-svg"


def _charts(page: Page, at_least: int) -> None:
    page.wait_for_selector(CHART)
    expect(page.locator(".js-plotly-plot").nth(at_least - 1)).to_be_attached()


def _no_traceback(page: Page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def _fill(page: Page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    wait_idle(page)


def test_activations_depth_and_bad_depth(page: Page, app_url: str) -> None:
    open_page(page, app_url, "activations")
    expect(
        page.get_by_role("heading", name="Activation functions and their gradients")
    ).to_be_visible()
    _charts(page, 4)
    _fill(page, "Depth (2 to 50 conv layers)", "50")
    expect(page.get_by_text("Measured with 50 layers")).to_be_visible()
    _fill(page, "Depth (2 to 50 conv layers)", "10000")
    expect(page.get_by_text("A depth of 10000 is not possible here")).to_be_visible()
    expect(page.get_by_text("Measured with 50 layers")).to_be_visible()  # the last good profile
    _no_traceback(page)


def test_activations_in_chinese(page: Page, app_url: str) -> None:
    open_page(page, app_url, "activations", lang="zh")
    expect(page.get_by_role("heading", name="激活函数及其梯度")).to_be_visible()
    _charts(page, 4)
    page.get_by_test_id("stCheckbox").get_by_text("残差连接").click()
    wait_idle(page)
    expect(page.get_by_text("ReLU,残差").first).to_be_attached()
    _no_traceback(page)


def test_losses_article_example_walkthrough_logits_and_live_embedding(
    page: Page, app_url: str
) -> None:
    open_page(page, app_url, "losses")
    expect(page.get_by_role("heading", name="Softmax and cross-entropy")).to_be_visible()
    _charts(page, 4)
    expect(page.locator(".katex").filter(has_text="2.436").first).to_be_visible()
    page.get_by_role("button", name="Train both neurons").click()
    expect(page.locator(".katex").filter(has_text="0.0177").first).to_be_attached(timeout=120_000)
    page.get_by_role("button", name="The worked example's logits").click()
    wait_idle(page)
    expect(page.get_by_label("Logits (comma-separated)")).to_have_value(
        "7.061136, -1.550018, 8.042091"
    )
    page.get_by_role("button", name="Train in the background").click()
    expect(page.get_by_text("2-D embedding at step 200")).to_be_visible(timeout=180_000)
    _no_traceback(page)


def test_losses_in_chinese_and_a_click_moves_the_negative(page: Page, app_url: str) -> None:
    open_page(page, app_url, "losses", lang="zh")
    expect(page.get_by_role("heading", name="Softmax 与交叉熵")).to_be_visible()
    _charts(page, 4)
    expect(page.locator(".katex").filter(has_text="2.436").first).to_be_visible()
    slider = page.get_by_test_id("stSlider").filter(has_text="负样本 x")
    expect(slider).to_contain_text("0.50")
    chart = page.locator(".js-plotly-plot").filter(has_text="三元组损失").first
    chart.scroll_into_view_if_needed()
    box = chart.locator(".nsewdrag").first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5)
    wait_idle(page)
    expect(slider).not_to_contain_text("0.50")  # the negative moved to the clicked point
    _no_traceback(page)


def test_regularize_dropout_and_batch_norm_runs(page: Page, app_url: str) -> None:
    open_page(page, app_url, "regularize")
    expect(page.get_by_role("heading", name="Inverted dropout")).to_be_visible()
    _charts(page, 4)
    _fill(page, "Drop probability p", "1.00")
    expect(page.get_by_text("p = 1 is not allowed")).to_be_visible()
    _fill(page, "Drop probability p", "0.30")
    page.get_by_role("button", name="Resample the mask").click()
    wait_idle(page)
    expect(page.get_by_label("Mask seed")).to_have_value("1")
    page.get_by_role("button", name="Train both in the background").click()
    legend = page.locator(".js-plotly-plot .legendtext").filter(has_text="with BN")
    expect(legend.first).to_be_attached(timeout=240_000)
    _no_traceback(page)


def test_regularize_in_chinese(page: Page, app_url: str) -> None:
    open_page(page, app_url, "regularize", lang="zh")
    expect(page.get_by_role("heading", name="反向 Dropout(Inverted Dropout)")).to_be_visible()
    _charts(page, 4)
    expect(page.get_by_text("alpha=0.0005").first).to_be_attached()
    expect(page.get_by_text("与论文一致").first).to_be_attached()  # the AlexNet preset's LRN
    _no_traceback(page)
