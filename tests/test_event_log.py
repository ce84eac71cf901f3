"""EventLogJob: any picklable task's events, in order, read incrementally; its progress; the same
on the thread runner and in a worker process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from cnnviz.control import Control
from cnnviz.i18n import Message
from cnnviz.jobs import EventLogJob, Progress, ThreadRunner, WorkerPool


@dataclass(frozen=True)
class Squares:
    """A task as the explorers write them: picklable, checkpoints between steps."""

    count: int

    def run(self, control: Control) -> Iterator[object]:
        for i in range(self.count):
            control.checkpoint()
            yield i * i
            yield Progress(i + 1, self.count, Message.of("job.error.unexpected", error=str(i)))


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(1, threads=1)
    yield workers
    workers.close()


@pytest.mark.parametrize("where", ["thread", "process"])
def test_events_arrive_in_order_and_are_read_incrementally(where: str, pool: WorkerPool) -> None:
    runner = ThreadRunner() if where == "thread" else pool
    job = EventLogJob(Squares(50), runner=runner, heartbeat_timeout=None)
    job.start()
    assert job.join(60) and job.status == "finished"
    first, next_index = job.since(0)
    assert next_index == 100 and len(first) == 100
    rest, again = job.since(next_index)
    assert rest == [] and again == 100  # nothing new: nothing to redraw
    assert job.events(int) == [i * i for i in range(50)]
    progress = job.progress
    assert progress is not None and progress.done == 50 and progress.fraction == 1.0
    assert job.latest(int) == 49 * 49 and job.latest(str) is None


def test_progress_fraction_is_clamped_and_safe_without_a_total() -> None:
    assert Progress(3, 0).fraction == 0.0
    assert Progress(7, 5).fraction == 1.0
    assert Progress(1, 4).fraction == 0.25
