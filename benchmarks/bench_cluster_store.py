"""A large live class against the class store: SQLite (one server) and Redis (several servers), in
the same run, at N = 30, 100 and 300 simulated students (issue 17, "Simulation toward a large
class"). No browsers: each student is a thread doing what its page does (``pages/teach/
class_student.py``): read the class's state every ``FOLLOW_POLL_SECONDS`` (its phase random), report
its step every ``REPORT_SECONDS``, and answer the question the teacher pushes (the loop is
``bench_follow.follow``).

Reported per store and class size, and the ratio Redis / SQLite:

* store operation latency p50 / p95 (ms) of the students' reads (``state``), writes (``report``,
  ``submit``) and the teacher's ``move``;
* answers/s: N students answer one question at once (32 threads), every answer kept;
* follow-step propagation: the teacher's ``move`` returning -> a student's poll seeing it (p50 /
  p95, s; the poll interval dominates it);
* Redis memory per student (``INFO memory``: a class of N, joined, reported, answered).

The Redis is a real ``redis-server`` started here on a free port (AOF, ``appendfsync everysec``, as
deploy/ runs it) unless ``--redis-url`` names one. All the students share this one Python process
and its interpreter lock, so the latencies include the simulation's own contention: an upper
bound for what one app server sees. Job queueing on Ray is measured by the Ray backend's
benchmark (task E), not here.

    python benchmarks/bench_cluster_store.py                       # 30, 100, 300 students
    python benchmarks/bench_cluster_store.py --students 30 --moves 2 --repeats 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_follow import Timed, follow  # the students' loop, shared with bench_follow.py

from cnnviz.teach import ClassLimits, ClassStore, SqliteStore
from tests.redis_server import RedisServer


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def answer_burst(store: ClassStore, students: int, timed: Timed) -> float:
    """Answers per second when ``students`` answer one question at once; all must be kept."""
    code, secret = store.create_class("pooling", 0)
    for k in range(students):
        store.join(code, f"a{k}", "")
    question = store.ask(code, secret, "choice", "Which?", ("A", "B", "C", "D"), 2.0)

    def submit(k: int) -> None:
        timed.call("submit", store.submit, code, f"a{k}", question.question_id, float(k % 4))

    start = time.perf_counter()
    with ThreadPoolExecutor(32) as pool:
        list(pool.map(submit, range(students)))
    seconds = time.perf_counter() - start
    kept = store.answers(code, question.question_id)
    assert len(kept) == students, f"lost {students - len(kept)} answers"
    return students / seconds


@contextmanager
def stores(redis_url: str | None, limits: ClassLimits) -> Iterator[dict[str, Any]]:
    """Fresh stores for one round: SQLite in a temp folder, Redis (emptied)."""
    from cnnviz.teach.redis_store import RedisStore

    with tempfile.TemporaryDirectory() as folder:
        server = None
        if redis_url is None:
            server = RedisServer(Path(folder) / "redis", fsync="everysec").start()
            redis_url = server.url
        try:
            redis_store = RedisStore(redis_url, limits)
            yield {
                "sqlite": SqliteStore(Path(folder) / "classes.sqlite3", limits),
                "redis": redis_store,
            }
        finally:
            if server is not None:
                server.stop()


def redis_bytes_per_student(store: Any, students: int) -> float:
    """Redis memory a class of ``students`` (joined, reported, one answer each) adds, per student."""
    store.client.flushall()
    before = int(store.client.info("memory")["used_memory"])
    code, secret = store.create_class("convolution", 0)
    question = store.ask(code, secret, "number", "Q", (), 1.0)
    for k in range(students):
        sid = f"student-{k:04d}-{'x' * 16}"  # ids are 22 random URL-safe characters
        store.join(code, sid, f"Nickname {k}")
        store.report(code, sid, "convolution", 3)
        store.submit(code, sid, question.question_id, 1.0)
    after = int(store.client.info("memory")["used_memory"])
    return (after - before) / students


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[30, 100, 300])
    parser.add_argument("--moves", type=int, default=4)
    parser.add_argument("--every", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=1, help="rounds per size (medians)")
    parser.add_argument("--redis-url", default=None, help="an existing Redis (emptied!)")
    args = parser.parse_args()
    limits = ClassLimits(max_students=max(args.students), max_answers=max(args.students))
    print(
        f"{'N':>4} {'store':>6} | {'state p50/p95 ms':>17} | {'report p95':>10} | "
        f"{'move p95':>8} | {'submit p50/p95 ms':>17} | {'answers/s':>9} | "
        f"{'follow p50/p95 s':>16}"
    )
    for students in args.students:
        rows: dict[str, dict[str, list[float]]] = {
            "sqlite": defaultdict(list),
            "redis": defaultdict(list),
        }
        for round_ in range(args.repeats):
            with stores(args.redis_url, limits) as both:
                both["redis"].client.flushall()
                for name, store in both.items():
                    timed = Timed()
                    delays = follow(store, students, args.moves, args.every, timed)
                    rate = answer_burst(store, students, timed)
                    row = rows[name]
                    row["state50"].append(statistics.median(timed.ops["state"]) * 1e3)
                    row["state95"].append(_pct(timed.ops["state"], 0.95) * 1e3)
                    row["report95"].append(_pct(timed.ops["report"], 0.95) * 1e3)
                    row["move95"].append(_pct(timed.ops["move"], 0.95) * 1e3)
                    row["submit50"].append(statistics.median(timed.ops["submit"]) * 1e3)
                    row["submit95"].append(_pct(timed.ops["submit"], 0.95) * 1e3)
                    row["rate"].append(rate)
                    row["follow50"].append(statistics.median(delays))
                    row["follow95"].append(_pct(delays, 0.95))
                if students == args.students[-1] and round_ == args.repeats - 1:
                    per_student = redis_bytes_per_student(both["redis"], students)
        med = {
            name: {k: statistics.median(v) for k, v in row.items()} for name, row in rows.items()
        }
        for name in ("sqlite", "redis"):
            m = med[name]
            print(
                f"{students:>4} {name:>6} | {m['state50']:>7.2f} / {m['state95']:>7.2f} | "
                f"{m['report95']:>10.2f} | {m['move95']:>8.2f} | "
                f"{m['submit50']:>7.2f} / {m['submit95']:>7.2f} | {m['rate']:>9.0f} | "
                f"{m['follow50']:>6.3f} / {m['follow95']:>6.3f}"
            )
        s, r = med["sqlite"], med["redis"]
        print(
            f"{students:>4}  ratio redis/sqlite: state p95 {r['state95'] / s['state95']:.2f}x, "
            f"submit p95 {r['submit95'] / s['submit95']:.2f}x, "
            f"answers/s {r['rate'] / s['rate']:.2f}x, follow p95 {r['follow95'] / s['follow95']:.2f}x"
        )
    print(f"Redis memory per student (class of {args.students[-1]}): {per_student:.0f} bytes")


if __name__ == "__main__":
    main()
