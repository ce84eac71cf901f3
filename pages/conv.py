"""Convolution stepper: one output value at a time, every multiplication written out.

Reads the settings (sidebar) and the input/kernel values, asks ``cnnviz.ops_conv`` /
``cnnviz.ops_transposed`` for the step at the chosen output cell and ``cnnviz.viz_conv`` /
``cnnviz.viz_grid`` for the figures; keeps the last valid settings when an input is wrong. Also
opens a Conv2d layer sent by the Build page (``stepper_request``).

The page's parts live in ``pages/_conv_*.py``: ``_conv_settings`` (sidebar, widget defaults),
``_conv_request`` (a layer from the Build page), ``_conv_inputs`` (input values, kernels),
``_conv_stepper`` (compute, pick the cell, show the step) and ``_conv_explain`` (formulas, other
filters, code, the transposed input).
"""

from __future__ import annotations

import streamlit as st

from cnnviz.specs import Problem, SpecError
from pages._conv_explain import (
    formulas,
    show_code,
    show_explainers,
    show_filters,
    transposed_section,
)
from pages._conv_inputs import input_values, kernel_weights
from pages._conv_request import show_request, take_request
from pages._conv_settings import DEFAULTS, settings_sidebar
from pages._conv_stepper import compute, show_step, step_at, step_controls
from pages._ui import restore_widgets, save_widgets, show_problems, tr

restore_widgets("conv", DEFAULTS)
take_request()
st.title(tr("conv.title"))
st.caption(tr("conv.intro"))

cfg = settings_sidebar()
show_request(cfg["source"])

problems: list[Problem] = []
x = input_values(cfg, problems)
w = kernel_weights(cfg, problems)
state = None
if x is not None and w is not None and not problems:
    try:
        state = compute(cfg, x, w)
    except SpecError as error:
        problems.extend(error.problems)
if problems or state is None:
    # say what is wrong, then keep stepping through the last valid settings (if any)
    show_problems(problems)
    state = st.session_state.get("conv_last_good")
    if state is None:
        save_widgets("conv", DEFAULTS)
        st.stop()
    if not st.session_state.pop("conv_waiting", False):
        st.warning(tr("conv.kept_last_valid"), icon="↩️")
else:
    st.session_state["conv_last_good"] = state

filter_index, i, j = step_controls(state["first"])
step = step_at(state, filter_index, i, j)
show_step(step, filter_index, i, j)

left, right = st.columns([1, 1])
with left:
    code = formulas(state, step)
with right:
    show_filters(step, filter_index)
    show_explainers(state["cfg"])
show_code(code)
if state["cfg"]["mode"] == "transposed" and state["transposed"] is not None:
    transposed_section(state, step)
save_widgets("conv", DEFAULTS)
