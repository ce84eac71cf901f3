"""/regularize: inverted dropout on one layer's activations. Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.concepts import (
    MAX_P,
    DropoutCheck,
    DropoutDemo,
    dropout_demo,
    layer_activations,
    nn_dropout_check,
)
from cnnviz.viz import dropout_convergence_figure, dropout_figure
from pages.shared.charts import CHART_CONFIG
from pages.shared.explorer import last_good, notice
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["dropout_section"]


@st.cache_data(max_entries=256, show_spinner=False)
def _demo(picture: int, p: float, seed: int) -> DropoutDemo:
    return dropout_demo(layer_activations(picture), p, seed=seed)


@st.cache_data(max_entries=64, show_spinner=False, ttl=600)
def _check(picture: int, p: float) -> DropoutCheck:
    return nn_dropout_check(layer_activations(picture), p)


def _resample() -> None:
    st.session_state["reg_seed"] = int(st.session_state.get("reg_seed", 0)) + 1


def dropout_section() -> None:
    """A seeded mask, train against eval, the expected sum, 1,000 masks, and nn.Dropout."""
    st.header(tr("reg.drop.title"))
    st.markdown(tr("reg.drop.intro", article=tr("why.article.cnn002")))
    set_defaults({"reg_p": 0.5, "reg_seed": 0, "reg_picture": 0})
    cols = st.columns([2, 1, 1, 1])
    with cols[0]:
        p = st.number_input(
            tr("reg.drop.p"),
            0.0,
            1.0,
            step=0.05,
            key="reg_p",
            persist_state=PERSIST,
            format="%.2f",
            help=tr("reg.drop.p_help", high=f"{MAX_P:g}"),
        )
    with cols[1]:
        picture = st.number_input(
            tr("reg.drop.picture"), 0, 31, step=1, key="reg_picture", persist_state=PERSIST
        )
    with cols[2]:
        seed = st.number_input(
            tr("reg.drop.seed"), 0, 10_000, step=1, key="reg_seed", persist_state=PERSIST
        )
    with cols[3]:
        st.button(tr("reg.drop.resample"), key="reg_resample", on_click=_resample)
    demo = last_good("reg_drop", lambda: _demo(int(picture), float(p), int(seed)))
    if demo is None:
        return
    st.plotly_chart(dropout_figure(demo, lang()), config=CHART_CONFIG, key="reg_dropout_chart")
    total, this_mask, mean_total = demo.sums
    scale = demo.scale
    st.latex(
        rf"y_i = \frac{{h_i\,m_i}}{{1-p}} = h_i\,m_i \times {scale:.4g},\qquad"
        rf"\mathbb{{E}}[y_i] = (1-p)\,\frac{{h_i}}{{1-p}} = h_i"
    )
    st.markdown(
        tr(
            "reg.drop.sums",
            total=f"{total:.3f}",
            this_mask=f"{this_mask:.3f}",
            kept=int(demo.keep.sum()),
            units=len(demo.keep),
            mean_total=f"{mean_total:.3f}",
            count=len(demo.running_mean),
        )
    )
    st.plotly_chart(
        dropout_convergence_figure(demo, lang()), config=CHART_CONFIG, key="reg_convergence_chart"
    )
    # the last good p (a refused p has already said why, once)
    check = last_good("reg_drop_check", lambda: _check(int(picture), demo.p))
    if check is not None:
        st.markdown(
            tr(
                "reg.drop.check",
                draws=check.draws,
                dropped=f"{100 * check.dropped_fraction:.1f}",
                p=f"{100 * demo.p:.0f}",
                kept="✅" if check.kept_values_match else "❌",
                identity="✅" if check.eval_is_identity else "❌",
                gap=f"{check.mean_gap:.3f}",
            )
        )
    notice("reg.drop.notice")
