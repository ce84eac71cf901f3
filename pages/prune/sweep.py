"""Accuracy against sparsity for every method, before and after a short fine-tune, in the
background (slot :data:`SWEEP_SLOT`). Not a page.

Pressing the button again while a sweep runs does not start a second one: a warning says so.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.compress import METHODS, SweepPoint, SweepTask, first_loss_over
from cnnviz.jobs import EventLogJob, threads_per_job
from cnnviz.train import TrainConfig
from cnnviz.viz import accuracy_sparsity_figure
from pages.prune.single import dense_accuracy
from pages.prune.source import Source
from pages.shared.charts import LIVE_CONFIG
from pages.shared.jobs import job_error_text, slot_entry, start_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["SWEEP_DEFAULTS", "SWEEP_SLOT", "sweep_ui"]

SWEEP_SLOT = "prune_sweep"
SWEEP_DEFAULTS = {"prune_w_ft_epochs": 2}


def _start(source: Source, epochs: int) -> None:
    cfg = TrainConfig(epochs=max(1, epochs), seed=0, lr=3e-3, num_threads=threads_per_job())
    start_job(
        "prune",
        SWEEP_SLOT,
        lambda: EventLogJob(
            SweepTask(source.net, source.state, source.data, cfg, finetune_epochs=epochs)
        ),
        source.key,
        busy_text=tr("prune.sweep.busy"),
    )


def _stop() -> None:
    entry = slot_entry(SWEEP_SLOT)
    if entry is not None:
        entry.job.stop()


def _table(points: list[SweepPoint], base: float) -> None:
    rows = []
    for method in METHODS:
        row = {tr("prune.table.method"): tr(f"prune.method.{method}")}
        for finetuned in (False, True):
            mine = [p for p in points if p.method == method and p.finetuned == finetuned]
            cliff = first_loss_over(mine, base) if mine else None
            column = tr("prune.table.after_ft" if finetuned else "prune.table.no_ft")
            row[column] = (
                "-"
                if not mine
                else (tr("prune.table.never") if cliff is None else f"{100 * cliff:.0f}%")
            )
        rows.append(row)
    st.caption(tr("prune.table.title"))
    st.table(rows)


def sweep_ui(source: Source) -> None:
    """The fine-tune epochs, Run / Stop and the chart that fills in while the sweep runs."""
    left, right = st.columns([2, 3])
    epochs = left.slider(
        tr("prune.sweep.epochs"), 0, 5, key="prune_w_ft_epochs", persist_state=PERSIST
    )
    right.button(
        tr("prune.sweep.run"),
        on_click=_start,
        args=(source, int(epochs)),
        key="prune_b_sweep",
        type="primary",
    )
    entry = slot_entry(SWEEP_SLOT)
    job = entry.job if entry is not None else None
    if not isinstance(job, EventLogJob):
        st.info(tr("prune.sweep.empty"))
        return
    if entry is not None and entry.meta != source.key:
        st.caption(tr("prune.sweep.other_source"))
    right.button(
        tr("prune.sweep.stop"), on_click=_stop, key="prune_b_stop", disabled=not job.active
    )
    base = dense_accuracy(source)

    @st.fragment(run_every=1.0 if job.active else None)
    def live() -> None:
        job.heartbeat()
        progress = job.progress
        if job.active:
            fraction = progress.fraction if progress is not None else 0.0
            done = progress.done if progress is not None else 0
            total = progress.total if progress is not None else 0
            st.progress(fraction, text=tr("prune.sweep.progress", done=done, total=total))
        elif job.status == "failed":
            st.error(job_error_text(job))
        points = job.events(SweepPoint)
        st.plotly_chart(
            accuracy_sparsity_figure(points, base, lang()), config=LIVE_CONFIG, key="prune_c_sweep"
        )
        if points:
            _table(points, base)

    live()
