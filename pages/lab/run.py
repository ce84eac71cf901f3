"""The Overfitting lab's run panel: live curves of the current run, then its diagnosis and remedies.

Not a page. ``run_panel()`` is called by ``pages/lab/page.py``; while the run is active its
``@st.fragment`` polls the job once a second and reruns the whole page when the job ends.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.jobs import TrainingJob
from cnnviz.lab import LabSetup, RunRecord, apply_remedy, scenario_explanation
from cnnviz.net import NetSpec
from cnnviz.train import (
    GAP_OVERFIT,
    IMPROVING_REL,
    RISE_REL,
    UNDERFIT_ACC,
    Diagnosis,
    diagnose,
    diagnosis_lines,
)
from cnnviz.viz import CurveSeries, curves_figure
from pages.lab.jobs import apply_remedy_and_run
from pages.lab.state import SINGLE, SingleRun, busy, param_count, pct, verdict_name
from pages.shared.charts import LIVE_CONFIG
from pages.shared.jobs import (
    job_error_text,
    poll_seconds,
    queued_notice,
    slot_entry,
    unless_changed,
)
from pages.shared.runs import runs
from pages.shared.session import lang, tr

__all__ = ["run_panel"]

VERDICT_BOX = {
    "overfitting": st.warning,
    "underfitting": st.warning,
    "good fit": st.success,
    "still improving": st.info,
}


def _diagnosis_box(diagnosis: Diagnosis) -> None:
    box = VERDICT_BOX[diagnosis.verdict]
    box(tr("lab.verdict.title", verdict=verdict_name(diagnosis.verdict)))
    cols = st.columns(4)
    cols[0].metric(tr("lab.col.train_acc"), f"{pct(diagnosis.final_train_acc):.1f}")
    cols[1].metric(tr("lab.col.val_acc"), f"{pct(diagnosis.final_val_acc):.1f}")
    cols[2].metric(tr("lab.col.best_epoch"), str(diagnosis.best_epoch))
    cols[3].metric(tr("lab.col.val_loss"), f"{diagnosis.final_val_loss:.3f}")
    st.markdown("\n".join(f"- {line}" for line in diagnosis_lines(diagnosis, lang())))
    st.caption(
        tr(
            "lab.diag.thresholds",
            under=100 * UNDERFIT_ACC,
            gap=100 * GAP_OVERFIT,
            rise=100 * RISE_REL,
            improving=100 * IMPROVING_REL,
        )
    )


def _scenario_after(scenario: str, d: Diagnosis, setup: LabSetup, net: NetSpec) -> str:
    """What the scenario showed; the cure is compared with the latest scenario-1 run."""
    baseline = _baseline(scenario)
    base = diagnose(baseline.epochs) if baseline is not None else None
    return scenario_explanation(scenario, d, setup, param_count(net), base, lang())


def _remedy_buttons(d: Diagnosis, setup: LabSetup, name: str) -> None:
    st.markdown(f"**{tr('lab.remedies.title')}**")
    st.caption(tr("lab.remedies.caption"))
    remedies = [r for r in d.remedies if apply_remedy(setup, r) != setup]
    if not remedies:
        st.caption(tr("lab.remedies.none"))
        return
    running = busy()
    for remedy in remedies:
        st.button(
            tr(f"lab.remedy.{remedy}"),
            help=tr(f"lab.remedy.{remedy}.why"),
            key=f"lab_remedy_{remedy}",
            on_click=apply_remedy_and_run,
            args=(remedy, setup, name),
            disabled=running,
            width="stretch",
        )


def _baseline(scenario: str | None) -> RunRecord | None:
    """The latest finished scenario-1 run, when the current run is its cure (else None)."""
    if scenario != "cure":
        return None
    return next((r for r in reversed(runs()) if r.scenario == "overfit" and r.epochs), None)


def _live_curves(
    job: TrainingJob, name: str, active: bool, baseline: RunRecord | None = None
) -> None:
    """Progress and curves of the run, polled while it is active (``poll_seconds``); the
    curves are rebuilt only when an epoch has ended; the cure is drawn over its ``baseline``
    (scenario 1) on shared axes."""
    every = poll_seconds(job)

    @st.fragment(run_every=every)
    def live() -> None:
        job.heartbeat()
        snap = job.snapshot()
        if snap.status == "queued":
            queued_notice(job, "lab.run.queued")
        if active or snap.status in ("running", "paused", "stopping"):
            st.progress(
                snap.progress,
                text=tr(
                    "lab.run.progress",
                    epoch=len(snap.epochs),
                    epochs=job.cfg.epochs,
                    seconds=snap.elapsed_seconds,
                ),
            )
        series = [CurveSeries(name, name, snap.epochs)]
        if baseline is not None:
            series.insert(0, CurveSeries(baseline.name, baseline.name, baseline.epochs))
            st.caption(tr("lab.run.overlay", base=baseline.name))
        figure = unless_changed(
            "lab_live_curves_figure",
            (id(job), len(snap.epochs), lang(), baseline.name if baseline is not None else ""),
            lambda: curves_figure(series, lang(), show_legend=baseline is not None),
        )
        st.plotly_chart(figure, width="stretch", config=LIVE_CONFIG, key="lab_live_curves")
        if (active and not job.active) or poll_seconds(job) != every:
            st.rerun(scope="app")  # ended, or the poll must slow down or speed up

    live()


def run_panel() -> None:
    """The current single run: live curves while training, then its diagnosis and remedies."""
    entry = slot_entry(SINGLE)
    if entry is None:
        st.info(tr("lab.run.empty"))
        return
    job: TrainingJob = entry.job
    single: SingleRun = entry.meta
    active = job.active
    head, stop = st.columns([5, 1])
    head.subheader(tr("lab.run.title", name=single.name))
    stop.button(tr("lab.run.stop"), key="lab_stop_single", on_click=job.stop, disabled=not active)
    if single.scenario is not None and single.setup is not None and active:
        n = single.setup.train_size
        st.caption(tr(f"lab.scenario.{single.scenario}.before", n=n))
    _live_curves(job, single.name, active, _baseline(single.scenario))
    if active:
        return
    if job.status == "failed":
        st.error(tr("lab.run.failed", error=job_error_text(job)))
        return
    epochs = job.epochs
    if not epochs:
        st.info(tr("lab.run.no_epochs"))
        return
    finished = job.finished
    if finished is not None and finished.reason == "stopped":
        st.caption(tr("lab.run.stopped", epochs=len(epochs)))
    if finished is not None and finished.reason == "early_stopping":
        st.caption(tr("lab.run.early_stopped", epoch=epochs[-1].epoch, best=finished.best_epoch))
    diagnosis = diagnose(epochs)
    left, right = st.columns([3, 2])
    with left:
        _diagnosis_box(diagnosis)
        setup = single.setup
        if single.scenario is not None and setup is not None:
            st.markdown(_scenario_after(single.scenario, diagnosis, setup, job.net))
    with right:
        if setup is not None:
            _remedy_buttons(diagnosis, setup, single.name)
        else:
            st.caption(tr("lab.cmp.no_setup"))
