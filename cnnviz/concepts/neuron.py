"""Why cross-entropy and not MSE after a sigmoid: one neuron, trained both ways.

A single sigmoid neuron ``a = sigma(w x + b)`` with input ``x = 1`` starts badly saturated
(``w = 2, b = 2``: ``a = sigma(4) = 0.98``) while the target is ``y = 0`` (Nielsen's classic demo).
With the quadratic cost ``C = (a - y)^2 / 2`` the output gradient is ``dC/dz = sigma'(z)(a - y)``:
``sigma'(4) = 0.018`` makes it tiny and learning crawls. With cross-entropy
``C = -[y ln a + (1 - y) ln(1 - a)]`` it is ``dC/dz = a - y``: the sigma' is gone, and the worse
the neuron is, the faster it learns. Both train with ``torch.optim.SGD`` at the same learning
rate on real tensors; every number of every step is recorded.

On the page the training runs in the background job machinery (:class:`NeuronTask` in an
``EventLogJob``, like every other explorer that trains), never inside a script run: the task
yields both runs so far every few steps, and the page draws them as they arrive.

The article 「深度学习|卷积的平移不变性公式,卷积减少参数的方法」 makes this argument (the
sigma'(z) factor in delta^L disappears with cross-entropy).

Lesson: the /losses page (MSE against cross-entropy after a sigmoid).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.concepts.inputs import check_range
from cnnviz.control import Control
from cnnviz.jobs import Progress

__all__ = [
    "NEURON_LOSSES",
    "NeuronPair",
    "NeuronRun",
    "NeuronTask",
    "iter_neurons",
    "train_neuron",
    "train_neurons",
]

NEURON_LOSSES: tuple[str, ...] = ("mse", "ce")
MAX_STEPS = 1000


@dataclass(frozen=True, eq=False)
class NeuronRun:
    """Every step of one run, before its update: ``w, b, z, a``, the loss, ``dC/dz`` (the
    output-layer error), ``dC/dw, dC/db`` and ``sigma'(z)``, all from autograd; one row per step (``steps + 1``
    rows: the last is after the final update)."""

    loss_name: str
    lr: float
    x: float
    y: float
    w: np.ndarray
    b: np.ndarray
    z: np.ndarray
    a: np.ndarray
    loss: np.ndarray
    delta: np.ndarray  # dC/dz
    grad_w: np.ndarray
    grad_b: np.ndarray
    sigma_prime: np.ndarray  # da/dz by autograd


def train_neurons(
    *,
    w: float = 2.0,
    b: float = 2.0,
    x: float = 1.0,
    y: float = 0.0,
    lr: float = 0.15,
    steps: int = 300,
) -> tuple[NeuronRun, NeuronRun]:
    """``(mse, ce)``: ``a = sigmoid(w x + b)`` trained towards ``y`` with the quadratic cost
    ``(a - y)^2 / 2`` and with binary cross-entropy, by ``torch.optim.SGD(lr)`` for ``steps`` steps
    (the last pair :func:`iter_neurons` yields)."""
    *_, last = iter_neurons(w=w, b=b, x=x, y=y, lr=lr, steps=steps, every=max(1, int(steps)))
    return last.mse, last.ce


@dataclass(frozen=True, eq=False)
class NeuronPair:
    """Both runs after ``step`` of ``steps`` updates (their tables have ``step + 1`` rows)."""

    step: int
    steps: int
    mse: NeuronRun
    ce: NeuronRun


def iter_neurons(
    *,
    w: float = 2.0,
    b: float = 2.0,
    x: float = 1.0,
    y: float = 0.0,
    lr: float = 0.15,
    steps: int = 300,
    every: int = 50,
    control: Control | None = None,
) -> Iterator[NeuronPair]:
    """Train both neurons (see :func:`train_neurons`), yielding both runs so far every ``every``
    steps and after the last one; ``control`` (a background job's) may pause or stop it.

    Both neurons live in one 2-element tensor and one optimizer (entry 0: MSE, entry 1:
    cross-entropy); their losses are summed, and since each depends on its own entry only, every
    gradient and every update is exactly that of a separate run (tested), at half the cost.
    """
    for value, name, low, high in ((w, "w", -10, 10), (b, "b", -10, 10), (x, "x", -5, 5)):
        check_range(value, low, high, name=name)
    check_range(y, 0.0, 1.0, name="y")
    check_range(lr, 1e-4, 10.0, name="lr")
    check_range(steps, 1, MAX_STEPS, name="steps")
    steps, every = int(steps), max(1, int(every))
    weight = torch.full((2,), float(w), dtype=torch.float64, requires_grad=True)
    bias = torch.full((2,), float(b), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([weight, bias], lr=lr)
    x_t = torch.tensor(float(x), dtype=torch.float64)
    y_t = torch.full((2,), float(y), dtype=torch.float64)
    # per step only what autograd and the optimizer produce: the parameters before the update
    # (cloned: SGD updates in place) and the fresh .grad tensors (zero_grad sets them to None)
    weights, biases, grad_ws, grad_bs = [], [], [], []
    for step in range(steps + 1):
        if control is not None:
            control.checkpoint()
        optimizer.zero_grad()
        a = torch.sigmoid(weight * x_t + bias)  # (2,)
        (0.5 * F.mse_loss(a[0], y_t[0]) + F.binary_cross_entropy(a[1], y_t[1])).backward()
        assert weight.grad is not None and bias.grad is not None
        weights.append(weight.detach().clone())
        biases.append(bias.detach().clone())
        grad_ws.append(weight.grad)
        grad_bs.append(bias.grad)
        if step < steps:
            optimizer.step()
        if step % every == 0 or step == steps:
            mse, ce = _tabulate(weights, biases, grad_ws, grad_bs, x_t, y_t, float(lr))
            yield NeuronPair(step, steps, mse, ce)


def _tabulate(
    weights: list[torch.Tensor],
    biases: list[torch.Tensor],
    grad_ws: list[torch.Tensor],
    grad_bs: list[torch.Tensor],
    x_t: torch.Tensor,
    y_t: torch.Tensor,
    lr: float,
) -> tuple[NeuronRun, NeuronRun]:
    """Both runs' tables from the recorded parameters and gradients."""
    w_all, b_all = torch.stack(weights), torch.stack(biases)  # (steps + 1, 2)
    with torch.no_grad():
        # the same forward pass, every step at once: z, a and each neuron's loss
        z_all = w_all * x_t + b_all
        a_all = torch.sigmoid(z_all)
        y_all = y_t.expand_as(a_all)
        loss_all = torch.stack(
            [
                0.5 * F.mse_loss(a_all[:, 0], y_all[:, 0], reduction="none"),
                F.binary_cross_entropy(a_all[:, 1], y_all[:, 1], reduction="none"),
            ],
            dim=1,
        )
    # w, b, z, a, loss, dC/dz, dC/dw, dC/db for both neurons; dC/dz is dC/db, because
    # z = w x + b gives dz/db = 1
    grad_b_all = torch.stack(grad_bs)
    table = torch.stack(
        [w_all, b_all, z_all, a_all, loss_all, grad_b_all, torch.stack(grad_ws), grad_b_all], dim=1
    )  # (steps + 1, 8, 2)
    # sigma'(z) of every recorded z in one backward pass
    z_all = z_all.clone().requires_grad_(True)
    torch.sigmoid(z_all).sum().backward()
    assert z_all.grad is not None
    sigma_prime = z_all.grad.numpy()
    runs = []
    for column, name in enumerate(NEURON_LOSSES):
        values = table[:, :, column].numpy()  # (steps + 1, 8)
        runs.append(
            NeuronRun(
                loss_name=name,
                lr=lr,
                x=float(x_t),
                y=float(y_t[0]),
                w=values[:, 0],
                b=values[:, 1],
                z=values[:, 2],
                a=values[:, 3],
                loss=values[:, 4],
                delta=values[:, 5],
                grad_w=values[:, 6],
                grad_b=values[:, 7],
                sigma_prime=sigma_prime[:, column],
            )
        )
    return runs[0], runs[1]


def train_neuron(
    loss_name: str,
    *,
    w: float = 2.0,
    b: float = 2.0,
    x: float = 1.0,
    y: float = 0.0,
    lr: float = 0.15,
    steps: int = 300,
) -> NeuronRun:
    """One neuron on its own: ``loss_name`` "mse" or "ce" (see :func:`train_neurons`)."""
    if loss_name not in NEURON_LOSSES:
        raise ValueError(f"loss must be one of {NEURON_LOSSES}, got {loss_name!r}")
    weight = torch.tensor(float(w), dtype=torch.float64, requires_grad=True)
    bias = torch.tensor(float(b), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([weight, bias], lr=lr)
    check_range(steps, 1, MAX_STEPS, name="steps")
    rows = []
    for step in range(int(steps) + 1):
        optimizer.zero_grad()
        z = weight * x + bias
        z.retain_grad()
        a = torch.sigmoid(z)
        target = torch.tensor(float(y), dtype=torch.float64)
        loss = (
            0.5 * F.mse_loss(a, target) if loss_name == "mse" else F.binary_cross_entropy(a, target)
        )
        loss.backward()
        assert z.grad is not None and weight.grad is not None and bias.grad is not None
        z_leaf = z.detach().requires_grad_(True)
        (sigma_prime,) = torch.autograd.grad(torch.sigmoid(z_leaf), z_leaf)
        rows.append(
            [
                float(v.detach())
                for v in (weight, bias, z, a, loss, z.grad, weight.grad, bias.grad, sigma_prime)
            ]
        )
        if step < steps:
            optimizer.step()
    table = np.array(rows)
    return NeuronRun(loss_name, float(lr), float(x), float(y), *(table[:, i] for i in range(9)))


@dataclass(frozen=True)
class NeuronTask:
    """Both neurons trained in a background job (picklable): :class:`NeuronPair` every
    ``every`` steps and a :class:`cnnviz.jobs.Progress` with it. Settings are checked when the
    job runs (a bad one fails the job with its message) and by the page before it starts."""

    w: float = 2.0
    b: float = 2.0
    lr: float = 0.15
    steps: int = 300
    every: int = 25

    def run(self, control: Control) -> Iterator[object]:
        """The pairs and the progress, step by step (pause and stop through ``control``)."""
        for pair in iter_neurons(
            w=self.w, b=self.b, lr=self.lr, steps=self.steps, every=self.every, control=control
        ):
            yield pair
            yield Progress(pair.step, pair.steps)
