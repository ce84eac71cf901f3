"""The Beyond page's session state: the job slot, the widget keys, the settings they give, and the
finished runs kept for the comparison. Not a page."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import streamlit as st

from cnnviz.jobs import SegmentJob
from cnnviz.train import LOSSES, SegmentConfig, SegmentEpoch
from pages.shared.jobs import slot_entry, slot_job
from pages.shared.session import tr
from pages.shared.unet_handoff import BEYOND_DEPTH, BEYOND_SIZE, BEYOND_SKIPS
from pages.shared.widgets import set_defaults

__all__ = [
    "DEFAULTS",
    "SLOT",
    "TRANSFER_SLOT",
    "W_DEPTH",
    "W_EPOCHS",
    "W_LOSS",
    "W_SIZE",
    "W_SKIPS",
    "BeyondMeta",
    "SegRun",
    "collect_finished",
    "current_config",
    "current_job",
    "run_name",
    "runs",
]

SLOT = "beyond_job"
TRANSFER_SLOT = "beyond_transfer_job"  # the transfer tab's job: one job per student at a time
RUNS = "beyond_runs"
W_LOSS, W_EPOCHS = "beyond_w_loss", "beyond_w_epochs"
# the settings the Build page's U-Net view sets too: their keys live once, in unet_handoff
W_SIZE, W_DEPTH, W_SKIPS = BEYOND_SIZE, BEYOND_DEPTH, BEYOND_SKIPS
BASE = SegmentConfig()
DEFAULTS = {
    W_LOSS: BASE.loss,
    W_SKIPS: BASE.skips,
    W_EPOCHS: BASE.epochs,
    W_SIZE: BASE.image_size,
    W_DEPTH: BASE.depth,
}


@dataclass(frozen=True)
class BeyondMeta:
    """What the page knows about a run it started: its number and settings."""

    number: int
    loss: str
    skips: bool
    depth: int = BASE.depth


@dataclass(frozen=True, eq=False)
class SegRun:
    """A finished run, kept for the comparison."""

    name: str
    epochs: tuple[SegmentEpoch, ...]
    losses: np.ndarray
    batches_per_epoch: int
    seconds: float


def run_name(meta: BeyondMeta) -> str:
    """ "Run 2: Dice, no skips" in the session language."""
    skips = tr("beyond.run.skips_on" if meta.skips else "beyond.run.skips_off")
    loss = tr(f"beyond.loss.{meta.loss}")
    name = tr("beyond.run.name", number=meta.number, loss=loss, skips=skips)
    return (
        name if meta.depth == BASE.depth else f"{name}, {tr('beyond.run.depth', depth=meta.depth)}"
    )


def current_config() -> SegmentConfig:
    """The settings of the widgets (first visit: the defaults). The values are re-checked by
    :class:`cnnviz.jobs.SegmentJob` on the server."""
    set_defaults(DEFAULTS)
    state = st.session_state
    loss = state[W_LOSS] if state[W_LOSS] in LOSSES else BASE.loss
    return replace(
        BASE,
        loss=str(loss),
        skips=bool(state[W_SKIPS]),
        epochs=int(state[W_EPOCHS]),
        image_size=int(state[W_SIZE]),
        depth=int(state[W_DEPTH]),
    )


def current_job() -> SegmentJob | None:
    """The page's job, running or ended (None before the first Start)."""
    job = slot_job(SLOT)
    return job if isinstance(job, SegmentJob) else None


def runs() -> list[SegRun]:
    """The finished runs of this session, oldest first."""
    kept: list[SegRun] = st.session_state.setdefault(RUNS, [])
    return kept


def collect_finished() -> None:
    """A run that ended since the last run of the page joins the comparison (once)."""
    entry = slot_entry(SLOT)
    if entry is None or entry.recorded or entry.job.active:
        return
    entry.recorded = True
    job = entry.job
    if not isinstance(job, SegmentJob):
        return
    snap = job.snapshot()
    if not snap.epochs:
        return
    batches = -(-job.cfg.train_size // job.cfg.batch_size)
    seconds = snap.epochs[-1].elapsed_seconds
    runs().append(SegRun(run_name(entry.meta), snap.epochs, snap.losses, batches, seconds))
