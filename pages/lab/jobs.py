"""Starting the Overfitting lab's runs (button callbacks) and recording them when they end. Not a page.

Every run trains in a background job started through ``pages.shared.jobs.start_job`` and waits for
a worker of the server's one pool (``cnnviz.jobs.shared_pool``, shared with the Train page): a
``TrainingJob`` for a single run (slot ``lab_single``), a ``SequenceJob`` for the sweep, the
L1/L2 demo and ensemble members (slot ``lab_multi``). One lab job at a time per session.
Callbacks cannot draw: errors go to the page's flash messages. Finished runs join the session's
history through ``pages.shared.runs.add_run``, as the Train page's do.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from cnnviz.data import DataConfig
from cnnviz.jobs import PlannedRun, SequenceJob, TrainingJob
from cnnviz.lab import (
    REG_BASE,
    SCENARIOS,
    SWEEP_BASE,
    LabSetup,
    RunRecord,
    apply_remedy,
    ensemble_plan,
    regularisation_plan,
    setup_configs,
    sweep_plan,
    sweep_points,
    unique_name,
)
from cnnviz.net import NetSpec, weight_values
from cnnviz.train import TrainConfig, cpu_state_dict
from pages.lab.state import (
    MULTI,
    SHOW_RUN,
    SINGLE,
    SLOTS,
    SequenceRun,
    SingleRun,
    current_setup,
    setup_widgets,
)
from pages.shared.datasets import dataset
from pages.shared.jobs import slot_entry, start_job
from pages.shared.runs import add_run, runs
from pages.shared.sequences import record_runs
from pages.shared.session import tr
from pages.shared.widgets import set_values

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
    start_job(
        "lab",
        SINGLE,
        lambda: TrainingJob(net, dataset(data_cfg), cfg),
        SingleRun(unique_name(runs(), name), data_cfg, setup, scenario),
        exclusive=SLOTS,
        busy_text=tr("lab.run.busy"),
    )


def _start_setup(setup: LabSetup, name: str, scenario: str | None = None) -> None:
    net, data_cfg, cfg = setup_configs(setup)
    start_single(net, data_cfg, cfg, name, setup=setup, scenario=scenario)
    # the Run buttons sit below the run panel: bring the panel (or the flash) into view
    st.session_state[SHOW_RUN] = True


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
    set_values(setup_widgets(setup))
    label = tr(f"lab.remedy.{remedy}")
    _start_setup(setup, tr("lab.name.remedy", base=base_name[:32], remedy=label))


# ------------------------------------------------------------------------------------- sequences


def _start_sequence(kind: str, plan: list[PlannedRun], data_cfg: DataConfig, keep: bool) -> None:
    start_job(
        "lab",
        MULTI,
        lambda: SequenceJob(plan, dataset(data_cfg), keep_weights=keep),
        SequenceRun(kind, data_cfg),
        exclusive=SLOTS,
        busy_text=tr("lab.run.busy"),
    )


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


def _collect_single() -> None:
    entry = slot_entry(SINGLE)
    if entry is None or entry.recorded or entry.job.active:
        return
    entry.recorded = True
    job: TrainingJob = entry.job
    meta: SingleRun = entry.meta
    if job.status != "finished" or job.finished is None or not job.epochs:
        return
    setup = meta.setup
    state = None
    if setup is not None and setup.keep_weights and job.model is not None:
        state = cpu_state_dict(job.model)
    add_run(
        RunRecord(
            name=meta.name,
            net=job.net,
            data_cfg=meta.data_cfg,
            cfg=job.cfg,
            epochs=job.epochs,
            finished=job.finished,
            model_state=state,
            lab_setup=setup.to_dict() if setup is not None else None,
            scenario=meta.scenario,
        )
    )


def _sequence_name(kind: str, label: str, width: float) -> str:
    if kind == "sweep":
        return tr("lab.name.sweep", width=f"{width:g}")
    if kind == "reg":
        return tr("lab.name.reg", label=tr(f"lab.reg.{label}"))
    return label


def _collect_sequence() -> None:
    entry = slot_entry(MULTI)
    if entry is None or not isinstance(entry.meta, SequenceRun):
        return
    meta: SequenceRun = entry.meta
    outcomes = record_runs(
        entry,
        lambda _index, outcome: _sequence_name(meta.kind, outcome.label, outcome.width),
        meta.data_cfg,
    )
    if outcomes is None:
        return
    if meta.kind == "sweep":
        st.session_state["lab_sweep"] = sweep_points(outcomes)
    elif meta.kind == "reg":
        st.session_state["lab_reg"] = [
            (o.label, weight_values(o.model_state or {}), o.val_acc_eval) for o in outcomes
        ]


def collect_finished() -> None:
    """Move finished jobs into the run history, once each (sweep and L1/L2 results too)."""
    _collect_single()
    _collect_sequence()
