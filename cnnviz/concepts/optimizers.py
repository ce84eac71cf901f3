"""The optimizer race: real ``torch.optim`` optimizers stepping real tensors on a 2-D surface.

Each racer is one of the optimizers the Train page offers (``cnnviz.train.OPTIMIZERS``: SGD,
momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW, Adamax, NAdam) with its own learning rate; all
start from the same point. Each racer owns one parameter tensor ``theta`` of shape (2,) and its own
``torch.optim`` object with PyTorch's default hyperparameters (SGD's momentum 0.9). One step of the
race:

1. stack the racers' points ``P`` (K, 2) and evaluate the surface once, ``f(P)`` (K,);
2. add this step's mini-batch noise ``P @ eps_t`` when the surface is noisy;
3. one ``backward()`` of the sum gives every racer its own gradient (the racers do not interact);
4. every racer's ``optimizer.step()``; the gradient and the optimizer's state tensors
   (``momentum_buffer``, ``exp_avg``, ``exp_avg_sq``, ...) are copied into the record that the
   step inspector reads (:mod:`cnnviz.concepts.inspector`).

A racer whose loss stops being finite, or whose point flies beyond :data:`ESCAPE`, stops there:
its trajectory ends at its last point and :class:`Stop` says at which step and why.

Lesson: the "Optimizers" page (the race, the loss chart, "too large and too small").
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import torch

from cnnviz.concepts.learning_input import LearningInputError, check_lr, check_steps
from cnnviz.concepts.surfaces import Surface
from cnnviz.train import OPTIMIZERS

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
    """The real ``torch.optim`` class for ``kind`` with PyTorch's defaults and ``lr``.

    SGD's momentum is 0.9 (PyTorch's default is no momentum); AdamW keeps its default decoupled
    weight decay 0.01, which is what sets it apart from Adam here. ``foreach=False`` names the
    single-tensor implementation that PyTorch picks for CPU tensors anyway (saying so skips the
    check on every step).
    """
    params = list(params)
    common: dict[str, Any] = {"lr": lr, "foreach": False}
    match kind:
        case "sgd":
            return torch.optim.SGD(params, **common)
        case "momentum":
            return torch.optim.SGD(params, momentum=0.9, **common)
        case "nesterov":
            return torch.optim.SGD(params, momentum=0.9, nesterov=True, **common)
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
    raise LearningInputError("learn.error.optimizer", kind=repr(kind), allowed=", ".join(KINDS))


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


def _hyper(optimizer: torch.optim.Optimizer) -> dict[str, Any]:
    return {k: v for k, v in optimizer.param_groups[0].items() if k != "params"}


def _stepper(optimizer: torch.optim.Optimizer) -> Callable[[], Any]:
    """The optimizer's own ``step`` (its update code), called without the profiler annotation and
    global-hook dispatch that ``Optimizer.step``'s public wrapper adds around it.

    On a 2-element tensor that wrapper costs more than the update itself (it opens a
    ``record_function`` profiler range on every call). Nothing else differs: the update runs the
    class's code on its ``param_groups`` and ``state``; tests check that the trajectories equal a
    loop calling the public ``optimizer.step()``. Falls back to the public method if a future
    PyTorch stops wrapping it.
    """
    raw = getattr(type(optimizer).step, "__wrapped__", None)
    if raw is None or optimizer._optimizer_step_pre_hooks or optimizer._optimizer_step_post_hooks:
        return optimizer.step
    return functools.partial(raw, optimizer)


def run_race(race: Race) -> RaceResult:
    """Run every racer of ``race`` for ``race.steps`` steps (see the module docstring)."""
    count, steps = len(race.racers), race.steps
    thetas = [torch.tensor(race.start, dtype=_DTYPE, requires_grad=True) for _ in race.racers]
    optimizers = [
        optimizer_for(r.kind, [theta], r.lr) for r, theta in zip(race.racers, thetas, strict=False)
    ]
    step_fns = [_stepper(o) for o in optimizers]
    keys = [STATE_KEYS[r.kind] for r in race.racers]
    noise = race_noise(race)
    noisy = race.noise > 0.0
    stops: list[Stop | None] = [None] * count
    active = list(range(count))
    loss_fn = race.surface.loss
    # per step t: (racers active at t, their points (A, 2), losses (A,)); per racer: its
    # gradients and the clones of its state tensors after each step
    rows: list[tuple[list[int], torch.Tensor, torch.Tensor]] = []
    grads: list[list[torch.Tensor]] = [[] for _ in range(count)]
    states: list[dict[str, list[torch.Tensor]]] = [{name: [] for name in k} for k in keys]
    for t in range(steps + 1):
        points = torch.stack([thetas[k] for k in active])  # (A, 2)
        full = loss_fn(points)  # (A,)
        ok = torch.isfinite(full) & (points.detach().abs().amax(dim=1) <= ESCAPE)
        if not bool(ok.all()):
            for slot in reversed((~ok).nonzero().flatten().tolist()):
                finite = bool(torch.isfinite(full[slot]))
                stops[active[slot]] = Stop(t, "escaped" if finite else "nonfinite")
                if finite:  # the escaped point is still drawn, heading off the plot
                    rows.append(
                        (
                            [active[slot]],
                            points[slot : slot + 1].detach(),
                            full[slot : slot + 1].detach(),
                        )
                    )
                del active[slot]
            if not active:
                break
            points = torch.stack([thetas[k] for k in active])
            full = loss_fn(points)
        rows.append((list(active), points.detach(), full.detach()))
        if t == steps:
            break
        objective = full + points @ noise[t] if noisy else full
        objective.sum().backward()
        for k in active:
            theta = thetas[k]
            if theta.grad is not None:
                grads[k].append(
                    theta.grad
                )  # a fresh tensor each step: the optimizers never write it
            step_fns[k]()
            theta.grad = None
            state = optimizers[k].state[theta]
            for name, record in states[k].items():
                record.append(state[name].clone())
    return _result(race, rows, grads, states, optimizers, stops, noise)


def _result(
    race: Race,
    rows: list[tuple[list[int], torch.Tensor, torch.Tensor]],
    grads: list[list[torch.Tensor]],
    states: list[dict[str, list[torch.Tensor]]],
    optimizers: list[torch.optim.Optimizer],
    stops: list[Stop | None],
    noise: torch.Tensor,
) -> RaceResult:
    """The race's records as NaN-padded arrays."""
    count, steps = len(race.racers), race.steps
    positions = np.full((count, steps + 1, 2), np.nan)
    losses = np.full((count, steps + 1), np.nan)
    filled = [0] * count
    for active, points, full in rows:
        for slot, k in enumerate(active):
            t = filled[k]
            positions[k, t] = points[slot].numpy()
            losses[k, t] = float(full[slot])
            filled[k] = t + 1
    grad_array = np.full((count, steps, 2), np.nan)
    state_arrays: list[dict[str, np.ndarray]] = []
    for k in range(count):
        if grads[k]:
            grad_array[k, : len(grads[k])] = torch.stack(grads[k]).numpy()
        arrays = {}
        for name, record in states[k].items():
            shape = (steps, 2) if name not in ("step", "mu_product") else (steps,)
            values = np.full(shape, np.nan)
            if record:
                values[: len(record)] = torch.stack(record).to(_DTYPE).numpy()
            arrays[name] = values
        state_arrays.append(arrays)
    return RaceResult(
        race=race,
        positions=positions,
        losses=losses,
        grads=grad_array,
        states=tuple(state_arrays),
        hyper=tuple(_hyper(o) for o in optimizers),
        stops=tuple(stops),
        noise=noise.numpy(),
    )
