"""A whole class on one server: N students train the default network at once and watch it live.

One Streamlit server runs the app as a classroom would (``streamlit run app.py``; its training
jobs in the pool of worker processes). Simulated students without browsers
(``class_client.Student``, which speaks Streamlit's websocket protocol as the frontend does) each
open the Train page, set 5 epochs, and press Start at the same moment; each then polls exactly as
its browser would: the page's own fragments, on the timers the server asks for, with the
frontend's message cache. One more student clicks Next on the convolution stepper meanwhile.

Reported, for each class size:

* the wall time of every run (Start pressed -> the page stops polling) and the class's, and the
  aggregate training images per second;
* the live panel's tick latency (request -> the fragment's run finished) p50 / p95, and the bytes
  a tick sends (the panel beside Start every second, the section below every few seconds);
* the stepper click latency p50 / p95 of the student who is not training;
* the server's CPU split: the app process (pages, polling, the pool's bookkeeping) and the
  worker processes (training), from ``/proc``, and the app's CPU per watching student.

Baseline in the same run: the same runs back to back through the CLI
(``python -m cnnviz train``, one process per run, as a learner at a terminal would); the class
should finish within 1.5x their total. Targets (issue "A whole class on one server", this 2-core
machine): 8 students within 1.5x of the CLI, tick p95 < 1 s, a watching student < 2 % of one core
and < 30 KiB per tick.

``--verbose`` adds the first student's polling bytes element by element (whole, or as a
reference to the browser's cached copy), which is how the bytes below were traced.

Measured 2026-12-01 on this 2-core machine when it was quiet (load 0.4-0.7, nothing else
running), ``--students 1 4 8 --epochs 5 --baseline-runs 1`` and ``--students 30``:

    students  class / CLI back to back   tick p50 / p95    bytes/tick p95  CPU per polling student
    1         2.1 / 4.3 s (0.49)         0.011 / 0.012 s   13.2 KiB        1.41 %
    4         4.5 / 17.0 s (0.27)        0.019 / 0.235 s   12.2 KiB        0.61 %
    8         8.6 / 34.1 s (0.25)        0.049 / 0.454 s   12.3 KiB        0.31 %
    30        28.5 / 124.6 s (0.23)      0.266 / 2.057 s   12.1 KiB        (never all polling)

Every target holds up to 8 students; at 30 the pool queues 28 of them and the tick p95 (2.1 s)
is the ticks that wait behind full reruns when jobs start and end (12,613 images/s in all; the
app process took 16 % of the server's CPU, the workers the rest).

Measured (2026-12-01, this 2-core machine shared with other jobs; "before" is main at c2ffae7
with this client, "after" this branch, run back to back; the CPU share of a polling student
moves by +-1 point between identical runs at this load, so it is not a before/after result):

    OMP_NUM_THREADS=1 python benchmarks/bench_class.py --students 1 2 --epochs 3 --baseline-runs 1
                          before (load 5.7)      after (load 5.1)
    1 student   tick p95  0.070 s                0.155 s
                bytes per live tick p95 15.6 KiB  11.4 KiB
                polling CPU per student 1.60 %    0.70 %
    2 students  tick p95  0.048 s                0.363 s
                bytes per live tick p95 15.6 KiB  11.7 KiB
                section below, per tick (no tick in the before run)   27.1 KiB
                polling CPU per student 1.59 %    0.90 %
    ... --students 2 --epochs 10 --baseline-runs 0 (more ticks of the section below):
                tick p95  0.157 s                1.019 s (load 4.5; a tick behind a full rerun)
                bytes per live tick p95 18.4 KiB  12.7 KiB
                section below p95 31.7 KiB        28.9 KiB (mean 31.4 -> 27.6)
                all polling 22.9 KiB/s            18.1 KiB/s per student
                polling CPU per student 1.82 %    2.00 %

Where the bytes went (``--verbose``): no element of a tick reached Streamlit's 10 KB message
cache threshold, so the probe image (2 KB), the maps between snapshots (6-8 KB) and the
per-epoch curves went whole every tick; with ``global.minCachedMessageSize = 1000`` an unchanged
one is a ~100-byte reference. What is left changes every tick: the first layer's maps (~6 KB,
a new snapshot every 20 batches), the loss curve (~2.5 KB), Streamlit's own ``new_session``
(~1.9 KB per run) and ~1 KB of containers and text; below, every layer's maps and the filters
(~17 KB, a new snapshot each time), the per-epoch curves after each epoch (~4 KB).

The client's first version overstated two things, for before and after alike: it aged its
message cache on every run (the frontend ages a message only on full runs and on runs of the
fragment that drew it), and it waited for the next tick when Streamlit relabelled a finished
fragment run's end as "early" (the next run had started before it was flushed), which added a
poll interval (~1 s) to the tick latency and one tick's bytes to the next (the section below
read ~40-47 KiB per tick).

    python benchmarks/bench_class.py                          # 1, 8 and 30 students
    python benchmarks/bench_class.py --students 8 --epochs 5
    python benchmarks/bench_class.py --students 2 --epochs 1 --baseline-runs 0 --json r.json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from class_client import DeltaSize, Student

from cnnviz.data import DataConfig, load_dataset
from cnnviz.jobs import children_of, process_usage

LR = 0.003  # the Train page's default learning rate (Adam, batch 64, seed 0: the CLI's defaults)
RATIO_TARGET = 1.5
TICK_P95_TARGET = 1.0
CPU_TARGET = 2.0  # % of one core per watching student
BYTES_TARGET = 30 * 1024


@dataclass
class CliRun:
    threads: int  # 0: the CLI's default (every core)
    wall: float
    training: float


@dataclass
class StudentRun:
    wall: float
    queued_ticks: int
    ticks: int
    completed: bool
    final_text: str


@dataclass
class ClassResult:
    students: int
    epochs: int
    wall: float
    runs: list[StudentRun]
    images_per_second: float
    tick_p50: float
    tick_p95: float
    tick_bytes_p50: float
    tick_bytes_p95: float
    detail_bytes_mean: float
    detail_bytes_p95: float
    bytes_per_second: float
    click_p50: float | None
    click_p95: float | None
    app_cpu: float
    worker_cpu: float
    app_cpu_per_student: float
    polling_cpu_per_student: float
    idle_cpu_per_page: float  # % of one core: pages open before Start and after the runs
    errors: list[str] = field(default_factory=list)
    app_rss_mib: float = 0.0  # the app process's peak resident memory during the run
    app_rss_per_student_mib: float = 0.0  # its growth from before the pages opened, per page
    worker_rss_mib: float = 0.0  # the worker processes' peak resident memory, all together
    # the first student's polling bytes by element: (fragment, element, key) -> rows
    breakdown: list[dict[str, object]] = field(default_factory=list)


# ----------------------------------------------------------------------------------- baseline


def cli_baseline(runs: int, epochs: int, threads: int) -> list[CliRun]:
    """``runs`` CLI trainings of the default network, one after the other, with ``threads``
    PyTorch threads (0: the CLI's default)."""
    out = []
    for _ in range(runs):
        command = [sys.executable, "-m", "cnnviz", "train", "--preset", "tiny"]
        command += ["--dataset", "shapes", "--epochs", str(epochs), "--lr", str(LR), "--json"]
        if threads:
            command += ["--threads", str(threads)]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
        result = json.loads(done.stdout.strip().splitlines()[-1])
        out.append(CliRun(threads, wall, float(result["seconds"])))
    return out


def fastest_baseline(runs: list[CliRun]) -> list[CliRun]:
    """The runs of the thread setting whose mean wall time is the shortest: the class is held
    to the best the CLI did on this machine today."""
    by_threads: dict[int, list[CliRun]] = {}
    for run in runs:
        by_threads.setdefault(run.threads, []).append(run)
    return min(by_threads.values(), key=lambda r: statistics.fmean(x.wall for x in r), default=[])


# ------------------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """``streamlit run app.py`` on a free port; yields its URL and process id."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        full_env = {**os.environ, "CNNVIZ_DATA_DIR": str(Path(tmp) / "data"), **(env or {})}
        log = Path(tmp) / "server.log"
        with log.open("w") as log_file:
            proc = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "streamlit"),
                    "run",
                    "app.py",
                    "--server.headless=true",
                    f"--server.port={port}",
                    "--server.address=127.0.0.1",
                    "--server.fileWatcherType=none",
                    "--browser.gatherUsageStats=false",
                ],
                cwd=ROOT,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=full_env,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                with (
                    contextlib.suppress(OSError),
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp,
                ):
                    if resp.read().decode() == "ok":
                        break
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
            yield url, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def cpu_seconds(server_pid: int) -> tuple[float, float]:
    """CPU seconds so far of the app process and of its worker processes (its children)."""
    app = process_usage(server_pid)
    workers = [process_usage(pid) for pid in children_of(server_pid)]
    return (
        app.cpu_seconds if app is not None else 0.0,
        sum(w.cpu_seconds for w in workers if w is not None),
    )


# ---------------------------------------------------------------------------------- the class


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class _Window:
    """When a student only polled: from its Start click's answer to its last tick request."""

    began: float = 0.0
    polled_from: float = 0.0
    polled_to: float = 0.0


async def _train(
    student: Student, epochs: int, start: asyncio.Event, timeout: float, window: _Window
) -> float:
    """Set the epochs, press Start with the others, poll until the page stops; the seconds."""
    await student.set_slider("train_w_epochs", epochs)
    await start.wait()
    window.began = time.perf_counter()
    await student.click("train_btn_start")
    window.polled_from = time.perf_counter()
    if not await student.wait_polling_ends(timeout):
        student.errors.append(f"{student.name}: still polling after {timeout:.0f} s")
    window.polled_to = student.runs[-1].sent if student.runs else window.polled_from
    return time.perf_counter() - window.began


async def _sample_cpu(
    server_pid: int, stop: asyncio.Event, samples: list[tuple[float, float, float]]
) -> None:
    """(time, app CPU seconds, worker CPU seconds) every 0.2 s until ``stop``."""
    while not stop.is_set():
        app, workers = cpu_seconds(server_pid)
        samples.append((time.perf_counter(), app, workers))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.2)


def rss_bytes(server_pid: int) -> tuple[int, int]:
    """Resident memory now of the app process and of its worker processes (together)."""
    app = process_usage(server_pid)
    workers = [process_usage(pid) for pid in children_of(server_pid)]
    return (app.rss_bytes if app else 0, sum(w.rss_bytes for w in workers if w is not None))


async def _sample_memory(server_pid: int, stop: asyncio.Event, peaks: list[int]) -> None:
    """Peak (app, workers) resident memory, sampled every 0.5 s until ``stop``."""
    while not stop.is_set():
        app, workers = rss_bytes(server_pid)
        peaks[0], peaks[1] = max(peaks[0], app), max(peaks[1], workers)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def _idle_cpu(server_pid: int, pages: int, seconds: float) -> float:
    """% of one core the app process spends per open page while none of them polls."""
    app0, _ = cpu_seconds(server_pid)
    began = time.perf_counter()
    await asyncio.sleep(seconds)
    app1, _ = cpu_seconds(server_pid)
    return 100.0 * (app1 - app0) / (time.perf_counter() - began) / pages


def _app_cpu_between(
    samples: list[tuple[float, float, float]],
    t0: float,
    t1: float,
    busy: list[tuple[float, float]],
) -> float:
    """App CPU seconds per second of wall between ``t0`` and ``t1``, from the sampling
    intervals that overlap none of the ``busy`` spans (the stepper student's clicks)."""
    inside = [s for s in samples if t0 <= s[0] <= t1]
    cpu = wall = 0.0
    for (a, app_a, _), (b, app_b, _) in itertools.pairwise(inside):
        if any(start < b and a < end for start, end in busy):
            continue
        cpu += app_b - app_a
        wall += b - a
    return cpu / wall if wall >= 0.5 else float("nan")


async def _click_stepper(
    student: Student, stop: asyncio.Event, every: float, spans: list[tuple[float, float]]
) -> list[float]:
    """Click Next on the convolution stepper every ``every`` seconds until ``stop``; each
    click's span (sent, answered + 0.1 s) goes to ``spans``."""
    latencies = []
    while not stop.is_set():
        sent = time.perf_counter()
        run = await student.click("conv_next")
        latencies.append(run.seconds)
        spans.append((sent, time.perf_counter() + 0.1))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
    return latencies


async def warm_up(url: str) -> None:
    """One short run first: the pool's worker processes start with the first job."""
    student = Student(url, "warm-up")
    await student.open("train")
    await _train(student, 1, _set(asyncio.Event()), 300, _Window())
    await student.close()


def _set(event: asyncio.Event) -> asyncio.Event:
    event.set()
    return event


async def run_class(
    url: str, server_pid: int, students: int, epochs: int, train_images: int, clicker: bool
) -> ClassResult:
    """``students`` students train at once while one more clicks the stepper."""
    rss_before, _ = rss_bytes(server_pid)
    class_ = [Student(url, f"student-{i + 1}") for i in range(students)]
    await asyncio.gather(*(s.open("train") for s in class_))
    other = Student(url, "stepper")
    stop = asyncio.Event()
    clicks: asyncio.Task[list[float]] | None = None
    if clicker:
        await other.open("conv")
    start = asyncio.Event()
    timeout = 120.0 + 20.0 * epochs * students
    windows = [_Window() for _ in class_]
    trainings = [
        asyncio.create_task(_train(s, epochs, start, timeout, w))
        for s, w in zip(class_, windows, strict=True)
    ]
    await asyncio.sleep(1.0)  # everyone has set the epochs
    idle_before = await _idle_cpu(server_pid, students + clicker, 3.0)
    spans: list[tuple[float, float]] = []
    if clicker:
        clicks = asyncio.create_task(_click_stepper(other, stop, 1.5, spans))
    samples: list[tuple[float, float, float]] = []
    sampling = asyncio.create_task(_sample_cpu(server_pid, stop, samples))
    peaks = [*rss_bytes(server_pid)]
    memory = asyncio.create_task(_sample_memory(server_pid, stop, peaks))
    app0, workers0 = cpu_seconds(server_pid)
    began = time.perf_counter()
    start.set()
    walls = await asyncio.gather(*trainings)
    wall = time.perf_counter() - began
    app1, workers1 = cpu_seconds(server_pid)
    stop.set()
    await sampling
    await memory
    # every student only polls between the last Start's answer and the first run's end
    polling = _app_cpu_between(
        samples, max(w.polled_from for w in windows), min(w.polled_to for w in windows), spans
    )
    click_latencies = await clicks if clicks is not None else []
    idle_after = await _idle_cpu(server_pid, students + clicker, 3.0)  # every run ended: no polling
    await asyncio.gather(*(s.close() for s in [*class_, other]))

    runs, ticks, tick_bytes, detail_bytes, errors = [], [], [], [], []
    fragment_bytes = 0
    for student, seconds in zip(class_, walls, strict=True):
        errors += student.errors
        live = min(student.intervals, key=lambda f: student.intervals[f], default="")
        mine = [r for r in student.runs if r.fragment and r.kind == "fragment"]
        live_runs = [r for r in mine if r.fragment == live]
        queued = [r for r in live_runs if any("waiting" in t for t in r.texts)]
        ticks += [r.seconds for r in live_runs]
        tick_bytes += [r.bytes for r in live_runs if r not in queued]
        detail_bytes += [r.bytes for r in mine if r.fragment != live]
        fragment_bytes += sum(r.bytes for r in mine)
        last = next((t for r in reversed(student.runs) for t in reversed(r.texts)), "")
        done = last.startswith("finished") and f"epoch {epochs}/{epochs}" in last
        if not done:
            errors.append(f"{student.name}: the run did not finish ({last!r})")
        runs.append(StudentRun(seconds, len(queued), len(live_runs), done, last))
    errors += other.errors
    app_cpu, worker_cpu = app1 - app0, workers1 - workers0
    return ClassResult(
        students=students,
        epochs=epochs,
        wall=wall,
        runs=runs,
        images_per_second=students * epochs * train_images / wall,
        tick_p50=_percentile(ticks, 0.5),
        tick_p95=_percentile(ticks, 0.95),
        tick_bytes_p50=_percentile([float(b) for b in tick_bytes], 0.5),
        tick_bytes_p95=_percentile([float(b) for b in tick_bytes], 0.95),
        detail_bytes_mean=statistics.fmean(detail_bytes) if detail_bytes else float("nan"),
        detail_bytes_p95=_percentile([float(b) for b in detail_bytes], 0.95),
        bytes_per_second=fragment_bytes / max(1e-9, sum(walls)),
        click_p50=_percentile(click_latencies, 0.5) if click_latencies else None,
        click_p95=_percentile(click_latencies, 0.95) if click_latencies else None,
        app_cpu=app_cpu,
        worker_cpu=worker_cpu,
        app_cpu_per_student=100.0 * app_cpu / wall / students,
        polling_cpu_per_student=100.0 * polling / students,
        idle_cpu_per_page=max(idle_before, idle_after),
        errors=errors,
        app_rss_mib=peaks[0] / 2**20,
        app_rss_per_student_mib=max(0, peaks[0] - rss_before) / 2**20 / (students + clicker),
        worker_rss_mib=peaks[1] / 2**20,
        breakdown=breakdown(
            class_[0], min(class_[0].intervals, key=lambda f: class_[0].intervals[f], default="")
        ),
    )


def breakdown(student: Student, live: str) -> list[dict[str, object]]:
    """What the fragments' runs of ``student`` sent, element by element: how often each came
    whole and how often as a cache reference, and its mean size whole (biggest first)."""
    rows: dict[tuple[str, str, str], list[DeltaSize]] = {}
    for delta in student.deltas:
        if delta.fragment:
            section = "live" if delta.fragment == live else "details"
            key = delta.key.rsplit("-", 1)[-1] if delta.element == "plotly_chart" else delta.key
            rows.setdefault((section, delta.element, key), []).append(delta)
    out = []
    for (section, element, key), deltas in rows.items():
        whole = [d.bytes for d in deltas if not d.ref]
        out.append(
            {
                "section": section,
                "element": element,
                "key": key,
                "whole": len(whole),
                "refs": len(deltas) - len(whole),
                "whole_bytes_mean": statistics.fmean(whole) if whole else 0.0,
                "bytes_total": sum(d.bytes for d in deltas),
            }
        )
    return sorted(out, key=lambda r: (str(r["section"]), -float(r["bytes_total"])))  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------- report


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(result: ClassResult, baseline: list[CliRun], verbose: bool = False) -> dict[str, object]:
    """Print one class size's numbers and their targets; return them as plain data."""
    n = result.students
    print(f"\n== {n} student(s), {result.epochs} epoch(s) each, default network on shapes")
    walls = sorted(r.wall for r in result.runs)
    print(f"runs (s, sorted): {', '.join(f'{w:.1f}' for w in walls)}")
    print(f"class wall time: {result.wall:.1f} s; {result.images_per_second:,.0f} images/s")
    summary: dict[str, object] = {"result": asdict(result)}
    if baseline:
        per_run = statistics.fmean(b.wall for b in baseline)
        cli_total = per_run * n
        training_total = statistics.fmean(b.training for b in baseline) * n
        measured = "measured" if len(baseline) >= n else f"{n} x the mean of {len(baseline)}"
        ratio = result.wall / cli_total
        print(
            f"CLI back to back ({measured}): {cli_total:.1f} s "
            f"(of which training {training_total:.1f} s)"
        )
        print(
            f"ratio class / CLI: {ratio:.2f} (target <= {RATIO_TARGET}: "
            f"{_mark(ratio <= RATIO_TARGET)}); class / CLI training time only: "
            f"{result.wall / training_total:.2f}"
        )
        summary.update(cli_total=cli_total, ratio=ratio)
    print(
        f"live tick: p50 {result.tick_p50:.3f} s, p95 {result.tick_p95:.3f} s "
        f"(target p95 < {TICK_P95_TARGET} s: {_mark(result.tick_p95 < TICK_P95_TARGET)})"
    )
    worst = max(result.tick_bytes_p95, result.detail_bytes_p95)
    print(
        f"bytes per live tick (training): p50 {result.tick_bytes_p50 / 1024:.1f} KiB, "
        f"p95 {result.tick_bytes_p95 / 1024:.1f} KiB; the section below: mean "
        f"{result.detail_bytes_mean / 1024:.1f} KiB, p95 {result.detail_bytes_p95 / 1024:.1f} "
        f"KiB per tick; all polling: {result.bytes_per_second / 1024:.1f} KiB/s per student "
        f"(target < 30 KiB per tick, either section: {_mark(worst < BYTES_TARGET)})"
    )
    if result.click_p50 is not None and result.click_p95 is not None:
        print(
            f"stepper click meanwhile: p50 {result.click_p50:.3f} s, p95 {result.click_p95:.3f} s"
        )
    total = result.app_cpu + result.worker_cpu
    print(
        f"server CPU: training (workers) {result.worker_cpu:.1f} s, app process "
        f"{result.app_cpu:.1f} s ({100 * result.app_cpu / max(total, 1e-9):.0f} % of the "
        f"server's); app per student over the whole run (opening, Start, the end included) "
        f"{result.app_cpu_per_student:.2f} % of one core"
    )
    print(
        f"memory: app process peak {result.app_rss_mib:.0f} MiB "
        f"(+{result.app_rss_per_student_mib:.1f} MiB per open page), "
        f"workers peak {result.worker_rss_mib:.0f} MiB together"
    )
    polling = result.polling_cpu_per_student
    if polling != polling:  # NaN: the queue kept someone waiting from the first run's end on
        print(
            "app per student while everyone only polls: not measured (no moment when every "
            "student was training and polling at once: the pool queues the rest)"
        )
    else:
        print(
            f"app per student while everyone only polls: {polling:.2f} % of one core "
            f"(target < {CPU_TARGET} %: {_mark(polling < CPU_TARGET)})"
        )
    print(
        f"app per open page while nothing polls (before Start, after the runs): "
        f"{result.idle_cpu_per_page:.2f} % of one core"
    )
    if verbose:
        print("the first student's polling, element by element (whole / as a cache reference):")
        for row in result.breakdown:
            print(
                f"  {row['section']:8} {row['element']:14} {row['key']:24} "
                f"whole {row['whole']:3} x {float(row['whole_bytes_mean']) / 1024:6.1f} KiB, "  # type: ignore[arg-type]
                f"refs {row['refs']:3}, total {float(row['bytes_total']) / 1024:7.1f} KiB"  # type: ignore[arg-type]
            )
    for error in result.errors:
        print(f"  problem: {error}")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 8, 30])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument(
        "--baseline-runs",
        type=int,
        default=8,
        help="CLI runs measured back to back (0: none); larger classes use their mean",
    )
    parser.add_argument(
        "--cli-threads",
        type=int,
        nargs="+",
        default=[0, 1],
        help="PyTorch thread settings of the CLI baseline (0: its default, every core); "
        "the class is compared with the fastest",
    )
    parser.add_argument("--no-clicker", action="store_true", help="no stepper student")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument(
        "--verbose", action="store_true", help="the bytes of the first student's ticks by element"
    )
    args = parser.parse_args(argv)

    cores = os.cpu_count()
    print(f"cnnviz class benchmark: {cores} CPU cores, Python {sys.version.split()[0]}")
    train_images = len(load_dataset(DataConfig()).train_y)
    measured: list[CliRun] = []
    for threads in args.cli_threads if args.baseline_runs else []:
        runs = cli_baseline(args.baseline_runs, args.epochs, threads)
        walls = ", ".join(f"{b.wall:.1f}" for b in runs)
        training = ", ".join(f"{b.training:.1f}" for b in runs)
        print(
            f"CLI runs back to back, {threads or 'default'} thread(s) (s, process start "
            f"included): {walls}; training only: {training}"
        )
        measured += runs
    baseline = fastest_baseline(measured)
    results = []
    with server() as (url, pid):
        asyncio.run(warm_up(url))
        for students in args.students:
            result = asyncio.run(
                run_class(url, pid, students, args.epochs, train_images, not args.no_clicker)
            )
            results.append(report(result, baseline, args.verbose))
    if args.json is not None:
        payload = {"baseline": [asdict(b) for b in measured], "classes": results}
        args.json.write_text(json.dumps(payload, indent=2))
    failed = any(r["result"]["errors"] for r in results)  # type: ignore[index]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
