"""Build page: export the U-Net as PyTorch code, as JSON, or as a ``?unet=`` share link, and take
such a link when the page opens. Never a page.

The Build page's U-Net view calls :func:`take_unet_link` early in a run (a spec from the URL, or
None) and :func:`unet_exports` under its table. Messages about a link are flash messages of page
``"build"`` (``pages.shared.flash``). Every limit on a token is checked on the server, in
:func:`cnnviz.net.decode_unet_link`.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.net import (
    UNET_SCHEMA_VERSION,
    SpecError,
    UNetSpec,
    decode_unet_link,
    encode_unet_link,
    unet_code,
    unet_to_json,
)
from pages.build.export import build_link
from pages.shared.flash import flash
from pages.shared.session import lang, tr

__all__ = ["take_unet_link", "unet_exports"]

_PARAM = "unet"


def _file_stem(spec: UNetSpec) -> str:
    """``unet-d2-s32``: the depth and size in the downloaded files' names."""
    skips = "" if spec.skips else "-noskip"
    return f"unet-d{spec.depth}-s{spec.image_size}{skips}"


def unet_exports(spec: UNetSpec) -> None:
    """Tabs: the PyTorch code (shown and downloadable), the JSON document, the share link.

    While the input size does not fit the depth there is no code (the page explains the
    mismatch above); the JSON and the link still carry the settings.
    """
    st.subheader(tr("unet_export.title"))
    code_tab, json_tab, share_tab = st.tabs(
        [tr("unet_export.tab_code"), tr("unet_export.tab_json"), tr("unet_export.tab_share")]
    )
    stem = _file_stem(spec)
    with code_tab:
        try:
            code = unet_code(spec)
        except SpecError:
            st.info(tr("unet_export.no_code"), icon="ℹ️")
        else:
            st.caption(tr("unet_export.code_help"))
            st.download_button(
                tr("unet_export.download_code"),
                code,
                file_name=f"{stem}.py",
                mime="text/x-python",
                icon="⬇️",
                key="unet_export_download_code",
            )
            st.code(code, language="python")
    with json_tab:
        document = unet_to_json(spec)
        st.caption(tr("unet_export.json_help", version=UNET_SCHEMA_VERSION))
        st.download_button(
            tr("unet_export.download_json"),
            document,
            file_name=f"{stem}.json",
            mime="application/json",
            icon="⬇️",
            key="unet_export_download_json",
        )
        st.code(document, language="json")
    with share_tab:
        st.caption(tr("unet_export.share_help"))
        st.code(build_link(_PARAM, encode_unet_link(spec)), language=None, wrap_lines=True)


def take_unet_link() -> UNetSpec | None:
    """The U-Net in the URL's ``?unet=`` token, once: the parameter is removed so that a reload
    does not apply it again. A good token flashes a success and returns its spec; a bad one
    flashes what is wrong (in the session's language) and returns None, changing nothing."""
    token = st.query_params.get(_PARAM)
    if token is None:
        return None
    del st.query_params[_PARAM]
    try:
        spec = decode_unet_link(token)
    except SpecError as error:
        flash("build", "error", tr("unet_export.link_bad"))
        for problem in error.problems:
            flash("build", "error", problem.text(lang()))
        return None
    flash("build", "success", tr("unet_export.link_restored"))
    return spec
