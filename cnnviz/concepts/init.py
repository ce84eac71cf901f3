"""Initialisation: what the starting weights do to a deep stack, He's 2/n, and symmetry.

- :func:`probe_stack`: a stack of ``depth`` (10) linear or 3x3 conv layers with tanh or ReLU,
  initialised with one of :data:`INIT_SCHEMES` (``torch.nn.init``), takes one forward and one
  backward pass on real images; per layer it returns the histogram and the standard deviation of
  the activations and of the gradients that reach them (``dL/dh``, by autograd). Too small
  weights make both shrink layer after layer (vanishing), too large ones make them grow
  (exploding) or saturate tanh; Xavier (Var(w) = 2/(n_in + n_out)) keeps tanh's signal alive,
  He (Var(w) = 2/n_in) keeps ReLU's.
- :func:`fan_in_rows`: He's ``Var(w) = 2 / n`` filled in with the fan-in ``n`` of every conv and
  linear layer of a network (``n = C_in / groups * k_h * k_w`` for a conv, ``in_features`` for a
  linear layer).
- :class:`SymmetryTask`: train the same small ReLU CNN from all-zero, constant and He weights.
  All zeros: every hidden activation is 0 and so is every gradient that reaches a weight, so
  nothing learns but the last layer's bias. A constant: the filters of a layer get identical
  gradients and stay identical to their siblings. Random weights break the symmetry.

Lesson: the "Initialisation" page.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.control import Control
from cnnviz.data import DatasetBundle
from cnnviz.i18n import Message
from cnnviz.jobs import Progress
from cnnviz.net import Conv2dSpec, LinearSpec, NetSpec, build_model, infer

__all__ = [
    "CONSTANT",
    "INIT_SCHEMES",
    "LARGE_SIGMA",
    "PROBE_BATCH",
    "SMALL_SIGMA",
    "STACK_DEPTH",
    "FanIn",
    "LayerProbe",
    "ParamChange",
    "StackSpec",
    "SymmetryResult",
    "SymmetryTask",
    "build_stack",
    "fan_in_rows",
    "init_weights",
    "probe_stack",
    "sibling_spread",
    "stack_verdicts",
]

#: The initialisations compared, in the page's order.
INIT_SCHEMES: Final[tuple[str, ...]] = ("zeros", "constant", "small", "large", "xavier", "he")
CONSTANT: Final[float] = 0.05
SMALL_SIGMA: Final[float] = 0.01
LARGE_SIGMA: Final[float] = 1.0
STACK_DEPTH: Final[int] = 10
_BINS = 41


def init_weights(model: nn.Module, scheme: str, generator: torch.Generator) -> None:
    """Set every Conv2d / Linear weight of ``model`` by ``scheme``; every bias to 0.

    ``zeros``: 0; ``constant``: :data:`CONSTANT`; ``small`` / ``large``: N(0, 0.01^2) /
    N(0, 1); ``xavier``: ``nn.init.xavier_normal_`` (Var = 2 / (fan_in + fan_out)); ``he``:
    ``nn.init.kaiming_normal_`` for ReLU (Var = 2 / fan_in). Draws come from ``generator``.
    """
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"unknown init {scheme!r}; choose one of {INIT_SCHEMES}")
    with torch.no_grad():
        for module in model.modules():
            if not isinstance(module, (nn.Conv2d, nn.Linear)):
                continue
            weight = module.weight
            match scheme:
                case "zeros":
                    nn.init.zeros_(weight)
                case "constant":
                    nn.init.constant_(weight, CONSTANT)
                case "small":
                    nn.init.normal_(weight, 0.0, SMALL_SIGMA, generator=generator)
                case "large":
                    nn.init.normal_(weight, 0.0, LARGE_SIGMA, generator=generator)
                case "xavier":
                    nn.init.xavier_normal_(weight, generator=generator)
                case "he":
                    nn.init.kaiming_normal_(weight, nonlinearity="relu", generator=generator)
            if module.bias is not None:
                nn.init.zeros_(module.bias)


@dataclass(frozen=True)
class StackSpec:
    """A deep stack: ``kind`` "linear" (``width`` units) or "conv" (``channels`` 3x3 filters,
    padding 1), ``activation`` "tanh" or "relu", ``depth`` layers, then a linear classifier."""

    kind: str = "linear"
    activation: str = "tanh"
    scheme: str = "xavier"
    depth: int = STACK_DEPTH
    width: int = 128
    channels: int = 8
    seed: int = 0

    def __post_init__(self) -> None:
        if self.kind not in ("linear", "conv") or self.activation not in ("tanh", "relu"):
            raise ValueError(f"unknown stack {self.kind!r} / {self.activation!r}")
        if self.scheme not in INIT_SCHEMES:
            raise ValueError(f"unknown init {self.scheme!r}")


def build_stack(
    spec: StackSpec, input_shape: tuple[int, int, int], num_classes: int
) -> nn.Sequential:
    """The stack as an ``nn.Sequential``: ``depth`` x (layer, activation), Flatten, Linear head;
    initialised by ``spec.scheme`` with a generator seeded by ``spec.seed``."""
    channels, height, width = input_shape
    act: type[nn.Module] = nn.Tanh if spec.activation == "tanh" else nn.ReLU
    layers: list[nn.Module] = []
    if spec.kind == "linear":
        layers.append(nn.Flatten())
        features = channels * height * width
        for _ in range(spec.depth):
            layers += [nn.Linear(features, spec.width), act()]
            features = spec.width
    else:
        for index in range(spec.depth):
            layers += [
                nn.Conv2d(channels if index == 0 else spec.channels, spec.channels, 3, padding=1),
                act(),
            ]
        layers.append(nn.Flatten())
        features = spec.channels * height * width
    layers.append(nn.Linear(features, num_classes))
    model = nn.Sequential(*layers)
    init_weights(model, spec.scheme, torch.Generator().manual_seed(spec.seed))
    return model


@dataclass(frozen=True, eq=False)
class LayerProbe:
    """Layer ``index`` (1-based) of a probed stack: histograms (``edges`` (41,), ``counts``
    (40,), on one range shared by every layer of the stack) and statistics of its activations
    ``h`` and of the gradients ``dL/dh``."""

    index: int
    act_edges: np.ndarray
    act_counts: np.ndarray
    act_std: float
    act_mean: float
    act_zero: float  # share of activations exactly 0
    act_saturated: float  # share of activations with |h| > 0.99 (tanh's flat ends)
    grad_edges: np.ndarray
    grad_counts: np.ndarray
    grad_std: float
    weight_grad_norm: float  # ||dL/dW|| of the layer's weights


def _reach(magnitude: torch.Tensor) -> float:
    """The largest of ``magnitude`` (the |values| of all layers; 1e-12 when all are 0): one
    shared range, so a layer whose values shrank shows as a spike at 0 beside one whose values
    did not."""
    reach = float(magnitude.max()) if magnitude.numel() else 0.0
    return reach if reach > 0 and math.isfinite(reach) else 1e-12


def _histograms(values: torch.Tensor, reach: float) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``values`` (L, M), all within [-reach, reach]: counts in 40 equal bins over
    [-reach, reach], the binning of ``torch.histc`` (a value on the right edge falls in the last
    bin), every row in one ``bincount`` (row ``l``'s bins are ``40 l .. 40 l + 39``).
    Returns the edges (41,) and the counts (L, 40)."""
    rows, bins = values.shape[0], _BINS - 1
    scale = bins / (2 * reach)
    first = torch.arange(rows).unsqueeze(1) * bins  # (L, 1): each row's first bin
    index = torch.add(first.to(values.dtype) + reach * scale, values, alpha=scale).long()
    index = torch.minimum(index, first + bins - 1)  # (L, M): the right edge in the last bin
    counts = torch.bincount(index.reshape(-1), minlength=rows * bins).reshape(rows, bins)
    return np.linspace(-reach, reach, _BINS), counts.double().numpy()


#: Images in the probing batch of each stack kind (the page's and the benchmark's): enough for
#: smooth histograms (8 x 8 x 28 x 28 = 50,176 values per conv layer).
PROBE_BATCH: Final[dict[str, int]] = {"linear": 128, "conv": 8}


def probe_stack(
    spec: StackSpec, x: torch.Tensor, y: torch.Tensor, num_classes: int
) -> list[LayerProbe]:
    """One forward and one backward pass of the stack on ``x`` (N, C, H, W), labels ``y``; per
    hidden layer the statistics of its activations and of ``dL/dh`` (mean cross-entropy).

    Every hidden layer has the same size, so the statistics of all layers are computed at once
    on (layers, values) tensors: one pass for the ranges, one ``bincount`` for the histograms.
    """
    model = build_stack(spec, tuple(x.shape[1:]), num_classes)  # type: ignore[arg-type]
    hidden: list[torch.Tensor] = []
    h = x
    for module in model:
        h = module(h)
        if isinstance(module, (nn.Tanh, nn.ReLU)):
            hidden.append(h)
    loss = F.cross_entropy(h, y)
    weights = [m.weight for m in model if isinstance(m, (nn.Conv2d, nn.Linear))][: len(hidden)]
    found = torch.autograd.grad(loss, hidden + weights)
    count = len(hidden)
    with torch.no_grad():
        acts = torch.stack([a.reshape(-1) for a in hidden])  # (L, N * features)
        grads = torch.stack([g.reshape(-1) for g in found[:count]])  # (L, N * features)
        size = acts.shape[1]
        magnitude = acts.abs()
        act_edges, act_counts = _histograms(acts, _reach(magnitude))
        grad_edges, grad_counts = _histograms(grads, _reach(grads.abs()))
        act_std, act_mean = (v.tolist() for v in torch.std_mean(acts, dim=1))
        act_zero = ((acts == 0).sum(dim=1).double() / size).tolist()
        act_saturated = ((magnitude > 0.99).sum(dim=1).double() / size).tolist()
        grad_std = grads.std(dim=1).tolist()
        weight_norms = [float(g.norm()) for g in found[count:]]
    return [
        LayerProbe(
            index=index + 1,
            act_edges=act_edges,
            act_counts=act_counts[index],
            act_std=act_std[index],
            act_mean=act_mean[index],
            act_zero=act_zero[index],
            act_saturated=act_saturated[index],
            grad_edges=grad_edges,
            grad_counts=grad_counts[index],
            grad_std=grad_std[index],
            weight_grad_norm=weight_norms[index],
        )
        for index in range(count)
    ]


#: How much a standard deviation may change from the first to the last layer before the page
#: calls it vanishing (below 1/100) or exploding (above 100).
RATIO: Final[float] = 100.0


def stack_verdicts(probes: list[LayerProbe]) -> list[str]:
    """What a probed stack shows, as catalog suffixes ``init.verdict.<key>``: "dead" (every
    activation is 0), "act_vanish" / "act_explode" (activation std from layer 1 to the last
    falls below 1/100 / grows above 100 times), "grad_vanish" / "grad_explode" (the gradient std
    from the last layer back to layer 1, the way it flows), "saturated" (over half of the last
    layer's activations at |h| > 0.99), or "healthy"."""
    if not probes or all(p.act_std == 0 for p in probes):
        return ["dead"]
    first, last = probes[0], probes[-1]
    found = []
    if first.act_std > 0:
        ratio = last.act_std / first.act_std
        if ratio < 1 / RATIO:
            found.append("act_vanish")
        elif ratio > RATIO:
            found.append("act_explode")
    if last.grad_std > 0:
        ratio = first.grad_std / last.grad_std
        if ratio < 1 / RATIO:
            found.append("grad_vanish")
        elif ratio > RATIO:
            found.append("grad_explode")
    if last.act_saturated > 0.5:
        found.append("saturated")
    return found or ["healthy"]


@dataclass(frozen=True)
class FanIn:
    """He's formula for one layer of a network: ``number`` (1-based), its label and kind,
    the parts of ``n`` (``in_channels / groups``, ``kernel`` (kh, kw); a linear layer has
    ``kernel`` (1, 1)), ``fan_in = n``, ``variance = 2 / n`` and ``std = sqrt(2 / n)``."""

    number: int
    label: str
    kind: str
    in_channels: int
    groups: int
    kernel: tuple[int, int]
    fan_in: int
    variance: float
    std: float


def fan_in_rows(net: NetSpec) -> list[FanIn]:
    """Every Conv2d and Linear layer of ``net`` with its fan-in and He's ``Var(w) = 2 / n``
    (layers whose input shape is unknown, after an error, are left out)."""
    rows = []
    for info in infer(net).layers:
        spec = net.layers[info.index]
        shape = info.input_shape
        if shape is None:
            continue
        match spec:
            case Conv2dSpec(groups=groups, kernel_size=kernel) if len(shape) == 3:
                in_channels, size = int(shape[0]), (int(kernel[0]), int(kernel[1]))
            case LinearSpec() if len(shape) == 1:
                in_channels, groups, size = int(shape[0]), 1, (1, 1)
            case _:
                continue
        fan_in = in_channels // groups * size[0] * size[1]
        rows.append(
            FanIn(
                info.number,
                info.label,
                info.kind,
                in_channels,
                groups,
                size,
                fan_in,
                2.0 / fan_in,
                math.sqrt(2.0 / fan_in),
            )
        )
    return rows


def sibling_spread(weight: torch.Tensor) -> float:
    """How far the filters (rows) of a layer are from the first one: ``max |W_i - W_0|``."""
    flat = weight.detach().reshape(weight.shape[0], -1)
    return float((flat - flat[:1]).abs().max()) if flat.shape[0] > 1 else 0.0


@dataclass(frozen=True)
class ParamChange:
    """One parameter tensor of the symmetry run: how much training moved it (``max |delta|``)
    and how far its filters are from each other before and after (weights of 2+ rows only)."""

    name: str
    changed: float
    spread_before: float
    spread_after: float


@dataclass(frozen=True, eq=False)
class SymmetryResult:
    """The run from initialisation ``scheme``: the first conv's filters before and after training
    (O, I, kh, kw), every parameter's change, the final training loss and validation accuracy."""

    scheme: str
    filters_before: np.ndarray
    filters_after: np.ndarray
    changes: tuple[ParamChange, ...]
    loss: float
    val_acc: float


@dataclass(frozen=True, eq=False)
class SymmetryTask:
    """Train ``net`` (a ReLU CNN) from each scheme in ``schemes`` with the same data, batches and
    optimizer (``torch.optim.SGD``, momentum 0.9); one :class:`SymmetryResult` per scheme."""

    net: NetSpec
    data: DatasetBundle
    schemes: tuple[str, ...] = ("zeros", "constant", "he")
    epochs: int = 3
    lr: float = 0.02
    batch_size: int = 32
    seed: int = 0
    num_threads: int | None = None

    def run(self, control: Control) -> Iterator[Any]:
        """:class:`Progress` while training, a :class:`SymmetryResult` after each scheme."""
        if self.num_threads is not None:
            torch.set_num_threads(self.num_threads)
        x, y = self.data.train_x, self.data.train_y
        steps = math.ceil(len(y) / self.batch_size)
        total = len(self.schemes) * self.epochs * steps
        done = 0
        for scheme in self.schemes:
            model = build_model(self.net, seed=self.seed)
            init_weights(model, scheme, torch.Generator().manual_seed(self.seed))
            before = {name: p.detach().clone() for name, p in model.named_parameters()}
            optimizer = torch.optim.SGD(model.parameters(), lr=self.lr, momentum=0.9)
            order_gen = torch.Generator().manual_seed(self.seed)
            loss = torch.zeros(())
            model.train()
            for _epoch in range(self.epochs):
                order = torch.randperm(len(y), generator=order_gen)
                for step in range(steps):
                    control.checkpoint()
                    index = order[step * self.batch_size : (step + 1) * self.batch_size]
                    loss = F.cross_entropy(model(x[index]), y[index])
                    optimizer.zero_grad(set_to_none=True)
                    loss.backward()
                    optimizer.step()
                    done += 1
                    if done % 10 == 0 or done == total:
                        yield Progress(done, total, Message.of("init.sym.progress", scheme=scheme))
            model.eval()
            with torch.no_grad():
                val_acc = float(
                    (model(self.data.val_x).argmax(1) == self.data.val_y).double().mean()
                )
            changes = tuple(
                ParamChange(
                    name,
                    float((p.detach() - before[name]).abs().max()),
                    sibling_spread(before[name]) if p.dim() > 1 else math.nan,
                    sibling_spread(p) if p.dim() > 1 else math.nan,
                )
                for name, p in model.named_parameters()
            )
            conv = next(m for m in model.modules() if isinstance(m, nn.Conv2d))
            first = next(name for name, p in model.named_parameters() if p is conv.weight)
            yield SymmetryResult(
                scheme,
                before[first].numpy(),
                conv.weight.detach().numpy().copy(),
                changes,
                float(loss.detach()),
                val_acc,
            )
