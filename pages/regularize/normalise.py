"""/regularize: batch normalisation (one batch, running statistics, train against eval, and the same
deep network trained with and without it) and AlexNet's local response normalisation. Not a page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnnviz.concepts import (
    BN_DATA,
    BatchNormDemo,
    LrnExplained,
    batchnorm_demo,
    bn_runs,
    lrn_explain,
    parse_vector,
    preset_lrn,
)
from cnnviz.jobs import SequenceJob
from cnnviz.net import PRESETS
from cnnviz.viz import CurveSeries, bn_histogram_figure, curves_figure, lrn_figure
from pages.shared.charts import CHART_CONFIG, LIVE_CONFIG
from pages.shared.datasets import dataset
from pages.shared.explorer import BUILD_PAGE, job_progress, last_good, notice, stop_button
from pages.shared.jobs import slot_entry, start_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["batchnorm_section", "bn_training_section", "lrn_section"]

SLOT = "reg_bn_job"
ALEXNET = "alexnet2012"


@st.cache_data(max_entries=256, show_spinner=False)
def _bn(
    shift: float, scale: float, gamma: float, beta: float, momentum: float, batches: int
) -> BatchNormDemo:
    return batchnorm_demo(
        shift=shift, scale=scale, gamma=gamma, beta=beta, momentum=momentum, batches_seen=batches
    )


@st.cache_data(max_entries=256, show_spinner=False)
def _lrn(text: str, size: int, alpha: float, beta: float, k: float) -> LrnExplained:
    return lrn_explain(parse_vector(text), size=size, alpha=alpha, beta=beta, k=k)


def batchnorm_section() -> None:
    """A badly scaled layer's batch before and after BN, with gamma, beta and running statistics."""
    st.header(tr("reg.bn.title"))
    st.markdown(tr("reg.bn.intro"))
    set_defaults(
        {
            "reg_shift": 3.0,
            "reg_scale": 4.0,
            "reg_gamma": 1.0,
            "reg_beta": 0.0,
            "reg_momentum": 0.1,
            "reg_batches": 5,
            "reg_channel": 1,
        }
    )
    cols = st.columns(4)
    with cols[0]:
        shift = st.slider(
            tr("reg.bn.shift"), -10.0, 10.0, step=0.5, key="reg_shift", persist_state=PERSIST
        )
        scale = st.slider(
            tr("reg.bn.scale"), 0.1, 10.0, step=0.1, key="reg_scale", persist_state=PERSIST
        )
    with cols[1]:
        gamma = st.slider("γ", -3.0, 3.0, step=0.1, key="reg_gamma", persist_state=PERSIST)
        beta = st.slider("β", -3.0, 3.0, step=0.1, key="reg_beta", persist_state=PERSIST)
    with cols[2]:
        momentum = st.slider(
            tr("reg.bn.momentum"), 0.0, 1.0, step=0.05, key="reg_momentum", persist_state=PERSIST
        )
        batches = st.slider(tr("reg.bn.batches"), 1, 100, key="reg_batches", persist_state=PERSIST)
    with cols[3]:
        channel = st.radio(
            tr("reg.bn.channel"),
            [1, 2, 3, 4],
            key="reg_channel",
            persist_state=PERSIST,
            horizontal=True,
        )
    demo = last_good("reg_bn", lambda: _bn(shift, scale, gamma, beta, momentum, int(batches)))
    if demo is None:
        return
    st.plotly_chart(
        bn_histogram_figure(demo, int(channel) - 1, lang()), config=CHART_CONFIG, key="reg_bn_chart"
    )
    table = pd.DataFrame(
        {
            tr("reg.bn.col.channel"): [str(c + 1) for c in range(len(demo.batch_mean))],
            tr("reg.bn.col.batch_mean"): [f"{v:.3f}" for v in demo.batch_mean],
            tr("reg.bn.col.batch_var"): [f"{v:.3f}" for v in demo.batch_var],
            tr("reg.bn.col.running_mean"): [f"{v:.3f}" for v in demo.running_mean],
            tr("reg.bn.col.running_var"): [f"{v:.3f}" for v in demo.running_var],
        }
    )
    st.dataframe(table, hide_index=True)
    st.latex(
        rf"y = \gamma\,\frac{{x - \mu_B}}{{\sqrt{{\sigma_B^2 + \epsilon}}}} + \beta,\quad \gamma = {demo.gamma:g},\ \beta = {demo.beta:g};"
        rf"\quad \hat\mu \leftarrow (1 - {demo.momentum:g})\,\hat\mu + {demo.momentum:g}\,\mu_B"
    )
    st.markdown(
        tr(
            "reg.bn.gap",
            gap=f"{demo.train_eval_gap:.4f}",
            formula=f"{demo.formula_gap:.1e}",
            batches=demo.batches_seen,
        )
    )
    notice("reg.bn.notice")


def _start_bn() -> None:
    def factory() -> SequenceJob:
        return SequenceJob(bn_runs(), dataset(BN_DATA))

    start_job("regularize", SLOT, factory, None)


def bn_training_section() -> None:
    """The same deep network with and without BN, same seed, trained in the background."""
    st.subheader(tr("reg.bnrun.title"))
    st.markdown(tr("reg.bnrun.intro"))
    entry = slot_entry(SLOT)
    job = entry.job if entry is not None and isinstance(entry.job, SequenceJob) else None
    st.button(
        tr("reg.bnrun.start"),
        key="reg_bn_start",
        on_click=_start_bn,
        type="primary",
        disabled=job is not None and job.active,
    )
    if job is None:
        return
    stop_button(job, "reg_bn_stop")

    @st.fragment(run_every=1.0 if job.active else None)
    def live() -> None:
        job.heartbeat()
        snapshot = job.snapshot()
        if job.active:
            job_progress(
                job, snapshot.progress, tr("why.job.progress", seconds=snapshot.elapsed_seconds)
            )
        series = [
            CurveSeries(outcome.label, tr(f"reg.bnrun.{outcome.label}"), outcome.epochs)
            for outcome in snapshot.outcomes
            if outcome.epochs
        ]
        if series:
            st.plotly_chart(curves_figure(series, lang()), config=LIVE_CONFIG, key="reg_bn_curves")
        if not job.active and st.session_state.get("reg_bn_seen") is not job:
            st.session_state["reg_bn_seen"] = job
            st.rerun(scope="app")

    live()
    notice("reg.bnrun.notice")
    st.page_link(BUILD_PAGE, label=tr("why.link.build"), icon="🧱")


def lrn_section() -> None:
    """AlexNet's formula with the learner's numbers, in the paper's and PyTorch's conventions."""
    st.header(tr("reg.lrn.title"))
    st.markdown(tr("reg.lrn.intro", article=tr("why.article.alexnet")))
    set_defaults(
        {
            "reg_lrn_a": "12, 3, 40, 8, 25, 60, 5, 18",
            "reg_lrn_n": 5,
            "reg_lrn_alpha": 1e-4,
            "reg_lrn_beta": 0.75,
            "reg_lrn_k": 2.0,
        }
    )
    text = st.text_input(tr("reg.lrn.a"), key="reg_lrn_a", persist_state=PERSIST)
    cols = st.columns(4)
    with cols[0]:
        size = st.select_slider("n", [1, 3, 5, 7, 9], key="reg_lrn_n", persist_state=PERSIST)
    with cols[1]:
        alpha = st.select_slider(
            tr("reg.lrn.alpha"),
            [1e-5, 1e-4, 1e-3, 1e-2, 1e-1],
            key="reg_lrn_alpha",
            persist_state=PERSIST,
            format_func=lambda v: f"{v:g}",
        )
    with cols[2]:
        beta = st.slider("β", 0.0, 2.0, step=0.05, key="reg_lrn_beta", persist_state=PERSIST)
    with cols[3]:
        k = st.slider("k", 0.0, 5.0, step=0.5, key="reg_lrn_k", persist_state=PERSIST)
    result = last_good(
        "reg_lrn", lambda: _lrn(str(text), int(size), float(alpha), float(beta), float(k))
    )
    if result is None:
        return
    st.latex(
        rf"b_i = \frac{{a_i}}{{\left(k + \alpha \sum_{{j=\max(0,\,i-n/2)}}^{{\min(N-1,\,i+n/2)}} a_j^2\right)^{{\beta}}}},"
        rf"\quad k = {result.k:g},\ \alpha = {result.alpha:g},\ n = {result.size},\ \beta = {result.beta:g}"
    )
    rows = pd.DataFrame(
        {
            "i": [row.channel for row in result.rows],
            "a_i": [f"{result.activations[row.channel]:g}" for row in result.rows],
            tr("reg.lrn.window"): [f"{row.first}..{row.last}" for row in result.rows],
            "Σ a_j²": [f"{row.sum_squares:g}" for row in result.rows],
            tr("reg.lrn.denominator"): [f"{row.denominator:.5f}" for row in result.rows],
            "b_i": [f"{row.value:.5f}" for row in result.rows],
            tr("reg.lrn.naive"): [f"{v:.5f}" for v in result.torch_naive],
        }
    )
    st.dataframe(rows, hide_index=True)
    st.plotly_chart(lrn_figure(result, lang()), config=CHART_CONFIG, key="reg_lrn_chart")
    st.markdown(
        tr(
            "reg.lrn.conventions",
            alpha=f"{result.alpha:g}",
            n=result.size,
            torch_alpha=f"{result.torch_alpha:g}",
            gap=f"{result.matched_gap:.1e}",
        )
    )
    for layer in preset_lrn(PRESETS[ALEXNET]):
        key = "reg.lrn.preset_paper" if layer.is_paper_layer else "reg.lrn.preset_other"
        st.markdown(
            tr(
                key,
                number=layer.number,
                torch_alpha=f"{layer.torch_alpha:g}",
                size=layer.size,
                paper_alpha=f"{layer.paper_alpha:g}",
            )
        )
    notice("reg.lrn.notice")
    st.page_link(BUILD_PAGE, label=tr("why.link.build"), icon="🧱")
