"""A tiny embedding network trained on the shapes with triplet loss, as a background task.

The network maps a 28x28 shapes picture to a point in the plane (conv 8 -> ReLU -> pool ->
conv 16 -> ReLU -> pool -> linear 32 -> ReLU -> linear 2); a linear head on that point gives the 6
class scores. Each step samples triplets (anchor, a positive of the same class, a negative of
another class) from a seeded generator and minimises one of two objectives:

- ``triplet``: ``F.triplet_margin_loss(e_a, e_p, e_n, margin)`` alone (metric learning);
- ``tcnn``: the objective of 「关于卷积神经网络损失函数的改进算法」, ``L = R + alpha L1 - beta L2``:
  ``R`` the classification loss (cross-entropy of the head on the anchors), ``L1 = 1/2 ||e_p1 -
  e_p2||^2`` for two pictures of one class, ``L2 = 1/2 min_i ||e_n - e_pi||^2`` for a picture of
  another class against the nearer of the two. Nothing bounds ``-beta L2`` from below: pushing
  the other classes away lowers L without end (a triplet margin would stop it).

Every part (R, L1, L2, the triplet loss and L) is measured on every logged batch, whatever the
objective, and the embedding of a fixed set of pictures is sent as it learns.

Lesson: the /losses page (metric learning and the TCNN objective).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.concepts.gradients import init_weight
from cnnviz.concepts.inputs import ConceptError, check_range
from cnnviz.control import Control
from cnnviz.data import SHAPE_CLASSES, make_shapes
from cnnviz.jobs import Progress

__all__ = ["OBJECTIVES", "EmbeddingStep", "EmbeddingTask", "tcnn_parts"]

OBJECTIVES: tuple[str, ...] = ("triplet", "tcnn")
_NUM_CLASSES = len(SHAPE_CLASSES)


@dataclass(frozen=True)
class EmbeddingStep:
    """One logged step: the parts of both objectives on its batch, and the probe pictures'
    2-D embedding (``points`` ``(P, 2)``, classes ``labels`` ``(P,)``)."""

    step: int
    loss: float
    r: float
    l1: float
    l2: float
    triplet: float
    tcnn: float  # R + alpha L1 - beta L2, whatever the objective trained
    points: np.ndarray
    labels: np.ndarray


def tcnn_parts(
    logits: torch.Tensor,
    labels: torch.Tensor,
    anchor: torch.Tensor,
    positive: torch.Tensor,
    negative: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(R, L1, L2)`` of a batch of triplets (embeddings ``(B, D)``), batch means:
    ``R = CE(logits, labels)``, ``L1 = 1/2 ||a - p||^2``, ``L2 = 1/2 min(||n - a||^2, ||n - p||^2)``
    (a and p are the two pictures of one class)."""
    r = F.cross_entropy(logits, labels)
    l1 = 0.5 * ((anchor - positive) ** 2).sum(dim=1).mean()
    to_anchor = ((negative - anchor) ** 2).sum(dim=1)
    to_positive = ((negative - positive) ** 2).sum(dim=1)
    l2 = 0.5 * torch.minimum(to_anchor, to_positive).mean()
    return r, l1, l2


class EmbeddingNet(nn.Module):
    """28x28 picture -> a 2-D point (``embed``) -> 6 class scores (``head``)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 28 -> 14
            nn.Conv2d(8, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 14 -> 7
            nn.Flatten(),
            nn.Linear(16 * 7 * 7, 32),
            nn.ReLU(),
            nn.Linear(32, 2),
        )
        self.head = nn.Linear(2, _NUM_CLASSES)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``(embedding (N, 2), logits (N, 6))``."""
        embedding = self.features(x)
        return embedding, self.head(embedding)


def _seeded_net(generator: torch.Generator) -> EmbeddingNet:
    """An :class:`EmbeddingNet` (float32) with PyTorch's default initialisation drawn from
    ``generator`` (never the global RNG: the task may run in a thread of the app)."""
    with torch.device("meta"):
        model = EmbeddingNet()
    model = model.to_empty(device="cpu")
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                weight, bias = init_weight(tuple(module.weight.shape), "default", generator)
                module.weight.copy_(weight.float())
                if module.bias is not None:
                    module.bias.copy_(bias.float())
    return model


@dataclass(frozen=True)
class EmbeddingTask:
    """Train :class:`EmbeddingNet` for ``steps`` steps of ``batch`` triplets with ``objective``,
    logging every ``every`` steps; picklable (it makes its own data from ``seed``)."""

    objective: str = "triplet"
    margin: float = 1.0
    alpha: float = 0.1
    beta: float = 0.001
    steps: int = 200
    batch: int = 32
    lr: float = 0.003
    every: int = 10
    num_images: int = 600
    probe: int = 240
    seed: int = 0

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ConceptError(
                "why.input.bad_choice", value=self.objective, allowed=", ".join(OBJECTIVES)
            )
        check_range(self.margin, 0.0, 10.0, name="margin")
        check_range(self.alpha, 0.0, 10.0, name="alpha")
        check_range(self.beta, 0.0, 10.0, name="beta")
        check_range(self.steps, 1, 2000, name="steps")
        check_range(self.batch, 2, 256, name="batch")
        check_range(self.every, 1, 1000, name="every")
        check_range(self.num_images, 2 * _NUM_CLASSES, 5000, name="images")

    def _data(self) -> tuple[torch.Tensor, torch.Tensor]:
        images, labels = make_shapes(
            self.num_images, 28, colour=False, noise=0.1, rng=np.random.default_rng(self.seed)
        )
        x = torch.tensor(images)  # (N, 1, 28, 28)
        return (x - x.mean()) / x.std(), torch.tensor(labels)

    def _triplets(
        self, labels: torch.Tensor, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Indices of ``batch`` anchors, positives (same class, another picture) and negatives
        (a picture of another class, the class drawn uniformly among the other five)."""
        order = torch.argsort(labels, stable=True)  # picture indices grouped by class
        counts = torch.bincount(labels, minlength=_NUM_CLASSES)
        starts = torch.cumsum(counts, 0) - counts

        def member(classes: torch.Tensor) -> torch.Tensor:
            """A random picture of each class in ``classes`` (as a rank within its class)."""
            return (torch.rand(classes.shape, generator=generator) * counts[classes]).long()

        anchors = torch.randint(labels.numel(), (self.batch,), generator=generator)
        classes = labels[anchors]
        rank = member(classes)
        positives = order[starts[classes] + rank]
        clash = positives == anchors  # the anchor itself: take the next picture of its class
        positives[clash] = order[starts[classes] + (rank + 1) % counts[classes]][clash]
        shift = torch.randint(1, _NUM_CLASSES, (self.batch,), generator=generator)
        others = (classes + shift) % _NUM_CLASSES
        negatives = order[starts[others] + member(others)]
        return anchors, positives, negatives

    def run(self, control: Control) -> Iterator[object]:
        """:class:`EmbeddingStep` every ``every`` steps (and at step 0), with :class:`Progress`."""
        generator = torch.Generator().manual_seed(self.seed)
        x, labels = self._data()
        model = _seeded_net(generator)
        optimizer = torch.optim.Adam(model.parameters(), lr=self.lr)
        probe_x, probe_y = x[: self.probe], labels[: self.probe]
        for step in range(self.steps + 1):
            control.checkpoint()
            a_idx, p_idx, n_idx = self._triplets(labels, generator)
            embedding, logits = model(torch.cat([x[a_idx], x[p_idx], x[n_idx]]))
            anchor, positive, negative = embedding.split(self.batch)
            r, l1, l2 = tcnn_parts(logits[: self.batch], labels[a_idx], anchor, positive, negative)
            triplet = F.triplet_margin_loss(anchor, positive, negative, margin=self.margin)
            tcnn = r + self.alpha * l1 - self.beta * l2
            loss = triplet if self.objective == "triplet" else tcnn
            if step % self.every == 0 or step == self.steps:
                with torch.no_grad():
                    points, _ = model(probe_x)
                yield EmbeddingStep(
                    step,
                    float(loss.detach()),
                    float(r.detach()),
                    float(l1.detach()),
                    float(l2.detach()),
                    float(triplet.detach()),
                    float(tcnn.detach()),
                    points.numpy().astype(np.float32),
                    probe_y.numpy(),
                )
                yield Progress(step, self.steps)
            if step == self.steps:
                break
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
