"""The Beyond page's "Transfer learning" section: source and target, labelled images per class,
Start / Stop, the three approaches' curves overlaid live, the sweep (how many labels each needs)
and which layers transfer. Not a page.

The comparison runs in a background job (``cnnviz.jobs.TransferJob``, the server's worker pool);
a fragment polls it while it is active. Whether real pretrained weights are in the torch hub
cache is read from disk (never downloaded).
"""

from __future__ import annotations

import math

import streamlit as st

from cnnviz.data import FEW_LABEL_CHOICES
from cnnviz.jobs import TransferJob, TransferSnapshot
from cnnviz.net import PRETRAINED, pretrained_download_command, pretrained_in_cache
from cnnviz.train import (
    MODES,
    TransferConfig,
    TransferReport,
    available_sources,
    available_targets,
    labels_needed,
    planned_report,
    transfer_config,
)
from cnnviz.viz import transfer_curves_figure, transfer_sweep_figure
from pages.beyond.state import SLOT, TRANSFER_SLOT
from pages.shared.charts import CHART_CONFIG, LIVE_CONFIG
from pages.shared.flash import show_flash
from pages.shared.jobs import job_error_text, poll_seconds, slot_job, start_job, stop_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["transfer_ui"]

W_SOURCE, W_TARGET, W_K, W_THRESHOLD = (
    "beyond_t_source",
    "beyond_t_target",
    "beyond_t_k",
    "beyond_t_threshold",
)
FLASH = "beyond_transfer"


def _job() -> TransferJob | None:
    job = slot_job(TRANSFER_SLOT)
    return job if isinstance(job, TransferJob) else None


def _config() -> TransferConfig:
    """The settings of the widgets; anything this server does not have falls back to the first
    choice (and the job re-checks it on the server)."""
    sources, targets = available_sources(), available_targets()
    set_defaults({W_SOURCE: sources[0], W_TARGET: targets[0], W_K: 50, W_THRESHOLD: 0.8})
    state = st.session_state
    source = state[W_SOURCE] if state[W_SOURCE] in sources else sources[0]
    target = state[W_TARGET] if state[W_TARGET] in targets else targets[0]
    if source == "resnet18":
        target = "shapes"
    k = state[W_K] if state[W_K] in FEW_LABEL_CHOICES else 50
    return transfer_config(str(source), str(target), int(k))


def _pretrained_note() -> None:
    found = pretrained_in_cache()
    if found:
        st.caption(tr("transfer.pretrained.present", names=", ".join(found)))
    else:
        st.info(
            tr(
                "transfer.pretrained.missing",
                command=pretrained_download_command("resnet18"),
                file=PRETRAINED["resnet18"].file_name,
            )
        )


def _settings(disabled: bool) -> TransferConfig:
    sources, targets = available_sources(), available_targets()
    cfg = _config()  # first visit: the defaults
    state = st.session_state
    if state[W_SOURCE] not in sources or state[W_K] not in FEW_LABEL_CHOICES:
        state[W_SOURCE], state[W_K] = cfg.source, cfg.per_class  # forged or stale: the fallback
    if state[W_TARGET] not in targets:
        state[W_TARGET] = cfg.target
    threshold = state[W_THRESHOLD]
    if not isinstance(threshold, float) or not 0.5 <= threshold <= 0.99:
        state[W_THRESHOLD] = 0.8
    names = {s: tr(f"transfer.source.{s}") for s in sources}
    st.selectbox(
        tr("transfer.source"),
        sources,
        format_func=names.__getitem__,
        key=W_SOURCE,
        disabled=disabled,
        persist_state=PERSIST,
    )
    target_names = {t: tr(f"transfer.target.{t}") for t in targets}
    st.selectbox(
        tr("transfer.target"),
        targets,
        format_func=target_names.__getitem__,
        key=W_TARGET,
        disabled=disabled or st.session_state[W_SOURCE] == "resnet18",
        persist_state=PERSIST,
    )
    st.segmented_control(
        tr("transfer.per_class"),
        FEW_LABEL_CHOICES,
        key=W_K,
        help=tr("transfer.per_class_help"),
        disabled=disabled,
        persist_state=PERSIST,
    )
    st.slider(
        tr("transfer.threshold"),
        min_value=0.5,
        max_value=0.99,
        step=0.01,
        key=W_THRESHOLD,
        persist_state=PERSIST,
    )
    return _config()


def _start(cfg: TransferConfig) -> None:
    start_job(
        FLASH,
        TRANSFER_SLOT,
        lambda: TransferJob(cfg, heartbeat_timeout=60.0),
        cfg.per_class,
        exclusive=(SLOT,),
        busy_text=tr("transfer.busy"),
    )


def _buttons(cfg: TransferConfig) -> None:
    job = _job()
    active = job is not None and job.active
    left, right = st.columns(2)
    left.button(
        tr("transfer.start"),
        type="primary",
        on_click=_start,
        args=(cfg,),
        disabled=active,
        width="stretch",
        key="beyond_t_btn_start",
    )
    right.button(
        tr("transfer.stop"),
        on_click=stop_job,
        args=(_job,),
        disabled=not active,
        width="stretch",
        key="beyond_t_btn_stop",
    )
    show_flash(FLASH)


def _layers(report: TransferReport, ratio: float) -> None:
    st.markdown(f"**{tr('transfer.layers.title')}**")
    st.table(
        {
            tr("transfer.layers.col.layer"): [row.name for row in report.layers],
            tr("transfer.layers.col.type"): [row.kind for row in report.layers],
            tr("transfer.layers.col.copied"): [
                tr("transfer.layers.yes" if row.copyable else "transfer.layers.no")
                for row in report.layers
            ],
            tr("transfer.layers.col.reason"): [
                row.reason.text(lang()) if row.reason is not None else "" for row in report.layers
            ],
        },
        hide_index=True,
    )
    st.caption(tr("transfer.layers.caption", ratio=ratio))


def _status(job: TransferJob, snap: TransferSnapshot) -> None:
    if snap.status == "queued":
        st.info(tr("transfer.queued", position=job.queue_position() or 1))
    elif snap.status == "failed":
        st.error(tr("transfer.failed", error=job_error_text(job)))
    elif snap.finished is not None:
        key = "transfer.finished" if snap.finished.reason == "completed" else "transfer.stopped"
        st.success(tr(key, runs=snap.finished.runs, seconds=snap.finished.elapsed_seconds))
    else:
        st.progress(
            snap.progress,
            text=tr("transfer.progress", done=min(snap.runs_done + 1, snap.runs), runs=snap.runs),
        )
    if snap.source_accuracy is not None:
        if math.isnan(snap.source_accuracy):
            st.caption(tr("transfer.source_pretrained"))
        else:
            how = tr("transfer.source.cached" if snap.source_cached else "transfer.source.trained")
            st.caption(tr("transfer.source_ready", accuracy=snap.source_accuracy, how=how))


def _sweep(snap: TransferSnapshot, threshold: float) -> None:
    st.markdown(f"**{tr('transfer.sweep.title')}**")
    counts = sorted({k for _, k in snap.results})
    needed = labels_needed(snap.results, threshold)
    table: dict[str, list[str]] = {tr("transfer.sweep.col.mode"): []}
    for k in counts:
        table[tr("transfer.sweep.col.k", k=k)] = []
    needed_col = tr("transfer.sweep.col.needed", value=threshold)
    table[needed_col] = []
    for mode in MODES:
        if not any(m == mode for m, _ in snap.results):
            continue
        table[tr("transfer.sweep.col.mode")].append(tr(f"transfer.mode.{mode}"))
        for k in counts:
            value = snap.results.get((mode, k))
            table[tr("transfer.sweep.col.k", k=k)].append("" if value is None else f"{value:.3f}")
        fewest = needed.get(mode)
        table[needed_col].append(
            str(fewest) if fewest is not None else tr("transfer.sweep.never", k=max(counts))
        )
    st.table(table, hide_index=True)
    st.plotly_chart(
        transfer_sweep_figure(snap.results, threshold, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="beyond_t_sweep",
    )


def _live(job: TransferJob, threshold: float) -> None:
    every = poll_seconds(job)
    was_active = job.active

    @st.fragment(run_every=every)
    def live() -> None:
        job.heartbeat()
        snap = job.snapshot()
        _status(job, snap)
        st.plotly_chart(
            transfer_curves_figure(snap.curves, job.cfg.per_class, lang()),
            width="stretch",
            config=LIVE_CONFIG,
            key="beyond_t_curves",
        )
        if snap.results and not job.active:
            _sweep(snap, threshold)
        if (was_active and not job.active) or poll_seconds(job) != every:
            st.rerun(scope="app")

    live()


def transfer_ui() -> None:
    """The whole section."""
    st.caption(tr("transfer.intro"))
    _pretrained_note()
    job = _job()
    active = job is not None and job.active
    left, right = st.columns([1, 2], gap="medium")
    with left:
        cfg = _settings(disabled=active)
        st.caption(
            tr(
                f"transfer.source_note.{cfg.source}",
                samples=cfg.source_samples,
                steps=cfg.source_steps,
            )
        )
        _buttons(cfg)
    with right:
        if job is None:
            st.info(tr("transfer.empty"))
        else:
            _live(job, float(st.session_state[W_THRESHOLD]))
    shown = job.cfg if job is not None else cfg
    snap_report = job.snapshot().report if job is not None else None
    _layers(snap_report or planned_report(shown), shown.transferred_lr_ratio)
