"""``python -m cnnviz prune``: train (or load) a network, prune it at several sparsities, report.

Prints one line per requested sparsity (with ``--json`` one JSON object per line): ``method``,
``requested``, ``sparsity`` (measured: exact zeros among conv/Linear weights), ``val_acc_dense``,
``val_acc``, ``val_acc_finetuned`` (after ``--finetune-epochs`` epochs with the masks kept;
null with 0), ``params_nonzero``, ``params_total``, ``dense_bytes``, ``sparse_bytes`` and, for
structured pruning, ``params_after_rebuild`` (the network rebuilt with fewer channels).
Exit code 0, or 2 for bad input (a sparsity of 1.0 or below 0, a network with nothing to
prune, a checkpoint for another network or dataset) with the reason on stderr.

Lesson: the pruning lab (page /prune), for notebooks and scripts.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from cnnviz.cli.train import _load_net
from cnnviz.compress import (
    METHODS,
    PruneError,
    RebuildError,
    check_sparsity,
    finetune,
    model_from_state,
    prune_and_evaluate,
    prune_copy,
    rebuild_structured,
    size_report,
)
from cnnviz.data import DATASET_NAMES, DataConfig, DataError, DatasetBundle, load_dataset
from cnnviz.i18n import MessageError
from cnnviz.net import CNNModel, NetSpec, SpecError
from cnnviz.train import (
    CheckpointError,
    TrainConfig,
    evaluate,
    fit,
    fit_to_data,
    load_checkpoint,
)

__all__ = ["add_prune_parser", "parse_sparsities", "run_prune"]


def add_prune_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``prune`` subcommand; its func is :func:`run_prune`."""
    parser = subparsers.add_parser(
        "prune",
        help="prune a trained network at several sparsities, one line per sparsity",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--preset", default=None, help="preset name or network JSON (default tiny)")
    parser.add_argument(
        "--dataset", default="shapes", choices=[n for n in DATASET_NAMES if n != "upload"]
    )
    parser.add_argument("--epochs", type=int, default=5, help="training epochs before pruning")
    parser.add_argument("--lr", type=float, default=3e-3, help="training learning rate (Adam)")
    parser.add_argument("--method", default="global", choices=list(METHODS))
    parser.add_argument("--norm", type=int, default=1, choices=(1, 2), help="structured: L1/L2")
    parser.add_argument("--sparsity", default="0.5,0.8,0.9", help="comma-separated fractions")
    parser.add_argument("--finetune-epochs", type=int, default=0)
    parser.add_argument("--finetune-lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--checkpoint", default=None, help="a cnnviz checkpoint instead of training"
    )
    parser.add_argument("--num-samples", type=int, default=3000, help="built-in data: images")
    parser.add_argument("--threads", type=int, default=None, help="torch threads")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.set_defaults(func=run_prune)
    return parser


def parse_sparsities(text: str) -> list[float]:
    """``"0.5,0.8"`` -> ``[0.5, 0.8]``; each checked (0..0.95) with a :class:`PruneError`."""
    values = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise PruneError("compress.error.sparsity", value=repr(part), high=0.95) from None
        check_sparsity(value)
        values.append(value)
    return values


def _mismatch(found: NetSpec, data: DatasetBundle) -> MessageError:
    return MessageError(
        "compress.error.mismatch",
        found=f"{found.name or 'network'} {found.input_shape}",
        expected=f"{data.name} {data.input_shape}, {data.num_classes} classes",
    )


def _source(args: argparse.Namespace) -> tuple[NetSpec, CNNModel, DatasetBundle]:
    data_cfg = DataConfig(name=args.dataset, num_samples=args.num_samples, seed=args.seed)
    data = load_dataset(data_cfg)
    if args.checkpoint is not None:
        checkpoint = load_checkpoint(Path(args.checkpoint).read_bytes())
        fitting = fit_to_data(checkpoint.net, data)
        if "input" in fitting.changes or "classes" in fitting.changes:
            raise _mismatch(checkpoint.net, data)
        if args.preset is not None:
            wanted = fit_to_data(_load_net(args.preset), data).net
            if wanted.layers != checkpoint.net.layers:
                raise _mismatch(checkpoint.net, data)
        model = model_from_state(checkpoint.net, checkpoint.state_dict)
        assert isinstance(model, CNNModel)
        return checkpoint.net, model, fitting.data
    fitting = fit_to_data(_load_net(args.preset or "tiny"), data)
    cfg = TrainConfig(epochs=args.epochs, lr=args.lr, seed=args.seed, num_threads=args.threads)
    result = fit(fitting.net, fitting.data, cfg)
    model = result.model.eval()
    assert isinstance(model, CNNModel)
    return fitting.net, model, fitting.data


def _row(record: dict[str, Any]) -> str:
    text = (
        f"{record['method']:>10}  requested {record['requested']:.2f}  "
        f"sparsity {record['sparsity']:.4f}  val_acc {record['val_acc']:.4f}"
    )
    if record["val_acc_finetuned"] is not None:
        text += f"  finetuned {record['val_acc_finetuned']:.4f}"
    text += f"  nonzero {record['params_nonzero']}/{record['params_total']}"
    if "params_after_rebuild" in record:
        text += f"  rebuilt {record['params_after_rebuild']}"
    return text


def run_prune(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run the ``prune`` subcommand; returns the exit code."""
    out = out or sys.stdout
    try:
        amounts = parse_sparsities(args.sparsity)
        net, model, data = _source(args)
        _, dense_acc, _ = evaluate(model, data.val_x, data.val_y)
        ft_cfg = TrainConfig(
            epochs=max(1, args.finetune_epochs),
            lr=args.finetune_lr,
            seed=args.seed,
            num_threads=args.threads,
        )
        for amount in amounts:
            pruned, sparsity, acc = prune_and_evaluate(
                model, data, args.method, amount, norm=args.norm, seed=args.seed
            )
            size = size_report(pruned)
            record: dict[str, Any] = {
                "method": args.method,
                "requested": amount,
                "sparsity": round(sparsity, 6),
                "val_acc_dense": round(dense_acc, 6),
                "val_acc": round(acc, 6),
                "val_acc_finetuned": None,
                "params_nonzero": size.params_nonzero,
                "params_total": size.params_total,
                "dense_bytes": size.dense_bytes,
                "sparse_bytes": size.sparse_bytes,
            }
            if args.method == "structured":
                _, rebuilt = rebuild_structured(pruned, net)
                record["params_after_rebuild"] = sum(p.numel() for p in rebuilt.parameters())
            if args.finetune_epochs > 0:
                tuned = prune_copy(model, args.method, amount, norm=args.norm, seed=args.seed)
                for _ in finetune(tuned, data, dataclasses.replace(ft_cfg)):
                    pass
                _, tuned_acc, _ = evaluate(tuned, data.val_x, data.val_y)
                record["val_acc_finetuned"] = round(tuned_acc, 6)
            print(json.dumps(record) if args.json else _row(record), file=out, flush=True)
    except (CheckpointError, PruneError, RebuildError, DataError, MessageError) as exc:
        message = exc.text("en")
    except (SpecError, ValueError, OSError) as exc:
        message = str(exc)
    else:
        return 0
    print(json.dumps({"error": message}) if args.json else f"error: {message}", file=sys.stderr)
    return 2
