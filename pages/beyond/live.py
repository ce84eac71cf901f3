"""The Beyond page's live panel: progress, loss and IoU curves, per-class scores and the row of
validation images of the current run. Not a page.

While the run is active an ``@st.fragment`` polls the job (``pages.shared.jobs.poll_seconds``),
stamps its heartbeat, and reruns the whole page when the run ends (so it joins the comparison).
"""

from __future__ import annotations

import streamlit as st

from cnnviz.data import MASK_CLASSES
from cnnviz.jobs import SegmentJob, SegmentSnapshot
from cnnviz.viz import (
    MASK_COLOUR_NAMES,
    SegmentSeries,
    class_scores_figure,
    segment_curves_figure,
    segment_montage,
)
from pages.beyond.state import SLOT, BeyondMeta, current_job, run_name
from pages.shared.charts import LIVE_CONFIG
from pages.shared.jobs import job_error_text, poll_seconds, queued_notice, slot_entry
from pages.shared.session import lang, tr

__all__ = ["live_ui"]


def _legend() -> str:
    return ", ".join(
        f"{tr(f'beyond.class.{name}')} = {tr(f'beyond.colour.{colour}')}"
        for name, colour in zip(MASK_CLASSES, MASK_COLOUR_NAMES, strict=True)
    )


def _status_line(job: SegmentJob, snap: SegmentSnapshot, name: str) -> None:
    if snap.status == "queued":
        queued_notice(job, "beyond.queued")
    elif snap.status == "failed":
        st.error(tr("beyond.failed", error=job_error_text(job)))
    elif snap.finished is not None:
        key = "beyond.finished" if snap.finished.reason == "completed" else "beyond.stopped"
        st.success(
            tr(
                key,
                run=name,
                epochs=len(snap.epochs),
                seconds=snap.finished.elapsed_seconds,
                iou=snap.finished.mean_iou,
            )
        )
    else:
        epoch = len(snap.epochs) + (0 if snap.progress >= 1 else 1)
        st.progress(
            snap.progress,
            text=tr(
                "beyond.progress",
                run=name,
                epoch=min(epoch, job.cfg.epochs),
                epochs=job.cfg.epochs,
                step=snap.step,
                total=snap.total_batches,
            ),
        )
        if snap.status == "paused":
            st.caption(tr("beyond.paused"))


def _draw(job: SegmentJob, name: str) -> None:
    snap = job.snapshot()
    _status_line(job, snap, name)
    if snap.epochs:
        last = snap.epochs[-1]
        cols = st.columns(3)
        cols[0].metric(tr("beyond.metric.iou"), f"{last.mean_iou:.3f}")
        cols[1].metric(tr("beyond.metric.dice"), f"{last.mean_dice:.3f}")
        cols[2].metric(tr("beyond.metric.val_loss"), f"{last.val_loss:.3f}")
    batches = -(-job.cfg.train_size // job.cfg.batch_size)
    series = [SegmentSeries(name, snap.epochs, snap.losses, batches)]
    st.plotly_chart(
        segment_curves_figure(series, lang(), show_legend=False),
        width="stretch",
        config=LIVE_CONFIG,
        key="beyond_live_curves",
    )
    if snap.images is not None:
        st.markdown(f"**{tr('beyond.images.title')}**")
        images = snap.images
        st.image(
            segment_montage(images.images, images.true_masks, images.predicted),
            caption=tr("beyond.images.caption", epoch=images.epoch, legend=_legend()),
        )
    if snap.epochs:
        st.plotly_chart(
            class_scores_figure(snap.epochs[-1], lang()),
            width="stretch",
            config=LIVE_CONFIG,
            key="beyond_live_classes",
        )


def live_ui() -> None:
    """The current run, polled while it is active; a hint before the first Start."""
    job = current_job()
    entry = slot_entry(SLOT)
    if job is None or entry is None:
        st.info(tr("beyond.empty"))
        return
    meta = entry.meta
    name = run_name(meta) if isinstance(meta, BeyondMeta) else ""
    every = poll_seconds(job)
    was_active = job.active

    @st.fragment(run_every=every)
    def live() -> None:
        job.heartbeat()
        _draw(job, name)
        if (was_active and not job.active) or poll_seconds(job) != every:
            st.rerun(scope="app")  # ended (joins the comparison), or the poll changes pace

    live()
