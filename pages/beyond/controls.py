"""The Beyond page's settings (loss, skips, epochs, image size) and its Start / Pause / Resume /
Stop buttons (``on_click`` callbacks in the main script). Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.jobs import SegmentJob
from cnnviz.net import unet_problems
from cnnviz.train import (
    LOSSES,
    MAX_SEGMENT_DEPTH,
    MAX_SEGMENT_EPOCHS,
    MAX_SEGMENT_SIZE,
    MIN_SEGMENT_SIZE,
    SegmentConfig,
)
from pages.beyond.state import (
    SLOT,
    TRANSFER_SLOT,
    W_DEPTH,
    W_EPOCHS,
    W_LOSS,
    W_SIZE,
    W_SKIPS,
    BeyondMeta,
    current_config,
    current_job,
)
from pages.shared.flash import show_flash
from pages.shared.jobs import controls_enabled, pause_job, resume_job, start_job, stop_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = ["buttons_ui", "settings_ui"]


def settings_ui(disabled: bool) -> tuple[SegmentConfig, list[str]]:
    """The settings widgets; returns the config they give and what is wrong with it (texts)."""
    names = {kind: tr(f"beyond.loss.{kind}") for kind in LOSSES}  # AppTest formats outside a run
    st.radio(
        tr("beyond.loss"),
        LOSSES,
        format_func=names.__getitem__,
        key=W_LOSS,
        horizontal=True,
        disabled=disabled,
        persist_state=PERSIST,
    )
    st.toggle(
        tr("beyond.skips"),
        key=W_SKIPS,
        help=tr("beyond.skips_help"),
        disabled=disabled,
        persist_state=PERSIST,
    )
    left, middle, right = st.columns(3)
    middle.number_input(
        tr("beyond.depth"),
        min_value=1,
        max_value=MAX_SEGMENT_DEPTH,
        step=1,
        key=W_DEPTH,
        help=tr("beyond.depth_help"),
        disabled=disabled,
        persist_state=PERSIST,
    )
    left.number_input(
        tr("beyond.epochs"),
        min_value=1,
        max_value=MAX_SEGMENT_EPOCHS,
        step=1,
        key=W_EPOCHS,
        disabled=disabled,
        persist_state=PERSIST,
    )
    right.number_input(
        tr("beyond.image_size"),
        min_value=MIN_SEGMENT_SIZE,
        max_value=MAX_SEGMENT_SIZE,
        step=1,
        key=W_SIZE,
        help=tr("beyond.image_size_help"),
        disabled=disabled,
        persist_state=PERSIST,
    )
    cfg = current_config()
    problems = [m.text(lang()) for m in cfg.problems()]
    if not problems:  # the U-Net's own checks need sizes in range
        problems = [p.message(lang()) for p in unet_problems(cfg.net)]
    return cfg, problems


def _start(cfg: SegmentConfig) -> None:
    number = st.session_state.get("beyond_counter", 0) + 1
    started = start_job(
        "beyond",
        SLOT,
        lambda: SegmentJob(cfg, heartbeat_timeout=60.0),
        BeyondMeta(number, cfg.loss, cfg.skips, cfg.depth),
        exclusive=(TRANSFER_SLOT,),
        busy_text=tr("beyond.busy"),
    )
    if started is not None:
        st.session_state["beyond_counter"] = number


def buttons_ui(cfg: SegmentConfig, can_start: bool) -> None:
    """Start (with the settings above), Pause, Resume, Stop; then what a callback left to say."""
    job = current_job()
    status = job.status if job is not None else "new"
    active = job is not None and job.active
    can_pause, can_resume, can_stop = controls_enabled(status)
    first, second = st.columns(2), st.columns(2)
    cols = [first[0], first[1], second[0], second[1]]
    cols[0].button(
        tr("beyond.start"),
        type="primary",
        on_click=_start,
        args=(cfg,),
        disabled=active or not can_start,
        width="stretch",
        key="beyond_btn_start",
    )
    cols[1].button(
        tr("beyond.pause"),
        on_click=pause_job,
        args=(current_job,),
        disabled=not can_pause,
        width="stretch",
        key="beyond_btn_pause",
    )
    cols[2].button(
        tr("beyond.resume"),
        on_click=resume_job,
        args=(current_job,),
        disabled=not can_resume,
        width="stretch",
        key="beyond_btn_resume",
    )
    cols[3].button(
        tr("beyond.stop"),
        on_click=stop_job,
        args=(current_job,),
        disabled=not can_stop,
        width="stretch",
        key="beyond_btn_stop",
    )
    show_flash("beyond")
