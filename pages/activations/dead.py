"""/activations: dead ReLUs and sparsity, in the Train page's network or in two fresh runs trained in
the background (a sane and a large learning rate, same seed). Not a page."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
import torch

from cnnviz.concepts import (
    DEAD_DATA,
    DEAD_NET,
    LARGE_RATES,
    SANE_RATE,
    LayerSparsity,
    dead_relu_runs,
    layer_sparsity,
)
from cnnviz.jobs import SequenceJob, TrainingJob
from cnnviz.net import build_model
from cnnviz.viz import sparsity_figure
from pages.shared.charts import CHART_CONFIG, LIVE_CONFIG
from pages.shared.datasets import dataset
from pages.shared.explorer import TRAIN_PAGE, job_progress, notice, stop_button
from pages.shared.jobs import slot_entry, start_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["dead_section"]

SLOT = "act_dead_job"
Sparsities = list[tuple[str, tuple[LayerSparsity, ...]]]
_PROBE = 256  # validation pictures the fractions are measured on


def _probe_x() -> torch.Tensor:
    return dataset(DEAD_DATA).val_x[:_PROBE]


def _start() -> None:
    rate = float(st.session_state.get("act_dead_rate", LARGE_RATES[1]))

    def factory() -> SequenceJob:
        return SequenceJob(dead_relu_runs(rate), dataset(DEAD_DATA), keep_weights=True)

    start_job("activations", SLOT, factory, {"rate": rate})


def _measured(job: object, measure: Callable[[], Sparsities]) -> Sparsities:
    """``measure()`` once per finished job: kept in the session (a forward pass of several
    networks over 256 pictures costs ~0.1 s, too much for every click on the page)."""
    cache: dict[tuple[int, str], tuple[object, Sparsities]] = st.session_state.setdefault(
        "act_dead_measured", {}
    )
    key = (id(job), lang())  # the labels are in the session's language
    if key not in cache or cache[key][0] is not job:
        while len(cache) >= 4:  # the Train page's job and this page's, in two languages
            cache.pop(next(iter(cache)))
        cache[key] = (job, measure())
    return cache[key][1]


def _train_page_sparsity() -> Sparsities:
    """The Train page's trained network on its own validation pictures, if there is one."""
    entry = slot_entry("train_job")
    job = entry.job if entry is not None else None
    if not isinstance(job, TrainingJob) or job.active or job.model is None:
        return []
    model = job.model
    x = job.data.val_x[:_PROBE]
    return _measured(job, lambda: [(tr("act.dead.train_page"), layer_sparsity(model, x))])


def _fresh_runs(job: SequenceJob) -> Sparsities:
    x = _probe_x()
    found = [(tr("act.dead.untrained"), layer_sparsity(build_model(DEAD_NET, seed=0), x))]
    for outcome, planned in zip(job.snapshot().outcomes, job.runs, strict=False):
        if outcome.model_state is None:
            continue
        model = build_model(planned.net, seed=planned.cfg.seed)
        model.load_state_dict(outcome.model_state)
        accuracy = 100 * outcome.val_acc_eval
        label = tr(f"act.dead.run_{planned.label}", lr=f"{planned.cfg.lr:g}", acc=f"{accuracy:.0f}")
        found.append((label, layer_sparsity(model, x)))
    return found


def dead_section() -> None:
    """The fraction of zero activations and of dead units per layer."""
    st.header(tr("act.dead.title"))
    st.markdown(tr("act.dead.intro", sane=f"{SANE_RATE:g}"))
    own = _train_page_sparsity()
    if own:
        st.plotly_chart(sparsity_figure(own, lang()), config=CHART_CONFIG, key="act_dead_own")
    else:
        st.caption(tr("act.dead.no_train_model"))
    st.page_link(TRAIN_PAGE, label=tr("why.link.train"), icon="📈")
    set_defaults({"act_dead_rate": LARGE_RATES[1]})
    col1, col2 = st.columns([2, 1])
    with col1:
        st.select_slider(
            tr("act.dead.rate"),
            list(LARGE_RATES),
            key="act_dead_rate",
            persist_state=PERSIST,
            format_func=lambda value: f"{value:g}",
        )
    entry = slot_entry(SLOT)
    job = entry.job if entry is not None and isinstance(entry.job, SequenceJob) else None
    with col2:
        st.button(
            tr("act.dead.start"),
            key="act_dead_start",
            on_click=_start,
            disabled=job is not None and job.active,
            type="primary",
        )
    if job is None:
        return
    stop_button(job, "act_dead_stop")

    @st.fragment(run_every=1.0 if job.active else None)
    def live() -> None:
        job.heartbeat()
        snapshot = job.snapshot()
        if job.active:
            job_progress(
                job, snapshot.progress, tr("why.job.progress", seconds=snapshot.elapsed_seconds)
            )
            return
        runs = _measured(job, lambda: _fresh_runs(job))
        if len(runs) > 1:
            st.plotly_chart(sparsity_figure(runs, lang()), config=LIVE_CONFIG, key="act_dead_runs")
        if not job.active and st.session_state.get("act_dead_seen") is not job:
            st.session_state["act_dead_seen"] = job
            st.rerun(scope="app")

    live()
    notice("act.dead.notice")
