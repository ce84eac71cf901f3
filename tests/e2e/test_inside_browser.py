"""/inside in a real browser: with no network yet, one click trains the default one in the job
pool; the four attribution maps render with their PNG downloads; a click on a feature-map cell
moves the receptive field there; the invariance plots render. The same in Chinese."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page, wait_idle

PLOT = ".js-plotly-plot .main-svg"
TRAINED = 300_000  # the default network trains in the pool in seconds; a busy CI box is slower
SCREENSHOT = "/tmp/inside_page.png"


def _train_default(page: Page, button: str, picture_header: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name=picture_header)).to_be_visible(timeout=TRAINED)
    wait_idle(page, timeout=60_000)


def _section(page: Page, name: str) -> None:
    page.locator("[data-testid='stButtonGroup']").get_by_text(name, exact=True).click()
    wait_idle(page, timeout=60_000)


def _number(page: Page, label: str) -> str:
    return page.get_by_label(re.compile(f"^{label}")).input_value()


def test_train_the_default_network_then_look_inside(page: Page, app_url: str) -> None:
    open_page(page, app_url, "inside")
    expect(page.get_by_text("Look inside a trained network").first).to_be_visible()
    expect(page.get_by_text("No trained network in this session yet")).to_be_visible()
    _train_default(page, "Train the default network (a few seconds)", "2. The picture")

    # Attribution (the first section): four maps over the picture, each with a PNG download.
    for method in ("Saliency", "Integrated Gradients", "Grad-CAM", "Occlusion"):
        expect(page.get_by_text(method, exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name="PNG")).to_have_count(4)
    images = page.locator("[data-testid='stImage'] img")
    expect(images.nth(4)).to_be_visible()  # the picture and its four maps
    assert images.nth(1).evaluate("img => img.naturalWidth") > 0

    # Receptive field: a click on a cell of the map moves the chosen cell there.
    _section(page, "Receptive field")
    page.wait_for_selector(PLOT)
    expect(page.get_by_text("Theoretical receptive field")).to_be_visible()
    assert (_number(page, "Row"), _number(page, "Column")) != ("0", "0")
    points = page.locator(".js-plotly-plot").first.locator(
        ".scatterlayer .trace.scatter .points path"
    )
    assert points.count() > 1
    box = points.first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(200)
    page.mouse.down()
    page.mouse.up()
    wait_idle(page, timeout=60_000)
    expect(page.get_by_label(re.compile("^Row"))).to_have_value("0")
    expect(page.get_by_label(re.compile("^Column"))).to_have_value("0")
    expect(page.get_by_text("rows 0–")).to_be_visible()

    # Translation invariance: the curves and the maps render.
    _section(page, "Translation invariance")
    expect(page.locator(PLOT).nth(2)).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_inside_in_chinese(page: Page, app_url: str) -> None:
    open_page(page, app_url, "inside", lang="zh")
    expect(page.get_by_text("看看训练好的网络内部").first).to_be_visible()
    _train_default(page, "训练默认网络(几秒钟)", "2. 图片")
    for method in ("显著图", "积分梯度", "遮挡"):
        expect(page.get_by_text(method, exact=True).first).to_be_visible()
    expect(page.get_by_text("注意观察").first).to_be_visible()
    _section(page, "感受野")
    page.wait_for_selector(PLOT)
    expect(page.get_by_text("有效感受野").first).to_be_visible()
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "What to notice" not in body and "Receptive field" not in body
