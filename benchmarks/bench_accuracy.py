"""Accuracy evidence for the engine's defaults, measured on this machine.

1. The default network (``tiny``) on the default built-in data (3,000 "shapes" images, 2,400 to
   train / 600 to validate) with the Train page's defaults (Adam, lr 3e-3, batch 64): the
   validation accuracy per epoch, and the seconds until it first reaches 95%.
   Target: >= 95% in < 30 s on this 2-core CPU.
2. LeNet-5 (LeCun 1998; the images resized to its 32x32 input) on the official MNIST *test* split
   in ``--mnist-dir`` (default ../shared/data): 8,000 images to train, 2,000 to validate.
   Adam lr 2e-3 with a cosine schedule and light augmentation. Target: >= 97% validation
   accuracy; the time it takes is printed.

    python benchmarks/bench_accuracy.py [--threads 2] [--mnist-dir ../shared/data] [--device cpu]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cnnviz.data import AugmentConfig, DataConfig, DataError, load_dataset
from cnnviz.net import build_model, get_preset
from cnnviz.train import EpochEnd, TrainConfig, fit_to_data, train


def run(preset: str, data_cfg: DataConfig, cfg: TrainConfig, target: float) -> None:
    start = time.perf_counter()
    data = load_dataset(data_cfg)
    fitting = fit_to_data(get_preset(preset), data)
    load_seconds = time.perf_counter() - start
    model = build_model(fitting.net, seed=cfg.seed)
    params = sum(p.numel() for p in model.parameters())
    print(
        f"\n{preset} ({params:,} parameters) on {data_cfg.name}: {len(fitting.data.train_y)} train"
        f" / {len(fitting.data.val_y)} val images {fitting.data.input_shape}, "
        f"data ready in {load_seconds:.1f} s; {cfg.optimizer} lr {cfg.lr}, batch "
        f"{cfg.batch_size}, {cfg.schedule} schedule, augment {cfg.augment.enabled}, "
        f"{cfg.epochs} epochs, {cfg.num_threads} thread(s)"
    )
    reached: float | None = None
    start = time.perf_counter()
    last: EpochEnd | None = None
    for event in train(model, fitting.data, cfg):
        if isinstance(event, EpochEnd):
            elapsed = time.perf_counter() - start
            last = event
            mark = ""
            if reached is None and event.val_acc >= target:
                reached = elapsed
                mark = f"  <- {target:.0%} reached"
            print(
                f"  epoch {event.epoch:2d}: train acc {event.train_acc:.4f}  val acc "
                f"{event.val_acc:.4f}  val loss {event.val_loss:.4f}  {elapsed:6.1f} s  "
                f"({event.images_per_second:,.0f} images/s){mark}"
            )
    total = time.perf_counter() - start
    final = last.val_acc if last else float("nan")
    when = f"after {reached:.1f} s" if reached is not None else "NOT reached"
    print(f"  => final val acc {final:.4f} after {total:.1f} s; {target:.0%} {when}")


def main() -> None:
    torch.set_num_threads(args.threads)
    tiny_cfg = TrainConfig(
        epochs=args.tiny_epochs,
        batch_size=64,
        optimizer="adam",
        lr=3e-3,
        num_threads=args.threads,
        device=args.device,
    )
    run("tiny", DataConfig(), tiny_cfg, target=0.95)
    # 8,000 images are few for 61k parameters: a cosine schedule and light augmentation (2-pixel
    # shifts, 10-degree rotations) keep LeNet-5 from overfitting (about 97.0% without them).
    lenet_cfg = TrainConfig(
        epochs=args.lenet_epochs,
        batch_size=64,
        optimizer="adam",
        lr=2e-3,
        schedule="cosine",
        augment=AugmentConfig(enabled=True, shift=2, rotation=10.0),
        num_threads=args.threads,
        device=args.device,
    )
    mnist = DataConfig(name="mnist", data_dir=args.mnist_dir, max_samples=10_000)
    try:
        run("lenet5", mnist, lenet_cfg, target=0.97)
    except DataError as exc:
        print(f"\nLeNet-5 on MNIST skipped: {exc.text('en')}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--mnist-dir", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--tiny-epochs", type=int, default=12)
    parser.add_argument("--lenet-epochs", type=int, default=12)
    args = parser.parse_args()
    main()
