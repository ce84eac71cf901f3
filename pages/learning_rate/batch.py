"""The Learning rate page, part 3: batch sizes 1, 8, 32, 256 and the full batch. Not a page.

One ``EventLogJob`` (slot ``lrate_batch``) of a ``cnnviz.concepts.BatchSizeTask`` measures the
gradient noise of each batch size, then trains the same network from the same weights with each;
the page draws the noise against the batch size and the runs against epochs and seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cnnviz.concepts import (
    BATCH_SIZES,
    BatchEpoch,
    BatchSizeTask,
    NoiseMeasured,
    noise_table,
    toy_net,
)
from cnnviz.jobs import EventLogJob, threads_per_job
from cnnviz.viz import batch_curves_figure, noise_figure
from pages.learning_rate.state import BATCH_SLOT, PAGE, SLOTS, toy_data, value
from pages.shared.charts import CHART_CONFIG, LIVE_CONFIG
from pages.shared.jobs import active_job, job_error_text, queued_notice, slot_entry, start_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["batch_ui"]

LRS = [0.003, 0.01, 0.03, 0.05, 0.1, 0.3]


@dataclass(frozen=True)
class BatchRun:
    """What the page knows of its batch-size job: the number of training images."""

    n: int


def _start() -> None:
    data = toy_data()
    if data is None:
        return
    task = BatchSizeTask(
        toy_net(data.num_classes),
        data,
        lr=float(value("lrate_w_batch_lr")),
        epochs=int(value("lrate_w_batch_epochs")),
        num_threads=threads_per_job(),
    )
    start_job(
        PAGE,
        BATCH_SLOT,
        lambda: EventLogJob(task),
        BatchRun(len(data.train_y)),
        exclusive=SLOTS,
        busy_text=tr("lrate.busy"),
    )


def _figures(job: EventLogJob, n: int, config: dict[str, bool], suffix: str) -> None:
    noise = job.events(NoiseMeasured)
    if noise:
        st.plotly_chart(
            noise_figure(noise_table(noise), n, lang()),
            width="stretch",
            config=config,
            key=f"lrate_noise_{suffix}",
        )
    runs: dict[int, list[BatchEpoch]] = {}
    for event in job.events(BatchEpoch):
        runs.setdefault(event.batch, []).append(event)
    if runs:
        st.plotly_chart(
            batch_curves_figure(runs, n, lang()),
            width="stretch",
            config=config,
            key=f"lrate_batch_{suffix}",
        )


def batch_ui() -> None:
    """Settings, the job, the noise and the curves."""
    st.markdown(tr("lrate.batch.intro", sizes=", ".join(str(b) for b in BATCH_SIZES if b)))
    cols = st.columns([2, 2, 3])
    cols[0].select_slider(
        tr("lrate.batch.lr"),
        LRS,
        key="lrate_w_batch_lr",
        persist_state=PERSIST,
        format_func=lambda v: f"{v:g}",
    )
    cols[1].slider(
        tr("lrate.batch.epochs"), 1, 10, key="lrate_w_batch_epochs", persist_state=PERSIST
    )
    busy = active_job(*SLOTS) is not None
    cols[2].button(
        tr("lrate.batch.start"),
        key="lrate_batch_start",
        on_click=_start,
        disabled=busy,
        type="primary",
    )
    entry = slot_entry(BATCH_SLOT)
    if entry is None or not isinstance(entry.meta, BatchRun):
        return
    job: EventLogJob = entry.job
    n = entry.meta.n
    if job.active:
        st.button(tr("lrate.stop"), key="lrate_batch_stop", on_click=job.stop)

        @st.fragment(run_every=1.0)
        def live() -> None:
            job.heartbeat()
            if job.status == "queued":
                queued_notice(job, "lrate.queued")
            progress = job.progress
            if progress is not None:
                text = progress.message.text(lang()) if progress.message is not None else ""
                st.progress(progress.fraction, text=text)
            _figures(job, n, LIVE_CONFIG, "live")
            if not job.active:
                st.rerun(scope="app")

        live()
        return
    if job.status == "failed":
        st.error(tr("lrate.failed", error=job_error_text(job)), icon="⚠️")
    _figures(job, n, CHART_CONFIG, "done")
    if job.events(BatchEpoch):
        st.markdown(tr("lrate.batch.notice"))
