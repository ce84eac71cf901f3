"""The optimizer race: real ``torch.optim`` optimizers stepping real tensors on a 2-D surface.

Each racer is one of the optimizers the Train page offers (``cnnviz.train.OPTIMIZERS``: SGD,
momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW, Adamax, NAdam) with its own learning rate; all
start from the same point. Each racer owns one float64 parameter ``theta`` of shape (2,) and its
own ``torch.optim`` object, built by ``cnnviz.train.build_optimizer`` with PyTorch's defaults (SGD's
momentum 0.9, AdamW's decoupled weight decay 0.01) and ``foreach=False`` (the single-tensor
implementation). One step of the race:

1. the racers' points ``P`` (K, 2) go through the surface's gradient once
   (:meth:`Surface.gradient`, written out by hand and tested against autograd), plus this step's
   mini-batch noise ``eps_t`` when the surface is noisy;
2. that gradient is written into every racer's ``theta.grad``;
3. every racer's public ``optimizer.step()`` moves its ``theta``.

Why so: the race's cost is its 4,500 ``optimizer.step()`` calls (9 racers x 500 steps, 14-50 us
each on a 2-element tensor), so nothing else may cost much. The racers' ``theta`` are the rows of
one (K, 2) tensor and their ``.grad`` the rows of another, so a step reads every point and writes
every gradient through one NumPy view, with no autograd graph; only the points are recorded (and
the gradients, which are the inputs of the steps). The step inspector
(:mod:`cnnviz.concepts.inspector`) gets an optimizer's state (``momentum_buffer``, ``exp_avg``,
``exp_avg_sq``...) at step ``k`` from :func:`replay`, which re-runs that one real optimizer on the
recorded gradients to step ``k``: one optimizer to one step on demand is cheaper than copying nine
optimizers' state 500 times in every race. The tests hold every trajectory and every inspected
state to a hand-driven ``torch.optim`` loop (autograd gradient, public ``step()``);
``benchmarks/bench_concepts.py`` times the race against that loop.

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
    "ReplayedStep",
    "Stop",
    "default_lr",
    "optimizer_for",
    "race_noise",
    "replay",
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
    0.01 (what sets it apart from Adam here). ``foreach=False`` names the single-tensor
    implementation, PyTorch's choice for CPU tensors anyway (saying so skips the check)."""
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
    - ``grads[k, t - 1]``: the gradient step ``t`` used (``theta.grad``, with the mini-batch
      noise), NaN if not run;
    - ``hyper[k]``: the optimizer's ``param_groups[0]`` settings (lr, betas, eps, momentum...);
    - ``stops[k]``: where the racer stopped, or None if it ran every step.
    """

    race: Race
    positions: np.ndarray  # (K, T + 1, 2)
    losses: np.ndarray  # (K, T + 1)
    grads: np.ndarray  # (K, T, 2)
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
    # every racer's theta is a row of `points` and its .grad a row of `grad`: real float64
    # tensors that the optimizers update in place, read and written here through NumPy views
    points = torch.tensor([race.start] * count, dtype=_DTYPE)  # (K, 2)
    grad = torch.zeros(count, 2, dtype=_DTYPE)  # (K, 2)
    thetas = [points[k] for k in range(count)]
    for theta, row in zip(thetas, grad, strict=True):
        theta.grad = row
    optimizers = [
        optimizer_for(r.kind, [theta], r.lr) for r, theta in zip(race.racers, thetas, strict=True)
    ]
    steppers = [optimizer.step for optimizer in optimizers]
    at, grad_at = points.numpy(), grad.numpy()  # (K, 2) views
    positions = np.full((count, steps + 1, 2), np.nan)
    grads = np.full((count, steps, 2), np.nan)
    stops: list[Stop | None] = [None] * count
    running = np.ones(count, dtype=bool)
    gradient = race.surface.gradient
    with np.errstate(all="ignore"):  # a stopped racer's row may overflow: it is never stepped
        for t in range(steps + 1):
            positions[:, t] = at
            escaped = running & ~(np.abs(at) <= ESCAPE).all(axis=1)  # NaN fails the test too
            if escaped.any():
                for index in np.flatnonzero(escaped).tolist():
                    stops[index] = Stop(t, "escaped")  # or "nonfinite": decided from the loss
                running &= ~escaped
                steppers = [optimizers[i].step for i in np.flatnonzero(running).tolist()]
                if not steppers:
                    break
            if t == steps:
                break
            gradient(at, out=grad_at)
            if noisy:
                grad_at += noise[t]
            grads[:, t] = grad_at
            for step in steppers:
                step()
    losses = race.surface.loss(torch.from_numpy(positions)).numpy()  # (K, T + 1)
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
        grads[k, t:] = np.nan
    return RaceResult(
        race=race,
        positions=positions,
        losses=losses,
        grads=grads,
        hyper=tuple(
            {name: v for name, v in o.param_groups[0].items() if name != "params"}
            for o in optimizers
        ),
        stops=tuple(stops),
        noise=noise,
    )


@dataclass(frozen=True, eq=False)
class ReplayedStep:
    """One racer's real optimizer around one step, re-run by :func:`replay`: its ``state``
    (``optimizer.state[theta]``, float64 copies) ``before`` and ``after`` the step (``before`` is
    empty before the first step) and the point ``theta`` it moved to."""

    before: dict[str, torch.Tensor]
    after: dict[str, torch.Tensor]
    point: tuple[float, float]


def _state_copy(state: dict[str, Any]) -> dict[str, torch.Tensor]:
    return {name: torch.as_tensor(value).to(_DTYPE, copy=True) for name, value in state.items()}


def replay(result: RaceResult, index: int, step: int) -> ReplayedStep:
    """Re-run racer ``index``'s real optimizer from the start on the gradients the race fed it,
    to step ``step`` (1..steps it ran): the same ``torch.optim`` object, the same ``theta.grad``,
    the public ``step()``, so the same numbers as in the race (the tests check the point).

    Raises ValueError for a step the racer did not take.
    """
    racer = result.race.racers[index]
    if not 1 <= step <= result.steps_run(index):
        raise ValueError(f"racer {index} did not take step {step}")
    theta = torch.tensor(result.race.start, dtype=_DTYPE)
    theta.grad = torch.empty(2, dtype=_DTYPE)
    optimizer = optimizer_for(racer.kind, [theta], racer.lr)
    fed = torch.from_numpy(result.grads[index])  # (T, 2)
    for t in range(step - 1):
        theta.grad.copy_(fed[t])
        optimizer.step()
    before = _state_copy(optimizer.state[theta])
    theta.grad.copy_(fed[step - 1])
    optimizer.step()
    return ReplayedStep(
        before=before,
        after=_state_copy(optimizer.state[theta]),
        point=(float(theta[0]), float(theta[1])),
    )
