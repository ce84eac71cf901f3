"""Convolution stepper: its share link, ``/conv?conv=<token>``. Never a page.

As on the Build page, the address bar always holds the link to what is shown: ``publish_link``
writes the token of the current settings, filter and output cell (``cnnviz.lessons.
encode_conv_link``) on every run, and ``share_section`` shows it. ``take_link`` opens a link the
session has not written itself, checked on the server like any input
(``cnnviz.lessons.decode_conv_link``: every limit re-checked); a bad link is refused with a
message and the stepper keeps its settings.

A rerun carries the address bar as the browser has it, which can lag the server's last write: a
quick second click on "Next" may arrive with the token of the cell before. So the session keeps
every token it wrote lately (``conv_links_written``, the last :data:`_KEPT`), not only the last
one, and a token of its own is never "opened" again (that sent the stepper back a cell, or to
its start, under load).
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from cnnviz.lessons import LINKED_SOURCES, ConvSettings, decode_conv_link, encode_conv_link
from cnnviz.net import SpecError
from pages.conv.settings import widget_values
from pages.shared.flash import flash
from pages.shared.session import lang, tr

__all__ = ["publish_link", "share_section", "take_link"]

_WRITTEN = "conv_links_written"
_KEPT = 64  # tokens: far more than the runs a browser can lag behind


def _written() -> list[str]:
    kept = st.session_state.get(_WRITTEN)
    return kept if isinstance(kept, list) else []


def _remember(token: str) -> None:
    kept = [t for t in _written() if t != token]
    st.session_state[_WRITTEN] = [*kept[-(_KEPT - 1) :], token]


def take_link() -> None:
    """Open the URL's ``?conv=`` link unless this session wrote it (before any widget is drawn)."""
    token = st.query_params.get("conv")
    if not token or token in _written():
        return
    _remember(token)  # refused or opened: once
    try:
        link = decode_conv_link(token)
    except SpecError as error:
        for problem in error.problems:
            flash("conv", "error", problem.text(lang()))
        return
    st.session_state.pop("conv_request", None)  # a link replaces a Build-page layer
    st.session_state.update(widget_values(link.settings))
    st.session_state.update(conv_filter=link.filter_index, conv_pos=link.position)
    flash("conv", "success", tr("conv.link_opened"))


def publish_link(settings: ConvSettings, filter_index: int, position: int) -> str:
    """Put the link of what is shown into the address bar; return its token."""
    token = encode_conv_link(settings, filter_index, position)
    if st.query_params.get("conv") != token:
        st.query_params["conv"] = token
    _remember(token)
    return token


def _link_url(token: str) -> str:
    """This server's ``/conv?conv=<token>&lang=<lang>`` URL."""
    parts = urlsplit(st.context.url or "")
    query = urlencode({"conv": token, "lang": lang()})
    path = parts.path if parts.path.rstrip("/").endswith("conv") else "/conv"
    return urlunsplit((parts.scheme or "http", parts.netloc or "localhost:8501", path, query, ""))


def share_section(settings: ConvSettings, token: str) -> None:
    """The link, and what it leaves behind (typed grids, an upload, a Build-page layer)."""
    st.markdown(tr("conv.share_title"))
    st.caption(tr("conv.share_help"))
    if settings.source not in LINKED_SOURCES:
        st.caption(tr("conv.share_source_left"))
    st.code(_link_url(token), language=None, wrap_lines=True)
