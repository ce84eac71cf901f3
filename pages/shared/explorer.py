"""What the Concepts explorers share: bad input that keeps the last good state, and the panel of a
background job (queued, progress, stop, failure). Not a page.

``last_good(key, compute)`` runs a library computation on the learner's settings; when it raises a
:class:`cnnviz.i18n.MessageError` (a value out of range, NaN, a ragged vector...) the page shows
the message, says the last valid result is still shown, and returns that result, kept in session
state under ``key``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from cnnviz.i18n import MessageError
from cnnviz.jobs import BackgroundJob
from pages.shared.jobs import job_error_text, queued_notice
from pages.shared.session import show_error, tr

__all__ = ["BUILD_PAGE", "TRAIN_PAGE", "job_progress", "last_good", "notice", "stop_button"]

#: Where the explorers link when a concept is a layer (Build) or a setting (Train).
BUILD_PAGE = "pages/build/page.py"
TRAIN_PAGE = "pages/train/page.py"

T = TypeVar("T")


def last_good(key: str, compute: Callable[[], T]) -> T | None:
    """``compute()``, remembered as the last good result of ``key``; on a MessageError, the
    message and the last good result (None before the first one)."""
    slot = f"{key}__last_good"
    try:
        value = compute()
    except MessageError as error:
        show_error(error)
        kept = st.session_state.get(slot)
        if kept is not None:
            st.caption(tr("why.input.kept"))
        return kept
    st.session_state[slot] = value
    return value


def notice(key: str) -> None:
    """The "what to notice" box of a section."""
    st.info(f"**{tr('why.notice')}.** {tr(key)}", icon="💡")


def stop_button(job: BackgroundJob, key: str) -> None:
    """Stop for an active job (drawn in the main script: a button inside a polling fragment
    would wait behind the running script); the reason for a failed one."""
    if job.status == "failed":
        st.error(tr("why.job.failed", error=job_error_text(job)))
    elif job.active:
        st.button(tr("why.job.stop"), key=key, on_click=job.stop)


def job_progress(job: BackgroundJob, progress: float, text: str | None = None) -> None:
    """Queue position and progress of an active job (inside its polling fragment)."""
    if job.status == "queued":
        queued_notice(job, "why.job.queued")
    st.progress(min(1.0, max(0.0, progress)), text=text)
