"""The background work of the /inside page: starting it, stopping it and following it.

Everything that takes longer than an interaction (training the default network or a comparison
network, activation maximisation, the linear probe) runs as a job of ``cnnviz.jobs`` in the
server's pool, started with ``pages.shared.jobs.start_job`` into a slot of this page
(``inside_job``, ``inside_variant``, ``inside_max``, ``inside_probe``). :func:`follow` draws a
job in a fragment that polls it once a second while it is active and reruns the page once when
it ends. Never a page itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from cnnviz.jobs import BackgroundJob, EventLogJob, TrainingJob
from pages.shared.jobs import job_error_text, queued_notice, slot_entry, slot_job
from pages.shared.session import lang, tr

__all__ = ["QUICK_SLOT", "follow", "job_meta", "progress_line", "stop_job"]

#: The slot of the default network trained from this page when the session has none.
QUICK_SLOT = "inside_job"


def job_meta(slot: str) -> Any:
    """The ``meta`` the page stored with the job in ``slot`` (None before the first start)."""
    entry = slot_entry(slot)
    return entry.meta if entry is not None else None


def stop_job(slot: str) -> None:
    """Stop button callback: ask the job in ``slot`` to stop (it keeps what it has)."""
    job = slot_job(slot)
    if job is not None:
        job.stop()


def _fraction(job: BackgroundJob) -> float:
    if isinstance(job, TrainingJob):
        return job.snapshot().progress
    if isinstance(job, EventLogJob) and job.progress is not None:
        return job.progress.fraction
    return 0.0


def progress_line(job: BackgroundJob) -> None:
    """Where the job stands: queued (with its place), a progress bar, or why it failed."""
    status = job.status
    if status == "failed":
        st.error(job_error_text(job), icon="⚠️")
        return
    if queued_notice(job, "inside.job.queued", icon="⏳"):
        return
    if job.active:
        text = tr(f"inside.job.status.{status}") if status != "running" else ""
        if isinstance(job, EventLogJob) and job.progress is not None:
            message = job.progress.message
            if message is not None:
                text = message.text(lang())
        st.progress(_fraction(job), text=text or None)


def follow(slot: str, draw: Callable[[BackgroundJob], None], key: str) -> None:
    """Draw the job in ``slot`` with ``draw(job)`` in a fragment that reruns every second while
    the job is active (stamping its heartbeat) and reruns the whole page once when it ends."""
    job = slot_job(slot)
    if job is None:
        return
    active = job.active

    @st.fragment(run_every=1.0 if active else None)
    def _panel() -> None:
        current = slot_job(slot)
        if current is None:
            return
        if current.active:
            current.heartbeat()
        with st.container(key=key):
            draw(current)
        if active and not current.active:
            st.rerun(scope="app")

    _panel()
