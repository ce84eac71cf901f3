"""/losses: MSE against cross-entropy after a sigmoid, one neuron trained both ways. Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.concepts import NeuronRun, train_neurons
from cnnviz.viz import neuron_figure
from pages.shared.charts import CHART_CONFIG
from pages.shared.explorer import last_good, notice
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["neuron_section"]

STEPS = 300


@st.cache_data(max_entries=64, show_spinner=False)
def _runs(w: float, b: float, lr: float) -> tuple[NeuronRun, NeuronRun]:
    return train_neurons(w=w, b=b, lr=lr, steps=STEPS)


def neuron_section() -> None:
    """Both runs side by side and the output-layer gradients of the chosen step, written out."""
    st.header(tr("loss.neuron.title"))
    st.markdown(tr("loss.neuron.intro", article=tr("why.article.dnn")))
    set_defaults({"loss_w": 2.0, "loss_b": 2.0, "loss_lr": 0.15, "loss_step": 0})
    cols = st.columns(4)
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
    runs = last_good("loss_neuron", lambda: _runs(float(w), float(b), float(lr)))
    if runs is None:
        return
    mse, ce = runs
    col1, col2 = st.columns(2)
    for column, run in ((col1, mse), (col2, ce)):
        with column:
            st.plotly_chart(
                neuron_figure(run, int(step), lang()),
                config=CHART_CONFIG,
                key=f"loss_neuron_{run.loss_name}",
            )
            k = int(step)
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
    notice("loss.neuron.notice")
