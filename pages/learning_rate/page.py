"""Learning rate: the schedules, the range test and the batch size, on one small problem.

The page reads top to bottom as the lesson does: 1. every schedule of the Train page drawn and then
used to train the same small CNN (the runs join the history the Overfitting lab compares), 2. the
LR range test with its suggested range and "Use this LR", 3. batch sizes from 1 to the full batch:
the noise of the gradient estimate, time per epoch, loss against epochs and against seconds.
Everything that trains runs in the background job machinery (``cnnviz.jobs``), one job of this
page at a time; the parts live in this folder (``schedules``, ``range_test``, ``batch``; session
keys in ``state``).
"""

from __future__ import annotations

import streamlit as st

from pages.learning_rate.batch import batch_ui
from pages.learning_rate.range_test import range_test_ui
from pages.learning_rate.schedules import schedules_ui
from pages.learning_rate.state import DEFAULTS, PAGE, SLOTS
from pages.shared.flash import show_flash
from pages.shared.jobs import slot_job
from pages.shared.session import tr, use_router
from pages.shared.widgets import set_defaults

use_router()

set_defaults(DEFAULTS)
st.title(tr("lrate.title"))
st.markdown(tr("lrate.intro"))
show_flash(PAGE)
for slot in SLOTS:  # a job of this page keeps running while the page is shown
    job = slot_job(slot)
    if job is not None and job.active:
        job.heartbeat()

# 1. Schedules: how the learning rate changes during a run
st.header(tr("lrate.sched.title"))
schedules_ui()

# 2. The range test: which learning rate to start from
st.header(tr("lrate.range.title"))
range_test_ui()

# 3. Batch size: how many images per step
st.header(tr("lrate.batch.title"))
batch_ui()
