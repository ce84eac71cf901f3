"""Train page: Start/Pause/Resume/Stop beside the live panel, and the section that follows the run.

Start builds a ``cnnviz.jobs.TrainingJob`` (run by a worker process of the server's pool) through
``pages.shared.jobs.start_job``, which keeps it in the session slot ``"train_job"`` with what the
page needs to record the run later (:class:`TrainMeta`). The buttons are ``on_click`` callbacks in
the main script (a button in a fragment waits behind a running script). :func:`deck_ui` puts them
beside the live panel, so a teacher at a 1024x576 projector sees Start and the learning together.

Two fragments poll the job (``pages.train.panel`` draws them): the panel beside Start every
second, the section below the settings (every layer, the filters, the per-epoch curves) every
few seconds. Both slow down while the job waits or is paused and stop when it has ended
(``pages.shared.jobs.poll_seconds``); each poll does work in proportion to what is new
(``cnnviz.viz.LiveFigures``). Never a page itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import streamlit as st

from cnnviz.data import DataConfig, DatasetBundle
from cnnviz.i18n import has_key
from cnnviz.jobs import TrainingJob, slow_motion_pace, slow_motion_snapshot_every
from cnnviz.net import NetSpec
from cnnviz.train import TrainConfig, batches_per_epoch
from pages.shared.flash import show_flash
from pages.shared.jobs import (
    controls_enabled,
    pause_job,
    poll_seconds,
    resume_job,
    slot_job,
    start_job,
    stop_job,
)
from pages.shared.session import tr
from pages.shared.widgets import PERSIST, set_defaults
from pages.train.common import number_text
from pages.train.panel import details_panel, device_caption, live_panel

__all__ = [
    "DETAILS_EVERY",
    "TRAIN_SLOT",
    "TrainMeta",
    "TrainRequest",
    "deck_ui",
    "details_ui",
    "train_job",
]

#: The session slot of the Train page's job (``pages.shared.jobs.JobSlot``).
TRAIN_SLOT = "train_job"
#: The section below the settings polls this many times more slowly than the panel beside Start.
DETAILS_EVERY = 3.0


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

    @property
    def total_batches(self) -> int:
        """Optimizer steps of the whole run."""
        return self.cfg.epochs * batches_per_epoch(len(self.data.train_y), self.cfg.batch_size)


@dataclass(frozen=True)
class TrainMeta:
    """What Start knows and the run history needs once the job ends: the dataset's config,
    whether to keep the trained weights, and the run's number in this session."""

    data_cfg: DataConfig
    keep_weights: bool
    number: int


def train_job() -> TrainingJob | None:
    """The Train page's job, running or ended (None before the first Start)."""
    job = slot_job(TRAIN_SLOT)
    return job if isinstance(job, TrainingJob) else None


# --------------------------------------------------------------------------- callbacks


def _start(request: TrainRequest) -> None:
    number = st.session_state.get("train_counter", 0) + 1
    cfg, pace = request.cfg, 0.0
    if st.session_state.get("train_w_slow"):
        pace = slow_motion_pace(request.total_batches)
        cfg = dataclasses.replace(cfg, snapshot_every=slow_motion_snapshot_every(pace))
    started = start_job(
        "train",
        TRAIN_SLOT,
        lambda: TrainingJob(request.net, request.data, cfg, heartbeat_timeout=60.0, pace=pace),
        TrainMeta(request.data_cfg, request.keep_weights, number),
    )
    if started is not None:
        st.session_state["train_counter"] = number
        st.session_state.pop("train_analysis", None)
        st.session_state.pop("train_w_replay", None)  # a new run replays from its last epoch


def _summary(request: TrainRequest) -> str:
    """What Start will train, in one line (the settings themselves are further down)."""
    data_key = f"data.name.{request.data_cfg.name}"
    cfg = request.cfg
    optimizer_key = f"train.optimizer.{cfg.optimizer}"
    return tr(
        "live.summary",
        net=request.net.name or tr("train.net.custom"),
        data=tr(data_key) if has_key(data_key) else request.data_cfg.name,
        epochs=cfg.epochs,
        optimizer=tr(optimizer_key) if has_key(optimizer_key) else cfg.optimizer,
        lr=number_text(cfg.lr),
    )


def controls_ui(request: TrainRequest | None) -> None:
    """Start / Stop / Pause / Resume (on_click callbacks; Start needs a request), slow motion,
    what Start trains and on what, then the messages Start left (a network it could not take)."""
    job = train_job()
    status = job.status if job is not None else "new"
    active = job is not None and job.active
    st.session_state["train_buttons_for"] = controls_enabled(status)
    first, second = st.columns(2), st.columns(2)
    first[0].button(
        tr("train.start"),
        type="primary",
        on_click=_start,
        args=(request,) if request is not None else (),
        disabled=active or request is None,
        width="stretch",
        key="train_btn_start",
    )
    first[1].button(
        tr("train.stop"),
        on_click=stop_job,
        args=(train_job,),
        disabled=status not in ("queued", "running", "paused"),
        width="stretch",
        key="train_btn_stop",
    )
    second[0].button(
        tr("train.pause"),
        on_click=pause_job,
        args=(train_job,),
        disabled=status != "running",
        width="stretch",
        key="train_btn_pause",
    )
    second[1].button(
        tr("train.resume"),
        on_click=resume_job,
        args=(train_job,),
        disabled=status != "paused",
        width="stretch",
        key="train_btn_resume",
    )
    set_defaults({"train_w_slow": False})
    st.toggle(
        tr("live.slow_motion"),
        key="train_w_slow",
        persist_state=PERSIST,
        disabled=active,
        help=tr("live.slow_motion_help"),
    )
    if request is not None:
        st.caption(_summary(request))
    st.caption(device_caption())
    show_flash("train")


# ------------------------------------------------------------------------------ the fragments


def _live_fragment(every: float | None) -> None:
    @st.fragment(run_every=every)
    def _live() -> None:
        job = train_job()
        if job is None:
            return
        live_panel(job)
        if every is not None and not job.active:
            st.rerun(scope="app")  # the run ended: redraw the controls and the analysis
        if controls_enabled(job.status) != st.session_state.get("train_buttons_for"):
            st.rerun(scope="app")  # e.g. queued -> running: Pause becomes possible
        if poll_seconds(job) != every:
            st.rerun(scope="app")  # a pause took effect: poll more slowly

    _live()


def deck_ui(request: TrainRequest | None) -> None:
    """Start and the other controls (left) beside the live panel (right): a teacher sees Start
    and the network learning on one screen, without scrolling."""
    left, right = st.columns([1, 3], gap="medium")
    with left:
        controls_ui(request)
    with right:
        job = train_job()
        if job is None:
            st.info(tr("live.empty"))
        else:
            _live_fragment(poll_seconds(job))


def details_ui() -> None:
    """The section below the settings: per-epoch curves, every layer, the filters, gradients."""
    job = train_job()
    if job is None:
        st.caption(tr("live.details_empty"))
        return
    every = poll_seconds(job)

    @st.fragment(run_every=every * DETAILS_EVERY if every is not None else None)
    def _details() -> None:
        current = train_job()
        if current is not None:
            details_panel(current)

    _details()
