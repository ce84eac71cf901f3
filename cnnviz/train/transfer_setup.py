"""What a transfer-learning comparison is set up with, and what it reports: the sources and targets
this server offers, :class:`TransferConfig` (checked on the server) and the events that
:func:`cnnviz.train.transfer_run.train_transfer` yields (plain floats, never live tensors).

Lesson: the "Beyond classification" page, section "Transfer learning".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cnnviz.data import FASHION_SYSTEM_DIR, DataConfig
from cnnviz.data.fewshot import FEW_LABEL_CHOICES, MAX_PER_CLASS_LABELS
from cnnviz.i18n import Message
from cnnviz.net import pretrained_in_cache
from cnnviz.train.transfer import MODES, TransferReport

__all__ = [
    "MAX_TRANSFER_STEPS",
    "SOURCES",
    "SOURCE_SEED_OFFSET",
    "TARGETS",
    "TransferConfig",
    "TransferFinished",
    "TransferPoint",
    "TransferRunEnd",
    "TransferSourceReady",
    "TransferStarted",
    "available_sources",
    "available_targets",
]

SOURCES: tuple[str, ...] = ("shapes-32", "fashion-mnist", "resnet18")
TARGETS: tuple[str, ...] = ("shapes", "mnist")
MAX_TRANSFER_STEPS = 2000
SOURCE_SEED_OFFSET = 1000  # the shapes source is drawn from other seeds than the target


def available_sources() -> list[str]:
    """Sources this server can train: Fashion-MNIST only when its files are on disk."""
    fashion = Path(FASHION_SYSTEM_DIR) / "train-images-idx3-ubyte.gz"
    present = {"fashion-mnist": fashion.is_file(), "resnet18": "resnet18" in pretrained_in_cache()}
    return [s for s in SOURCES if present.get(s, True)]


def _mnist_roots() -> list[Path]:
    roots = [Path(os.environ["CNNVIZ_MNIST_DIR"])] if os.environ.get("CNNVIZ_MNIST_DIR") else []
    return [*roots, Path(DataConfig().resolved_data_dir())]


def available_targets() -> list[str]:
    """Targets this server has: MNIST only when its test split is on disk."""
    present = any(
        (root / "MNIST" / "raw" / f"t10k-images-idx3-ubyte{ext}").is_file()
        for root in _mnist_roots()
        for ext in ("", ".gz")
    )
    return [t for t in TARGETS if t != "mnist" or present]


@dataclass(frozen=True)
class TransferConfig:
    """One comparison: source and target tasks, labels per class ``per_class`` (the curves) and
    the ``sweep`` of labels per class, the schedule of each run (``steps`` Adam steps at ``lr``,
    the transferred layers at ``lr * transferred_lr_ratio`` when fine-tuning) and of the source.
    """

    source: str = "shapes-32"
    target: str = "shapes"
    per_class: int = 50
    sweep: tuple[int, ...] = FEW_LABEL_CHOICES
    steps: int = 120
    eval_every: int = 12
    lr: float = 0.003
    transferred_lr_ratio: float = 0.1
    batch_size: int = 32
    val_size: int = 600
    source_samples: int = 3000
    source_steps: int = 300
    seed: int = 0
    max_seconds: float = 120.0
    num_threads: int | None = None
    modes: tuple[str, ...] = field(default=MODES)

    def problems(self) -> list[Message]:
        """What a student must change (every limit re-checked on the server)."""
        found: list[Message] = []
        for name, value, allowed in (
            ("source", self.source, SOURCES),
            ("target", self.target, TARGETS),
        ):
            if value not in allowed:
                found.append(
                    Message.of(
                        "transfer.error.choice",
                        field=name,
                        value=repr(value),
                        allowed=", ".join(allowed),
                    )
                )
        if self.source == "resnet18" and self.target != "shapes":
            found.append(Message.of("transfer.error.pretrained_target", target=self.target))
        if not self.modes or any(m not in MODES for m in self.modes):
            found.append(
                Message.of(
                    "transfer.error.choice",
                    field="modes",
                    value=repr(self.modes),
                    allowed=", ".join(MODES),
                )
            )
        checks: list[tuple[str, Any, float, float]] = [
            ("k", self.per_class, 1, MAX_PER_CLASS_LABELS),
            ("steps", self.steps, 1, MAX_TRANSFER_STEPS),
            ("eval_every", self.eval_every, 1, MAX_TRANSFER_STEPS),
            ("lr", self.lr, 1e-5, 1.0),
            ("transferred_lr_ratio", self.transferred_lr_ratio, 0.0, 1.0),
            ("batch_size", self.batch_size, 1, 256),
            ("val_size", self.val_size, 12, 5000),
            ("source_samples", self.source_samples, 60, 20000),
            ("source_steps", self.source_steps, 1, MAX_TRANSFER_STEPS),
            ("max_seconds", self.max_seconds, 1.0, 3600.0),
        ]
        checks += [("sweep", k, 1, MAX_PER_CLASS_LABELS) for k in self.sweep]
        for name, value, low, high in checks:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not ok or not low <= value <= high:
                found.append(
                    Message.of("transfer.error.range", field=name, value=value, low=low, high=high)
                )
        return found

    @property
    def label_counts(self) -> tuple[int, ...]:
        """The labels per class of every run: ``per_class`` first (its curves stream live), then
        the rest of the sweep in increasing order."""
        rest = sorted(set(self.sweep) - {self.per_class})
        return (self.per_class, *rest)


# ----------------------------------------------------------------------------------------- events


@dataclass(frozen=True)
class TransferStarted:
    """The comparison began: ``runs`` planned; ``report`` says which layers transfer."""

    runs: int
    report: TransferReport
    source: str
    target: str
    num_classes: int


@dataclass(frozen=True)
class TransferSourceReady:
    """The source network is trained (or was in the server's cache): its validation accuracy."""

    accuracy: float
    seconds: float
    cached: bool


@dataclass(frozen=True)
class TransferPoint:
    """An evaluation of one run: ``mode`` with ``per_class`` labels, after ``step`` steps."""

    mode: str
    per_class: int
    step: int
    train_loss: float
    accuracy: float


@dataclass(frozen=True)
class TransferRunEnd:
    """One run ended: its final validation accuracy."""

    mode: str
    per_class: int
    accuracy: float
    seconds: float


@dataclass(frozen=True)
class TransferFinished:
    """The comparison ended: ``reason`` is "completed", "stopped" or "time_limit"."""

    reason: str
    runs: int
    elapsed_seconds: float


# ------------------------------------------------------------------------------------------- data
