"""Activation functions and their derivatives, and why a network needs a non-linearity at all.

Every value comes from the ``torch.nn`` module of the function and every derivative from autograd:
for an element-wise ``f``, ``d/dx sum_i f(x_i)`` is ``f'(x_i)`` at each point. PReLU's slope ``a``
is a parameter, so autograd also gives ``df/da`` (``x`` where ``x < 0``, else 0): what it learns from.
A region is *saturated* where ``|f'(x)| < SATURATION``: a gradient passing there shrinks at least
20-fold.

:func:`linear_collapse` shows that two stacked linear layers are one: ``W2 (W1 x + b1) + b2 =
(W2 W1) x + (W2 b1 + b2)``, and that a ReLU between them breaks the identity.

Lesson: the /activations page (curves, cursor readout, why non-linearity).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.concepts.inputs import ConceptError, check_range, parse_vector
from cnnviz.net import activation_module

__all__ = [
    "ACTIVATION_FUNCTIONS",
    "SATURATION",
    "ActivationCurve",
    "LinearCollapse",
    "Readout",
    "activation_curves",
    "activation_layer",
    "linear_collapse",
    "readout",
    "saturated_intervals",
]

#: The functions the explorer draws, in the order it offers them.
ACTIVATION_FUNCTIONS: tuple[str, ...] = (
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "prelu",
    "elu",
    "selu",
    "gelu",
    "softplus",
    "silu",
)
#: ``|f'(x)|`` below this counts as saturated (shaded on the curves).
SATURATION = 0.05
MAX_POINTS = 2001
MAX_X = 50.0


def activation_layer(
    name: str, *, prelu_slope: float = 0.25, leaky_slope: float = 0.01
) -> nn.Module:
    """The ``torch.nn`` module of ``name`` (one of :data:`ACTIVATION_FUNCTIONS`), in float64: the
    Build page's module (:func:`cnnviz.net.activation_module`), with PReLU's starting slope and
    SiLU, which the explorer adds."""
    if name not in ACTIVATION_FUNCTIONS:
        raise ConceptError(
            "why.input.bad_choice", value=name, allowed=", ".join(ACTIVATION_FUNCTIONS)
        )
    if name == "prelu":
        return nn.PReLU(init=prelu_slope, dtype=torch.float64)
    if name == "silu":
        return nn.SiLU()
    return activation_module(name, negative_slope=leaky_slope)


@dataclass(frozen=True, eq=False)
class ActivationCurve:
    """``f`` and ``f'`` (autograd) of one function over ``x``; ``saturated`` where ``|f'| <
    SATURATION``; ``slope_grad`` is ``df/da`` for PReLU (None for the others)."""

    name: str
    x: np.ndarray  # (P,)
    value: np.ndarray  # (P,)
    derivative: np.ndarray  # (P,)
    saturated: np.ndarray  # (P,) bool
    slope_grad: np.ndarray | None = None


@dataclass(frozen=True)
class Readout:
    """``f(x)`` and ``f'(x)`` of one function at the cursor (``slope_grad``: PReLU's ``df/da``)."""

    name: str
    x: float
    value: float
    derivative: float
    slope_grad: float | None = None


def _evaluate(
    name: str, x: np.ndarray, prelu_slope: float, leaky_slope: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``(f(x), f'(x), df/da or None)`` by one forward and one backward pass."""
    inputs = torch.tensor(x, dtype=torch.float64, requires_grad=True)  # (P,)
    if name == "prelu":
        # One slope per point (P "channels" of a (1, P) input), all equal to ``prelu_slope``: the
        # backward pass then gives df/da at every point separately, not their sum.
        layer = nn.PReLU(num_parameters=len(x), init=prelu_slope, dtype=torch.float64)
        values = layer(inputs.view(1, -1)).view(-1)
    else:
        values = activation_layer(name, prelu_slope=prelu_slope, leaky_slope=leaky_slope)(inputs)
    # element-wise f: the gradient of sum_i f(x_i) with respect to x_i is f'(x_i)
    values.sum().backward()
    assert inputs.grad is not None
    slope_grad = None
    if name == "prelu":
        assert layer.weight.grad is not None
        slope_grad = layer.weight.grad.numpy().copy()
    return values.detach().numpy(), inputs.grad.numpy(), slope_grad


def activation_curves(
    names: Sequence[str],
    *,
    x_min: float = -6.0,
    x_max: float = 6.0,
    points: int = 481,
    prelu_slope: float = 0.25,
    leaky_slope: float = 0.01,
) -> tuple[ActivationCurve, ...]:
    """One :class:`ActivationCurve` per name over ``points`` evenly spaced x in [x_min, x_max]."""
    check_range(x_min, -MAX_X, MAX_X, name="x_min")
    check_range(x_max, -MAX_X, MAX_X, name="x_max")
    if x_min >= x_max:
        raise ConceptError("why.input.empty_range", low=f"{x_min:g}", high=f"{x_max:g}")
    check_range(points, 2, MAX_POINTS, name="points")
    check_range(prelu_slope, -1.0, 1.0, name="prelu_slope")
    check_range(leaky_slope, 0.0, 1.0, name="leaky_slope")
    x = np.linspace(x_min, x_max, int(points))
    curves = []
    for name in names:
        value, derivative, slope_grad = _evaluate(name, x, prelu_slope, leaky_slope)
        curves.append(
            ActivationCurve(name, x, value, derivative, np.abs(derivative) < SATURATION, slope_grad)
        )
    return tuple(curves)


def readout(
    names: Sequence[str], x: float, *, prelu_slope: float = 0.25, leaky_slope: float = 0.01
) -> tuple[Readout, ...]:
    """``f(x)``, ``f'(x)`` (and PReLU's ``df/da``) for every name at one ``x``."""
    check_range(x, -MAX_X, MAX_X, name="x")
    result = []
    for name in names:
        value, derivative, slope_grad = _evaluate(name, np.array([x]), prelu_slope, leaky_slope)
        result.append(
            Readout(
                name,
                float(x),
                float(value[0]),
                float(derivative[0]),
                None if slope_grad is None else float(slope_grad[0]),
            )
        )
    return tuple(result)


def saturated_intervals(curve: ActivationCurve) -> list[tuple[float, float]]:
    """The x intervals where ``curve`` is saturated, as ``(start, end)`` pairs (for shading)."""
    mask = curve.saturated.astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask, [0]))))
    x = curve.x
    return [
        (float(x[start]), float(x[end - 1]))
        for start, end in zip(edges[::2], edges[1::2], strict=True)
    ]


@dataclass(frozen=True, eq=False)
class LinearCollapse:
    """Two linear layers, the one layer they equal, and the same two with a ReLU between.

    ``weight = w2 @ w1``, ``bias = w2 @ b1 + b2``; ``stacked``, ``single`` and ``with_relu`` are
    the outputs of the three networks for ``x``; ``gap_*`` are the largest absolute differences
    from ``stacked``.
    """

    x: np.ndarray  # (D,)
    w1: np.ndarray  # (H, D)
    b1: np.ndarray  # (H,)
    w2: np.ndarray  # (O, H)
    b2: np.ndarray  # (O,)
    weight: np.ndarray  # (O, D)
    bias: np.ndarray  # (O,)
    hidden: np.ndarray  # (H,) w1 x + b1
    stacked: np.ndarray  # (O,)
    single: np.ndarray  # (O,)
    with_relu: np.ndarray  # (O,)
    gap_linear: float
    gap_relu: float


def linear_collapse(
    x_text: str, *, hidden: int = 3, outputs: int = 2, seed: int = 0
) -> LinearCollapse:
    """Two seeded ``nn.Linear`` layers applied to the learner's ``x`` (1 to 6 numbers), the one
    layer ``(W2 W1, W2 b1 + b2)`` they collapse to, and the ReLU network that does not."""
    x_values = parse_vector(x_text, maximum_length=6, bound=1e3)
    check_range(hidden, 1, 6, name="hidden")
    check_range(outputs, 1, 4, name="outputs")
    generator = torch.Generator().manual_seed(int(seed))
    dims = len(x_values)
    # small integers make the matrix product readable by hand
    w1 = torch.randint(-2, 3, (hidden, dims), generator=generator).double()
    b1 = torch.randint(-1, 2, (hidden,), generator=generator).double()
    w2 = torch.randint(-2, 3, (outputs, hidden), generator=generator).double()
    b2 = torch.randint(-1, 2, (outputs,), generator=generator).double()
    x = torch.tensor(x_values, dtype=torch.float64)
    hidden_out = F.linear(x, w1, b1)
    stacked = F.linear(hidden_out, w2, b2)
    weight, bias = w2 @ w1, w2 @ b1 + b2
    single = F.linear(x, weight, bias)
    with_relu = F.linear(F.relu(hidden_out), w2, b2)
    return LinearCollapse(
        x=x.numpy(),
        w1=w1.numpy(),
        b1=b1.numpy(),
        w2=w2.numpy(),
        b2=b2.numpy(),
        weight=weight.numpy(),
        bias=bias.numpy(),
        hidden=hidden_out.numpy(),
        stacked=stacked.numpy(),
        single=single.numpy(),
        with_relu=with_relu.numpy(),
        gap_linear=float((stacked - single).abs().max()),
        gap_relu=float((stacked - with_relu).abs().max()),
    )
