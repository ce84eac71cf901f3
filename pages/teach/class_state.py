"""The live class's plumbing for its pages: the one store of the server, the training queue, and
who this browser session is in a class (the teacher, a student, or nobody). Not a page.

Session-state keys: ``class_join_attempts`` (times of recent join attempts, for the rate limit),
``class_seen`` (the class version this page last drew), ``class_answered`` (question ids this
student answered in this session), ``class_reported`` (when the page last reported its step).
Who someone is lives in the URL, so a closed tab or a server restart resumes: the teacher's link
carries ``code`` and the secret ``key``; a student's carries ``join`` and their own random id
``me`` (as unguessable as the teacher's secret: nobody else can answer in their name).
"""

from __future__ import annotations

import streamlit as st

from cnnviz.jobs import shared_limiter, started_pool
from cnnviz.teach import ClassStore, SqliteStore, class_limits, class_path

__all__ = ["class_store", "join_url", "queue_counts", "teacher_url"]


@st.cache_resource(show_spinner=False)
def class_store() -> ClassStore:
    """The server's class store: one SQLite file in the data folder."""
    return SqliteStore(class_path(), class_limits())


def _base() -> str:
    url = st.context.url or ""
    return url.rstrip("/").rsplit("/class", 1)[0] if url else ""


def join_url(code: str) -> str:
    """The address students open to join (the QR code's content)."""
    return f"{_base()}/class?join={code}"


def teacher_url(code: str, secret: str) -> str:
    """The teacher's link: whoever holds it drives the class."""
    return f"{_base()}/class?code={code}&key={secret}"


def queue_counts() -> tuple[int, int]:
    """(jobs training now, jobs waiting) on this server, for the teacher's dashboard."""
    pool = started_pool()
    if pool is None:  # no job has run in a worker process yet (or jobs run as threads)
        limiter = shared_limiter()
        return limiter.running, limiter.waiting
    infos = pool.jobs()
    running = sum(info.queue_position is None for info in infos)
    return running, len(infos) - running
