"""Overfitting lab: provoke overfitting and underfitting, diagnose them from the curves, cure them.

Every run trains in a background job (``cnnviz.jobs.TrainingJob`` for one run, a
``cnnviz.scenarios.SequenceJob`` for a sweep, the L1/L2 demo or ensemble members); fragments poll
the job once a second while it is active, and the finished runs go to ``st.session_state["runs"]``.
Page state (non-widget keys, they survive page switches): ``lab_single`` (the current single run),
``lab_multi`` (the current sequence), ``lab_setup`` (the experiment controls), ``lab_sweep``,
``lab_reg``, ``lab_flash``.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from typing import Any

import numpy as np
import streamlit as st

from cnnviz.capacity import weight_values
from cnnviz.data import DataConfig, DataError, DatasetBundle, load_dataset
from cnnviz.diagnosis import (
    GAP_OVERFIT,
    IMPROVING_REL,
    RISE_REL,
    UNDERFIT_ACC,
    Diagnosis,
    diagnose,
    diagnosis_lines,
)
from cnnviz.history import (
    HistoryError,
    RunRecord,
    delete_run,
    export_csv,
    export_json,
    import_json,
    rename_run,
    settings_diff,
    summary_rows,
    unique_name,
)
from cnnviz.i18n import CATALOG
from cnnviz.jobs import JobLimiter, TrainingJob
from cnnviz.scenarios import (
    LAB_NUM_SAMPLES,
    LAB_VAL_FRACTION,
    NEAR_ZERO,
    REG_BASE,
    REG_L1,
    REG_WEIGHT_DECAY,
    SCENARIOS,
    SWEEP_BASE,
    SWEEP_WIDTHS,
    LabSetup,
    PlannedRun,
    SequenceJob,
    apply_remedy,
    ensemble_result,
    model_from_state,
    regularisation_plan,
    same_validation_set,
    scenario_explanation,
    setup_configs,
    summarise_sweep,
    sweep_plan,
    sweep_points,
)
from cnnviz.shapes import infer
from cnnviz.specs import NetSpec, SpecError
from cnnviz.training import TrainConfig
from cnnviz.viz_lab import (
    CurveSeries,
    curves_figure,
    ensemble_figure,
    legend_texts,
    sweep_figure,
    weights_figure,
)
from pages._ui import lang, tr

CHART_CONFIG = {"displaylogo": False}
LIVE_CONFIG = {"displaylogo": False, "displayModeBar": False}
FIELDS = tuple(f.name for f in dataclasses.fields(LabSetup))
SCENARIO_ORDER = ("overfit", "underfit", "cure")
ENSEMBLE_MEMBERS = 3
VERDICT_BOX = {
    "overfitting": st.warning,
    "underfitting": st.warning,
    "good fit": st.success,
    "still improving": st.info,
}


# ----------------------------------------------------------------------------- shared resources


@st.cache_resource
def _limiter() -> JobLimiter:
    """One limiter per server process, shared by every session of the lab."""
    return JobLimiter(max_concurrent=max(1, int(os.environ.get("CNNVIZ_MAX_JOBS", "2"))))


@st.cache_resource(max_entries=8, show_spinner=False)
def _bundle(cfg: DataConfig) -> DatasetBundle:
    return load_dataset(cfg)


@st.cache_data(max_entries=64, show_spinner=False)
def _params(net: NetSpec) -> int:
    return infer(net).total_params


def _runs() -> list[dict[str, Any]]:
    return st.session_state.setdefault("runs", [])


def _flash(kind: str, text: str) -> None:
    st.session_state["lab_flash"] = (kind, text)


def _active_job() -> Any:
    for key in ("lab_single", "lab_multi"):
        slot = st.session_state.get(key)
        if slot is not None and slot["job"].active:
            return slot["job"]
    return None


def _verdict_name(verdict: str) -> str:
    return tr(f"lab.verdict.{verdict.replace(' ', '_')}")


def _pct(value: float) -> float:
    return 100 * value if math.isfinite(value) else float("nan")


def _job_error(job: Any) -> str:
    key, params = job.error_key, job.error_params
    if key and key in CATALOG:
        try:
            return tr(key, **params)
        except (KeyError, IndexError):
            pass
    return str(job.error or key)


# ----------------------------------------------------------------------------------- starting runs


def _start_single(
    net: NetSpec,
    data_cfg: DataConfig,
    cfg: TrainConfig,
    name: str,
    *,
    setup: LabSetup | None = None,
    scenario: str | None = None,
) -> None:
    """Start one training run in the background (a button callback: errors go to the flash)."""
    if _active_job() is not None:
        _flash("warning", tr("lab.run.busy"))
        return
    try:
        job = TrainingJob(net, _bundle(data_cfg), cfg, limiter=_limiter())
    except DataError as exc:
        _flash("error", tr("lab.run.data_error", error=exc.text(lang())))
        return
    except SpecError as exc:
        _flash("error", "; ".join(p.text(lang()) for p in exc.problems))
        return
    job.start()
    st.session_state["lab_single"] = {
        "job": job,
        "name": unique_name(_runs(), name),
        "setup": setup,
        "scenario": scenario,
        "data_cfg": data_cfg,
        "recorded": False,
    }


def _start_setup(setup: LabSetup, name: str, scenario: str | None = None) -> None:
    net, data_cfg, cfg = setup_configs(setup)
    _start_single(net, data_cfg, cfg, name, setup=setup, scenario=scenario)


def _start_scenario(scenario_id: str) -> None:
    title = tr(f"lab.scenario.{scenario_id}.title")
    _start_setup(SCENARIOS[scenario_id].setup, tr("lab.name.scenario", title=title), scenario_id)


def _next_run_name() -> str:
    return tr("lab.name.run", number=len(_runs()) + 1)


def _start_experiment() -> None:
    setup = st.session_state.get("lab_setup")
    if isinstance(setup, LabSetup):
        _start_setup(setup, _next_run_name())


def _put_setup(setup: LabSetup) -> None:
    """Make the experiment controls show ``setup`` (callbacks run before the widgets exist)."""
    st.session_state["lab_setup"] = setup
    for name in FIELDS:
        st.session_state[f"lab_w_{name}"] = getattr(setup, name)


def _apply_remedy(remedy: str, base: LabSetup, base_name: str) -> None:
    setup = apply_remedy(base, remedy)
    _put_setup(setup)
    label = tr(f"lab.remedy.{remedy}")
    _start_setup(setup, tr("lab.name.remedy", base=base_name[:32], remedy=label))


def _start_sequence(kind: str, runs: list[PlannedRun], data_cfg: DataConfig, keep: bool) -> None:
    if _active_job() is not None:
        _flash("warning", tr("lab.run.busy"))
        return
    try:
        job = SequenceJob(runs, _bundle(data_cfg), keep_weights=keep, limiter=_limiter())
    except DataError as exc:
        _flash("error", tr("lab.run.data_error", error=exc.text(lang())))
        return
    except SpecError as exc:
        _flash("error", "; ".join(p.text(lang()) for p in exc.problems))
        return
    job.start()
    st.session_state["lab_multi"] = {
        "kind": kind,
        "job": job,
        "data_cfg": data_cfg,
        "recorded": False,
    }


def _start_sweep() -> None:
    _, data_cfg, _ = setup_configs(SWEEP_BASE)
    _start_sequence("sweep", sweep_plan(), data_cfg, keep=False)


def _start_regularisation() -> None:
    _, data_cfg, _ = setup_configs(REG_BASE)
    _start_sequence("reg", regularisation_plan(), data_cfg, keep=True)


def _start_members() -> None:
    base = st.session_state.get("lab_setup") or LabSetup()
    runs = []
    for offset in range(ENSEMBLE_MEMBERS):
        setup = dataclasses.replace(base, seed=base.seed + offset, keep_weights=True)
        net, data_cfg, cfg = setup_configs(setup)
        label = tr("lab.name.member", seed=setup.seed)
        runs.append(PlannedRun(label=label, net=net, cfg=cfg, width=setup.width))
    _start_sequence("ensemble", runs, data_cfg, keep=True)


# ----------------------------------------------------------------------------------- recording


def _record(
    name: str,
    net: NetSpec,
    data_cfg: DataConfig,
    cfg: TrainConfig,
    epochs: list[Any],
    finished: Any,
    state: dict[str, Any] | None,
    setup: LabSetup | None,
    scenario: str | None,
) -> dict[str, Any]:
    record = RunRecord(
        name=unique_name(_runs(), name),
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
    _runs().append(record)
    return record


def _collect_finished() -> None:
    """Move finished jobs into the run history, once each."""
    single = st.session_state.get("lab_single")
    if single is not None and not single["recorded"] and not single["job"].active:
        job: TrainingJob = single["job"]
        single["recorded"] = True
        if job.status == "finished" and job.finished is not None and job.epochs:
            setup: LabSetup | None = single["setup"]
            state = None
            if setup is not None and setup.keep_weights and job.model is not None:
                state = {k: v.detach().cpu().clone() for k, v in job.model.state_dict().items()}
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
    multi = st.session_state.get("lab_multi")
    if multi is not None and not multi["recorded"] and not multi["job"].active:
        job_multi: SequenceJob = multi["job"]
        multi["recorded"] = True
        pairs = [
            (outcome, plan)
            for outcome, plan in zip(job_multi.snapshot().outcomes, job_multi.runs, strict=False)
            if outcome.finished is not None and outcome.epochs
        ]
        outcomes = [outcome for outcome, _ in pairs]
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
        if multi["kind"] == "sweep":
            st.session_state["lab_sweep"] = sweep_points(outcomes)
        elif multi["kind"] == "reg":
            st.session_state["lab_reg"] = [
                (o.label, weight_values(o.model_state or {}), o.val_acc_eval) for o in outcomes
            ]


# ------------------------------------------------------------------------------ the run panel


def _diagnosis_box(diagnosis: Diagnosis) -> None:
    box = VERDICT_BOX[diagnosis.verdict]
    box(tr("lab.verdict.title", verdict=_verdict_name(diagnosis.verdict)))
    cols = st.columns(4)
    cols[0].metric(tr("lab.col.train_acc"), f"{_pct(diagnosis.final_train_acc):.1f}")
    cols[1].metric(tr("lab.col.val_acc"), f"{_pct(diagnosis.final_val_acc):.1f}")
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
    baseline = next(
        (r for r in reversed(_runs()) if r.get("scenario") == "overfit" and r["epochs"]), None
    )
    base = diagnose(baseline["epochs"]) if baseline is not None else None
    return scenario_explanation(scenario, d, setup, _params(net), base, lang())


def _remedy_buttons(d: Diagnosis, setup: LabSetup, name: str) -> None:
    st.markdown(f"**{tr('lab.remedies.title')}**")
    st.caption(tr("lab.remedies.caption"))
    remedies = [r for r in d.remedies if apply_remedy(setup, r) != setup]
    if not remedies:
        st.caption(tr("lab.remedies.none"))
        return
    busy = _active_job() is not None
    for remedy in remedies:
        st.button(
            tr(f"lab.remedy.{remedy}"),
            help=tr(f"lab.remedy.{remedy}.why"),
            key=f"lab_remedy_{remedy}",
            on_click=_apply_remedy,
            args=(remedy, setup, name),
            disabled=busy,
            width="stretch",
        )


def run_panel() -> None:
    """The current single run: live curves while training, then its diagnosis and remedies."""
    single = st.session_state.get("lab_single")
    if single is None:
        st.info(tr("lab.run.empty"))
        return
    job: TrainingJob = single["job"]
    active = job.active
    head, stop = st.columns([5, 1])
    head.subheader(tr("lab.run.title", name=single["name"]))
    stop.button(tr("lab.run.stop"), key="lab_stop_single", on_click=job.stop, disabled=not active)
    if single["scenario"] is not None and active:
        setup = single["setup"]
        st.caption(tr(f"lab.scenario.{single['scenario']}.before", n=setup.train_size))

    @st.fragment(run_every=1.0 if active else None)
    def live() -> None:
        job.heartbeat()
        snap = job.snapshot()
        if snap.status == "queued":
            st.info(tr("lab.run.queued", position=snap.queue_position or 1))
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
        series = [CurveSeries(single["name"], single["name"], snap.epochs)]
        st.plotly_chart(
            curves_figure(series, lang(), show_legend=False),
            width="stretch",
            config=LIVE_CONFIG,
            key="lab_live_curves",
        )
        if active and not job.active:
            st.rerun(scope="app")

    live()
    if active:
        return
    if job.status == "failed":
        st.error(tr("lab.run.failed", error=_job_error(job)))
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
        setup: LabSetup | None = single["setup"]
        if single["scenario"] is not None and setup is not None:
            st.markdown(_scenario_after(single["scenario"], diagnosis, setup, job.net))
    with right:
        if setup is not None:
            _remedy_buttons(diagnosis, setup, single["name"])
        else:
            st.caption(tr("lab.cmp.no_setup"))


# ----------------------------------------------------------------------------------- the tabs


def scenarios_tab() -> None:
    busy = _active_job() is not None
    cols = st.columns(3)
    for number, (col, scenario_id) in enumerate(zip(cols, SCENARIO_ORDER, strict=True), start=1):
        setup = SCENARIOS[scenario_id].setup
        net, _, _ = setup_configs(setup)
        with col.container(border=True):
            st.subheader(tr(f"lab.scenario.{scenario_id}.title"))
            st.caption(
                tr(
                    "lab.scenario.setup",
                    n=setup.train_size,
                    width=f"{setup.width:g}",
                    depth=setup.depth,
                    params=f"{_params(net):,}",
                    epochs=setup.epochs,
                )
            )
            st.markdown(f"**{tr('lab.scenario.look_for')}**")
            st.markdown(tr(f"lab.scenario.{scenario_id}.before", n=setup.train_size))
            st.button(
                tr("lab.scenario.run", number=number),
                key=f"lab_run_{scenario_id}",
                on_click=_start_scenario,
                args=(scenario_id,),
                disabled=busy,
                type="primary",
                width="stretch",
            )


def experiment_tab() -> None:
    st.caption(tr("lab.exp.intro"))
    current = st.session_state.get("lab_setup")
    if not isinstance(current, LabSetup):
        current = LabSetup()
    for name in FIELDS:
        st.session_state.setdefault(f"lab_w_{name}", getattr(current, name))
    data_col, model_col, reg_col, train_col = st.columns(4)
    with data_col:
        st.markdown(f"**{tr('lab.exp.data')}**")
        st.slider(
            tr("lab.ctl.train_size"),
            min_value=10,
            max_value=round(LAB_NUM_SAMPLES * (1 - LAB_VAL_FRACTION)),
            step=10,
            key="lab_w_train_size",
            help=tr("lab.ctl.train_size.help"),
        )
        st.slider(
            tr("lab.ctl.label_noise"),
            min_value=0.0,
            max_value=0.8,
            step=0.05,
            key="lab_w_label_noise",
            help=tr("lab.ctl.label_noise.help"),
        )
    with model_col:
        st.markdown(f"**{tr('lab.exp.model')}**")
        st.slider(
            tr("lab.ctl.width"),
            min_value=0.125,
            max_value=8.0,
            step=0.125,
            key="lab_w_width",
            help=tr("lab.ctl.width.help"),
        )
        st.slider(tr("lab.ctl.depth"), 1, 4, key="lab_w_depth", help=tr("lab.ctl.depth.help"))
        st.toggle(tr("lab.ctl.batch_norm"), key="lab_w_batch_norm")
    with reg_col:
        st.markdown(f"**{tr('lab.exp.regularisation')}**")
        st.slider(
            tr("lab.ctl.dropout"),
            min_value=0.0,
            max_value=0.9,
            step=0.05,
            key="lab_w_dropout",
            help=tr("lab.ctl.dropout.help"),
        )
        st.number_input(
            tr("lab.ctl.weight_decay"),
            min_value=0.0,
            max_value=0.1,
            step=1e-4,
            format="%g",
            key="lab_w_weight_decay",
            help=tr("lab.ctl.weight_decay.help"),
        )
        st.number_input(
            tr("lab.ctl.l1"),
            min_value=0.0,
            max_value=0.01,
            step=1e-5,
            format="%g",
            key="lab_w_l1",
            help=tr("lab.ctl.l1.help"),
        )
        st.toggle(tr("lab.ctl.augment"), key="lab_w_augment", help=tr("lab.ctl.augment.help"))
        st.toggle(
            tr("lab.ctl.early_stopping"),
            key="lab_w_early_stopping",
            help=tr("lab.ctl.early_stopping.help"),
        )
    with train_col:
        st.markdown(f"**{tr('lab.exp.training')}**")
        st.slider(tr("lab.ctl.epochs"), 1, 100, key="lab_w_epochs")
        st.number_input(
            tr("lab.ctl.lr"),
            min_value=1e-5,
            max_value=0.1,
            step=1e-4,
            format="%g",
            key="lab_w_lr",
        )
        st.number_input(
            tr("lab.ctl.seed"),
            min_value=0,
            max_value=2**31 - 1,
            step=1,
            key="lab_w_seed",
            help=tr("lab.ctl.seed.help"),
        )
        st.checkbox(
            tr("lab.ctl.keep_weights"),
            key="lab_w_keep_weights",
            help=tr("lab.ctl.keep_weights.help"),
        )
    values = {name: st.session_state[f"lab_w_{name}"] for name in FIELDS}
    for name in ("train_size", "depth", "epochs", "seed"):
        values[name] = int(values[name])
    for name in ("label_noise", "width", "dropout", "weight_decay", "l1", "lr"):
        values[name] = float(values[name])
    try:
        setup = LabSetup(**values)
    except ValueError as exc:
        st.error(tr("lab.exp.invalid", error=str(exc)))
        return
    st.session_state["lab_setup"] = setup
    net, _, _ = setup_configs(setup)
    params = _params(net)
    st.caption(
        tr(
            "lab.exp.params",
            params=f"{params:,}",
            n=setup.train_size,
            ratio=params / setup.train_size,
        )
    )
    st.button(
        tr("lab.exp.train"),
        key="lab_train",
        type="primary",
        on_click=_start_experiment,
        disabled=_active_job() is not None,
    )


def _picked() -> int:
    """The run chosen in the manage box (read in callbacks: the selection may just have changed)."""
    index = st.session_state.get("lab_pick")
    return index if isinstance(index, int) and 0 <= index < len(_runs()) else len(_runs()) - 1


def _rename() -> None:
    index = _picked()
    try:
        st.session_state["runs"] = rename_run(
            _runs(), index, st.session_state.get("lab_new_name", "")
        )
    except HistoryError as exc:
        _flash("error", exc.text(lang()))


def _delete() -> None:
    index = _picked()
    try:
        st.session_state["runs"] = delete_run(_runs(), index)
    except HistoryError as exc:
        _flash("error", exc.text(lang()))


def _rerun() -> None:
    index = _picked()
    run = _runs()[index]
    if run["data_cfg"] is None or run["data_cfg"].name == "upload":
        _flash("warning", tr("lab.cmp.no_upload_rerun"))
        return
    setup = LabSetup.from_dict(run["lab_setup"]) if run.get("lab_setup") else None
    _start_single(
        run["net"],
        run["data_cfg"],
        run["cfg"],
        tr("lab.name.rerun", name=run["name"][:40]),
        setup=setup,
        scenario=run.get("scenario"),
    )


def _load_setup() -> None:
    index = _picked()
    run = _runs()[index]
    if not run.get("lab_setup"):
        _flash("info", tr("lab.cmp.no_setup"))
        return
    _put_setup(LabSetup.from_dict(run["lab_setup"]))
    _flash("success", tr("lab.cmp.loaded", name=run["name"]))


def _import(uploaded: Any) -> None:
    seen = st.session_state.setdefault("lab_imported_ids", set())
    if uploaded is None or uploaded.file_id in seen:
        return
    seen.add(uploaded.file_id)
    try:
        records = import_json(uploaded.getvalue())
    except HistoryError as exc:
        st.error(exc.text(lang()))
        return
    for record in records:
        record.name = unique_name(_runs(), record.name)
        _runs().append(record.to_dict())
    st.success(tr("lab.cmp.imported", count=len(records)))


def compare_tab() -> None:
    st.caption(tr("lab.cmp.intro"))
    runs = [r for r in _runs() if r.get("epochs")]
    if not runs:
        st.info(tr("lab.cmp.empty"))
    else:
        names = [r["name"] for r in runs]
        # Keep the user's choice; runs that appeared since the last visit join it.
        known = st.session_state.get("lab_cmp_known", set())
        chosen = st.session_state.get("lab_cmp_sel")
        if chosen is None:
            chosen, known = names[-3:], set(names)
        fresh = [n for n in names if n not in known]
        st.session_state["lab_cmp_known"] = set(names)
        kept = [n for n in chosen if n in names] + fresh
        st.session_state["lab_cmp_sel"] = kept or names[-1:]
        selected = st.multiselect(tr("lab.cmp.select"), names, key="lab_cmp_sel")
        picked = [r for r in runs if r["name"] in selected]
        if picked:
            diffs = settings_diff(picked, lang())
            legends = legend_texts([r["name"] for r in picked], diffs)
            series = [CurveSeries(r["name"], legends[r["name"]], r["epochs"]) for r in picked]
            st.plotly_chart(
                curves_figure(series, lang()),
                width="stretch",
                config=CHART_CONFIG,
                key="lab_compare_chart",
            )
            st.dataframe(summary_rows(picked, diffs, lang()), hide_index=True, width="stretch")
        with st.expander(tr("lab.cmp.manage")):
            all_runs = _runs()
            if st.session_state.get("lab_pick") not in range(len(all_runs)):
                st.session_state.pop("lab_pick", None)  # the run was deleted
            st.selectbox(
                tr("lab.cmp.pick"),
                range(len(all_runs)),
                format_func=lambda i: all_runs[i]["name"],
                index=len(all_runs) - 1,
                key="lab_pick",
            )
            busy = _active_job() is not None
            name_col, rename_col = st.columns([3, 1])
            name_col.text_input(tr("lab.cmp.new_name"), key="lab_new_name", max_chars=60)
            rename_col.button(tr("lab.cmp.rename"), key="lab_rename", on_click=_rename)
            b1, b2, b3 = st.columns(3)
            b1.button(
                tr("lab.cmp.rerun"),
                key="lab_rerun",
                on_click=_rerun,
                disabled=busy,
                width="stretch",
            )
            b2.button(
                tr("lab.cmp.load_setup"),
                key="lab_load",
                on_click=_load_setup,
                width="stretch",
            )
            b3.button(
                tr("lab.cmp.delete"),
                key="lab_delete",
                on_click=_delete,
                width="stretch",
            )
    with st.expander(tr("lab.cmp.export")):
        if runs:
            c1, c2 = st.columns(2)
            c1.download_button(
                tr("lab.cmp.export_csv"),
                export_csv(runs),
                file_name="cnnviz-runs.csv",
                mime="text/csv",
                key="lab_csv",
            )
            c2.download_button(
                tr("lab.cmp.export_json"),
                export_json(runs),
                file_name="cnnviz-runs.json",
                mime="application/json",
                key="lab_json",
            )
        uploaded = st.file_uploader(tr("lab.cmp.import"), type=["json"], key="lab_upload")
        _import(uploaded)


def _multi_panel(kind: str) -> None:
    """Progress of the running sequence of this kind (sweep, L1/L2 demo, ensemble members)."""
    multi = st.session_state.get("lab_multi")
    if multi is None or multi["kind"] != kind:
        return
    job: SequenceJob = multi["job"]
    active = job.active
    if not active:
        if job.status == "failed":
            st.error(tr("lab.run.failed", error=_job_error(job)))
        return
    st.button(tr("lab.run.stop"), key=f"lab_stop_{kind}", on_click=job.stop)

    @st.fragment(run_every=1.0)
    def live() -> None:
        job.heartbeat()
        snap = job.snapshot()
        if snap.status == "queued":
            st.info(tr("lab.run.queued", position=job.queue_position() or 1))
        current = job.runs[min(snap.current, len(job.runs) - 1)]
        if kind == "sweep":
            label = tr("lab.sweep.hover", width=f"{current.width:g}")
        elif kind == "reg":
            label = tr(f"lab.reg.{current.label}")
        else:
            label = current.label
        st.progress(
            snap.progress,
            text=tr(
                "lab.multi.progress",
                label=label,
                index=snap.current + 1,
                total=snap.total,
                seconds=snap.elapsed_seconds,
            ),
        )
        if kind == "sweep":
            points = sweep_points(snap.outcomes)
            if points:
                st.plotly_chart(
                    sweep_figure(points, lang()),
                    width="stretch",
                    config=LIVE_CONFIG,
                    key="lab_sweep_live",
                )
        if not job.active:
            st.rerun(scope="app")

    live()


def sweep_tab() -> None:
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
        on_click=_start_sweep,
        disabled=_active_job() is not None,
        type="primary",
    )
    _multi_panel("sweep")
    points = st.session_state.get("lab_sweep")
    multi = st.session_state.get("lab_multi")
    if points and not (multi and multi["kind"] == "sweep" and multi["job"].active):
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
        on_click=_start_regularisation,
        disabled=_active_job() is not None,
        type="primary",
    )
    _multi_panel("reg")
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
        share = 100 * float(np.mean(np.abs(values) < NEAR_ZERO)) if values.size else 0.0
        zero[label] = share
        col.metric(
            tr("lab.reg.metric_zero", label=tr(f"lab.reg.{label}"), tol=f"{NEAR_ZERO:g}"),
            f"{share:.1f}%",
        )
        col.caption(tr("lab.reg.metric_val", acc=_pct(val_acc)))
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


def ensemble_tab() -> None:
    st.markdown(tr("lab.ens.intro"))
    base = st.session_state.get("lab_setup") or LabSetup()
    seeds = ", ".join(str(base.seed + i) for i in range(ENSEMBLE_MEMBERS))
    st.button(
        tr("lab.ens.train", count=ENSEMBLE_MEMBERS, seeds=seeds),
        key="lab_ens_run",
        on_click=_start_members,
        disabled=_active_job() is not None,
        type="primary",
    )
    _multi_panel("ensemble")
    kept = [r for r in _runs() if r.get("model_state") and r.get("data_cfg") is not None]
    if not kept:
        st.info(tr("lab.ens.none"))
        return
    names = [r["name"] for r in kept]
    # Newly trained members replace the selection; a single new run joins it.
    known = st.session_state.get("lab_ens_known", set())
    chosen = st.session_state.get("lab_ens_sel")
    if chosen is None:
        chosen, known = names[-ENSEMBLE_MEMBERS:], set(names)
    fresh = [n for n in names if n not in known]
    st.session_state["lab_ens_known"] = set(names)
    chosen = fresh if len(fresh) >= 2 else [n for n in chosen if n in names] + fresh
    st.session_state["lab_ens_sel"] = chosen
    selected = st.multiselect(tr("lab.ens.pick"), names, key="lab_ens_sel")
    members = [r for r in kept if r["name"] in selected]
    if len(members) < 2:
        st.info(tr("lab.ens.need_two"))
        return
    shapes = {(r["net"].input_shape, _outputs(r["net"])) for r in members}
    if len(shapes) > 1 or not same_validation_set([r["data_cfg"] for r in members]):
        st.warning(tr("lab.ens.incompatible"))
        return
    try:
        data = _bundle(members[0]["data_cfg"])
    except DataError as exc:
        st.error(tr("lab.run.data_error", error=exc.text(lang())))
        return
    models = [model_from_state(r["net"], r["model_state"]) for r in members]
    result = ensemble_result(models, data.val_x, data.val_y)
    st.plotly_chart(
        ensemble_figure(
            [r["name"] for r in members], result.member_accs, result.ensemble_acc, lang()
        ),
        width="stretch",
        config=CHART_CONFIG,
        key="lab_ens_chart",
    )
    st.markdown(
        tr(
            "lab.ens.after",
            ensemble=100 * result.ensemble_acc,
            best=100 * max(result.member_accs),
            mean=100 * float(np.mean(result.member_accs)),
        )
    )


def _outputs(net: NetSpec) -> Any:
    return infer(net).output_shape


# ------------------------------------------------------------------------------------ the page

st.title(tr("lab.title"))
st.caption(tr("lab.intro"))
with st.expander(tr("lab.concepts.title")):
    st.markdown(tr("lab.concepts.body"))
st.caption(tr("lab.data_note", val=round(LAB_NUM_SAMPLES * LAB_VAL_FRACTION)))

_collect_finished()
flash = st.session_state.pop("lab_flash", None)
if flash is not None:
    kind, text = flash
    {"error": st.error, "warning": st.warning, "success": st.success}.get(kind, st.info)(text)

with st.container(border=True):
    run_panel()

tabs = st.tabs(
    [
        tr("lab.tab.scenarios"),
        tr("lab.tab.experiment"),
        tr("lab.tab.compare"),
        tr("lab.tab.sweep"),
        tr("lab.tab.regularisation"),
        tr("lab.tab.ensemble"),
    ]
)
with tabs[0]:
    scenarios_tab()
with tabs[1]:
    experiment_tab()
with tabs[2]:
    compare_tab()
with tabs[3]:
    sweep_tab()
with tabs[4]:
    regularisation_tab()
with tabs[5]:
    ensemble_tab()
