"""The Overfitting lab in a real browser: the fastest scenario runs live to a verdict, a remedy
starts the next run, and the compare view overlays both runs' curves."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page, wait_idle

SCREENSHOT = "/tmp/lab_page.png"


def test_scenario_runs_to_a_verdict_and_compare_view_renders(page: Page, app_url: str) -> None:
    open_page(page, app_url, "lab")
    expect(page.get_by_text("Overfitting lab").first).to_be_visible()
    expect(page.get_by_text("Nothing has run yet")).to_be_visible()

    page.get_by_role("button", name="Run scenario 2").click()
    expect(page.get_by_text("Run: Scenario 2 · Underfitting")).to_be_visible()
    # The polling fragment redraws the live curves, then the page shows the diagnosis.
    expect(page.get_by_text("Diagnosis: Underfitting")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Training accuracy only reached")).to_be_visible()
    page.wait_for_selector(".js-plotly-plot .main-svg")

    page.get_by_role("button", name="Double the width").click()
    expect(page.get_by_text("Run: Scenario 2 · Underfitting + Double the width")).to_be_visible()
    # The run has ended when its Stop button is disabled again.
    expect(page.get_by_role("button", name="Stop", exact=True)).to_be_disabled(timeout=60_000)
    wait_idle(page)
    expect(page.get_by_text("Diagnosis:").first).to_be_visible()

    page.get_by_role("tab", name="Compare runs").click()
    panel = page.get_by_role("tabpanel", name="Compare runs")
    expect(panel.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    legend = panel.locator(".js-plotly-plot .legendtext")
    expect(legend.first).to_contain_text("net conv")  # the runs differ in their net only
    assert legend.count() == 2
    expect(panel.locator("[data-testid='stDataFrame']")).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_lab_renders_in_chinese(page: Page, app_url: str) -> None:
    open_page(page, app_url, "lab", lang="zh")
    expect(page.get_by_text("过拟合实验室").first).to_be_visible()
    expect(page.get_by_role("button", name="运行实验 1")).to_be_visible()
    page.get_by_role("tab", name="自己做实验").click()
    expect(page.get_by_text("训练图像数")).to_be_visible()


HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "v1" / "history.json"


def test_imported_runs_are_listed_at_once_in_chinese(page: Page, app_url: str) -> None:
    """Issue 9, item 10, in a real browser: "已导入 2 次运行" and the runs' curves appear in
    the same rerun, without a second click; "还没有运行记录" is gone."""
    open_page(page, app_url, "lab", lang="zh")
    page.get_by_role("tab", name="比较运行").click()
    panel = page.get_by_role("tabpanel", name="比较运行")
    expect(panel.get_by_text("还没有运行记录").first).to_be_visible()
    panel.get_by_text("导出和导入").click()
    panel.locator("input[type='file']").set_input_files(str(HISTORY))
    expect(page.get_by_text("已导入 2 次运行。")).to_be_visible(timeout=30_000)
    wait_idle(page)
    expect(panel.get_by_text("还没有运行记录")).to_have_count(0)
    expect(panel.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
    legend = panel.locator(".js-plotly-plot .legendtext")
    expect(legend.first).to_be_visible()
    assert legend.count() == 2
