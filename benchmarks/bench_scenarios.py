"""Time the Overfitting lab's guided scenarios and the capacity sweep on this machine, with verdicts.

Each scenario is trained exactly as the lab page trains it (same setup, seed, threads per job), the
wall time includes generating the data; the budget is 60 s per scenario and ~2 minutes for the
sweep on the CPU. Scenario 3's validation accuracy is compared with scenario 1's in the same run.
Each verdict is printed with the sentences the lab shows beside it; ``--curves PATH`` writes the
first seed's per-epoch curves of the cure scenario (``tests/fixtures/cure_run_seed0.json`` comes
from here, and ``tests/test_diagnosis.py`` checks its verdict against its numbers).

    .venv/bin/python benchmarks/bench_scenarios.py [--seeds 0 1] [--threads N] [--no-sweep]
        [--device cpu] [--curves PATH]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnnviz.data import load_dataset
from cnnviz.jobs import SequenceJob
from cnnviz.lab import (
    SCENARIOS,
    SWEEP_BASE,
    setup_configs,
    summarise_sweep,
    sweep_plan,
    sweep_points,
)
from cnnviz.train import default_num_threads, diagnose, diagnosis_lines, evaluate, fit

SCENARIO_BUDGET = 60.0
SWEEP_BUDGET = 150.0


def run_scenario(scenario_id: str, seed: int, threads: int, device: str) -> dict[str, object]:
    setup = dataclasses.replace(SCENARIOS[scenario_id].setup, seed=seed)
    start = time.perf_counter()
    net, data_cfg, cfg = setup_configs(setup)
    data = load_dataset(data_cfg)
    result = fit(net, data, dataclasses.replace(cfg, num_threads=threads, device=device))
    seconds = time.perf_counter() - start
    _, val_acc, _ = evaluate(result.model, data.val_x, data.val_y)
    reason = result.finished.reason if result.finished is not None else "completed"
    d = diagnose(
        result.epochs,
        early_stopping=cfg.early_stopping,
        stopped_early=reason == "early_stopping",
    )
    return {
        "scenario": scenario_id,
        "seed": seed,
        "seconds": seconds,
        "epochs": len(result.epochs),
        "train_acc": d.final_train_acc,
        "val_acc": val_acc,
        "verdict": d.verdict,
        "expected": SCENARIOS[scenario_id].expected or "-",
        "lines": diagnosis_lines(d, "en"),
        "remedies": d.remedies,
        "curves": {
            "scenario": scenario_id,
            "seed": seed,
            "early_stopping": cfg.early_stopping,
            "finished": reason,
            "epochs": [
                {
                    "epoch": e.epoch,
                    "train_loss": e.train_loss,
                    "train_acc": e.train_acc,
                    "val_loss": e.val_loss,
                    "val_acc": e.val_acc,
                }
                for e in result.epochs
            ],
        },
    }


def run_sweep(seed: int, threads: int, device: str) -> None:
    base = dataclasses.replace(SWEEP_BASE, seed=seed)
    start = time.perf_counter()
    data = load_dataset(setup_configs(base)[1])
    plan = [
        dataclasses.replace(p, cfg=dataclasses.replace(p.cfg, num_threads=threads, device=device))
        for p in sweep_plan(base)
    ]
    job = SequenceJob(plan, data, heartbeat_timeout=None)
    job.start()
    job.join()
    seconds = time.perf_counter() - start
    points = sweep_points(job.snapshot().outcomes)
    summary = summarise_sweep(points)
    print(f"\ncapacity sweep (seed {seed}): {seconds:.1f} s (budget {SWEEP_BUDGET:.0f} s)")
    print(f"{'width':>7} {'params':>8} {'train err':>10} {'val err':>8}")
    for p in points:
        print(
            f"{p.width:>7g} {p.params:>8,} {100 * p.train_error:>9.1f}% {100 * p.val_error:>7.1f}%"
        )
    if summary is not None:
        print(
            f"lowest val error {100 * summary.best.val_error:.1f}% at x{summary.best.width:g}; "
            f"left {100 * summary.left_error:.1f}%, right {100 * summary.right_error:.1f}%; "
            f"U-shaped: {summary.u_shaped}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--threads", type=int, default=default_num_threads())
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--no-sweep", action="store_true")
    parser.add_argument("--curves", type=Path, help="write the cure scenario's curves here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {args.threads} thread(s) per job, device {args.device}")
    print(
        f"{'scenario':>9} {'seed':>4} {'seconds':>8} {'epochs':>6} {'train acc':>9} "
        f"{'val acc':>8}  verdict (expected)"
    )
    for seed in args.seeds:
        rows = [run_scenario(s, seed, args.threads, args.device) for s in SCENARIOS]
        for row in rows:
            flag = "" if row["seconds"] <= SCENARIO_BUDGET else "  OVER BUDGET"  # type: ignore[operator]
            print(
                f"{row['scenario']:>9} {row['seed']:>4} {row['seconds']:>8.1f} {row['epochs']:>6} "
                f"{100 * row['train_acc']:>8.1f}% {100 * row['val_acc']:>7.1f}%  "  # type: ignore[operator]
                f"{row['verdict']} ({row['expected']}){flag}"
            )
            for line in row["lines"]:  # type: ignore[attr-defined]
                print(f"{'':>12}{line}")
            print(f"{'':>12}remedies: {', '.join(row['remedies'])}")  # type: ignore[arg-type]
        by_id = {row["scenario"]: row for row in rows}
        gain = by_id["cure"]["val_acc"] - by_id["overfit"]["val_acc"]  # type: ignore[operator]
        print(f"seed {seed}: scenario 3 val acc - scenario 1 val acc = {100 * gain:+.1f} points")
        if args.curves is not None and seed == args.seeds[0]:
            curves = {"torch": torch.__version__, **by_id["cure"]["curves"]}  # type: ignore[dict-item]
            args.curves.write_text(json.dumps(curves, indent=1) + "\n")
            print(f"cure scenario curves written to {args.curves}")
    if not args.no_sweep:
        for seed in args.seeds:
            run_sweep(seed, args.threads, args.device)


if __name__ == "__main__":
    main()
