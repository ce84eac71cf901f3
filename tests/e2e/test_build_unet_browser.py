"""The Build page's U-Net view in Chromium at 1280x720, in English and Chinese: pick the U-Net,
see the U diagram, type an input size that does not fit, read the message, click the proposal."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import expect

from cnnviz.net import unet_problems
from cnnviz.train import SegmentConfig
from tests.e2e.helpers import (
    clipped_texts,
    collapse_sidebar,
    open_page,
    projector_page,
    small_chart_fonts,
    wait_idle,
)

DIAGRAM = "[data-testid='stPlotlyChart'] .js-plotly-plot .main-svg"
BAD_SIZE = 30
# where the page's default U-Net (/beyond's) breaks at 30x30
CONCAT = unet_problems(replace(SegmentConfig().net, image_size=BAD_SIZE))[0].param_dict()["concat"]
TEXTS = {
    "en": {
        "picker": "Famous network",
        "choice": "U-Net (segmentation)",
        "size": "Input size (px)",
        "concat": "concat (cat1)",
        "problem": "at the concatenation {concat}",
        "propose": "Use 32×32",
        "valid": "Valid U-Net",
    },
    "zh": {
        "picker": "经典网络",
        "choice": "U-Net(语义分割)",
        "size": "输入尺寸(像素)",
        "concat": "拼接 (cat1)",
        "problem": "在拼接层 {concat}",
        "propose": "改用 32×32",
        "valid": "U-Net 有效",
    },
}


def _pick_unet(page, text: dict[str, str]) -> None:
    picker = page.locator("[data-testid='stSelectbox']").filter(has_text=text["picker"])
    combo = picker.get_by_role("combobox")
    combo.click()
    combo.fill("U-Net")
    page.get_by_role("option", name=text["choice"], exact=True).click()
    wait_idle(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unet_view_bad_size_and_proposal(browser, app_url: str, lang: str) -> None:
    text = TEXTS[lang]
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_page(page, app_url, "build", lang=lang)
        _pick_unet(page, text)
        main = page.locator("[data-testid='stMain']")
        expect(main).to_contain_text(text["valid"])
        page.wait_for_selector(DIAGRAM)
        chart = page.locator("[data-testid='stPlotlyChart']").first
        expect(chart.get_by_text(text["concat"])).to_be_visible()
        expect(chart.get_by_text("bottom").first).to_be_visible()
        box = chart.bounding_box()
        assert box is not None and box["y"] < 720  # the diagram starts on the first screen
        page.screenshot(path=f"/tmp/e2e_build_unet_{lang}.png")

        size = page.get_by_role("spinbutton", name=text["size"])
        size.fill(str(BAD_SIZE))
        size.press("Enter")
        wait_idle(page)
        expect(main).to_contain_text(text["problem"].format(concat=CONCAT))
        expect(chart.get_by_text("≠").first).to_be_visible()
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Traceback" not in main.inner_text()
        page.screenshot(path=f"/tmp/e2e_build_unet_{lang}_bad.png")

        page.get_by_role("button", name=text["propose"]).click()
        wait_idle(page)
        expect(size).to_have_value("32")
        expect(main).to_contain_text(text["valid"])
        assert text["problem"].format(concat=CONCAT) not in main.inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unet_view_on_a_projector(browser, app_url: str, lang: str) -> None:
    """1280x720 at 125% zoom, sidebar collapsed: no text cut, no chart text under 14 px, and
    the diagram starts on the first screen."""
    text = TEXTS[lang]
    with projector_page(browser) as page:
        open_page(page, app_url, "build", lang=lang)
        collapse_sidebar(page)
        _pick_unet(page, text)
        page.wait_for_selector(DIAGRAM)
        page.wait_for_timeout(500)
        page.screenshot(path=f"/tmp/e2e_build_unet_projector_{lang}.png")
        assert clipped_texts(page) == []
        assert small_chart_fonts(page) == []
        box = page.locator("[data-testid='stPlotlyChart']").first.bounding_box()
        assert box is not None and box["y"] < 576


STEPPER = {
    "en": {
        "from": "Opened from the Build page: U-Net layer up1 · ConvTranspose2d",
        "title": "Transposed convolution = zero insertion + a normal convolution",
    },
    "zh": {
        "from": "从“搭建 CNN”页面打开:U-Net 的 up1 层 · ConvTranspose2d",
        "title": "转置卷积 = 插入 0 + 普通卷积",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_up_sampling_layer_opens_in_the_transposed_stepper(
    browser, app_url: str, lang: str
) -> None:
    """The U-Net's up1 (ConvTranspose2d) opens in the convolution stepper's transposed mode,
    with the feature map that reaches it and its weights."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_page(page, app_url, "build", lang=lang)
        _pick_unet(page, TEXTS[lang])
        page.get_by_role("button", name="up1 · ConvTranspose2d").click()
        page.wait_for_url("**/conv**")
        wait_idle(page)
        main = page.locator("[data-testid='stMain']")
        expect(main).to_contain_text(STEPPER[lang]["from"])
        expect(main).to_contain_text(STEPPER[lang]["title"])
        expect(main).to_contain_text("nn.ConvTranspose2d(")
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=f"/tmp/e2e_build_unet_stepper_{lang}.png", full_page=True)
    finally:
        context.close()
