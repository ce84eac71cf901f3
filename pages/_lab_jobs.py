"""Starting the Overfitting lab's runs (button callbacks) and recording them when they end. Not a page.

Every run trains in a background job that waits for the process's one job limiter
(``cnnviz.jobs.shared_limiter``, shared with the Train page): a ``TrainingJob`` for a single run
(``lab_single``), a ``SequenceJob`` for the sweep, the L1/L2 demo and ensemble members
(``lab_multi``). One lab job at a time per session. Callbacks cannot draw: errors go to the flash.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import streamlit as st

from cnnviz.capacity import weight_values
from cnnviz.data import DataConfig, DataError
from cnnviz.history import RunRecord, unique_name
from cnnviz.jobs import TrainingJob, shared_limiter
from cnnviz.lab_setup import LabSetup, apply_remedy, setup_configs
from cnnviz.scenarios import (
    REG_BASE,
    SCENARIOS,
    SWEEP_BASE,
    ensemble_plan,
    regularisation_plan,
    sweep_plan,
    sweep_points,
)
from cnnviz.sequence_job import PlannedRun, SequenceJob, weights_copy
from cnnviz.specs import NetSpec, SpecError
from cnnviz.training import EpochEnd, Finished, TrainConfig
from pages._lab_state import active_job, bundle, current_setup, flash, put_setup, runs
from pages._ui import lang, session_keepalive, tr

__all__ = [
    "apply_remedy_and_run",
    "collect_finished",
    "start_experiment",
    "start_members",
    "start_regularisation",
    "start_scenario",
    "start_single",
    "start_sweep",
]


# ----------------------------------------------------------------------------------- single runs


def start_single(
    net: NetSpec,
    data_cfg: DataConfig,
    cfg: TrainConfig,
    name: str,
    *,
    setup: LabSetup | None = None,
    scenario: str | None = None,
) -> None:
    """Start one training run in the background (a button callback: errors go to the flash)."""
    if active_job() is not None:
        flash("warning", tr("lab.run.busy"))
        return
    try:
        job = TrainingJob(net, bundle(data_cfg), cfg, limiter=shared_limiter())
    except DataError as exc:
        flash("error", tr("lab.run.data_error", error=exc.text(lang())))
        return
    except SpecError as exc:
        flash("error", "; ".join(p.text(lang()) for p in exc.problems))
        return
    job.keepalive = session_keepalive()
    job.start()
    st.session_state["lab_single"] = {
        "job": job,
        "name": unique_name(runs(), name),
        "setup": setup,
        "scenario": scenario,
        "data_cfg": data_cfg,
        "recorded": False,
    }


def _start_setup(setup: LabSetup, name: str, scenario: str | None = None) -> None:
    net, data_cfg, cfg = setup_configs(setup)
    start_single(net, data_cfg, cfg, name, setup=setup, scenario=scenario)


def start_scenario(scenario_id: str) -> None:
    """Run guided scenario ``scenario_id`` ("overfit", "underfit", "cure")."""
    title = tr(f"lab.scenario.{scenario_id}.title")
    _start_setup(SCENARIOS[scenario_id].setup, tr("lab.name.scenario", title=title), scenario_id)


def start_experiment() -> None:
    """Run the experiment controls' current setup as "Run <n>"."""
    setup = st.session_state.get("lab_setup")
    if isinstance(setup, LabSetup):
        _start_setup(setup, tr("lab.name.run", number=len(runs()) + 1))


def apply_remedy_and_run(remedy: str, base: LabSetup, base_name: str) -> None:
    """Put ``base`` with ``remedy`` applied into the controls and run it right away."""
    setup = apply_remedy(base, remedy)
    put_setup(setup)
    label = tr(f"lab.remedy.{remedy}")
    _start_setup(setup, tr("lab.name.remedy", base=base_name[:32], remedy=label))


# ------------------------------------------------------------------------------------- sequences


def _start_sequence(kind: str, plan: list[PlannedRun], data_cfg: DataConfig, keep: bool) -> None:
    if active_job() is not None:
        flash("warning", tr("lab.run.busy"))
        return
    try:
        job = SequenceJob(plan, bundle(data_cfg), keep_weights=keep, limiter=shared_limiter())
    except DataError as exc:
        flash("error", tr("lab.run.data_error", error=exc.text(lang())))
        return
    except SpecError as exc:
        flash("error", "; ".join(p.text(lang()) for p in exc.problems))
        return
    job.keepalive = session_keepalive()
    job.start()
    st.session_state["lab_multi"] = {
        "kind": kind,
        "job": job,
        "data_cfg": data_cfg,
        "recorded": False,
    }


def start_sweep() -> None:
    """Train the capacity sweep (one run per width)."""
    _, data_cfg, _ = setup_configs(SWEEP_BASE)
    _start_sequence("sweep", sweep_plan(), data_cfg, keep=False)


def start_regularisation() -> None:
    """Train the L1/L2 demo: no penalty, L2, L1 (weights kept for the histograms)."""
    _, data_cfg, _ = setup_configs(REG_BASE)
    _start_sequence("reg", regularisation_plan(), data_cfg, keep=True)


def start_members() -> None:
    """Train ensemble members of the current experiment (consecutive seeds, weights kept)."""
    base = current_setup()
    plan = [
        dataclasses.replace(run, label=tr("lab.name.member", seed=run.cfg.seed))
        for run in ensemble_plan(base)
    ]
    _, data_cfg, _ = setup_configs(base)
    _start_sequence("ensemble", plan, data_cfg, keep=True)


# ------------------------------------------------------------------------------------- recording


def _record(
    name: str,
    net: NetSpec,
    data_cfg: DataConfig,
    cfg: TrainConfig,
    epochs: list[EpochEnd],
    finished: Finished | None,
    state: dict[str, Any] | None,
    setup: LabSetup | None,
    scenario: str | None,
) -> dict[str, Any]:
    record = RunRecord(
        name=unique_name(runs(), name),
        net=net,
        data_cfg=data_cfg,
        cfg=cfg,
        epochs=list(epochs),
        finished=finished,
        created=time.time(),
        model_state=state,
        lab_setup=setup.to_dict() if setup is not None else None,
        scenario=scenario,
    ).to_dict()
    runs().append(record)
    return record


def _collect_single() -> None:
    single = st.session_state.get("lab_single")
    if single is None or single["recorded"] or single["job"].active:
        return
    job: TrainingJob = single["job"]
    single["recorded"] = True
    if job.status != "finished" or job.finished is None or not job.epochs:
        return
    setup: LabSetup | None = single["setup"]
    state = None
    if setup is not None and setup.keep_weights and job.model is not None:
        state = weights_copy(job.model)
    single["record"] = _record(
        single["name"],
        job.net,
        single["data_cfg"],
        job.cfg,
        job.epochs,
        job.finished,
        state,
        setup,
        single["scenario"],
    )


def _collect_sequence() -> None:
    multi = st.session_state.get("lab_multi")
    if multi is None or multi["recorded"] or multi["job"].active:
        return
    job: SequenceJob = multi["job"]
    multi["recorded"] = True
    pairs = [
        (outcome, plan)
        for outcome, plan in zip(job.snapshot().outcomes, job.runs, strict=False)
        if outcome.finished is not None and outcome.epochs
    ]
    for outcome, plan in pairs:
        name = outcome.label
        if multi["kind"] == "sweep":
            name = tr("lab.name.sweep", width=f"{outcome.width:g}")
        elif multi["kind"] == "reg":
            name = tr("lab.name.reg", label=tr(f"lab.reg.{outcome.label}"))
        _record(
            name,
            plan.net,
            multi["data_cfg"],
            plan.cfg,
            outcome.epochs,
            outcome.finished,
            outcome.model_state,
            None,
            None,
        )
    outcomes = [outcome for outcome, _ in pairs]
    if multi["kind"] == "sweep":
        st.session_state["lab_sweep"] = sweep_points(outcomes)
    elif multi["kind"] == "reg":
        st.session_state["lab_reg"] = [
            (o.label, weight_values(o.model_state or {}), o.val_acc_eval) for o in outcomes
        ]


def collect_finished() -> None:
    """Move finished jobs into the run history, once each (sweep and L1/L2 results too)."""
    _collect_single()
    _collect_sequence()
