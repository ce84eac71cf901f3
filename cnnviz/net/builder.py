"""The only place a :class:`~cnnviz.net.specs.NetSpec` becomes a ``torch.nn.Module``.

``build_model(net, seed=...)`` validates the spec (raising :class:`SpecError` with every problem),
threads ``in_channels``/``in_features`` from shape inference into one module per layer, and
initialises the weights reproducibly without disturbing other users' random streams.

Lesson: the "Build a CNN" page builds it; "Train live" trains it; the steppers read its activations.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import torch
from torch import Tensor, nn

from cnnviz.net.labels import layer_label
from cnnviz.net.shapes import infer_input_shapes
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
    ResidualBlockSpec,
)

__all__ = [
    "CNNModel",
    "ResidualBlock",
    "SeededDropout",
    "activation_module",
    "build_layer",
    "build_model",
    "build_seeded",
    "feature_map_before",
]

# PyTorch's default init: weights ~ kaiming_uniform(a=sqrt(5)), biases ~ U(-1/sqrt(fan_in), +...).
_DEFAULT_INIT_SLOPE = math.sqrt(5)
_PRELU_INIT = 0.25
# Builds with a seed run one at a time (cheap; keeps peak memory of concurrent builds bounded).
_INIT_LOCK = threading.Lock()


def activation_module(function: str, negative_slope: float = 0.01) -> nn.Module:
    """The ``nn`` module for an activation name in :data:`cnnviz.net.specs.ACTIVATIONS`."""
    match function:
        case "relu":
            return nn.ReLU()
        case "leaky_relu":
            return nn.LeakyReLU(negative_slope)
        case "prelu":
            return nn.PReLU()
        case "elu":
            return nn.ELU()
        case "selu":
            return nn.SELU()
        case "gelu":
            return nn.GELU()
        case "sigmoid":
            return nn.Sigmoid()
        case "tanh":
            return nn.Tanh()
        case "softplus":
            return nn.Softplus()
    raise ValueError(f"unknown activation {function!r}")


class SeededDropout(nn.Module):
    """Dropout (``spatial=False``) or Dropout2d (``spatial=True``) that can draw from a generator.

    Training: ``y = x * m / (1 - p)`` with ``m ~ Bernoulli(1 - p)`` per value, or per channel
    (the whole H x W map) when spatial. Evaluation: ``y = x``. The same maths as ``nn.Dropout`` /
    ``nn.Dropout2d``; with ``self.generator`` set, the masks come from it (reproducible runs even
    while other users train in other threads).
    """

    def __init__(self, p: float = 0.5, spatial: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1), got {p}")
        self.p = p
        self.spatial = spatial
        self.generator: torch.Generator | None = None

    def extra_repr(self) -> str:
        return f"p={self.p}, spatial={self.spatial}"

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or self.p == 0.0:
            return x
        # (N, C, 1, 1) masks drop whole feature maps; otherwise one draw per value.
        mask_shape = (*x.shape[:2], *([1] * (x.dim() - 2))) if self.spatial else x.shape
        keep = 1.0 - self.p
        generator = self.generator
        draw_device = generator.device if generator is not None else x.device
        probs = torch.full(mask_shape, keep, dtype=x.dtype, device=draw_device)
        mask = torch.bernoulli(probs, generator=generator).to(x.device)
        return x * mask / keep


class ResidualBlock(nn.Module):
    """``y = act(F(x) + shortcut(x))`` (He et al. 2016).

    Basic: F = conv3x3(stride) -> BN -> act -> conv3x3 -> BN. Bottleneck: conv1x1 (out/4) -> BN ->
    act -> conv3x3(stride) -> BN -> act -> conv1x1 (out) -> BN. The shortcut is the identity when
    shapes match, else a 1x1 conv with the block's stride (+ BN): the projection shortcut.
    Convs have no bias when BatchNorm follows them (BN's shift makes it redundant).
    """

    def __init__(self, in_channels: int, spec: ResidualBlockSpec) -> None:
        super().__init__()
        out_c = spec.out_channels
        bias = not spec.batch_norm

        def norm(channels: int) -> nn.Module:
            return nn.BatchNorm2d(channels) if spec.batch_norm else nn.Identity()

        def act() -> nn.Module:
            return activation_module(spec.activation)

        if spec.bottleneck:
            mid = out_c // 4
            self.residual = nn.Sequential(
                nn.Conv2d(in_channels, mid, 1, bias=bias),
                norm(mid),
                act(),
                nn.Conv2d(mid, mid, 3, stride=spec.stride, padding=1, bias=bias),
                norm(mid),
                act(),
                nn.Conv2d(mid, out_c, 1, bias=bias),
                norm(out_c),
            )
        else:
            self.residual = nn.Sequential(
                nn.Conv2d(in_channels, out_c, 3, stride=spec.stride, padding=1, bias=bias),
                norm(out_c),
                act(),
                nn.Conv2d(out_c, out_c, 3, padding=1, bias=bias),
                norm(out_c),
            )
        self.shortcut: nn.Module
        if spec.stride != 1 or in_channels != out_c:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_c, 1, stride=spec.stride, bias=bias), norm(out_c)
            )
        else:
            self.shortcut = nn.Identity()
        self.out_act = act()

    def forward(self, x: Tensor) -> Tensor:
        return self.out_act(self.residual(x) + self.shortcut(x))


def build_layer(spec: LayerSpec, input_shape: tuple[int, ...]) -> nn.Module:
    """One module for one layer spec, given that layer's input shape ((C, H, W) or (F,))."""
    match spec:
        case Conv2dSpec():
            return nn.Conv2d(
                input_shape[0],
                spec.out_channels,
                spec.kernel_size,
                stride=spec.stride,
                padding=spec.padding,
                dilation=spec.dilation,
                groups=spec.groups,
                bias=spec.bias,
            )
        case MaxPool2dSpec():
            return nn.MaxPool2d(spec.kernel_size, spec.stride, spec.padding)
        case AvgPool2dSpec():
            return nn.AvgPool2d(spec.kernel_size, spec.stride, spec.padding)
        case GlobalAvgPoolSpec():
            return nn.AdaptiveAvgPool2d(1)
        case BatchNorm2dSpec():
            return nn.BatchNorm2d(input_shape[0], eps=spec.eps, momentum=spec.momentum)
        case LocalResponseNormSpec():
            return nn.LocalResponseNorm(spec.size, spec.alpha, spec.beta, spec.k)
        case ActivationSpec():
            return activation_module(spec.function, spec.negative_slope)
        case DropoutSpec():
            return SeededDropout(spec.p, spatial=False)
        case Dropout2dSpec():
            return SeededDropout(spec.p, spatial=True)
        case FlattenSpec():
            return nn.Flatten()
        case LinearSpec():
            return nn.Linear(input_shape[0], spec.out_features, bias=spec.bias)
        case ResidualBlockSpec():
            return ResidualBlock(input_shape[0], spec)
    raise TypeError(f"not a layer spec: {spec!r}")


class CNNModel(nn.Module):
    """A network built from a :class:`NetSpec`: ``layers[i]`` is the module for ``net.layers[i]``."""

    def __init__(self, net: NetSpec, layers: list[nn.Module]) -> None:
        super().__init__()
        self.net = net
        self.layers = nn.ModuleList(layers)

    def forward(self, x: Tensor) -> Tensor:
        """(N, C, H, W) -> logits (N, num_classes)."""
        for layer in self.layers:
            x = layer(x)
        return x

    def forward_with_activations(self, x: Tensor) -> tuple[Tensor, list[Tensor]]:
        """The output and every layer's output, in order (for feature maps and the steppers)."""
        activations: list[Tensor] = []
        for layer in self.layers:
            x = layer(x)
            activations.append(x)
        return x, activations

    def layer_names(self) -> list[str]:
        """``["1 Conv2d 6@5x5", "2 Tanh", ...]``: 1-based number and label of each layer."""
        return [f"{i + 1} {layer_label(spec)}" for i, spec in enumerate(self.net.layers)]

    def set_generator(self, generator: torch.Generator | None) -> None:
        """Make every dropout layer draw its masks from ``generator`` (None: the global RNG)."""
        for module in self.modules():
            if isinstance(module, SeededDropout):
                module.generator = generator


def _init_parameters(model: nn.Module, generator: torch.Generator) -> None:
    """PyTorch's default initialisation of every parameter and buffer, drawn from ``generator``.

    Same distributions as each module's ``reset_parameters``; the global RNG is never touched.
    """
    for module in model.modules():
        match module:
            case nn.Conv2d() | nn.ConvTranspose2d() | nn.Linear():
                nn.init.kaiming_uniform_(module.weight, a=_DEFAULT_INIT_SLOPE, generator=generator)
                if module.bias is not None:
                    fan_in, _ = nn.init._calculate_fan_in_and_fan_out(module.weight)
                    bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
                    nn.init.uniform_(module.bias, -bound, bound, generator=generator)
            case nn.BatchNorm2d():
                module.reset_running_stats()
                module.reset_parameters()
            case nn.PReLU():
                nn.init.constant_(module.weight, _PRELU_INIT)
            case _:
                if any(True for _ in module.parameters(recurse=False)) or any(
                    True for _ in module.buffers(recurse=False)
                ):
                    raise TypeError(f"no seeded initialisation for {type(module).__name__}")


def build_model(net: NetSpec, *, seed: int | None = None) -> CNNModel:
    """Build ``net``; with ``seed``, the same seed gives the same initial weights in any thread.

    Seeded builds create the modules on the ``meta`` device (no memory, no random draws) and then
    initialise them from a private ``torch.Generator(seed)``: other users' threads that draw from
    the global RNG at the same moment neither disturb these weights nor are disturbed.
    Without a seed the modules initialise from the global RNG as usual.
    Raises :class:`SpecError` with every problem when the network is invalid.
    """
    input_shapes = infer_input_shapes(net)  # SpecError with every problem when invalid

    def make() -> CNNModel:
        modules = [
            build_layer(spec, shape) for spec, shape in zip(net.layers, input_shapes, strict=True)
        ]
        return CNNModel(net, modules)

    if seed is None:
        return make()
    return build_seeded(make, seed)


M = TypeVar("M", bound=nn.Module)


def build_seeded(make: Callable[[], M], seed: int) -> M:
    """``make()`` with its weights drawn from a private ``torch.Generator(seed)``, never from the
    global RNG: built on the ``meta`` device, then initialised as PyTorch's defaults would
    (under one lock, so concurrent seeded builds do not interleave). Used by :func:`build_model`
    and by the U-Net (:func:`cnnviz.net.unet.build_unet`)."""
    with _INIT_LOCK:
        with torch.device("meta"):
            model = make()
        model = model.to_empty(device="cpu")
        _init_parameters(model, torch.Generator().manual_seed(seed))
    return model


def feature_map_before(net: NetSpec, index: int, image: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """The (C, H, W) float32 input that reaches layer ``index`` when ``image`` goes through
    ``build_model(net, seed=seed)`` in eval mode (``image`` itself for layer 0).

    Only the layers before ``index`` are built: seeded weights are drawn in layer order, so they
    equal the full model's. Lesson: the Build page's "Open in stepper" buttons.
    """
    if not 0 <= index < len(net.layers):
        raise IndexError(f"layer index {index} out of range for {len(net.layers)} layers")
    x = torch.as_tensor(np.asarray(image, dtype=np.float32)).unsqueeze(0)  # (1, C, H, W)
    if tuple(x.shape[1:]) != tuple(net.input_shape):
        raise ValueError(f"image shape {tuple(x.shape[1:])} != input shape {net.input_shape}")
    if index > 0:
        prefix = NetSpec(net.input_shape, net.layers[:index])
        model = build_model(prefix, seed=seed).eval()
        with torch.no_grad():
            x = model(x)
    return x[0].numpy().astype(np.float32, copy=False)
