"""Convolution stepper: the settings sidebar, its widget keys and their defaults. Never a page.

Every widget keyed in ``DEFAULTS`` keeps its value across page switches (``persist_state``, see
``pages.shared.widgets``). ``settings_sidebar`` returns a ``cnnviz.lessons.ConvSettings``;
``widget_values`` is the way back (a preset, a link or a Build-page layer sets the widgets).
Limits are ``cnnviz.lessons.CONV_LIMITS``, which a link is checked against on the server too.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cnnviz.i18n import t
from cnnviz.lessons import (
    CONV_LIMITS,
    CONV_MODES,
    CONV_SOURCES,
    KERNEL_CHOICES,
    ConvSettings,
    kernel_label_key,
    named_kernel,
)
from cnnviz.ops import PaddingArg
from pages.shared.session import lang, tr
from pages.shared.stepper_controls import int_input, source_picker
from pages.shared.widgets import PERSIST

__all__ = [
    "DEFAULTS",
    "MAX_CHANNELS",
    "MAX_SIZE",
    "settings_sidebar",
    "widget_values",
]

MAX_SIZE = CONV_LIMITS.size
MAX_CHANNELS = CONV_LIMITS.channels
MAX_FILTERS = CONV_LIMITS.filters
MAX_KERNEL = CONV_LIMITS.kernel
MAX_STRIDE = CONV_LIMITS.stride
MAX_PAD = CONV_LIMITS.padding
DEFAULT_KERNELS = ("vertical_edge", "horizontal_edge", "sobel_x", "laplacian")


# Widget keys and their first-visit defaults (pages.shared.widgets.set_defaults).
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


def widget_values(settings: ConvSettings) -> dict[str, Any]:
    """The widget values that show ``settings`` (the inverse of :func:`settings_sidebar`)."""
    channels, height, width = settings.shape
    (kh, kw), (sh, sw), (dh, dw) = settings.kernel, settings.stride, settings.dilation
    values: dict[str, Any] = {
        "conv_mode": settings.mode,
        "conv_source": settings.source,
        "conv_c": channels,
        "conv_h": height,
        "conv_w": width,
        "conv_f": settings.filters,
        "conv_kh": kh,
        "conv_kw": kw,
        "conv_sh": sh,
        "conv_sw": sw,
        "conv_dh": dh,
        "conv_dw": dw,
        "conv_oph": settings.output_padding[0],
        "conv_opw": settings.output_padding[1],
        "conv_groups": settings.groups,
        "conv_bias": settings.bias is not None,
        "conv_bias_value": settings.bias or 0.0,
        "conv_flip": settings.flip,
        "conv_seed": settings.seed,
    }
    values.update({f"conv_kernel_{f}": name for f, name in enumerate(settings.kernel_names)})
    padding = settings.padding
    if settings.transposed:
        values["conv_tph"], values["conv_tpw"] = settings.transposed_padding
    elif isinstance(padding, str):
        values["conv_pad_mode"] = padding
    else:
        top, bottom, left, right = padding  # type: ignore[misc]
        values.update(
            conv_pad_mode="explicit", conv_pt=top, conv_pb=bottom, conv_pl=left, conv_pr=right
        )
    return values


def settings_sidebar() -> ConvSettings:
    """Every setting, read from the sidebar."""
    language = lang()  # bound into the format_func lambdas: they may run after this script run
    request = st.session_state.get("conv_request")
    sidebar = st.sidebar
    sidebar.header(tr("conv.settings"))
    mode = sidebar.radio(
        tr("conv.mode"),
        CONV_MODES,
        format_func=lambda m, language=language: t(f"conv.mode_{m}", language),
        key="conv_mode",
        persist_state=PERSIST,
        horizontal=True,
    )
    source = source_picker("conv", CONV_SOURCES, "seed003")
    from_request = source == "request"
    col1, col2, col3 = sidebar.columns(3)
    height = int_input("conv.height", "conv_h", 1, MAX_SIZE, col1, disabled=from_request)
    width = int_input("conv.width", "conv_w", 1, MAX_SIZE, col2, disabled=from_request)
    channels = int_input("conv.channels", "conv_c", 1, MAX_CHANNELS, col3, disabled=from_request)
    if source in ("random_int", "digit"):
        int_input("conv.seed", "conv_seed", 0, 9999, sidebar)
    upload = None
    if source == "upload":
        upload = sidebar.file_uploader(
            tr("conv.upload"), type=["png", "jpg", "jpeg", "bmp", "gif", "webp"], key="conv_upload"
        )

    sidebar.subheader(tr("conv.kernel_settings"))
    col1, col2, col3 = sidebar.columns(3)
    if from_request:
        filters = request.filters
        col1.metric(tr("conv.filters"), filters)
    else:
        filters = int_input("conv.filters", "conv_f", 1, MAX_FILTERS, col1)
    kh = int_input("conv.kernel_h", "conv_kh", 1, MAX_KERNEL, col2, disabled=from_request)
    kw = int_input("conv.kernel_w", "conv_kw", 1, MAX_KERNEL, col3, disabled=from_request)
    kernel_names: list[str] = []
    if not from_request:
        for f in range(filters):
            name = sidebar.selectbox(
                tr("conv.kernel_of", f=f),
                KERNEL_CHOICES,
                format_func=lambda n, language=language: t(kernel_label_key(n), language),
                key=f"conv_kernel_{f}",
                persist_state=PERSIST,
            )
            kernel_names.append(name)
            if name not in ("typed", "random"):
                note = named_kernel(name, kh, kw).note
                if note:
                    sidebar.caption(tr(note))

    sidebar.subheader(tr("conv.geometry"))
    col1, col2 = sidebar.columns(2)
    stride = (
        int_input("conv.stride_h", "conv_sh", 1, MAX_STRIDE, col1),
        int_input("conv.stride_w", "conv_sw", 1, MAX_STRIDE, col2),
    )
    if mode == "normal":
        pad_mode = sidebar.radio(
            tr("conv.padding"),
            ("valid", "same", "explicit"),
            format_func=lambda m, language=language: t(f"conv.padding_{m}", language),
            key="conv_pad_mode",
            persist_state=PERSIST,
            horizontal=True,
        )
        padding: PaddingArg = pad_mode
        if pad_mode == "explicit":
            cols = sidebar.columns(4)
            padding = tuple(
                int_input(f"conv.pad_{side}", f"conv_p{side[0]}", 0, MAX_PAD, col)
                for side, col in zip(("top", "bottom", "left", "right"), cols, strict=True)
            )
    else:
        col1, col2 = sidebar.columns(2)
        padding = (
            int_input("conv.pad_h", "conv_tph", 0, MAX_PAD, col1),
            int_input("conv.pad_w", "conv_tpw", 0, MAX_PAD, col2),
        )
        col1, col2 = sidebar.columns(2)
        int_input("conv.output_padding_h", "conv_oph", 0, 3, col1)
        int_input("conv.output_padding_w", "conv_opw", 0, 3, col2)
    col1, col2 = sidebar.columns(2)
    dilation = (
        int_input("conv.dilation_h", "conv_dh", 1, 4, col1),
        int_input("conv.dilation_w", "conv_dw", 1, 4, col2),
    )
    groups = 1
    if mode == "normal" and channels > 1:
        groups = int_input(
            "conv.groups", "conv_groups", 1, MAX_CHANNELS, sidebar, help=tr("conv.groups_help")
        )
    col1, col2 = sidebar.columns(2)
    bias = col1.checkbox(tr("conv.bias"), key="conv_bias", persist_state=PERSIST)
    bias_value = float(
        col2.number_input(
            tr("conv.bias_value"),
            -100.0,
            100.0,
            step=0.5,
            key="conv_bias_value",
            persist_state=PERSIST,
            disabled=not bias,
        )
    )
    flip = False
    if mode == "normal":
        flip = sidebar.checkbox(
            tr("conv.flip"), key="conv_flip", persist_state=PERSIST, help=tr("conv.flip_help")
        )
    return ConvSettings(
        mode=mode,
        source=source,
        shape=(channels, height, width),
        filters=filters,
        kernel=(kh, kw),
        kernel_names=tuple(kernel_names),
        stride=stride,
        padding=padding,
        output_padding=(
            int(st.session_state["conv_oph"]),
            int(st.session_state["conv_opw"]),
        ),
        dilation=dilation,
        groups=groups,
        bias=bias_value if bias else None,
        flip=flip,
        seed=int(st.session_state["conv_seed"]),
        upload=None if upload is None else upload.getvalue(),
    )
