"""Every hyperparameter of one training run, checked: :class:`TrainConfig` and the server defaults.

Out-of-range numbers and unknown choices raise a :class:`SpecError` with problems a student can act on
(codes ``train_*``), so the CLI, URLs and the lab are as safe as the widgets.

Lesson: the "Train live" page (its settings) and the Overfitting lab.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace

from cnnviz.data import AugmentConfig
from cnnviz.net import Problem, SpecError

__all__ = [
    "BATCH_CHOICES",
    "DEVICES",
    "EPOCH_SCHEDULES",
    "INITS",
    "LR_CHOICES",
    "MAX_EPOCHS",
    "OPTIMIZERS",
    "SCHEDULES",
    "TrainConfig",
    "default_num_threads",
    "nearest_lr_choice",
    "with_defaults_for_server",
]

MAX_EPOCHS = 100

#: optimizer id -> the PyTorch call it makes (shown on the page as a hint).
OPTIMIZERS: dict[str, str] = {
    "sgd": "torch.optim.SGD(lr)",
    "momentum": "torch.optim.SGD(lr, momentum)",
    "nesterov": "torch.optim.SGD(lr, momentum, nesterov=True)",
    "adagrad": "torch.optim.Adagrad(lr)",
    "rmsprop": "torch.optim.RMSprop(lr, alpha=0.99)",
    "adam": "torch.optim.Adam(lr, betas=(0.9, 0.999))",
    "adamw": "torch.optim.AdamW(lr, weight_decay) (decoupled)",
    "adamax": "torch.optim.Adamax(lr)",
    "nadam": "torch.optim.NAdam(lr)",
}

#: schedule id -> the PyTorch scheduler and its settings in terms of E epochs, T = E * batches/epoch.
SCHEDULES: dict[str, str] = {
    "fixed": "constant lr (no scheduler)",
    "step": "MultiStepLR(milestones=[round(E/3), round(2E/3)], gamma=0.1), per epoch: thirds",
    "multistep": "MultiStepLR(milestones=[E/2, 3E/4], gamma=0.1), per epoch",
    "poly": "PolynomialLR(total_iters=T, power=0.9), per batch",
    "exponential": "ExponentialLR(gamma=0.01 ** (1/T)), per batch: lr/100 at the end",
    "cosine": "CosineAnnealingLR(T_max=T), per batch",
    "onecycle": "OneCycleLR(max_lr=lr, total_steps=T), per batch",
}

#: schedules stepped once per epoch (the others step after every batch).
EPOCH_SCHEDULES: frozenset[str] = frozenset({"fixed", "step", "multistep"})

INITS: tuple[str, ...] = ("default", "kaiming", "xavier", "normal", "zeros")


DEVICES: tuple[str, ...] = ("auto", "cuda", "mps", "cpu")

#: The learning rates and batch sizes the Train page's sliders offer.
LR_CHOICES: tuple[float, ...] = (
    1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0
)  # fmt: skip
BATCH_CHOICES: tuple[int, ...] = (8, 16, 32, 64, 128, 256, 512)


def nearest_lr_choice(lr: float) -> float:
    """The Train page's learning-rate choice closest to ``lr`` on a log scale."""
    return min(LR_CHOICES, key=lambda choice: abs(math.log10(choice) - math.log10(lr)))


def default_num_threads() -> int:
    """Threads per training job on a shared server: half the cores, at least one."""
    return max(1, (os.cpu_count() or 2) // 2)


@dataclass(frozen=True)
class TrainConfig:
    """Every hyperparameter of one run. Frozen: pages and the run history keep it as a record.

    ``__post_init__`` rejects unknown choices and out-of-range numbers with a :class:`SpecError`
    (problem codes ``train_*`` in the ``train`` catalog area), so the CLI and URLs are safe too.
    """

    epochs: int = 5
    batch_size: int = 64
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.9
    weight_decay: float = 0.0
    l1: float = 0.0
    schedule: str = "fixed"
    label_smoothing: float = 0.0
    init: str = "default"
    init_sigma: float = 0.01
    grad_clip: float | None = None
    early_stopping: bool = False
    patience: int = 3
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    seed: int = 0
    device: str = "auto"
    amp: bool = False
    num_threads: int | None = None
    max_seconds: float | None = None
    snapshot_every: int = 20

    def __post_init__(self) -> None:
        problems = _config_problems(self)
        if problems:
            raise SpecError(problems)


def _config_problems(cfg: TrainConfig) -> list[Problem]:
    problems: list[Problem] = []

    def choice(name: str, allowed: tuple[str, ...] | list[str]) -> None:
        value = getattr(cfg, name)
        if value not in allowed:
            problems.append(
                Problem.make(
                    "train_bad_choice", field=name, value=repr(value), allowed=", ".join(allowed)
                )
            )

    def number(name: str, low: float, high: float, *, integer: bool = False) -> None:
        value = getattr(cfg, name)
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type or value != value:
            problems.append(Problem.make("train_not_number", field=name, value=repr(value)))
        elif not low <= value <= high:
            problems.append(
                Problem.make("train_out_of_range", field=name, value=value, low=low, high=high)
            )

    choice("optimizer", list(OPTIMIZERS))
    choice("schedule", list(SCHEDULES))
    choice("init", INITS)
    choice("device", DEVICES)
    number("epochs", 1, MAX_EPOCHS, integer=True)
    number("batch_size", 1, 4096, integer=True)
    number("lr", 1e-8, 1e4)
    number("momentum", 0.0, 0.999)
    number("weight_decay", 0.0, 1.0)
    number("l1", 0.0, 1.0)
    number("label_smoothing", 0.0, 0.99)
    number("init_sigma", 1e-6, 10.0)
    number("patience", 1, MAX_EPOCHS, integer=True)
    number("seed", 0, 2**31 - 1, integer=True)
    number("snapshot_every", 1, 100_000, integer=True)
    if cfg.grad_clip is not None:
        number("grad_clip", 1e-6, 1e6)
    if cfg.num_threads is not None:
        number("num_threads", 1, 256, integer=True)
    if cfg.max_seconds is not None:
        number("max_seconds", 0.1, 24 * 3600.0)
    if not isinstance(cfg.augment, AugmentConfig):
        problems.append(Problem.make("train_not_number", field="augment", value=repr(cfg.augment)))
    return problems


def with_defaults_for_server(cfg: TrainConfig, default_seconds: float) -> TrainConfig:
    """``cfg`` with a thread count and a time cap filled in for a shared server."""
    return replace(
        cfg,
        num_threads=cfg.num_threads or default_num_threads(),
        max_seconds=cfg.max_seconds if cfg.max_seconds is not None else default_seconds,
    )
