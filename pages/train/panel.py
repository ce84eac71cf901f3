"""Train page: what the live fragments draw, from one ``cnnviz.viz.LiveFigures`` per job.

:func:`live_panel` is the panel beside Start (progress, four numbers, the loss, the probe image
and its first layer's feature maps; once the run has ended, a slider replays it epoch by epoch);
:func:`details_panel` the section below the settings (per-epoch curves, every layer, the filters,
the gradients). Each poll hands back the same figure objects until what they show has changed.
Never a page itself.
"""

from __future__ import annotations

import math
import os

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cnnviz.jobs import JobSnapshot, TrainingJob, backend_name, cluster_runner, pool_size
from cnnviz.train import Snapshot
from cnnviz.viz import LiveFigures
from pages.shared.charts import LIVE_CONFIG
from pages.shared.jobs import job_error_text, queued_notice
from pages.shared.session import current_device_label, lang, tr
from pages.train.common import number_text

__all__ = ["details_panel", "device_caption", "live_figures", "live_panel"]

_FIGURES = "train_live_figures"


def live_figures(job: TrainingJob) -> LiveFigures:
    """This session's :class:`LiveFigures` of ``job`` in the session language."""
    figures = st.session_state.get(_FIGURES)
    if not isinstance(figures, LiveFigures) or figures.job is not job or figures.lang != lang():
        figures = LiveFigures(job, lang())
        st.session_state[_FIGURES] = figures
    return figures


def device_caption() -> str:
    """Where runs train and what the thread count means: each run's PyTorch threads, the
    server's cores, how many runs train at once (the sidebar names the machine). On a Ray
    cluster (``CNNVIZ_BACKEND=ray``) the local worker count means nothing: the caption gives the
    cluster's resources and what each run asks of it."""
    cluster = cluster_runner() if backend_name() == "ray" else None
    if cluster is not None:
        return tr(
            "live.device_ray",
            cpus=cluster.cluster_cpus,
            gpus=cluster.cluster_gpus,
            threads=cluster.threads,
        )
    size = pool_size()
    if size.gpus:
        return tr("live.device_gpu", device=current_device_label(), workers=size.workers)
    threads = tr("device.cpu_one") if size.threads == 1 else tr("device.cpu", threads=size.threads)
    return tr(
        "live.device_cpu",
        device=threads,
        cores=os.cpu_count() or 1,
        workers=size.workers,
        threads=size.threads,
    )


def _eta_text(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return ""
    if seconds < 90:
        return tr("train.eta_seconds", seconds=max(1, round(seconds)))
    return tr("train.eta_minutes", minutes=round(seconds / 60, 1))


def _progress(job: TrainingJob, snap: JobSnapshot) -> None:
    if snap.status == "queued":  # on Ray: "waiting for cluster resources"
        queued_notice(job, "train.queued", icon="⏳")
    elif snap.status == "paused":
        st.warning(tr("train.paused_note"), icon="⏸️")
    numbers = ""
    if len(snap.batches):  # rows of step, loss, smoothed loss
        numbers += tr("live.progress_loss", loss=f"{snap.batches[-1, 2]:.3f}")
    if snap.epochs:
        numbers += tr("live.progress_acc", acc=f"{100 * snap.epochs[-1].val_acc:.1f}%")
    text = tr(
        "live.progress",
        status=tr(f"train.status.{snap.status}"),
        epoch=snap.epoch,
        epochs=job.cfg.epochs,
        step=snap.step,
        total=snap.total_batches or "?",
        numbers=numbers,
        eta=_eta_text(snap.eta_seconds),
    )
    st.progress(min(1.0, max(0.0, snap.progress)), text=text)
    if snap.diverged is not None:
        loss = "NaN" if not math.isfinite(snap.diverged.loss) else f"{snap.diverged.loss:.3g}"
        st.error(tr(snap.diverged.message_key, loss=loss, lr=number_text(job.cfg.lr)), icon="💥")
    error = job_error_text(job) if snap.status == "failed" else ""
    if error:
        st.error(error, icon="⚠️")


def _ending(job: TrainingJob, snap: JobSnapshot) -> None:
    """How the run ended (completed, stopped early, by its student, by the teacher, ...)."""
    finished = snap.finished
    if finished is None and job.stop_reason == "operator" and not job.active:
        st.info(tr("live.finished.operator_queued"))  # stopped while it waited in line
    if finished is None or finished.reason == "diverged":
        return
    params = {"seconds": f"{finished.seconds:.1f}", "best": finished.best_epoch or "-"}
    if job.stop_reason == "heartbeat" and finished.reason == "stopped":
        st.info(tr("train.finished.abandoned", **params))
    elif job.stop_reason == "operator" and finished.reason == "stopped":
        st.info(tr("live.finished.operator", **params))
    else:
        st.success(tr(f"train.finished.{finished.reason}", **params), icon="✅")


def _metrics(job: TrainingJob, snap: JobSnapshot) -> None:
    last = snap.epochs[-1] if snap.epochs else None
    cols = st.columns(5)
    cols[0].metric(tr("train.metric.epoch"), f"{snap.epoch}/{job.cfg.epochs}")
    # batches: (n, 3) rows of step, loss, smoothed loss
    loss = f"{snap.batches[-1, 2]:.4f}" if len(snap.batches) else "-"
    cols[1].metric(tr("train.metric.loss"), loss)
    cols[2].metric(tr("train.metric.val_acc"), f"{100 * last.val_acc:.1f}%" if last else "-")
    cols[3].metric(tr("train.metric.speed"), f"{last.images_per_second:,.0f}" if last else "-")
    cols[4].metric(tr("train.metric.epoch_time"), f"{last.seconds:.2f} s" if last else "-")


def _chart(column: DeltaGenerator, figure: object, key: str) -> None:
    if figure is not None:
        column.plotly_chart(figure, width="stretch", config=LIVE_CONFIG, key=key)


def _replay_choice(job: TrainingJob) -> Snapshot | None:
    """Once the run has ended: a slider over the epochs whose feature maps were kept."""
    kept = job.epoch_snapshots
    if job.active or len(kept) < 2:
        return None
    by_epoch = {snapshot.epoch: snapshot for snapshot in kept}
    epochs = sorted(by_epoch)
    chosen = st.session_state.get("train_w_replay")
    start = tr("live.replay_start")  # in this session's language, also when a test formats it
    # the value goes in the widget's own default, not into session state: a value set there
    # reaches the browser on that run only, and the next full run would show the first epoch
    epoch = st.select_slider(
        tr("live.replay"),
        epochs,
        value=chosen if chosen in by_epoch else epochs[-1],
        key="train_w_replay",
        format_func=lambda e: start if e == 0 else str(e),
        help=tr("live.replay_help"),
    )
    return by_epoch[epoch]


def _replay_caption(job: TrainingJob, snapshot: Snapshot) -> str:
    if snapshot.epoch == 0:
        return tr("live.replay_untrained")
    end = next((e for e in job.epochs if e.epoch == snapshot.epoch), None)
    acc = f"{100 * end.val_acc:.1f}%" if end is not None else "-"
    loss = f"{end.val_loss:.3f}" if end is not None else "-"
    return tr("live.replay_caption", epoch=snapshot.epoch, step=snapshot.step, acc=acc, loss=loss)


def live_panel(job: TrainingJob) -> None:
    """One poll of the panel beside Start: stamp the heartbeat, then draw what
    :meth:`LiveFigures.live` hands back (the same figures as last time when nothing changed)."""
    job.heartbeat()
    figures = live_figures(job)
    view = figures.live()
    snap = view.snap
    _progress(job, snap)
    figures_row = st.container()
    chosen = _replay_choice(job)
    loss, maps = view.loss, view.maps
    if chosen is not None:  # replaying a finished run: the maps after the chosen epoch
        loss, maps = figures.replay(chosen)
        st.caption(_replay_caption(job, chosen))
    # the probe's column stays wider than the 150 px a plotly chart never shrinks below
    curve, probe, pictures = figures_row.columns([7, 6, 9])
    _chart(curve, loss, "train_live_loss")
    _chart(probe, view.probe, "train_live_probe")
    _chart(pictures, maps, "train_live_maps")
    _ending(job, snap)


def details_panel(job: TrainingJob) -> None:
    """One poll of the section below the settings (:meth:`LiveFigures.details`)."""
    job.heartbeat()
    view = live_figures(job).details()
    _metrics(job, view.snap)
    if view.epoch_loss is not None:
        left, right = st.columns(2)
        _chart(left, view.epoch_loss, "train_live_epoch_loss")
        _chart(right, view.epoch_acc, "train_live_epoch_acc")
    snapshot = view.snap.snapshot
    if snapshot is not None:
        st.subheader(tr("train.maps.title"))
        st.caption(tr("live.maps_caption", step=snapshot.step, epoch=snapshot.epoch))
        st.caption(tr("live.colours"))
        for row in range(0, len(view.maps), 2):
            cols = st.columns(2)
            for i, (col, figure) in enumerate(zip(cols, view.maps[row : row + 2], strict=False)):
                _chart(col, figure, f"train_live_map{row + i}")
        if view.filters is not None:
            st.plotly_chart(
                view.filters, width="content", config=LIVE_CONFIG, key="train_live_filters"
            )
    if view.grads is not None:
        st.plotly_chart(view.grads, width="stretch", config=LIVE_CONFIG, key="train_live_grads")
        st.caption(tr("train.grads.caption"))
