"""Shape inference and validation for a whole network, layer by layer.

For an input ``(C, H, W)`` and a :class:`~cnnviz.specs.NetSpec`, :func:`infer` computes every
layer's output shape, parameter count, multiply-adds, activation memory, receptive field and the
formulas with the user's numbers filled in (all from :mod:`cnnviz.arithmetic`). It reports every
problem it finds, each tied to its layer with a fix, and keeps going past an error where it can.

Lesson: the "Build a CNN" page (the table, the totals, the errors on each layer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cnnviz import arithmetic as ar
from cnnviz.specs import (
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
    NetSpec,
    Pair,
    Problem,
    ResidualBlockSpec,
    SpecError,
)

__all__ = [
    "BYTES_PER_VALUE",
    "MAX_ACTIVATION_BYTES",
    "MAX_LAYERS",
    "MAX_PARAMS",
    "LayerInfo",
    "NetSummary",
    "Shape",
    "infer",
    "infer_input_shapes",
    "layer_label",
    "type_name",
    "validate",
]

Shape = tuple[int, ...]

#: Caps that keep one student's network from exhausting a shared classroom server.
MAX_PARAMS = 100_000_000
MAX_ACTIVATION_BYTES = 1_000_000_000  # activation memory for a batch of one (float32)
MAX_LAYERS = 300
BYTES_PER_VALUE = 4  # float32

_ACTIVATION_NAMES = {
    "relu": "ReLU",
    "leaky_relu": "LeakyReLU",
    "prelu": "PReLU",
    "elu": "ELU",
    "selu": "SELU",
    "gelu": "GELU",
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "softplus": "Softplus",
}


@dataclass
class LayerInfo:
    """What one layer does to the tensor. Shapes exclude the batch dimension.

    ``input_shape``/``output_shape`` are ``(C, H, W)`` or ``(F,)`` after Flatten, or None when an
    earlier error makes them unknown. ``receptive_field`` and ``jump`` are ``(rows, cols)`` of input
    pixels (None after Flatten): the window of the input one output value sees, and the distance in
    input pixels between neighbouring outputs. ``activation_bytes`` is the float32 size of the
    output for a batch of one.
    """

    index: int
    label: str
    kind: str
    input_shape: Shape | None
    output_shape: Shape | None
    params: int = 0
    mult_adds: int = 0
    activation_bytes: int = 0
    receptive_field: Pair | None = None
    jump: Pair | None = None
    formulas: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def number(self) -> int:
        """1-based layer number, as shown to students."""
        return self.index + 1

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class NetSummary:
    """The whole network: per-layer :class:`LayerInfo`, totals, and every problem (errors)."""

    input_shape: Shape
    layers: list[LayerInfo]
    total_params: int
    total_mult_adds: int
    total_activation_bytes: int
    output_shape: Shape | None
    problems: list[Problem]
    notes: list[Problem]
    receptive_field: Pair | None

    @property
    def ok(self) -> bool:
        """True when the network can be built (no errors; notes are fine)."""
        return not self.problems


def _fmt_pair(pair: Pair) -> str:
    return f"{pair[0]}x{pair[1]}" if pair[0] != pair[1] else f"{pair[0]}x{pair[0]}"


def type_name(spec: LayerSpec) -> str:
    """The PyTorch-style type name of a layer: ``Conv2d``, ``MaxPool2d``, ``ReLU``, ``Residual``..."""
    match spec:
        case Conv2dSpec():
            return "Conv2d"
        case MaxPool2dSpec():
            return "MaxPool2d"
        case AvgPool2dSpec():
            return "AvgPool2d"
        case GlobalAvgPoolSpec():
            return "GlobalAvgPool"
        case BatchNorm2dSpec():
            return "BatchNorm2d"
        case LocalResponseNormSpec():
            return "LocalResponseNorm"
        case ActivationSpec(function=function):
            return _ACTIVATION_NAMES[function]
        case DropoutSpec():
            return "Dropout"
        case Dropout2dSpec():
            return "Dropout2d"
        case FlattenSpec():
            return "Flatten"
        case LinearSpec():
            return "Linear"
        case ResidualBlockSpec(bottleneck=bottleneck):
            return "Bottleneck" if bottleneck else "Residual"
    raise TypeError(f"not a layer spec: {spec!r}")


def layer_label(spec: LayerSpec) -> str:
    """A short label: ``Conv2d 6@5x5``, ``Conv2d 96@11x11/4``, ``MaxPool2d 3x3/2``, ``Linear 120``."""
    name = type_name(spec)
    match spec:
        case Conv2dSpec():
            text = f"{name} {spec.out_channels}@{_fmt_pair(spec.kernel_size)}"
            if spec.stride != (1, 1):
                text += f"/{spec.stride[0] if spec.stride[0] == spec.stride[1] else _fmt_pair(spec.stride)}"
            if spec.dilation != (1, 1):
                text += f" d{spec.dilation[0]}"
            if spec.groups != 1:
                text += f" g{spec.groups}"
            return text
        case MaxPool2dSpec() | AvgPool2dSpec():
            text = f"{name} {_fmt_pair(spec.kernel_size)}"
            stride = spec.stride
            assert stride is not None  # normalised by the spec
            if stride != spec.kernel_size:
                text += f"/{stride[0] if stride[0] == stride[1] else _fmt_pair(stride)}"
            return text
        case LocalResponseNormSpec():
            return f"{name} {spec.size}"
        case ActivationSpec(function="leaky_relu"):
            return f"{name} {spec.negative_slope:g}"
        case DropoutSpec() | Dropout2dSpec():
            return f"{name} {spec.p:g}"
        case LinearSpec():
            return f"{name} {spec.out_features}"
        case ResidualBlockSpec():
            text = f"{name} {spec.out_channels}"
            return text + (f"/{spec.stride}" if spec.stride != 1 else "")
    return name


@dataclass
class _Step:
    """One layer's inference result; ``flat`` tracks whether the tensor is (F,) after this layer."""

    output: Shape | None
    flat: bool
    rf: Pair | None
    jump: Pair | None
    params: int = 0
    mult_adds: int = 0
    formulas: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _axis_formula(formulas: list[str], axis_texts: list[str]) -> None:
    """One formula line when both axes are the same computation, else one per axis."""
    if axis_texts[0] == axis_texts[1]:
        formulas.append(f"H, W: {axis_texts[0]}")
    else:
        formulas.append(f"H: {axis_texts[0]}")
        formulas.append(f"W: {axis_texts[1]}")


def _sliding_window(
    index: int,
    spec: Conv2dSpec | MaxPool2dSpec | AvgPool2dSpec,
    hw: Pair,
    rf: Pair | None,
    jump: Pair | None,
    step: _Step,
) -> tuple[Pair | None, Pair | None, Pair | None]:
    """Output (h, w), receptive field and jump of a conv or pool; appends problems/notes/formulas."""
    kernel = spec.kernel_size
    stride = spec.stride
    assert stride is not None
    dilation = spec.dilation if isinstance(spec, Conv2dSpec) else (1, 1)
    out: list[int] = []
    texts: list[str] = []
    unreached: list[int] = []
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
            if before == after:
                size = ar.conv_output_size(n, k, s, before, d)
                texts.append(ar.conv_output_formula(n, k, s, before, d))
            else:  # PyTorch's "same" with an even kernel pads one more row/col after
                size = ar.conv_output_size_asym(n, k, s, before, after, d)
                texts.append('"same": ' + ar.conv_output_formula_asym(n, k, s, before, after, d))
            unreached.append(ar.unreached_asym(n, k, s, before, after, d))
        else:
            size = ar.pool_output_size(n, k, s, before)
            texts.append(ar.pool_output_formula(n, k, s, before))
            unreached.append(ar.unreached(n, k, s, before))
        out.append(size)
    if len(too_big) == 2 and {**too_big[0], "axis": ""} == {**too_big[1], "axis": ""}:
        too_big = [{**too_big[0], "axis": "H, W"}]  # a square failure is one problem
    step.problems.extend(
        Problem.make("kernel_too_big", index, "kernel_size", **params) for params in too_big
    )
    if failed:
        return None, None, None
    _axis_formula(step.formulas, texts)
    if any(unreached):
        step.notes.append(
            Problem.make("floor_truncation", index, "stride", rows=unreached[0], cols=unreached[1])
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


def _needs_spatial(index: int, spec: LayerSpec, shape: Shape | None, flat: bool) -> _Step:
    """The error for a layer that needs (C, H, W) but sits after Flatten; passes the input on."""
    return _Step(
        output=shape,
        flat=flat,
        rf=None,
        jump=None,
        problems=[Problem.make("needs_spatial", index, None, layer=type_name(spec))],
    )


def _infer_layer(
    index: int,
    spec: LayerSpec,
    shape: Shape | None,
    flat: bool,
    rf: Pair | None,
    jump: Pair | None,
) -> _Step:
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
            step = _Step(output=None, flat=False, rf=None, jump=None)
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
            step.formulas.append(
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
            step = _Step(output=None, flat=False, rf=None, jump=None)
            if chw is None:
                return step
            out_hw, step.rf, step.jump = _sliding_window(index, spec, chw[1:], rf, jump, step)  # type: ignore[arg-type]
            if out_hw is not None:
                step.output = (chw[0], *out_hw)
            return step
        case GlobalAvgPoolSpec():
            step = _Step(output=None, flat=False, rf=None, jump=None)
            if chw is None:
                return step
            channels, h, w = chw
            step.output = (channels, 1, 1)
            step.formulas.append(f"H, W: mean over {h}x{w} -> 1x1")
            if rf is not None and jump is not None:
                rows = ar.receptive_field_step(rf[0], jump[0], h, 1)
                cols = ar.receptive_field_step(rf[1], jump[1], w, 1)
                step.rf, step.jump = (rows[0], cols[0]), (rows[1], cols[1])
            return step
        case BatchNorm2dSpec():
            step = _Step(output=chw, flat=False, rf=rf, jump=jump)
            if chw is not None:
                step.params = 2 * chw[0]
                step.formulas.append(f"2 * {chw[0]} = {2 * chw[0]}")
            return step
        case LocalResponseNormSpec() | Dropout2dSpec():
            return _Step(output=chw, flat=False, rf=rf, jump=jump)
        case ActivationSpec() | DropoutSpec():
            step = _Step(output=shape, flat=flat, rf=rf, jump=jump)
            if isinstance(spec, ActivationSpec) and spec.function == "prelu":
                step.params = 1
                step.formulas.append("1 = 1")
            return step
        case FlattenSpec():
            if flat:
                return _Step(
                    output=shape,
                    flat=True,
                    rf=None,
                    jump=None,
                    notes=[Problem.make("flatten_twice", index)],
                )
            step = _Step(output=None, flat=True, rf=None, jump=None)
            if chw is not None:
                features = math.prod(chw)
                step.output = (features,)
                step.formulas.append(f"{chw[0]}*{chw[1]}*{chw[2]} = {features}")
            return step
        case LinearSpec():
            step = _Step(output=(spec.out_features,), flat=True, rf=None, jump=None)
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
                step.formulas.append(
                    ar.linear_params_formula(features, spec.out_features, spec.bias)
                )
                if flat:
                    step.mult_adds = features * spec.out_features
            return step
        case ResidualBlockSpec():
            step = _Step(output=None, flat=False, rf=None, jump=None)
            if chw is None:
                return step
            channels, h, w = chw
            parts, step.mult_adds, out_hw = _residual_parts(spec, channels, (h, w))
            step.output = (spec.out_channels, *out_hw)
            _axis_formula(
                step.formulas,
                [ar.conv_output_formula(n, 3, spec.stride, 1) for n in (h, w)],
            )
            step.formulas.extend(f"{name}: {formula}" for name, _, formula in parts)
            step.params = sum(params for _, params, _ in parts)
            step.formulas.append(
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


def infer(net: NetSpec) -> NetSummary:
    """Infer every layer of ``net``; collect every error (``problems``) and warning (``notes``).

    Inference goes on past an error: a layer whose input shape is unknown still has its rank
    checked (Linear before Flatten, a conv after Flatten); Linear restarts the shape as (F,).
    """
    problems: list[Problem] = []
    notes: list[Problem] = []
    layers: list[LayerInfo] = []
    input_shape: Shape = tuple(net.input_shape)
    if not net.layers:
        problems.append(Problem.make("empty_net"))
    if len(net.layers) > MAX_LAYERS:
        problems.append(Problem.make("too_many_layers", count=len(net.layers), limit=MAX_LAYERS))
        return NetSummary(input_shape, [], 0, 0, 0, None, problems, notes, None)

    shape: Shape | None = input_shape
    flat = False
    rf: Pair | None = (1, 1)
    jump: Pair | None = (1, 1)
    last_rf: Pair | None = rf
    for index, spec in enumerate(net.layers):
        step = _infer_layer(index, spec, shape, flat, rf, jump)
        info = LayerInfo(
            index=index,
            label=layer_label(spec),
            kind=spec.kind,
            input_shape=shape,
            output_shape=step.output,
            params=step.params,
            mult_adds=step.mult_adds,
            activation_bytes=(
                math.prod(step.output) * BYTES_PER_VALUE if step.output is not None else 0
            ),
            receptive_field=step.rf,
            jump=step.jump,
            formulas=step.formulas,
            notes=step.notes,
            problems=step.problems,
        )
        layers.append(info)
        problems.extend(step.problems)
        notes.extend(step.notes)
        shape, flat, rf, jump = step.output, step.flat, step.rf, step.jump
        if rf is not None:
            last_rf = rf

    total_params = sum(info.params for info in layers)
    total_bytes = sum(info.activation_bytes for info in layers)
    if total_params > MAX_PARAMS:
        biggest = max(layers, key=lambda info: info.params)
        problems.append(
            Problem.make(
                "too_many_params",
                total=f"{total_params:,}",
                limit=f"{MAX_PARAMS:,}",
                layer=biggest.number,
            )
        )
    if total_bytes > MAX_ACTIVATION_BYTES:
        biggest = max(layers, key=lambda info: info.activation_bytes)
        problems.append(
            Problem.make(
                "too_much_memory",
                megabytes=f"{total_bytes / 1e6:,.0f}",
                limit=f"{MAX_ACTIVATION_BYTES / 1e6:,.0f}",
                layer=biggest.number,
            )
        )
    if net.layers and not isinstance(net.layers[-1], LinearSpec):
        notes.append(Problem.make("last_not_linear", len(net.layers) - 1))
    return NetSummary(
        input_shape=input_shape,
        layers=layers,
        total_params=total_params,
        total_mult_adds=sum(info.mult_adds for info in layers),
        total_activation_bytes=total_bytes,
        output_shape=shape if layers else input_shape,
        problems=problems,
        notes=notes,
        receptive_field=last_rf,
    )


def validate(net: NetSpec) -> list[Problem]:
    """Every error in ``net`` (empty when it can be built); warnings are in ``infer(net).notes``."""
    return infer(net).problems


def infer_input_shapes(net: NetSpec) -> list[Shape]:
    """The input shape of every layer; raises :class:`SpecError` with every problem if invalid."""
    summary = infer(net)
    if summary.problems:
        raise SpecError(summary.problems)
    return [info.input_shape for info in summary.layers]  # type: ignore[misc]
