"""cnnviz: the router. Page config, the shared sidebar (language, device), and navigation."""

from __future__ import annotations

import os

import streamlit as st

from pages.shared.jobs import redrawn_if_a_job_ends
from pages.shared.layout import projector_css
from pages.shared.presenter import presenter_mode
from pages.shared.session import current_device_label, follow_deep_link, language_selector, tr

st.set_page_config(page_title="cnnviz", page_icon="🧠", layout="wide")
projector_css()

language_selector()
presenter_mode()
st.sidebar.caption(f"**{tr('app.device')}:** {current_device_label()}")

pages = {
    tr("nav.section.learn"): [
        st.Page("pages/home.py", title=tr("nav.home"), icon="🏠", default=True),  # served at /
        st.Page("pages/build/page.py", title=tr("nav.build"), icon="🧱", url_path="build"),
        st.Page("pages/sources.py", title=tr("nav.sources"), icon="📚", url_path="sources"),
    ],
    tr("nav.section.arith"): [
        st.Page("pages/conv/page.py", title=tr("nav.conv"), icon="🔢", url_path="conv"),
        st.Page("pages/pool/page.py", title=tr("nav.pool"), icon="🔽", url_path="pool"),
        st.Page(
            "pages/walkthrough.py", title=tr("nav.walkthrough"), icon="🧮", url_path="walkthrough"
        ),
        st.Page("pages/practice.py", title=tr("nav.practice"), icon="✏️", url_path="practice"),
    ],
    tr("nav.section.teach"): [
        st.Page("pages/teach/course.py", title=tr("nav.lessons"), icon="📖", url_path="lessons"),
        st.Page("pages/teach/lesson.py", title=tr("nav.lesson"), icon="👣", url_path="lesson"),
        st.Page("pages/teach/classroom.py", title=tr("nav.class"), icon="🧑‍🏫", url_path="class"),
    ],
    tr("nav.section.train"): [
        st.Page("pages/train/page.py", title=tr("nav.train"), icon="📈", url_path="train"),
        st.Page("pages/lab/page.py", title=tr("nav.lab"), icon="🧪", url_path="lab"),
        st.Page("pages/beyond/page.py", title=tr("nav.beyond"), icon="🧩", url_path="beyond"),
        st.Page("pages/prune/page.py", title=tr("nav.prune"), icon="✂️", url_path="prune"),
    ],
    tr("nav.section.concepts"): [
        st.Page(
            "pages/activations/page.py",
            title=tr("nav.activations"),
            icon="〰️",
            url_path="activations",
        ),
        st.Page("pages/losses/page.py", title=tr("nav.losses"), icon="🎯", url_path="losses"),
        st.Page(
            "pages/regularize/page.py", title=tr("nav.regularize"), icon="🧯", url_path="regularize"
        ),
        st.Page("pages/inside/page.py", title=tr("nav.inside"), icon="🔬", url_path="inside"),
        st.Page(
            "pages/optimizers/page.py", title=tr("nav.optimizers"), icon="🏔️", url_path="optimizers"
        ),
        st.Page(
            "pages/learning_rate/page.py",
            title=tr("nav.learning_rate"),
            icon="🎚️",
            url_path="learning-rate",
        ),
        st.Page("pages/init/page.py", title=tr("nav.init"), icon="🎲", url_path="init"),
    ],
}
if os.environ.get("CNNVIZ_ADMIN_SECRET"):  # the teacher's view of the server (pages/admin.py)
    pages[tr("nav.section.train")].append(
        st.Page(
            "pages/admin.py",
            title=tr("nav.admin"),
            icon="🛠️",
            url_path="admin",
            visibility="visible" if st.session_state.get("admin_ok") else "hidden",
        )
    )
page = st.navigation(pages)
follow_deep_link([p for section in pages.values() for p in section], page)
with redrawn_if_a_job_ends():  # a job that ends mid-run would leave the page half drawn
    page.run()
