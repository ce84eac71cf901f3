"""What one layer does to a tensor shape: the per-layer rules behind :func:`cnnviz.net.shapes.infer`.

Each rule returns a :class:`LayerStep`: the output shape, parameters, multiply-adds, receptive
field, the formulas with the user numbers filled in (output size and parameters apart, the
output size also in its general dilated form), notes and problems.

Lesson: the "Build a CNN" page (every row of the table).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cnnviz.net import arithmetic as ar
from cnnviz.net.labels import type_name
from cnnviz.net.specs import (
    ActivationSpec,
    AvgPool2dSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    Dropout2dSpec,
    DropoutSpec,
    FlattenSpec,
    GlobalAvgPoolSpec,
    LayerSpec,
    LinearSpec,
    LocalResponseNormSpec,
    MaxPool2dSpec,
    Pair,
    Problem,
    ResidualBlockSpec,
)

__all__ = ["LayerStep", "Shape", "infer_layer"]

Shape = tuple[int, ...]


@dataclass
class LayerStep:
    """One layer's inference result; ``flat`` tracks whether the tensor is (F,) after this layer.

    ``shape_formulas`` give the output size (familiar form), ``general_shape_formulas`` the same in
    the general dilated form, ``param_formulas`` the parameter count.
    """

    output: Shape | None
    flat: bool
    rf: Pair | None
    jump: Pair | None
    params: int = 0
    mult_adds: int = 0
    shape_formulas: list[str] = field(default_factory=list)
    general_shape_formulas: list[str] = field(default_factory=list)
    param_formulas: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add_shape_formula(self, text: str, general: str | None = None) -> None:
        """An output-size line (``general``: its dilated form, if it differs)."""
        self.shape_formulas.append(text)
        self.general_shape_formulas.append(text if general is None else general)


def _axis_lines(axis_texts: list[str]) -> list[str]:
    """One formula line when both axes are the same computation, else one per axis."""
    if axis_texts[0] == axis_texts[1]:
        return [f"H, W: {axis_texts[0]}"]
    return [f"H: {axis_texts[0]}", f"W: {axis_texts[1]}"]


def _axis_formula(step: LayerStep, texts: list[str], general: list[str]) -> None:
    """The output-size lines of both axes, familiar and general."""
    for line, general_line in zip(_axis_lines(texts), _axis_lines(general), strict=True):
        step.add_shape_formula(line, general_line)


def _sliding_window(
    index: int,
    spec: Conv2dSpec | MaxPool2dSpec | AvgPool2dSpec,
    hw: Pair,
    rf: Pair | None,
    jump: Pair | None,
    step: LayerStep,
) -> tuple[Pair | None, Pair | None, Pair | None]:
    """Output (h, w), receptive field and jump of a conv or pool; appends problems/notes/formulas."""
    kernel = spec.kernel_size
    stride = spec.stride
    assert stride is not None
    dilation = spec.dilation if isinstance(spec, Conv2dSpec) else (1, 1)
    out: list[int] = []
    texts: list[str] = []
    general: list[str] = []
    dropped: list[int] = []
    too_big: list[dict[str, int | str]] = []
    failed = False
    for axis in range(2):
        n, k, s, d = hw[axis], kernel[axis], stride[axis], dilation[axis]
        padding = spec.padding
        if padding == "same":
            before, after = ar.same_padding(k, d)
        elif padding == "valid":
            before = after = 0
        else:
            assert isinstance(padding, tuple)
            before = after = padding[axis]
        padded = n + before + after
        span = ar.effective_kernel(k, d)
        if span > padded:
            failed = True
            too_big.append({"axis": "HW"[axis], "kernel": span, "size": n, "padded": padded})
            continue
        if isinstance(spec, Conv2dSpec):
            # PyTorch's "same" with an even kernel pads one more row/col after
            tag = '"same": ' if before != after else ""
            size = ar.conv_output_size_asym(n, k, s, before, after, d)
            texts.append(tag + ar.conv_output_formula_asym(n, k, s, before, after, d))
            general.append(tag + ar.conv_output_formula_asym(n, k, s, before, after, d, True))
        else:
            size = ar.pool_output_size(n, k, s, before)
            texts.append(ar.pool_output_formula(n, k, s, before))
            general.append(ar.pool_output_formula(n, k, s, before, general=True))
        # only real pixels count: an unreached row of zero padding loses nothing
        dropped.append(ar.dropped_pixels(n, k, s, before, after, d))
        out.append(size)
    if len(too_big) == 2 and {**too_big[0], "axis": ""} == {**too_big[1], "axis": ""}:
        too_big = [{**too_big[0], "axis": "H, W"}]  # a square failure is one problem
    step.problems.extend(
        Problem.make("kernel_too_big", index, "kernel_size", **params) for params in too_big
    )
    if failed:
        return None, None, None
    _axis_formula(step, texts, general)
    if any(dropped):
        step.notes.append(
            Problem.make("floor_truncation", index, "stride", rows=dropped[0], cols=dropped[1])
        )
    new_rf: Pair | None = None
    new_jump: Pair | None = None
    if rf is not None and jump is not None:
        steps = [
            ar.receptive_field_step(
                rf[axis], jump[axis], kernel[axis], stride[axis], dilation[axis]
            )
            for axis in range(2)
        ]
        new_rf = (steps[0][0], steps[1][0])
        new_jump = (steps[0][1], steps[1][1])
    return (out[0], out[1]), new_rf, new_jump


def _residual_parts(
    spec: ResidualBlockSpec, in_channels: int, hw: Pair
) -> tuple[list[tuple[str, int, str]], int, Pair]:
    """The parametrised parts of a residual block: (name, params, formula); mult-adds; output hw.

    Convs have no bias when followed by BatchNorm (as in ResNet). The stride sits on the 3x3 conv.
    """
    out_c = spec.out_channels
    s = spec.stride
    bias = not spec.batch_norm
    out_hw = (ar.conv_output_size(hw[0], 3, s, 1), ar.conv_output_size(hw[1], 3, s, 1))
    parts: list[tuple[str, int, str]] = []
    mult_adds = 0

    def conv(name: str, cin: int, cout: int, k: int, size: Pair) -> None:
        nonlocal mult_adds
        parts.append(
            (
                name,
                ar.conv_params(cin, cout, (k, k), 1, bias),
                ar.conv_params_formula(cin, cout, (k, k), 1, bias),
            )
        )
        mult_adds += ar.conv_mult_adds(cin, cout, (k, k), size)

    def norm(name: str, channels: int) -> None:
        if spec.batch_norm:
            parts.append((name, 2 * channels, f"2 * {channels} = {2 * channels}"))

    def act(name: str) -> None:
        if spec.activation == "prelu":
            parts.append((name, 1, "1 = 1"))

    if spec.bottleneck:
        mid = out_c // 4
        conv("conv1 1x1", in_channels, mid, 1, hw)
        norm("bn1", mid)
        act("prelu1")
        conv("conv2 3x3", mid, mid, 3, out_hw)
        norm("bn2", mid)
        act("prelu2")
        conv("conv3 1x1", mid, out_c, 1, out_hw)
        norm("bn3", out_c)
    else:
        conv("conv1 3x3", in_channels, out_c, 3, out_hw)
        norm("bn1", out_c)
        act("prelu1")
        conv("conv2 3x3", out_c, out_c, 3, out_hw)
        norm("bn2", out_c)
    if s != 1 or in_channels != out_c:
        conv("shortcut 1x1", in_channels, out_c, 1, out_hw)
        norm("shortcut bn", out_c)
    act("prelu out")
    return parts, mult_adds, out_hw


def _needs_spatial(index: int, spec: LayerSpec, shape: Shape | None, flat: bool) -> LayerStep:
    """The error for a layer that needs (C, H, W) but sits after Flatten; passes the input on."""
    return LayerStep(
        output=shape,
        flat=flat,
        rf=None,
        jump=None,
        problems=[Problem.make("needs_spatial", index, None, layer=type_name(spec))],
    )


def infer_layer(
    index: int,
    spec: LayerSpec,
    shape: Shape | None,
    flat: bool,
    rf: Pair | None,
    jump: Pair | None,
) -> LayerStep:
    """Infer one layer from its input ``shape`` (None = unknown) and rank (``flat``)."""
    spatial_kinds = (
        Conv2dSpec,
        MaxPool2dSpec,
        AvgPool2dSpec,
        GlobalAvgPoolSpec,
        BatchNorm2dSpec,
        LocalResponseNormSpec,
        Dropout2dSpec,
        ResidualBlockSpec,
    )
    if flat and isinstance(spec, spatial_kinds):
        return _needs_spatial(index, spec, shape, flat)
    chw = shape if shape is not None and not flat else None
    match spec:
        case Conv2dSpec():
            step = LayerStep(output=None, flat=False, rf=None, jump=None)
            if chw is None:
                return step
            channels, h, w = chw
            if channels % spec.groups:
                step.problems.append(
                    Problem.make(
                        "groups_in", index, "groups", groups=spec.groups, in_channels=channels
                    )
                )
            step.params = ar.conv_params(
                channels, spec.out_channels, spec.kernel_size, spec.groups, spec.bias
            )
            out_hw, step.rf, step.jump = _sliding_window(index, spec, (h, w), rf, jump, step)
            step.param_formulas.append(
                ar.conv_params_formula(
                    channels, spec.out_channels, spec.kernel_size, spec.groups, spec.bias
                )
            )
            if out_hw is not None:
                step.output = (spec.out_channels, *out_hw)
                if not step.problems:
                    step.mult_adds = ar.conv_mult_adds(
                        channels, spec.out_channels, spec.kernel_size, out_hw, spec.groups
                    )
            return step
        case MaxPool2dSpec() | AvgPool2dSpec():
            step = LayerStep(output=None, flat=False, rf=None, jump=None)
            if chw is None:
                return step
            out_hw, step.rf, step.jump = _sliding_window(
                index, spec, (chw[1], chw[2]), rf, jump, step
            )
            if out_hw is not None:
                step.output = (chw[0], *out_hw)
            return step
        case GlobalAvgPoolSpec():
            step = LayerStep(output=None, flat=False, rf=None, jump=None)
            if chw is None:
                return step
            channels, h, w = chw
            step.output = (channels, 1, 1)
            step.add_shape_formula(f"H, W: mean over {h}x{w} -> 1x1")
            if rf is not None and jump is not None:
                rows = ar.receptive_field_step(rf[0], jump[0], h, 1)
                cols = ar.receptive_field_step(rf[1], jump[1], w, 1)
                step.rf, step.jump = (rows[0], cols[0]), (rows[1], cols[1])
            return step
        case BatchNorm2dSpec():
            step = LayerStep(output=chw, flat=False, rf=rf, jump=jump)
            if chw is not None:
                step.params = 2 * chw[0]
                step.param_formulas.append(f"2 * {chw[0]} = {2 * chw[0]}")
            return step
        case LocalResponseNormSpec() | Dropout2dSpec():
            return LayerStep(output=chw, flat=False, rf=rf, jump=jump)
        case ActivationSpec() | DropoutSpec():
            step = LayerStep(output=shape, flat=flat, rf=rf, jump=jump)
            if isinstance(spec, ActivationSpec) and spec.function == "prelu":
                step.params = 1
                step.param_formulas.append("1 = 1")
            return step
        case FlattenSpec():
            if flat:
                return LayerStep(
                    output=shape,
                    flat=True,
                    rf=None,
                    jump=None,
                    notes=[Problem.make("flatten_twice", index)],
                )
            step = LayerStep(output=None, flat=True, rf=None, jump=None)
            if chw is not None:
                features = math.prod(chw)
                step.output = (features,)
                step.add_shape_formula(f"{chw[0]}*{chw[1]}*{chw[2]} = {features}")
            return step
        case LinearSpec():
            step = LayerStep(output=(spec.out_features,), flat=True, rf=None, jump=None)
            if not flat:
                step.problems.append(
                    Problem.make(
                        "linear_needs_flatten",
                        index,
                        None,
                        shape=str(shape) if shape else "(C, H, W)",
                    )
                )
            if shape is not None:
                features = math.prod(shape)
                step.params = ar.linear_params(features, spec.out_features, spec.bias)
                step.param_formulas.append(
                    ar.linear_params_formula(features, spec.out_features, spec.bias)
                )
                if flat:
                    step.mult_adds = features * spec.out_features
            return step
        case ResidualBlockSpec():
            step = LayerStep(output=None, flat=False, rf=None, jump=None)
            if chw is None:
                return step
            channels, h, w = chw
            parts, step.mult_adds, out_hw = _residual_parts(spec, channels, (h, w))
            step.output = (spec.out_channels, *out_hw)
            _axis_formula(
                step,
                [ar.conv_output_formula(n, 3, spec.stride, 1) for n in (h, w)],
                [ar.conv_output_formula(n, 3, spec.stride, 1, general=True) for n in (h, w)],
            )
            step.param_formulas.extend(f"{name}: {formula}" for name, _, formula in parts)
            step.params = sum(params for _, params, _ in parts)
            step.param_formulas.append(
                " + ".join(str(params) for _, params, _ in parts) + f" = {step.params}"
            )
            if rf is not None and jump is not None:
                kernels = (
                    [(1, 1), (3, spec.stride), (1, 1)]
                    if spec.bottleneck
                    else [
                        (3, spec.stride),
                        (3, 1),
                    ]
                )
                rows, cols = (rf[0], jump[0]), (rf[1], jump[1])
                for k, s in kernels:
                    rows = ar.receptive_field_step(*rows, k, s)
                    cols = ar.receptive_field_step(*cols, k, s)
                step.rf, step.jump = (rows[0], cols[0]), (rows[1], cols[1])
            return step
    raise TypeError(f"not a layer spec: {spec!r}")
