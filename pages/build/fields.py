"""Build page: the widgets of one layer's settings, and their values back into the drafts.

Never a page. Widget keys are ``build_<id>__<field>`` (``__h``/``__w`` for a rectangular pair,
``__sq`` for a square one, ``padding__mode`` for "same"/"valid", ``_rect`` for the switch); each
widget is seeded from its draft when it appears (``set_defaults``), then its own state rules. They
are not persisted: the drafts are, and a widget shown again (after a page switch, or a square
pair switched back from rectangular) starts from its draft, never from an older value.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from cnnviz.i18n import t
from cnnviz.net import (
    ACTIVATIONS,
    MAX_CHANNELS,
    MAX_FEATURES,
    MAX_KERNEL,
    ActivationSpec,
    type_name,
)
from pages.build.state import layers
from pages.shared.session import lang, tr
from pages.shared.widgets import set_defaults

__all__ = ["edit_fields", "sync_from_widgets"]

PAIR_FIELDS = {"kernel_size", "stride", "padding", "dilation"}


def _field_label(name: str, axis: str = "") -> str:
    """The translated setting, then PyTorch's argument name (not for the page's own switches)."""
    if name in ("rectangular", "padding_mode"):
        return tr(f"build.field.{name}")
    return f"{tr(f'build.field.{name}')} ({name}{', ' + axis if axis else ''})"


def _int_input(key: str, name: str, value: int, minimum: int, maximum: int, axis: str = "") -> int:
    set_defaults({key: int(value)})
    return int(
        st.number_input(
            _field_label(name, axis), min_value=minimum, max_value=maximum, step=1, key=key
        )
    )


def _float_input(
    key: str, name: str, value: float, minimum: float, maximum: float, step: float
) -> float:
    set_defaults({key: float(value)})
    return float(
        st.number_input(
            _field_label(name),
            min_value=minimum,
            max_value=maximum,
            step=step,
            format="%g",
            key=key,
        )
    )


def _pair_input(
    prefix: str, draft: dict[str, Any], name: str, minimum: int, rect: bool
) -> list[int]:
    value = draft[name] if isinstance(draft[name], list) else [0, 0]
    if not rect:
        return [_int_input(f"{prefix}_{name}__sq", name, value[0], minimum, MAX_KERNEL)] * 2
    left, right = st.columns(2)
    with left:
        h = _int_input(f"{prefix}_{name}__h", name, value[0], minimum, MAX_KERNEL, axis="H")
    with right:
        w = _int_input(f"{prefix}_{name}__w", name, value[1], minimum, MAX_KERNEL, axis="W")
    return [h, w]


def _checkbox(key: str, name: str, value: bool) -> bool:
    set_defaults({key: bool(value)})
    return bool(st.checkbox(_field_label(name), key=key))


def _select(
    key: str,
    name: str,
    value: str,
    options: tuple[str, ...],
    format_func: Any = str,
) -> str:
    set_defaults({key: value if value in options else options[0]})
    return str(
        st.selectbox(_field_label(name), options=list(options), format_func=format_func, key=key)
    )


def _activation_name(function: str) -> str:
    return type_name(ActivationSpec(function))


def _padding_mode_name(language: str, mode: str) -> str:
    return t("build.padding_number", language) if mode == "number" else f'"{mode}"'


def _widget_prefix(draft: dict[str, Any]) -> str:
    return f"build_{draft['id']}_"


def sync_from_widgets() -> None:
    """Copy this interaction's widget values into the drafts before anything is computed.

    Widget keys are ``build_<id>__<field>`` (``__h``/``__w`` for a rectangular pair, ``__sq`` for
    a square one, ``padding__mode`` for "same"/"valid"); a widget not drawn yet leaves its field.
    """
    state = st.session_state
    for draft in layers():
        prefix = _widget_prefix(draft)
        rect = bool(state.get(f"{prefix}_rect", False))
        for field in list(draft):
            if field in ("id", "type"):
                continue
            if field in PAIR_FIELDS:
                mode = state.get(f"{prefix}_padding__mode")
                if field == "padding" and draft["type"] == "conv2d" and mode in ("same", "valid"):
                    draft[field] = mode
                    continue
                keys = [f"{prefix}_{field}__h", f"{prefix}_{field}__w"]
                if rect and all(key in state for key in keys):
                    draft[field] = [int(state[keys[0]]), int(state[keys[1]])]
                elif not rect and f"{prefix}_{field}__sq" in state:
                    draft[field] = [int(state[f"{prefix}_{field}__sq"])] * 2
            elif f"{prefix}_{field}" in state:
                draft[field] = state[f"{prefix}_{field}"]


def edit_fields(draft: dict[str, Any]) -> dict[str, Any]:
    """Widgets for every setting of one layer; returns the updated draft."""
    prefix = _widget_prefix(draft)
    kind = draft["type"]
    new = dict(draft)
    if kind in ("conv2d", "maxpool2d", "avgpool2d"):
        is_rect = any(
            isinstance(draft.get(f), list) and draft[f][0] != draft[f][1] for f in PAIR_FIELDS
        )
        rect = _checkbox(f"{prefix}_rect", "rectangular", is_rect)
        cols = st.columns(2)
        if kind == "conv2d":
            with cols[0]:
                new["out_channels"] = _int_input(
                    f"{prefix}_out_channels", "out_channels", draft["out_channels"], 1, MAX_CHANNELS
                )
            with cols[1]:
                new["groups"] = _int_input(
                    f"{prefix}_groups", "groups", draft["groups"], 1, MAX_CHANNELS
                )
        with cols[0]:
            new["kernel_size"] = _pair_input(prefix, draft, "kernel_size", 1, rect)
        with cols[1]:
            new["stride"] = _pair_input(prefix, draft, "stride", 1, rect)
        with cols[0]:
            if kind == "conv2d":
                current = draft["padding"]
                mode = _select(
                    f"{prefix}_padding__mode",
                    "padding_mode",
                    current if isinstance(current, str) else "number",
                    ("number", "same", "valid"),
                    partial(_padding_mode_name, lang()),
                )
                if mode == "number":
                    new["padding"] = _pair_input(prefix, draft, "padding", 0, rect)
                else:
                    new["padding"] = mode
            else:
                new["padding"] = _pair_input(prefix, draft, "padding", 0, rect)
        if kind == "conv2d":
            with cols[1]:
                new["dilation"] = _pair_input(prefix, draft, "dilation", 1, rect)
                new["bias"] = _checkbox(f"{prefix}_bias", "bias", draft["bias"])
    elif kind == "batchnorm2d":
        cols = st.columns(2)
        with cols[0]:
            new["eps"] = _float_input(f"{prefix}_eps", "eps", draft["eps"], 1e-12, 1.0, 1e-5)
        with cols[1]:
            new["momentum"] = _float_input(
                f"{prefix}_momentum", "momentum", draft["momentum"], 0.0, 1.0, 0.05
            )
    elif kind == "lrn":
        cols = st.columns(4)
        with cols[0]:
            new["size"] = _int_input(f"{prefix}_size", "size", draft["size"], 1, 64)
        with cols[1]:
            new["alpha"] = _float_input(f"{prefix}_alpha", "alpha", draft["alpha"], 0.0, 10.0, 1e-4)
        with cols[2]:
            new["beta"] = _float_input(f"{prefix}_beta", "beta", draft["beta"], 0.0, 10.0, 0.05)
        with cols[3]:
            new["k"] = _float_input(f"{prefix}_k", "k", draft["k"], 0.0, 100.0, 0.5)
    elif kind == "activation":
        cols = st.columns(2)
        with cols[0]:
            new["function"] = _select(
                f"{prefix}_function", "function", draft["function"], ACTIVATIONS, _activation_name
            )
        if new["function"] == "leaky_relu":
            with cols[1]:
                new["negative_slope"] = _float_input(
                    f"{prefix}_negative_slope",
                    "negative_slope",
                    draft["negative_slope"],
                    0.0,
                    1.0,
                    0.01,
                )
    elif kind in ("dropout", "dropout2d"):
        new["p"] = _float_input(f"{prefix}_p", "p", draft["p"], 0.0, 0.99, 0.05)
    elif kind == "linear":
        cols = st.columns(2)
        with cols[0]:
            new["out_features"] = _int_input(
                f"{prefix}_out_features", "out_features", draft["out_features"], 1, MAX_FEATURES
            )
        with cols[1]:
            new["bias"] = _checkbox(f"{prefix}_bias", "bias", draft["bias"])
    elif kind == "residual":
        cols = st.columns(2)
        with cols[0]:
            new["out_channels"] = _int_input(
                f"{prefix}_out_channels", "out_channels", draft["out_channels"], 1, MAX_CHANNELS
            )
            new["activation"] = _select(
                f"{prefix}_activation",
                "activation",
                draft["activation"],
                ACTIVATIONS,
                _activation_name,
            )
        with cols[1]:
            new["stride"] = _int_input(f"{prefix}_stride", "stride", draft["stride"], 1, 4)
            new["bottleneck"] = _checkbox(f"{prefix}_bottleneck", "bottleneck", draft["bottleneck"])
            new["batch_norm"] = _checkbox(f"{prefix}_batch_norm", "batch_norm", draft["batch_norm"])
    else:  # flatten, global average pooling: nothing to set
        st.caption(tr(f"build.no_settings.{kind}"))
    return new
