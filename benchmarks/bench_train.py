"""The training engine's overhead: images/second of the engine with its live events at the default
cadence vs. a bare PyTorch loop on the same model, data, batch size and thread count.

Both loops shuffle with a generator, train with Adam, and evaluate the validation set once per
epoch; the engine additionally yields a BatchEnd per batch, a feature-map Snapshot every 20
batches and at every epoch end, per-layer gradient norms (~10 samples per epoch) and weight norms,
and (``TrainingJob``) records them under a lock in a worker thread. Runs are interleaved
(bare, engine, job, then rotated) and the fastest of each is reported (the run least disturbed by
other processes), so a busy shared machine affects all of them alike. Target: ratio >= 0.95 on the CPU.

    python benchmarks/bench_train.py                       # CPU, 1 thread
    python benchmarks/bench_train.py --device cuda --epochs 5   # GPU: images/s and s/epoch
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnnviz.data import DataConfig, DatasetBundle, load_dataset
from cnnviz.jobs import TrainingJob
from cnnviz.net import NetSpec, build_model, get_preset
from cnnviz.train import EpochEnd, TrainConfig, fit_to_data, train


def bare_loop(
    net: NetSpec, data: DatasetBundle, cfg: TrainConfig, device: torch.device
) -> tuple[float, float]:
    """Seconds for ``cfg.epochs`` epochs of the plainest correct PyTorch loop (with validation)."""
    model = build_model(net, seed=cfg.seed).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    x, y = data.train_x.to(device), data.train_y.to(device)
    vx, vy = data.val_x.to(device), data.val_y.to(device)
    gen = torch.Generator().manual_seed(cfg.seed)
    steps = math.ceil(len(y) / cfg.batch_size)
    use_amp = cfg.amp and device.type == "cuda"
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
    _sync(device)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(cfg.epochs):
        model.train()
        order = torch.randperm(len(y), generator=gen).to(device)
        for b in range(steps):
            index = order[b * cfg.batch_size : (b + 1) * cfg.batch_size]
            with torch.autocast(device.type, dtype=torch.float16, enabled=use_amp):
                loss = F.cross_entropy(model(x[index]), y[index])
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        model.eval()
        with torch.no_grad():
            for s in range(0, len(vy), 512):
                with torch.autocast(device.type, dtype=torch.float16, enabled=use_amp):
                    F.cross_entropy(model(vx[s : s + 512]).float(), vy[s : s + 512])
    _sync(device)
    return time.perf_counter() - start, time.process_time() - cpu


def engine(
    net: NetSpec, data: DatasetBundle, cfg: TrainConfig, device: torch.device
) -> tuple[float, list]:
    """Seconds for the same epochs through ``train()``, consuming every event."""
    model = build_model(net, seed=cfg.seed)
    _sync(device)
    start, cpu = time.perf_counter(), time.process_time()
    epochs = [e for e in train(model, data, cfg) if isinstance(e, EpochEnd)]
    _sync(device)
    return time.perf_counter() - start, time.process_time() - cpu, epochs


def job(
    net: NetSpec, data: DatasetBundle, cfg: TrainConfig, device: torch.device
) -> tuple[float, float]:
    """Seconds for the same epochs in a ``TrainingJob`` worker thread (what the page runs)."""
    training = TrainingJob(net, data, cfg, heartbeat_timeout=None)
    start, cpu = time.perf_counter(), time.process_time()
    training.start()
    training.join()
    _sync(device)
    return time.perf_counter() - start, time.process_time() - cpu


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def main() -> None:
    torch.set_num_threads(args.threads)
    fitting = fit_to_data(
        get_preset(args.preset), load_dataset(DataConfig(num_samples=args.samples))
    )
    net, data = fitting.net, fitting.data
    device = torch.device(args.device)
    cfg = TrainConfig(
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=1e-3,
        device=args.device,
        num_threads=args.threads,
        amp=args.amp,
    )
    images = args.epochs * len(data.train_y)
    print(
        f"{args.preset} on shapes: {len(data.train_y)} train / {len(data.val_y)} val images, "
        f"batch {args.batch_size}, {args.epochs} epochs, device {device}, "
        f"{args.threads} thread(s), {args.repeats} interleaved repeats"
    )
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "engine": [], "job": []}
    engine(net, data, dataclasses.replace(cfg, epochs=1), device)  # warm-up (allocators, kernels)
    bare_loop(net, data, dataclasses.replace(cfg, epochs=1), device)
    last_epochs: list = []
    order = ["bare", "engine", "job"]
    for repeat in range(args.repeats):
        for name in order[repeat % 3 :] + order[: repeat % 3]:  # rotate who goes first
            if name == "bare":
                runs["bare"].append(bare_loop(net, data, cfg, device))
            elif name == "engine":
                wall, cpu, last_epochs = engine(net, data, cfg, device)
                runs["engine"].append((wall, cpu))
            else:
                runs["job"].append(job(net, data, cfg, device))
    # the fastest of the repeats: the least disturbed by other processes (standard for overheads)
    wall = {k: min(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: min(c for _, c in v) for k, v in runs.items()}
    names = {"bare": "bare loop", "engine": "engine (train())", "job": "TrainingJob (thread)"}
    for key, name in names.items():
        print(
            f"{name:<21}: {images / wall[key]:8.0f} images/s wall ({wall[key] / args.epochs:.3f} "
            f"s/epoch), {images / cpu[key]:8.0f} images per CPU-second"
        )
    print(
        f"ratio vs bare (wall clock): engine {wall['bare'] / wall['engine']:.3f}, "
        f"job {wall['bare'] / wall['job']:.3f}   (target >= 0.95)"
    )
    print(
        f"ratio vs bare (CPU time, robust on a busy machine): engine "
        f"{cpu['bare'] / cpu['engine']:.3f}, job {cpu['bare'] / cpu['job']:.3f}"
    )
    if last_epochs:
        print(
            f"engine's own EpochEnd.images_per_second (training only): "
            f"{statistics.median(e.images_per_second for e in last_epochs):.0f}, "
            f"final val acc {last_epochs[-1].val_acc:.3f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "mps"])
    parser.add_argument("--preset", default="tiny")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--amp", action="store_true")
    args = parser.parse_args()
    main()
