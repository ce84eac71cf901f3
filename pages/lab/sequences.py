"""The Overfitting lab's multi-run tabs: capacity sweep, L1 vs L2, ensembles. Not a page.

Each tab starts a ``SequenceJob`` (slot ``lab_multi``) and shows its progress in a polling
fragment while it runs; the finished results (``lab_sweep``, ``lab_reg``, kept weights in the
``runs`` history) are drawn after the page's next full run.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.data import DataError
from cnnviz.jobs import PlannedRun, SequenceJob
from cnnviz.lab import (
    ENSEMBLE_MEMBERS,
    NEAR_ZERO,
    REG_BASE,
    REG_L1,
    REG_WEIGHT_DECAY,
    SWEEP_BASE,
    SWEEP_WIDTHS,
    ensemble_compatible,
    ensemble_data,
    ensemble_result,
    model_from_state,
    near_zero_share,
    offset_seed,
    summarise_sweep,
    sweep_points,
)
from cnnviz.viz import ensemble_figure, sweep_figure, weights_figure
from pages.lab.jobs import start_members, start_regularisation, start_sweep
from pages.lab.state import MULTI, SequenceRun, busy, current_setup, pct
from pages.shared.charts import CHART_CONFIG, LIVE_CONFIG
from pages.shared.datasets import dataset
from pages.shared.jobs import (
    JobSlot,
    job_error_text,
    poll_seconds,
    queued_notice,
    slot_entry,
    unless_changed,
)
from pages.shared.runs import runs
from pages.shared.session import lang, tr

__all__ = ["ensemble_tab", "regularisation_tab", "sweep_tab"]


def _run_label(kind: str, run: PlannedRun) -> str:
    if kind == "sweep":
        return tr("lab.sweep.hover", width=f"{run.width:g}")
    if kind == "reg":
        return tr(f"lab.reg.{run.label}")
    return run.label


def _sequence(kind: str) -> JobSlot[SequenceJob, SequenceRun] | None:
    """The lab's sequence slot if it holds a sequence of this kind."""
    entry = slot_entry(MULTI)
    if entry is None or not isinstance(entry.meta, SequenceRun) or entry.meta.kind != kind:
        return None
    return entry


def _sequence_panel(kind: str) -> None:
    """Progress of the running sequence of this kind (sweep, L1/L2 demo, ensemble members)."""
    entry = _sequence(kind)
    if entry is None:
        return
    job = entry.job
    if not job.active:
        if job.status == "failed":
            st.error(tr("lab.run.failed", error=job_error_text(job)))
        return
    st.button(tr("lab.run.stop"), key=f"lab_stop_{kind}", on_click=job.stop)
    every = poll_seconds(job)

    @st.fragment(run_every=every)
    def live() -> None:
        job.heartbeat()
        snap = job.snapshot()
        if snap.status == "queued":
            queued_notice(job, "lab.run.queued")
        current = job.runs[min(snap.current, len(job.runs) - 1)]
        st.progress(
            snap.progress,
            text=tr(
                "lab.multi.progress",
                label=_run_label(kind, current),
                index=snap.current + 1,
                total=snap.total,
                seconds=snap.elapsed_seconds,
            ),
        )
        if kind == "sweep":
            points = sweep_points(snap.outcomes)
            if points:
                figure = unless_changed(
                    "lab_sweep_live_figure",
                    (id(job), len(points), lang()),
                    lambda: sweep_figure(points, lang()),
                )
                st.plotly_chart(figure, width="stretch", config=LIVE_CONFIG, key="lab_sweep_live")
        if not job.active or poll_seconds(job) != every:
            st.rerun(scope="app")  # ended, or the poll must slow down or speed up

    live()


def sweep_tab() -> None:
    """Train one net per width on a noisy small set; draw train/validation error against size."""
    st.markdown(tr("lab.sweep.intro"))
    st.caption(
        tr(
            "lab.sweep.setup",
            n=SWEEP_BASE.train_size,
            noise=100 * SWEEP_BASE.label_noise,
            widths=", ".join(f"x{w:g}" for w in SWEEP_WIDTHS),
            epochs=SWEEP_BASE.epochs,
            seed=SWEEP_BASE.seed,
            minutes=1,
        )
    )
    st.button(
        tr("lab.sweep.run"),
        key="lab_sweep_run",
        on_click=start_sweep,
        disabled=busy(),
        type="primary",
    )
    _sequence_panel("sweep")
    points = st.session_state.get("lab_sweep")
    running = _sequence("sweep")
    if not points or (running is not None and running.job.active):
        return
    st.plotly_chart(
        sweep_figure(points, lang()), width="stretch", config=CHART_CONFIG, key="lab_sweep"
    )
    summary = summarise_sweep(points)
    if summary is not None:
        key = "lab.sweep.after_u" if summary.u_shaped else "lab.sweep.after_flat"
        st.markdown(
            tr(
                key,
                best=100 * summary.best.val_error,
                width=f"{summary.best.width:g}",
                params=f"{summary.best.params:,}",
                left=100 * summary.left_error,
                right=100 * summary.right_error,
                train=100 * summary.largest_train_error,
            )
        )


def regularisation_tab() -> None:
    """Train without / with L2 / with L1; histograms of the weights and their near-zero share."""
    st.markdown(tr("lab.reg.intro"))
    st.caption(
        tr(
            "lab.reg.setup",
            width=f"{REG_BASE.width:g}",
            n=REG_BASE.train_size,
            epochs=REG_BASE.epochs,
            lr=f"{REG_BASE.lr:g}",
            wd=f"{REG_WEIGHT_DECAY:g}",
            l1=f"{REG_L1:g}",
        )
    )
    st.button(
        tr("lab.reg.run"),
        key="lab_reg_run",
        on_click=start_regularisation,
        disabled=busy(),
        type="primary",
    )
    _sequence_panel("reg")
    result = st.session_state.get("lab_reg")
    if not result:
        return
    groups = [(tr(f"lab.reg.{label}"), values) for label, values, _ in result]
    st.plotly_chart(
        weights_figure(groups, lang(), tol=NEAR_ZERO),
        width="stretch",
        config=CHART_CONFIG,
        key="lab_reg_chart",
    )
    cols = st.columns(len(result))
    zero = {}
    for col, (label, values, val_acc) in zip(cols, result, strict=True):
        zero[label] = 100 * near_zero_share(values, NEAR_ZERO)
        col.metric(
            tr("lab.reg.metric_zero", label=tr(f"lab.reg.{label}"), tol=f"{NEAR_ZERO:g}"),
            f"{zero[label]:.1f}%",
        )
        col.caption(tr("lab.reg.metric_val", acc=pct(val_acc)))
    if {"none", "l1", "l2"} <= set(zero):
        st.markdown(
            tr(
                "lab.reg.after",
                l1=zero["l1"],
                l2=zero["l2"],
                none=zero["none"],
                tol=f"{NEAR_ZERO:g}",
            )
        )


def _ensemble_names(names: list[str]) -> list[str]:
    """The members to average: newly trained members replace the selection; a single new run
    joins it."""
    known = st.session_state.get("lab_ens_known", set())
    chosen = st.session_state.get("lab_ens_sel")
    if chosen is None:
        chosen, known = names[-ENSEMBLE_MEMBERS:], set(names)
    fresh = [n for n in names if n not in known]
    st.session_state["lab_ens_known"] = set(names)
    chosen = fresh if len(fresh) >= 2 else [n for n in chosen if n in names] + fresh
    st.session_state["lab_ens_sel"] = chosen
    return st.multiselect(tr("lab.ens.pick"), names, key="lab_ens_sel")


def ensemble_tab() -> None:
    """Train members, pick runs with kept weights, compare the averaged model with its members."""
    st.markdown(tr("lab.ens.intro"))
    base = current_setup()
    seeds = ", ".join(str(offset_seed(base.seed, i)) for i in range(ENSEMBLE_MEMBERS))
    st.button(
        tr("lab.ens.train", count=ENSEMBLE_MEMBERS, seeds=seeds),
        key="lab_ens_run",
        on_click=start_members,
        disabled=busy(),
        type="primary",
    )
    _sequence_panel("ensemble")
    kept = [r for r in runs() if r.model_state and r.data_cfg is not None]
    if not kept:
        st.info(tr("lab.ens.none"))
        return
    selected = _ensemble_names([r.name for r in kept])
    members = [r for r in kept if r.name in selected]
    if len(members) < 2:
        st.info(tr("lab.ens.need_two"))
        return
    configs = [r.data_cfg for r in members if r.data_cfg is not None]
    if not ensemble_compatible([r.net for r in members], configs):
        st.warning(tr("lab.ens.incompatible"))
        return
    try:
        data = dataset(configs[0])
    except DataError as exc:
        st.error(tr("lab.run.data_error", error=exc.text(lang())))
        return
    data = ensemble_data(data, members[0].net)
    if data is None:
        st.warning(tr("lab.ens.incompatible"))
        return
    models = [model_from_state(r.net, r.model_state or {}) for r in members]
    result = ensemble_result(models, data.val_x, data.val_y)
    st.plotly_chart(
        ensemble_figure([r.name for r in members], result.member_accs, result.ensemble_acc, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="lab_ens_chart",
    )
    st.markdown(
        tr(
            "lab.ens.after",
            ensemble=100 * result.ensemble_acc,
            best=100 * result.best_member_acc,
            mean=100 * result.mean_member_acc,
        )
    )
