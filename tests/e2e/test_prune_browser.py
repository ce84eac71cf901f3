"""The pruning lab in a real browser, in English and Chinese: train the default network from the
page, see the figures render, switch to structured pruning and send the smaller network to the
Build page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cnnviz.i18n import t
from tests.e2e.helpers import open_page, wait_idle


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_prune_the_default_network_and_rebuild_it_smaller(page, app_url: str, lang: str) -> None:
    open_page(page, app_url, "prune", lang=lang)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text(t("prune.title", lang))
    page.get_by_role("button", name=t("prune.source.train_default", lang)).click()
    # the default network trains in the background; the page reruns when it is done
    expect(main).to_contain_text(t("prune.metric.sparsity", lang), timeout=180_000)
    wait_idle(page)
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("50.0%")
    plots = page.locator(".js-plotly-plot")
    expect(plots.nth(3)).to_be_visible(timeout=30_000)  # layers, histogram, filters, soft targets
    expect(main).to_contain_text(t("prune.buys.dense_kernel", lang))

    page.get_by_text(t("prune.method.structured", lang), exact=True).click()
    wait_idle(page)
    expect(main).to_contain_text(t("prune.rebuild.title", lang))
    page.get_by_role("button", name=t("prune.rebuild.to_build", lang)).first.click()
    wait_idle(page)
    expect(main).to_contain_text(t("prune.rebuild.sent", lang))
    page.screenshot(path=f"/tmp/prune_{lang}.png", full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
