"""The one way a page starts background work (training, a sequence of runs) and reads it back.
Not a page.

A job runs off the script (``cnnviz.jobs``); the page keeps it in a session *slot*
(``st.session_state[slot]``) as a :class:`JobSlot`: the job, what the page needs to know about
it later (its ``meta``: the data it trains on, the run's name, ...) and whether its results
were recorded. :func:`start_job` is called from a button callback: it builds the job, ties it to
this browser session (``session_keepalive``), stores it and starts it; an error a student can act
on (a network that does not fit, data that cannot be loaded) becomes a flash message on the page
(``pages.shared.flash``), because a callback cannot draw.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cnnviz.i18n import MessageError
from cnnviz.jobs import BackgroundJob, RayRunner
from cnnviz.net import SpecError
from pages.shared.flash import flash
from pages.shared.session import lang, session_keepalive, tr

__all__ = [
    "LIVE_POLL",
    "PAUSED_POLL",
    "QUEUED_POLL",
    "JobSlot",
    "active_job",
    "controls_enabled",
    "job_error_text",
    "pause_job",
    "poll_seconds",
    "queued_notice",
    "redrawn_if_a_job_ends",
    "resume_job",
    "session_owner",
    "slot_entry",
    "slot_job",
    "start_job",
    "stop_job",
    "unless_changed",
]

J = TypeVar("J", bound=BackgroundJob)
M = TypeVar("M")
T = TypeVar("T")

#: Seconds between two polls of a live fragment: while the work moves, while it waits in the
#: server's line (only its place changes), and while it is paused (nothing changes; the poll
#: only keeps the job's heartbeat). A job that has ended is not polled.
LIVE_POLL = 1.0
QUEUED_POLL = 2.0
PAUSED_POLL = 5.0


@dataclass(eq=False)
class JobSlot(Generic[J, M]):
    """A job a page started, the page's ``meta`` about it, and whether its results were recorded
    (a finished job is recorded once, by the first run of the page that sees it end)."""

    job: J
    meta: M
    recorded: bool = False


def slot_entry(slot: str) -> JobSlot[Any, Any] | None:
    """What session slot ``slot`` holds (None before the first start)."""
    entry = st.session_state.get(slot)
    return entry if isinstance(entry, JobSlot) else None


def slot_job(slot: str) -> BackgroundJob | None:
    """The job in session slot ``slot``, running or ended (None before the first start)."""
    entry = slot_entry(slot)
    return entry.job if entry is not None else None


def active_job(*slots: str) -> BackgroundJob | None:
    """The first job in ``slots`` that is still queued, running, paused or stopping, or None."""
    for slot in slots:
        job = slot_job(slot)
        if job is not None and job.active:
            return job
    return None


@contextmanager
def redrawn_if_a_job_ends() -> Iterator[None]:
    """Around a page's run: when a job of this session that was active as the run began has
    ended by the time it is done, run the page once more.

    A page reads a job's state more than once in a run (its buttons, its settings, whether its
    live fragment polls). A job that ends between two reads leaves the page half drawn as active
    (Start disabled) and half as ended (nothing polls any more), and no later poll would mend it.
    The second run reads the ended job everywhere. A run that ends early (``st.stop``,
    ``st.rerun``, ``st.switch_page``) is left alone."""
    running = [
        entry.job
        for entry in st.session_state.values()
        if isinstance(entry, JobSlot) and entry.job.active
    ]
    yield
    if any(not job.active for job in running):
        st.rerun()


def poll_seconds(job: BackgroundJob | None) -> float | None:
    """How often a page polls ``job``: :data:`LIVE_POLL` while it runs (and while a pause has
    not yet taken effect), :data:`QUEUED_POLL` while it waits for a worker,
    :data:`PAUSED_POLL` while it is paused, None once it has ended (the fragment stops)."""
    if job is None:
        return None
    status = job.status
    if status == "queued":
        return QUEUED_POLL
    if status == "paused":
        return PAUSED_POLL if job.blocked else LIVE_POLL
    if status in ("running", "stopping"):
        return LIVE_POLL
    return None


def unless_changed(key: str, version: Hashable, build: Callable[[], T]) -> T:
    """``build()`` once per ``version``: a polling fragment redraws the same object until what
    it shows has changed (kept in ``st.session_state[key]``)."""
    kept = st.session_state.get(key)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == version:
        return kept[1]  # type: ignore[no-any-return]
    value = build()
    st.session_state[key] = (version, value)
    return value


def session_owner() -> str:
    """This browser session's id, shortened (the owner the operator's page shows); "" when
    there is no session (bare mode)."""
    ctx = get_script_run_ctx()
    return ctx.session_id[:8] if ctx is not None and ctx.session_id else ""


def start_job(
    page: str,
    slot: str,
    factory: Callable[[], J],
    meta: M,
    *,
    exclusive: Sequence[str] = (),
    busy_text: str | None = None,
) -> JobSlot[J, M] | None:
    """Build a job with ``factory()``, store it in ``slot`` with ``meta`` and start it.

    Nothing starts while a job in ``slot`` or in the ``exclusive`` slots is active (a second
    click is harmless); ``busy_text``, if given, is then flashed as a warning. An error raised by
    ``factory`` that a student can act on is flashed on ``page`` instead: every problem of a
    :class:`cnnviz.net.SpecError`, or the text of any :class:`cnnviz.i18n.MessageError` (a
    ``DataError``, ...). Returns the new slot, or None when nothing started.
    """
    if active_job(slot, *exclusive) is not None:
        if busy_text is not None:
            flash(page, "warning", busy_text)
        return None
    try:
        job = factory()
    except SpecError as exc:
        for problem in exc.problems:
            flash(page, "error", problem.text(lang()))
        return None
    except MessageError as exc:
        flash(page, "error", exc.text(lang()))
        return None
    job.keepalive = session_keepalive()  # keeps running while the learner is on another page
    job.owner = session_owner()
    entry = JobSlot(job, meta)
    st.session_state[slot] = entry
    job.start()
    return entry


def job_error_text(job: BackgroundJob) -> str:
    """Why ``job`` failed, in the session language ("" when it did not fail).

    A message whose key or parameters this catalog does not know still says what happened.
    """
    message = job.error_message
    if message is None:
        return ""
    try:
        return message.text(lang())
    except (KeyError, IndexError):
        return tr("job.error.unexpected", error=message.key)


def queued_notice(job: BackgroundJob, key: str, *, icon: str | None = None) -> bool:
    """While ``job`` waits, say so and return True (False, nothing drawn, otherwise).

    On local workers the page's own message ``key`` gives the place in this server's line
    (``{position}``); when the job runs on a Ray cluster (``CNNVIZ_BACKEND=ray``) every page says
    "waiting for cluster resources" with the cluster's pending count (every server's waiting
    runs) and the place in this server's line. Every page that starts jobs calls this in its
    polling fragment, so all of them show the cluster's queue the same way.
    """
    position = job.queue_position()
    if position is None and job.status != "queued":
        return False
    position = position or 1
    runner = getattr(job, "runner", None)
    if isinstance(runner, RayRunner):
        pending = max(runner.cluster_pending(), position)
        st.info(tr("job.queued_cluster", pending=pending, position=position), icon=icon)
    else:
        st.info(tr(key, position=position), icon=icon)
    return True


# ---------------------------------------------------------------- Pause, Resume, Stop callbacks


def pause_job(current: Callable[[], BackgroundJob | None]) -> None:
    """Button callback: pause the page's job (``current()``), if it has one."""
    job = current()
    if job is not None:
        job.pause()


def resume_job(current: Callable[[], BackgroundJob | None]) -> None:
    """Button callback: resume the page's job (its page is alive: a heartbeat first)."""
    job = current()
    if job is not None:
        job.heartbeat()
        job.resume()


def stop_job(current: Callable[[], BackgroundJob | None]) -> None:
    """Button callback: stop the page's job (Stop twice is harmless)."""
    job = current()
    if job is not None:
        job.stop()


def controls_enabled(status: str) -> tuple[bool, bool, bool]:
    """Which of Pause, Resume, Stop a job in ``status`` enables (Start: when none is active)."""
    return status == "running", status == "paused", status in ("queued", "running", "paused")
