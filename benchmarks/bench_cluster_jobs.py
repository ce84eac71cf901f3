"""Many small training jobs at once on a local Ray instance vs the local worker pool (issue 17).

N students press Start at the same moment; each job trains the ``tiny`` network for one short
epoch. The same jobs run through both backends in the same run, with the same number of CPUs:

* ``pool``: :class:`cnnviz.jobs.WorkerPool` with ``--cpus`` worker processes (the default
  backend of one server);
* ``ray``: :class:`cnnviz.jobs.RayRunner` on a local Ray instance started with
  ``ray.init(num_cpus=--cpus)``: one actor per job, Ray's scheduler holding the jobs that wait.

Reported per N and backend (median over ``--repeats``): queueing delay (Start -> the job runs)
p50 / p95, the wall time from the first Start to the last job's end, and the aggregate
throughput (jobs/s and training images/s); then the ratio ray / pool of the throughput and of
the delays. Each backend first runs one job to warm up (workers spawned, actors' PyTorch
imported; :meth:`RayRunner.warm` starts one actor per CPU first, as the pool starts its
workers), reported apart. Needs ``pip install -r requirements-cluster.txt``.

    python benchmarks/bench_cluster_jobs.py                       # N = 30, 100, 300
    python benchmarks/bench_cluster_jobs.py --sizes 30 --repeats 3
    python benchmarks/bench_cluster_jobs.py --sizes 30 100 --json cluster.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from cnnviz.data import DataConfig, DatasetBundle, load_dataset
from cnnviz.i18n import Message
from cnnviz.jobs import RayRunner, Runner, TrainingJob, WorkerPool
from cnnviz.net import get_preset
from cnnviz.train import TrainConfig


class TimedJob(TrainingJob):
    """A training job that notes when it was started by its runner and when it ended."""

    submitted: float = 0.0
    started_at: float | None = None
    ended_at: float | None = None

    def on_started(self) -> None:
        self.started_at = time.perf_counter()
        super().on_started()

    def finish(self, message: Message | None, exc: BaseException | None = None) -> None:
        self.ended_at = time.perf_counter()
        super().finish(message, exc)


@dataclass
class Result:
    backend: str
    jobs: int
    delay_p50: float
    delay_p95: float
    wall: float
    jobs_per_second: float
    images_per_second: float
    failed: int


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run_batch(runner: Runner, data: DatasetBundle, cfg: TrainConfig, n: int, name: str) -> Result:
    """Start ``n`` jobs at once on ``runner``; wait for all; measure."""
    jobs = [
        TimedJob(get_preset("tiny"), data, cfg, runner=runner, heartbeat_timeout=None)
        for _ in range(n)
    ]
    first = time.perf_counter()
    for job in jobs:
        job.submitted = time.perf_counter()
        job.start()
    for job in jobs:
        if not job.join(1800):
            raise SystemExit(f"{name}: a job did not finish in 30 minutes")
    last = max(job.ended_at or time.perf_counter() for job in jobs)
    delays = [(job.started_at or job.submitted) - job.submitted for job in jobs]
    failed = sum(job.status != "finished" for job in jobs)
    if failed:
        reasons = Counter(str(job.error_message) for job in jobs if job.status != "finished")
        print(f"  {name}: {failed} failed: {dict(reasons)}")
    wall = last - first
    images = n * cfg.epochs * len(data.train_y)
    return Result(
        name,
        n,
        _percentile(delays, 0.5),
        _percentile(delays, 0.95),
        wall,
        n / wall,
        images / wall,
        failed,
    )


def _median(results: list[Result]) -> Result:
    def med(field: str) -> float:
        return float(statistics.median(getattr(r, field) for r in results))

    first = results[0]
    return Result(
        first.backend,
        first.jobs,
        med("delay_p50"),
        med("delay_p95"),
        med("wall"),
        med("jobs_per_second"),
        med("images_per_second"),
        max(r.failed for r in results),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 100, 300])
    parser.add_argument("--cpus", type=int, default=2, help="workers / Ray CPUs (same for both)")
    parser.add_argument("--samples", type=int, default=300, help="dataset size (80%% trained on)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    import ray

    torch.set_num_threads(1)
    data = load_dataset(DataConfig(num_samples=args.samples, seed=0))
    cfg = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, num_threads=1)
    biggest = max(args.sizes)

    pool = WorkerPool(args.cpus, threads=1, max_queue=biggest + 10)
    started = time.perf_counter()
    ray.init(
        address="local",
        num_cpus=args.cpus,
        include_dashboard=False,
        log_to_driver=False,
        _temp_dir=tempfile.mkdtemp(prefix="cnnviz-bench-", dir="/tmp"),
    )
    ray_init = time.perf_counter() - started
    cluster = RayRunner(max_queue=biggest + 10, idle_seconds=600.0)
    started = time.perf_counter()
    actors = cluster.warm(args.cpus)  # as the pool's workers, the actors exist before Start
    ray_warm = time.perf_counter() - started
    runners: dict[str, Runner] = {"pool": pool, "ray": cluster}
    print(
        f"{args.cpus} CPUs for each backend; jobs: tiny network, {len(data.train_y)} images x "
        f"{args.epochs} epoch(s), batch {args.batch_size}; ray.init {ray_init:.1f} s, "
        f"{actors} actors up in {ray_warm:.1f} s"
    )
    try:
        for name, runner in runners.items():  # warm: workers spawned, actors importing torch
            warm = run_batch(runner, data, cfg, args.cpus, name)
            print(f"warm-up {name}: {args.cpus} jobs in {warm.wall:.1f} s")
        table: list[Result] = []
        print(
            f"{'N':>5} {'backend':>7} {'delay p50':>10} {'delay p95':>10} {'wall s':>8} "
            f"{'jobs/s':>7} {'img/s':>8} {'failed':>6}"
        )
        for n in args.sizes:
            per_backend: dict[str, Result] = {}
            for name, runner in runners.items():
                runs = [run_batch(runner, data, cfg, n, name) for _ in range(args.repeats)]
                result = per_backend[name] = _median(runs)
                table.append(result)
                print(
                    f"{n:>5} {name:>7} {result.delay_p50:>10.2f} {result.delay_p95:>10.2f} "
                    f"{result.wall:>8.1f} {result.jobs_per_second:>7.2f} "
                    f"{result.images_per_second:>8.0f} {result.failed:>6}"
                )
            r, p = per_backend["ray"], per_backend["pool"]
            print(
                f"{n:>5}   ratio ray/pool: throughput {r.jobs_per_second / p.jobs_per_second:.2f}, "
                f"delay p50 {r.delay_p50 / max(p.delay_p50, 1e-9):.2f}, "
                f"p95 {r.delay_p95 / max(p.delay_p95, 1e-9):.2f}"
            )
    finally:
        cluster.close()
        pool.close()
        ray.shutdown()
    if args.json is not None:
        payload: dict[str, Any] = {"args": vars(args) | {"json": str(args.json)}}
        payload["results"] = [asdict(result) for result in table]
        args.json.write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
