"""Build page: export the network as PyTorch code, as JSON (and load one), or as a share link.

Never a page. Exports the current network when it is valid, else the last valid one. Widget key:
``build_upload``; session keys ``build_upload_seen``/``build_upload_result`` remember the verdict
on the uploaded file, ``build_pending`` hands a good upload to the next run.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from cnnviz.net import SpecError, encode_share, infer, net_from_json, net_to_json, to_pytorch_code
from pages.build.network import Current
from pages.shared.session import lang, tr

__all__ = ["build_link", "exports"]


def build_link(param: str, token: str) -> str:
    """This server's ``/build?<param>=<token>&lang=<lang>`` URL (``net`` for a sequential
    network, ``unet`` for a U-Net)."""
    url = st.context.url or ""
    parts = urlsplit(url)
    query = urlencode({param: token, "lang": lang()})
    path = parts.path if parts.path.rstrip("/").endswith("build") else "/build"
    return urlunsplit((parts.scheme or "http", parts.netloc or "localhost:8501", path, query, ""))


def _upload_section() -> None:
    """Load a network from a JSON file; a bad file is reported and changes nothing."""
    uploaded = st.file_uploader(
        tr("build.upload"), type=["json"], key="build_upload", help=tr("build.upload_help")
    )
    if uploaded is None:
        st.session_state.pop("build_upload_seen", None)
        return
    if st.session_state.get("build_upload_seen") == uploaded.file_id:
        result = st.session_state.get("build_upload_result")
    else:
        st.session_state["build_upload_seen"] = uploaded.file_id
        try:
            net = net_from_json(uploaded.getvalue())
            problems = infer(net).problems
            if problems:
                raise SpecError(problems)
            st.session_state["build_pending"] = net
            st.session_state["build_upload_result"] = ("ok", [])
            st.rerun()
        except SpecError as error:
            result = ("error", error.problems)
        st.session_state["build_upload_result"] = result
    if result and result[0] == "ok":
        st.success(tr("build.upload_ok"), icon="✅")
    elif result:
        st.error(tr("build.upload_bad"), icon="⚠️")
        for problem in result[1]:
            st.error(problem.text(lang()))


def exports(current: Current) -> None:
    """Tabs: PyTorch code and JSON (downloads, upload), and the share link."""
    st.subheader(tr("build.export"))
    if current.ok and current.net is not None:
        net = current.net
        note = None
    else:
        net = st.session_state["net"]
        note = tr("build.export_last_valid")
    if note:
        st.info(note, icon="ℹ️")
    code_tab, json_tab, share_tab = st.tabs(
        [tr("build.tab_code"), tr("build.tab_json"), tr("build.tab_share")]
    )
    file_stem = (net.name or "my-net").replace(" ", "_")
    with code_tab:
        code = to_pytorch_code(net)
        st.download_button(
            tr("build.download_code"),
            code,
            file_name=f"{file_stem}.py",
            mime="text/x-python",
            icon="⬇️",
        )
        st.code(code, language="python")
    with json_tab:
        st.download_button(
            tr("build.download_json"),
            net_to_json(net),
            file_name=f"{file_stem}.json",
            mime="application/json",
            icon="⬇️",
        )
        _upload_section()
    with share_tab:
        token = encode_share(net)
        st.caption(tr("build.share_help"))
        st.code(build_link("net", token), language=None, wrap_lines=True)
