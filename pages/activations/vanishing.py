"""/activations: vanishing gradients in a real backward pass, and the bottleneck block. Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.concepts import (
    ACTIVATION_FUNCTIONS,
    GRADIENT_INITS,
    MAX_DEPTH,
    MIN_DEPTH,
    BlockCount,
    GradientProfile,
    GradientSettings,
    bottleneck_comparison,
    gradient_profile,
    params_ratio,
    sigmoid_bound,
)
from cnnviz.net import (
    Conv2dSpec,
    FlattenSpec,
    GlobalAvgPoolSpec,
    LinearSpec,
    NetSpec,
    ResidualBlockSpec,
)
from cnnviz.viz import gradient_norms_figure
from pages.shared.charts import CHART_CONFIG
from pages.shared.explorer import BUILD_PAGE, last_good, notice
from pages.shared.session import tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["bottleneck_section", "vanishing_section"]

_PAIRS = (("sigmoid", False), ("sigmoid", True), ("relu", False), ("relu", True))


@st.cache_data(max_entries=256, show_spinner=False)
def _profile(settings: GradientSettings) -> GradientProfile:
    return gradient_profile(settings)


@st.cache_data(max_entries=16, show_spinner=False)
def _blocks(width: int) -> tuple[BlockCount, BlockCount]:
    return bottleneck_comparison(width)


def _label(activation: str, residual: bool) -> str:
    return tr(
        "act.van.series",
        fn=tr(f"act.fn.{activation}"),
        kind=tr(f"act.van.{'residual_kind' if residual else 'plain'}"),
    )


def _sci(value: float) -> str:
    return f"{value:.3g}" if 1e-3 <= abs(value) < 1e4 else f"{value:.2e}"


def vanishing_section() -> None:
    """Depth, activation, initialisation, plain or residual: one backward pass, every layer's
    gradient norm, the 0.25^n bound next to the measured ratio, and the four classic pairs."""
    st.header(tr("act.van.title"))
    st.markdown(tr("act.van.intro"))
    set_defaults(
        {"act_depth": 20, "act_fn": "sigmoid", "act_init": "default", "act_residual": False}
    )
    cols = st.columns(4)
    with cols[0]:
        # no min/max in the widget: a depth of 0 or 10,000 reaches the server's check and its
        # message (GradientSettings), which is also what protects the server from a crafted value
        depth = st.number_input(
            tr("act.van.depth", low=MIN_DEPTH, high=MAX_DEPTH),
            step=1,
            key="act_depth",
            persist_state=PERSIST,
        )
    with cols[1]:
        function = st.selectbox(
            tr("act.van.activation"),
            list(ACTIVATION_FUNCTIONS),
            key="act_fn",
            persist_state=PERSIST,
            format_func=lambda name: tr(f"act.fn.{name}"),
        )
    with cols[2]:
        init = st.selectbox(
            tr("act.van.init"),
            list(GRADIENT_INITS),
            help=tr("act.van.init_help"),
            key="act_init",
            persist_state=PERSIST,
            format_func=lambda name: tr(f"act.init.{name}"),
        )
    with cols[3]:
        residual = st.toggle(tr("act.van.residual"), key="act_residual", persist_state=PERSIST)
    profile = last_good(
        "act_van",
        lambda: _profile(GradientSettings(int(depth), str(function), str(init), bool(residual))),
    )
    if profile is None:
        return
    settings = profile.settings
    chart = gradient_norms_figure(
        [(_label(settings.activation, settings.residual), profile.weight_norms)],
        title_key="act.viz.norms",
    )
    st.plotly_chart(chart, config=CHART_CONFIG, key="act_norms_chart")
    n, bound = sigmoid_bound(settings.depth)
    st.markdown(
        tr(
            "act.van.ratio",
            depth=settings.depth,
            ratio=_sci(profile.ratio),
            first=_sci(float(profile.weight_norms[0])),
            last=_sci(float(profile.weight_norms[-1])),
            loss=f"{profile.loss:.4f}",
        )
    )
    if settings.activation == "sigmoid":
        st.latex(rf"0.25^{{n}} = 0.25^{{{n}}} = {_sci(bound)}")
        st.markdown(tr("act.van.bound", n=n, bound=_sci(bound), ratio=_sci(profile.ratio)))
    else:
        st.caption(tr("act.van.bound_other", n=n, bound=_sci(bound)))
    st.subheader(tr("act.van.compare_title"))
    st.caption(
        tr("act.van.compare_caption", depth=settings.depth, init=tr(f"act.init.{settings.init}"))
    )
    series = []
    ratios = []
    for activation, res in _PAIRS:
        other = _profile(GradientSettings(settings.depth, activation, settings.init, res))
        series.append((_label(activation, res), other.weight_norms))
        ratios.append(f"{_label(activation, res)}: **{_sci(other.ratio)}**")
    st.plotly_chart(
        gradient_norms_figure(series, title_key="act.viz.compare"),
        config=CHART_CONFIG,
        key="act_compare_chart",
    )
    st.markdown(tr("act.van.ratios") + " " + " · ".join(ratios))
    notice("act.van.notice")


def _bottleneck_net(width: int) -> NetSpec:
    return NetSpec(
        (1, 28, 28),
        (
            Conv2dSpec(width, (3, 3), padding=(1, 1)),
            ResidualBlockSpec(width),
            ResidualBlockSpec(width, bottleneck=True),
            GlobalAvgPoolSpec(),
            FlattenSpec(),
            LinearSpec(6),
        ),
        name="bottleneck-demo",
    )


def _open_on_build(width: int) -> None:
    st.session_state["net"] = _bottleneck_net(width)


def bottleneck_section() -> None:
    """The 1x1 -> 3x3 -> 1x1 bottleneck against a plain residual block of the same width."""
    st.subheader(tr("act.bottle.title"))
    st.markdown(tr("act.bottle.intro", article=tr("why.article.tcnn")))
    set_defaults({"act_bottle_width": 256})
    width = st.select_slider(
        tr("act.bottle.width"),
        [16, 32, 64, 128, 256, 512],
        key="act_bottle_width",
        persist_state=PERSIST,
    )
    blocks = last_good("act_bottle", lambda: _blocks(int(width)))
    if blocks is None:
        return
    basic, bottleneck = blocks
    col1, col2 = st.columns(2)
    for column, block in ((col1, basic), (col2, bottleneck)):
        with column:
            kind = "bottleneck" if block.bottleneck else "basic"
            st.metric(tr(f"act.bottle.{kind}"), f"{block.params:,}")
            st.code("\n".join(block.formulas[1:]), language=None)
    st.markdown(
        tr(
            "act.bottle.ratio",
            ratio=f"{params_ratio(basic, bottleneck):.1f}",
            width=width,
            mid=bottleneck.inner,
        )
    )
    if st.button(
        tr("act.bottle.open"), key="act_bottle_open", on_click=_open_on_build, args=(int(width),)
    ):
        st.switch_page(BUILD_PAGE)
    st.page_link(BUILD_PAGE, label=tr("why.link.build"), icon="🧱")
