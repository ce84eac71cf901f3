"""Short names for layers and shapes as students see them: "Conv2d 6@5x5", "MaxPool2d 2x2/2",
"ReLU", "1x28x28".

Lesson: the "Build a CNN" page (the layer list, the table and the diagram).
"""

from __future__ import annotations

from collections.abc import Sequence

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
    ResidualBlockSpec,
)

__all__ = ["layer_label", "shape_text", "type_name"]

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


def shape_text(shape: Sequence[int] | None, sep: str = "x") -> str:
    """A shape as students read it: ``(1, 28, 28)`` as ``1x28x28``; "?" when it is unknown.

    ``sep`` joins the sizes (the Build page's table writes ``8×28×28``). Used by the Train page,
    the Build page and ``python -m cnnviz summary``.
    """
    if shape is None:
        return "?"
    return sep.join(map(str, shape))
