"""Convolution stepper: one output value at a time, every multiplication written out.

Reads the settings (the most used ones on the page above the figure, all of them in the sidebar)
and the input/kernel values, asks ``cnnviz.lessons.compute_conv`` for the step at the chosen output
cell (``cnnviz.ops.conv`` / ``cnnviz.ops.transposed``) and ``cnnviz.viz.conv`` /
``cnnviz.viz.grid`` for the figures; keeps the last valid settings when an input is wrong. Also
opens a Conv2d layer sent by the Build page (``stepper_request``) and a share link (``?conv=``).

On a 1024x576 projector the settings row (presets, kernel, stride, padding, Back, Next), the
figure and the written sum beside it fit the screen together.

The page's parts live in ``pages/conv/``: ``settings`` (sidebar, widget defaults), ``quick`` (the
settings row, the fix for "same" with a stride), ``request`` (a layer from the Build page),
``link`` (the share link), ``inputs`` (input values, kernels), ``stepper`` (pick the cell, show
the step) and ``explain`` (formulas, other filters, code, the transposed input).
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import compute_conv, same_stride_conflict
from cnnviz.net import Problem, SpecError
from pages.conv.explain import (
    formulas,
    show_code,
    show_explainers,
    show_filters,
    transposed_section,
)
from pages.conv.inputs import input_values, kernel_weights
from pages.conv.link import publish_link, share_section, take_link
from pages.conv.quick import quick_settings, same_stride_fix
from pages.conv.request import show_request, take_request
from pages.conv.settings import DEFAULTS, settings_sidebar
from pages.conv.stepper import show_step, step_controls
from pages.shared.flash import show_flash
from pages.shared.session import show_problems, tr, use_router
from pages.shared.widgets import set_defaults

use_router()

set_defaults(DEFAULTS)
take_request()
take_link()
st.title(tr("conv.title"))
st.caption(tr("conv.intro"))
show_flash("conv")

settings = settings_sidebar()
show_request(settings.source)

# The settings row above the figure: presets, kernel, stride, padding, then Back and Next.
row = st.columns([3.3, 1, 1, 1.3, 0.95, 0.95], vertical_alignment="bottom")
quick_settings(settings, row[:4])
notices = st.container()  # what is wrong with the settings, and its one-click fix
figure = st.container()
below = st.container()  # the filter number and the position slider
editors = st.container()  # typed grids

problems: list[Problem] = []
stepper = None
if same_stride_conflict(settings):
    with notices:
        same_stride_fix(settings)
else:
    with editors:
        x = input_values(settings, problems)
        w = kernel_weights(settings, problems)
    if x is not None and w is not None and not problems:
        try:
            stepper = compute_conv(settings, x, w)
        except SpecError as error:
            problems.extend(error.problems)
if stepper is None:
    # say what is wrong, then keep stepping through the last valid settings (if any)
    with notices:
        show_problems(problems)
        stepper = st.session_state.get("conv_last_good")
        if stepper is None:
            st.stop()
        if not st.session_state.pop("conv_waiting", False):
            st.warning(tr("conv.kept_last_valid"), icon="↩️")
else:
    st.session_state["conv_last_good"] = stepper

filter_index, i, j = step_controls(stepper.first, row[4], row[5], below)
step = stepper.step_at(filter_index, i, j)
with figure:
    show_step(step, filter_index, i, j)
token = publish_link(stepper.settings, filter_index, st.session_state["conv_pos"])
with below:
    st.caption(tr("conv.figure_help"))

left, right = st.columns([1, 1])
with left:
    code = formulas(stepper, step)
with right:
    show_filters(step, filter_index)
    show_explainers(stepper.settings)
show_code(code)
share_section(stepper.settings, token)
transposed_section(stepper, step)
