"""The class benchmark as a smoke test: two students train four short epochs at once (long enough for the live panel to poll) on a real server
while a third clicks the stepper, through ``benchmarks/bench_class.py`` itself. Its timing
targets live in the benchmark; this checks that every part of it works and what it measured
is plausible (no timed assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_two_students_train_at_once_and_the_benchmark_reports_it(tmp_path: Path) -> None:
    out = tmp_path / "class.json"
    argv = ["--students", "2", "--epochs", "4", "--baseline-runs", "1", "--cli-threads", "1"]
    # run as a user runs it: its own process (and its own asyncio loop: a browser test earlier in
    # the same pytest process leaves Playwright's loop running)
    command = [sys.executable, str(ROOT / "benchmarks" / "bench_class.py"), *argv]
    done = subprocess.run([*command, "--json", str(out)], cwd=ROOT, timeout=900, check=False)
    assert done.returncode == 0  # no student saw a problem
    report = json.loads(out.read_text())
    assert [b["threads"] for b in report["baseline"]] == [1]
    (only,) = report["classes"]
    result = only["result"]
    assert result["students"] == 2 and result["errors"] == []
    for run in result["runs"]:  # each run finished, polled by its fragment on the way
        assert run["completed"] and run["final_text"].startswith("finished: epoch 4/4")
        assert run["ticks"] >= 1
    assert 0 < result["tick_bytes_p50"] <= result["tick_bytes_p95"]
    assert result["click_p50"] is not None  # the stepper student was answered meanwhile
    # the training ran in the worker processes, not in the app process
    assert result["worker_cpu"] > 0
    assert result["app_rss_mib"] > 0 and result["worker_rss_mib"] > 0  # memory, for deploy/README
    assert only["ratio"] > 0 and only["cli_total"] > 0
