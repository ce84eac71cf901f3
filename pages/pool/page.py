"""Pooling stepper: max and average pooling window by window, their backward pass, overlapping
pooling and global average pooling.

Reads the settings (sidebar) and the input values, asks ``cnnviz.lessons.compute_pool`` for the
step at the chosen output cell (``cnnviz.ops.pool``) and ``cnnviz.viz.pool`` / ``cnnviz.viz.grid``
for the figures; keeps the last valid settings when an input is wrong. Also opens a MaxPool2d or
AvgPool2d layer sent by the Build page (``stepper_request``).

The page's parts live in ``pages/pool/``: ``settings`` (sidebar, widget defaults), ``request`` (a
layer from the Build page), ``inputs`` (input values, upstream gradient), ``stepper`` (pick the
cell and the pass, show the forward step), ``backward`` (the backward row: where the gradient
goes), ``explain`` (formulas, code) and ``extras`` (overlapping vs 2x2 tiles, global average
pooling).
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import compute_pool
from cnnviz.net import Problem, SpecError
from pages.pool.backward import show_backward
from pages.pool.explain import formulas
from pages.pool.extras import show_comparison, show_global_average
from pages.pool.inputs import input_values
from pages.pool.request import show_request, show_request_error, take_request
from pages.pool.settings import DEFAULTS, settings_sidebar
from pages.pool.stepper import show_step, step_controls
from pages.shared.session import show_problems, tr, use_router
from pages.shared.widgets import set_defaults

use_router()

set_defaults(DEFAULTS)
take_request()
st.title(tr("pool.title"))
st.caption(tr("pool.intro"))
show_request_error()

settings = settings_sidebar()
show_request(settings.source)

problems: list[Problem] = []
x = input_values(settings, problems)
stepper = None
if x is not None and not problems:
    try:
        stepper = compute_pool(settings, x)
    except SpecError as error:
        problems.extend(error.problems)
if problems or stepper is None:
    # say what is wrong, then keep stepping through the last valid settings (if any)
    show_problems(problems)
    stepper = st.session_state.get("pool_last_good")
    if stepper is None:
        st.stop()
    st.warning(tr("conv.kept_last_valid"), icon="↩️")
else:
    st.session_state["pool_last_good"] = stepper

# One step control drives both passes: forward (window -> pooled value) or backward (the
# full-width row input, dL/dy, dL/dx), each fitting a projector screen with Back and Next.
i, j, direction = step_controls(stepper.first)
step = stepper.step_at(i, j)
if direction == "backward":
    show_backward(stepper, step, settings)
else:
    show_step(step, i, j)
formulas(stepper)

show_comparison(stepper.channel_input)
show_global_average(stepper.channel_input)
