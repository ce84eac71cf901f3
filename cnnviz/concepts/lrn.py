"""AlexNet's local response normalisation, with the learner's numbers, in both alpha conventions.

The paper (Krizhevsky et al. 2012) writes, for channel ``i`` of ``N`` at one position,
``b_i = a_i / (k + alpha * sum_{j = max(0, i - n/2)}^{min(N - 1, i + n/2)} a_j^2)^beta`` with
``k = 2, n = 5, alpha = 1e-4, beta = 0.75``. PyTorch's ``nn.LocalResponseNorm(size, alpha, beta,
k)`` divides alpha by the window: ``b_i = a_i / (k + alpha / n * sum a_j^2)^beta``. So the paper's
layer is ``nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2)``; passing the paper's 1e-4
straight to PyTorch gives a normalisation five times weaker. (For an even ``n`` PyTorch's window
also differs: ``n`` channels, ``n/2`` before and ``n/2 - 1`` after; the paper's has ``n + 1``.)

The article 「卷积神经网络」 copies the formula with its ``+`` lost and calls ``n`` "the number of
kernels": in the paper ``n`` is the window and ``N`` the number of kernels (channels).

Lesson: the /regularize page (local response normalisation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.concepts.inputs import ConceptError, check_finite, check_range
from cnnviz.net import LocalResponseNormSpec, NetSpec

__all__ = [
    "PAPER_ALPHA",
    "LrnExplained",
    "LrnRow",
    "PresetLrn",
    "lrn_explain",
    "preset_lrn",
]

#: The paper's hyperparameters (its own alpha convention).
PAPER_SIZE = 5
PAPER_ALPHA = 1e-4
PAPER_BETA = 0.75
PAPER_K = 2.0
MAX_CHANNELS = 16


@dataclass(frozen=True)
class LrnRow:
    """One channel: its window ``first..last`` (0-based, inclusive), the sum of squares there,
    the denominator ``(k + alpha * sum)^beta`` and the result ``b_i``."""

    channel: int
    first: int
    last: int
    sum_squares: float
    denominator: float
    value: float


@dataclass(frozen=True, eq=False)
class LrnExplained:
    """The paper's formula row by row, and PyTorch's layer with ``alpha * n`` (the same numbers
    for odd ``n``) and with the paper's alpha passed straight in (``naive``, too weak)."""

    activations: np.ndarray  # (N,)
    size: int
    alpha: float  # the paper's convention
    beta: float
    k: float
    rows: tuple[LrnRow, ...]
    paper: np.ndarray  # (N,)
    torch_matched: np.ndarray  # nn.LocalResponseNorm(size, alpha * size, beta, k)
    torch_naive: np.ndarray  # nn.LocalResponseNorm(size, alpha, beta, k)

    @property
    def torch_alpha(self) -> float:
        """The alpha to give PyTorch for the paper's layer: ``alpha * n``."""
        return self.alpha * self.size

    @property
    def matched_gap(self) -> float:
        """Largest difference between the paper's formula and PyTorch with ``alpha * n``."""
        return float(np.abs(self.paper - self.torch_matched).max())


def lrn_explain(
    activations: Sequence[float],
    *,
    size: int = PAPER_SIZE,
    alpha: float = PAPER_ALPHA,
    beta: float = PAPER_BETA,
    k: float = PAPER_K,
) -> LrnExplained:
    """The paper's LRN of one position's channel values ``a`` (2 to 16 of them, within +-1e3)."""
    check_finite(activations)
    if not 2 <= len(activations) <= MAX_CHANNELS:
        raise ConceptError("why.reg.bad_channels", count=len(activations), maximum=MAX_CHANNELS)
    for value in activations:
        check_range(value, -1e3, 1e3, name="a")
    n = int(check_range(size, 1, 15, name="n"))
    check_range(alpha, 0.0, 10.0, name="alpha")
    check_range(beta, 0.0, 5.0, name="beta")
    check_range(k, 0.0, 100.0, name="k")
    a = torch.tensor([float(v) for v in activations], dtype=torch.float64)  # (N,)
    count = a.numel()
    rows = []
    for i in range(count):
        first, last = max(0, i - n // 2), min(count - 1, i + n // 2)
        sum_squares = float((a[first : last + 1] ** 2).sum())
        denominator = (k + alpha * sum_squares) ** beta
        rows.append(LrnRow(i, first, last, sum_squares, denominator, float(a[i]) / denominator))
    # PyTorch wants (N, C, ...): one sample, the channels, one position
    x = a.view(1, count, 1, 1)
    matched = F.local_response_norm(x, n, alpha=alpha * n, beta=beta, k=k).flatten()
    naive = F.local_response_norm(x, n, alpha=alpha, beta=beta, k=k).flatten()
    return LrnExplained(
        activations=a.numpy(),
        size=n,
        alpha=float(alpha),
        beta=float(beta),
        k=float(k),
        rows=tuple(rows),
        paper=np.array([row.value for row in rows]),
        torch_matched=matched.numpy(),
        torch_naive=naive.numpy(),
    )


@dataclass(frozen=True)
class PresetLrn:
    """One LRN layer of a preset: its number, PyTorch's alpha and size, the paper-convention
    alpha they amount to (``alpha / size``), and whether that is the paper's layer."""

    number: int
    size: int
    torch_alpha: float
    paper_alpha: float
    beta: float
    k: float
    is_paper_layer: bool


def preset_lrn(net: NetSpec) -> tuple[PresetLrn, ...]:
    """Every LRN layer of ``net`` read in both conventions (the AlexNet preset's, for the page)."""
    found = []
    for index, spec in enumerate(net.layers):
        if isinstance(spec, LocalResponseNormSpec):
            paper_alpha = spec.alpha / spec.size
            found.append(
                PresetLrn(
                    number=index + 1,
                    size=spec.size,
                    torch_alpha=spec.alpha,
                    paper_alpha=paper_alpha,
                    beta=spec.beta,
                    k=spec.k,
                    is_paper_layer=(
                        spec.size == PAPER_SIZE
                        and bool(np.isclose(paper_alpha, PAPER_ALPHA))
                        and spec.beta == PAPER_BETA
                        and spec.k == PAPER_K
                    ),
                )
            )
    return tuple(found)
