"""What a background job runs: a :class:`Task`, and how its failure is told to the user.

A task is a small picklable object whose ``run(control)`` yields events: it can run in a thread of
the app process, in a worker process, or in a cluster actor, and gives the same events in each.
Everything it needs travels with it (specs, configs, tensors); everything it reports is an event of
plain data (floats, NumPy arrays, CPU tensors), never a live model.

Lesson: every page that runs something long.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol, runtime_checkable

import torch

from cnnviz.control import Control
from cnnviz.i18n import Message, MessageError
from cnnviz.net import SpecError

__all__ = ["CallableTask", "Task", "describe_error"]


@runtime_checkable
class Task(Protocol):
    """Work for a background job; picklable when it is to run in a worker process."""

    def run(self, control: Control) -> Iterator[Any]:
        """Do the work, calling ``control.checkpoint()`` between steps; yield what happened."""
        ...


class CallableTask:
    """A generator function as a task (threads only: closures do not cross processes)."""

    def __init__(self, work: Callable[[Control], Iterator[Any]]) -> None:
        self.work = work

    def run(self, control: Control) -> Iterator[Any]:
        """``work(control)``."""
        return self.work(control)


def describe_error(exc: BaseException) -> Message:
    """What to tell the user about a task that raised ``exc``, in the catalog's words.

    Errors a student can act on carry their own message (:class:`MessageError`); an invalid
    network lists its problems; running out of memory (PyTorch's allocator, or the operating
    system's limit on a worker) says so; anything else is reported with its type and text.
    """
    if isinstance(exc, MessageError):
        return exc.message
    if isinstance(exc, SpecError):
        return Message.of("train.error.spec", error=str(exc))
    out_of_memory = isinstance(exc, (torch.OutOfMemoryError, MemoryError))
    if isinstance(exc, RuntimeError) and "can't allocate memory" in str(exc):
        out_of_memory = True  # the CPU allocator hit the worker's memory limit
    if out_of_memory:
        return Message.of("job.error.out_of_memory")
    return Message.of("job.error.unexpected", error=f"{type(exc).__name__}: {exc}")
