"""The Beyond page's comparison: finished runs' curves overlaid (with vs without skips, cross-
entropy vs Dice) and their final scores in a table. Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.viz import SegmentSeries, segment_curves_figure
from pages.beyond.state import runs
from pages.shared.charts import CHART_CONFIG
from pages.shared.session import lang, tr

__all__ = ["compare_ui"]


def _clear() -> None:
    runs().clear()


def compare_ui() -> None:
    """Pick finished runs; their curves on the same axes and their final numbers."""
    st.subheader(tr("beyond.compare.title"))
    st.caption(tr("beyond.compare.caption"))
    finished = runs()
    if not finished:
        st.info(tr("beyond.compare.empty"))
        return
    names = [run.name for run in finished]
    picked = st.multiselect(
        tr("beyond.compare.pick"), names, default=names[-4:], key="beyond_compare_pick"
    )
    chosen = [run for run in finished if run.name in picked]
    if chosen:
        series = [
            SegmentSeries(run.name, run.epochs, None, run.batches_per_epoch) for run in chosen
        ]
        st.plotly_chart(
            segment_curves_figure(series, lang()),
            width="stretch",
            config=CHART_CONFIG,
            key="beyond_compare_curves",
        )
    st.dataframe(
        {
            tr("beyond.compare.col.run"): [run.name for run in chosen],
            tr("beyond.compare.col.epochs"): [len(run.epochs) for run in chosen],
            tr("beyond.compare.col.iou"): [round(run.epochs[-1].mean_iou, 3) for run in chosen],
            tr("beyond.compare.col.dice"): [round(run.epochs[-1].mean_dice, 3) for run in chosen],
            tr("beyond.compare.col.seconds"): [round(run.seconds, 1) for run in chosen],
        },
        hide_index=True,
    )
    st.button(tr("beyond.compare.clear"), on_click=_clear, key="beyond_compare_clear")
