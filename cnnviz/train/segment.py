"""Segmentation: a class per pixel. Metrics (IoU, Dice), losses (cross-entropy per pixel, soft
Dice, both) and the training generator of a U-Net on the shapes masks.

Metrics come from one confusion matrix ``M[true, predicted]`` over every pixel:
``IoU_c = TP / (TP + FP + FN)`` and ``Dice_c = 2 TP / (2 TP + FP + FN)``; a class absent from
both the truth and the prediction has no score (NaN) and is left out of the mean.
Soft Dice loss (Milletari et al. 2016) on the softmax probabilities ``p`` and the one-hot truth
``y``: ``1 - mean_c (2 sum p y + eps) / (sum p + sum y + eps)``; "both" adds it to the
cross-entropy.

``train_segmentation`` yields events like :func:`cnnviz.train.train` (plain floats and NumPy
arrays, never live tensors); :class:`cnnviz.jobs.SegmentTask` runs it in the background.

Lesson: the "Beyond classification" page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from cnnviz.control import Control, JobStopped
from cnnviz.data import MASK_CLASSES, make_shape_masks
from cnnviz.i18n import Message, MessageError
from cnnviz.net import UNetSpec, build_unet

__all__ = [
    "LOSSES",
    "MAX_SEGMENT_DEPTH",
    "MAX_SEGMENT_EPOCHS",
    "MAX_SEGMENT_IMAGES",
    "MAX_SEGMENT_SIZE",
    "MIN_SEGMENT_SIZE",
    "SegmentBatch",
    "SegmentConfig",
    "SegmentEpoch",
    "SegmentFinished",
    "SegmentImages",
    "SegmentStarted",
    "dice_scores",
    "iou_scores",
    "mean_score",
    "pixel_confusion",
    "segment_data",
    "segmentation_loss",
    "soft_dice_loss",
    "train_segmentation",
]

LossKind = Literal["ce", "dice", "both"]
LOSSES: tuple[str, ...] = ("ce", "dice", "both")
MAX_SEGMENT_EPOCHS = 30
MAX_SEGMENT_IMAGES = 8000
MAX_SEGMENT_DEPTH = 3  # pooling levels a student may choose (32x32 -> 4x4 at the bottom)
MIN_SEGMENT_SIZE = 8  # pixels per side: smaller masks hold no shape worth segmenting
MAX_SEGMENT_SIZE = 64  # pixels per side: a classroom server trains many of these at once


def pixel_confusion(predicted: Tensor, target: Tensor, num_classes: int) -> np.ndarray:
    """``M[t, p]``: how many pixels of true class ``t`` were predicted as ``p`` (int64)."""
    index = target.reshape(-1).long() * num_classes + predicted.reshape(-1).long()
    counts = torch.bincount(index, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes).cpu().numpy().astype(np.int64)


def iou_scores(confusion: np.ndarray) -> np.ndarray:
    """Per-class IoU ``TP / (TP + FP + FN)``; NaN for a class in neither truth nor prediction."""
    tp = np.diag(confusion).astype(np.float64)
    union = confusion.sum(axis=0) + confusion.sum(axis=1) - tp
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, tp / np.maximum(union, 1), np.nan)


def dice_scores(confusion: np.ndarray) -> np.ndarray:
    """Per-class Dice ``2 TP / (2 TP + FP + FN)``; NaN for a class in neither truth nor prediction."""
    tp = np.diag(confusion).astype(np.float64)
    total = confusion.sum(axis=0) + confusion.sum(axis=1)
    return np.where(total > 0, 2 * tp / np.maximum(total, 1), np.nan)


def mean_score(scores: np.ndarray) -> float:
    """The mean over classes that have a score (0.0 when none has)."""
    present = scores[~np.isnan(scores)]
    return float(present.mean()) if present.size else 0.0


def soft_dice_loss(logits: Tensor, target: Tensor, eps: float = 1.0) -> Tensor:
    """``1 - mean_c (2 sum p y + eps) / (sum p + sum y + eps)``, sums over the batch's pixels.

    ``logits`` ``(N, K, H, W)``, ``target`` ``(N, H, W)`` class indices.
    """
    probs = logits.softmax(dim=1)  # (N, K, H, W)
    one_hot = F.one_hot(target, logits.shape[1]).permute(0, 3, 1, 2).to(probs.dtype)
    dims = (0, 2, 3)
    overlap = (probs * one_hot).sum(dims)  # (K,)
    total = probs.sum(dims) + one_hot.sum(dims)
    return 1.0 - ((2 * overlap + eps) / (total + eps)).mean()


def segmentation_loss(logits: Tensor, target: Tensor, kind: str) -> Tensor:
    """Cross-entropy per pixel (``F.cross_entropy``), soft Dice, or their sum ("both")."""
    if kind == "ce":
        return F.cross_entropy(logits, target)
    if kind == "dice":
        return soft_dice_loss(logits, target)
    if kind == "both":
        return F.cross_entropy(logits, target) + soft_dice_loss(logits, target)
    raise MessageError("beyond.error.loss", value=repr(kind), allowed=", ".join(LOSSES))


@dataclass(frozen=True)
class SegmentConfig:
    """One segmentation run: data, network, loss and schedule (Adam; ``torch.optim.lr_scheduler.
    OneCycleLR`` peaking at ``lr``).

    The defaults (depth 3 at 32x32: a 4x4 bottom, 10 epochs, lr 0.02) are where the skips show:
    with them the validation mean IoU passes 0.8 around epoch 7 and ends near 0.95; the same
    network without skips, same seed, ends near 0.82 with blobby, rounded masks
    (``benchmarks/bench_segment.py``). At depth 2 / 28x28 no skips does as well as skips.

    ``image_every``: epochs between two rows of validation images; ``num_images`` per row.
    """

    loss: str = "both"
    skips: bool = True
    epochs: int = 10
    train_size: int = 1000
    val_size: int = 200
    image_size: int = 32
    depth: int = 3
    base_channels: int = 8
    noise: float = 0.05
    batch_size: int = 32
    lr: float = 0.02
    seed: int = 0
    image_every: int = 1
    num_images: int = 4
    max_seconds: float = 600.0
    num_threads: int | None = None

    def problems(self) -> list[Message]:
        """What a student must change (every limit re-checked on the server)."""
        found: list[Message] = []
        if self.loss not in LOSSES:
            found.append(
                Message.of("beyond.error.loss", value=repr(self.loss), allowed=", ".join(LOSSES))
            )
        checks: list[tuple[str, float, float, float]] = [
            ("epochs", self.epochs, 1, MAX_SEGMENT_EPOCHS),
            ("image_size", self.image_size, MIN_SEGMENT_SIZE, MAX_SEGMENT_SIZE),
            ("depth", self.depth, 1, MAX_SEGMENT_DEPTH),
            ("train_size", self.train_size, 10, MAX_SEGMENT_IMAGES),
            ("val_size", self.val_size, 10, 2000),
            ("batch_size", self.batch_size, 1, 256),
            ("lr", self.lr, 1e-5, 1.0),
            ("noise", self.noise, 0.0, 0.5),
            ("image_every", self.image_every, 1, MAX_SEGMENT_EPOCHS),
            ("num_images", self.num_images, 1, 8),
        ]
        for name, value, low, high in checks:
            if isinstance(value, bool) or not low <= value <= high:
                found.append(
                    Message.of("beyond.error.range", field=name, value=value, low=low, high=high)
                )
        return found

    @property
    def net(self) -> UNetSpec:
        """The U-Net this run trains (SpecError when its sizes do not fit)."""
        return UNetSpec(
            in_channels=1,
            num_classes=len(MASK_CLASSES),
            image_size=self.image_size,
            base_channels=self.base_channels,
            depth=self.depth,
            skips=self.skips,
        )


@dataclass(frozen=True)
class SegmentStarted:
    """The run began: ``total_batches`` planned."""

    total_batches: int
    params: int


@dataclass(frozen=True)
class SegmentBatch:
    """One optimiser step: its loss."""

    step: int
    epoch: int
    loss: float


@dataclass(frozen=True)
class SegmentEpoch:
    """An epoch ended: mean training loss, validation loss and per-class IoU and Dice
    (indexed like :data:`cnnviz.data.MASK_CLASSES`, NaN for a class with no score)."""

    epoch: int
    train_loss: float
    val_loss: float
    iou: tuple[float, ...]
    dice: tuple[float, ...]
    mean_iou: float
    mean_dice: float
    elapsed_seconds: float


@dataclass(frozen=True, eq=False)
class SegmentImages:
    """A row of validation images after ``epoch``: inputs ``(k, H, W)`` float32 in [0, 1], true
    and predicted masks ``(k, H, W)`` int64."""

    epoch: int
    images: np.ndarray
    true_masks: np.ndarray
    predicted: np.ndarray


@dataclass(frozen=True)
class SegmentFinished:
    """The run ended: ``reason`` is "completed", "stopped" or "time_limit"."""

    reason: str
    epochs: int
    mean_iou: float
    elapsed_seconds: float


def segment_data(cfg: SegmentConfig) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Training and validation images ``(N, 1, S, S)`` and masks ``(N, S, S)`` for ``cfg``:
    drawn from ``seed`` and ``seed + 1``, so the validation images never repeat a training one."""
    parts = []
    for size, seed in ((cfg.train_size, cfg.seed), (cfg.val_size, cfg.seed + 1)):
        images, _, masks = make_shape_masks(
            size, cfg.image_size, colour=False, noise=cfg.noise, rng=np.random.default_rng(seed)
        )
        parts.extend([torch.from_numpy(images), torch.from_numpy(masks)])
    return parts[0], parts[1], parts[2], parts[3]


def _evaluate(
    model: torch.nn.Module, images: Tensor, masks: Tensor, cfg: SegmentConfig
) -> tuple[float, np.ndarray, Tensor]:
    """Validation loss, confusion matrix and the first predictions."""
    model.eval()
    num_classes = len(MASK_CLASSES)
    confusion = np.zeros((num_classes, num_classes), dtype=np.int64)
    loss_sum = 0.0
    first: Tensor | None = None
    with torch.no_grad():
        for start in range(0, len(images), 256):
            logits = model(images[start : start + 256])  # (n, K, H, W)
            target = masks[start : start + 256]
            loss_sum += float(segmentation_loss(logits, target, cfg.loss)) * len(target)
            predicted = logits.argmax(dim=1)  # (n, H, W)
            confusion += pixel_confusion(predicted, target, num_classes)
            if first is None:
                first = predicted[: cfg.num_images]
    model.train()
    assert first is not None  # val_size >= 10
    return loss_sum / len(images), confusion, first


def train_segmentation(cfg: SegmentConfig, control: Control | None = None) -> Iterator[Any]:
    """Train the U-Net of ``cfg`` on the shapes masks; yield :class:`SegmentStarted`, then
    :class:`SegmentBatch` per step, :class:`SegmentEpoch` (and every ``image_every`` epochs
    :class:`SegmentImages`) per epoch, and :class:`SegmentFinished`.

    Same seed, same events (the shuffling uses its own ``torch.Generator``). Raises
    :class:`MessageError` when ``cfg`` breaks a limit, :class:`cnnviz.net.SpecError` when the
    image size does not fit the U-Net.
    """
    problems = cfg.problems()
    if problems:
        raise MessageError(problems[0].key, **problems[0].param_dict())
    model = build_unet(cfg.net, seed=cfg.seed)
    if cfg.num_threads is not None:
        torch.set_num_threads(cfg.num_threads)
    x_train, y_train, x_val, y_val = segment_data(cfg)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    batches = -(-cfg.train_size // cfg.batch_size)
    total = batches * cfg.epochs
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=cfg.lr, total_steps=total)
    generator = torch.Generator().manual_seed(cfg.seed)
    yield SegmentStarted(total, sum(p.numel() for p in model.parameters()))
    started = time.perf_counter()

    def elapsed() -> float:
        paused = control.paused_seconds if control is not None else 0.0
        return time.perf_counter() - started - paused

    step, epoch, mean_iou, reason = 0, 0, 0.0, "completed"
    try:
        for epoch in range(1, cfg.epochs + 1):
            order = torch.randperm(cfg.train_size, generator=generator)
            losses = []
            for start in range(0, cfg.train_size, cfg.batch_size):
                if control is not None:
                    control.checkpoint()
                if elapsed() > cfg.max_seconds:
                    raise TimeoutError
                rows = order[start : start + cfg.batch_size]
                loss = segmentation_loss(model(x_train[rows]), y_train[rows], cfg.loss)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                scheduler.step()
                step += 1
                losses.append(loss.item())
                yield SegmentBatch(step, epoch, losses[-1])
            val_loss, confusion, predicted = _evaluate(model, x_val, y_val, cfg)
            iou, dice = iou_scores(confusion), dice_scores(confusion)
            mean_iou = mean_score(iou)
            yield SegmentEpoch(
                epoch,
                float(np.mean(losses)),
                val_loss,
                tuple(float(v) for v in iou),
                tuple(float(v) for v in dice),
                mean_iou,
                mean_score(dice),
                elapsed(),
            )
            if epoch % cfg.image_every == 0 or epoch == cfg.epochs:
                k = cfg.num_images
                yield SegmentImages(
                    epoch,
                    x_val[:k, 0].numpy().copy(),
                    y_val[:k].numpy().copy(),
                    predicted.numpy().copy(),
                )
    except JobStopped:
        reason = "stopped"
    except TimeoutError:
        reason = "time_limit"
    yield SegmentFinished(reason, epoch, mean_iou, elapsed())
