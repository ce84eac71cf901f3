"""cnnviz: the router. Page config, the shared sidebar (language, device), and navigation."""

from __future__ import annotations

import streamlit as st

from pages._ui import current_device_label, language_selector, tr

st.set_page_config(page_title="cnnviz", page_icon="🧠", layout="wide")

language_selector()
st.sidebar.caption(f"**{tr('app.device')}:** {current_device_label()}")

pages = {
    tr("nav.section.learn"): [
        st.Page("pages/home.py", title=tr("nav.home"), icon="🏠", default=True),  # served at /
        st.Page("pages/build.py", title=tr("nav.build"), icon="🧱", url_path="build"),
    ],
    tr("nav.section.arith"): [
        st.Page("pages/conv.py", title=tr("nav.conv"), icon="🔢", url_path="conv"),
        st.Page("pages/pool.py", title=tr("nav.pool"), icon="🔽", url_path="pool"),
        st.Page(
            "pages/walkthrough.py", title=tr("nav.walkthrough"), icon="🧮", url_path="walkthrough"
        ),
        st.Page("pages/practice.py", title=tr("nav.practice"), icon="✏️", url_path="practice"),
    ],
    tr("nav.section.train"): [
        st.Page("pages/train.py", title=tr("nav.train"), icon="📈", url_path="train"),
        st.Page("pages/lab.py", title=tr("nav.lab"), icon="🧪", url_path="lab"),
    ],
}
st.navigation(pages).run()
