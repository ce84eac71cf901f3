"""Inverted dropout: a mask, train mode against eval mode, and why it divides by (1 - p).

In training each activation is kept with probability ``1 - p`` and the kept ones are divided by
``1 - p``: ``y = h * m / (1 - p)``, ``m ~ Bernoulli(1 - p)``. Then ``E[y] = h``, so the expected sum
of the layer is unchanged and evaluation simply uses ``y = h`` (no mask, no scaling). The mean
over many masks converges to the eval output; :func:`dropout_demo` draws 1,000 of them.

Masks here come from a seeded ``torch.Generator`` (``nn.Dropout`` draws from PyTorch's global
random state, which a shared server cannot seed for one user); :func:`nn_dropout_check` runs the
real ``nn.Dropout`` on the same activations and compares what does not depend on the draw: the
kept values equal ``h / (1 - p)``, the dropped fraction is close to ``p``, eval mode is the
identity. The article 「深度学习之卷积神经网络(Convolutional Neural Networks, CNN)」 writes its ``p``
for the probability of *keeping* a unit and divides by it: the same scheme, with
``p_keep = 1 - p``.

Lesson: the /regularize page (dropout).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.concepts.gradients import init_weight, shapes_batch
from cnnviz.concepts.inputs import ConceptError

__all__ = [
    "MAX_P",
    "DropoutCheck",
    "DropoutDemo",
    "check_p",
    "dropout_demo",
    "layer_activations",
    "nn_dropout_check",
]

MAX_P = 0.95
NUM_UNITS = 16


def check_p(p: object) -> float:
    """``p`` in [0, 0.95], else ``why.reg.bad_p`` (p = 1 drops everything and divides by 0)."""
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= MAX_P:
        shown = f"{p:g}" if isinstance(p, (int, float)) else repr(p)
        raise ConceptError("why.reg.bad_p", value=shown, high=f"{MAX_P:g}")
    return float(p)


def layer_activations(picture: int = 0) -> np.ndarray:
    """One layer's 16 activations: ``ReLU(W x + b)`` of a seeded linear layer on shapes picture
    ``picture`` (7x7 average-pooled, flattened to 49 inputs)."""
    if isinstance(picture, bool) or not isinstance(picture, int) or not 0 <= picture < 32:
        raise ConceptError(
            "why.input.out_of_range", name="picture", value=f"{picture}", low=0, high=31
        )
    x, _ = shapes_batch(32, seed=0)
    generator = torch.Generator().manual_seed(0)
    weight, bias = init_weight((NUM_UNITS, 49), "kaiming", generator)
    return F.relu(F.linear(x[picture].flatten(), weight, bias + 0.1)).numpy()


@dataclass(frozen=True, eq=False)
class DropoutDemo:
    """One mask and 1,000 masks of inverted dropout on ``activations``.

    ``keep``: the seeded mask (True = kept); ``train``: ``h * m / (1 - p)``; ``eval``: ``h``;
    ``running_mean[k]``: the mean train output over the first ``k + 1`` masks ``(M, K)``;
    ``distance[k]``: ``||running_mean[k] - h|| / ||h||``.
    """

    activations: np.ndarray  # (K,)
    p: float
    seed: int
    keep: np.ndarray  # (K,) bool
    train: np.ndarray  # (K,)
    eval: np.ndarray  # (K,)
    running_mean: np.ndarray  # (M, K)
    distance: np.ndarray  # (M,)

    @property
    def scale(self) -> float:
        """``1 / (1 - p)``: what every kept activation is multiplied by in training."""
        return 1.0 / (1.0 - self.p)

    @property
    def sums(self) -> tuple[float, float, float]:
        """``(sum h, sum of this mask's output, sum of the 1,000-mask mean)``."""
        return float(self.eval.sum()), float(self.train.sum()), float(self.running_mean[-1].sum())


def _masks(shape: tuple[int, ...], p: float, seed: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(int(seed))
    probs = torch.full(shape, 1.0 - p, dtype=torch.float64)
    return torch.bernoulli(probs, generator=generator)


def dropout_demo(
    activations: np.ndarray, p: float, *, seed: int = 0, masks: int = 1000
) -> DropoutDemo:
    """Mask number ``seed``'s output, and the running mean over ``masks`` seeded masks."""
    rate = check_p(p)
    h = torch.tensor(np.asarray(activations, dtype=np.float64))  # (K,)
    scale = 1.0 / (1.0 - rate)
    first = _masks(tuple(h.shape), rate, seed)
    many = _masks((int(masks), *h.shape), rate, seed + 1_000_003)  # (M, K), another stream
    outputs = h * many * scale  # (M, K)
    counts = torch.arange(1, int(masks) + 1, dtype=torch.float64).unsqueeze(1)
    running = outputs.cumsum(0) / counts
    norm = float(h.norm()) or 1.0
    distance = (running - h).norm(dim=1) / norm
    return DropoutDemo(
        activations=h.numpy(),
        p=rate,
        seed=int(seed),
        keep=first.bool().numpy(),
        train=(h * first * scale).numpy(),
        eval=h.numpy(),
        running_mean=running.numpy(),
        distance=distance.numpy(),
    )


@dataclass(frozen=True)
class DropoutCheck:
    """What the real ``nn.Dropout(p)`` did to the same activations over ``draws`` calls."""

    draws: int
    dropped_fraction: float
    kept_values_match: bool
    eval_is_identity: bool
    mean_gap: float  # ||mean of the draws - h|| / ||h||


def nn_dropout_check(activations: np.ndarray, p: float, *, draws: int = 1000) -> DropoutCheck:
    """Run ``nn.Dropout(p)`` ``draws`` times in train mode and once in eval mode.

    Only the draw-independent facts are compared (nn.Dropout uses the global random state)."""
    rate = check_p(p)
    h = torch.tensor(np.asarray(activations, dtype=np.float64))
    layer = nn.Dropout(rate)
    batch = h.expand(int(draws), -1)  # (M, K): one independent mask per row
    out = layer.train()(batch)
    nonzero = h != 0
    kept = (out != 0) & nonzero
    expected = (h / (1 - rate)).expand_as(out)
    kept_match = bool(torch.allclose(out[kept], expected[kept]))
    dropped = float((out[:, nonzero] == 0).double().mean()) if bool(nonzero.any()) else 0.0
    eval_same = bool(torch.equal(layer.eval()(h), h))
    norm = float(h.norm()) or 1.0
    gap = float((out.mean(0) - h).norm()) / norm
    return DropoutCheck(int(draws), dropped, kept_match, eval_same, gap)
