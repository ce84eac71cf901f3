"""Metric learning on 2-D points: contrastive and triplet losses, with the pull on every point.

Contrastive loss of a pair at distance ``d`` (the form of 「[深度学习] 卷积神经网络CNN」):
``y d^2 + (1 - y) max(0, m - d)^2``, ``y = 1`` for a similar pair: similar pairs are pulled
together, dissimilar ones pushed apart until they are ``m`` away. Triplet loss
(``F.triplet_margin_loss``): ``max(0, d(a, p) - d(a, n) + m)``: the anchor must be closer to the
positive than to the negative by the margin ``m``; a triplet that already is costs nothing.
Distances are ``F.pairwise_distance`` (Euclidean, with PyTorch's ``eps = 1e-6``). Every gradient
(``dL/d point``) comes from autograd; a point moves along ``-grad``.

Lesson: the /losses page (metric learning).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.concepts.inputs import ConceptError, check_finite, check_range

__all__ = ["MAX_COORD", "MetricLosses", "contrastive_loss", "metric_losses"]

MAX_COORD = 10.0


def contrastive_loss(distance: torch.Tensor, similar: torch.Tensor, margin: float) -> torch.Tensor:
    """``y d^2 + (1 - y) max(0, m - d)^2`` per pair (``similar`` is ``y``: 1 or 0)."""
    return similar * distance**2 + (1 - similar) * torch.clamp(margin - distance, min=0) ** 2


@dataclass(frozen=True, eq=False)
class MetricLosses:
    """Anchor, positive and negative, their distances, the losses and each point's gradient.

    ``contrastive``: the pair (a, p) as similar plus the pair (a, n) as dissimilar;
    ``*_grads``: ``(3, 2)`` arrays, rows anchor, positive, negative.
    """

    points: np.ndarray  # (3, 2)
    margin: float
    d_pos: float
    d_neg: float
    contrastive_pos: float
    contrastive_neg: float
    triplet: float
    contrastive_grads: np.ndarray  # (3, 2)
    triplet_grads: np.ndarray  # (3, 2)

    @property
    def contrastive(self) -> float:
        """The two pairs' contrastive losses together."""
        return self.contrastive_pos + self.contrastive_neg


def _points(
    anchor: Sequence[float], positive: Sequence[float], negative: Sequence[float]
) -> torch.Tensor:
    rows = []
    for point in (anchor, positive, negative):
        if len(point) != 2:
            raise ConceptError("why.input.ragged", first=2, second=len(point))
        check_finite(point)
        for value in point:
            check_range(value, -MAX_COORD, MAX_COORD, name="x, y")
        rows.append([float(v) for v in point])
    return torch.tensor(rows, dtype=torch.float64)  # (3, 2)


def metric_losses(
    anchor: Sequence[float],
    positive: Sequence[float],
    negative: Sequence[float],
    margin: float = 1.0,
) -> MetricLosses:
    """Contrastive and triplet losses of three 2-D points (coordinates within +-10) with the
    margin ``m`` in [0, 10], and ``dL/d point`` for each loss by autograd."""
    m = check_range(margin, 0.0, 10.0, name="margin")
    base = _points(anchor, positive, negative)

    contrastive_points = base.clone().requires_grad_(True)
    a, p, n = contrastive_points.unsqueeze(1)  # each (1, 2)
    d_pos = F.pairwise_distance(a, p)
    d_neg = F.pairwise_distance(a, n)
    pos = contrastive_loss(d_pos, torch.ones(1, dtype=torch.float64), m)
    neg = contrastive_loss(d_neg, torch.zeros(1, dtype=torch.float64), m)
    (contrastive_grads,) = torch.autograd.grad((pos + neg).sum(), contrastive_points)

    triplet_points = base.clone().requires_grad_(True)
    a, p, n = triplet_points.unsqueeze(1)
    triplet = F.triplet_margin_loss(a, p, n, margin=m)
    (triplet_grads,) = torch.autograd.grad(triplet, triplet_points)
    return MetricLosses(
        points=base.numpy(),
        margin=m,
        d_pos=float(d_pos.detach()),
        d_neg=float(d_neg.detach()),
        contrastive_pos=float(pos.detach()),
        contrastive_neg=float(neg.detach()),
        triplet=float(triplet.detach()),
        contrastive_grads=contrastive_grads.numpy(),
        triplet_grads=triplet_grads.numpy(),
    )
