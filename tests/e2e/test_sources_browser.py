"""The Sources page in a real browser: an article's anchor scrolls to its entry, a link from the
entry opens the page that shows the correction, and a citation elsewhere opens the entry."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cnnviz.i18n import t
from tests.e2e.helpers import open_page, wait_idle


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_anchor_opens_the_entry_and_its_link_opens_the_page(
    page, app_url: str, lang: str
) -> None:
    page.goto(f"{app_url}/sources?lang={lang}#a004")
    page.wait_for_selector("[data-testid='stApp']")
    wait_idle(page)
    expect(page.locator("#a004")).to_be_in_viewport()
    expect(page.locator("[data-testid='stMain']")).to_contain_text("34,944")
    build = t("nav.build", lang)
    # the last correction of the AlexNet article: "See it in the app: Build a CNN"
    page.get_by_role("link", name=t("sources.see_correction", lang, page=build)).last.click()
    wait_idle(page)
    page.wait_for_url(f"{app_url}/build**")
    expect(page.locator("[data-testid='stSidebarNav'] a[aria-current='page']")).to_contain_text(
        build
    )
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_citation_opens_the_article_entry_in_a_new_tab(page, app_url: str, lang: str) -> None:
    open_page(page, app_url, "walkthrough", lang=lang)
    citation = page.locator("[data-testid='stMain'] a[href*='sources']").first
    assert citation.get_attribute("href") == f"sources?lang={lang}#a003"
    expect(citation).to_contain_text("[深度学习] 卷积神经网络CNN")
    with page.context.expect_page() as opened:
        citation.click()
    entry = opened.value
    entry.wait_for_selector("[data-testid='stApp']")
    wait_idle(entry)
    expect(entry.locator("#a003")).to_be_in_viewport()
    expect(entry.locator("[data-testid='stMain']")).to_contain_text(t("sources.title", lang))
    assert entry.locator("[data-testid='stException']").count() == 0
    entry.close()
