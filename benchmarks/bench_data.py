"""Data benchmarks, each measured against a baseline in the same run.

1. Shapes generation (vectorised NumPy) against drawing the same images one at a time.
2. ``augment_batch`` (one batched affine per batch, torchvision's conventions) against the
   per-image ``torchvision.transforms.v2.functional`` loop it reproduces.
3. Reading the MNIST test split from ``../shared/data`` (when present).
4. ``--learn``: the tiny CNN on the default shapes data: epochs and seconds to 95% validation
   accuracy (Adam, batch 64, 1 thread), and a logistic regression for comparison.

Run: ``.venv/bin/python benchmarks/bench_data.py [--learn]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.transforms.v2 import InterpolationMode
from torchvision.transforms.v2 import functional as TF

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cnnviz.data import (
    AugmentConfig,
    DataConfig,
    DatasetBundle,
    augment_batch,
    draw_params,
    load_dataset,
    make_shapes,
)


def best_of(repeats: int, work: Callable[..., object], *args: object, **kwargs: object) -> float:
    """The fastest of ``repeats`` calls ``work(*args, **kwargs)``, in seconds (the least disturbed
    by other processes on a shared machine)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def shapes_one_at_a_time(count: int, size: int, colour: bool) -> None:
    for i in range(count):
        make_shapes(1, size, colour=colour, noise=0.1, rng=np.random.default_rng(i))


def bench_generation() -> None:
    for colour, size in ((False, 28), (True, 64)):
        rng = np.random.default_rng(0)
        batched = best_of(3, make_shapes, 3000, size, colour=colour, noise=0.1, rng=rng)
        one_by_one = best_of(1, shapes_one_at_a_time, 3000, size, colour)
        kind = "colour" if colour else "gray"
        print(
            f"generate 3000 {kind} {size}x{size}: {batched * 1000:.0f} ms batched, "
            f"{one_by_one * 1000:.0f} ms one at a time, speed-up x{one_by_one / batched:.1f}"
        )


def per_image_v2(x: torch.Tensor, cfg: AugmentConfig, generator: torch.Generator) -> torch.Tensor:
    """The baseline: the same random parameters applied image by image with v2's functional ops."""
    params = draw_params(x.shape[0], cfg, generator)
    out = []
    for i in range(x.shape[0]):
        image = TF.affine(
            x[i],
            angle=float(params.angle[i]),
            translate=[int(v) for v in params.shift[i]],
            scale=1.0,
            shear=[0.0, 0.0],
            interpolation=InterpolationMode.BILINEAR,
            fill=[0.0] * x.shape[1],
        )
        if bool(params.flip[i]):
            image = TF.horizontal_flip(image)
        if cfg.color_jitter > 0:
            image = TF.adjust_brightness(image, float(params.brightness[i]))
            image = TF.adjust_contrast(image, float(params.contrast[i]))
        out.append(image)
    return torch.stack(out)


def bench_augment() -> None:
    cases = (
        ((64, 1, 28, 28), AugmentConfig(enabled=True, shift=2, rotation=10.0)),
        (
            (64, 3, 32, 32),
            AugmentConfig(enabled=True, shift=4, rotation=15.0, flip=True, color_jitter=0.3),
        ),
    )
    for shape, cfg in cases:
        x = torch.rand(*shape)
        zeros, ones = (0.0,) * shape[1], (1.0,) * shape[1]
        ours = augment_batch(x, cfg, torch.Generator().manual_seed(0), mean=zeros, std=ones)
        reference = per_image_v2(x, cfg, torch.Generator().manual_seed(0))
        max_diff = (ours - reference).abs().max().item()
        batched = best_of(20, augment_batch, x, cfg, torch.Generator(), mean=zeros, std=ones)
        looped = best_of(5, per_image_v2, x, cfg, torch.Generator())
        print(
            f"augment batch {tuple(shape)}: {batched * 1000:.2f} ms batched, "
            f"{looped * 1000:.2f} ms per-image v2, speed-up x{looped / batched:.1f}, "
            f"max |difference| {max_diff:.1e}"
        )


def bench_mnist() -> None:
    shared = ROOT.parent / "shared" / "data"
    if not (shared / "MNIST" / "raw").is_dir():
        print("MNIST test split not found in ../shared/data: skipped")
        return
    import os

    os.environ["CNNVIZ_MNIST_DIR"] = str(shared)
    cfg = DataConfig(name="mnist", data_dir="/nonexistent")
    seconds = best_of(3, load_dataset, cfg)
    bundle = load_dataset(cfg)
    print(
        f"MNIST test split: {len(bundle.train_y)} train + {len(bundle.val_y)} val "
        f"loaded in {seconds * 1000:.0f} ms"
    )


def tiny_cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 7 * 7, 6),
    )


def train_until(
    model: nn.Module, data: DatasetBundle, lr: float, target: float, max_epochs: int
) -> tuple[int | None, float, float]:
    """Epochs and training seconds until validation accuracy >= target; best accuracy."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    order = torch.Generator().manual_seed(0)
    seconds, best = 0.0, 0.0
    for epoch in range(1, max_epochs + 1):
        start = time.perf_counter()
        permutation = torch.randperm(len(data.train_y), generator=order)
        for i in range(0, len(permutation), 64):
            batch = permutation[i : i + 64]
            loss = F.cross_entropy(model(data.train_x[batch]), data.train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        seconds += time.perf_counter() - start
        with torch.no_grad():
            accuracy = (model(data.val_x).argmax(1) == data.val_y).float().mean().item()
        best = max(best, accuracy)
        if accuracy >= target:
            return epoch, seconds, best
    return None, seconds, best


def bench_learn() -> None:
    torch.set_num_threads(1)
    data = load_dataset(DataConfig())
    for lr in (1e-3, 2e-3, 3e-3):
        torch.manual_seed(0)
        epochs, seconds, best = train_until(tiny_cnn(), data, lr, 0.95, 30)
        print(f"tiny CNN, Adam lr {lr:g}: 95% val after {epochs} epochs, {seconds:.1f} s")
    torch.manual_seed(0)
    linear = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 6))
    _, seconds, best = train_until(linear, data, 3e-3, 1.01, 20)
    print(f"logistic regression, 20 epochs: best val accuracy {best:.3f} ({seconds:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learn", action="store_true", help="also time the tiny CNN to 95%%")
    args = parser.parse_args()
    torch.set_num_threads(1)
    bench_generation()
    bench_augment()
    bench_mnist()
    if args.learn:
        bench_learn()


if __name__ == "__main__":
    main()
