"""The Initialisation page, part 1: a deep stack under each initialisation. Not a page.

One forward and one backward pass of a 10-layer stack on 128 real images (16 for the conv stack)
per setting, cached for the whole server: histograms per layer, standard deviation per layer for
every initialisation, and what they show in words.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.concepts import (
    INIT_SCHEMES,
    PROBE_BATCH,
    STACK_DEPTH,
    TOY_DATA,
    LayerProbe,
    StackSpec,
    probe_stack,
    stack_verdicts,
)
from cnnviz.data import DataError
from cnnviz.i18n import t
from cnnviz.viz import layer_histograms_figure, layer_std_figure
from pages.shared.charts import CHART_CONFIG
from pages.shared.datasets import dataset
from pages.shared.session import lang, show_error, tr
from pages.shared.widgets import PERSIST

__all__ = ["stack_ui"]


@st.cache_data(max_entries=48, show_spinner=False)
def _probe(spec: StackSpec) -> list[LayerProbe]:
    data = dataset(TOY_DATA)
    count = PROBE_BATCH[spec.kind]
    return probe_stack(spec, data.val_x[:count], data.val_y[:count], data.num_classes)


def _controls() -> tuple[str, str, str]:
    language = lang()
    cols = st.columns([1, 1, 3])
    cols[0].radio(
        tr("init.stack.kind"),
        ["linear", "conv"],
        key="init_w_kind",
        persist_state=PERSIST,
        format_func=lambda v, language=language: t(f"init.stack.kind_{v}", language),
    )
    cols[1].radio(
        tr("init.stack.activation"),
        ["tanh", "relu"],
        key="init_w_activation",
        persist_state=PERSIST,
        format_func=lambda v, language=language: t(f"init.stack.act_{v}", language),
    )
    cols[2].radio(
        tr("init.stack.scheme"),
        INIT_SCHEMES,
        key="init_w_scheme",
        persist_state=PERSIST,
        horizontal=True,
        format_func=lambda v, language=language: t(f"init.scheme.{v}", language),
    )
    state = st.session_state
    return state["init_w_kind"], state["init_w_activation"], state["init_w_scheme"]


def stack_ui() -> None:
    """Choose the stack and the initialisation; see every layer's activations and gradients."""
    st.markdown(tr("init.stack.intro", depth=STACK_DEPTH))
    kind, activation, scheme = _controls()
    try:
        per_scheme = {s: _probe(StackSpec(kind, activation, s)) for s in INIT_SCHEMES}
    except DataError as exc:
        show_error(exc)
        return
    probes = per_scheme[scheme]
    st.caption(tr(f"init.scheme_about.{scheme}"))
    st.plotly_chart(
        layer_histograms_figure(probes, "act", lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="init_hist_act",
    )
    st.plotly_chart(
        layer_histograms_figure(probes, "grad", lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="init_hist_grad",
    )
    first, last = probes[0], probes[-1]
    for verdict in stack_verdicts(probes):
        st.markdown(
            tr(
                f"init.verdict.{verdict}",
                a1=f"{first.act_std:.2g}",
                a10=f"{last.act_std:.2g}",
                g1=f"{first.grad_std:.2g}",
                g10=f"{last.grad_std:.2g}",
                last=last.index,
                saturated=f"{100 * last.act_saturated:.0f}",
            )
        )
    st.plotly_chart(
        layer_std_figure(per_scheme, scheme, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="init_std",
    )
    st.markdown(tr("init.stack.notice"))
