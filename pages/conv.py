"""Convolution stepper: one output value at a time, every multiplication written out.

Reads the settings (sidebar) and the input/kernel values, asks ``cnnviz.ops_conv`` /
``cnnviz.ops_transposed`` for the step at the chosen output cell and ``cnnviz.viz_conv`` /
``cnnviz.viz_grid`` for the figures; keeps the last valid settings when an input is wrong. Also
opens a Conv2d layer sent by the Build page (``stepper_request``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
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
from cnnviz.i18n import t
from cnnviz.kernels import KERNEL_NAMES, kernel_label_key, make_weights, named_kernel
from cnnviz.ops_conv import ConvStep, conv_step, flip_kernel
from cnnviz.ops_transposed import TransposedInput, conv_transpose_step, transposed_input
from cnnviz.samples import center_crop, image_patch, parse_grid, sample_image
from cnnviz.specs import AvgPool2dSpec, Conv2dSpec, MaxPool2dSpec, Problem, SpecError
from cnnviz.viz_conv import conv_code, conv_stepper_figure, written_sum
from cnnviz.viz_grid import grid_figure, montage_figure
from cnnviz.viz_theme import format_number
from pages._ui import lang, show_problems, tr

LANG = lang()  # captured once per run: format_func lambdas must not read session state later

MAX_SIZE = 32
MAX_CHANNELS = 3
MAX_FILTERS = 4
MAX_KERNEL = 11
MAX_STRIDE = 4
MAX_PAD = 5
MAX_MONTAGE = 16
SOURCES = ("seed003", "random_int", "digit", "upload", "typed")
KERNEL_CHOICES = (*KERNEL_NAMES, "typed")
DEFAULT_KERNELS = ("vertical_edge", "horizontal_edge", "sobel_x", "laplacian")
CHART_CONFIG = {"displayModeBar": False, "scrollZoom": False}

# Widget keys and their defaults. They are copied to "conv_saved" after every run and restored
# from it when the page is opened again (Streamlit drops widget state of pages not shown).
DEFAULTS: dict[str, Any] = {
    "conv_mode": "normal",
    "conv_h": 5,
    "conv_w": 5,
    "conv_c": 1,
    "conv_f": 1,
    "conv_kh": 3,
    "conv_kw": 3,
    "conv_sh": 1,
    "conv_sw": 1,
    "conv_pad_mode": "same",
    "conv_pt": 1,
    "conv_pb": 1,
    "conv_pl": 1,
    "conv_pr": 1,
    "conv_tph": 0,
    "conv_tpw": 0,
    "conv_oph": 0,
    "conv_opw": 0,
    "conv_dh": 1,
    "conv_dw": 1,
    "conv_groups": 1,
    "conv_bias": False,
    "conv_bias_value": 0.5,
    "conv_flip": False,
    "conv_source": "seed003",
    "conv_seed": 0,
    "conv_filter": 0,
    "conv_pos": 0,
    **{f"conv_kernel_{f}": DEFAULT_KERNELS[f] for f in range(MAX_FILTERS)},
}


def _restore_widgets() -> None:
    saved = st.session_state.get("conv_saved", {})
    for key, default in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = saved.get(key, default)


def _save_widgets() -> None:
    st.session_state["conv_saved"] = {
        k: st.session_state[k] for k in DEFAULTS if k in st.session_state
    }


def _take_request() -> None:
    """Load a Conv2d layer + its input sent by the Build page, then clear the request."""
    request = st.session_state.get("stepper_request")
    if not isinstance(request, dict):
        return
    layer = request.get("layer")
    if isinstance(layer, (MaxPool2dSpec, AvgPool2dSpec)):
        st.switch_page("pages/pool.py")  # the pooling stepper owns pooling requests
    del st.session_state["stepper_request"]
    if not isinstance(layer, Conv2dSpec):
        st.session_state["conv_request_error"] = True
        return
    try:
        full = np.asarray(request.get("input"), dtype=np.float64)
        crop, cropped = center_crop(full, MAX_SIZE, MAX_SIZE, MAX_CHANNELS)
    except (SpecError, TypeError, ValueError):
        st.session_state["conv_request_error"] = True
        return
    if not np.isfinite(crop).all():
        st.session_state["conv_request_error"] = True
        return
    channels = crop.shape[0]
    groups = layer.groups
    notes = []
    if groups > 1 and (channels % groups or layer.out_channels % groups):
        notes.append("stepper.request_groups_dropped")
        groups = 1
    weights = _request_weights(request.get("weights"), layer, full.shape[0], channels, groups)
    if channels < full.shape[0]:
        notes.append("conv.request_channels_subset")
    st.session_state["conv_request"] = {
        "layer": layer,
        "input": crop,
        "label": str(request.get("label", "")),
        "cropped": cropped,
        "full_shape": tuple(int(v) for v in full.shape),
        "weights": weights,
        "groups": groups,
        "notes": notes,
        "source": str(request.get("source", "build")),
    }
    kh, kw = layer.kernel_size
    st.session_state.update(
        conv_source="request",
        conv_mode="normal",
        conv_c=channels,
        conv_h=crop.shape[1],
        conv_w=crop.shape[2],
        conv_kh=kh,
        conv_kw=kw,
        conv_sh=layer.stride[0],
        conv_sw=layer.stride[1],
        conv_dh=layer.dilation[0],
        conv_dw=layer.dilation[1],
        conv_groups=groups,
        conv_bias=layer.bias,
        conv_bias_value=0.0,  # the Build page sends the weights only; the bias starts at 0
        conv_flip=False,
        conv_pos=0,
        conv_filter=0,
    )
    if isinstance(layer.padding, str):
        st.session_state["conv_pad_mode"] = layer.padding
    else:
        ph, pw = layer.padding
        st.session_state.update(
            conv_pad_mode="explicit", conv_pt=ph, conv_pb=ph, conv_pl=pw, conv_pr=pw
        )


def _request_weights(
    weights: object, layer: Conv2dSpec, full_channels: int, channels: int, groups: int
) -> np.ndarray | None:
    """The layer's weights restricted to the channels shown, or None if they do not fit."""
    if weights is None:
        return None
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    expected = (layer.out_channels, full_channels // layer.groups, *layer.kernel_size)
    if w.shape != expected or not np.isfinite(w).all():
        return None
    if groups == layer.groups == 1:
        return np.ascontiguousarray(w[:, :channels])  # the first channels, as the crop keeps
    if groups == layer.groups and channels == full_channels:
        return w
    return None


def _number(
    label_key: str, key: str, low: int, high: int, column: Any = None, **kwargs: Any
) -> int:
    """An int number input whose range always admits the current value (a request may exceed it)."""
    high = max(high, int(st.session_state.get(key, low)))
    target = column if column is not None else st
    return int(target.number_input(tr(label_key), low, high, step=1, key=key, **kwargs))


def _grid_editor(key: str, base: np.ndarray) -> pd.DataFrame:
    """An editable grid of text cells (so a typo reaches us and can be reported, not blocked)."""
    frame = pd.DataFrame(
        [[format_number(v) for v in row] for row in base],
        columns=[str(j) for j in range(base.shape[1])],
    )
    return st.data_editor(frame, key=key, hide_index=False, width="content")


def _typed_base(name: str, shape: tuple[int, ...], fallback: np.ndarray) -> np.ndarray:
    """The starting values of a typed grid, fixed per shape so edits accumulate on a stable base."""
    bases = st.session_state.setdefault("conv_typed_bases", {})
    key = (name, shape)
    if key not in bases:
        bases[key] = np.asarray(fallback, dtype=np.float64).reshape(shape)
    return bases[key]


def _settings_sidebar() -> dict[str, Any]:
    """Every setting, read from the sidebar; returns plain values."""
    request = st.session_state.get("conv_request")
    sidebar = st.sidebar
    sidebar.header(tr("conv.settings"))
    mode = sidebar.radio(
        tr("conv.mode"),
        ("normal", "transposed"),
        format_func=lambda m, language=LANG: t(f"conv.mode_{m}", language),
        key="conv_mode",
        horizontal=True,
    )
    sources = (*SOURCES, "request") if request else SOURCES
    if st.session_state["conv_source"] not in sources:
        st.session_state["conv_source"] = "seed003"
    source = sidebar.selectbox(
        tr("conv.source"),
        sources,
        format_func=lambda s, language=LANG: t(f"conv.source_{s}", language),
        key="conv_source",
    )
    from_request = source == "request"
    col1, col2, col3 = sidebar.columns(3)
    height = _number("conv.height", "conv_h", 1, MAX_SIZE, col1, disabled=from_request)
    width = _number("conv.width", "conv_w", 1, MAX_SIZE, col2, disabled=from_request)
    channels = _number("conv.channels", "conv_c", 1, MAX_CHANNELS, col3, disabled=from_request)
    if source in ("random_int", "digit"):
        _number("conv.seed", "conv_seed", 0, 9999, sidebar)
    upload = None
    if source == "upload":
        upload = sidebar.file_uploader(
            tr("conv.upload"), type=["png", "jpg", "jpeg", "bmp", "gif", "webp"], key="conv_upload"
        )

    sidebar.subheader(tr("conv.kernel_settings"))
    col1, col2, col3 = sidebar.columns(3)
    if from_request:
        filters = request["layer"].out_channels
        col1.metric(tr("conv.filters"), filters)
    else:
        filters = _number("conv.filters", "conv_f", 1, MAX_FILTERS, col1)
    kh = _number("conv.kernel_h", "conv_kh", 1, MAX_KERNEL, col2, disabled=from_request)
    kw = _number("conv.kernel_w", "conv_kw", 1, MAX_KERNEL, col3, disabled=from_request)
    kernel_names: list[str] = []
    if not from_request:
        for f in range(filters):
            name = sidebar.selectbox(
                tr("conv.kernel_of", f=f),
                KERNEL_CHOICES,
                format_func=lambda n, language=LANG: t(kernel_label_key(n), language),
                key=f"conv_kernel_{f}",
            )
            kernel_names.append(name)
            if name not in ("typed", "random"):
                note = named_kernel(name, kh, kw).note
                if note:
                    sidebar.caption(tr(note))

    sidebar.subheader(tr("conv.geometry"))
    col1, col2 = sidebar.columns(2)
    stride = (
        _number("conv.stride_h", "conv_sh", 1, MAX_STRIDE, col1),
        _number("conv.stride_w", "conv_sw", 1, MAX_STRIDE, col2),
    )
    if mode == "normal":
        pad_mode = sidebar.radio(
            tr("conv.padding"),
            ("valid", "same", "explicit"),
            format_func=lambda m, language=LANG: t(f"conv.padding_{m}", language),
            key="conv_pad_mode",
            horizontal=True,
        )
        padding: Any = pad_mode
        if pad_mode == "explicit":
            cols = sidebar.columns(4)
            padding = tuple(
                _number(f"conv.pad_{side}", f"conv_p{side[0]}", 0, MAX_PAD, col)
                for side, col in zip(("top", "bottom", "left", "right"), cols, strict=True)
            )
    else:
        col1, col2 = sidebar.columns(2)
        padding = (
            _number("conv.pad_h", "conv_tph", 0, MAX_PAD, col1),
            _number("conv.pad_w", "conv_tpw", 0, MAX_PAD, col2),
        )
        col1, col2 = sidebar.columns(2)
        _number("conv.output_padding_h", "conv_oph", 0, 3, col1)
        _number("conv.output_padding_w", "conv_opw", 0, 3, col2)
    col1, col2 = sidebar.columns(2)
    dilation = (
        _number("conv.dilation_h", "conv_dh", 1, 4, col1),
        _number("conv.dilation_w", "conv_dw", 1, 4, col2),
    )
    groups = 1
    if mode == "normal" and channels > 1:
        groups = _number(
            "conv.groups", "conv_groups", 1, MAX_CHANNELS, sidebar, help=tr("conv.groups_help")
        )
    col1, col2 = sidebar.columns(2)
    bias = col1.checkbox(tr("conv.bias"), key="conv_bias")
    bias_value = float(
        col2.number_input(
            tr("conv.bias_value"), -100.0, 100.0, step=0.5, key="conv_bias_value", disabled=not bias
        )
    )
    flip = False
    if mode == "normal":
        flip = sidebar.checkbox(tr("conv.flip"), key="conv_flip", help=tr("conv.flip_help"))
    return {
        "mode": mode,
        "source": source,
        "shape": (channels, height, width),
        "upload": upload,
        "filters": filters,
        "kernel": (kh, kw),
        "kernel_names": kernel_names,
        "stride": stride,
        "padding": padding,
        "output_padding": (st.session_state["conv_oph"], st.session_state["conv_opw"]),
        "dilation": dilation,
        "groups": groups,
        "bias": bias_value if bias else None,
        "flip": flip,
        "seed": int(st.session_state["conv_seed"]),
    }


def _input_values(cfg: dict[str, Any], problems: list[Problem]) -> np.ndarray | None:
    channels, height, width = cfg["shape"]
    source = cfg["source"]
    try:
        if source == "request":
            return st.session_state["conv_request"]["input"].astype(np.float64)
        if source in ("seed003", "random_int", "digit"):
            return sample_image(channels, height, width, source, cfg["seed"]).astype(np.float64)
        if source == "upload":
            if cfg["upload"] is None:
                st.info(tr("conv.upload_first"), icon="⬅️")
                st.session_state["conv_waiting"] = True
                return None
            return image_patch(cfg["upload"].getvalue(), channels, height, width).astype(np.float64)
        # typed: one editable grid per channel
        fallback = sample_image(channels, height, width, "seed003")
        base = _typed_base("input", (channels, height, width), fallback)
        with st.expander(tr("conv.typed_input"), expanded=True):
            st.caption(tr("conv.typed_help"))
            cols = st.columns(channels)
            grids = []
            for c, col in enumerate(cols):
                with col:
                    st.markdown(tr("conv.channel_label", c=c))
                    edited = _grid_editor(f"conv_typed_{c}_{height}x{width}", base[c])
                    grids.append(parse_grid(edited.to_numpy().tolist()))
        return np.stack(grids)
    except SpecError as error:
        problems.extend(error.problems)
        return None


def _weights(cfg: dict[str, Any], problems: list[Problem]) -> np.ndarray | None:
    """Conv weights (F, C/groups, kh, kw) from the kernel choices (or the request)."""
    channels = cfg["shape"][0]
    kh, kw = cfg["kernel"]
    groups = cfg["groups"]
    if channels % groups:
        problems.append(
            Problem.make(
                "step_groups_mismatch",
                field="groups",
                groups=groups,
                in_channels=channels,
                out_channels=cfg["filters"],
            )
        )
        return None
    if cfg["source"] == "request":
        request = st.session_state["conv_request"]
        given = request["weights"]
        expected = (cfg["filters"], channels // groups, kh, kw)
        if given is not None and given.shape == expected:
            return given
        return make_weights(["random"] * cfg["filters"], channels, kh, kw, seed=0, groups=groups)
    names = cfg["kernel_names"]
    weights = make_weights(
        [n if n != "typed" else "identity" for n in names],
        channels,
        kh,
        kw,
        seed=cfg["seed"],
        groups=groups,
    )
    typed = [f for f, n in enumerate(names) if n == "typed"]
    if typed:
        with st.expander(tr("conv.typed_kernels"), expanded=True):
            st.caption(tr("conv.typed_help"))
            for f in typed:
                cols = st.columns(channels // groups)
                for c, col in enumerate(cols):
                    with col:
                        st.markdown(tr("conv.kernel_channel_label", f=f, c=c))
                        base = _typed_base(
                            f"kernel{f}_{c}", (kh, kw), named_kernel("identity", kh, kw).values
                        )
                        edited = _grid_editor(f"conv_kernel_typed_{f}_{c}_{kh}x{kw}", base)
                        try:
                            weights[f, c] = parse_grid(edited.to_numpy().tolist())
                        except SpecError as error:
                            problems.extend(error.problems)
    return weights


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


def _compute(cfg: dict[str, Any], x: np.ndarray, w: np.ndarray) -> dict[str, Any]:
    """Validate by computing the first step; returns everything later steps need."""
    first = _step(cfg, x, w, (0, 0, 0))
    setup = None
    if cfg["mode"] == "transposed":
        setup = transposed_input(
            x, cfg["kernel"], cfg["stride"], cfg["padding"], cfg["output_padding"], cfg["dilation"]
        )
    return {"cfg": cfg, "x": x, "w": w, "first": first, "transposed": setup}


def _move(delta: int) -> None:
    last = st.session_state.get("conv_num_positions", 1) - 1
    st.session_state["conv_pos"] = int(
        np.clip(st.session_state.get("conv_pos", 0) + delta, 0, last)
    )


def _on_click() -> None:
    event = st.session_state.get("conv_figure")
    points = (event or {}).get("selection", {}).get("points", [])
    out_w = st.session_state.get("conv_out_w", 1)
    for point in points:
        # only the click layer carries customdata; its marker sits at x = column, y = row
        if point.get("customdata") is not None and "x" in point and "y" in point:
            row, col = round(float(point["y"])), round(float(point["x"]))
            st.session_state["conv_pos"] = int(row * out_w + col)
            return


def _formulas(state: dict[str, Any], step: ConvStep) -> str:
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


def _transposed_section(state: dict[str, Any], step: ConvStep) -> None:
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
            config=CHART_CONFIG,
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
            config=CHART_CONFIG,
            key="conv_transposed_padded",
        )


# ---------------------------------------------------------------- the page

_restore_widgets()
_take_request()
st.title(tr("conv.title"))
st.caption(tr("conv.intro"))
if st.session_state.pop("conv_request_error", False):
    st.error(tr("conv.request_bad"))

cfg = _settings_sidebar()
request = st.session_state.get("conv_request")
if cfg["source"] == "request" and request:
    st.info(tr("conv.from_build", label=request["label"]), icon="🧱")
    if request["cropped"]:
        st.caption(
            tr(
                "conv.request_cropped",
                full="x".join(map(str, request["full_shape"])),
                crop="x".join(map(str, request["input"].shape)),
            )
        )
    if request["weights"] is None:
        st.caption(tr("conv.request_random_weights"))
    else:
        st.caption(tr("conv.request_layer_weights"))
    for note in request["notes"]:
        st.caption(tr(note))

problems: list[Problem] = []
x = _input_values(cfg, problems)
w = _weights(cfg, problems)
state = None
if x is not None and w is not None and not problems:
    try:
        state = _compute(cfg, x, w)
    except SpecError as error:
        problems.extend(error.problems)
if problems or state is None:
    show_problems(problems)
    state = st.session_state.get("conv_last_good")
    if state is None:
        _save_widgets()
        st.stop()
    if not st.session_state.pop("conv_waiting", False):
        st.warning(tr("conv.kept_last_valid"), icon="↩️")
else:
    st.session_state["conv_last_good"] = state

first: ConvStep = state["first"]
num_filters, out_h, out_w = first.output.shape
num_positions = out_h * out_w
st.session_state["conv_num_positions"] = num_positions
st.session_state["conv_out_w"] = out_w
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
position = st.session_state["conv_pos"]
controls[0].button(
    tr("conv.prev"),
    key="conv_prev",
    on_click=_move,
    args=(-1,),
    disabled=position == 0,
    width="stretch",
)
controls[1].button(
    tr("conv.next"),
    key="conv_next",
    on_click=_move,
    args=(1,),
    disabled=position >= num_positions - 1,
    width="stretch",
)
if num_positions > 1:
    controls[2].select_slider(
        tr("conv.position"),
        options=list(range(num_positions)),
        format_func=lambda k: f"({k // out_w}, {k % out_w})",
        key="conv_pos",
    )
position = st.session_state["conv_pos"]
i, j = divmod(position, out_w)
if filter_index == 0:
    step = first.at(i, j)
else:
    step = _step(state["cfg"], state["x"], state["w"], (filter_index, i, j))

st.plotly_chart(
    conv_stepper_figure(step, lang()),
    width="stretch",
    config=CHART_CONFIG,
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

left, right = st.columns([1, 1])
with left:
    code = _formulas(state, step)
with right:
    if num_filters > 1:
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
            config=CHART_CONFIG,
            key="conv_montage",
        )
        if num_filters > MAX_MONTAGE:
            st.caption(tr("conv.montage_more", shown=MAX_MONTAGE, total=num_filters))
    with st.expander(tr("conv.xcorr_title"), expanded=state["cfg"]["flip"]):
        st.markdown(tr("conv.xcorr_explain"))
    with st.expander(tr("conv.dilation_title"), expanded=max(state["cfg"]["dilation"]) > 1):
        st.markdown(tr("conv.dilation_explain"))
st.markdown(tr("conv.code_title"))
st.code(code, language="python", wrap_lines=True)
if state["cfg"]["mode"] == "transposed" and state["transposed"] is not None:
    _transposed_section(state, step)
_save_widgets()
