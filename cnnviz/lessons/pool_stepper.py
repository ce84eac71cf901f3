"""The pooling stepper's lesson: its settings, the step, the backward pass and the two extras.

* :class:`PoolSettings` is what the sidebar chose (validated, frozen); :func:`pool_request_settings`
  gives the settings of a MaxPool2d/AvgPool2d layer sent by the Build page.
* :func:`compute_pool` checks the settings by computing the first step (:func:`cnnviz.ops.pool_step`)
  and returns a :class:`PoolStepper`: the input, the step at any output cell, the output-size
  formulas ``floor((n + 2p - k) / s) + 1`` and the PyTorch line.
* :func:`upstream_gradient` is the dL/dy the backward pass starts from; :func:`pool_backward`
  routes it back (max: all of ``g`` to the arg-max cell; average: ``g / (kh*kw)`` to every window
  cell; overlapping windows add) with :func:`cnnviz.ops.max_pool2d_backward` /
  :func:`cnnviz.ops.avg_pool2d_backward` and checks it against PyTorch autograd.
* :func:`pool_layout` is one side of the comparison of AlexNet's overlapping 3x3/2 pooling with
  2x2/2 tiles (:data:`POOL_COMPARISON`); :func:`global_average` is ``nn.AdaptiveAvgPool2d(1)``
  written out: ``mean = sum / (H*W)``.

Lesson: "Pooling stepper".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final, Literal, TypeAlias

import numpy as np

from cnnviz.lessons._checks import check_choice, check_int, check_pair
from cnnviz.lessons.stepper_request import StepperRequest
from cnnviz.net import (
    MaxPool2dSpec,
    Pair,
    Problem,
    SpecError,
    dropped_pixels,
    pool_output_formula,
    unreached,
)
from cnnviz.ops import (
    PoolKind,
    PoolStep,
    avg_pool2d_backward,
    global_avg_pool,
    max_pool2d,
    max_pool2d_backward,
    pool_backward_autograd,
    pool_step,
    pool_windows_coverage,
)

__all__ = [
    "GRAD_SOURCES",
    "POOL_COMPARISON",
    "POOL_KINDS",
    "POOL_SOURCES",
    "GlobalAverage",
    "GradSource",
    "PoolBackward",
    "PoolLayout",
    "PoolSettings",
    "PoolStepper",
    "compute_pool",
    "global_average",
    "pool_backward",
    "pool_layout",
    "pool_request_settings",
    "typed_gradient_base",
    "upstream_gradient",
]

POOL_KINDS: Final[tuple[PoolKind, ...]] = ("max", "avg")
#: Input sources the sidebar offers; "request" is added while a Build-page layer is loaded.
POOL_SOURCES: Final[tuple[str, ...]] = ("seed003", "random_int", "digit", "typed")
GradSource: TypeAlias = Literal["random_int", "ones", "typed"]
GRAD_SOURCES: Final[tuple[GradSource, ...]] = ("random_int", "ones", "typed")
#: The comparison's two columns: (name, kernel_size, stride), AlexNet's overlapping pooling first.
POOL_COMPARISON: Final[tuple[tuple[str, int, int], ...]] = (("overlap", 3, 2), ("tiles", 2, 2))
#: How closely the NumPy backward pass must match autograd (both float64).
AUTOGRAD_ATOL: Final[float] = 1e-9


@dataclass(frozen=True)
class PoolSettings:
    """The pooling stepper's settings: the layer, the input, and the backward pass's dL/dy.

    ``shape`` is (height, width) of a sample input; ``channel`` the input channel stepped through;
    ``seed`` seeds the sample input, ``grad_seed`` the random upstream gradient. Padding may be at
    most half the kernel (PyTorch's rule): that, and a kernel larger than the padded input, are
    reported by :func:`compute_pool`, not here.
    """

    kind: PoolKind = "max"
    source: str = "random_int"
    shape: Pair = (6, 6)
    channel: int = 0
    kernel: Pair = (2, 2)
    stride: Pair = (2, 2)
    padding: Pair = (0, 0)
    grad_source: GradSource = "random_int"
    seed: int = 0
    grad_seed: int = 1

    def __post_init__(self) -> None:
        if self.kind not in POOL_KINDS:
            raise SpecError(Problem.make("step_bad_pool_kind", field="kind", value=self.kind))
        check_choice(self.source, "source", (*POOL_SOURCES, "request"))
        check_choice(self.grad_source, "grad_source", GRAD_SOURCES)
        for name, minimum in (("shape", 1), ("kernel", 1), ("stride", 1), ("padding", 0)):
            object.__setattr__(self, name, check_pair(getattr(self, name), name, minimum))
        for name in ("channel", "seed", "grad_seed"):
            object.__setattr__(self, name, check_int(getattr(self, name), name, 0))

    @property
    def layer_name(self) -> str:
        """``MaxPool2d`` or ``AvgPool2d``."""
        return "MaxPool2d" if self.kind == "max" else "AvgPool2d"

    @property
    def overlapping(self) -> bool:
        """Whether neighbouring windows share cells (stride smaller than the kernel on an axis)."""
        return self.stride[0] < self.kernel[0] or self.stride[1] < self.kernel[1]

    def pytorch_code(self) -> str:
        """The PyTorch layer with these settings."""
        (kh, kw), (sh, sw), (ph, pw) = self.kernel, self.stride, self.padding
        return (
            f"nn.{self.layer_name}(kernel_size=({kh}, {kw}), stride=({sh}, {sw}),"
            f" padding=({ph}, {pw}))"
        )


def pool_request_settings(
    request: StepperRequest, base: PoolSettings | None = None
) -> PoolSettings:
    """``base`` with the layer, input size and channel 0 of a pooling layer sent by the Build page."""
    layer = request.layer
    if request.target != "pool":
        raise SpecError(
            Problem.make(
                "step_request_layer",
                field="layer",
                value=type(layer).__name__,
                allowed="MaxPool2d/AvgPool2d",
            )
        )
    stride = layer.stride if layer.stride is not None else layer.kernel_size
    return replace(
        base if base is not None else PoolSettings(),
        kind="max" if isinstance(layer, MaxPool2dSpec) else "avg",
        source="request",
        shape=(int(request.input.shape[1]), int(request.input.shape[2])),
        channel=0,
        kernel=layer.kernel_size,
        stride=stride,
        padding=layer.padding,  # type: ignore[arg-type]  # a pooling spec's padding is a pair
    )


@dataclass(frozen=True)
class PoolStepper:
    """Valid settings with their input: everything the page steps through.

    ``x`` is the whole (C, H, W) input; ``first`` is the step at output cell (``channel``, 0, 0).
    """

    settings: PoolSettings
    x: np.ndarray  # (C, H, W)
    first: PoolStep

    @property
    def channel_input(self) -> np.ndarray:
        """The (H, W) channel being pooled."""
        return self.x[self.settings.channel]

    @property
    def out_hw(self) -> Pair:
        """(H_out, W_out) of the pooled output."""
        return int(self.first.output.shape[1]), int(self.first.output.shape[2])

    def step_at(self, i: int, j: int) -> PoolStep:
        """The window and result behind output cell (i, j) of the channel shown."""
        return self.first.at(i, j)

    def output_formulas(self, general: bool = False) -> tuple[str, str]:
        """``H_out = floor((H + 2p - k) / s) + 1 = ...`` and the same for W_out (``general``: the
        dilated form ``floor((H + 2p - 1*(k-1) - 1) / s) + 1``)."""
        (kh, kw), (sh, sw), (ph, pw) = (
            self.settings.kernel,
            self.settings.stride,
            self.settings.padding,
        )
        height, width = self.x.shape[1:]
        return (
            f"H_out = {pool_output_formula(height, kh, sh, ph, general)}",
            f"W_out = {pool_output_formula(width, kw, sw, pw, general)}",
        )

    def unreached(self) -> Pair:
        """(rows, columns) at the end of the padded input that no window reads (floor truncation)."""
        (kh, kw), (sh, sw), (ph, pw) = (
            self.settings.kernel,
            self.settings.stride,
            self.settings.padding,
        )
        height, width = self.x.shape[1:]
        return unreached(height, kh, sh, ph), unreached(width, kw, sw, pw)

    def dropped(self) -> Pair:
        """(rows, columns) of real input values among :meth:`unreached` (the rest is padding)."""
        (kh, kw), (sh, sw), (ph, pw) = (
            self.settings.kernel,
            self.settings.stride,
            self.settings.padding,
        )
        height, width = self.x.shape[1:]
        return dropped_pixels(height, kh, sh, ph, ph), dropped_pixels(width, kw, sw, pw, pw)


def compute_pool(settings: PoolSettings, x: np.ndarray) -> PoolStepper:
    """Check the settings against the input (C, H, W) by computing the first step.

    Raises :class:`SpecError` for padding above half the kernel, a window larger than the padded
    input, or a channel the input does not have.
    """
    x = np.asarray(x, dtype=np.float64)
    first = pool_step(
        x,
        settings.kind,
        settings.kernel,
        settings.stride,
        settings.padding,
        (settings.channel, 0, 0),
    )
    return PoolStepper(settings=settings, x=x, first=first)


def typed_gradient_base(out_hw: Pair) -> np.ndarray:
    """The starting values of a typed upstream gradient: 1, 2, ..., H_out*W_out row by row."""
    return np.arange(1, out_hw[0] * out_hw[1] + 1, dtype=np.float64).reshape(out_hw)


def upstream_gradient(source: GradSource, out_hw: Pair, seed: int = 1) -> np.ndarray:
    """dL/dy, shape ``out_hw``: seeded integers 1..9, all ones, or the typed grid's starting values."""
    if source == "ones":
        return np.ones(out_hw)
    if source == "random_int":
        rng = np.random.default_rng(seed)
        return rng.integers(1, 10, size=out_hw).astype(np.float64)
    check_choice(source, "grad_source", GRAD_SOURCES)
    return typed_gradient_base(out_hw)


@dataclass(frozen=True)
class PoolBackward:
    """The backward pass of the channel shown, and where output cell ``out_cell``'s gradient goes.

    ``grad_in`` is the NumPy answer, ``autograd`` PyTorch's (both (H, W)). For max pooling the whole
    ``gradient`` goes to input cell ``winner`` (row, column of the unpadded input); for average
    pooling every cell of the window receives ``share = gradient / window_size``.
    """

    kind: PoolKind
    grad_out: np.ndarray  # (H_out, W_out)
    grad_in: np.ndarray  # (H, W)
    autograd: np.ndarray  # (H, W)
    step: PoolStep  # the one-channel step at out_cell, for the backward figure
    out_cell: Pair
    gradient: float
    winner: Pair | None
    window_size: int
    share: float

    @property
    def matches_autograd(self) -> bool:
        """Whether the NumPy backward pass equals PyTorch autograd."""
        return bool(np.allclose(self.grad_in, self.autograd, atol=AUTOGRAD_ATOL))


def pool_backward(stepper: PoolStepper, grad_out: np.ndarray, out_cell: Pair) -> PoolBackward:
    """Route ``grad_out`` (H_out, W_out) back through the pooling of the channel shown."""
    settings = stepper.settings
    kind, kernel, stride, padding = (
        settings.kind,
        settings.kernel,
        settings.stride,
        settings.padding,
    )
    grad_out = np.asarray(grad_out, dtype=np.float64)
    if grad_out.shape != stepper.out_hw:
        raise SpecError(
            Problem.make(
                "step_grad_shape",
                field="gradient",
                got="x".join(map(str, grad_out.shape)),
                expected="x".join(map(str, stepper.out_hw)),
            )
        )
    x = stepper.channel_input[None]  # (1, H, W)
    if kind == "max":
        _, argmax = max_pool2d(x, kernel, stride, padding)
        grad_in = max_pool2d_backward(grad_out[None], argmax, x.shape)[0]
    else:
        grad_in = avg_pool2d_backward(grad_out[None], x.shape, kernel, stride, padding)[0]
    i, j = out_cell
    step = pool_step(x, kind, kernel, stride, padding, (0, i, j))
    winner = None
    if step.winner is not None:
        winner = (step.winner[0] - padding[0], step.winner[1] - padding[1])
    window_size = kernel[0] * kernel[1]
    gradient = float(grad_out[i, j])
    return PoolBackward(
        kind=kind,
        grad_out=grad_out,
        grad_in=grad_in,
        autograd=pool_backward_autograd(x, grad_out[None], kind, kernel, stride, padding)[0],
        step=step,
        out_cell=(int(i), int(j)),
        gradient=gradient,
        winner=winner,
        window_size=window_size,
        share=gradient / window_size,
    )


@dataclass(frozen=True)
class PoolLayout:
    """One max pooling ``kernel_size`` x ``kernel_size`` / ``stride`` of an (H, W) input.

    ``coverage[r, c]`` counts the windows that read input cell (r, c).
    """

    kernel_size: int
    stride: int
    output: np.ndarray  # (H_out, W_out)
    coverage: np.ndarray  # (H, W) ints
    formulas: tuple[str, str]  # "H_out = ...", "W_out = ..."

    @property
    def overlap(self) -> int:
        """Input cells read by more than one window."""
        return int((self.coverage > 1).sum())

    @property
    def unused(self) -> int:
        """Input cells no window reads."""
        return int((self.coverage == 0).sum())


def pool_layout(x: np.ndarray, kernel_size: int, stride: int) -> PoolLayout:
    """Max pooling of the (H, W) input with a square window; raises SpecError if it does not fit."""
    x = np.asarray(x, dtype=np.float64)
    height, width = x.shape
    out, _ = max_pool2d(x[None], kernel_size, stride)
    return PoolLayout(
        kernel_size=kernel_size,
        stride=stride,
        output=out[0],
        coverage=pool_windows_coverage((height, width), kernel_size, stride),
        formulas=(
            f"H_out = {pool_output_formula(height, kernel_size, stride)}",
            f"W_out = {pool_output_formula(width, kernel_size, stride)}",
        ),
    )


@dataclass(frozen=True)
class GlobalAverage:
    """Global average pooling of one (H, W) channel: ``mean = total / (height * width)``."""

    total: float
    height: int
    width: int
    mean: float

    @property
    def count(self) -> int:
        """How many values are averaged."""
        return self.height * self.width


def global_average(x: np.ndarray) -> GlobalAverage:
    """``nn.AdaptiveAvgPool2d(1)`` of one (H, W) channel, with the sum and count it divides."""
    x = np.asarray(x, dtype=np.float64)
    return GlobalAverage(
        total=float(x.sum()),
        height=int(x.shape[0]),
        width=int(x.shape[1]),
        mean=float(global_avg_pool(x[None])[0, 0, 0]),
    )
