"""Knowledge distillation: the trained network teaches a smaller student, in the background
(slot :data:`DISTILL_SLOT`). Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.compress import (
    DISTILL_FORMULA,
    DistilledWeights,
    DistillEpoch,
    DistillTask,
    model_from_state,
    soft_targets,
)
from cnnviz.jobs import EventLogJob, threads_per_job
from cnnviz.net import NetSpec, infer, widen
from cnnviz.train import fit_net_to_data, save_checkpoint
from cnnviz.viz import distill_figure, soft_targets_figure
from pages.prune.single import source_model
from pages.prune.source import Source
from pages.shared.charts import CHART_CONFIG, LIVE_CONFIG
from pages.shared.jobs import job_error_text, slot_entry, start_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["DISTILL_DEFAULTS", "DISTILL_SLOT", "distill_ui"]

DISTILL_SLOT = "prune_distill"
DISTILL_DEFAULTS = {
    "prune_w_student": "half",
    "prune_w_t": 4.0,
    "prune_w_alpha": 0.7,
    "prune_w_d_epochs": 5,
}
STUDENTS = ("half", "quarter", "build")
TEMPERATURES = (1.0, 2.0, 4.0, 10.0)


def _student(source: Source, choice: str) -> NetSpec:
    if choice == "build" and isinstance(st.session_state.get("net"), NetSpec):
        return fit_net_to_data(st.session_state["net"], source.data)
    return widen(source.net, 0.25 if choice == "quarter" else 0.5)


def _start(source: Source, student: NetSpec, temperature: float, alpha: float, epochs: int) -> None:
    start_job(
        "prune",
        DISTILL_SLOT,
        lambda: EventLogJob(
            DistillTask(
                student,
                source.net,
                source.state,
                source.data,
                temperature=temperature,
                alpha=alpha,
                epochs=epochs,
                num_threads=threads_per_job(),
            )
        ),
        (source, student),
        busy_text=tr("prune.distill.busy"),
    )


def _to_build(net: NetSpec) -> None:
    st.session_state["net"] = net


def _soft_targets(source: Source) -> None:
    model = source_model(source)
    image = source.data.val_x[:1]
    logits = model(image)[0].detach()
    probs = soft_targets(logits, TEMPERATURES)
    label = source.data.class_names[int(source.data.val_y[0])]
    st.markdown(f"**{tr('prune.distill.soft_title', label=label)}**")
    st.plotly_chart(
        soft_targets_figure(probs, TEMPERATURES, source.data.class_names, lang()),
        config=CHART_CONFIG,
        key="prune_c_soft",
    )


def distill_ui(source: Source) -> None:
    """Student, T, alpha, epochs, Run; the overlaid curves; soft targets; export."""
    st.latex(DISTILL_FORMULA)
    st.caption(tr("prune.distill.convention"))
    cols = st.columns(4)
    choice = cols[0].radio(
        tr("prune.distill.student"),
        STUDENTS,
        format_func=lambda s: tr(f"prune.distill.student.{s}"),
        key="prune_w_student",
        persist_state=PERSIST,
    )
    temperature = cols[1].slider(
        tr("prune.distill.t"), 1.0, 20.0, step=0.5, key="prune_w_t", persist_state=PERSIST
    )
    alpha = cols[2].slider(
        tr("prune.distill.alpha"), 0.0, 1.0, step=0.05, key="prune_w_alpha", persist_state=PERSIST
    )
    epochs = cols[3].slider(
        tr("prune.distill.epochs"), 1, 10, key="prune_w_d_epochs", persist_state=PERSIST
    )
    student = _student(source, str(choice))
    summary = infer(student)
    if not summary.ok:
        for problem in summary.problems:
            st.error(problem.text(lang()))
        return
    teacher = sum(p.numel() for p in source_model(source).parameters())
    st.caption(
        tr("prune.distill.sizes", student=f"{summary.total_params:,}", teacher=f"{teacher:,}")
    )
    st.button(
        tr("prune.distill.run"),
        on_click=_start,
        args=(source, student, float(temperature), float(alpha), int(epochs)),
        key="prune_b_distill",
        type="primary",
    )
    _soft_targets(source)
    entry = slot_entry(DISTILL_SLOT)
    job = entry.job if entry is not None else None
    if not isinstance(job, EventLogJob) or entry is None:
        return
    trained_net: NetSpec = entry.meta[1]

    @st.fragment(run_every=1.0 if job.active else None)
    def live() -> None:
        job.heartbeat()
        progress = job.progress
        if job.active and progress is not None:
            st.progress(progress.fraction, text=tr("prune.distill.progress"))
        if job.status == "failed":
            st.error(job_error_text(job))
        st.plotly_chart(
            distill_figure(job.events(DistillEpoch), lang()),
            config=LIVE_CONFIG,
            key="prune_c_distill",
        )
        done = [w for w in job.events(DistilledWeights) if w.run == "distilled"]
        if done and not job.active:
            model = model_from_state(trained_net, done[0].state)
            data = entry.meta[0].data
            raw = save_checkpoint(
                model,
                trained_net,
                class_names=data.class_names,
                mean=data.mean,
                std=data.std,
                dataset=data.name,
            )
            left, right = st.columns(2)
            left.download_button(
                tr("prune.export.student"), raw, file_name="student.zip", key="prune_d_student"
            )
            right.button(
                tr("prune.rebuild.to_build"),
                on_click=_to_build,
                args=(trained_net,),
                key="prune_b_student_build",
            )

    live()
