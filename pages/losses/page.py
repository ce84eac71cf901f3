"""Softmax, cross-entropy and the loss catalogue: the article's example, every loss with its
gradient, MSE against cross-entropy after a sigmoid, and metric learning. Numbers from cnnviz.concepts."""

from __future__ import annotations

import streamlit as st

from pages.losses.catalogue import catalogue_section, images_section
from pages.losses.metric import embedding_section, metric_section
from pages.losses.neuron import neuron_section
from pages.losses.softmax import softmax_section
from pages.shared.explorer import TRAIN_PAGE
from pages.shared.flash import show_flash
from pages.shared.session import tr, use_router

use_router()

st.title(tr("loss.title"))
st.markdown(tr("loss.intro"))
show_flash("losses")
computed = softmax_section()
st.divider()
if computed is not None:
    result, _ = computed
    catalogue_section(tuple(float(z) for z in result.logits), result.target)
images_section()
st.divider()
neuron_section()
st.divider()
metric_section()
embedding_section()
st.page_link(TRAIN_PAGE, label=tr("why.link.train"), icon="📈")
