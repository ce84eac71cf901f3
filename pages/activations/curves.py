"""/activations: the curves with their derivatives, the cursor readout, and why a non-linearity.
Not a page."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.concepts import (
    ACTIVATION_FUNCTIONS,
    ActivationCurve,
    LinearCollapse,
    Readout,
    activation_curves,
    linear_collapse,
    readout,
)
from cnnviz.viz import activation_figure_pair, format_number
from pages.shared.charts import CHART_CONFIG
from pages.shared.explorer import last_good, notice
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["curves_section", "linearity_section"]


@st.cache_data(max_entries=256, show_spinner=False)
def _curves(names: tuple[str, ...], prelu: float, leaky: float) -> tuple[ActivationCurve, ...]:
    return activation_curves(names, prelu_slope=prelu, leaky_slope=leaky)


@st.cache_data(max_entries=256, show_spinner=False)
def _readout(names: tuple[str, ...], x: float, prelu: float, leaky: float) -> tuple[Readout, ...]:
    return readout(names, x, prelu_slope=prelu, leaky_slope=leaky)


@st.cache_data(max_entries=128, show_spinner=False)
def _collapse(text: str, seed: int) -> LinearCollapse:
    return linear_collapse(text, seed=seed)


def _name(key: str) -> str:
    return tr(f"act.fn.{key}")


def curves_section() -> None:
    """Pick functions, move the cursor: f and f' side by side, saturated regions shaded."""
    st.header(tr("act.curves.title"))
    st.markdown(tr("act.curves.intro"))
    set_defaults(
        {
            "act_names": ["sigmoid", "tanh", "relu"],
            "act_cursor": 2.5,
            "act_prelu": 0.25,
            "act_leaky": 0.01,
        }
    )
    names = st.multiselect(
        tr("act.curves.pick"),
        list(ACTIVATION_FUNCTIONS),
        key="act_names",
        persist_state=PERSIST,
        format_func=_name,
    )
    left, middle, right = st.columns([2, 1, 1])
    with left:
        cursor = st.slider(
            tr("act.curves.cursor"), -6.0, 6.0, step=0.1, key="act_cursor", persist_state=PERSIST
        )
    with middle:
        prelu = st.slider(
            tr("act.curves.prelu"), -0.5, 1.0, step=0.05, key="act_prelu", persist_state=PERSIST
        )
    with right:
        leaky = st.slider(
            tr("act.curves.leaky"), 0.0, 0.5, step=0.01, key="act_leaky", persist_state=PERSIST
        )
    chosen = tuple(name for name in ACTIVATION_FUNCTIONS if name in names)
    if not chosen:
        st.warning(tr("act.curves.none"))
        return
    curves = last_good("act_curves", lambda: _curves(chosen, prelu, leaky))
    reads = last_good("act_readout", lambda: _readout(chosen, cursor, prelu, leaky))
    if curves is None or reads is None:
        return
    values_fig, derivatives_fig = activation_figure_pair(curves, cursor, lang())
    col1, col2 = st.columns(2)
    with col1:
        st.plotly_chart(values_fig, config=CHART_CONFIG, key="act_values_chart")
    with col2:
        st.plotly_chart(derivatives_fig, config=CHART_CONFIG, key="act_derivatives_chart")
    st.caption(tr("act.curves.shading"))
    table = pd.DataFrame(
        {
            tr("act.col.function"): [_name(r.name) for r in reads],
            "f(x)": [format_number(r.value) for r in reads],
            "f′(x)": [format_number(r.derivative) for r in reads],
            "∂f/∂a": ["" if r.slope_grad is None else format_number(r.slope_grad) for r in reads],
        }
    )
    st.markdown(tr("act.curves.readout", x=format_number(cursor)))
    st.dataframe(table, hide_index=True)
    notice("act.curves.notice")


def _matrix(values: object) -> str:
    rows = np.atleast_2d(np.asarray(values))
    body = r" \\ ".join(" & ".join(format_number(v) for v in row) for row in rows)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def linearity_section() -> None:
    """Two linear layers are one matrix; a ReLU between them is not."""
    st.header(tr("act.lin.title"))
    st.markdown(tr("act.lin.intro"))
    set_defaults({"act_lin_x": "1, -2, 0.5", "act_lin_seed": 0})
    col1, col2 = st.columns([3, 1])
    with col1:
        text = st.text_input(tr("act.lin.x"), key="act_lin_x", persist_state=PERSIST)
    with col2:
        seed = st.number_input(
            tr("act.lin.seed"), 0, 999, step=1, key="act_lin_seed", persist_state=PERSIST
        )
    result = last_good("act_lin", lambda: _collapse(text, int(seed)))
    if result is None:
        return
    x = result.x.reshape(-1, 1)
    st.latex(
        rf"W_2 W_1 = {_matrix(result.w2)} {_matrix(result.w1)} = {_matrix(result.weight)},\quad"
        rf" W_2 b_1 + b_2 = {_matrix(result.bias.reshape(-1, 1))}"
    )
    st.latex(
        rf"W_2 (W_1 x + b_1) + b_2 = {_matrix(result.stacked.reshape(-1, 1))}"
        rf" = (W_2 W_1) x + (W_2 b_1 + b_2),\quad x = {_matrix(x)}"
    )
    st.latex(
        rf"W_2\,\mathrm{{ReLU}}(W_1 x + b_1) + b_2 = {_matrix(result.with_relu.reshape(-1, 1))}"
    )
    st.markdown(
        tr(
            "act.lin.result",
            linear=format_number(result.gap_linear),
            relu=format_number(result.gap_relu),
        )
    )
    notice("act.lin.notice")
