"""Train page, step 3: Start/Pause/Resume/Stop and the live panel of the running job.

The job is a ``cnnviz.jobs.TrainingJob`` (a worker thread) kept in ``st.session_state["train_job"]``
with what the page needs to record it in ``"train_job_meta"``. The buttons are ``on_click``
callbacks in the main script (a button in a fragment waits behind a running script); the live
panel is a fragment that polls ``job.snapshot()`` once a second while the job is active (see
../shared/STREAMLIT.md). Never a page itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from cnnviz.data import DataConfig, DatasetBundle
from cnnviz.jobs import TrainingJob, shared_limiter
from cnnviz.specs import NetSpec, Problem, SpecError
from cnnviz.training import TrainConfig
from cnnviz.viz_train import (
    epoch_figure,
    feature_map_figure,
    filters_figure,
    loss_figure,
    norms_figure,
)
from pages._train_common import message, number_text
from pages._ui import LIVE_CONFIG, lang, session_keepalive, show_problems, tr

__all__ = ["TrainRequest", "controls_ui", "live_ui"]


@dataclass(frozen=True, eq=False)
class TrainRequest:
    """Everything Start needs: the fitted network and data, the hyperparameters, the dataset's
    config (recorded with the run: never None) and whether to keep the trained weights."""

    net: NetSpec
    data: DatasetBundle
    cfg: TrainConfig
    data_cfg: DataConfig
    keep_weights: bool

    def __post_init__(self) -> None:
        if not isinstance(self.data_cfg, DataConfig):
            raise TypeError(f"data_cfg must be a DataConfig, not {type(self.data_cfg).__name__}")


# --------------------------------------------------------------------------- callbacks


def _start(request: TrainRequest) -> None:
    job = st.session_state.get("train_job")
    if job is not None and job.active:
        return  # Start twice: harmless
    try:
        job = TrainingJob(
            request.net, request.data, request.cfg, limiter=shared_limiter(), heartbeat_timeout=60.0
        )
    except SpecError as exc:
        st.session_state["train_start_problems"] = exc.problems
        return
    job.keepalive = session_keepalive()
    st.session_state["train_counter"] = st.session_state.get("train_counter", 0) + 1
    st.session_state["train_job"] = job
    st.session_state["train_job_meta"] = {
        "job": job,  # the meta belongs to this job only
        "data_cfg": request.data_cfg,
        "keep_weights": request.keep_weights,
        "number": st.session_state["train_counter"],
        "recorded": False,
    }
    st.session_state.pop("train_start_problems", None)
    st.session_state.pop("train_analysis", None)
    job.start()


def _pause() -> None:
    job = st.session_state.get("train_job")
    if job is not None:
        job.pause()


def _resume() -> None:
    job = st.session_state.get("train_job")
    if job is not None:
        job.heartbeat()
        job.resume()


def _stop() -> None:
    job = st.session_state.get("train_job")
    if job is not None:
        job.stop()  # Stop twice: harmless


def controls_ui(request: TrainRequest | None) -> None:
    """Start / Pause / Resume / Stop with on_click callbacks (Start needs a request)."""
    job: TrainingJob | None = st.session_state.get("train_job")
    status = job.status if job is not None else "new"
    active = job is not None and job.active
    cols = st.columns([1, 1, 1, 1, 3])
    cols[0].button(
        tr("train.start"),
        type="primary",
        on_click=_start,
        args=(request,) if request is not None else (),
        disabled=active or request is None,
        width="stretch",
        key="train_btn_start",
    )
    cols[1].button(
        tr("train.pause"),
        on_click=_pause,
        disabled=status != "running",
        width="stretch",
        key="train_btn_pause",
    )
    cols[2].button(
        tr("train.resume"),
        on_click=_resume,
        disabled=status != "paused",
        width="stretch",
        key="train_btn_resume",
    )
    cols[3].button(
        tr("train.stop"),
        on_click=_stop,
        disabled=status not in ("queued", "running", "paused"),
        width="stretch",
        key="train_btn_stop",
    )
    problems: list[Problem] | None = st.session_state.get("train_start_problems")
    if problems:
        show_problems(problems)


# ------------------------------------------------------------------------------ live panel


def _eta_text(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return ""
    if seconds < 90:
        return tr("train.eta_seconds", seconds=max(1, round(seconds)))
    return tr("train.eta_minutes", minutes=round(seconds / 60, 1))


def _status_block(job: TrainingJob) -> None:
    snap = job.snapshot()
    cfg = job.cfg
    status_text = tr(f"train.status.{snap.status}")
    if snap.status == "queued":
        st.info(tr("train.queued", position=snap.queue_position or 1), icon="⏳")
    elif snap.status == "paused":
        st.warning(tr("train.paused_note"), icon="⏸️")
    progress_text = tr(
        "train.progress",
        status=status_text,
        epoch=snap.epoch,
        epochs=cfg.epochs,
        step=snap.step,
        total=snap.total_batches or "?",
        eta=_eta_text(snap.eta_seconds),
    )
    st.progress(min(1.0, max(0.0, snap.progress)), text=progress_text)
    if snap.device_label:
        st.caption(tr("train.device_in_use", device=snap.device_label))
    if snap.diverged is not None:
        loss = "NaN" if not math.isfinite(snap.diverged.loss) else f"{snap.diverged.loss:.3g}"
        st.error(message(snap.diverged.message_key, loss=loss, lr=number_text(cfg.lr)), icon="💥")
    if snap.status == "failed" and snap.error_key:
        st.error(message(snap.error_key, **snap.error_params), icon="⚠️")
    if snap.finished is not None and snap.finished.reason != "diverged":
        finished = snap.finished
        params = {"seconds": f"{finished.seconds:.1f}", "best": finished.best_epoch or "-"}
        if job.stop_reason == "heartbeat" and finished.reason == "stopped":
            st.info(tr("train.finished.abandoned", **params))
        else:
            st.success(tr(f"train.finished.{finished.reason}", **params), icon="✅")


def live_panel(job: TrainingJob) -> None:
    """Metrics, curves, feature maps, filters and gradient norms; redrawn every second."""
    job.heartbeat()
    _status_block(job)
    snap = job.snapshot()
    last = snap.epochs[-1] if snap.epochs else None
    cols = st.columns(5)
    cols[0].metric(tr("train.metric.epoch"), f"{snap.epoch}/{job.cfg.epochs}")
    # batches: (n, 3) rows of step, loss, smoothed loss
    current_loss = f"{snap.batches[-1, 2]:.4f}" if len(snap.batches) else "-"
    cols[1].metric(tr("train.metric.loss"), current_loss)
    cols[2].metric(tr("train.metric.val_acc"), f"{100 * last.val_acc:.1f}%" if last else "-")
    cols[3].metric(tr("train.metric.speed"), f"{last.images_per_second:,.0f}" if last else "-")
    cols[4].metric(tr("train.metric.epoch_time"), f"{last.seconds:.2f} s" if last else "-")
    if len(snap.batches):
        st.plotly_chart(
            loss_figure(snap.batches, lang()),
            width="stretch",
            config=LIVE_CONFIG,
            key="train_live_loss",
        )
    if snap.epochs:
        left, right = st.columns(2)
        left.plotly_chart(
            epoch_figure(snap.epochs, "loss", lang()),
            width="stretch",
            config=LIVE_CONFIG,
            key="train_live_epoch_loss",
        )
        right.plotly_chart(
            epoch_figure(snap.epochs, "acc", lang()),
            width="stretch",
            config=LIVE_CONFIG,
            key="train_live_epoch_acc",
        )
    snapshot = snap.snapshot
    if snapshot is not None:
        st.subheader(tr("train.maps.title"))
        st.caption(tr("train.maps.caption", step=snapshot.step, epoch=snapshot.epoch))
        figures = []
        if snapshot.filters is not None:
            figures.append(("filters", filters_figure(snapshot.filters, lang())))
        figures.extend(
            (f"map{i}", feature_map_figure(name, maps, lang()))
            for i, (name, maps) in enumerate(snapshot.feature_maps)
        )
        for row in range(0, len(figures), 2):
            cols = st.columns(2)
            for col, (name, fig) in zip(cols, figures[row : row + 2], strict=False):
                col.plotly_chart(fig, width="stretch", config=LIVE_CONFIG, key=f"train_live_{name}")
    if snap.epochs:
        st.plotly_chart(
            norms_figure(snap.epochs, "grad", lang()),
            width="stretch",
            config=LIVE_CONFIG,
            key="train_live_grads",
        )
        st.caption(tr("train.grads.caption"))


def live_ui(job: TrainingJob) -> None:
    """The live panel as a fragment that reruns every second while ``job`` is active and reruns
    the whole page once when it ends (to redraw the buttons and the results)."""
    active = job.active

    @st.fragment(run_every=1.0 if active else None)
    def _live() -> None:
        current: TrainingJob | None = st.session_state.get("train_job")
        if current is None:
            return
        live_panel(current)
        if active and not current.active:
            st.rerun(scope="app")  # the run ended: redraw controls and the analysis

    _live()
