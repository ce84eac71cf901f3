"""The app shell under AppTest: router, sidebar (language, device), every page in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.i18n import CATALOG
from cnnviz.jobs import server_label

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = [
    "pages/home.py",
    "pages/build/page.py",
    "pages/conv/page.py",
    "pages/pool/page.py",
    "pages/walkthrough.py",
    "pages/practice.py",
    "pages/train/page.py",
    "pages/lab/page.py",
    "pages/beyond/page.py",
    "pages/activations/page.py",
    "pages/losses/page.py",
    "pages/regularize/page.py",
    "pages/prune/page.py",
    "pages/inside/page.py",
    "pages/optimizers/page.py",
    "pages/learning_rate/page.py",
    "pages/init/page.py",
    "pages/sources.py",
    "pages/teach/course.py",
    "pages/teach/lesson.py",
    "pages/teach/classroom.py",
]
# English sentences from the catalog; none may appear on a page rendered in Chinese.
ENGLISH_ONLY = {
    entry["en"]
    for entry in CATALOG.values()
    if entry["en"] != entry["zh"] and len(re.findall(r"[A-Za-z]{3,}", entry["en"])) >= 3
}
TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "button", "info", "error")


def _texts(at: AppTest) -> Iterator[str]:
    for kind in TEXT_ELEMENTS:
        for element in at.get(kind):
            value = getattr(element, "value", None) or getattr(element, "label", None)
            if isinstance(value, str):
                yield value
    for kind in ("selectbox", "slider", "number_input", "checkbox", "radio", "toggle", "expander"):
        for element in at.get(kind):
            label = getattr(element, "label", None)
            if isinstance(label, str):
                yield label


def _app(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    return at


def test_home_loads_with_language_switch_and_device() -> None:
    at = _app("en")
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "en"
    sidebar_text = " ".join(c.value for c in at.sidebar.caption)
    assert server_label("en") in sidebar_text  # the machine ("CPU (2 cores)"), not a thread count
    assert "Compute device" in sidebar_text


def test_language_switch_translates_the_page() -> None:
    at = _app("en")
    at.run()
    english = " ".join(_texts(at))
    assert not re.search(r"[\u4e00-\u9fff]{4}", english.replace("Language / 语言", ""))
    at.sidebar.selectbox[0].set_value("zh").run()
    assert not at.exception
    # AppTest drops the sidebar tree once st.navigation's titles change; the real-browser test
    # (tests/e2e/test_app_browser.py) checks the translated sidebar.
    chinese = " ".join(_texts(at))
    assert len(re.findall(r"[\u4e00-\u9fff]", chinese)) > 20


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(page: str, lang: str) -> None:
    at = _app(lang)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = list(_texts(at))
    assert texts, f"{page} rendered no text"
    if lang == "zh":
        leaked = sorted({text for text in texts if text in ENGLISH_ONLY})
        assert leaked == [], f"English text on the Chinese {page}: {leaked}"
        assert any(re.search(r"[\u4e00-\u9fff]", text) for text in texts)


def test_every_page_goes_through_the_shared_ui_module() -> None:
    """Every page calls pages.shared.session.use_router: a deep link on a fresh server goes through
    app.py's router."""
    root = Path(APP).parent
    for page in PAGES:
        source = (root / page).read_text(encoding="utf-8")
        assert "from pages.shared.session import" in source and "use_router()" in source, page
