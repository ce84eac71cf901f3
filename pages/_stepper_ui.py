"""Widgets shared by the convolution and pooling steppers. Never a page itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from pages._ui import tr

__all__ = ["position_controls"]


def position_controls(
    prefix: str,
    columns: Sequence[Any],
    num_positions: int,
    out_w: int,
    move: Callable[[int], None],
) -> tuple[int, int]:
    """Back / Next buttons and a slider over the output cells (row-major); returns (row, col).

    ``columns`` are three containers (back, next, slider); the position lives in ``<prefix>_pos``
    and ``move(delta)`` is the page's callback that changes it.
    """
    position = st.session_state[f"{prefix}_pos"]
    columns[0].button(
        tr("conv.prev"),
        key=f"{prefix}_prev",
        on_click=move,
        args=(-1,),
        disabled=position == 0,
        width="stretch",
    )
    columns[1].button(
        tr("conv.next"),
        key=f"{prefix}_next",
        on_click=move,
        args=(1,),
        disabled=position >= num_positions - 1,
        width="stretch",
    )
    if num_positions > 1:
        columns[2].select_slider(
            tr("conv.position"),
            options=list(range(num_positions)),
            format_func=lambda k: f"({k // out_w}, {k % out_w})",
            key=f"{prefix}_pos",
        )
    row, col = divmod(st.session_state[f"{prefix}_pos"], out_w)
    return row, col
