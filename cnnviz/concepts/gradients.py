"""Vanishing gradients: one real backward pass through a deep stack of convolutions.

The network: ``depth`` 3x3 convolutions of ``width`` channels on the built-in shapes pictures
(28x28, average-pooled to 7x7 so that 50 layers answer at once), each followed by the chosen
activation; then global average pooling and a linear layer to the 6 classes, cross-entropy loss.
Plain: ``h_{l+1} = act(conv_l(h_l))``. Residual (layers 2..depth):
``h_{l+1} = h_l + act(conv_l(h_l))``: the identity path carries the gradient past every layer.
Weights are drawn as ``cnnviz.train.apply_init`` draws them, from a seeded generator, so a setting gives
the same numbers. Everything runs in float64: in float32 a sigmoid stack of 50 layers underflows
to an exact 0.

Why sigmoid vanishes: the gradient reaching layer 1 has gone through ``n = depth - 1`` sigmoids on
its way back from layer ``depth``, and each multiplies it by ``sigma'(z) <= 1/4``, so the
sigmoid factors alone shrink it by at least ``0.25^n`` (the weights can add or remove more).

Lesson: the /activations page (vanishing gradients, and the bottleneck block's parameter count).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.concepts.activations import ACTIVATION_FUNCTIONS, activation_layer
from cnnviz.concepts.inputs import ConceptError
from cnnviz.data import make_shapes
from cnnviz.net import Conv2dSpec, NetSpec, ResidualBlock, ResidualBlockSpec, infer

__all__ = [
    "GRADIENT_INITS",
    "MAX_DEPTH",
    "MIN_DEPTH",
    "BlockCount",
    "DeepStack",
    "GradientProfile",
    "GradientSettings",
    "block_module_params",
    "bottleneck_comparison",
    "build_stack",
    "gradient_profile",
    "init_weight",
    "params_ratio",
    "shapes_batch",
    "sigmoid_bound",
]

MIN_DEPTH = 2
MAX_DEPTH = 50
#: Initialisations offered (``cnnviz.train.INITS`` without "zeros", whose gradients are all 0).
GRADIENT_INITS: tuple[str, ...] = ("default", "kaiming", "xavier", "normal")
_POOL = 4  # 28x28 -> 7x7
_NUM_CLASSES = 6


@dataclass(frozen=True)
class GradientSettings:
    """One experiment: depth 2..50, an activation, an initialisation, plain or residual."""

    depth: int = 20
    activation: str = "sigmoid"
    init: str = "default"
    residual: bool = False
    width: int = 8
    batch: int = 8
    seed: int = 0

    def __post_init__(self) -> None:
        depth = self.depth
        if isinstance(depth, bool) or not isinstance(depth, int):
            raise ConceptError(
                "why.grad.bad_depth", value=f"{depth}", low=MIN_DEPTH, high=MAX_DEPTH
            )
        if not MIN_DEPTH <= depth <= MAX_DEPTH:
            raise ConceptError("why.grad.bad_depth", value=depth, low=MIN_DEPTH, high=MAX_DEPTH)
        if self.activation not in ACTIVATION_FUNCTIONS:
            raise ConceptError(
                "why.input.bad_choice",
                value=self.activation,
                allowed=", ".join(ACTIVATION_FUNCTIONS),
            )
        if self.init not in GRADIENT_INITS:
            raise ConceptError(
                "why.input.bad_choice", value=self.init, allowed=", ".join(GRADIENT_INITS)
            )
        if not (isinstance(self.width, int) and 1 <= self.width <= 32):
            raise ConceptError(
                "why.input.out_of_range", name="width", value=self.width, low=1, high=32
            )
        if not (isinstance(self.batch, int) and 2 <= self.batch <= 256):
            raise ConceptError(
                "why.input.out_of_range", name="batch", value=self.batch, low=2, high=256
            )


@dataclass(frozen=True, eq=False)
class GradientProfile:
    """What one backward pass measured.

    ``weight_norms[l]``: ``||dL/dW_l||`` (Frobenius) of conv layer ``l + 1``;
    ``activation_norms[l]``: ``||dL/dh_l||`` of its output; ``ratio``: ``weight_norms[0] /
    weight_norms[-1]`` (how much smaller the first layer's gradient is than the last one's);
    ``sigmoid_factors``: the product over layers 1..depth-1 of the batch-mean ``sigma'(z)``
    (sigmoid only, else None).
    """

    settings: GradientSettings
    weight_norms: np.ndarray  # (depth,)
    activation_norms: np.ndarray  # (depth,)
    loss: float
    ratio: float
    bound: float | None
    mean_derivatives: np.ndarray  # (depth,) batch mean of act'(z_l)


def sigmoid_bound(depth: int) -> tuple[int, float]:
    """``(n, 0.25 ** n)`` with ``n = depth - 1``: the sigmoids between the last layer and the
    first, and the least they shrink a gradient by (``sigma'(z) <= 1/4``)."""
    n = int(depth) - 1
    return n, 0.25**n


@functools.lru_cache(maxsize=16)
def shapes_batch(batch: int = 16, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``(x, y)``: ``batch`` shapes pictures (float64, normalised, 7x7 after 4x4 average
    pooling) and their labels, drawn from ``seed``. Memoised (drawing 3,200 pictures takes
    ~0.1 s): callers read the tensors and never change them."""
    images, labels = make_shapes(
        batch, 28, colour=False, noise=0.1, rng=np.random.default_rng(seed)
    )
    x = torch.tensor(images, dtype=torch.float64)  # (N, 1, 28, 28)
    x = (x - x.mean()) / x.std()
    return F.avg_pool2d(x, _POOL), torch.tensor(labels)  # (N, 1, 7, 7), (N,)


@dataclass(frozen=True, eq=False)
class DeepStack:
    """The weights of ``depth`` 3x3 conv layers and the linear head, as leaf tensors.

    Plain tensors and ``F.conv2d``, not ``nn.Conv2d`` modules: creating 50 modules cost more than
    the whole forward and backward pass.
    """

    settings: GradientSettings
    conv_weights: tuple[torch.Tensor, ...]  # (C_out, C_in, 3, 3) each
    conv_biases: tuple[torch.Tensor, ...]  # (C_out,) each
    head_weight: torch.Tensor  # (6, C)
    head_bias: torch.Tensor  # (6,)

    def forward(
        self, x: torch.Tensor
    ) -> tuple[torch.Tensor, list[torch.Tensor], list[torch.Tensor]]:
        """Logits, each layer's output ``h_l`` and each layer's pre-activation ``z_l``."""
        act = activation_layer(self.settings.activation)
        outputs: list[torch.Tensor] = []
        pre: list[torch.Tensor] = []
        h = x  # (N, C, 7, 7)
        for index, (weight, bias) in enumerate(
            zip(self.conv_weights, self.conv_biases, strict=True)
        ):
            z = F.conv2d(h, weight, bias, padding=1)
            pre.append(z)
            h = h + act(z) if self.settings.residual and index > 0 else act(z)
            outputs.append(h)
        return F.linear(h.mean(dim=(2, 3)), self.head_weight, self.head_bias), outputs, pre


def init_weight(
    shape: tuple[int, ...], scheme: str, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(weight, bias)`` for a conv or linear layer of weight ``shape`` under ``scheme``.

    The same draws, in the same order, as ``cnnviz.train.apply_init`` makes for such a layer
    (tested): kaiming ``N(0, 2/fan_in)``, xavier ``U(-a, a)``, normal ``N(0, 0.1^2)``, biases 0;
    "default" is PyTorch's own ``reset_parameters`` (``kaiming_uniform_(a=sqrt(5))``, bias
    ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``).
    """
    # drawn in float32 exactly as apply_init draws, then widened (float64 draws differ)
    weight = torch.empty(shape)
    fan_in = math.prod(shape[1:])
    bias = torch.zeros(shape[0])
    match scheme:
        case "default":
            nn.init.kaiming_uniform_(weight, a=math.sqrt(5), generator=generator)
            bound = 1 / math.sqrt(fan_in)
            nn.init.uniform_(bias, -bound, bound, generator=generator)
        case "kaiming":
            nn.init.kaiming_normal_(weight, nonlinearity="relu", generator=generator)
        case "xavier":
            nn.init.xavier_uniform_(weight, generator=generator)
        case "normal":
            nn.init.normal_(weight, mean=0.0, std=0.1, generator=generator)
    return weight.double(), bias.double()


def build_stack(settings: GradientSettings) -> DeepStack:
    """The seeded network of ``settings``, every draw from a private generator (other users'
    threads neither disturb nor are disturbed)."""
    generator = torch.Generator().manual_seed(settings.seed)
    width = settings.width
    weights, biases = [], []
    for index in range(settings.depth):
        weight, bias = init_weight(
            (width, 1 if index == 0 else width, 3, 3), settings.init, generator
        )
        weights.append(weight.requires_grad_(True))
        biases.append(bias.requires_grad_(True))
    head_weight, head_bias = init_weight((_NUM_CLASSES, width), settings.init, generator)
    return DeepStack(
        settings,
        tuple(weights),
        tuple(biases),
        head_weight.requires_grad_(True),
        head_bias.requires_grad_(True),
    )


def _grad_norm(tensor: torch.Tensor) -> float:
    """The L2 norm of a tensor's gradient after ``backward`` (every probed tensor has one)."""
    if tensor.grad is None:
        raise RuntimeError("the tensor was not part of the backward pass")
    return float(tensor.grad.norm())


def gradient_profile(settings: GradientSettings) -> GradientProfile:
    """One forward and backward pass of :class:`DeepStack` on a shapes batch; every norm from
    autograd."""
    model = build_stack(settings)
    x, y = shapes_batch(settings.batch, settings.seed)
    logits, outputs, pre = model.forward(x)
    for h in outputs:
        h.retain_grad()
    loss = F.cross_entropy(logits, y)
    loss.backward()
    weight_norms = np.array([_grad_norm(w) for w in model.conv_weights])
    activation_norms = np.array([_grad_norm(h) for h in outputs])
    # act'(z) by autograd for every layer at once (all pre-activations have one shape), averaged
    # over the batch: the factor each layer multiplies a gradient by on its way back
    stacked = torch.stack([z.detach() for z in pre]).requires_grad_(True)  # (depth, N, C, 7, 7)
    activation_layer(settings.activation)(stacked).sum().backward()
    assert stacked.grad is not None
    derivatives = stacked.grad.mean(dim=(1, 2, 3, 4)).numpy()
    last = weight_norms[-1]
    ratio = float(weight_norms[0] / last) if last > 0 else float("inf")
    bound = sigmoid_bound(settings.depth)[1] if settings.activation == "sigmoid" else None
    return GradientProfile(
        settings=settings,
        weight_norms=weight_norms,
        activation_norms=activation_norms,
        loss=float(loss.detach()),
        ratio=ratio,
        bound=bound,
        mean_derivatives=derivatives,
    )


@dataclass(frozen=True)
class BlockCount:
    """Parameters of one residual block of ``width`` channels in and out, basic or bottleneck,
    from the Build page's shape inference (``formulas``: each part written out)."""

    width: int
    bottleneck: bool
    params: int
    formulas: tuple[str, ...]
    inner: int  # the channels the 3x3 convolution works on: width / 4 in a bottleneck


def params_ratio(basic: BlockCount, bottleneck: BlockCount) -> float:
    """How many times the parameters of ``bottleneck`` the ``basic`` block has."""
    return basic.params / bottleneck.params


def bottleneck_comparison(width: int = 256) -> tuple[BlockCount, BlockCount]:
    """``(basic, bottleneck)``: a plain residual block (3x3 -> 3x3) against the bottleneck
    (1x1 to width/4 -> 3x3 -> 1x1 back to width) of the same width, counted by
    ``cnnviz.net.infer`` exactly as the Build page counts them (tested against
    ``nn.Module.parameters``)."""
    if isinstance(width, bool) or not isinstance(width, int) or not 4 <= width <= 1024 or width % 4:
        raise ConceptError("why.grad.bad_width", value=f"{width}")
    counts = []
    for bottleneck in (False, True):
        spec = ResidualBlockSpec(width, bottleneck=bottleneck)
        # a 1x1 conv brings the input to ``width`` channels, so the block's shortcut is the identity
        net = NetSpec((1, 8, 8), (Conv2dSpec(width, (1, 1)), spec))
        info = infer(net).layers[1]
        inner = width // 4 if bottleneck else width
        counts.append(BlockCount(width, bottleneck, info.params, tuple(info.formulas), inner))
    return counts[0], counts[1]


def block_module_params(width: int, bottleneck: bool) -> int:
    """Parameters of the real ``ResidualBlock`` module (what :func:`bottleneck_comparison` must
    equal)."""
    block = ResidualBlock(width, ResidualBlockSpec(width, bottleneck=bottleneck))
    return sum(p.numel() for p in block.parameters())
