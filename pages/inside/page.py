"""Look inside a trained network: why it answered as it did (attribution), what its filters want
to see, how shifting the picture moves its maps and its answer, what one cell of a map can see,
and how good its features are for a linear classifier.

The page reads top to bottom: 1. the network (any trained in this session, or the default one
trained here in seconds), 2. the picture, 3. the section to explore. Each section lives in a
module beside this file; every number comes from ``cnnviz.inside``; long work runs in the
server's job pool (``pages.inside.jobs``).
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import article_by_id, citation
from pages.inside.attribution import attribution_section
from pages.inside.common import PAGE, class_labels, formatter
from pages.inside.filters import filters_section
from pages.inside.invariance import invariance_section
from pages.inside.picture import choose_picture
from pages.inside.probe import probe_section
from pages.inside.receptive import receptive_section
from pages.inside.source import choose_source
from pages.shared.flash import show_flash
from pages.shared.session import lang, tr, use_router
from pages.shared.widgets import PERSIST, set_defaults

use_router()

SECTIONS = ("attribution", "filters", "invariance", "receptive", "probe")

st.title(tr("inside.title"))
st.markdown(
    tr(
        "inside.intro",
        a001=citation(article_by_id("a001"), lang()),
        a002=citation(article_by_id("a002"), lang()),
    )
)
show_flash(PAGE)

# 1. The network
st.header(tr("inside.step.network"))
chosen = choose_source()
if chosen is not None:
    token, inside = chosen

    # 2. The picture every section looks at (the probe and the filters use the validation set)
    st.header(tr("inside.step.picture"))
    picture_col, answer_col = st.columns([3, 2])
    with picture_col:
        picture = choose_picture(inside)
    if picture is not None:
        with answer_col:
            probabilities = inside.predict(picture.x)
            best = int(probabilities.argmax())
            st.image(picture.rgb, caption=picture.label, width=112)
            st.metric(
                tr("inside.picture.prediction"),
                class_labels(inside)[best],
                f"{100 * float(probabilities[best]):.1f}%",
                delta_color="off",
            )

    # 3. What to look at
    st.header(tr("inside.step.explore"))
    set_defaults({"inside_section": SECTIONS[0]})
    section = st.segmented_control(
        tr("inside.section"),
        SECTIONS,
        format_func=formatter("inside.section."),
        key="inside_section",
        required=True,
        persist_state=PERSIST,
    )
    needs_picture = section in ("attribution", "invariance", "receptive")
    if needs_picture and picture is None:
        st.info(tr("inside.need_picture"), icon="✏️")
    elif section == "attribution" and picture is not None:
        attribution_section(token, inside, picture)
    elif section == "filters":
        filters_section(token, inside)
    elif section == "invariance" and picture is not None:
        invariance_section(token, inside, picture)
    elif section == "receptive" and picture is not None:
        receptive_section(token, inside, picture)
    elif section == "probe":
        probe_section(token, inside)
