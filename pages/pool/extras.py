"""Pooling stepper: overlapping (AlexNet's 3x3/2) vs 2x2/2 tiles, and global average pooling.

Never a page. The numbers come from ``cnnviz.lessons.pool_layout`` and
``cnnviz.lessons.global_average``; the grids from ``cnnviz.viz.grid_figure``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.lessons import POOL_COMPARISON, global_average, pool_layout
from cnnviz.net import SpecError
from cnnviz.viz import format_number, grid_figure
from pages.shared.charts import STATIC_CONFIG
from pages.shared.session import lang, show_problems, tr

__all__ = ["show_comparison", "show_global_average"]


def show_comparison(x: np.ndarray) -> None:
    """AlexNet's overlapping 3x3/2 next to the usual 2x2/2 on the same (H, W) input."""
    st.subheader(tr("pool.compare_title"))
    st.markdown(tr("pool.compare_explain"))
    cols = st.columns(2)
    for col, (name, k, s) in zip(cols, POOL_COMPARISON, strict=True):
        with col:
            st.markdown(tr(f"pool.compare_{name}", k=k, s=s))
            try:
                layout = pool_layout(x, k, s)
            except SpecError as error:
                show_problems(error.problems)
                continue
            st.code("\n".join(layout.formulas), language=None, wrap_lines=True)
            st.plotly_chart(
                grid_figure(layout.coverage, tr("pool.coverage"), lang=lang(), max_px=260),
                width="stretch",
                config=STATIC_CONFIG,
                key=f"pool_cover_{name}",
            )
            st.plotly_chart(
                grid_figure(layout.output, tr("pool.output"), lang=lang(), max_px=200),
                width="stretch",
                config=STATIC_CONFIG,
                key=f"pool_out_{name}",
            )
            st.caption(tr("pool.coverage_summary", overlap=layout.overlap, unused=layout.unused))


def show_global_average(x: np.ndarray) -> None:
    """``nn.AdaptiveAvgPool2d(1)`` of the (H, W) input: the sum, the count and the mean."""
    st.subheader(tr("pool.gap_title"))
    st.markdown(tr("pool.gap_explain"))
    gap = global_average(x)
    total = format_number(gap.total)
    st.code(
        f"mean = {total} / ({gap.height}*{gap.width}) = {total} / {gap.count}"
        f" = {format_number(gap.mean)}\n"
        "nn.AdaptiveAvgPool2d(1)  # (C, H, W) -> (C, 1, 1)",
        language=None,
        wrap_lines=True,
    )
