"""Convolution stepper: compute the steps, pick the output cell, show the step. Never a page.

``compute`` validates the settings by computing the first step (``cnnviz.ops_conv`` /
``cnnviz.ops_transposed``); ``step_controls`` picks the filter and output cell (Back/Next buttons,
a position slider, or a click on the figure's output grid); ``show_step`` draws the window, the
products and the written sum. Session keys: ``conv_pos``, ``conv_filter`` (widgets),
``conv_num_positions`` and ``conv_out_w`` (for the callbacks).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from cnnviz.ops_conv import ConvStep, conv_step, flip_kernel
from cnnviz.ops_transposed import conv_transpose_step, transposed_input
from cnnviz.viz_conv import conv_stepper_figure, written_sum
from pages._stepper_ui import position_controls
from pages._ui import STATIC_CONFIG, lang, tr

__all__ = ["compute", "show_step", "step_at", "step_controls"]


def _step(
    cfg: dict[str, Any], x: np.ndarray, w: np.ndarray, index: tuple[int, int, int]
) -> ConvStep:
    """The step at output cell ``index = (filter, i, j)`` for these settings."""
    bias = None if cfg["bias"] is None else np.full(cfg["filters"], cfg["bias"])
    if cfg["mode"] == "transposed":
        w_t = np.ascontiguousarray(w.transpose(1, 0, 2, 3))  # (C_in, F, kh, kw), PyTorch's layout
        return conv_transpose_step(
            x,
            w_t,
            bias,
            cfg["stride"],
            cfg["padding"],
            cfg["output_padding"],
            cfg["dilation"],
            index,
        )
    used = flip_kernel(w) if cfg["flip"] else w
    return conv_step(
        x, used, bias, cfg["stride"], cfg["padding"], cfg["dilation"], cfg["groups"], index
    )


def compute(cfg: dict[str, Any], x: np.ndarray, w: np.ndarray) -> dict[str, Any]:
    """Validate by computing the first step; returns everything later steps need."""
    first = _step(cfg, x, w, (0, 0, 0))
    setup = None
    if cfg["mode"] == "transposed":
        setup = transposed_input(
            x, cfg["kernel"], cfg["stride"], cfg["padding"], cfg["output_padding"], cfg["dilation"]
        )
    return {"cfg": cfg, "x": x, "w": w, "first": first, "transposed": setup}


def _move(delta: int) -> None:
    """Back/Next: move ``delta`` output cells, staying inside the output."""
    last = st.session_state.get("conv_num_positions", 1) - 1
    st.session_state["conv_pos"] = int(
        np.clip(st.session_state.get("conv_pos", 0) + delta, 0, last)
    )


def _on_click() -> None:
    """A click on the figure's output grid jumps to that output cell."""
    event = st.session_state.get("conv_figure")
    points = (event or {}).get("selection", {}).get("points", [])
    out_w = st.session_state.get("conv_out_w", 1)
    for point in points:
        # only the click layer carries customdata; its marker sits at x = column, y = row
        if point.get("customdata") is not None and "x" in point and "y" in point:
            row, col = round(float(point["y"])), round(float(point["x"]))
            st.session_state["conv_pos"] = int(row * out_w + col)
            return


def step_controls(first: ConvStep) -> tuple[int, int, int]:
    """Filter number, Back/Next and the position slider; returns (filter, row, column)."""
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
    if num_filters > 1:
        controls = st.columns([1.3, 0.7, 0.7, 4.5], vertical_alignment="bottom")
        filter_index = int(
            controls[0].number_input(
                tr("conv.filter_to_step"), 0, num_filters - 1, step=1, key="conv_filter"
            )
        )
        controls = controls[1:]
    else:
        controls = st.columns([0.7, 0.7, 5.8], vertical_alignment="bottom")
    i, j = position_controls("conv", controls, num_positions, out_w, _move)
    return filter_index, i, j


def step_at(state: dict[str, Any], filter_index: int, i: int, j: int) -> ConvStep:
    """The step at output cell (i, j) of filter ``filter_index`` (filter 0 is already computed)."""
    if filter_index == 0:
        return state["first"].at(i, j)
    return _step(state["cfg"], state["x"], state["w"], (filter_index, i, j))


def show_step(step: ConvStep, filter_index: int, i: int, j: int) -> None:
    """The stepper figure (click an output cell to jump there) and the written-out sum."""
    st.plotly_chart(
        conv_stepper_figure(step, lang()),
        width="stretch",
        config=STATIC_CONFIG,
        key="conv_figure",
        on_select=_on_click,
        selection_mode="points",
    )
    st.caption(tr("conv.figure_help"))
    st.markdown(tr("conv.sum_title", i=i, j=j, f=filter_index))
    st.code(
        "\n".join(
            written_sum(step, tr("conv.word_channel"), tr("conv.word_bias"), tr("conv.word_total"))
        ),
        language=None,
        wrap_lines=True,
    )
