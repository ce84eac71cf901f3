"""Beyond classification: a residual U-Net segments the shapes, one class per pixel.

The run trains in a background job (``cnnviz.jobs.SegmentJob``, in the server's worker pool like
the Train page and the lab); a fragment polls it while it is active. The parts live in
page-private modules: ``pages/beyond/state.py`` (slot, widget keys, finished runs),
``pages/beyond/controls.py`` (settings and buttons), ``pages/beyond/network.py`` (layer table),
``pages/beyond/live.py`` (curves, scores, image row), ``pages/beyond/compare.py`` (runs overlaid),
and ``pages/beyond/transfer.py``, the "Transfer learning" tab (``cnnviz.jobs.TransferJob``).
"""

from __future__ import annotations

import streamlit as st

from pages.beyond.compare import compare_ui
from pages.beyond.controls import buttons_ui, settings_ui
from pages.beyond.live import live_ui
from pages.beyond.network import network_ui
from pages.beyond.state import collect_finished, current_config, current_job
from pages.beyond.transfer import transfer_ui
from pages.shared.session import tr, use_router

use_router()


def segment_ui() -> None:
    """The segmentation section: settings, live run, comparison."""
    st.caption(tr("beyond.intro"))
    with st.expander(tr("beyond.concepts.title")):
        st.markdown(tr("beyond.concepts.body"))
    shown = current_config()
    st.caption(
        tr("beyond.data_note", train=shown.train_size, val=shown.val_size, size=shown.image_size)
    )

    collect_finished()  # a run that ended since the last run of the page joins the comparison
    job = current_job()
    left, right = st.columns([1, 2], gap="medium")
    with left:
        st.subheader(tr("beyond.settings"))
        cfg, problems = settings_ui(disabled=job is not None and job.active)
        for text in problems:
            st.error(text)
        buttons_ui(cfg, can_start=not problems)
        if not problems:
            network_ui(cfg.net)
    with right:
        live_ui()
    compare_ui()


st.title(tr("beyond.title"))
segment_tab, transfer_tab = st.tabs([tr("beyond.tab.segment"), tr("transfer.tab")])
with segment_tab:
    segment_ui()
with transfer_tab:
    transfer_ui()
