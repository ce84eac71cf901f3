"""Optimizers, learning-rate schedules and weight initialisation for the training engine.

Every choice maps to the real PyTorch class, so the Train page can name what runs:
``torch.optim.SGD`` (plain, momentum, Nesterov), ``Adagrad``, ``RMSprop``, ``Adam``, ``AdamW``,
``Adamax``, ``NAdam``; schedules from ``torch.optim.lr_scheduler``; initialisers from ``torch.nn.init``
drawn with a per-job ``torch.Generator`` (never the global RNG, so concurrent users stay reproducible).

Lesson: the "Train live" page (hyperparameters, the LR curve plotted before training, the all-zeros
initialisation with which nothing can learn).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch
from torch import nn

from cnnviz.train.config import INITS, OPTIMIZERS, SCHEDULES, TrainConfig

__all__ = ["apply_init", "build_optimizer", "lr_curve", "make_optimizer", "make_scheduler"]


def build_optimizer(
    kind: str,
    params: Iterable[torch.Tensor],
    *,
    lr: float,
    momentum: float = 0.9,
    weight_decay: float | None = None,
    foreach: bool | None = None,
) -> torch.optim.Optimizer:
    """The real ``torch.optim`` class for optimizer id ``kind`` (:data:`OPTIMIZERS`): the one
    place where an id becomes an optimizer (the Train page, the LR range test, the optimizer race).

    ``momentum`` is the momentum of "momentum" and "nesterov" (SGD). ``weight_decay`` None keeps
    the class's own default (0, and AdamW's decoupled 0.01). Every other setting is PyTorch's
    default. ``foreach=False`` names the single-tensor implementation (what PyTorch picks for CPU
    tensors anyway). Raises ValueError for an unknown id.
    """
    common: dict[str, Any] = {"lr": lr}
    if weight_decay is not None:
        common["weight_decay"] = weight_decay
    if foreach is not None:
        common["foreach"] = foreach
    match kind:
        case "sgd":
            return torch.optim.SGD(params, **common)
        case "momentum":
            return torch.optim.SGD(params, momentum=momentum, **common)
        case "nesterov":
            return torch.optim.SGD(params, momentum=momentum, nesterov=True, **common)
        case "adagrad":
            return torch.optim.Adagrad(params, **common)
        case "rmsprop":
            return torch.optim.RMSprop(params, **common)
        case "adam":
            return torch.optim.Adam(params, **common)
        case "adamw":
            return torch.optim.AdamW(params, **common)
        case "adamax":
            return torch.optim.Adamax(params, **common)
        case "nadam":
            return torch.optim.NAdam(params, **common)
    raise ValueError(f"unknown optimizer {kind!r}; choose one of {sorted(OPTIMIZERS)}")


def make_optimizer(params: Iterable[nn.Parameter], cfg: TrainConfig) -> torch.optim.Optimizer:
    """The optimizer ``cfg.optimizer`` with ``cfg.lr``; L2 regularisation is ``weight_decay``.

    For every optimizer but AdamW, weight decay adds ``wd * w`` to the gradient (L2 penalty
    ``wd/2 * ||w||^2``); AdamW subtracts ``lr * wd * w`` from the weights (decoupled decay).
    """
    return build_optimizer(
        cfg.optimizer,
        params,
        lr=cfg.lr,
        momentum=cfg.momentum,
        weight_decay=cfg.weight_decay,
    )


def make_scheduler(
    optimizer: torch.optim.Optimizer, cfg: TrainConfig, steps_per_epoch: int
) -> tuple[torch.optim.lr_scheduler.LRScheduler | None, bool]:
    """``(scheduler, per_batch)``: the LR schedule ``cfg.schedule`` and whether to step it per batch.

    ``None`` for "fixed". Epoch schedules (step, multistep) change the LR at epoch boundaries;
    smooth ones (poly, exponential, cosine, one-cycle) are stepped after every batch over
    ``T = epochs * steps_per_epoch`` steps. Formulas: :data:`SCHEDULES`.
    """
    sched = torch.optim.lr_scheduler
    epochs = cfg.epochs
    total = max(1, epochs * steps_per_epoch)
    match cfg.schedule:
        case "fixed":
            return None, False
        case "step":
            # x0.1 after each third of the run: three levels (StepLR(E // 3) would drop at
            # 3, 6 and 9 of 10 epochs, four levels, which is not "every third")
            thirds = sorted({max(1, round(epochs / 3)), max(1, round(2 * epochs / 3))})
            return sched.MultiStepLR(optimizer, milestones=thirds, gamma=0.1), False
        case "multistep":
            milestones = sorted({max(1, round(epochs * 0.5)), max(1, round(epochs * 0.75))})
            return sched.MultiStepLR(optimizer, milestones=milestones, gamma=0.1), False
        case "poly":
            return sched.PolynomialLR(optimizer, total_iters=total, power=0.9), True
        case "exponential":
            return sched.ExponentialLR(optimizer, gamma=0.01 ** (1.0 / total)), True
        case "cosine":
            return sched.CosineAnnealingLR(optimizer, T_max=total), True
        case "onecycle":
            # cycle_momentum=False: cycling momentum would turn plain SGD into momentum SGD.
            return (
                sched.OneCycleLR(optimizer, max_lr=cfg.lr, total_steps=total, cycle_momentum=False),
                True,
            )
    raise ValueError(f"unknown schedule {cfg.schedule!r}; choose one of {sorted(SCHEDULES)}")


def lr_curve(cfg: TrainConfig, steps_per_epoch: int) -> list[float]:
    """The learning rate used at each of the ``epochs * steps_per_epoch`` optimizer steps.

    Runs the very scheduler that training uses on a dummy parameter, so the plot drawn before
    training is exactly what training will do. Pure: no model, no data.
    """
    steps_per_epoch = max(1, int(steps_per_epoch))
    dummy = nn.Parameter(torch.zeros(1))
    optimizer = make_optimizer([dummy], cfg)
    scheduler, per_batch = make_scheduler(optimizer, cfg, steps_per_epoch)
    rates: list[float] = []
    for _epoch in range(cfg.epochs):
        for _batch in range(steps_per_epoch):
            rates.append(float(optimizer.param_groups[0]["lr"]))
            optimizer.step()  # no gradient: a no-op that keeps the scheduler's order check happy
            if scheduler is not None and per_batch:
                scheduler.step()
        if scheduler is not None and not per_batch:
            scheduler.step()
    return rates


def _initialisable(model: nn.Module) -> Iterable[nn.Conv2d | nn.Linear]:
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            yield module


def apply_init(
    model: nn.Module, scheme: str, *, sigma: float = 0.01, generator: torch.Generator
) -> None:
    """Re-initialise every Conv2d and Linear weight with ``scheme``; biases become zero.

    - ``default``: leave PyTorch's own init (Kaiming-uniform with a=sqrt(5)) untouched.
    - ``kaiming``: He normal, ``std = sqrt(2 / fan_in)`` (made for ReLU).
    - ``xavier``: Glorot uniform, ``U(-a, a)``, ``a = sqrt(6 / (fan_in + fan_out))``.
    - ``normal``: ``N(0, sigma^2)``.
    - ``zeros``: every weight 0, the extreme case where nothing can learn: in a ReLU network every
      hidden output is 0, so no gradient reaches any weight (they all stay exactly 0) and only
      the last layer's biases move, towards the class frequencies.

    Values are drawn on the CPU with ``generator`` and copied in, so any device works.
    """
    if scheme == "default":
        return
    if scheme not in INITS:
        raise ValueError(f"unknown init {scheme!r}; choose one of {list(INITS)}")
    with torch.no_grad():
        for module in _initialisable(model):
            weight = torch.empty(module.weight.shape)
            match scheme:
                case "kaiming":
                    nn.init.kaiming_normal_(weight, nonlinearity="relu", generator=generator)
                case "xavier":
                    nn.init.xavier_uniform_(weight, generator=generator)
                case "normal":
                    nn.init.normal_(weight, mean=0.0, std=sigma, generator=generator)
                case "zeros":
                    nn.init.zeros_(weight)
            module.weight.copy_(weight)
            if module.bias is not None:
                module.bias.zero_()
