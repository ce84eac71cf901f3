"""Start here: what cnnviz teaches, the order a newcomer should follow, one card per page."""

from __future__ import annotations

import streamlit as st

from pages._ui import current_device_label, lang, tr

# (page file, navigation key, icon) in the recommended order.
LESSONS: tuple[tuple[str, str, str], ...] = (
    ("pages/build.py", "build", "🧱"),
    ("pages/conv.py", "conv", "🔢"),
    ("pages/pool.py", "pool", "🔽"),
    ("pages/walkthrough.py", "walkthrough", "🧮"),
    ("pages/practice.py", "practice", "✏️"),
    ("pages/train.py", "train", "📈"),
    ("pages/lab.py", "lab", "🧪"),
)

st.title(tr("app.title"))
st.markdown(tr("home.intro"))

st.subheader(tr("home.order_title"))
st.markdown(
    "  \n".join(
        f"{number}. {icon} **{tr(f'nav.{key}')}**: {tr(f'home.step.{key}')}"
        for number, (_, key, icon) in enumerate(LESSONS, start=1)
    )
)

st.subheader(tr("home.pages_title"))
for position, (path, key, icon) in enumerate(LESSONS):
    if position % 2 == 0:  # two cards per row, in the recommended order
        columns = st.columns(2, gap="medium")
    with columns[position % 2], st.container(border=True, height="stretch"):
        st.markdown(f"#### {icon} {position + 1}. {tr(f'nav.{key}')}")
        st.markdown(tr(f"home.card.{key}"))
        st.page_link(path, label=tr("home.open", page=tr(f"nav.{key}")), icon="➡️")

st.subheader(tr("home.device_title"))
st.markdown(tr("home.device", device=current_device_label()))

st.subheader(tr("home.classroom_title"))
other = "en" if lang() == "zh" else "zh"
st.markdown(tr("home.classroom", other_link=f"?lang={other}"))
