"""The convolution stepper's lesson: its settings, a Build-page layer, the kernels and the steps.

* :class:`ConvSettings` (what the sidebar chose) and :data:`CONV_LIMITS` live in
  :mod:`cnnviz.lessons.conv_settings` and are re-exported here.
* :func:`conv_request` turns a checked :class:`~cnnviz.lessons.stepper_request.StepperRequest` for a
  Conv2d or a ConvTranspose2d (the Build page's U-Net up-sampling layers) into a
  :class:`ConvRequest`: the layer's weights kept for the channels (and, transposed, the filters)
  shown, in the stepper's (F, C/groups, kh, kw) layout, groups dropped when they no longer divide
  them, and the notes (catalog keys) that say so; :func:`conv_request_settings` gives the
  stepper's settings for it (transposed mode for a ConvTranspose2d).
* :func:`conv_weights` gives the kernels (F, C/groups, kh, kw): the request's, seeded random ones,
  or the named kernels chosen per filter; :func:`groups_problem` says when groups do not fit.
* :func:`compute_conv` checks the settings by computing the first step (:func:`cnnviz.ops.conv_step`
  or :func:`cnnviz.ops.conv_transpose_step`) and returns a :class:`ConvStepper`: any step, the
  output-size formulas ``floor((n + 2p - k) / s) + 1`` (general form
  ``floor((n + p_before + p_after - d(k-1) - 1) / s) + 1``; transposed: ``(n-1)s - 2p + k +
  output_padding``, in general ``(n-1)s - 2p + d(k-1) + output_padding + 1``) and the padding for
  the PyTorch line.

Lesson: "Convolution stepper".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cnnviz.lessons.conv_settings import (
    CONV_LIMITS,
    CONV_MODES,
    CONV_SOURCES,
    KERNEL_CHOICES,
    ConvLimits,
    ConvMode,
    ConvSettings,
)
from cnnviz.lessons.kernels import make_weights
from cnnviz.lessons.stepper_request import StepperRequest
from cnnviz.net import (
    Conv2dSpec,
    ConvTranspose2dSpec,
    Pair,
    Problem,
    SpecError,
    conv_output_formula_asym,
    dropped_pixels,
    transposed_output_formula,
    unreached_asym,
)
from cnnviz.ops import (
    ConvStep,
    Padding4,
    PaddingArg,
    TransposedInput,
    conv_step,
    conv_transpose_step,
    flip_kernel,
    transposed_input,
)

__all__ = [
    "CONV_LIMITS",
    "CONV_MODES",
    "CONV_SOURCES",
    "KERNEL_CHOICES",
    "ConvLimits",
    "ConvMode",
    "ConvRequest",
    "ConvSettings",
    "ConvStepper",
    "compute_conv",
    "conv_request",
    "conv_request_settings",
    "conv_step_for",
    "conv_weights",
    "groups_problem",
]


@dataclass(frozen=True)
class ConvRequest:
    """A Conv2d or ConvTranspose2d layer sent by the Build page, as the convolution stepper shows it.

    ``input`` is the crop (C, H, W) shown; ``weights`` the layer's kernels for those channels and
    the ``filters`` shown, in the stepper's layout (F, C/groups, kh, kw) in both modes (a
    ConvTranspose2d's (C_in, F, kh, kw) swapped), or None when they were not sent or do not fit
    (the stepper then uses seeded random kernels); ``groups`` the layer's groups, or 1 when they
    do not divide the channels shown; ``filters`` the output channels the stepper steps through
    (a Conv2d's all, a ConvTranspose2d's first :data:`CONV_LIMITS` ``.filters``); ``notes``
    catalog keys explaining what changed.
    """

    layer: Conv2dSpec | ConvTranspose2dSpec
    input: np.ndarray  # (C, H, W)
    full_shape: tuple[int, int, int]
    label: str
    source: str
    weights: np.ndarray | None
    groups: int
    filters: int
    notes: tuple[str, ...] = ()

    @property
    def transposed(self) -> bool:
        """Whether the layer is a ``ConvTranspose2d`` (the stepper's transposed mode)."""
        return isinstance(self.layer, ConvTranspose2dSpec)

    @property
    def cropped(self) -> bool:
        """Whether the stepper shows only part of the feature map that was sent."""
        return tuple(self.input.shape) != self.full_shape


def _request_weights(
    weights: np.ndarray | None, layer: Conv2dSpec, full_channels: int, channels: int, groups: int
) -> np.ndarray | None:
    """The layer's weights restricted to the channels shown, or None if they do not fit."""
    if weights is None:
        return None
    expected = (layer.out_channels, full_channels // layer.groups, *layer.kernel_size)
    if weights.shape != expected:
        return None
    if groups == layer.groups == 1:
        return np.ascontiguousarray(weights[:, :channels])  # the first channels, as the crop keeps
    if groups == layer.groups and channels == full_channels:
        return weights
    return None


def _transposed_weights(
    weights: np.ndarray | None,
    layer: ConvTranspose2dSpec,
    full_channels: int,
    channels: int,
    filters: int,
) -> np.ndarray | None:
    """A ConvTranspose2d's weights, sent as PyTorch's (C_in, F, kh, kw), for the first ``channels``
    and ``filters`` in the stepper's (F, C, kh, kw) layout (:func:`conv_step_for` swaps them back
    for :func:`cnnviz.ops.conv_transpose_step`); None if they are not the layer's shape."""
    if weights is None:
        return None
    if weights.shape != (full_channels, layer.out_channels, *layer.kernel_size):
        return None
    return np.ascontiguousarray(weights[:channels, :filters].transpose(1, 0, 2, 3))


def _transposed_request(request: StepperRequest, layer: ConvTranspose2dSpec) -> ConvRequest:
    channels, full_channels = int(request.input.shape[0]), request.full_shape[0]
    filters = min(layer.out_channels, CONV_LIMITS.filters)
    notes: list[str] = []
    if channels < full_channels:
        notes.append("conv.request_channels_subset")
    if filters < layer.out_channels:
        notes.append("conv.request_filters_subset")
    return ConvRequest(
        layer=layer,
        input=request.input,
        full_shape=request.full_shape,
        label=request.label,
        source=request.source,
        weights=_transposed_weights(request.weights, layer, full_channels, channels, filters),
        groups=1,
        filters=filters,
        notes=tuple(notes),
    )


def conv_request(request: StepperRequest) -> ConvRequest:
    """The convolution stepper's view of a Conv2d or ConvTranspose2d request; raises SpecError for
    another layer."""
    layer = request.layer
    if isinstance(layer, ConvTranspose2dSpec):
        return _transposed_request(request, layer)
    if not isinstance(layer, Conv2dSpec):
        raise SpecError(
            Problem.make(
                "step_request_layer",
                field="layer",
                value=type(layer).__name__,
                allowed="Conv2d/ConvTranspose2d",
            )
        )
    channels, full_channels = int(request.input.shape[0]), request.full_shape[0]
    groups = layer.groups
    notes: list[str] = []
    if groups > 1 and (channels % groups or layer.out_channels % groups):
        notes.append("stepper.request_groups_dropped")
        groups = 1
    weights = _request_weights(request.weights, layer, full_channels, channels, groups)
    if channels < full_channels:
        notes.append("conv.request_channels_subset")
    return ConvRequest(
        layer=layer,
        input=request.input,
        full_shape=request.full_shape,
        label=request.label,
        source=request.source,
        weights=weights,
        groups=groups,
        filters=layer.out_channels,
        notes=tuple(notes),
    )


def conv_request_settings(request: ConvRequest, base: ConvSettings | None = None) -> ConvSettings:
    """``base`` with the layer and input size of a Build-page layer (bias starts at 0, no flip).

    A Conv2d opens in normal mode; a ConvTranspose2d in transposed mode with its kernel, stride,
    (h, w) padding, output padding and dilation, and the :attr:`ConvRequest.filters` shown.
    """
    layer = request.layer
    shape = (
        int(request.input.shape[0]),
        int(request.input.shape[1]),
        int(request.input.shape[2]),
    )
    # what both modes take from the layer (the Build page sends the weights only: bias 0)
    common = replace(
        base if base is not None else ConvSettings(),
        mode="normal",
        source="request",
        shape=shape,
        filters=request.filters,
        kernel=layer.kernel_size,
        kernel_names=(),
        stride=layer.stride,
        dilation=layer.dilation,
        bias=0.0 if layer.bias else None,
        flip=False,
    )
    if isinstance(layer, ConvTranspose2dSpec):
        return replace(
            common,
            mode="transposed",
            padding=layer.padding,
            output_padding=layer.output_padding,
            groups=1,
        )
    padding: PaddingArg
    if isinstance(layer.padding, str):
        padding = layer.padding
    else:
        ph, pw = layer.padding
        padding = (ph, ph, pw, pw)
    return replace(common, padding=padding, groups=request.groups)


def groups_problem(settings: ConvSettings) -> Problem | None:
    """The problem when ``groups`` does not divide the input channels, else None."""
    channels = settings.shape[0]
    if channels % settings.groups == 0:
        return None
    return Problem.make(
        "step_groups_mismatch",
        field="groups",
        groups=settings.groups,
        in_channels=channels,
        out_channels=settings.filters,
    )


def conv_weights(settings: ConvSettings, request: ConvRequest | None = None) -> np.ndarray:
    """The kernels (F, C/groups, kh, kw) before any typed edits.

    From a request: its weights when they fit these settings, else seeded random integers (seed 0).
    Otherwise the named kernel of each filter; "typed" filters start as the identity.
    """
    channels = settings.shape[0]
    kh, kw = settings.kernel
    groups = settings.groups
    if settings.source == "request":
        given = request.weights if request is not None else None
        expected = (settings.filters, channels // groups, kh, kw)
        if given is not None and given.shape == expected:
            return given
        return make_weights(["random"] * settings.filters, channels, kh, kw, seed=0, groups=groups)
    names = [n if n != "typed" else "identity" for n in settings.kernel_names]
    return make_weights(names, channels, kh, kw, seed=settings.seed, groups=groups)


def conv_step_for(
    settings: ConvSettings, x: np.ndarray, w: np.ndarray, index: tuple[int, int, int]
) -> ConvStep:
    """The step at output cell ``index = (filter, i, j)``; w is (F, C/groups, kh, kw) in both modes."""
    bias = None if settings.bias is None else np.full(settings.filters, settings.bias)
    if settings.transposed:
        w_t = np.ascontiguousarray(w.transpose(1, 0, 2, 3))  # (C_in, F, kh, kw), PyTorch's layout
        return conv_transpose_step(
            x,
            w_t,
            bias,
            settings.stride,
            settings.transposed_padding,
            settings.output_padding,
            settings.dilation,
            index,
        )
    used = flip_kernel(w) if settings.flip else w
    return conv_step(
        x, used, bias, settings.stride, settings.padding, settings.dilation, settings.groups, index
    )


@dataclass(frozen=True)
class ConvStepper:
    """Valid settings with their input and kernels: everything the page steps through.

    ``first`` is the step at (filter 0, 0, 0); ``transposed`` the zero-inserted, padded input of
    transposed mode (None in normal mode).
    """

    settings: ConvSettings
    x: np.ndarray  # (C, H, W)
    w: np.ndarray  # (F, C/groups, kh, kw)
    first: ConvStep
    transposed: TransposedInput | None = None

    def step_at(self, filter_index: int, i: int, j: int) -> ConvStep:
        """The step at output cell (i, j) of filter ``filter_index``."""
        if filter_index == 0:
            return self.first.at(i, j)
        return conv_step_for(self.settings, self.x, self.w, (filter_index, i, j))

    def output_formulas(self, general: bool = False) -> tuple[str, str]:
        """``H_out = ...`` and ``W_out = ...`` with the numbers filled in: the familiar
        ``floor((n + 2p - k) / s) + 1`` when the dilation is 1, else (or with ``general``) the
        dilated form."""
        s = self.settings
        _, height, width = s.shape
        (kh, kw), (sh, sw), (dh, dw) = s.kernel, s.stride, s.dilation
        if s.transposed:
            (ph, pw), (oh, ow) = s.transposed_padding, s.output_padding
            return (
                f"H_out = {transposed_output_formula(height, kh, sh, ph, oh, dh, general)}",
                f"W_out = {transposed_output_formula(width, kw, sw, pw, ow, dw, general)}",
            )
        top, bottom, left, right = self.first.padding
        return (
            f"H_out = {conv_output_formula_asym(height, kh, sh, top, bottom, dh, general)}",
            f"W_out = {conv_output_formula_asym(width, kw, sw, left, right, dw, general)}",
        )

    def unreached(self) -> Pair:
        """(rows, columns) of the padded input no window reaches (normal mode; 0 when transposed)."""
        s = self.settings
        if s.transposed:
            return 0, 0
        _, height, width = s.shape
        (kh, kw), (sh, sw), (dh, dw) = s.kernel, s.stride, s.dilation
        top, bottom, left, right = self.first.padding
        return (
            unreached_asym(height, kh, sh, top, bottom, dh),
            unreached_asym(width, kw, sw, left, right, dw),
        )

    def dropped(self) -> Pair:
        """(rows, columns) of real input pixels among :meth:`unreached` (the rest is padding)."""
        s = self.settings
        if s.transposed:
            return 0, 0
        _, height, width = s.shape
        (kh, kw), (sh, sw), (dh, dw) = s.kernel, s.stride, s.dilation
        top, bottom, left, right = self.first.padding
        return (
            dropped_pixels(height, kh, sh, top, bottom, dh),
            dropped_pixels(width, kw, sw, left, right, dw),
        )

    def code_padding(self) -> Padding4 | str:
        """The padding for the PyTorch line: "valid"/"same" as chosen, else per side."""
        s = self.settings
        if s.transposed:
            ph, pw = s.transposed_padding
            return ph, ph, pw, pw
        return s.padding if isinstance(s.padding, str) else self.first.padding


def compute_conv(settings: ConvSettings, x: np.ndarray, w: np.ndarray) -> ConvStepper:
    """Check the settings against the input (C, H, W) and kernels by computing the first step.

    Raises :class:`SpecError` for anything the step cannot compute (an empty output, "same"
    padding with a stride, too much output padding, ...).
    """
    first = conv_step_for(settings, x, w, (0, 0, 0))
    setup = None
    if settings.transposed:
        setup = transposed_input(
            x,
            settings.kernel,
            settings.stride,
            settings.transposed_padding,
            settings.output_padding,
            settings.dilation,
        )
    return ConvStepper(settings=settings, x=x, w=w, first=first, transposed=setup)
