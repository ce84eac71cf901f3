"""Dropout and normalisation layers: inverted dropout with seeded masks, batch normalisation (one
batch, and a deep network trained with and without it), AlexNet's local response normalisation in
the paper's and PyTorch's conventions. Numbers from cnnviz.concepts."""

from __future__ import annotations

import streamlit as st

from pages.regularize.dropout import dropout_section
from pages.regularize.normalise import batchnorm_section, bn_training_section, lrn_section
from pages.shared.explorer import TRAIN_PAGE
from pages.shared.flash import show_flash
from pages.shared.session import tr, use_router

use_router()

st.title(tr("reg.title"))
st.markdown(tr("reg.intro"))
show_flash("regularize")
dropout_section()
st.divider()
batchnorm_section()
bn_training_section()
st.divider()
lrn_section()
st.page_link(TRAIN_PAGE, label=tr("why.link.train"), icon="📈")
