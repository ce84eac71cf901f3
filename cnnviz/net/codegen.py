"""Export a network as readable PyTorch code: an ``nn.Module`` with ``nn.Sequential`` blocks.

The generated module has the same layers, in the same order, and the same parameter count as
``cnnviz.net.builder.build_model`` (tests execute the code to check). Every line carries the output
shape it produces (``# -> (6, 28, 28)``), so the code doubles as the shape table.

Lesson: the "Build a CNN" page (export: copy or download the network as PyTorch code).
"""

from __future__ import annotations

import textwrap

from cnnviz.net.layer_shapes import Shape
from cnnviz.net.shapes import NetSummary, infer, infer_input_shapes
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
    NetSpec,
    Pair,
    ResidualBlockSpec,
)

__all__ = ["module_expression", "to_pytorch_code"]

_ACTIVATION_CLASSES = {
    "relu": "nn.ReLU",
    "leaky_relu": "nn.LeakyReLU",
    "prelu": "nn.PReLU",
    "elu": "nn.ELU",
    "selu": "nn.SELU",
    "gelu": "nn.GELU",
    "sigmoid": "nn.Sigmoid",
    "tanh": "nn.Tanh",
    "softplus": "nn.Softplus",
}
_INDENT = " " * 4


def _pair(value: Pair) -> str:
    return str(value[0]) if value[0] == value[1] else f"({value[0]}, {value[1]})"


def _shape(shape: Shape | None) -> str:
    if shape is None:
        return "?"
    return f"({shape[0]},)" if len(shape) == 1 else str(tuple(shape))


def _batched(shape: Shape | None) -> str:
    """``(N, 6, 28, 28)`` / ``(N, 10)``: a shape with the batch dimension in front."""
    return "(N, ?)" if shape is None else "(N, " + ", ".join(map(str, shape)) + ")"


def module_expression(spec: LayerSpec, input_shape: Shape) -> str:
    """The ``nn`` constructor call for one layer, e.g. ``nn.Conv2d(1, 6, kernel_size=5)``."""
    match spec:
        case Conv2dSpec():
            args = [
                str(input_shape[0]),
                str(spec.out_channels),
                f"kernel_size={_pair(spec.kernel_size)}",
            ]
            if spec.stride != (1, 1):
                args.append(f"stride={_pair(spec.stride)}")
            if isinstance(spec.padding, str):
                if spec.padding != "valid":
                    args.append(f'padding="{spec.padding}"')
            elif spec.padding != (0, 0):
                args.append(f"padding={_pair(spec.padding)}")
            if spec.dilation != (1, 1):
                args.append(f"dilation={_pair(spec.dilation)}")
            if spec.groups != 1:
                args.append(f"groups={spec.groups}")
            if not spec.bias:
                args.append("bias=False")
            return f"nn.Conv2d({', '.join(args)})"
        case MaxPool2dSpec() | AvgPool2dSpec():
            name = "nn.MaxPool2d" if isinstance(spec, MaxPool2dSpec) else "nn.AvgPool2d"
            args = [f"kernel_size={_pair(spec.kernel_size)}"]
            if spec.stride_hw != spec.kernel_size:
                args.append(f"stride={_pair(spec.stride_hw)}")
            if spec.padding != (0, 0):
                args.append(f"padding={_pair(spec.padding)}")
            return f"{name}({', '.join(args)})"
        case GlobalAvgPoolSpec():
            return "nn.AdaptiveAvgPool2d(1)"
        case BatchNorm2dSpec():
            args = [str(input_shape[0])]
            if spec.eps != 1e-5:
                args.append(f"eps={spec.eps!r}")
            if spec.momentum != 0.1:
                args.append(f"momentum={spec.momentum!r}")
            return f"nn.BatchNorm2d({', '.join(args)})"
        case LocalResponseNormSpec():
            return (
                f"nn.LocalResponseNorm(size={spec.size}, alpha={spec.alpha!r}, "
                f"beta={spec.beta!r}, k={spec.k!r})"
            )
        case ActivationSpec(function="leaky_relu"):
            return f"nn.LeakyReLU({spec.negative_slope!r})"
        case ActivationSpec():
            return f"{_ACTIVATION_CLASSES[spec.function]}()"
        case DropoutSpec():
            return f"nn.Dropout(p={spec.p!r})"
        case Dropout2dSpec():
            return f"nn.Dropout2d(p={spec.p!r})"
        case FlattenSpec():
            return "nn.Flatten()"
        case LinearSpec():
            bias = "" if spec.bias else ", bias=False"
            return f"nn.Linear({input_shape[0]}, {spec.out_features}{bias})"
        case ResidualBlockSpec():
            args = [str(input_shape[0]), str(spec.out_channels)]
            if spec.stride != 1:
                args.append(f"stride={spec.stride}")
            if spec.bottleneck:
                args.append("bottleneck=True")
            if not spec.batch_norm:
                args.append("batch_norm=False")
            if spec.activation != "relu":
                args.append(f"act={_ACTIVATION_CLASSES[spec.activation]}")
            return f"ResidualBlock({', '.join(args)})"
    raise TypeError(f"not a layer spec: {spec!r}")


def _residual_class(bottleneck: bool) -> str:
    """Source of a small explicit residual block (the bottleneck branch only when used)."""
    params = "bottleneck: bool = False,\n        " if bottleneck else ""
    basic = """nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=bias),
            norm(out_channels),
            act(),
            nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=bias),
            norm(out_channels),
        )"""
    if bottleneck:
        body = f"""if bottleneck:  # 1x1 squeeze -> 3x3 -> 1x1 expand
            mid = out_channels // 4
            self.residual = nn.Sequential(
                nn.Conv2d(in_channels, mid, 1, bias=bias),
                norm(mid),
                act(),
                nn.Conv2d(mid, mid, 3, stride=stride, padding=1, bias=bias),
                norm(mid),
                act(),
                nn.Conv2d(mid, out_channels, 1, bias=bias),
                norm(out_channels),
            )
        else:
            self.residual = {textwrap.indent(basic, _INDENT).lstrip()}"""
    else:
        body = f"self.residual = {basic}"
    doc = "basic: conv3x3 -> BN -> act -> conv3x3 -> BN"
    if bottleneck:
        doc += "; bottleneck: 1x1 -> 3x3 -> 1x1"
    return f'''class ResidualBlock(nn.Module):
    """y = act(F(x) + shortcut(x)); {doc}.

    The shortcut is x itself, or a 1x1 convolution when the channels or the size change.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        stride: int = 1,
        {params}batch_norm: bool = True,
        act: type[nn.Module] = nn.ReLU,
    ) -> None:
        super().__init__()
        bias = not batch_norm  # BatchNorm's shift makes a conv bias redundant

        def norm(channels: int) -> nn.Module:
            return nn.BatchNorm2d(channels) if batch_norm else nn.Identity()

        {body}
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=bias),
                norm(out_channels),
            )
        else:
            self.shortcut = nn.Identity()
        self.act = act()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.residual(x) + self.shortcut(x))
'''


def _sequential(name: str, specs: list[tuple[LayerSpec, Shape, Shape]]) -> list[str]:
    first_input = specs[0][1]
    lines = [f"self.{name} = nn.Sequential(  # {_shape(first_input)}"]
    for spec, input_shape, output_shape in specs:
        lines.append(
            f"{_INDENT}{module_expression(spec, input_shape)},  # -> {_shape(output_shape)}"
        )
    lines.append(")")
    return lines


def _safe_doc(text: str) -> str:
    """Text that cannot end the docstring or form escapes: user-supplied names travel in JSON."""
    text = " ".join(text.split()).replace("\\", "\\\\")
    return text.replace('"""', '\\"\\"\\"').rstrip('"')


def _docstring(net: NetSpec, summary: NetSummary) -> str:
    title = _safe_doc(net.name) or "A network"
    body = [
        f"Input {_shape(net.input_shape)} -> output {_shape(summary.output_shape)}; "
        f"{summary.total_params:,} parameters."
    ]
    if net.description:
        body.append(_safe_doc(net.description))
    if net.source:
        body.append(f"Source: {_safe_doc(net.source)}")
    wrapped = "\n\n".join(textwrap.fill(text, 92) for text in body)
    return f'"""{title}, generated by cnnviz.\n\n{wrapped}\n"""'


def to_pytorch_code(net: NetSpec, class_name: str = "Net") -> str:
    """A complete, runnable Python module defining ``class_name(nn.Module)`` for ``net``.

    Layers before the first Flatten go in ``self.features``, the rest in ``self.classifier``.
    Raises :class:`SpecError` with every problem when the network is invalid.
    """
    if not class_name.isidentifier():
        raise ValueError(f"{class_name!r} is not a Python class name")
    summary = infer(net)
    input_shapes = infer_input_shapes(net)  # SpecError with every problem when invalid
    triples = [
        (spec, shape, info.output_shape or shape)
        for spec, shape, info in zip(net.layers, input_shapes, summary.layers, strict=True)
    ]
    flatten_at = next(
        (i for i, spec in enumerate(net.layers) if isinstance(spec, FlattenSpec)), None
    )
    if flatten_at is None or flatten_at == 0:
        blocks = [("layers", triples)]
    else:
        blocks = [("features", triples[:flatten_at]), ("classifier", triples[flatten_at:])]

    init = ["super().__init__()"]
    for name, specs in blocks:
        init.extend(_sequential(name, specs))
    forward = []
    for position, (name, specs) in enumerate(blocks):
        target = "return" if position == len(blocks) - 1 else "x ="
        forward.append(f"{target} self.{name}(x)  # {_batched(specs[-1][2])}")

    residuals = [s for s in net.layers if isinstance(s, ResidualBlockSpec)]
    pieces = [_docstring(net, summary), "", "import torch", "from torch import nn", "", ""]
    if residuals:
        pieces += [_residual_class(any(s.bottleneck for s in residuals)), ""]
    c, h, w = net.input_shape
    pieces += [
        f"class {class_name}(nn.Module):",
        f"{_INDENT}def __init__(self) -> None:",
        *(f"{_INDENT * 2}{line}" for line in init),
        "",
        f"{_INDENT}def forward(self, x: torch.Tensor) -> torch.Tensor:",
        f"{_INDENT * 2}# x: {_batched(net.input_shape)}",
        *(f"{_INDENT * 2}{line}" for line in forward),
        "",
        "",
        'if __name__ == "__main__":',
        f"{_INDENT}model = {class_name}()",
        f"{_INDENT}print(model)",
        f'{_INDENT}print(sum(p.numel() for p in model.parameters()), "parameters")'
        f"  # {summary.total_params}",
        f"{_INDENT}print(model(torch.zeros(1, {c}, {h}, {w})).shape)"
        f"  # torch.Size([1, {', '.join(map(str, summary.output_shape or ()))}])",
    ]
    return "\n".join(pieces) + "\n"
