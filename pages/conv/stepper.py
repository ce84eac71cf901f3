"""Convolution stepper: pick the filter and the output cell, show the step. Never a page.

The steps themselves come from ``cnnviz.lessons.compute_conv`` / ``ConvStepper.step_at``;
``step_controls`` picks the filter and output cell (Back/Next buttons beside the quick settings
above the figure, a position slider under it, or a click on the figure's output grid);
``show_step`` draws the window, the products and, beside them, the written sum. Session keys:
``conv_pos``, ``conv_filter`` (widgets), ``conv_num_positions`` and ``conv_out_w`` (for the
callbacks).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
import streamlit as st

from cnnviz.ops import ConvStep
from cnnviz.viz import conv_stepper_figure, written_sum
from pages.shared.charts import STATIC_CONFIG
from pages.shared.session import lang, tr
from pages.shared.stepper_controls import jump_to_clicked_cell, position_controls

__all__ = ["show_step", "step_controls"]


def step_controls(first: ConvStep, back: Any, forward: Any, below: Any) -> tuple[int, int, int]:
    """Back and Next (in the containers ``back`` and ``forward``), the filter number and the
    position slider (in ``below``); returns (filter, row, column)."""
    num_filters, out_h, out_w = first.output.shape
    num_positions = out_h * out_w
    st.session_state["conv_num_positions"] = num_positions
    st.session_state["conv_out_w"] = out_w
    # a new setting may shrink the output: keep the cell and the filter inside it
    st.session_state["conv_pos"] = int(
        np.clip(st.session_state.get("conv_pos", 0), 0, num_positions - 1)
    )
    st.session_state["conv_filter"] = int(
        np.clip(st.session_state.get("conv_filter", 0), 0, num_filters - 1)
    )
    filter_index = 0
    with below:
        if num_filters > 1:
            filter_col, slider_col = st.columns([1, 4], vertical_alignment="bottom")
            filter_index = int(
                filter_col.number_input(
                    tr("conv.filter_to_step"), 0, num_filters - 1, step=1, key="conv_filter"
                )
            )
        else:
            slider_col = st.container()
    i, j = position_controls("conv", [back, forward, slider_col], num_positions, out_w)
    return filter_index, i, j


def show_step(step: ConvStep, filter_index: int, i: int, j: int) -> None:
    """The stepper figure (click an output cell to jump there) and, beside it, the written-out
    sum, one line per kernel row."""
    figure_col, sum_col = st.columns([2.7, 1])
    with figure_col:
        st.plotly_chart(
            conv_stepper_figure(step, lang()),
            width="stretch",
            config=STATIC_CONFIG,
            key="conv_figure",
            on_select=partial(jump_to_clicked_cell, "conv"),
            selection_mode="points",
        )
    with sum_col:
        st.markdown(tr("conv.sum_title", i=i, j=j, f=filter_index))
        words = (tr("conv.word_channel"), tr("conv.word_bias"), tr("conv.word_total"))
        st.code("\n".join(written_sum(step, *words, per_row=True)), language=None, wrap_lines=True)
