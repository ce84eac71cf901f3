"""Pooling stepper: pick the output cell and show the step, forward or backward. Never a page.

``step_controls`` draws Back / Next, the forward/backward switch and the position slider in one
row (a click on the forward figure's output grid jumps too); ``show_step`` draws the window (and
the arg-max for max pooling) with the pooled value written out beside it. The backward row
(``pages.pool.backward``) is driven by the same controls. Session keys: ``pool_pos`` (widget),
``pool_pass`` (forward or backward), ``pool_figure`` (the clickable chart),
``pool_num_positions`` and ``pool_out_w`` (for the callbacks).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import streamlit as st

from cnnviz.i18n import t
from cnnviz.ops import PoolStep
from cnnviz.viz import pool_expression, pool_stepper_figure
from pages.shared.charts import STATIC_CONFIG
from pages.shared.session import lang, tr
from pages.shared.stepper_controls import jump_to_clicked_cell, position_controls
from pages.shared.widgets import PERSIST

__all__ = ["PASSES", "show_step", "step_controls"]

PASSES = ("forward", "backward")


def step_controls(first: PoolStep) -> tuple[int, int, str]:
    """Back/Next, forward or backward, and the position slider; returns (row, column, pass)."""
    _, out_h, out_w = first.output.shape
    num_positions = out_h * out_w
    st.session_state["pool_num_positions"] = num_positions
    st.session_state["pool_out_w"] = out_w
    # a new setting may shrink the output: keep the cell inside it
    st.session_state["pool_pos"] = int(
        np.clip(st.session_state.get("pool_pos", 0), 0, num_positions - 1)
    )
    back, forward, switch, slider = st.columns([0.9, 0.9, 2.4, 4.2], vertical_alignment="bottom")
    language = lang()  # bound into format_func: it may run after this script run
    direction = switch.segmented_control(
        tr("pool.pass"),
        PASSES,
        format_func=lambda p, language=language: t(f"pool.pass_{p}", language),
        key="pool_pass",
        persist_state=PERSIST,
        help=tr("pool.pass_help"),
    )
    i, j = position_controls("pool", [back, forward, slider], num_positions, out_w)
    return i, j, direction or "forward"


def show_step(step: PoolStep, i: int, j: int) -> None:
    """The stepper figure (click an output cell to jump there) and the pooled value beside it."""
    figure_col, text_col = st.columns([2.7, 1])
    with figure_col:
        st.plotly_chart(
            pool_stepper_figure(step, lang()),
            width="stretch",
            config=STATIC_CONFIG,
            key="pool_figure",
            on_select=partial(jump_to_clicked_cell, "pool"),
            selection_mode="points",
        )
    with text_col:
        st.markdown(tr("pool.sum_title", i=i, j=j))
        st.code(pool_expression(step), language=None, wrap_lines=True)
        st.caption(tr("conv.figure_help"))
