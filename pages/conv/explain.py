"""Convolution stepper: the formulas with the numbers filled in, and what surrounds the step.

Never a page. Also the other filters' outputs, the PyTorch code and, for ConvTranspose2d, the
zero-inserted, padded input that the transposed convolution slides over. The output-size formulas,
truncation and code padding come from ``cnnviz.lessons.ConvStepper``, the other formula strings
from ``cnnviz.net.arithmetic``; the figures from ``cnnviz.viz.grid``.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import ConvSettings, ConvStepper
from cnnviz.net import conv_mult_adds, conv_params_formula, effective_kernel, zero_inserted_formula
from cnnviz.ops import ConvStep
from cnnviz.viz import conv_code, grid_figure, montage_figure
from pages.shared.charts import STATIC_CONFIG
from pages.shared.session import lang, tr

__all__ = ["formulas", "show_code", "show_explainers", "show_filters", "transposed_section"]

MAX_MONTAGE = 16


def formulas(stepper: ConvStepper, step: ConvStep) -> str:
    """Write the output-size formulas, receptive field and parameter count; return the PyTorch line."""
    settings = stepper.settings
    channels = settings.shape[0]
    (kh, kw), (dh, dw) = settings.kernel, settings.dilation
    _, out_h, out_w = step.output.shape
    st.subheader(tr("conv.formula_title"))
    st.code("\n".join(stepper.output_formulas()), language=None, wrap_lines=True)
    if settings.transposed:
        st.caption(tr("conv.transposed_formula_help"))
    else:
        st.caption(tr("conv.formula_help"))
    with st.expander(tr("conv.general_form"), expanded=max(settings.dilation) > 1):
        st.code("\n".join(stepper.output_formulas(general=True)), language=None, wrap_lines=True)
        st.caption(
            tr("conv.transposed_general_help" if settings.transposed else "conv.general_help")
        )
    if not settings.transposed:
        rows, cols = stepper.unreached()
        if rows or cols:
            parts = [tr("conv.trunc_rows", n=rows)] if rows else []
            parts += [tr("conv.trunc_cols", n=cols)] if cols else []
            lost = "conv.truncation_pixels" if any(stepper.dropped()) else "conv.truncation_padding"
            what = tr("conv.trunc_and").join(parts)
            st.warning(f"{tr('conv.truncation', what=what)} {tr(lost)}", icon="✂️")
    span_h, span_w = effective_kernel(kh, dh), effective_kernel(kw, dw)
    st.markdown(tr("conv.receptive_field", h=span_h, w=span_w, kh=kh, kw=kw, dh=dh, dw=dw))
    groups, has_bias = settings.groups, settings.bias is not None
    in_ch, out_ch = channels, settings.filters
    st.markdown(
        tr(
            "conv.params",
            formula=conv_params_formula(in_ch, out_ch, (kh, kw), groups, has_bias),
            mult_adds=f"{conv_mult_adds(in_ch, out_ch, (kh, kw), (out_h, out_w), groups):,}",
        )
    )
    code = conv_code(
        in_ch,
        out_ch,
        (kh, kw),
        settings.stride,
        stepper.code_padding(),
        (dh, dw),
        groups,
        has_bias,
        settings.transposed,
        settings.output_padding,
    )
    if settings.flip:
        code += (
            "\n# "
            + tr("conv.flip_code_comment")
            + "\nF.conv2d(x, torch.flip(conv.weight, dims=(2, 3)), conv.bias)"
        )
    return code


def transposed_section(stepper: ConvStepper, step: ConvStep) -> None:
    """ConvTranspose2d as a plain convolution: the input with zeros inserted and full padding."""
    settings = stepper.settings
    setup = stepper.transposed
    if setup is None:
        return
    _, height, width = settings.shape
    (kh, kw), (sh, sw), (dh, dw) = settings.kernel, settings.stride, settings.dilation
    (ph, pw), (oh, ow) = settings.transposed_padding, settings.output_padding
    st.subheader(tr("conv.transposed_title"))
    st.markdown(tr("conv.transposed_explain"))
    st.code(
        "\n".join(
            [
                f"{tr('conv.zero_inserted')}: H = {zero_inserted_formula(height, sh)},  W = {zero_inserted_formula(width, sw)}",
                f"{tr('conv.full_padding')}: {dh}*({kh}-1) - {ph} = {setup.padding[0]} (+{oh}),"
                f"  {dw}*({kw}-1) - {pw} = {setup.padding[2]} (+{ow})",
            ]
        ),
        language=None,
    )
    channel = int(step.channels[0])
    col1, col2 = st.columns([1, 2])
    with col1:
        st.plotly_chart(
            grid_figure(
                stepper.x[channel], tr("conv.original_input", c=channel), lang=lang(), max_px=260
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


def show_explainers(settings: ConvSettings) -> None:
    """Cross-correlation vs convolution, and dilation (each open when its setting is in use)."""
    with st.expander(tr("conv.xcorr_title"), expanded=settings.flip):
        st.markdown(tr("conv.xcorr_explain"))
    with st.expander(tr("conv.dilation_title"), expanded=max(settings.dilation) > 1):
        st.markdown(tr("conv.dilation_explain"))


def show_code(code: str) -> None:
    """The PyTorch line(s) that compute the same thing."""
    st.markdown(tr("conv.code_title"))
    st.code(code, language="python", wrap_lines=True)
