"""Presenter mode: ``?present=1`` on any page makes it readable from the back of a room.

The sidebar and the header go, the base font grows (Streamlit sizes everything in rem, so one
root font size scales the whole page), text is black on white, and every chart drawn through
:func:`chart` gets the one presenter theme (:func:`cnnviz.viz.for_presenter`: large fonts, thick
lines). Pages that draw with ``st.plotly_chart`` directly still get larger tick labels and
thicker lines from the stylesheet. The mode is kept in the session, so it survives page switches
(which clear the URL's query parameters); ``?present=0`` turns it off.
Not a page.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from cnnviz.viz import PRESENTER, for_presenter

__all__ = ["chart", "presenter_mode", "presenting"]

_KEY = "present"
_STYLE = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] {{ display: none !important; }}
html {{ font-size: 20px; }}
[data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {PRESENTER.paper}; color: {PRESENTER.ink};
}}
[data-testid="stMainBlockContainer"] {{ padding: 0.6rem 1.2rem 1rem 1.2rem; max-width: 100%; }}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {{
  font-size: 1.15rem; line-height: 1.45; color: {PRESENTER.ink};
}}
[data-testid="stCaptionContainer"] {{ color: #1f2937 !important; }}
.js-plotly-plot .xtick text, .js-plotly-plot .ytick text, .js-plotly-plot .legendtext,
.js-plotly-plot .g-xtitle text, .js-plotly-plot .g-ytitle text {{
  font-size: {PRESENTER.font_px:.0f}px !important; fill: {PRESENTER.ink} !important;
}}
.js-plotly-plot .scatterlayer .js-line {{ stroke-width: {PRESENTER.line_width:.0f}px !important; }}
.stButton button {{ min-height: 2.6rem; font-size: 1.1rem; }}
</style>
"""


def presenter_mode() -> bool:
    """Read ``?present=`` into the session and, when on, restyle the page; True when on.

    Called by app.py on every run, before the page runs."""
    wanted = st.query_params.get(_KEY)
    if wanted in ("1", "0"):
        st.session_state[_KEY] = wanted == "1"
    on = presenting()
    if on:
        st.html(_STYLE)
    return on


def presenting() -> bool:
    """Whether this session shows pages in presenter mode."""
    return bool(st.session_state.get(_KEY, False))


def chart(figure: go.Figure, *, key: str, config: dict[str, Any], **options: Any) -> Any:
    """``st.plotly_chart`` that applies the presenter theme in presenter mode."""
    if presenting():
        figure = for_presenter(figure)
    return st.plotly_chart(figure, key=key, config=config, width="stretch", **options)
