"""Pooling stepper: the settings sidebar, its widget keys and their defaults. Never a page.

Every widget keyed in ``DEFAULTS`` keeps its value across page switches (``persist_state``, see
``pages.shared.widgets``). ``settings_sidebar`` returns a ``cnnviz.lessons.PoolSettings``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cnnviz.i18n import t
from cnnviz.lessons import GRAD_SOURCES, POOL_KINDS, POOL_SOURCES, PoolSettings
from pages.shared.session import lang, tr
from pages.shared.stepper_controls import int_input, source_picker
from pages.shared.widgets import PERSIST

__all__ = ["DEFAULTS", "MAX_CHANNELS", "MAX_SIZE", "settings_sidebar"]

MAX_SIZE = 32
MAX_CHANNELS = 3
MAX_KERNEL = 6
MAX_PAD = 3

# Widget keys and their first-visit defaults (pages.shared.widgets.set_defaults).
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
    "pool_pass": "forward",
}


def settings_sidebar() -> PoolSettings:
    """Every setting, read from the sidebar."""
    language = lang()  # bound into the format_func lambdas: they may run after this script run
    request = st.session_state.get("pool_request")
    side = st.sidebar
    side.header(tr("pool.settings"))
    kind = side.radio(
        tr("pool.kind"),
        POOL_KINDS,
        format_func=lambda k, language=language: t(f"pool.kind_{k}", language),
        key="pool_kind",
        persist_state=PERSIST,
        horizontal=True,
    )
    source = source_picker("pool", POOL_SOURCES, "random_int")
    from_request = source == "request"
    col1, col2 = side.columns(2)
    height = int_input("conv.height", "pool_h", 1, MAX_SIZE, col1, disabled=from_request)
    width = int_input("conv.width", "pool_w", 1, MAX_SIZE, col2, disabled=from_request)
    if source in ("random_int", "digit"):
        int_input("conv.seed", "pool_seed", 0, 9999, side)
    channel = 0
    if from_request and request.input.shape[0] > 1:
        channel = int_input("pool.channel", "pool_channel", 0, request.input.shape[0] - 1, side)
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
        int_input("conv.pad_h", "pool_ph", 0, MAX_PAD, col1),
        int_input("conv.pad_w", "pool_pw", 0, MAX_PAD, col2),
    )
    side.subheader(tr("pool.backward"))
    grad_source = side.radio(
        tr("pool.grad_source"),
        GRAD_SOURCES,
        format_func=lambda g, language=language: t(f"pool.grad_{g}", language),
        key="pool_grad_source",
        persist_state=PERSIST,
    )
    if grad_source == "random_int":
        int_input("conv.seed", "pool_grad_seed", 0, 9999, side)
    return PoolSettings(
        kind=kind,
        source=source,
        shape=(height, width),
        channel=channel,
        kernel=kernel,
        stride=stride,
        padding=padding,
        grad_source=grad_source,
        seed=int(st.session_state["pool_seed"]),
        grad_seed=int(st.session_state["pool_grad_seed"]),
    )
