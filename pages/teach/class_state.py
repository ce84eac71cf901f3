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

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from cnnviz.jobs import shared_limiter, started_pool
from cnnviz.teach import ClassError, ClassStore, open_class_store
from pages.shared.session import lang

__all__ = [
    "STORE_DOWN",
    "class_store",
    "join_url",
    "queue_counts",
    "store_reachable",
    "teacher_url",
]

#: Errors that say the store itself is not there (Redis down or misconfigured), not the class.
STORE_DOWN = frozenset(
    {"class.error.store_down", "class.error.store_url", "class.error.store_client"}
)


@st.cache_resource(show_spinner=False)
def class_store() -> ClassStore:
    """The server's class store: Redis at ``CNNVIZ_REDIS_URL`` when set (every app server sees the
    same class), else one SQLite file in the data folder."""
    return open_class_store()


@contextmanager
def store_reachable(stop: bool = True) -> Iterator[None]:
    """Show "the class store cannot be reached" instead of a traceback when Redis is down, and end
    the run (``stop``) or just this block (a polling fragment keeps polling, and carries on when
    Redis is back: the store reconnects by itself)."""
    try:
        yield
    except ClassError as error:
        if error.key not in STORE_DOWN:
            raise
        st.error(error.text(lang()), icon="🔌")
        if stop:
            st.stop()


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
