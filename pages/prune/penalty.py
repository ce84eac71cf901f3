"""Sparsity penalties: L1 during training (how many exact zeros it gives), and why L0 is left
out. Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.compress import DEFAULT_L1, PenaltyPoint, PenaltyTask
from cnnviz.jobs import EventLogJob, threads_per_job
from cnnviz.train import TrainConfig
from pages.prune.source import Source
from pages.shared.jobs import slot_entry, start_job
from pages.shared.links import link_to_page, registered_pages
from pages.shared.session import tr

__all__ = ["PENALTY_SLOT", "penalty_ui"]

PENALTY_SLOT = "prune_penalty"
PENALTY_EPOCHS = 5


def _start(source: Source) -> None:
    cfg = TrainConfig(epochs=PENALTY_EPOCHS, seed=0, num_threads=threads_per_job())
    start_job(
        "prune",
        PENALTY_SLOT,
        lambda: EventLogJob(PenaltyTask(source.net, source.data, cfg, DEFAULT_L1)),
        source.key,
        busy_text=tr("prune.penalty.busy"),
    )


def penalty_ui(source: Source) -> None:
    """Text, the lab link, the L1 run and its table, the L0 statement."""
    st.markdown(tr("prune.penalty.l1"))
    lab = registered_pages().get("lab")
    if lab is not None:
        link_to_page(lab, tr("prune.link.lab"))
    st.button(
        tr("prune.penalty.run", epochs=PENALTY_EPOCHS),
        on_click=_start,
        args=(source,),
        key="prune_b_penalty",
    )
    entry = slot_entry(PENALTY_SLOT)
    job = entry.job if entry is not None else None
    if isinstance(job, EventLogJob):

        @st.fragment(run_every=1.0 if job.active else None)
        def live() -> None:
            job.heartbeat()
            progress = job.progress
            if job.active and progress is not None:
                st.progress(progress.fraction, text=tr("prune.penalty.progress"))
            rows = [
                {
                    "L1": f"{point.l1:g}",
                    tr("prune.penalty.exact"): f"{100 * point.exact_zeros:.2f}%",
                    tr("prune.penalty.near"): f"{100 * point.near_zeros:.1f}%",
                    tr("prune.metric.accuracy"): f"{100 * point.val_acc:.1f}%",
                }
                for point in job.events(PenaltyPoint)
            ]
            if rows:
                st.table(rows)

        live()
    st.markdown(tr("prune.penalty.l0"))
