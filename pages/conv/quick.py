"""Convolution stepper: the most used settings on the page, above the figure. Never a page.

A teacher at a projector changes padding, stride and the kernel size without opening the sidebar:
presets ("p=1, s=2", from ``cnnviz.lessons.CONV_PRESETS``), the kernel size, the stride and the
padding, in one row with Back and Next. These widgets mirror the sidebar's settings (keys
``conv_q_*``, set from the current settings on every run): a change writes the sidebar's keys in
its callback, before the next run draws the sidebar. ``same_stride_fix`` offers the one-click fix
when "same" padding meets a stride above 1 (PyTorch refuses it).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from cnnviz.i18n import t
from cnnviz.lessons import (
    CONV_LIMITS,
    CONV_PRESETS,
    ConvSettings,
    apply_preset,
    explicit_same_padding,
    matching_preset,
)
from cnnviz.net import Problem
from pages.conv.settings import widget_values
from pages.shared.session import lang, show_problems, tr

__all__ = ["quick_settings", "same_stride_fix"]

_SAME = "same"


def _apply(settings: ConvSettings) -> None:
    """Write ``settings`` into the sidebar's widgets (a callback: before they are drawn)."""
    st.session_state.update(widget_values(settings))


def _on_preset(settings: ConvSettings) -> None:
    label = st.session_state.get("conv_q_preset")
    preset = next((p for p in CONV_PRESETS if p.label == label), None)
    if preset is not None:
        _apply(apply_preset(settings, preset))


def _on_kernel(settings: ConvSettings) -> None:
    size = st.session_state.get("conv_q_kernel")
    if size is not None:
        _apply(replace(settings, kernel=(size, size)))


def _on_stride(settings: ConvSettings) -> None:
    stride = st.session_state.get("conv_q_stride")
    if stride is not None:
        _apply(replace(settings, stride=(stride, stride)))


def _on_padding(settings: ConvSettings) -> None:
    choice = st.session_state.get("conv_q_padding")
    if choice is None:
        return
    if settings.transposed:
        _apply(replace(settings, padding=(int(choice), int(choice))))
    elif choice == _SAME:
        _apply(replace(settings, padding="same"))
    else:
        p = int(choice)
        _apply(replace(settings, padding="valid" if p == 0 else (p, p, p, p)))


def _square(pair: tuple[int, int]) -> int | None:
    return pair[0] if pair[0] == pair[1] else None


def _padding_choice(settings: ConvSettings) -> Any:
    """The padding as the quick control shows it: "same", a number, or None (mixed sides)."""
    padding = settings.padding
    if settings.transposed:
        return _square(settings.transposed_padding)
    if padding == "same":
        return _SAME
    if padding == "valid":
        return 0
    if isinstance(padding, tuple) and len(set(padding)) == 1:
        return padding[0]
    return None


def quick_settings(settings: ConvSettings, columns: list[Any]) -> None:
    """Presets, kernel size, stride and padding in ``columns`` (four containers of one row).

    A setting the quick controls cannot show (a 3x5 kernel, padding that differs per side) shows
    as empty: the sidebar has it.
    """
    language = lang()  # bound into format_func: it may run after this script run
    preset = matching_preset(settings)
    st.session_state["conv_q_preset"] = preset.label if preset is not None else None
    st.session_state["conv_q_kernel"] = _square(settings.kernel)
    st.session_state["conv_q_stride"] = _square(settings.stride)
    st.session_state["conv_q_padding"] = _padding_choice(settings)
    columns[0].pills(
        tr("conv.quick_presets"),
        [p.label for p in CONV_PRESETS],
        key="conv_q_preset",
        on_change=_on_preset,
        args=(settings,),
        help=tr("conv.quick_presets_help"),
    )
    columns[1].selectbox(
        tr("conv.quick_kernel"),
        list(range(1, CONV_LIMITS.kernel + 1)),
        key="conv_q_kernel",
        format_func=lambda k: f"{k}×{k}",
        placeholder=f"{settings.kernel[0]}×{settings.kernel[1]}",
        on_change=_on_kernel,
        args=(settings,),
        disabled=settings.source == "request",
    )
    columns[2].selectbox(
        tr("conv.quick_stride"),
        list(range(1, CONV_LIMITS.stride + 1)),
        key="conv_q_stride",
        placeholder=f"{settings.stride[0]}, {settings.stride[1]}",
        on_change=_on_stride,
        args=(settings,),
    )
    numbers: list[Any] = list(range(CONV_LIMITS.padding + 1))
    columns[3].selectbox(
        tr("conv.quick_padding"),
        numbers if settings.transposed else [_SAME, *numbers],
        key="conv_q_padding",
        format_func=lambda p, language=language: _padding_label(p, language),
        placeholder=tr("conv.quick_padding_mixed"),
        on_change=_on_padding,
        args=(settings,),
    )


def _padding_label(choice: Any, language: str) -> str:
    if choice == _SAME:
        return t("conv.padding_same", language)
    return t("conv.quick_padding_valid", language) if choice == 0 else f"p = {choice}"


def _fix_padding(settings: ConvSettings) -> None:
    _apply(replace(settings, padding=explicit_same_padding(settings)))


def _fix_stride(settings: ConvSettings) -> None:
    _apply(replace(settings, stride=(1, 1)))


def same_stride_fix(settings: ConvSettings) -> None:
    """Why "same" and a stride do not go together, and the two ways out, each one click."""
    show_problems([Problem.make("same_with_stride", field="padding")])
    top, bottom, left, right = explicit_same_padding(settings)
    pads = (
        f"{top}" if len({top, bottom, left, right}) == 1 else f"({top}, {bottom}, {left}, {right})"
    )
    stride = f"{settings.stride[0]}" if _square(settings.stride) else str(settings.stride)
    left_col, right_col = st.columns(2)
    left_col.button(
        tr("conv.fix_same_padding", pads=pads, stride=stride),
        key="conv_fix_padding",
        on_click=_fix_padding,
        args=(settings,),
        type="primary",
        width="stretch",
        help=tr("conv.fix_same_padding_help"),
    )
    right_col.button(
        tr("conv.fix_same_stride"),
        key="conv_fix_stride",
        on_click=_fix_stride,
        args=(settings,),
        width="stretch",
    )
