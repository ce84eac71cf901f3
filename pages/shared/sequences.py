"""A sequence job's runs on a page: live curves while it trains, then every finished run recorded
in the session's run history, once. Not a page.

:func:`sequence_curves` is the whole block the explorers show under their Train button (the
/optimizers page's two optimizers on the shapes data, the /learning-rate page's schedules): Stop
and a polling fragment with the queue position, the progress and the curves as they arrive;
once the job has ended, its failure if any, the runs recorded (:func:`record_runs`), the final
curves and the section's "what to notice". The Overfitting lab records its sweeps, L1/L2 demo
and ensemble members with :func:`record_runs` too (its live panel draws other charts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from cnnviz.data import DataConfig
from cnnviz.jobs import RunOutcome, SequenceJob, SequenceSnapshot
from cnnviz.lab import RunRecord
from cnnviz.viz import CurveSeries, curves_figure
from pages.shared.charts import CHART_CONFIG, LIVE_CONFIG
from pages.shared.jobs import JobSlot, job_error_text, queued_notice
from pages.shared.runs import add_run
from pages.shared.session import lang, tr

__all__ = ["SequenceTexts", "record_runs", "sequence_curves"]


@dataclass(frozen=True)
class SequenceTexts:
    """The catalog keys of a section's texts: the Stop button, the queue line (``{position}``),
    the failure (``{error}``) and the "what to notice" under the final curves."""

    stop: str
    queued: str
    failed: str
    notice: str


def record_runs(
    entry: JobSlot[SequenceJob, Any],
    name_of: Callable[[int, RunOutcome], str],
    data_cfg: DataConfig,
) -> list[RunOutcome] | None:
    """Add every finished run of the ended job in ``entry`` to the run history (named by
    ``name_of(index, outcome)``, weights kept when the job kept them), once: returns the runs
    recorded now (maybe none), or None while the job runs or when it was already recorded."""
    job = entry.job
    if entry.recorded or job.active:
        return None
    entry.recorded = True
    recorded = []
    for index, (outcome, plan) in enumerate(zip(job.snapshot().outcomes, job.runs, strict=False)):
        if outcome.finished is None or not outcome.epochs:
            continue
        add_run(
            RunRecord(
                name=name_of(index, outcome),
                net=plan.net,
                data_cfg=data_cfg,
                cfg=plan.cfg,
                epochs=list(outcome.epochs),
                finished=outcome.finished,
                model_state=outcome.model_state,
            )
        )
        recorded.append(outcome)
    return recorded


def _series(snap: SequenceSnapshot, names: Sequence[str]) -> list[CurveSeries]:
    return [
        CurveSeries(names[i], names[i], outcome.epochs)
        for i, outcome in enumerate(snap.outcomes)
        if outcome.epochs
    ]


def sequence_curves(
    entry: JobSlot[SequenceJob, Any],
    names: Sequence[str],
    *,
    key: str,
    texts: SequenceTexts,
    progress_text: Callable[[SequenceSnapshot], str],
    data_cfg: DataConfig,
) -> None:
    """The live block of a sequence of runs named ``names`` (see the module docstring); widget
    keys ``{key}_stop``, ``{key}_live`` and ``{key}_curves``."""
    job = entry.job
    if job.active:
        st.button(tr(texts.stop), key=f"{key}_stop", on_click=job.stop)

        @st.fragment(run_every=1.0)
        def live() -> None:
            job.heartbeat()
            snap = job.snapshot()
            if snap.status == "queued":
                queued_notice(job, texts.queued)
            st.progress(snap.progress, text=progress_text(snap))
            series = _series(snap, names)
            if series:
                st.plotly_chart(
                    curves_figure(series, lang()),
                    width="stretch",
                    config=LIVE_CONFIG,
                    key=f"{key}_live",
                )
            if not job.active:
                st.rerun(scope="app")

        live()
        return
    if job.status == "failed":
        st.error(tr(texts.failed, error=job_error_text(job)), icon="⚠️")
    record_runs(entry, lambda index, _outcome: names[index], data_cfg)
    series = _series(job.snapshot(), names)
    if series:
        st.plotly_chart(
            curves_figure(series, lang()),
            width="stretch",
            config=CHART_CONFIG,
            key=f"{key}_curves",
        )
        st.markdown(tr(texts.notice))
