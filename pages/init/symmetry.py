"""The Initialisation page, part 3: the symmetry story, trained for real. Not a page.

One ``EventLogJob`` (slot ``init_job``) of a ``cnnviz.concepts.SymmetryTask`` trains the small
ReLU CNN from all-zero, constant and He weights with the same batches; the page shows each run's
first conv filters before and after, and which parameters moved.
"""

from __future__ import annotations

import math

import streamlit as st

from cnnviz.concepts import CONSTANT, TOY_DATA, SymmetryResult, SymmetryTask, toy_net
from cnnviz.data import DataError
from cnnviz.jobs import EventLogJob, threads_per_job
from cnnviz.viz import filter_bank_figure
from pages.init.state import JOB_SLOT, PAGE
from pages.shared.charts import LIVE_CONFIG, STATIC_CONFIG
from pages.shared.datasets import dataset
from pages.shared.flash import flash
from pages.shared.jobs import job_error_text, queued_notice, slot_entry, start_job
from pages.shared.session import lang, tr

__all__ = ["symmetry_ui"]


def _start() -> None:
    try:
        data = dataset(TOY_DATA)
    except DataError as exc:
        flash(PAGE, "error", exc.text(lang()))
        return
    task = SymmetryTask(toy_net(data.num_classes), data, num_threads=threads_per_job())
    start_job(PAGE, JOB_SLOT, lambda: EventLogJob(task), "symmetry", busy_text=tr("init.sym.busy"))


def _changes_table(result: SymmetryResult) -> None:
    rows = {
        tr("init.sym.col_param"): [c.name for c in result.changes],
        tr("init.sym.col_changed"): [f"{c.changed:.3g}" for c in result.changes],
        tr("init.sym.col_spread"): [
            "" if math.isnan(c.spread_after) else f"{c.spread_after:.3g}" for c in result.changes
        ],
    }
    st.dataframe(rows, hide_index=True)


def _result(result: SymmetryResult) -> None:
    scheme = result.scheme
    st.subheader(tr(f"init.sym.run_{scheme}"))
    cols = st.columns(2)
    cols[0].plotly_chart(
        filter_bank_figure(result.filters_before, tr("init.sym.before")),
        width="stretch",
        config=STATIC_CONFIG,
        key=f"init_sym_before_{scheme}",
    )
    cols[1].plotly_chart(
        filter_bank_figure(result.filters_after, tr("init.sym.after")),
        width="stretch",
        config=STATIC_CONFIG,
        key=f"init_sym_after_{scheme}",
    )
    moved = [c.name for c in result.changes if c.changed > 0]
    hidden = [c for c in result.changes[:-2] if not math.isnan(c.spread_after)]
    spread = max((c.spread_after for c in hidden), default=0.0)
    st.markdown(
        tr(
            f"init.sym.after_{scheme}",
            moved=", ".join(f"`{name}`" for name in moved) or "—",
            spread=f"{spread:.2g}",
            acc=f"{100 * result.val_acc:.0f}",
            constant=CONSTANT,
        )
    )
    with st.expander(tr("init.sym.table")):
        _changes_table(result)


def symmetry_ui() -> None:
    """Explain, train the three runs, show what happened to the filters."""
    st.markdown(tr("init.sym.intro", constant=CONSTANT))
    entry = slot_entry(JOB_SLOT)
    running = entry is not None and entry.job.active
    st.button(
        tr("init.sym.start"),
        key="init_sym_start",
        on_click=_start,
        disabled=running,
        type="primary",
    )
    if entry is None:
        return
    job: EventLogJob = entry.job
    if job.active:
        st.button(tr("init.sym.stop"), key="init_sym_stop", on_click=job.stop)

        @st.fragment(run_every=1.0)
        def live() -> None:
            job.heartbeat()
            if job.status == "queued":
                queued_notice(job, "init.sym.queued")
            progress = job.progress
            if progress is not None:
                text = progress.message.text(lang()) if progress.message is not None else ""
                st.progress(progress.fraction, text=text)
            for result in job.events(SymmetryResult):
                st.plotly_chart(
                    filter_bank_figure(result.filters_after, tr(f"init.sym.run_{result.scheme}")),
                    width="stretch",
                    config=LIVE_CONFIG,
                    key=f"init_sym_live_{result.scheme}",
                )
            if not job.active:
                st.rerun(scope="app")

        live()
        return
    if job.status == "failed":
        st.error(tr("init.sym.failed", error=job_error_text(job)), icon="⚠️")
    for result in job.events(SymmetryResult):
        _result(result)
    if job.events(SymmetryResult):
        st.markdown(tr("init.sym.notice"))
