"""Activation functions and their gradients: the curves, why a non-linearity, vanishing gradients
in a real backward pass, the bottleneck block, and dead ReLUs. Every number from cnnviz.concepts."""

from __future__ import annotations

import streamlit as st

from pages.activations.curves import curves_section, linearity_section
from pages.activations.dead import dead_section
from pages.activations.vanishing import bottleneck_section, vanishing_section
from pages.shared.flash import show_flash
from pages.shared.session import tr, use_router

use_router()

st.title(tr("act.title"))
st.markdown(tr("act.intro", dnn=tr("why.article.dnn"), alexnet=tr("why.article.alexnet")))
show_flash("activations")
curves_section()
st.divider()
linearity_section()
st.divider()
vanishing_section()
bottleneck_section()
st.divider()
dead_section()
