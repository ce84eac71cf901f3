"""The optimizer race: nine optimizers with their own learning rates on a 2-D surface.

Each racer is one of the optimizers the Train page offers (``cnnviz.train.OPTIMIZERS``: SGD,
momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW, Adamax, NAdam) with its own learning rate; all
start from the same point. Each racer's settings are those of its real ``torch.optim`` object
(built once, by ``cnnviz.train.build_optimizer``: PyTorch's defaults, SGD's momentum 0.9, AdamW's
decoupled weight decay 0.01), recorded for the step inspector. One step of a racer:

1. the surface's gradient at its point (:meth:`Surface.gradient`, the formula written out), plus
   this step's mini-batch noise ``eps_t`` when the surface is noisy;
2. the optimizer's update rule in NumPy float64 (:mod:`cnnviz.concepts.update_rules`); its
   state (``momentum_buffer``, ``exp_avg``, ``exp_avg_sq``, ...) is recorded after the step for
   the step inspector (:mod:`cnnviz.concepts.inspector`).

Why NumPy and not ``optimizer.step()``: 9 racers x 500 steps are 4,500 optimizer steps inside
one script run, and ``torch.optim``'s per-call overhead on a 2-element tensor (30-120 us) alone
would pass the 300 ms the race may take; the NumPy rules take a few microseconds. ``torch.optim``
is the oracle: the tests drive the real optimizers by hand on every surface and compare every
point, gradient and state of the race step by step (``tests/test_concepts_race.py``,
``tests/test_concepts_update_rules.py``), and ``benchmarks/bench_concepts.py`` times the race
against the same race through ``torch.optim``.

A racer whose loss stops being finite, or whose point flies beyond :data:`ESCAPE`, stops there:
its trajectory ends at its last point and :class:`Stop` says at which step and why.

Lesson: the "Optimizers" page (the race, the loss chart, "too large and too small").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import torch

from cnnviz.concepts.learning_input import LearningInputError, check_lr, check_steps
from cnnviz.concepts.surfaces import Surface
from cnnviz.concepts.update_rules import RULES, new_state, settings_of
from cnnviz.train import OPTIMIZERS, build_optimizer

__all__ = [
    "ESCAPE",
    "KINDS",
    "MAX_NOISE",
    "MAX_RACERS",
    "MAX_STEPS",
    "STATE_KEYS",
    "Race",
    "RaceResult",
    "Racer",
    "Stop",
    "default_lr",
    "optimizer_for",
    "race_noise",
    "run_race",
]

#: Optimizer ids, the Train page's (``cnnviz.train.OPTIMIZERS``), in its order.
KINDS: Final[tuple[str, ...]] = tuple(OPTIMIZERS)
MAX_RACERS: Final[int] = len(KINDS)
MAX_STEPS: Final[int] = 500
MAX_NOISE: Final[float] = 2.0
#: A point farther than this from the origin has diverged (its loss is about to overflow).
ESCAPE: Final[float] = 1e6
_DTYPE = torch.float64
_SCALARS: Final[tuple[str, ...]] = ("step", "mu_product")

#: The state each optimizer keeps per parameter (``optimizer.state[theta]``), read by the step
#: inspector: tensors of the parameter's shape, and the scalars ``step`` (t) and NAdam's
#: ``mu_product``. SGD without momentum keeps none.
STATE_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "sgd": (),
    "momentum": ("momentum_buffer",),
    "nesterov": ("momentum_buffer",),
    "adagrad": ("step", "sum"),
    "rmsprop": ("step", "square_avg"),
    "adam": ("step", "exp_avg", "exp_avg_sq"),
    "adamw": ("step", "exp_avg", "exp_avg_sq"),
    "adamax": ("step", "exp_avg", "exp_inf"),
    "nadam": ("step", "mu_product", "exp_avg", "exp_avg_sq"),
}

# Learning rates that make a good race on each surface (the page's first-visit values).
_DEFAULT_LRS: Final[dict[str, dict[str, float]]] = {
    "bowl": {"sgd": 1.8, "momentum": 0.1, "nesterov": 0.1, "adagrad": 0.5, "rmsprop": 0.05},
    "rosenbrock": {"sgd": 1e-3, "momentum": 3e-4, "nesterov": 3e-4, "adagrad": 0.5},
    "beale": {"sgd": 1e-3, "momentum": 3e-4, "nesterov": 3e-4, "adagrad": 0.5},
    "saddle": {"sgd": 0.05, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.3},
    "wells": {"sgd": 0.5, "momentum": 0.1, "nesterov": 0.1, "adagrad": 0.5},
}
_ADAPTIVE_LR: Final[dict[str, float]] = {
    "bowl": 0.05,
    "rosenbrock": 0.02,
    "beale": 0.02,
    "saddle": 0.02,
    "wells": 0.05,
}


def default_lr(surface_kind: str, kind: str) -> float:
    """A learning rate with which ``kind`` makes a good showing on ``surface_kind``."""
    return _DEFAULT_LRS.get(surface_kind, {}).get(kind, _ADAPTIVE_LR.get(surface_kind, 0.01))


def optimizer_for(kind: str, params: Iterable[torch.Tensor], lr: float) -> torch.optim.Optimizer:
    """The real ``torch.optim`` class for ``kind`` with PyTorch's defaults and ``lr``
    (``cnnviz.train.build_optimizer``): SGD's momentum 0.9, AdamW's own decoupled weight decay
    0.01 (what sets it apart from Adam here). The race reads its settings from this object."""
    if kind not in KINDS:
        raise LearningInputError("learn.error.optimizer", kind=repr(kind), allowed=", ".join(KINDS))
    return build_optimizer(kind, params, lr=lr, momentum=0.9, foreach=False)


@dataclass(frozen=True)
class Racer:
    """One optimizer of the race and its learning rate (checked: see ``check_lr``)."""

    kind: str
    lr: float

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise LearningInputError(
                "learn.error.optimizer", kind=repr(self.kind), allowed=", ".join(KINDS)
            )
        object.__setattr__(self, "lr", check_lr(self.lr, name=self.kind))


@dataclass(frozen=True)
class Race:
    """Everything a race depends on; frozen and hashable, so pages cache results by it.

    ``noise`` is the mini-batch noise ``sigma`` (0 = full-batch gradients), ``seed`` fixes the
    noise. Raises :class:`LearningInputError`: no racer, a racer twice, too many steps, a start
    point off the plotted range, or noise out of range.
    """

    surface: Surface
    racers: tuple[Racer, ...]
    start: tuple[float, float]
    steps: int = 150
    noise: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "racers", tuple(self.racers))
        if not self.racers:
            raise LearningInputError("learn.error.no_racer")
        kinds = [racer.kind for racer in self.racers]
        if len(set(kinds)) != len(kinds):
            raise LearningInputError("learn.error.racer_twice")
        check_steps(self.steps, MAX_STEPS)
        start = tuple(float(v) for v in self.start)
        if len(start) != 2 or not all(math.isfinite(v) for v in start):
            raise LearningInputError("learn.error.start_nan", point=str(self.start))
        if not self.surface.contains((start[0], start[1])):
            (x0, x1), (y0, y1) = self.surface.x_range, self.surface.y_range
            raise LearningInputError(
                "learn.error.start_outside",
                x=start[0],
                y=start[1],
                x0=x0,
                x1=x1,
                y0=y0,
                y1=y1,
            )
        object.__setattr__(self, "start", start)
        noise = self.noise
        if isinstance(noise, bool) or not isinstance(noise, (int, float)):
            raise LearningInputError("learn.error.noise", value=str(noise), high=MAX_NOISE)
        if not (math.isfinite(noise) and 0.0 <= noise <= MAX_NOISE):
            raise LearningInputError("learn.error.noise", value=str(noise), high=MAX_NOISE)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise LearningInputError("learn.error.seed", value=str(self.seed))


@dataclass(frozen=True)
class Stop:
    """Where a racer stopped: after ``step`` steps its point was ``reason`` ("nonfinite": the
    loss overflowed or became NaN; "escaped": farther than :data:`ESCAPE` from the origin)."""

    step: int
    reason: str


@dataclass(frozen=True, eq=False)
class RaceResult:
    """What a race did, step by step, for each racer ``k`` (in ``race.racers`` order).

    - ``positions[k, t]``: the point after ``t`` steps (``t = 0`` is the start), NaN once stopped;
    - ``losses[k, t]``: the full (noise-free) loss there;
    - ``grads[k, t - 1]``: the gradient step ``t`` used (with the mini-batch noise), NaN if not run;
    - ``states[k][name][t - 1]``: the optimizer's state ``name`` after step ``t`` (a 2-vector, or
      a number for ``step`` and ``mu_product``);
    - ``hyper[k]``: the optimizer's ``param_groups[0]`` settings (lr, betas, eps, momentum...);
    - ``stops[k]``: where the racer stopped, or None if it ran every step.
    """

    race: Race
    positions: np.ndarray  # (K, T + 1, 2)
    losses: np.ndarray  # (K, T + 1)
    grads: np.ndarray  # (K, T, 2)
    states: tuple[dict[str, np.ndarray], ...]
    hyper: tuple[dict[str, Any], ...]
    stops: tuple[Stop | None, ...]
    noise: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # (T, 2)

    def steps_run(self, k: int) -> int:
        """How many steps racer ``k`` took."""
        stop = self.stops[k]
        return stop.step if stop is not None else self.race.steps


def race_noise(race: Race) -> torch.Tensor:
    """The mini-batch noise of every step, (T, 2) float64: ``sigma * s * eps_t``, ``eps_t ~ N(0, I)``
    drawn from a generator seeded with ``race.seed`` (zeros without noise)."""
    if race.noise == 0.0:
        return torch.zeros(race.steps, 2, dtype=_DTYPE)
    generator = torch.Generator().manual_seed(race.seed)
    eps = torch.randn(race.steps, 2, generator=generator, dtype=_DTYPE)
    return eps * (race.noise * race.surface.noise_scale)


def run_race(race: Race) -> RaceResult:
    """Run every racer of ``race`` for ``race.steps`` steps (see the module docstring)."""
    count, steps = len(race.racers), race.steps
    noise = race_noise(race).numpy()  # (T, 2)
    noisy = race.noise > 0.0
    gradient = race.surface.gradient
    positions = np.full((count, steps + 1, 2), np.nan)
    grads = np.full((count, steps, 2), np.nan)
    states: list[dict[str, np.ndarray]] = []
    hyper: list[dict[str, Any]] = []
    stops: list[Stop | None] = [None] * count
    for k, racer in enumerate(race.racers):
        dummy = torch.zeros(2, dtype=_DTYPE, requires_grad=True)
        settings = settings_of(racer.kind, optimizer_for(racer.kind, [dummy], racer.lr))
        hyper.append(settings)
        rule, state = RULES[racer.kind], new_state(racer.kind)
        records = {
            name: np.full((steps, 2) if name not in _SCALARS else (steps,), np.nan)
            for name in STATE_KEYS[racer.kind]
        }
        states.append(records)
        path, used = positions[k], grads[k]
        theta = np.array(race.start, dtype=np.float64)
        path[0] = theta
        for t in range(steps):
            x, y = float(theta[0]), float(theta[1])
            if not (abs(x) <= ESCAPE and abs(y) <= ESCAPE):  # False for NaN too
                stops[k] = Stop(t, "escaped")  # or "nonfinite": decided from the loss below
                break
            grad = np.array(gradient(x, y))
            if noisy:
                grad = grad + noise[t]
            used[t] = grad
            theta = rule(theta, grad, state, settings)
            path[t + 1] = theta
            for name, record in records.items():
                record[t] = state[name]
        else:
            if not (np.abs(theta) <= ESCAPE).all():
                stops[k] = Stop(steps, "escaped")
    with np.errstate(all="ignore"):
        losses = race.surface.loss_np(positions)  # (K, T + 1): NaN after a stop
    for k, stop in enumerate(stops):
        if stop is None:
            continue
        t = stop.step
        if not np.isfinite(losses[k, t]):  # the point is drawn only while its loss is finite
            stops[k] = Stop(t, "nonfinite")
            positions[k, t] = np.nan
            losses[k, t] = np.nan
        positions[k, t + 1 :] = np.nan
        losses[k, t + 1 :] = np.nan
    return RaceResult(
        race=race,
        positions=positions,
        losses=losses,
        grads=grads,
        states=tuple(states),
        hyper=tuple(hyper),
        stops=tuple(stops),
        noise=noise,
    )
