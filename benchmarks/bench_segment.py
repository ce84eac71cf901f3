"""Segmentation on the shapes masks: validation mean IoU of the residual U-Net at the page's default
settings, and the wall time until it first reaches the target (0.8) — against the same network
without skip connections (same seed, same data, same schedule) trained in the same run.

Each epoch ends with a full validation pass; the time to target is the training time (validation
included, data generation excluded) at the end of the first epoch whose mean IoU >= target. The
runs are interleaved (skips, no skips, then the other order) and the median is reported, so a busy
shared machine affects both alike. Target: mean IoU >= 0.8 within 60 s on a 2-core CPU.

The page's defaults (depth 3 at 32x32, base 8 channels, 10 epochs, Adam with OneCycleLR peaking at
0.02, batch 32, 1000 training images, cross-entropy + Dice) were chosen with this script so that
both halves of the lesson hold: with skips the mean IoU passes 0.8 around epoch 6-7 and ends near
0.95; without skips, same seed, it ends near 0.82 (seeds 0, 1, 2 on a shared 2-core machine, one
thread: 0.947 / 0.957 / 0.956 against 0.818 / 0.825 / 0.817, about 2.5-3 s per epoch with skips).
At depth 2 / 28x28 the 7x7 bottom keeps enough detail and no skips does as well as skips.

    python benchmarks/bench_segment.py                  # 2 threads, default settings
    python benchmarks/bench_segment.py --repeats 3 --loss ce
    python benchmarks/bench_segment.py --depth 2 --size 28   # a shallow U: the skips matter little
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnnviz.train import SegmentConfig, SegmentEpoch, train_segmentation


def run(cfg: SegmentConfig, target: float) -> tuple[float, float | None, float]:
    """Final mean IoU, seconds to reach ``target`` (None if never), total seconds."""
    epochs = [e for e in train_segmentation(cfg) if isinstance(e, SegmentEpoch)]
    first = next((e for e in epochs if e.mean_iou >= target), None)
    for e in epochs:
        print(
            f"    epoch {e.epoch}: mean IoU {e.mean_iou:.3f}, {e.elapsed_seconds:.1f} s", flush=True
        )
    total = epochs[-1].elapsed_seconds
    where = "never" if first is None else f"at epoch {first.epoch}"
    print(f"    {target} reached {where}; {total / len(epochs):.1f} s per epoch", flush=True)
    return epochs[-1].mean_iou, None if first is None else first.elapsed_seconds, total


def _text(seconds: float | None) -> str:
    return "never" if seconds is None else f"{seconds:.1f} s"


def main() -> None:
    torch.set_num_threads(args.threads)
    base = dataclasses.replace(SegmentConfig(), loss=args.loss, num_threads=args.threads)
    if args.epochs is not None:
        base = dataclasses.replace(base, epochs=args.epochs)
    if args.depth is not None:
        base = dataclasses.replace(base, depth=args.depth)
    if args.size is not None:
        base = dataclasses.replace(base, image_size=args.size)
    if args.lr is not None:
        base = dataclasses.replace(base, lr=args.lr)
    base = dataclasses.replace(base, seed=args.seed)
    variants = {"skips": base, "no skips": dataclasses.replace(base, skips=False)}
    print(
        f"U-Net on shapes masks: {base.train_size} train / {base.val_size} val images "
        f"{base.image_size}x{base.image_size}, depth {base.depth}, loss {base.loss}, {base.epochs} epochs, "
        f"batch {base.batch_size}, lr {base.lr}, seed {base.seed}, {args.threads} thread(s), {args.repeats} interleaved repeats"
    )
    results: dict[str, list[tuple[float, float | None, float]]] = {name: [] for name in variants}
    for repeat in range(args.repeats):
        order = list(variants) if repeat % 2 == 0 else list(reversed(variants))
        for name in order:
            print(f"  repeat {repeat + 1}, {name}:", flush=True)
            results[name].append(run(variants[name], args.target))
    summary = {}
    for name, rows in results.items():
        iou = statistics.median(r[0] for r in rows)
        times = [r[1] for r in rows]
        reached = (
            statistics.median(t for t in times if t is not None)
            if all(t is not None for t in times)
            else None
        )
        total = statistics.median(r[2] for r in rows)
        summary[name] = (iou, reached, total)
        print(
            f"{name:>9}: mean IoU {iou:.3f}, {args.target} reached at {_text(reached)}, total {total:.1f} s"
        )
    (iou, reached, _), (base_iou, base_reached, _) = summary["skips"], summary["no skips"]
    print(f"mean IoU ratio skips / no skips: {iou / max(base_iou, 1e-9):.2f}")
    print(f"mean IoU gap skips - no skips: {iou - base_iou:+.3f}")
    if reached is not None and base_reached is not None:
        print(f"time-to-{args.target} ratio no skips / skips: {base_reached / reached:.2f}")
    verdict = "PASS" if reached is not None and reached <= args.budget else "FAIL"
    print(
        f"target: mean IoU >= {args.target} within {args.budget:.0f} s: {verdict} ({_text(reached)})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=None, help="default: the page's")
    parser.add_argument(
        "--depth", type=int, default=None, help="pooling levels; default: the page's"
    )
    parser.add_argument("--size", type=int, default=None, help="image side; default: the page's")
    parser.add_argument("--lr", type=float, default=None, help="peak rate; default: the page's")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--loss", choices=["ce", "dice", "both"], default="both")
    parser.add_argument("--target", type=float, default=0.8)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds")
    args = parser.parse_args()
    main()
