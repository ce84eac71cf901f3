"""/losses: MSE against cross-entropy after a sigmoid, one neuron trained both ways. Not a page.

"Train both neurons" starts a ``cnnviz.concepts.NeuronTask`` in an ``EventLogJob`` (slot
``loss_neuron_job``): the training runs in the background job machinery, never in a script run.
A fragment polls the job and draws both runs as they grow; the finished job stays in its slot
with every pair it reported, so the step slider reads the last pair without training again.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cnnviz.concepts import NeuronPair, NeuronRun, NeuronTask
from cnnviz.jobs import EventLogJob
from cnnviz.viz import neuron_figure
from pages.shared.charts import CHART_CONFIG, LIVE_CONFIG
from pages.shared.explorer import job_progress, notice, stop_button
from pages.shared.jobs import slot_entry, start_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["neuron_section"]

STEPS = 300
SLOT = "loss_neuron_job"


def _start() -> None:
    """Train both neurons in the background with the sliders' settings (a button callback)."""
    state = st.session_state
    task = NeuronTask(
        w=float(state.get("loss_w", 2.0)),
        b=float(state.get("loss_b", 2.0)),
        lr=float(state.get("loss_lr", 0.15)),
        steps=STEPS,
    )
    start_job("losses", SLOT, lambda: EventLogJob(task), {"task": task})


def _runs_drawn(pair: NeuronPair, step: int, config: dict[str, Any]) -> None:
    """Both runs side by side, each with the output-layer gradient of ``step`` written out."""
    col1, col2 = st.columns(2)
    k = min(int(step), pair.step)
    for column, run in ((col1, pair.mse), (col2, pair.ce)):
        with column:
            st.plotly_chart(
                neuron_figure(run, k, lang()), config=config, key=f"loss_neuron_{run.loss_name}"
            )
            _gradient_written_out(run, k)


def _gradient_written_out(run: NeuronRun, k: int) -> None:
    a, z, y = run.a[k], run.z[k], run.y
    if run.loss_name == "mse":
        sigma_prime = run.sigma_prime[k]
        st.latex(
            rf"\delta = \frac{{\partial C}}{{\partial z}} = \sigma'(z)(a-y) = {sigma_prime:.4f} \times ({a:.4f} - {y:g}) = {run.delta[k]:.5f}"
        )
    else:
        st.latex(
            rf"\delta = \frac{{\partial C}}{{\partial z}} = a - y = {a:.4f} - {y:g} = {run.delta[k]:.5f}"
        )
    st.caption(
        tr(
            "loss.neuron.state",
            step=k,
            w=f"{run.w[k]:.4f}",
            b=f"{run.b[k]:.4f}",
            z=f"{z:.4f}",
            a=f"{a:.4f}",
            loss=f"{run.loss[k]:.4f}",
            gw=f"{run.grad_w[k]:.5f}",
            gb=f"{run.grad_b[k]:.5f}",
        )
    )


def neuron_section() -> None:
    """The settings, the Train button, both runs (live while they train) and the output-layer
    gradients of the chosen step, written out."""
    st.header(tr("loss.neuron.title"))
    st.markdown(tr("loss.neuron.intro", article=tr("why.article.dnn")))
    set_defaults({"loss_w": 2.0, "loss_b": 2.0, "loss_lr": 0.15, "loss_step": 0})
    entry = slot_entry(SLOT)
    job = entry.job if entry is not None and isinstance(entry.job, EventLogJob) else None
    cols = st.columns([2, 2, 2, 2, 2])
    with cols[0]:
        w = st.slider("w", -4.0, 4.0, step=0.5, key="loss_w", persist_state=PERSIST)
    with cols[1]:
        b = st.slider("b", -4.0, 4.0, step=0.5, key="loss_b", persist_state=PERSIST)
    with cols[2]:
        lr = st.select_slider(
            tr("loss.neuron.lr"),
            [0.01, 0.05, 0.15, 0.5, 1.0, 2.0],
            key="loss_lr",
            persist_state=PERSIST,
        )
    with cols[3]:
        step = st.slider(tr("loss.neuron.step"), 0, STEPS, key="loss_step", persist_state=PERSIST)
    with cols[4]:
        st.button(
            tr("loss.neuron.start"),
            key="loss_neuron_start",
            on_click=_start,
            type="primary",
            disabled=job is not None and job.active,
        )
    if job is None or entry is None:
        st.caption(tr("loss.neuron.before", steps=STEPS))
        return
    stop_button(job, "loss_neuron_stop")
    task: NeuronTask = entry.meta["task"]
    if (task.w, task.b, task.lr) != (float(w), float(b), float(lr)):
        st.caption(tr("loss.neuron.stale", w=f"{task.w:g}", b=f"{task.b:g}", lr=f"{task.lr:g}"))

    @st.fragment(run_every=1.0 if job.active else None)
    def live() -> None:
        job.heartbeat()
        pair = job.latest(NeuronPair)
        if job.active:
            done = pair.step if pair is not None else 0
            job_progress(job, done / STEPS, tr("loss.neuron.progress", step=done, steps=STEPS))
        if pair is not None:
            _runs_drawn(pair, int(step), LIVE_CONFIG if job.active else CHART_CONFIG)
        if not job.active and st.session_state.get("loss_neuron_seen") is not job:
            st.session_state["loss_neuron_seen"] = job
            st.rerun(scope="app")

    live()
    notice("loss.neuron.notice")
