"""Pooling stepper: max and average pooling window by window, their backward pass, overlapping
pooling and global average pooling. Reads widgets, asks ``cnnviz.ops_pool`` /
``cnnviz.viz_pool``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.arithmetic import pool_output_formula, unreached
from cnnviz.i18n import t
from cnnviz.ops_pool import (
    PoolStep,
    avg_pool2d_backward,
    global_avg_pool,
    max_pool2d,
    max_pool2d_backward,
    pool_backward_autograd,
    pool_step,
    pool_windows_coverage,
)
from cnnviz.samples import center_crop, parse_grid, sample_image
from cnnviz.specs import AvgPool2dSpec, Conv2dSpec, MaxPool2dSpec, Problem, SpecError
from cnnviz.viz_grid import grid_figure
from cnnviz.viz_pool import pool_backward_figure, pool_expression, pool_stepper_figure
from cnnviz.viz_theme import format_number
from pages._stepper_ui import int_input, position_controls, source_picker
from pages._ui import STATIC_CONFIG, lang, restore_widgets, save_widgets, show_problems, tr

LANG = lang()  # captured once per run: format_func lambdas must not read session state later

MAX_SIZE = 32
MAX_CHANNELS = 3
MAX_KERNEL = 6
SOURCES = ("seed003", "random_int", "digit", "typed")
GRAD_SOURCES = ("random_int", "ones", "typed")
DEFAULTS: dict[str, Any] = {
    "pool_kind": "max",
    "pool_source": "random_int",
    "pool_h": 6,
    "pool_w": 6,
    "pool_seed": 0,
    "pool_kh": 2,
    "pool_kw": 2,
    "pool_sh": 2,
    "pool_sw": 2,
    "pool_ph": 0,
    "pool_pw": 0,
    "pool_channel": 0,
    "pool_grad_source": "random_int",
    "pool_grad_seed": 1,
    "pool_pos": 0,
}


def _take_request() -> None:
    """Load a pooling layer and its input sent by the Build page, then clear the request."""
    request = st.session_state.get("stepper_request")
    if not isinstance(request, dict):
        return
    layer = request.get("layer")
    if isinstance(layer, Conv2dSpec):
        st.switch_page("pages/conv.py")  # the convolution stepper owns conv requests
    del st.session_state["stepper_request"]
    try:
        if not isinstance(layer, (MaxPool2dSpec, AvgPool2dSpec)):
            raise TypeError(type(layer).__name__)
        full = np.asarray(request.get("input"), dtype=np.float64)
        crop, cropped = center_crop(full, MAX_SIZE, MAX_SIZE, MAX_CHANNELS)
        if not np.isfinite(crop).all():
            raise ValueError("not finite")
    except (SpecError, TypeError, ValueError):
        st.session_state["pool_request_error"] = True
        return
    st.session_state["pool_request"] = {
        "layer": layer,
        "input": crop,
        "label": str(request.get("label", "")),
        "cropped": cropped,
        "full_shape": tuple(int(v) for v in full.shape),
    }
    st.session_state.update(
        pool_source="request",
        pool_kind="max" if isinstance(layer, MaxPool2dSpec) else "avg",
        pool_h=crop.shape[1],
        pool_w=crop.shape[2],
        pool_kh=layer.kernel_size[0],
        pool_kw=layer.kernel_size[1],
        pool_sh=layer.stride[0],  # type: ignore[index]
        pool_sw=layer.stride[1],  # type: ignore[index]
        pool_ph=layer.padding[0],
        pool_pw=layer.padding[1],
        pool_channel=0,
        pool_pos=0,
    )


def _typed_grid(name: str, base: np.ndarray, label: str) -> np.ndarray:
    """An editable text grid; raises SpecError for cells that are not numbers."""
    bases = st.session_state.setdefault("pool_typed_bases", {})
    start = bases.setdefault((name, base.shape), np.asarray(base, dtype=np.float64))
    frame = pd.DataFrame(
        [[format_number(v) for v in row] for row in start],
        columns=[str(j) for j in range(start.shape[1])],
    )
    st.markdown(label)
    edited = st.data_editor(frame, key=f"pool_typed_{name}_{start.shape[0]}x{start.shape[1]}")
    return parse_grid(edited.to_numpy().tolist())


def _settings() -> dict[str, Any]:
    request = st.session_state.get("pool_request")
    side = st.sidebar
    side.header(tr("pool.settings"))
    kind = side.radio(
        tr("pool.kind"),
        ("max", "avg"),
        format_func=lambda k, language=LANG: t(f"pool.kind_{k}", language),
        key="pool_kind",
        horizontal=True,
    )
    source = source_picker("pool", SOURCES, "random_int")
    from_request = source == "request"
    col1, col2 = side.columns(2)
    height = int_input("conv.height", "pool_h", 1, MAX_SIZE, col1, disabled=from_request)
    width = int_input("conv.width", "pool_w", 1, MAX_SIZE, col2, disabled=from_request)
    if source in ("random_int", "digit"):
        int_input("conv.seed", "pool_seed", 0, 9999, side)
    channel = 0
    if from_request and request["input"].shape[0] > 1:
        channel = int_input("pool.channel", "pool_channel", 0, request["input"].shape[0] - 1, side)
    side.subheader(tr("pool.window"))
    col1, col2 = side.columns(2)
    kernel = (
        int_input("conv.kernel_h", "pool_kh", 1, MAX_KERNEL, col1),
        int_input("conv.kernel_w", "pool_kw", 1, MAX_KERNEL, col2),
    )
    col1, col2 = side.columns(2)
    stride = (
        int_input("conv.stride_h", "pool_sh", 1, MAX_KERNEL, col1),
        int_input("conv.stride_w", "pool_sw", 1, MAX_KERNEL, col2),
    )
    col1, col2 = side.columns(2)
    padding = (
        int_input("conv.pad_h", "pool_ph", 0, 3, col1),
        int_input("conv.pad_w", "pool_pw", 0, 3, col2),
    )
    side.subheader(tr("pool.backward"))
    grad_source = side.radio(
        tr("pool.grad_source"),
        GRAD_SOURCES,
        format_func=lambda g, language=LANG: t(f"pool.grad_{g}", language),
        key="pool_grad_source",
    )
    if grad_source == "random_int":
        int_input("conv.seed", "pool_grad_seed", 0, 9999, side)
    return {
        "kind": kind,
        "source": source,
        "shape": (height, width),
        "channel": channel,
        "kernel": kernel,
        "stride": stride,
        "padding": padding,
        "grad_source": grad_source,
        "seed": int(st.session_state["pool_seed"]),
        "grad_seed": int(st.session_state["pool_grad_seed"]),
    }


def _input(cfg: dict[str, Any], problems: list[Problem]) -> np.ndarray | None:
    height, width = cfg["shape"]
    try:
        if cfg["source"] == "request":
            return st.session_state["pool_request"]["input"].astype(np.float64)
        if cfg["source"] == "typed":
            base = sample_image(1, height, width, "random_int", 0)[0]
            with st.expander(tr("conv.typed_input"), expanded=True):
                st.caption(tr("conv.typed_help"))
                return _typed_grid("input", base, tr("conv.channel_label", c=0))[None]
        return sample_image(1, height, width, cfg["source"], cfg["seed"]).astype(np.float64)
    except SpecError as error:
        problems.extend(error.problems)
        return None


def _move(delta: int) -> None:
    last = st.session_state.get("pool_num_positions", 1) - 1
    st.session_state["pool_pos"] = int(
        np.clip(st.session_state.get("pool_pos", 0) + delta, 0, last)
    )


def _on_click() -> None:
    event = st.session_state.get("pool_figure")
    points = (event or {}).get("selection", {}).get("points", [])
    out_w = st.session_state.get("pool_out_w", 1)
    for point in points:
        # only the click layer carries customdata; its marker sits at x = column, y = row
        if point.get("customdata") is not None and "x" in point and "y" in point:
            row, col = round(float(point["y"])), round(float(point["x"]))
            st.session_state["pool_pos"] = int(row * out_w + col)
            return


def _upstream_gradient(
    cfg: dict[str, Any], out_hw: tuple[int, int], problems: list[Problem]
) -> np.ndarray | None:
    if cfg["grad_source"] == "ones":
        return np.ones(out_hw)
    if cfg["grad_source"] == "random_int":
        rng = np.random.default_rng(cfg["grad_seed"])
        return rng.integers(1, 10, size=out_hw).astype(np.float64)
    try:
        base = np.arange(1, out_hw[0] * out_hw[1] + 1, dtype=np.float64).reshape(out_hw)
        with st.expander(tr("pool.typed_grad"), expanded=True):
            return _typed_grid("grad", base, tr("pool.upstream"))
    except SpecError as error:
        problems.extend(error.problems)
        return None


def _backward(state: dict[str, Any], step: PoolStep, cfg: dict[str, Any]) -> None:
    x = state["x"][state["channel"]][None]  # (1, H, W)
    kind, kernel, stride, padding = (
        state["kind"],
        state["kernel"],
        state["stride"],
        state["padding"],
    )
    _, out_h, out_w = step.output.shape
    problems: list[Problem] = []
    grad = _upstream_gradient(cfg, (out_h, out_w), problems)
    if grad is None:
        show_problems(problems)
        grad = np.ones((out_h, out_w))
        st.warning(tr("pool.grad_fallback"), icon="↩️")
    if kind == "max":
        _, argmax = max_pool2d(x, kernel, stride, padding)
        grad_in = max_pool2d_backward(grad[None], argmax, x.shape)[0]
    else:
        grad_in = avg_pool2d_backward(grad[None], x.shape, kernel, stride, padding)[0]
    step_1ch = pool_step(x, kind, kernel, stride, padding, (0, *step.out_index[1:]))
    st.markdown(tr(f"pool.backward_rule_{kind}"))
    st.plotly_chart(
        pool_backward_figure(grad, grad_in, step_1ch, lang()),
        width="stretch",
        config=STATIC_CONFIG,
        key="pool_backward",
    )
    _, i, j = step.out_index
    g = format_number(grad[i, j])
    if kind == "max":
        r, c = step_1ch.winner  # type: ignore[misc]
        st.markdown(tr("pool.route_max", i=i, j=j, g=g, r=r - padding[0], c=c - padding[1]))
    else:
        share = format_number(grad[i, j] / (kernel[0] * kernel[1]))
        st.markdown(tr("pool.route_avg", i=i, j=j, g=g, n=kernel[0] * kernel[1], share=share))
    expected = pool_backward_autograd(x, grad[None], kind, kernel, stride, padding)[0]
    if np.allclose(grad_in, expected, atol=1e-9):
        st.success(tr("pool.autograd_ok"), icon="✅")
    else:  # never expected; shown rather than hidden
        st.error(tr("pool.autograd_bad"), icon="❌")
    if kind == "max":
        st.info(tr("pool.seed002_note"), icon="📝")


def _comparison(x: np.ndarray) -> None:
    """AlexNet's overlapping 3x3/2 next to the usual 2x2/2 on the same input."""
    st.subheader(tr("pool.compare_title"))
    st.markdown(tr("pool.compare_explain"))
    height, width = x.shape
    cols = st.columns(2)
    for col, (k, s, key) in zip(cols, ((3, 2, "overlap"), (2, 2, "tiles")), strict=True):
        with col:
            st.markdown(tr(f"pool.compare_{key}", k=k, s=s))
            try:
                out, _ = max_pool2d(x[None], k, s)
                cover = pool_windows_coverage((height, width), k, s)
            except SpecError as error:
                show_problems(error.problems)
                continue
            st.code(
                f"H_out = {pool_output_formula(height, k, s)}\nW_out = {pool_output_formula(width, k, s)}",
                language=None,
                wrap_lines=True,
            )
            st.plotly_chart(
                grid_figure(cover, tr("pool.coverage"), lang=lang(), max_px=260),
                width="stretch",
                config=STATIC_CONFIG,
                key=f"pool_cover_{key}",
            )
            st.plotly_chart(
                grid_figure(out[0], tr("pool.output"), lang=lang(), max_px=200),
                width="stretch",
                config=STATIC_CONFIG,
                key=f"pool_out_{key}",
            )
            overlap = int((cover > 1).sum())
            unused = int((cover == 0).sum())
            st.caption(tr("pool.coverage_summary", overlap=overlap, unused=unused))


def _global_average(x: np.ndarray) -> None:
    st.subheader(tr("pool.gap_title"))
    st.markdown(tr("pool.gap_explain"))
    mean = global_avg_pool(x[None])[0, 0, 0]
    total = float(x.sum())
    count = x.size
    st.code(
        f"mean = {format_number(total)} / ({x.shape[0]}*{x.shape[1]}) = {format_number(total)} / {count}"
        f" = {format_number(mean)}\n"
        "nn.AdaptiveAvgPool2d(1)  # (C, H, W) -> (C, 1, 1)",
        language=None,
        wrap_lines=True,
    )


# ---------------------------------------------------------------- the page

restore_widgets("pool", DEFAULTS)
_take_request()
st.title(tr("pool.title"))
st.caption(tr("pool.intro"))
if st.session_state.pop("pool_request_error", False):
    st.error(tr("conv.request_bad"))
cfg = _settings()
request = st.session_state.get("pool_request")
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

problems: list[Problem] = []
x = _input(cfg, problems)
state = None
if x is not None and not problems:
    try:
        first = pool_step(
            x, cfg["kind"], cfg["kernel"], cfg["stride"], cfg["padding"], (cfg["channel"], 0, 0)
        )
        state = {**cfg, "x": x, "first": first}
    except SpecError as error:
        problems.extend(error.problems)
if problems or state is None:
    show_problems(problems)
    state = st.session_state.get("pool_last_good")
    if state is None:
        save_widgets("pool", DEFAULTS)
        st.stop()
    st.warning(tr("conv.kept_last_valid"), icon="↩️")
else:
    st.session_state["pool_last_good"] = state

first = state["first"]
_, out_h, out_w = first.output.shape
num_positions = out_h * out_w
st.session_state["pool_num_positions"] = num_positions
st.session_state["pool_out_w"] = out_w
st.session_state["pool_pos"] = int(
    np.clip(st.session_state.get("pool_pos", 0), 0, num_positions - 1)
)
controls = st.columns([0.7, 0.7, 5.8], vertical_alignment="bottom")
i, j = position_controls("pool", controls, num_positions, out_w, _move)
step = first.at(i, j)
st.plotly_chart(
    pool_stepper_figure(step, lang()),
    width="stretch",
    config=STATIC_CONFIG,
    key="pool_figure",
    on_select=_on_click,
    selection_mode="points",
)
st.caption(tr("conv.figure_help"))
st.markdown(tr("pool.sum_title", i=i, j=j))
st.code(pool_expression(step), language=None, wrap_lines=True)

left, right = st.columns(2)
with left:
    st.subheader(tr("conv.formula_title"))
    (kh, kw), (sh, sw), (ph, pw) = state["kernel"], state["stride"], state["padding"]
    height, width = state["x"].shape[1:]
    st.code(
        f"H_out = {pool_output_formula(height, kh, sh, ph)}\nW_out = {pool_output_formula(width, kw, sw, pw)}",
        language=None,
        wrap_lines=True,
    )
    rows, cols = unreached(height, kh, sh, ph), unreached(width, kw, sw, pw)
    if rows or cols:
        parts = [tr("conv.trunc_rows", n=rows)] if rows else []
        parts += [tr("conv.trunc_cols", n=cols)] if cols else []
        st.warning(tr("conv.truncation", what=tr("conv.trunc_and").join(parts)), icon="✂️")
    if sh < kh or sw < kw:
        st.markdown(tr("pool.overlapping_note"))
    st.markdown(tr(f"pool.padding_note_{state['kind']}"))
    name = "MaxPool2d" if state["kind"] == "max" else "AvgPool2d"
    st.code(
        f"nn.{name}(kernel_size=({kh}, {kw}), stride=({sh}, {sw}), padding=({ph}, {pw}))",
        language="python",
        wrap_lines=True,
    )
with right:
    st.subheader(tr("pool.backward_title"))
    _backward(state, step, cfg)

_comparison(state["x"][state["channel"]])
_global_average(state["x"][state["channel"]])
save_widgets("pool", DEFAULTS)
