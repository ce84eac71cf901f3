"""The Build page and the home page in a real browser: add a layer, see the table and diagram."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import open_page, wait_idle

DIAGRAM = "[data-testid='stPlotlyChart'] .js-plotly-plot .main-svg"


def _table_text(page) -> str:
    """The shapes table: a static table whose cells wrap (the formulas stay readable)."""
    table = page.locator("[data-testid='stTable']").first
    table.scroll_into_view_if_needed()
    return table.inner_text()


def test_build_page_add_a_layer_updates_table_and_diagram(page, app_url: str) -> None:
    open_page(page, app_url, "build")
    page.wait_for_selector(DIAGRAM)
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Linear 6" in _table_text(page)
    assert "Linear 10" not in _table_text(page)
    assert "5,958" in page.locator("[data-testid='stMetric']").first.inner_text()

    # choose "Linear" as the new layer type and add it. Open the combobox itself (a click on the
    # widget's box may land on its label), then type to filter: the option list is virtualised,
    # so an option far down the list may not be in the DOM.
    new_kind = page.locator("[data-testid='stSelectbox']").filter(has_text="New layer type")
    combo = new_kind.get_by_role("combobox")
    combo.scroll_into_view_if_needed()
    combo.click()
    combo.fill("Linear")
    page.get_by_role("option", name="Linear · fully connected", exact=True).click()
    wait_idle(page)
    expect(combo).to_have_value("Linear · fully connected")
    page.get_by_role("button", name="Add layer").click()
    wait_idle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stExpander'] summary\")]"
        ".some(s => s.innerText.includes('9 · Linear 10'))"
    )
    assert "Linear 10" in _table_text(page)
    assert "6,028" in page.locator("[data-testid='stMetric']").first.inner_text()
    page.wait_for_selector(DIAGRAM)
    # the diagram shows one more block: its "9 Linear" caption
    expect(
        page.locator("[data-testid='stPlotlyChart']").first.get_by_text("9 Linear").first
    ).to_be_visible()
    assert "net=" in page.url  # the share token follows every valid edit
    page.get_by_role("tab", name="Share link").click()
    link = page.locator("[data-testid='stCode']").filter(has_text="/build?net=").first
    text = link.inner_text().strip()
    assert text.startswith(f"{app_url}/build?net=") and text.endswith("lang=en")
    # the link opens the same network in a new session
    other = page.context.new_page()
    other.goto(text)
    wait_idle(other)
    expect(
        other.locator("[data-testid='stExpander'] summary").filter(has_text="9 · ")
    ).to_contain_text("9 · Linear 10")
    assert "restored from the shared link" in other.locator("[data-testid='stMain']").inner_text()
    other.close()
    page.screenshot(path="/tmp/e2e_build.png", full_page=True)


def test_build_page_error_on_a_layer_and_chinese(page, app_url: str) -> None:
    open_page(page, app_url, "build", lang="zh")
    page.wait_for_selector(DIAGRAM)
    assert "搭建卷积神经网络" in page.locator("h1").first.inner_text()
    first = page.locator("[data-testid='stExpander']").filter(has_text="1 · Conv2d").first
    first.locator("summary").click()
    kernel = first.get_by_label("卷积核大小 (kernel_size)")
    kernel.fill("40")
    kernel.press("Enter")
    wait_idle(page)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "窗口在 H, W 方向跨 40 个像素" in body
    assert "仍使用你上一个有效的网络" in body
    assert page.locator("[data-testid='stException']").count() == 0


def test_tampered_share_link_shows_a_message(page, app_url: str) -> None:
    page.goto(f"{app_url}/build?net=not-a-real-token&lang=en")
    wait_idle(page)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "could not be restored" in body
    assert "Traceback" not in body
    page.wait_for_selector(DIAGRAM)


def _home_lessons() -> tuple[tuple[str, str, str], ...]:
    """The home page's ordered lesson list, read from its source (the page runs Streamlit on import)."""
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).parents[2] / "pages" / "home.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "LESSONS":
            return ast.literal_eval(node.value)
    raise AssertionError("pages/home.py has no LESSONS")


def test_home_page_links_to_the_lessons(page, app_url: str) -> None:
    open_page(page, app_url, "")  # the default page lives at "/" ("/home" shows "Page not found")
    main = page.locator("[data-testid='stMain']")
    assert "Recommended order for a newcomer" in main.inner_text()
    links = main.locator("[data-testid='stPageLink']")
    expect(links).to_have_count(len(_home_lessons()))
    links.first.click()
    wait_idle(page)
    page.wait_for_selector(DIAGRAM)
    assert "/build" in page.url
