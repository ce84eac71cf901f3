"""A large class against the store AND the job backend at once (issue 17, "Simulation toward a
large class"): N = 30, 100 and 300 simulated students, each joining the class, following the
teacher's steps (a read of the class every second, a report of its step every 5 s), answering
the question the teacher asks, and submitting one small training job, all during the same
minute. Two setups in the same run, with the same number of CPUs for training:

* ``one server`` (baseline): the SQLite class store and the local worker pool
  (:class:`cnnviz.jobs.WorkerPool`, ``--cpus`` worker processes): the default of one app server;
* ``cluster``: Redis (a real ``redis-server`` started here, AOF ``everysec`` as deploy/ runs it)
  and a Ray head with ``--cpus`` CPUs (``ray start --head``, tests/ray_server.py) that the
  :class:`cnnviz.jobs.RayRunner` joins through its address, as an app server does.

Reported per N and setup: store operation latency p50 / p95 over every operation the students
and the teacher make (join, state, report, submit, move, ask) and its worst operation's p95; job
queueing delay (Start -> the job runs on a worker or actor) p50 / p95; aggregate throughput
(jobs/s and training images/s from the first Start to the last job's end, and store ops/s); then
the ratios cluster / one server. Every job must finish and every answer must be kept. Each
backend first runs ``--cpus`` jobs to warm up (workers spawned, actors' PyTorch imported),
reported apart. All students share this one Python process (threads), so latencies include the
simulation's own contention. Needs ``pip install -r requirements-cluster.txt`` and redis-server.

    python benchmarks/bench_cluster.py                           # N = 30, 100, 300
    python benchmarks/bench_cluster.py --sizes 30 --cpus 2 --repeats 1
    python benchmarks/bench_cluster.py --cpus 16 --ray-address head:6379 --redis-url redis://r/0
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import torch
from bench_cluster_jobs import TimedJob
from bench_cluster_store import Timed

from cnnviz.data import DataConfig, DatasetBundle, load_dataset
from cnnviz.jobs import RayRunner, Runner, WorkerPool
from cnnviz.net import get_preset
from cnnviz.teach import ClassLimits, ClassStore, SqliteStore
from cnnviz.train import TrainConfig
from tests.ray_server import CLIENT_ENV, RayHead
from tests.redis_server import RedisServer

POLL_SECONDS = 1.0
REPORT_SECONDS = 5.0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


@dataclass
class Row:
    setup: str
    students: int
    op_p50_ms: float
    op_p95_ms: float
    worst_op: str
    worst_p95_ms: float
    delay_p50: float
    delay_p95: float
    wall: float
    jobs_per_second: float
    images_per_second: float
    ops_per_second: float


def simulate(
    store: ClassStore,
    runner: Runner,
    data: DatasetBundle,
    cfg: TrainConfig,
    students: int,
    spread: float,
    moves: int,
    setup: str,
) -> Row:
    """One class of ``students``: join, follow ``moves`` steps, answer, one job each."""
    timed = Timed()
    code, secret = timed.call("create", store.create_class, "convolution", 0)
    ids = [f"student-{k:04d}" for k in range(students)]
    jobs: list[TimedJob] = []
    jobs_lock = threading.Lock()
    stop = threading.Event()
    answered: set[str] = set()

    def student(sid: str) -> None:
        timed.call("join", store.join, code, sid, sid)
        start_at = time.monotonic() + random.uniform(0, spread)
        next_report = time.monotonic() + random.uniform(0, REPORT_SECONDS)
        job: TimedJob | None = None
        stop.wait(random.uniform(0, POLL_SECONDS))
        while not stop.is_set():
            state = timed.call("state", store.state, code)
            now = time.monotonic()
            if state is not None and state.question_id is not None and sid not in answered:
                timed.call("submit", store.submit, code, sid, state.question_id, 1.0)
                answered.add(sid)
            if now >= next_report and state is not None:
                timed.call("report", store.report, code, sid, state.lesson, state.step)
                next_report = now + REPORT_SECONDS
            if job is None and now >= start_at:  # presses Start
                job = TimedJob(get_preset("tiny"), data, cfg, runner=runner, heartbeat_timeout=None)
                job.submitted = time.perf_counter()
                with jobs_lock:
                    jobs.append(job)
                job.start()
            stop.wait(POLL_SECONDS)

    threads = [threading.Thread(target=student, args=(sid,), daemon=True) for sid in ids]
    first = time.perf_counter()
    for thread in threads:
        thread.start()
    question_id = None
    for step in range(1, moves + 1):
        time.sleep(2.0)
        timed.call("move", store.move, code, secret, "convolution", step)
        if step == 1:
            question = timed.call(
                "ask", store.ask, code, secret, "choice", "Which?", ("A", "B", "C", "D"), 2.0
            )
            question_id = question.question_id
    deadline = time.monotonic() + 1800
    while True:  # every student has pressed Start and every job has ended
        with jobs_lock:
            done = len(jobs) == students and all(not job.active for job in jobs)
        if done and len(answered) == students:
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"{setup}: the class did not end in 30 minutes")
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join()
    failed = [job for job in jobs if job.status != "finished"]
    if failed:
        raise SystemExit(f"{setup}: {len(failed)} jobs failed: {failed[0].error_message}")
    assert question_id is not None
    kept = store.answers(code, question_id)
    if len(kept) != students:
        raise SystemExit(f"{setup}: lost {students - len(kept)} answers")
    last = max(job.ended_at or time.perf_counter() for job in jobs)
    wall = last - first
    every = [v for values in timed.ops.values() for v in values]
    worst = max(timed.ops, key=lambda name: _pct(timed.ops[name], 0.95))
    delays = [(job.started_at or job.submitted) - job.submitted for job in jobs]
    images = students * cfg.epochs * len(data.train_y)
    return Row(
        setup,
        students,
        statistics.median(every) * 1e3,
        _pct(every, 0.95) * 1e3,
        worst,
        _pct(timed.ops[worst], 0.95) * 1e3,
        _pct(delays, 0.5),
        _pct(delays, 0.95),
        wall,
        students / wall,
        images / wall,
        len(every) / (time.perf_counter() - first),
    )


@contextmanager
def backends(
    cpus: int, biggest: int, folder: Path, ray_address: str | None, redis_url: str | None
) -> Iterator[dict[str, tuple[Any, Runner]]]:
    """The two setups' store factories and runners, started once for every class size: a local
    Redis and Ray head, or the ones at ``redis_url`` (emptied!) and ``ray_address``."""
    for key, value in CLIENT_ENV.items():
        os.environ.setdefault(key, value)
    limits = ClassLimits(max_students=biggest, max_answers=biggest)
    from cnnviz.teach.redis_store import RedisStore

    with ExitStack() as stack:
        if redis_url is None:
            redis_url = stack.enter_context(RedisServer(folder / "redis", fsync="everysec")).url
        if ray_address is None:
            head = stack.enter_context(RayHead(num_cpus=cpus))
            stack.callback(head.cleanup)  # after the head stopped: its folder too
            ray_address = head.address
        pool = WorkerPool(cpus, threads=1, max_queue=biggest + 10)
        cluster = RayRunner(ray_address, max_queue=biggest + 10, idle_seconds=600.0)
        counter = iter(range(1_000_000))
        url = redis_url
        try:
            yield {
                "one server": (
                    lambda: SqliteStore(folder / f"classes-{next(counter)}.sqlite3", limits),
                    pool,
                ),
                "cluster": (lambda: RedisStore(url, limits), cluster),
            }
        finally:
            cluster.close()
            pool.close()
            import ray

            ray.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 100, 300])
    parser.add_argument("--cpus", type=int, default=2, help="workers / Ray CPUs (same for both)")
    parser.add_argument("--samples", type=int, default=100, help="dataset size (80%% trained on)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--spread", type=float, default=10.0, help="s over which Starts fall")
    parser.add_argument("--moves", type=int, default=4, help="teacher's step changes (every 2 s)")
    parser.add_argument("--repeats", type=int, default=1, help="classes per size (medians)")
    parser.add_argument("--ray-address", help="an existing Ray cluster (default: a local head)")
    parser.add_argument("--redis-url", help="an existing Redis, emptied! (default: a local one)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    data = load_dataset(DataConfig(num_samples=args.samples, seed=0))
    cfg = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, num_threads=1)
    with (
        tempfile.TemporaryDirectory() as folder,
        backends(
            args.cpus, max(args.sizes), Path(folder), args.ray_address, args.redis_url
        ) as setups,
    ):
        print(
            f"{args.cpus} CPUs for training in each setup; jobs: tiny network, "
            f"{len(data.train_y)} images x {args.epochs} epoch(s), batch {args.batch_size}; "
            f"Starts spread over {args.spread:.0f} s, {args.moves} teacher moves, one question"
        )
        for name, (_, runner) in setups.items():  # warm: workers spawned, actors up
            start = time.perf_counter()
            if isinstance(runner, RayRunner):
                runner.warm(args.cpus)
            warm = [
                TimedJob(get_preset("tiny"), data, cfg, runner=runner, heartbeat_timeout=None)
                for _ in range(args.cpus)
            ]
            for job in warm:
                job.start()
            assert all(job.join(600) and job.status == "finished" for job in warm)
            print(f"warm-up {name}: {args.cpus} jobs in {time.perf_counter() - start:.1f} s")
        print(
            f"{'N':>4} {'setup':>10} | {'store op p50/p95 ms':>19} | {'worst op p95 ms':>19} | "
            f"{'queue p50/p95 s':>15} | {'wall s':>6} | {'jobs/s':>6} | {'img/s':>6} | "
            f"{'store ops/s':>11}"
        )
        for students in args.sizes:
            med: dict[str, Row] = {}
            for name, (make_store, runner) in setups.items():
                rows = []
                for _ in range(args.repeats):
                    store = make_store()
                    if hasattr(store, "client"):
                        store.client.flushall()
                    rows.append(
                        simulate(store, runner, data, cfg, students, args.spread, args.moves, name)
                    )
                fields: dict[str, list[float]] = defaultdict(list)
                for row in rows:
                    for key, value in vars(row).items():
                        if isinstance(value, float):
                            fields[key].append(value)
                m = Row(
                    name,
                    students,
                    worst_op=rows[0].worst_op,
                    **{k: statistics.median(v) for k, v in fields.items()},
                )
                med[name] = m
                print(
                    f"{students:>4} {name:>10} | {m.op_p50_ms:>8.2f} / {m.op_p95_ms:>8.2f} | "
                    f"{m.worst_op:>7} {m.worst_p95_ms:>11.2f} | "
                    f"{m.delay_p50:>6.2f} / {m.delay_p95:>6.2f} | {m.wall:>6.1f} | "
                    f"{m.jobs_per_second:>6.2f} | {m.images_per_second:>6.0f} | "
                    f"{m.ops_per_second:>11.0f}"
                )
            c, o = med["cluster"], med["one server"]
            print(
                f"{students:>4}   ratio cluster/one server: store op p95 "
                f"{c.op_p95_ms / o.op_p95_ms:.2f}x, worst op p95 "
                f"{c.worst_p95_ms / o.worst_p95_ms:.2f}x, queue p50 "
                f"{c.delay_p50 / max(o.delay_p50, 1e-9):.2f}x, p95 "
                f"{c.delay_p95 / max(o.delay_p95, 1e-9):.2f}x, jobs/s "
                f"{c.jobs_per_second / o.jobs_per_second:.2f}x"
            )


if __name__ == "__main__":
    main()
