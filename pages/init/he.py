"""The Initialisation page, part 2: He's Var(w) = 2/n with the fan-in of your network. Not a page.

The network is the Build page's (``st.session_state["net"]``), or the default preset before the
learner has built one; every conv and linear layer is listed with its fan-in.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.concepts import FanIn, fan_in_rows
from cnnviz.net import DEFAULT_PRESET, NetSpec, get_preset
from pages.shared.session import tr
from pages.shared.widgets import PERSIST

__all__ = ["he_ui"]

BUILD_PAGE = "pages/build/page.py"


@st.cache_data(max_entries=64, show_spinner=False)
def _rows(net: NetSpec) -> list[FanIn]:
    return fan_in_rows(net)


def _formula(row: FanIn) -> str:
    if row.kind == "linear":
        parts = tr("init.he.n_linear", n=row.fan_in)
    elif row.groups > 1:
        parts = tr(
            "init.he.n_conv_groups",
            c=row.in_channels,
            g=row.groups,
            kh=row.kernel[0],
            kw=row.kernel[1],
            n=row.fan_in,
        )
    else:
        parts = tr(
            "init.he.n_conv", c=row.in_channels, kh=row.kernel[0], kw=row.kernel[1], n=row.fan_in
        )
    return tr(
        "init.he.filled", parts=parts, n=row.fan_in, var=f"{row.variance:.4g}", std=f"{row.std:.4g}"
    )


def he_ui() -> None:
    """Pick a layer of your network; its fan-in, Var(w) = 2/n and the standard deviation."""
    st.markdown(tr("init.he.intro"))
    built = st.session_state.get("net")
    net = built if isinstance(built, NetSpec) else get_preset(DEFAULT_PRESET)
    name = net.name or tr("init.he.custom")
    st.caption(
        tr("init.he.from_build" if isinstance(built, NetSpec) else "init.he.from_preset", name=name)
    )
    st.page_link(BUILD_PAGE, label=tr("init.he.to_build"), icon="🧱")
    rows = _rows(net)
    if not rows:
        st.info(tr("init.he.none"))
        return
    labels = [tr("init.he.layer", number=row.number, label=row.label) for row in rows]
    choice = int(st.session_state.get("init_w_layer", 0))
    if not 0 <= choice < len(rows):
        st.session_state["init_w_layer"] = 0
    index = st.selectbox(
        tr("init.he.pick"),
        range(len(rows)),
        key="init_w_layer",
        persist_state=PERSIST,
        format_func=lambda i: labels[i],
    )
    st.markdown(_formula(rows[int(index)]))
    st.dataframe(
        {
            tr("init.he.col_layer"): labels,
            tr("init.he.col_n"): [row.fan_in for row in rows],
            tr("init.he.col_var"): [f"{row.variance:.4g}" for row in rows],
            tr("init.he.col_std"): [f"{row.std:.4g}" for row in rows],
        },
        hide_index=True,
    )
    st.markdown(tr("init.he.notice"))
