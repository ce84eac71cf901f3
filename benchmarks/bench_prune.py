"""Pruning evidence on the default network and the built-in shapes data, measured on this machine.

Trains ``tiny`` on the default "shapes" data (2,400 train / 600 validation images; Adam, lr 3e-3,
batch 64, as the Train page and the pruning lab's "train the default network" button), then:

1. every method at 50 / 80 / 90% sparsity without fine-tuning: validation accuracy and the
   points lost. Targets: global 50% costs <= 1 point; global beats random at 80% and 90%.
2. global 80% fine-tuned for ``--finetune-epochs`` epochs with the masks kept (lr 3e-3, the training lr).
   Target: within 2 points of the unpruned network.
3. inference time of the structured-pruned network rebuilt smaller against the original (batch
   of 256, median of 30), and of the masked network (unstructured sparsity: no gain expected).
4. the page's interaction: one ``prune_copy`` + evaluation against one evaluation of the dense
   network (the baseline), in ms.

    python benchmarks/bench_prune.py [--epochs 8] [--finetune-epochs 2] [--threads 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cnnviz.compress import (
    finetune,
    inference_ms,
    measured_sparsity,
    prune_and_evaluate,
    prune_copy,
    rebuild_structured,
)
from cnnviz.data import DataConfig, load_dataset
from cnnviz.net import PRESETS
from cnnviz.train import TrainConfig, evaluate, fit, fit_to_data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--finetune-epochs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    data = load_dataset(DataConfig())
    fitting = fit_to_data(PRESETS["tiny"], data)
    net, data = fitting.net, fitting.data
    start = time.perf_counter()
    cfg = TrainConfig(epochs=args.epochs, lr=3e-3, seed=args.seed, num_threads=args.threads)
    model = fit(net, data, cfg).model.eval()
    _, dense, _ = evaluate(model, data.val_x, data.val_y)
    print(
        f"tiny on shapes: {args.epochs} epochs in {time.perf_counter() - start:.1f} s, "
        f"validation accuracy {100 * dense:.2f}%"
    )

    print("\n1. without fine-tuning (accuracy %, points lost)")
    acc: dict[tuple[str, float], float] = {}
    for method in ("global", "layer", "structured", "random"):
        cells = []
        for amount in (0.5, 0.8, 0.9):
            _, sparsity, value = prune_and_evaluate(model, data, method, amount, seed=args.seed)
            acc[method, amount] = value
            cells.append(
                f"{amount:.0%}: {100 * value:5.1f} ({100 * (dense - value):+5.1f}, "
                f"measured {sparsity:.3f})"
            )
        print(f"  {method:>10}  " + "   ".join(cells))
    loss50 = 100 * (dense - acc["global", 0.5])
    print(f"  global 50% costs {loss50:.2f} points: {'PASS' if loss50 <= 1.0 else 'FAIL'} (<= 1)")
    for amount in (0.8, 0.9):
        g, r = acc["global", amount], acc["random", amount]
        verdict = "PASS" if g > r else "FAIL"
        print(f"  global {amount:.0%} {100 * g:.1f}% vs random {100 * r:.1f}%: {verdict}")

    print(f"\n2. global 80% fine-tuned {args.finetune_epochs} epochs (masks kept)")
    pruned = prune_copy(model, "global", 0.8)
    ft = TrainConfig(epochs=args.finetune_epochs, lr=3e-3, seed=args.seed, num_threads=args.threads)
    start = time.perf_counter()
    for _ in finetune(pruned, data, ft):
        pass
    _, tuned, _ = evaluate(pruned, data.val_x, data.val_y)
    gap = 100 * (dense - tuned)
    print(
        f"  {100 * acc['global', 0.8]:.1f}% -> {100 * tuned:.1f}% in "
        f"{time.perf_counter() - start:.1f} s; sparsity still {measured_sparsity(pruned):.4f}; "
        f"{gap:.2f} points below dense: {'PASS' if gap <= 2.0 else 'FAIL'} (<= 2)"
    )

    print("\n3. inference, batch of 256 (median of 30 calls)")
    x = data.val_x[:256]
    base_ms = inference_ms(model, x, repeats=30)
    masked = prune_copy(model, "global", 0.9)
    masked_ms = inference_ms(masked, x, repeats=30)
    for amount in (0.5, 0.75):
        structured = prune_copy(model, "structured", amount)
        _, rebuilt = rebuild_structured(structured, net)
        with torch.no_grad():
            same = torch.allclose(rebuilt(x), structured.eval()(x), atol=1e-5)
        small_ms = inference_ms(rebuilt, x, repeats=30)
        params = sum(p.numel() for p in rebuilt.parameters())
        print(
            f"  structured {amount:.0%} rebuilt ({params:,} params, same outputs: {same}): "
            f"{small_ms:.2f} ms vs original {base_ms:.2f} ms = {base_ms / small_ms:.2f}x faster"
        )
    print(
        f"  global 90% masked (unstructured): {masked_ms:.2f} ms vs {base_ms:.2f} ms = "
        f"{base_ms / masked_ms:.2f}x (no gain on a dense kernel; the mask hook costs a little)"
    )

    print("\n4. the page's interaction: prune a copy + evaluate, against evaluating the dense net")
    times_base, times_prune = [], []
    for _ in range(10):
        start = time.perf_counter()
        evaluate(model, data.val_x, data.val_y)
        times_base.append(time.perf_counter() - start)
        start = time.perf_counter()
        prune_and_evaluate(model, data, "global", 0.5)
        times_prune.append(time.perf_counter() - start)
    b, p = sorted(times_base)[5] * 1000, sorted(times_prune)[5] * 1000
    print(f"  evaluate {b:.1f} ms; prune + evaluate {p:.1f} ms = {p / b:.2f}x the baseline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
