"""Transfer learning at the page's defaults: the validation accuracy each approach reaches with
k = 10, 50 and 200 labelled images per class (from scratch, frozen features + new head,
fine-tuning with a smaller learning rate for the transferred layers) — against training from
scratch in the same run (the baseline), same seed, same labelled images, same schedule.

Prints, per k, each approach's median accuracy and its ratio to scratch, the labels per class each
approach needs to reach ``--target``, and the wall time of one whole comparison (source training
included on the first repeat, from the cache after). Target: one comparison well under 60 s on a
2-core CPU.

    python benchmarks/bench_transfer.py                    # 2 threads, the page's defaults
    python benchmarks/bench_transfer.py --repeats 3 --source shapes-32
    python benchmarks/bench_transfer.py --seeds 0 1 2      # the spread over seeds
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnnviz.train import (
    MODES,
    TransferRunEnd,
    TransferSourceReady,
    available_sources,
    available_targets,
    labels_needed,
    train_transfer,
    transfer_config,
)


def comparison(source: str, target: str, seed: int) -> tuple[dict[tuple[str, int], float], float]:
    """Final accuracy per (mode, k) and the seconds the whole comparison took."""
    cfg = replace(transfer_config(source, target, 50), seed=seed, num_threads=args.threads)
    started = time.perf_counter()
    results: dict[tuple[str, int], float] = {}
    for event in train_transfer(cfg):
        if isinstance(event, TransferSourceReady):
            how = "cached" if event.cached else "trained"
            print(f"    source {how}: accuracy {event.accuracy:.3f}", flush=True)
        if isinstance(event, TransferRunEnd):
            results[(event.mode, event.per_class)] = event.accuracy
            print(
                f"    k={event.per_class:>3} {event.mode:>8}: accuracy {event.accuracy:.3f}, "
                f"{event.seconds:.1f} s",
                flush=True,
            )
    return results, time.perf_counter() - started


def main() -> None:
    torch.set_num_threads(args.threads)
    source = args.source or available_sources()[0]
    target = args.target_task or available_targets()[0]
    cfg = transfer_config(source, target, 50)
    print(
        f"transfer {source} -> {target}: k in {cfg.label_counts}, {cfg.steps} steps per run, "
        f"lr {cfg.lr} (transferred x{cfg.transferred_lr_ratio}), {args.threads} thread(s), "
        f"seeds {args.seeds}, {args.repeats} repeat(s)"
    )
    rows: dict[tuple[str, int], list[float]] = {}
    seconds: list[float] = []
    for repeat in range(args.repeats):
        for seed in args.seeds:
            print(f"  repeat {repeat + 1}, seed {seed}:", flush=True)
            results, took = comparison(source, target, seed)
            seconds.append(took)
            for key, accuracy in results.items():
                rows.setdefault(key, []).append(accuracy)
    median = {key: statistics.median(values) for key, values in rows.items()}
    counts = sorted({k for _, k in median})
    print("\naccuracy (median) and ratio to scratch (baseline, same run):")
    print(f"{'approach':>9} " + " ".join(f"{'k=' + str(k):>16}" for k in counts))
    for mode in MODES:
        cells = []
        for k in counts:
            base = median[("scratch", k)]
            cells.append(f"{median[(mode, k)]:.3f} (x{median[(mode, k)] / max(base, 1e-9):.2f})")
        print(f"{mode:>9} " + " ".join(f"{c:>16}" for c in cells))
    needed = labels_needed(median, args.target)
    print(f"\nlabels per class to reach {args.target}:")
    for mode, k in needed.items():
        print(f"{mode:>9}: {k if k is not None else f'more than {max(counts)}'}")
    print(
        f"\ntime per comparison: median {statistics.median(seconds):.1f} s "
        f"(first, with the source trained: {seconds[0]:.1f} s)"
    )
    verdict = "PASS" if max(seconds) <= args.budget else "FAIL"
    print(f"target: one comparison within {args.budget:.0f} s: {verdict} ({max(seconds):.1f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--source", choices=["fashion-mnist", "shapes-32", "resnet18"])
    parser.add_argument("--target-task", choices=["shapes", "mnist"])
    parser.add_argument("--target", type=float, default=0.85, help="accuracy")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds")
    args = parser.parse_args()
    main()
