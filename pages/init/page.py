"""Initialisation: why not all zeros, what small and large weights do to a deep stack, He's 2/n.

The page reads top to bottom as the lesson does: 1. a 10-layer stack (linear or conv, tanh or
ReLU) under six initialisations, per-layer histograms of its activations and gradients from one
forward and backward pass on real images; 2. He's Var(w) = 2/n with the fan-in of your network
from the Build page; 3. the symmetry story, trained for real in the background: all zeros, a
constant, random. The parts live in this folder (``stack``, ``he``, ``symmetry``; session keys
in ``state``); every number comes from ``cnnviz.concepts``.
"""

from __future__ import annotations

import streamlit as st

from pages.init.he import he_ui
from pages.init.stack import stack_ui
from pages.init.state import DEFAULTS, JOB_SLOT, PAGE
from pages.init.symmetry import symmetry_ui
from pages.shared.flash import show_flash
from pages.shared.jobs import slot_job
from pages.shared.session import tr, use_router
from pages.shared.widgets import set_defaults

use_router()

set_defaults(DEFAULTS)
st.title(tr("init.title"))
st.markdown(tr("init.intro"))
show_flash(PAGE)
job = slot_job(JOB_SLOT)
if job is not None and job.active:
    job.heartbeat()

# 1. A deep stack under each initialisation
st.header(tr("init.stack.title"))
stack_ui()

# 2. He's formula with your network's numbers
st.header(tr("init.he.title"))
he_ui()

# 3. Symmetry: zeros, a constant, random
st.header(tr("init.sym.title"))
symmetry_ui()
