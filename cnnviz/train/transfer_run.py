"""The transfer-learning comparison: train a source network once, then the same small network on a
target task with ``k`` labelled images per class three ways (from scratch, frozen features and a
new head, fine-tuning with a smaller learning rate for the transferred layers), same seed, and a
sweep over ``k`` (10, 50, 200 per class) to show how many labels each approach needs.

Sources: the built-in shapes at 32x32 drawn from another seed (the default: with the small
network its features transfer clearly, up to 1.18x scratch's accuracy at 10 labels per class,
``benchmarks/bench_transfer.py``), and Fashion-MNIST (Debian's ``dataset-fashion-mnist``) when it is
on disk (a further task: its features barely help on shapes, a lesson in itself). Target: the built-in shapes at 28x28, or the MNIST test
split when it is on disk (``CNNVIZ_MNIST_DIR`` or the data folder). When torchvision's ImageNet
ResNet-18 is already in the torch hub cache it is a source too (never downloaded), on the colour
shapes at 64x64 with ImageNet's normalisation.

The loop is written here rather than through :func:`cnnviz.train.train`: that engine builds its
own optimizer from a ``TrainConfig``, and this lesson is precisely about the optimizer's parameter
groups (two learning rates) and about parameters that do not train. It stays small: Adam,
mini-batches drawn from a per-run ``torch.Generator``, an evaluation every ``eval_every`` steps.
``train_transfer`` yields events (plain floats), never live tensors.

Lesson: the "Beyond classification" page, section "Transfer learning".
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torchvision.models import resnet18

from cnnviz.control import Control, JobStopped
from cnnviz.data import (
    SHAPE_CLASSES,
    DataConfig,
    DataError,
    few_label_subset,
    load_dataset,
    make_shapes,
)
from cnnviz.i18n import MessageError
from cnnviz.net import (
    NetSpec,
    build_model,
    build_pretrained,
    build_pretrained_target,
    get_preset,
    with_input_shape,
    with_num_classes,
)
from cnnviz.train.transfer import MODES, TransferReport, param_groups_for, transfer, transferable
from cnnviz.train.transfer_setup import (
    SOURCE_SEED_OFFSET,
    SOURCES,
    TARGETS,
    TransferConfig,
    TransferFinished,
    TransferPoint,
    TransferRunEnd,
    TransferSourceReady,
    TransferStarted,
    available_sources,
    available_targets,
)

__all__ = [
    "SOURCES",
    "TARGETS",
    "TransferConfig",
    "TransferFinished",
    "TransferPoint",
    "TransferRunEnd",
    "TransferSourceReady",
    "TransferStarted",
    "available_sources",
    "available_targets",
    "labels_needed",
    "planned_report",
    "source_model",
    "train_transfer",
    "transfer_config",
]


@dataclass(frozen=True, eq=False)
class _Task:
    """Normalised images ``(N, C, H, W)``, labels ``(N,)`` and the class count."""

    train_x: Tensor
    train_y: Tensor
    val_x: Tensor
    val_y: Tensor
    num_classes: int


def _normalised(*parts: np.ndarray) -> list[Tensor]:
    """Every part normalised with the first one's mean and std (one channel)."""
    first = torch.from_numpy(parts[0])
    mean, std = float(first.mean()), max(float(first.std()), 1e-6)
    return [(torch.from_numpy(p) - mean) / std for p in parts]


_IMAGENET_MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
_IMAGENET_STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def _shapes_task(
    per_class: int, size: int, val_size: int, seed: int, *, imagenet: bool = False
) -> _Task:
    """``per_class`` shapes of each class to draw labels from, and ``val_size`` to validate;
    ``imagenet``: colour images normalised with ImageNet's statistics (for its weights)."""
    classes = len(SHAPE_CLASSES)
    pool_x, pool_y = make_shapes(
        per_class * classes, size, colour=imagenet, noise=0.1, rng=np.random.default_rng(seed)
    )
    val_x, val_y = make_shapes(
        val_size, size, colour=imagenet, noise=0.1, rng=np.random.default_rng(seed + 1)
    )
    if imagenet:
        train_t = (torch.from_numpy(pool_x) - _IMAGENET_MEAN) / _IMAGENET_STD
        val_t = (torch.from_numpy(val_x) - _IMAGENET_MEAN) / _IMAGENET_STD
    else:
        train_t, val_t = _normalised(pool_x, val_x)
    return _Task(train_t, torch.from_numpy(pool_y), val_t, torch.from_numpy(val_y), classes)


def _real_task(name: str, samples: int, val_size: int, seed: int) -> _Task:
    fraction = min(0.5, val_size / samples)
    bundle = load_dataset(
        DataConfig(name=name, max_samples=samples, val_fraction=fraction, seed=seed)
    )
    return _Task(bundle.train_x, bundle.train_y, bundle.val_x, bundle.val_y, bundle.num_classes)


def _source_task(cfg: TransferConfig) -> _Task:
    if cfg.source == "fashion-mnist":
        return _real_task("fashion-mnist", cfg.source_samples, cfg.val_size, cfg.seed)
    per_class = -(-cfg.source_samples // len(SHAPE_CLASSES))
    return _shapes_task(per_class, 32, cfg.val_size, cfg.seed + SOURCE_SEED_OFFSET)


def _target_task(cfg: TransferConfig) -> _Task:
    most = max(cfg.label_counts)
    if cfg.target == "mnist":
        # 13 per class asked for: MNIST classes are not balanced (class 5 is 9%)
        task = _real_task("mnist", 13 * most + cfg.val_size + 200, cfg.val_size, cfg.seed)
    elif cfg.source == "resnet18":
        task = _shapes_task(most, 64, cfg.val_size, cfg.seed, imagenet=True)
    else:
        task = _shapes_task(most, 28, cfg.val_size, cfg.seed)
    if task.num_classes < 2 or torch.unique(task.train_y).numel() < 2:
        raise DataError("transfer.error.one_class", classes=int(torch.unique(task.train_y).numel()))
    return task


def _net(task: _Task) -> NetSpec:
    """The small network of the lesson (the "tiny" preset) for ``task``'s images and classes."""
    channels, height, width = (int(v) for v in task.train_x.shape[1:])
    base = with_input_shape(get_preset("tiny"), (channels, height, width))
    return with_num_classes(base, task.num_classes)


def _target_model(cfg: TransferConfig, task: _Task) -> nn.Module:
    """The target network, seeded: the same initial weights for every mode of a comparison."""
    if cfg.source == "resnet18":
        return build_pretrained_target("resnet18", task.num_classes, seed=cfg.seed)
    return build_model(_net(task), seed=cfg.seed)


# --------------------------------------------------------------------------------------- training


def _train_mode(model: nn.Module) -> None:
    """Training mode, except for frozen modules: their batch-norm statistics stay as copied."""
    model.train()
    for module in model.modules():
        own = list(module.parameters(recurse=False))
        if own and not any(p.requires_grad for p in own):
            module.eval()


def _accuracy(model: nn.Module, x: Tensor, y: Tensor) -> float:
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(y), 1000):
            correct += int(
                (model(x[start : start + 1000]).argmax(1) == y[start : start + 1000]).sum()
            )
    _train_mode(model)
    return correct / max(len(y), 1)


def _steps(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    x: Tensor,
    y: Tensor,
    steps: int,
    batch_size: int,
    generator: torch.Generator,
    control: Control | None,
) -> Iterator[tuple[int, float]]:
    """``steps`` Adam steps on mini-batches of an epoch-wise shuffled order; yields (step, loss)."""
    order = torch.empty(0, dtype=torch.long)
    _train_mode(model)
    for step in range(1, steps + 1):
        if control is not None:
            control.checkpoint()
        if len(order) < min(batch_size, len(y)):
            order = torch.randperm(len(y), generator=generator)
        rows, order = order[:batch_size], order[batch_size:]
        loss = F.cross_entropy(model(x[rows]), y[rows])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        yield step, loss.item()


_CACHE_LOCK = threading.Lock()
_CACHE: dict[tuple[Any, ...], tuple[dict[str, Tensor], float]] = {}


def _cache_dir() -> Path:
    return Path(os.environ.get("CNNVIZ_CACHE_DIR") or tempfile.gettempdir()) / "cnnviz-transfer"


def source_model(
    cfg: TransferConfig, control: Control | None = None
) -> tuple[nn.Module, float, bool]:
    """The source network trained on ``cfg.source`` (its validation accuracy, whether it came
    from the cache). Cached per server by its settings: in memory and in a file that the
    server's worker processes share (read back with ``weights_only=True``). The ImageNet
    ResNet-18 comes from the torch hub cache, untrained here (its accuracy is NaN: not measured)."""
    if cfg.source == "resnet18":
        return build_pretrained("resnet18"), float("nan"), True
    key = (
        cfg.source,
        cfg.source_samples,
        cfg.source_steps,
        cfg.lr,
        cfg.batch_size,
        cfg.seed,
        cfg.val_size,
    )
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    path = _cache_dir() / f"source-{digest}.pt"
    with _CACHE_LOCK:
        kept = _CACHE.get(key)
    if kept is None and path.is_file():
        try:
            loaded = torch.load(path, weights_only=True)
            kept = (loaded["state"], float(loaded["accuracy"]))
        except Exception:  # a broken or foreign file: train again
            kept = None
    if kept is not None:
        task_net = _source_net(cfg)
        model = build_model(task_net, seed=cfg.seed)
        model.load_state_dict(kept[0])
        return model, kept[1], True
    task = _source_task(cfg)
    model = build_model(_net(task), seed=cfg.seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    generator = torch.Generator().manual_seed(cfg.seed)
    for _ in _steps(
        model, optimizer, task.train_x, task.train_y, cfg.source_steps, 64, generator, control
    ):
        pass
    accuracy = _accuracy(model, task.val_x, task.val_y)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    with _CACHE_LOCK:
        _CACHE[key] = (state, accuracy)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        torch.save({"state": state, "accuracy": accuracy}, tmp)
        tmp.replace(path)
    except OSError:  # a read-only disk: the memory cache still serves this process
        pass
    return model, accuracy, False


def _source_net(cfg: TransferConfig) -> NetSpec:
    if cfg.source == "fashion-mnist":
        return with_num_classes(with_input_shape(get_preset("tiny"), (1, 28, 28)), 10)
    return with_num_classes(with_input_shape(get_preset("tiny"), (1, 32, 32)), len(SHAPE_CLASSES))


def transfer_config(source: str, target: str, per_class: int) -> TransferConfig:
    """The comparison the page starts: the defaults (one comparison well under a minute on two
    cores), and a lighter schedule for the ImageNet ResNet-18 (11 million parameters)."""
    cfg = TransferConfig(source=source, target=target, per_class=per_class)
    if source == "resnet18":
        cfg = replace(cfg, steps=30, eval_every=5, val_size=300, batch_size=16)
    return cfg


def planned_report(cfg: TransferConfig) -> TransferReport:
    """Which layers of ``cfg``'s target can take the source's weights, before anything trains
    (built on the ``meta`` device: shapes only, no memory, no random draws)."""
    classes = 10 if cfg.target == "mnist" else len(SHAPE_CLASSES)
    with torch.device("meta"):
        if cfg.source == "resnet18":
            source: nn.Module = resnet18()
            target: nn.Module = resnet18(num_classes=classes)
        else:
            source = build_model(_source_net(cfg))
            target = build_model(with_num_classes(get_preset("tiny"), classes))
    return transferable(source, target)


def labels_needed(results: dict[tuple[str, int], float], threshold: float) -> dict[str, int | None]:
    """For each approach, the fewest labels per class whose run reached ``threshold`` accuracy
    (None when no run of the sweep did)."""
    needed: dict[str, int | None] = {}
    for mode in MODES:
        counts = sorted(k for (m, k), acc in results.items() if m == mode and acc >= threshold)
        if any(m == mode for m, _ in results):
            needed[mode] = counts[0] if counts else None
    return needed


def train_transfer(cfg: TransferConfig, control: Control | None = None) -> Iterator[Any]:
    """The comparison of ``cfg``: :class:`TransferStarted`, :class:`TransferSourceReady`, then for
    every labels-per-class count and every mode :class:`TransferPoint` events and a
    :class:`TransferRunEnd`, and :class:`TransferFinished`.

    Every run of one count starts from the same seeded initial weights and draws the same
    labelled images and mini-batches. Raises :class:`MessageError` when ``cfg`` breaks a limit,
    :class:`cnnviz.data.DataError` for a target with one class.
    """
    problems = cfg.problems()
    if problems:
        raise MessageError(problems[0].key, **problems[0].param_dict())
    if cfg.num_threads is not None:
        torch.set_num_threads(cfg.num_threads)
    started = time.perf_counter()

    def elapsed() -> float:
        paused = control.paused_seconds if control is not None else 0.0
        return time.perf_counter() - started - paused

    target = _target_task(cfg)
    source, source_acc, cached = source_model(cfg, control)
    total_runs = len(cfg.label_counts) * len(cfg.modes)
    yield TransferStarted(
        total_runs,
        transferable(source, _target_model(cfg, target)),
        cfg.source,
        cfg.target,
        target.num_classes,
    )
    yield TransferSourceReady(source_acc, elapsed(), cached)
    done, reason = 0, "completed"
    labels = target.train_y.numpy()
    try:
        for per_class in cfg.label_counts:
            rows = torch.from_numpy(few_label_subset(labels, per_class, cfg.seed))
            x, y = target.train_x[rows], target.train_y[rows]
            for mode in cfg.modes:
                run_started = elapsed()
                model = _target_model(cfg, target)
                report = transfer(source, model, mode)
                groups = param_groups_for(model, report, cfg.lr, cfg.lr * cfg.transferred_lr_ratio)
                optimizer = torch.optim.Adam(groups)
                generator = torch.Generator().manual_seed(cfg.seed)
                accuracy, losses = 0.0, []
                for step, loss in _steps(
                    model, optimizer, x, y, cfg.steps, cfg.batch_size, generator, control
                ):
                    losses.append(loss)
                    if elapsed() > cfg.max_seconds:
                        raise TimeoutError
                    if step % cfg.eval_every == 0 or step == cfg.steps:
                        accuracy = _accuracy(model, target.val_x, target.val_y)
                        yield TransferPoint(mode, per_class, step, float(np.mean(losses)), accuracy)
                        losses = []
                done += 1
                yield TransferRunEnd(mode, per_class, accuracy, elapsed() - run_started)
    except JobStopped:
        reason = "stopped"
    except TimeoutError:
        reason = "time_limit"
    yield TransferFinished(reason, done, elapsed())
