"""The pruning lab: make a trained network small, and see what it costs and what it buys.

Reads top to bottom as the lesson: 1. which trained network, 2. one pruning looked at closely
(per layer, histograms, the first layer's filters), 3. what it buys (sizes, the structured
rebuild, export), 4. accuracy against sparsity for every method with a fine-tune in the
background, 5. sparsity penalties, 6. knowledge distillation. Widget groups live in this folder;
every number comes from ``cnnviz.compress``.
"""

from __future__ import annotations

import streamlit as st

from pages.prune.distill import DISTILL_DEFAULTS, distill_ui
from pages.prune.penalty import penalty_ui
from pages.prune.single import SINGLE_DEFAULTS, dense_accuracy, single_ui
from pages.prune.source import source_ui
from pages.prune.sweep import SWEEP_DEFAULTS, sweep_ui
from pages.shared.flash import show_flash
from pages.shared.session import tr, use_router
from pages.shared.widgets import set_defaults

use_router()

set_defaults({**SINGLE_DEFAULTS, **SWEEP_DEFAULTS, **DISTILL_DEFAULTS})
st.title(tr("prune.title"))
st.caption(tr("prune.intro"))
with st.expander(tr("prune.notice.title")):
    st.markdown(tr("prune.notice.body"))
show_flash("prune")

# 1. Which trained network
st.header(tr("prune.source.title"))
source = source_ui()
if source is not None:
    st.caption(tr("prune.source.accuracy", acc=f"{100 * dense_accuracy(source):.1f}"))

    # 2-3. One pruning, per layer; what it buys
    st.header(tr("prune.one.title"))
    single_ui(source)

    # 4. Accuracy against sparsity, every method, with and without a fine-tune
    st.header(tr("prune.sweep.title"))
    st.caption(tr("prune.sweep.intro"))
    sweep_ui(source)

    # 5. Sparsity penalties
    st.header(tr("prune.penalty.title"))
    penalty_ui(source)

    # 6. Knowledge distillation
    st.header(tr("prune.distill.title"))
    distill_ui(source)
