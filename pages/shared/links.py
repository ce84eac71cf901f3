"""Links between pages: to a page of the app by its url_path, and to a source article's entry.

A page is found by the url_path it is registered with in app.py (``st.navigation``), so data in
the library (``cnnviz.lessons.CONCEPTS``) can name pages without knowing their files. An article
is cited by its title and linked to its anchor on the Sources page (``sources?lang=zh#a003``): a
Markdown link opens in a new tab (Streamlit's rule for links other than ``#anchor``), so the
language travels in the URL and the learner keeps the page they were on.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cnnviz.lessons import Article, citation
from pages.shared.session import lang

__all__ = ["AppPage", "article_link", "escape_markdown", "link_to_page", "registered_pages"]

_MARKDOWN_SPECIAL = "\\`*_[]<>#|"


@dataclass(frozen=True)
class AppPage:
    """A page registered in app.py: its url_path ("" for the home page), file, title and icon."""

    url_path: str
    script_path: str
    title: str
    icon: str


def registered_pages() -> dict[str, AppPage]:
    """The pages app.py registered in this run, by url_path (titles in the session's language)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return {}
    pages = {}
    for info in ctx.pages_manager.get_pages().values():
        url_path = info.get("url_pathname")
        if url_path is None or not info.get("script_path"):
            continue  # not registered through st.navigation (e.g. before the router ran)
        pages[url_path] = AppPage(
            url_path, info["script_path"], info.get("page_name", ""), info.get("icon") or ""
        )
    return pages


def link_to_page(page: AppPage, label: str) -> None:
    """An ``st.page_link`` to ``page`` (same tab, same session), with the page's icon."""
    st.page_link(page.script_path, label=label, icon=page.icon or None)


def escape_markdown(text: str) -> str:
    """``text`` with Markdown's special characters escaped (titles such as "[深度学习] 卷积神经网络CNN")."""
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char for char in text)


def article_link(article: Article, text: str = "") -> str:
    """Markdown: ``text`` (by default the article's citation by title) linked to the article's
    entry on the Sources page."""
    language = lang()
    label = escape_markdown(text or citation(article, language))
    return f"[{label}](sources?lang={language}#{article.id})"
