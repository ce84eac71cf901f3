"""Sources: the five articles cnnviz follows, by their own titles, each with its summary, the
concepts it teaches (linked to the page that explores each) and the mistakes cnnviz found in it
(with where the app shows the correction). The data is ``cnnviz.lessons.ARTICLES``; each article's
heading carries its id as anchor, so ``sources#a003`` opens at its entry."""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import ARTICLES, concepts_by_page, link_path, quote_title
from pages.shared.links import escape_markdown, link_to_page, registered_pages
from pages.shared.session import lang, tr, use_router

use_router()

pages = registered_pages()

st.title(tr("sources.title"))
st.markdown(tr("sources.intro"))

st.markdown(f"**{tr('sources.contents')}**")
st.markdown(
    "\n".join(
        f"{number}. [{escape_markdown(quote_title(article.title, lang()))}](#{article.id})"
        for number, article in enumerate(ARTICLES, start=1)
    )
)

for number, article in enumerate(ARTICLES, start=1):
    st.divider()
    st.subheader(f"{number}\\. {escape_markdown(article.title)}", anchor=article.id)
    st.caption(tr(article.origin))
    if article.companion:
        companion = escape_markdown(quote_title(article.companion, lang()))
        st.caption(tr("sources.companion", title=companion))
    st.markdown(tr(article.summary))

    st.markdown(f"**{tr('sources.concepts_title')}**")
    for path, concepts in concepts_by_page(article, pages):
        page_column, concepts_column = st.columns([1, 3], vertical_alignment="center")
        if path in pages:  # always: tests/test_sources.py checks every path against app.py
            with page_column:
                link_to_page(pages[path], pages[path].title)
        with concepts_column:
            st.markdown(" · ".join(tr(concept.label_key) for concept in concepts))

    st.markdown(f"**{tr('sources.mistakes_title')}**")
    for correction in article.corrections:
        with st.container(border=True):
            st.markdown(correction.message.text(lang()))
            path = link_path(correction, pages)
            if path is not None and path in pages:
                link_to_page(pages[path], tr("sources.see_correction", page=pages[path].title))
