"""Live class: how fast a teacher's step change reaches 60 students, and 300 answers in 5 seconds.

Follow-the-teacher: each simulated student is a thread doing what its page's polling fragment
does (``pages/teach/class_student.py``): every ``FOLLOW_POLL_SECONDS`` (each student's phase random), read the
class's state from the store (one SQLite read) and, every 5 s, report its step (one write). The
teacher moves the class every ``--every`` seconds; a student's propagation time is from the
teacher's ``move`` returning to that student's poll seeing the new version. Baseline in the same
run: one student alone. The page's redraw after the version changes (a rerun of the lesson step)
is not in these numbers; its own server time is in ``bench_stepper.py``.

Live questions: ``--answers`` students submit within ``--window`` seconds from 30 threads; every
answer must be kept and the histogram must count them all.

Run: ``.venv/bin/python benchmarks/bench_follow.py [--students 60] [--moves 8]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnnviz.teach import (
    FOLLOW_POLL_SECONDS as POLL_SECONDS,
)
from cnnviz.teach import (
    REPORT_SECONDS,
    ClassLimits,
    ClassStore,
    SqliteStore,
    answer_histogram,
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Timed:
    """Latencies (s) of store operations by name, from many threads (``bench_cluster_store.py``
    reports them per store)."""

    def __init__(self) -> None:
        self.ops: dict[str, list[float]] = defaultdict(list)
        self.lock = threading.Lock()

    def call(self, name: str, fn: Callable[..., Any], *args: Any) -> Any:
        start = time.perf_counter()
        result = fn(*args)
        elapsed = time.perf_counter() - start
        with self.lock:
            self.ops[name].append(elapsed)
        return result


def follow(
    store: ClassStore, students: int, moves: int, every: float, timed: Timed | None = None
) -> list[float]:
    """Propagation delays (seconds) of ``moves`` step changes to ``students`` pollers; the store
    calls' latencies go to ``timed`` when given."""
    timed = timed if timed is not None else Timed()
    code, secret = store.create_class("convolution", 0)
    ids = [f"s{k}" for k in range(students)]
    for sid in ids:
        store.join(code, sid, sid)
    moved_at: dict[int, float] = {}
    delays: list[float] = []
    lock = threading.Lock()
    stop = threading.Event()

    def student(sid: str) -> None:
        seen = store.state(code).version  # type: ignore[union-attr]
        next_report = time.monotonic() + random.uniform(0, REPORT_SECONDS)
        stop.wait(random.uniform(0, POLL_SECONDS))  # pages load at different moments
        while not stop.is_set():
            state = timed.call("state", store.state, code)
            now = time.monotonic()
            if state is not None and state.version != seen:
                seen = state.version
                with lock:
                    if state.version in moved_at:
                        delays.append(now - moved_at[state.version])
            if now >= next_report and state is not None:
                timed.call("report", store.report, code, sid, state.lesson, state.step)
                next_report = now + REPORT_SECONDS
            stop.wait(POLL_SECONDS)

    threads = [threading.Thread(target=student, args=(sid,), daemon=True) for sid in ids]
    for thread in threads:
        thread.start()
    time.sleep(POLL_SECONDS * 1.5)
    for step in range(1, moves + 1):
        state = timed.call("move", store.move, code, secret, "convolution", step)
        with lock:
            moved_at[state.version] = time.monotonic()
        time.sleep(every)
    stop.set()
    for thread in threads:
        thread.join()
    return delays


def answers(store: SqliteStore, count: int, window: float) -> tuple[int, int, float]:
    """(answers kept, histogram total, seconds) for ``count`` answers spread over ``window`` s."""
    code, secret = store.create_class("pooling", 0)
    for k in range(count):
        store.join(code, f"a{k}", "")
    question = store.ask(code, secret, "choice", "Which?", ("A", "B", "C", "D"), 2.0)
    start = time.monotonic()
    due = sorted(random.uniform(0, window) for _ in range(count))

    def submit(k: int) -> None:
        time.sleep(max(0.0, start + due[k] - time.monotonic()))
        store.submit(code, f"a{k}", question.question_id, float(k % 4))

    with ThreadPoolExecutor(30) as pool:
        list(pool.map(submit, range(count)))
    seconds = time.monotonic() - start
    kept = store.answers(code, question.question_id)
    histogram = answer_histogram(question, kept)
    assert histogram.counts == tuple(count // 4 + (k < count % 4) for k in range(4)), histogram
    return len(kept), histogram.total, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--every", type=float, default=2.5)
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--window", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        limits = ClassLimits(max_students=max(300, args.answers))
        store = SqliteStore(Path(folder) / "classes.sqlite3", limits)
        alone = follow(store, 1, args.moves, args.every)
        many = follow(store, args.students, args.moves, args.every)
        started = time.perf_counter()
        for _ in range(200):
            store.state("ABCDEF")
        poll_ms = (time.perf_counter() - started) / 200 * 1000
        kept, total, seconds = answers(store, args.answers, args.window)
    p50, p95 = statistics.median(many), _percentile(many, 0.95)
    b50, b95 = statistics.median(alone), _percentile(alone, 0.95)
    print(f"one poll (a store read): {poll_ms:.2f} ms")
    print(f"1 student (baseline):  p50 {b50:.3f} s  p95 {b95:.3f} s  ({len(alone)} changes seen)")
    print(
        f"{args.students} students:          p50 {p50:.3f} s  p95 {p95:.3f} s  "
        f"({len(many)} of {args.students * args.moves} changes seen)"
    )
    print(
        f"ratio p95 {args.students}/1: {p95 / b95:.2f}x   target p95 < 2 s: {'met' if p95 < 2 else 'MISSED'}"
    )
    print(
        f"{args.answers} answers in {seconds:.2f} s: {kept} kept, histogram total {total}, lost {args.answers - kept}"
    )


if __name__ == "__main__":
    main()
