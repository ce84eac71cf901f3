"""Convolution stepper: the formulas with the numbers filled in, and what surrounds the step.

Never a page. Also the other filters' outputs, the PyTorch code and, for ConvTranspose2d, the
zero-inserted, padded input that the transposed convolution slides over. Every formula string comes from ``cnnviz.arithmetic``; the figures from ``cnnviz.viz_grid``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cnnviz.arithmetic import (
    conv_mult_adds,
    conv_output_formula_asym,
    conv_params_formula,
    effective_kernel,
    transposed_output_formula,
    unreached_asym,
    zero_inserted_formula,
)
from cnnviz.ops_conv import ConvStep
from cnnviz.ops_transposed import TransposedInput
from cnnviz.viz_conv import conv_code
from cnnviz.viz_grid import grid_figure, montage_figure
from pages._ui import STATIC_CONFIG, lang, tr

__all__ = ["formulas", "show_code", "show_explainers", "show_filters", "transposed_section"]

MAX_MONTAGE = 16


def formulas(state: dict[str, Any], step: ConvStep) -> str:
    """Write the output-size formulas, receptive field and parameter count; return the PyTorch line."""
    cfg = state["cfg"]
    channels, height, width = cfg["shape"]
    (kh, kw), (sh, sw), (dh, dw) = cfg["kernel"], cfg["stride"], cfg["dilation"]
    _, out_h, out_w = step.output.shape
    st.subheader(tr("conv.formula_title"))
    if cfg["mode"] == "transposed":
        (ph, pw), (oh, ow) = cfg["padding"], cfg["output_padding"]
        lines = [
            f"H_out = {transposed_output_formula(height, kh, sh, ph, oh, dh)}",
            f"W_out = {transposed_output_formula(width, kw, sw, pw, ow, dw)}",
        ]
        st.code("\n".join(lines), language=None, wrap_lines=True)
        st.caption(tr("conv.transposed_formula_help"))
    else:
        top, bottom, left, right = step.padding
        lines = [
            f"H_out = {conv_output_formula_asym(height, kh, sh, top, bottom, dh)}",
            f"W_out = {conv_output_formula_asym(width, kw, sw, left, right, dw)}",
        ]
        st.code("\n".join(lines), language=None, wrap_lines=True)
        st.caption(tr("conv.formula_help"))
        rows = unreached_asym(height, kh, sh, top, bottom, dh)
        cols = unreached_asym(width, kw, sw, left, right, dw)
        if rows or cols:
            parts = [tr("conv.trunc_rows", n=rows)] if rows else []
            parts += [tr("conv.trunc_cols", n=cols)] if cols else []
            st.warning(tr("conv.truncation", what=tr("conv.trunc_and").join(parts)), icon="✂️")
    span_h, span_w = effective_kernel(kh, dh), effective_kernel(kw, dw)
    st.markdown(tr("conv.receptive_field", h=span_h, w=span_w, kh=kh, kw=kw, dh=dh, dw=dw))
    groups = cfg["groups"]
    in_ch, out_ch = (channels, cfg["filters"])
    st.markdown(
        tr(
            "conv.params",
            formula=conv_params_formula(in_ch, out_ch, (kh, kw), groups, cfg["bias"] is not None),
            mult_adds=f"{conv_mult_adds(in_ch, out_ch, (kh, kw), (out_h, out_w), groups):,}",
        )
    )
    if cfg["mode"] == "transposed":
        padding_for_code: Any = (
            cfg["padding"][0],
            cfg["padding"][0],
            cfg["padding"][1],
            cfg["padding"][1],
        )
    else:
        padding_for_code = cfg["padding"] if isinstance(cfg["padding"], str) else step.padding
    code = conv_code(
        in_ch,
        out_ch,
        (kh, kw),
        (sh, sw),
        padding_for_code,
        (dh, dw),
        groups,
        cfg["bias"] is not None,
        cfg["mode"] == "transposed",
        cfg["output_padding"],
    )
    if cfg["flip"]:
        code += (
            "\n# "
            + tr("conv.flip_code_comment")
            + "\nF.conv2d(x, torch.flip(conv.weight, dims=(2, 3)), conv.bias)"
        )
    return code


def transposed_section(state: dict[str, Any], step: ConvStep) -> None:
    """ConvTranspose2d as a plain convolution: the input with zeros inserted and full padding."""
    cfg = state["cfg"]
    setup: TransposedInput = state["transposed"]
    _, height, width = cfg["shape"]
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = (
        cfg["kernel"],
        cfg["stride"],
        cfg["padding"],
        cfg["dilation"],
    )
    st.subheader(tr("conv.transposed_title"))
    st.markdown(tr("conv.transposed_explain"))
    st.code(
        "\n".join(
            [
                f"{tr('conv.zero_inserted')}: H = {zero_inserted_formula(height, sh)},  W = {zero_inserted_formula(width, sw)}",
                f"{tr('conv.full_padding')}: {dh}*({kh}-1) - {ph} = {setup.padding[0]} (+{cfg['output_padding'][0]}),"
                f"  {dw}*({kw}-1) - {pw} = {setup.padding[2]} (+{cfg['output_padding'][1]})",
            ]
        ),
        language=None,
    )
    channel = int(step.channels[0])
    col1, col2 = st.columns([1, 2])
    with col1:
        st.plotly_chart(
            grid_figure(
                state["x"][channel], tr("conv.original_input", c=channel), lang=lang(), max_px=260
            ),
            width="stretch",
            config=STATIC_CONFIG,
            key="conv_transposed_input",
        )
    with col2:
        st.plotly_chart(
            grid_figure(
                setup.padded[channel],
                tr("conv.zero_inserted_padded", c=channel),
                padding_mask=setup.is_padding,
                inserted_mask=setup.is_inserted,
                lang=lang(),
                max_px=420,
                row_offset=setup.padding[0],
                col_offset=setup.padding[2],
            ),
            width="stretch",
            config=STATIC_CONFIG,
            key="conv_transposed_padded",
        )


def show_filters(step: ConvStep, filter_index: int) -> None:
    """Every filter's output (up to ``MAX_MONTAGE`` around the current one) as one montage."""
    num_filters = step.output.shape[0]
    if num_filters <= 1:
        return
    shown = range(
        max(0, filter_index - MAX_MONTAGE // 2),
        min(num_filters, max(0, filter_index - MAX_MONTAGE // 2) + MAX_MONTAGE),
    )
    st.subheader(tr("conv.all_outputs"))
    st.plotly_chart(
        montage_figure(
            step.output[list(shown)],
            [tr("conv.filter_n", f=f) for f in shown],
            current=filter_index - shown.start,
            lang=lang(),
        ),
        width="stretch",
        config=STATIC_CONFIG,
        key="conv_montage",
    )
    if num_filters > MAX_MONTAGE:
        st.caption(tr("conv.montage_more", shown=MAX_MONTAGE, total=num_filters))


def show_explainers(cfg: dict[str, Any]) -> None:
    """Cross-correlation vs convolution, and dilation (each open when its setting is in use)."""
    with st.expander(tr("conv.xcorr_title"), expanded=cfg["flip"]):
        st.markdown(tr("conv.xcorr_explain"))
    with st.expander(tr("conv.dilation_title"), expanded=max(cfg["dilation"]) > 1):
        st.markdown(tr("conv.dilation_explain"))


def show_code(code: str) -> None:
    """The PyTorch line(s) that compute the same thing."""
    st.markdown(tr("conv.code_title"))
    st.code(code, language="python", wrap_lines=True)
