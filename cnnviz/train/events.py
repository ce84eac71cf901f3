"""What a training run tells whoever drives it: small frozen events, in this order::

    Started
    Snapshot(step 0)                                  the probe image through the untrained net
    per batch:  BatchEnd [Snapshot every cfg.snapshot_every steps]
    per epoch:  EpochEnd, Snapshot
    Diverged (NaN or exploding loss), then Finished   or   [Evaluated], Finished

``Evaluated`` comes once, after the last epoch, when the data has an official test split (or
ten-crop evaluation is on): never for a stopped or diverged run.

They carry Python floats and CPU NumPy arrays, never live tensors, so they cross threads and processes.

Lesson: the "Train live" page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from torch import nn

__all__ = [
    "BatchEnd",
    "Diverged",
    "EpochEnd",
    "Evaluated",
    "Event",
    "Finished",
    "RunResult",
    "Snapshot",
    "Started",
]


@dataclass(frozen=True)
class Started:
    """Training begins on ``device`` ("cpu", "cuda", "mps"); ``total_batches = epochs * batches``."""

    device: str
    device_label: str
    total_batches: int
    epochs: int


@dataclass(frozen=True)
class BatchEnd:
    """One optimizer step done. ``epoch`` and ``batch`` count from 1; ``step`` is global (1..T).

    ``loss``: the batch's cross-entropy (with label smoothing, without the L1 penalty);
    ``lr``: the learning rate this step used.
    """

    epoch: int
    batch: int
    step: int
    loss: float
    lr: float


@dataclass(frozen=True)
class EpochEnd:
    """One epoch done. Train loss/accuracy are averaged over the epoch's batches (training mode,
    augmented); validation is measured after the epoch in eval mode. ``seconds`` covers the whole
    epoch with validation; ``images_per_second`` counts training images over training time.
    ``grad_norms``/``weight_norms``: per layer with parameters (``model.layer_names()``), the
    L2 norm ``sqrt(sum of squares)`` of its gradients (averaged over sampled batches) and weights.
    """

    epoch: int
    train_loss: float
    train_acc: float
    val_loss: float
    val_acc: float
    lr: float
    seconds: float
    images_per_second: float
    grad_norms: dict[str, float]
    weight_norms: dict[str, float]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The probe image's feature maps, one ``(name, (C, H, W) float32 array)`` per conv, pooling
    or residual layer (first 16 channels, at most 64x64), and the first conv's filters
    ``(out, in, kh, kw)`` (first 64), at global ``step`` (0 = before training)."""

    epoch: int
    step: int
    feature_maps: list[tuple[str, np.ndarray]]
    filters: np.ndarray | None


@dataclass(frozen=True)
class Diverged:
    """The loss became NaN/infinite or exploded; ``message_key`` explains and suggests a fix
    (catalog placeholders ``{loss}`` and ``{lr}``)."""

    epoch: int
    step: int
    loss: float
    message_key: str


@dataclass(frozen=True)
class Evaluated:
    """The run's final measurement, taken once with the final weights (the best epoch's, when
    early stopping restored them).

    ``split``: "test" (the dataset's official test split) or "validation" (no test split, but
    ten-crop evaluation was asked for). ``accuracy``/``loss``: one view of each image;
    ``ten_crop_accuracy``: the softmax of the ten views averaged (None when ten-crop is off).
    """

    split: str
    images: int
    accuracy: float
    loss: float
    ten_crop_accuracy: float | None = None

    @property
    def ten_crop_gain(self) -> float | None:
        """Accuracy gained by ten-crop evaluation (fraction; negative when it loses)."""
        if self.ten_crop_accuracy is None:
            return None
        return self.ten_crop_accuracy - self.accuracy


@dataclass(frozen=True)
class Finished:
    """The run ended. ``reason``: "completed" | "early_stopping" | "stopped" | "time_limit" |
    "diverged". ``best_epoch``: the epoch with the lowest validation loss (None before any);
    with early stopping on, the model holds that epoch's weights after an early end."""

    reason: str
    best_epoch: int | None
    best_val_loss: float | None
    seconds: float


Event: TypeAlias = Started | BatchEnd | EpochEnd | Snapshot | Diverged | Evaluated | Finished


@dataclass
class RunResult:
    """What :func:`fit` returns: the trained model and the run's history."""

    model: nn.Module
    epochs: list[EpochEnd]
    finished: Finished
    diverged: Diverged | None = None
    evaluated: Evaluated | None = None
