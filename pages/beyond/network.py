"""The Beyond page's table of the U-Net: every layer's shapes and parameter count, and the
problem when the image size does not fit, and the way to the Build page's U-Net view (the same
network's diagram and shapes). Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.net import SpecError, UNetSpec, infer_unet
from pages.shared.session import lang, tr
from pages.shared.unet_handoff import show_on_build

__all__ = ["network_ui"]


def _shape(shape: tuple[int, int, int]) -> str:
    return " x ".join(str(n) for n in shape)


def network_ui(net: UNetSpec) -> None:
    """The layer table (inside an expander), or nothing when the sizes do not fit (the settings
    show why); above it, the link to this network on the Build page."""
    if st.button(
        tr("beyond.to_build"),
        key="beyond_to_build",
        icon=":material/account_tree:",
        type="tertiary",
    ):
        show_on_build(net)
    with st.expander(tr("beyond.net.title")):
        try:
            rows = infer_unet(net)
        except SpecError as exc:
            for problem in exc.problems:
                st.error(problem.message(lang()))
            return
        st.caption(tr("beyond.net.caption", params=f"{sum(row.params for row in rows):,}"))
        st.dataframe(
            {
                tr("beyond.col.layer"): [row.name for row in rows],
                tr("beyond.col.kind"): [tr(f"beyond.kind.{row.kind}") for row in rows],
                tr("beyond.col.input"): [_shape(row.input_shape) for row in rows],
                tr("beyond.col.output"): [_shape(row.output_shape) for row in rows],
                tr("beyond.col.params"): [row.params for row in rows],
                tr("beyond.col.skip"): [
                    f"{row.skip_from} ({_shape(row.skip_shape)})" if row.skip_shape else ""
                    for row in rows
                ],
            },
            hide_index=True,
            width="stretch",
        )
