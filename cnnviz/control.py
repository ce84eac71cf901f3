"""How a long computation is paused and stopped from outside, whoever runs it.

Work that takes more than an instant (a training run, a sweep, activation maximisation) calls
``control.checkpoint()`` between steps. Whoever runs it (a background job, the CLI, a test) passes a
:class:`Control`: ``checkpoint()`` returns at once while the work may go on, blocks while it is
paused, and raises :class:`JobStopped` when it must stop. ``paused_seconds`` lets the work keep
pauses out of its clocks. ``None`` as control means "run to the end".

A leaf module: the training loop (``cnnviz.train``) and the job machinery (``cnnviz.jobs``) both
depend on it, so neither depends on the other through it.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Control", "JobStopped"]


class JobStopped(Exception):
    """Raised by :meth:`Control.checkpoint` when the work must stop (Stop pressed, tab gone)."""


class Control(Protocol):
    """What running work sees of whoever runs it."""

    def checkpoint(self) -> None:
        """Return while the work may continue; block while paused; raise :class:`JobStopped`."""
        ...

    @property
    def paused_seconds(self) -> float:
        """Seconds spent paused so far (the pause in progress included)."""
        ...

    @property
    def stop_requested(self) -> bool:
        """True once the work was asked to stop."""
        ...
