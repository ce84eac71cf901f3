"""/losses: softmax with a temperature, cross-entropy with its formula filled in; the article's
probabilities, or logits, or the worked example's logits. Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.concepts import (
    MAX_TEMPERATURE,
    MIN_TEMPERATURE,
    SEED001_PREDICTION,
    SEED001_TARGET,
    ProbabilityCE,
    SoftmaxResult,
    logits_from_probabilities,
    parse_vector,
    probability_cross_entropy,
    softmax_explain,
)
from cnnviz.lessons import run_walkthrough
from cnnviz.viz import format_number, softmax_bars
from pages.shared.charts import CHART_CONFIG
from pages.shared.explorer import last_good, notice
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults, set_values

__all__ = ["SoftmaxInput", "softmax_section"]

ARTICLE_TEXT = ", ".join(f"{q:.4f}" for q in SEED001_PREDICTION)
SoftmaxInput = tuple[SoftmaxResult, ProbabilityCE | None]


@st.cache_resource
def _walkthrough_logits() -> tuple[float, ...]:
    """The worked example's dense outputs, computed once per process by cnnviz.lessons."""
    return tuple(float(v) for v in run_walkthrough().logits)


@st.cache_data(max_entries=256, show_spinner=False)
def _compute(mode: str, text: str, target: int, temperature: float) -> SoftmaxInput:
    if mode == "probabilities":
        values = parse_vector(text)
        article = probability_cross_entropy(values, target)
        return softmax_explain(logits_from_probabilities(values), target, temperature), article
    return softmax_explain(parse_vector(text), target, temperature), None


def _load_article() -> None:
    set_values(
        {
            "loss_mode": "probabilities",
            "loss_text": ARTICLE_TEXT,
            "loss_target": SEED001_TARGET,
            "loss_temp": 1.0,
        }
    )


def _load_walkthrough() -> None:
    logits = _walkthrough_logits()
    text = ", ".join(f"{v:.7g}" for v in logits)
    best = max(range(len(logits)), key=lambda k: logits[k])
    set_values({"loss_mode": "logits", "loss_text": text, "loss_target": best, "loss_temp": 1.0})


def softmax_section() -> SoftmaxInput | None:
    """Editable logits (or probabilities) and a target; returns the result for the catalogue."""
    st.header(tr("loss.soft.title"))
    st.markdown(tr("loss.soft.intro", article=tr("why.article.dnn")))
    set_defaults(
        {
            "loss_mode": "probabilities",
            "loss_text": ARTICLE_TEXT,
            "loss_target": SEED001_TARGET,
            "loss_temp": 1.0,
        }
    )
    buttons = st.columns(2)
    with buttons[0]:
        st.button(tr("loss.soft.load_article"), key="loss_load_article", on_click=_load_article)
    with buttons[1]:
        st.button(
            tr("loss.soft.load_walk", article=tr("why.article.cnn003")),
            key="loss_load_walk",
            on_click=_load_walkthrough,
        )
    cols = st.columns([1, 3, 1, 1])
    with cols[0]:
        mode = st.radio(
            tr("loss.soft.mode"),
            ["probabilities", "logits"],
            key="loss_mode",
            persist_state=PERSIST,
            format_func=lambda m: tr(f"loss.soft.mode.{m}"),
        )
    with cols[1]:
        text = st.text_input(tr(f"loss.soft.text.{mode}"), key="loss_text", persist_state=PERSIST)
    with cols[2]:
        target = st.number_input(
            tr("loss.soft.target"),
            min_value=0,
            max_value=31,
            step=1,
            key="loss_target",
            persist_state=PERSIST,
        )
    with cols[3]:
        temperature = st.slider(
            tr("loss.soft.temperature"),
            MIN_TEMPERATURE,
            MAX_TEMPERATURE / 4,
            step=0.05,
            key="loss_temp",
            persist_state=PERSIST,
        )
    computed = last_good(
        "loss_soft", lambda: _compute(str(mode), str(text), int(target), float(temperature))
    )
    if computed is None:
        return None
    result, article = computed
    st.plotly_chart(softmax_bars(result, lang()), config=CHART_CONFIG, key="loss_softmax_chart")
    t, p = result.target, result.target_probability
    if article is not None:
        q_t = float(article.probabilities[t])
        st.latex(
            rf"L = -\sum_k p_k \ln q_k = -\ln q_{{{t}}} = -\ln {format_number(q_t) if q_t < 0.01 else f'{q_t:.4f}'} = {article.loss:.3f}"
        )
        st.markdown(
            tr(
                "loss.soft.article_sum",
                total=f"{article.total:.4f}",
                renorm=f"{p:.5f}",
                loss=f"{result.loss:.4f}",
            )
        )
    st.latex(
        rf"L = -\ln \mathrm{{softmax}}(z / T)_{{{t}}} = -\ln {p:.5g} = {result.loss:.4f}\quad (T = {result.temperature:g})"
    )
    grad = ", ".join(f"{g:+.4f}" for g in result.grad)
    st.markdown(tr("loss.soft.grad", grad=grad, predicted=result.predicted))
    notice("loss.soft.notice")
    return computed
