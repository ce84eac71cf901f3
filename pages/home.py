"""Start here: what cnnviz teaches, the order a newcomer should follow, one card per page."""

from __future__ import annotations

import streamlit as st

from pages.shared.session import current_device_label, lang, tr, use_router

use_router()

# (page file, navigation key, icon) in the recommended order.
LESSONS: tuple[tuple[str, str, str], ...] = (
    ("pages/build/page.py", "build", "🧱"),
    ("pages/conv/page.py", "conv", "🔢"),
    ("pages/pool/page.py", "pool", "🔽"),
    ("pages/walkthrough.py", "walkthrough", "🧮"),
    ("pages/practice.py", "practice", "✏️"),
    ("pages/activations/page.py", "activations", "〰️"),
    ("pages/losses/page.py", "losses", "🎯"),
    ("pages/optimizers/page.py", "optimizers", "🏔️"),
    ("pages/learning_rate/page.py", "learning_rate", "🎚️"),
    ("pages/init/page.py", "init", "🎲"),
    ("pages/train/page.py", "train", "📈"),
    ("pages/regularize/page.py", "regularize", "🧯"),
    ("pages/lab/page.py", "lab", "🧪"),
    ("pages/beyond/page.py", "beyond", "🧩"),
    ("pages/inside/page.py", "inside", "🔬"),
    ("pages/prune/page.py", "prune", "✂️"),
    ("pages/teach/course.py", "lessons", "📖"),
    ("pages/teach/classroom.py", "class", "🧑‍🏫"),
    ("pages/sources.py", "sources", "📚"),
)

st.title(tr("app.title"))
st.markdown(tr("home.intro"))

st.subheader(tr("home.order_title"))
# three short numbered columns: the whole order fits on a projector's screen (the cards below
# say what each page teaches)
PER_COLUMN = -(-len(LESSONS) // 3)
for start, column in zip(range(0, len(LESSONS), PER_COLUMN), st.columns(3), strict=False):
    column.markdown(
        "\n".join(
            f"{number}. {icon} **{tr(f'nav.{key}')}**"
            for number, (_, key, icon) in enumerate(
                LESSONS[start : start + PER_COLUMN], start=start + 1
            )
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
