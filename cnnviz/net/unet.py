"""A small residual U-Net as data: its spec, shape inference for every layer, and the torch module.

Encoder: at each level a residual block (``y = relu(F(x) + shortcut(x))``, the ResNet block of
:class:`cnnviz.net.ResidualBlockSpec`) then a 2x2 max-pool that halves the map; a residual block at
the bottom; decoder: at each level a 2x2 transposed convolution of stride 2 that doubles the map,
the concatenation (along channels) with the encoder map of the same level (the *skip*), then a
residual block; a 1x1 convolution gives one score per class and pixel. Without skips the decoder
sees only the up-sampled maps (same seed, same encoder weights drawn first).

Each pool floors an odd size (``floor(n / 2)``) and each transposed conv doubles it, so the maps
at a concatenation only match when the input size divides by the total stride ``2 ** depth``:
:func:`unet_problems` says where it breaks and proposes the nearest sizes that work.

Lesson: the "Beyond classification" page (segmentation), from seed article 000.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from cnnviz.net.arithmetic import pool_output_size, transposed_output_size
from cnnviz.net.builder import ResidualBlock, build_seeded
from cnnviz.net.layer_shapes import infer_layer
from cnnviz.net.specs import (
    Conv2dSpec,
    MaxPool2dSpec,
    Problem,
    ResidualBlockSpec,
    SpecError,
)
from cnnviz.net.transposed_spec import ConvTranspose2dSpec

__all__ = [
    "MAX_UNET_DEPTH",
    "SteppableLayer",
    "UNet",
    "UNetLayer",
    "UNetSpec",
    "build_unet",
    "infer_unet",
    "nearest_valid_sizes",
    "steppable_layer",
    "unet_layer_input",
    "unet_problems",
]

SteppableLayer = ConvTranspose2dSpec | MaxPool2dSpec | Conv2dSpec

MAX_UNET_DEPTH = 4
_MAX_BASE = 64
_MAX_SIZE = 256


@dataclass(frozen=True)
class UNetSpec:
    """A U-Net: ``depth`` pooling levels, ``base_channels`` at the top level (doubling per level).

    ``image_size`` is the side of the square input; ``num_classes`` counts the background.
    """

    in_channels: int = 1
    num_classes: int = 7
    image_size: int = 32
    base_channels: int = 8
    depth: int = 2
    skips: bool = True
    batch_norm: bool = True

    def __post_init__(self) -> None:
        limits = {
            "in_channels": (1, 4),
            "num_classes": (2, 64),
            "image_size": (2, _MAX_SIZE),
            "base_channels": (1, _MAX_BASE),
            "depth": (1, MAX_UNET_DEPTH),
        }
        for name, (minimum, maximum) in limits.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise SpecError(Problem.make("not_int", field=name, value=repr(value)))
            if not minimum <= value <= maximum:
                raise SpecError(
                    Problem.make(
                        "out_of_range", field=name, value=value, minimum=minimum, maximum=maximum
                    )
                )
        for name in ("skips", "batch_norm"):
            if not isinstance(getattr(self, name), bool):
                raise SpecError(
                    Problem.make("not_bool", field=name, value=repr(getattr(self, name)))
                )

    @property
    def total_stride(self) -> int:
        """How much the bottom map is smaller than the input: ``2 ** depth``."""
        return 2**self.depth

    def channels(self, level: int) -> int:
        """Channels of the maps at ``level`` (0 = top): ``base_channels * 2 ** level``."""
        return self.base_channels * 2**level


@dataclass(frozen=True)
class UNetLayer:
    """One row of the U-Net's table: ``name`` (``enc1``, ``pool1``, ``bottom``, ``up1``, ``cat1``,
    ``dec1``, ``head``), ``kind`` (``residual``, ``maxpool``, ``convtranspose``, ``concat``,
    ``conv1x1``), the ``(C, H, W)`` shapes in and out, the parameter count, and for a
    concatenation the encoder layer whose map it joins (``skip_from``, with its shape)."""

    name: str
    kind: str
    level: int
    input_shape: tuple[int, int, int]
    output_shape: tuple[int, int, int]
    params: int
    skip_from: str | None = None
    skip_shape: tuple[int, int, int] | None = None


def nearest_valid_sizes(size: int, stride: int) -> tuple[int, ...]:
    """The multiples of ``stride`` nearest to ``size`` (one below if positive, one above)."""
    below = size // stride * stride
    above = below + stride
    return (below, above) if below > 0 else (above,)


def unet_problems(spec: UNetSpec) -> list[Problem]:
    """Every problem with ``spec``: an input size that does not divide by the total stride names
    the first concatenation whose two maps differ (with skips) and proposes the nearest sizes."""
    stride = spec.total_stride
    if spec.image_size % stride == 0:
        return []
    sizes = [spec.image_size]
    for _ in range(spec.depth):
        sizes.append(pool_output_size(sizes[-1], 2, 2))
    if sizes[-1] < 1:
        return [
            Problem.make(
                "unet_too_small",
                field="image_size",
                size=spec.image_size,
                depth=spec.depth,
                stride=stride,
                sizes=_sizes_text(nearest_valid_sizes(spec.image_size, stride)),
            )
        ]
    # walk up the decoder: the first level whose up-sampled map differs from its skip
    up = sizes[-1]
    level = spec.depth - 1
    for level in range(spec.depth - 1, -1, -1):
        up = transposed_output_size(up, 2, 2)
        if up != sizes[level]:
            break
    return [
        Problem.make(
            "unet_stride" if spec.skips else "unet_stride_no_skip",
            field="image_size",
            size=spec.image_size,
            depth=spec.depth,
            stride=stride,
            concat=f"cat{level + 1}",
            up=up,
            skip=sizes[level],
            sizes=_sizes_text(nearest_valid_sizes(spec.image_size, stride)),
        )
    ]


def _sizes_text(sizes: tuple[int, ...]) -> str:
    return " / ".join(f"{n}x{n}" for n in sizes)


def infer_unet(spec: UNetSpec) -> list[UNetLayer]:
    """Every layer's shapes and parameter count, top to bottom and back up; raises
    :class:`SpecError` with :func:`unet_problems` when the sizes do not fit."""
    problems = unet_problems(spec)
    if problems:
        raise SpecError(problems)
    rows: list[UNetLayer] = []
    shape: tuple[int, int, int] = (spec.in_channels, spec.image_size, spec.image_size)

    def add(name: str, kind: str, level: int, layer: object, **skip: object) -> None:
        nonlocal shape
        step = infer_layer(0, layer, shape, False, None, None)  # type: ignore[arg-type]
        assert step.output is not None and len(step.output) == 3  # sizes checked above
        out = (int(step.output[0]), int(step.output[1]), int(step.output[2]))
        rows.append(UNetLayer(name, kind, level, shape, out, step.params, **skip))  # type: ignore[arg-type]
        shape = out

    skips: list[tuple[str, tuple[int, int, int]]] = []
    for level in range(spec.depth):
        add(f"enc{level + 1}", "residual", level, _block(spec, spec.channels(level)))
        skips.append((f"enc{level + 1}", shape))
        add(f"pool{level + 1}", "maxpool", level, MaxPool2dSpec(kernel_size=(2, 2), stride=(2, 2)))
    add("bottom", "residual", spec.depth, _block(spec, spec.channels(spec.depth)))
    for level in range(spec.depth - 1, -1, -1):
        channels = spec.channels(level)
        c, h, w = shape
        up = (channels, transposed_output_size(h, 2, 2), transposed_output_size(w, 2, 2))
        rows.append(
            UNetLayer(
                f"up{level + 1}", "convtranspose", level, shape, up, c * channels * 4 + channels
            )
        )
        shape = up
        if spec.skips:
            skip_name, skip_shape = skips[level]
            joined = (shape[0] + skip_shape[0], shape[1], shape[2])
            rows.append(
                UNetLayer(
                    f"cat{level + 1}", "concat", level, shape, joined, 0, skip_name, skip_shape
                )
            )
            shape = joined
        add(f"dec{level + 1}", "residual", level, _block(spec, channels))
    add("head", "conv1x1", 0, Conv2dSpec(out_channels=spec.num_classes, kernel_size=(1, 1)))
    return rows


def _block(spec: UNetSpec, out_channels: int) -> ResidualBlockSpec:
    return ResidualBlockSpec(out_channels=out_channels, batch_norm=spec.batch_norm)


class UNet(nn.Module):
    """The module of a :class:`UNetSpec`: ``(N, in_channels, S, S)`` images to
    ``(N, num_classes, S, S)`` scores per pixel (logits)."""

    def __init__(self, spec: UNetSpec) -> None:
        super().__init__()
        self.spec = spec
        self.encoders = nn.ModuleList()
        in_c = spec.in_channels
        for level in range(spec.depth):
            self.encoders.append(ResidualBlock(in_c, _block(spec, spec.channels(level))))
            in_c = spec.channels(level)
        self.pool = nn.MaxPool2d(2, 2)
        self.bottom = ResidualBlock(in_c, _block(spec, spec.channels(spec.depth)))
        in_c = spec.channels(spec.depth)
        self.ups = nn.ModuleList()
        self.decoders = nn.ModuleList()
        for level in range(spec.depth - 1, -1, -1):
            out_c = spec.channels(level)
            self.ups.append(nn.ConvTranspose2d(in_c, out_c, 2, stride=2))
            joined = 2 * out_c if spec.skips else out_c
            self.decoders.append(ResidualBlock(joined, _block(spec, out_c)))
            in_c = out_c
        self.head = nn.Conv2d(in_c, spec.num_classes, 1)

    def forward(self, x: Tensor) -> Tensor:
        skips: list[Tensor] = []
        for encoder in self.encoders:
            x = encoder(x)  # (N, C_level, H / 2^level, W / 2^level)
            skips.append(x)
            x = self.pool(x)
        x = self.bottom(x)  # (N, C_depth, H / 2^depth, W / 2^depth)
        for up, decoder, skip in zip(self.ups, self.decoders, reversed(skips), strict=True):
            x = up(x)  # doubles H and W
            if self.spec.skips:
                x = torch.cat([x, skip], dim=1)  # (N, 2 C_level, H', W'): the skip connection
            x = decoder(x)
        return self.head(x)


def build_unet(spec: UNetSpec, *, seed: int) -> UNet:
    """The U-Net of ``spec`` with weights drawn from ``torch.Generator(seed)`` (the same in any
    thread); raises :class:`SpecError` when the input size does not fit (:func:`unet_problems`)."""
    problems = unet_problems(spec)
    if problems:
        raise SpecError(problems)
    return build_seeded(lambda: UNet(spec), seed)


def steppable_layer(spec: UNetSpec, name: str) -> SteppableLayer | None:
    """The spec of the U-Net layer ``name`` when a stepper can open it: an up-sampling ``upN``
    (``ConvTranspose2d`` 2x2, stride 2), a ``poolN`` (``MaxPool2d`` 2x2) or the 1x1 ``head``;
    None for a residual block, a concatenation or an unknown name."""
    levels = {str(level + 1) for level in range(spec.depth)}
    if name.startswith("up") and name[2:] in levels:
        return ConvTranspose2dSpec(out_channels=spec.channels(int(name[2:]) - 1))
    if name.startswith("pool") and name[4:] in levels:
        return MaxPool2dSpec(kernel_size=(2, 2), stride=(2, 2))
    if name == "head":
        return Conv2dSpec(out_channels=spec.num_classes, kernel_size=(1, 1))
    return None


def _layer_module(model: UNet, name: str) -> nn.Module:
    depth = model.spec.depth
    if name.startswith("up"):
        return model.ups[depth - int(name[2:])]  # ups run from the deepest level up
    if name.startswith("pool"):
        return model.pool
    return model.head


def unet_layer_input(model: UNet, name: str, image: Tensor) -> tuple[Tensor, Tensor | None]:
    """The feature map ``(C, H, W)`` that reaches layer ``name`` (see :func:`steppable_layer`)
    when ``model`` (in eval mode) sees ``image`` ``(in_channels, S, S)``, and that layer's weights
    (``ConvTranspose2d``: ``(C_in, C_out, kh, kw)``; ``head``: ``(classes, C, 1, 1)``; a pool:
    None). Raises :class:`SpecError` for a layer no stepper opens."""
    if steppable_layer(model.spec, name) is None:
        raise SpecError(Problem.make("unet_not_steppable", field="layer", value=repr(name)))
    module = _layer_module(model, name)
    pool_level = int(name[4:]) - 1 if name.startswith("pool") else -1
    seen: list[Tensor] = []
    calls = [0]

    def grab(_module: nn.Module, args: tuple[Tensor, ...]) -> None:
        if not name.startswith("pool") or calls[0] == pool_level:
            seen.append(args[0][0].detach().clone())
        calls[0] += 1

    handle = module.register_forward_pre_hook(grab)
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(image.unsqueeze(0))
    finally:
        handle.remove()
        model.train(was_training)
    weight = getattr(module, "weight", None)
    return seen[0], None if weight is None else weight.detach().clone()
