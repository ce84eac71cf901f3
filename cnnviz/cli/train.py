"""``python -m cnnviz train``: train a preset or a JSON network on a dataset from a terminal.

Prints one line per epoch (a table, or with ``--json`` one JSON object per line with
``epoch, train_loss, val_loss, train_acc, val_acc, lr, seconds, images_per_second``) and a final
result line (``"event": "result"``: reason, best epoch, final accuracies, time, the diagnosis, and
the one measurement on the official test split: ``test_acc``, ``test_loss``, ``test_images``;
``test_acc`` is null and ``test_images`` 0 for data without one, the built-in shapes; with
``--ten-crop`` also ``ten_crop_acc``). The network is fitted to the dataset first
(input shape / image size and number of classes, see ``cnnviz.train.loop.fit_to_data``).
Exit code 0 when training ran (also when it diverged: see ``reason``), 2 for bad input, including
``--device cuda`` (or ``mps``) on a machine that has none: the run never silently falls back to the
CPU.

Lesson: the "Train live" page's engine, for notebooks, scripts and the Overfitting lab's sweeps.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any, TextIO

from cnnviz.data import DATASET_NAMES, AugmentConfig, DataConfig, DataError, load_dataset
from cnnviz.net import (
    PRESETS,
    NetSpec,
    SpecError,
    build_model,
    get_preset,
    net_from_json,
    widen,
    with_dropout,
)
from cnnviz.train import (
    DEVICES,
    INITS,
    OPTIMIZERS,
    SCHEDULES,
    Diverged,
    EpochEnd,
    Evaluated,
    Finished,
    Started,
    TrainConfig,
    available_devices,
    check_limits,
    diagnose,
    fit_to_data,
    train,
)

__all__ = ["add_train_parser", "main", "run_train"]

MAX_SPEC_BYTES = 256 * 1024


def add_train_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``train`` subcommand (``cnnviz.cli.main`` calls this); its func is :func:`run_train`."""

    defaults = TrainConfig()
    parser = subparsers.add_parser(
        "train",
        help="train a network on a dataset, one line per epoch",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--preset", default="tiny", help="preset name or a network JSON file")
    parser.add_argument(
        "--dataset", default="shapes", choices=[n for n in DATASET_NAMES if n != "upload"]
    )
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--lr", type=float, default=defaults.lr)
    parser.add_argument("--optimizer", default=defaults.optimizer, choices=list(OPTIMIZERS))
    parser.add_argument("--schedule", default=defaults.schedule, choices=list(SCHEDULES))
    parser.add_argument(
        "--init",
        default=defaults.init,
        choices=list(INITS),
        help="weight initialisation (zeros: nothing can learn, the extreme case)",
    )
    parser.add_argument(
        "--init-sigma", type=float, default=defaults.init_sigma, help="std of --init normal"
    )
    parser.add_argument(
        "--device",
        default="auto",
        choices=list(DEVICES),
        help="auto picks CUDA, then MPS, then the CPU; a device this machine lacks is an error",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--amp", action="store_true", help="mixed precision (CUDA only)")
    parser.add_argument("--threads", type=int, default=None, help="torch threads for training")
    parser.add_argument("--max-seconds", type=float, default=None, help="stop after this long")
    data = parser.add_argument_group("data")
    data.add_argument("--num-samples", type=int, default=3000, help="built-in data: images")
    data.add_argument("--image-size", type=int, default=28, help="built-in data: 28, 32 or 64")
    data.add_argument("--noise", type=float, default=0.1, help="built-in data: pixel noise")
    data.add_argument("--max-samples", type=int, default=None, help="real data: images to read")
    data.add_argument("--data-dir", default=None, help="folder of real datasets")
    data.add_argument("--download", action="store_true", help="download a missing dataset")
    lab = parser.add_argument_group("lab")
    lab.add_argument("--train-size", type=int, default=None, help="use this many train images")
    lab.add_argument("--label-noise", type=float, default=0.0, help="fraction of wrong labels")
    lab.add_argument("--width", type=float, default=1.0, help="multiply channels/hidden units")
    lab.add_argument("--dropout", type=float, default=None, help="dropout before hidden Linear")
    lab.add_argument("--weight-decay", type=float, default=0.0, help="L2 regularisation")
    lab.add_argument("--l1", type=float, default=0.0, help="L1 regularisation")
    lab.add_argument("--label-smoothing", type=float, default=0.0)
    lab.add_argument("--augment", action="store_true", help="random shift and rotation")
    alexnet = parser.add_argument_group("AlexNet's augmentation")
    alexnet.add_argument(
        "--crop-padding", type=int, default=0, help="random crops: pad by P pixels, crop back"
    )
    alexnet.add_argument("--flip", action="store_true", help="mirror half the images")
    alexnet.add_argument(
        "--pca-colour", type=float, default=0.0, help="PCA colour augmentation sigma (AlexNet 0.1)"
    )
    alexnet.add_argument(
        "--ten-crop",
        action="store_true",
        help="also evaluate on ten crops averaged (needs --crop-padding)",
    )
    lab.add_argument("--early-stopping", action="store_true", help="stop when val loss rises")
    lab.add_argument("--patience", type=int, default=defaults.patience)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.set_defaults(func=run_train)
    return parser


def _load_net(value: str) -> NetSpec:

    if value in PRESETS:
        return get_preset(value)
    if value.lstrip().startswith("{"):
        return net_from_json(value)
    path = Path(value)
    if path.is_file():
        if path.stat().st_size > MAX_SPEC_BYTES:
            raise ValueError(f"{value}: the file is larger than {MAX_SPEC_BYTES // 1024} KB")
        return net_from_json(path.read_text(encoding="utf-8"))
    raise ValueError(f"{value!r} is neither a preset ({', '.join(PRESETS)}) nor a JSON file")


def _augment(args: argparse.Namespace) -> AugmentConfig:
    """``--augment``: shift and rotation; the AlexNet options add crops, flips, PCA colour."""
    alexnet = args.crop_padding > 0 or args.flip or args.pca_colour > 0 or args.ten_crop
    if not (args.augment or alexnet):
        return AugmentConfig()
    defaults = AugmentConfig()
    return AugmentConfig(
        enabled=True,
        shift=defaults.shift if args.augment else 0,
        rotation=defaults.rotation if args.augment else 0.0,
        flip=args.flip,
        crop_padding=args.crop_padding,
        pca_colour=args.pca_colour,
        ten_crop=args.ten_crop,
    )


def _check_device(device: str) -> None:
    """Refuse a device this machine lacks (the engine would quietly train on the CPU)."""
    found = available_devices()
    if device != "auto" and device not in found:
        raise ValueError(
            f"--device {device}: this machine has no {device.upper()} device that PyTorch can "
            f"use (available: {', '.join(found)}). Use --device auto or --device cpu."
        )


def _number(value: float) -> float | None:
    return round(value, 6) if math.isfinite(value) else None


def _emit(record: dict[str, Any], as_json: bool, out: TextIO, table_row: str) -> None:
    print(json.dumps(record) if as_json else table_row, file=out, flush=True)


def run_train(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run the ``train`` subcommand; returns the exit code."""
    out = out or sys.stdout
    try:
        net = _load_net(args.preset)
        if args.width != 1.0 or args.dropout is not None:
            if args.width != 1.0:
                net = widen(net, args.width)
            if args.dropout is not None:
                net = with_dropout(net, args.dropout)
        data_cfg = DataConfig(
            name=args.dataset,
            image_size=args.image_size,
            num_samples=args.num_samples,
            noise=args.noise,
            label_noise=args.label_noise,
            train_size=args.train_size,
            max_samples=args.max_samples,
            seed=args.seed,
            data_dir=args.data_dir,
            download=args.download,
        )
        cfg = TrainConfig(
            epochs=args.epochs,
            batch_size=args.batch_size,
            optimizer=args.optimizer,
            lr=args.lr,
            weight_decay=args.weight_decay,
            l1=args.l1,
            schedule=args.schedule,
            label_smoothing=args.label_smoothing,
            init=args.init,
            init_sigma=args.init_sigma,
            early_stopping=args.early_stopping,
            patience=args.patience,
            augment=_augment(args),
            seed=args.seed,
            device=args.device,
            amp=args.amp,
            num_threads=args.threads,
            max_seconds=args.max_seconds,
        )
        _check_device(args.device)
        data = load_dataset(data_cfg)
        fitting = fit_to_data(net, data)
        problems = check_limits(fitting.net, fitting.data, cfg)
        if problems:
            raise SpecError(problems)
        model = build_model(fitting.net, seed=cfg.seed)
    except (SpecError, DataError, ValueError, OSError) as exc:
        message = exc.text("en") if isinstance(exc, DataError) else str(exc)
        print(json.dumps({"error": message}) if args.json else f"error: {message}", file=sys.stderr)
        return 2

    params = sum(p.numel() for p in model.parameters())
    epochs: list[EpochEnd] = []
    result: dict[str, Any] = {"event": "result", "test_acc": None, "test_images": 0}
    for event in train(model, fitting.data, cfg):
        match event:
            case Started():
                header = {
                    "event": "start",
                    "network": fitting.net.name or "custom",
                    "dataset": args.dataset,
                    "fitted": list(fitting.changes),
                    "input_shape": list(fitting.net.input_shape),
                    "params": params,
                    "train_images": len(fitting.data.train_y),
                    "val_images": len(fitting.data.val_y),
                    "split_images": fitting.data.split_size,
                    "device": event.device_label,
                }
                row = (
                    f"{header['network']} ({params:,} parameters) on {args.dataset}: "
                    f"{header['train_images']} train / {header['val_images']} val images, "
                    f"{event.device_label}\n"
                    f"{'epoch':>5} {'train_loss':>10} {'val_loss':>9} {'train_acc':>9} "
                    f"{'val_acc':>8} {'seconds':>8} {'images/s':>9}"
                )
                _emit(header, args.json, out, row)
            case EpochEnd():
                epochs.append(event)
                record = {
                    "epoch": event.epoch,
                    "train_loss": _number(event.train_loss),
                    "val_loss": _number(event.val_loss),
                    "train_acc": _number(event.train_acc),
                    "val_acc": _number(event.val_acc),
                    "lr": event.lr,
                    "seconds": round(event.seconds, 3),
                    "images_per_second": round(event.images_per_second, 1),
                }
                row = (
                    f"{event.epoch:>5} {event.train_loss:>10.4f} {event.val_loss:>9.4f} "
                    f"{event.train_acc:>9.2%} {event.val_acc:>8.2%} {event.seconds:>8.2f} "
                    f"{event.images_per_second:>9.0f}"
                )
                _emit(record, args.json, out, row)
            case Evaluated():
                result.update(_evaluated(event))
            case Diverged():
                result["diverged"] = {
                    "epoch": event.epoch,
                    "step": event.step,
                    "loss": str(event.loss),
                }
            case Finished():
                result.update(
                    reason=event.reason,
                    best_epoch=event.best_epoch,
                    best_val_loss=_number(event.best_val_loss)
                    if event.best_val_loss is not None
                    else None,
                    epochs=len(epochs),
                    seconds=round(event.seconds, 3),
                )
    if epochs:
        last = epochs[-1]
        result.update(
            train_loss=_number(last.train_loss),
            val_loss=_number(last.val_loss),
            train_acc=_number(last.train_acc),
            val_acc=_number(last.val_acc),
        )
        result["diagnosis"] = diagnose(
            epochs,
            early_stopping=args.early_stopping,
            stopped_early=result.get("reason") == "early_stopping",
        ).verdict
    row = f"finished: {result.get('reason')}" + "".join(
        f", {key} {result[key]}"
        for key in ("best_epoch", "val_acc", "test_acc", "ten_crop_acc", "seconds", "diagnosis")
        if result.get(key) is not None
    )
    _emit(result, args.json, out, row)
    return 0


def _evaluated(event: Evaluated) -> dict[str, Any]:
    """The final measurement's keys of the result line (``val_*`` when it was the validation
    set: data without an official test split, measured with ten crops)."""
    if event.split == "test":
        found: dict[str, Any] = {
            "test_acc": _number(event.accuracy),
            "test_loss": _number(event.loss),
            "test_images": event.images,
        }
        if event.ten_crop_accuracy is not None:
            found["ten_crop_acc"] = _number(event.ten_crop_accuracy)
        return found
    return {
        "val_one_crop_acc": _number(event.accuracy),
        "val_ten_crop_acc": _number(event.ten_crop_accuracy or math.nan),
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m cnnviz.cli.train ...`` (the same as ``python -m cnnviz train ...``)."""
    parser = argparse.ArgumentParser(prog="cnnviz")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_train_parser(subparsers)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
