"""The loss catalogue: each loss's value and its gradient, from ``torch.nn.functional`` and autograd.

Regression losses compare predictions ``y_hat`` with targets ``y`` (same length):
MSE ``mean (y_hat - y)^2``, MAE ``mean |y_hat - y|``, smooth L1 (``beta``) and Huber (``delta``;
``huber = delta * smooth_l1`` when ``beta = delta``). Classification losses take logits ``z`` and a
class ``t``: binary cross-entropy with logits (each class its own yes/no question against the
one-hot target), cross-entropy, NLL of ``log_softmax`` (the same number: cross-entropy *is* NLL
after log-softmax), the multi-class hinge of an SVM
(``sum_{j != t} max(0, margin - z_t + z_j) / K``), KL divergence from a label-smoothed target
(``KL = CE - H(p)``) and the focal loss ``-(1 - p_t)^gamma ln p_t`` (Lin et al. 2017), written
here from its formula. Every gradient is ``d loss / d input`` by autograd.

The article 「[深度学习] 卷积神经网络CNN」 lists most of these (and Dice for segmentation);
「关于卷积神经网络损失函数的改进算法」 lists SSIM for images (see :mod:`cnnviz.concepts.images`).

Lesson: the /losses page (the catalogue, and each loss against the true class's probability).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.concepts.inputs import ConceptError, check_finite, check_index, check_range, same_length
from cnnviz.concepts.softmax import check_logits

__all__ = [
    "CLASSIFICATION_LOSSES",
    "CURVE_LOSSES",
    "REGRESSION_LOSSES",
    "LossEntry",
    "LossSettings",
    "classification_catalogue",
    "focal_loss",
    "loss_curves",
    "regression_catalogue",
    "sigmoid_focal_loss",
    "smoothed_target",
]

REGRESSION_LOSSES: tuple[str, ...] = ("mse", "mae", "smooth_l1", "huber")
CLASSIFICATION_LOSSES: tuple[str, ...] = ("bce_logits", "ce", "nll", "hinge", "kl", "focal")
#: Losses drawn against the true class's probability (NLL is CE: drawn once).
CURVE_LOSSES: tuple[str, ...] = ("mse", "mae", "huber", "bce_logits", "ce", "hinge", "kl", "focal")
MAX_PREDICTION = 1e4


@dataclass(frozen=True)
class LossSettings:
    """The knobs of the catalogue: Huber's ``delta`` (smooth L1's ``beta``), the hinge margin,
    the focal ``gamma`` and the label smoothing of the KL target."""

    delta: float = 1.0
    margin: float = 1.0
    gamma: float = 2.0
    smoothing: float = 0.1

    def __post_init__(self) -> None:
        check_range(self.delta, 0.01, 10.0, name="delta")
        check_range(self.margin, 0.0, 10.0, name="margin")
        check_range(self.gamma, 0.0, 5.0, name="gamma")
        check_range(self.smoothing, 0.0, 0.99, name="smoothing")


@dataclass(frozen=True, eq=False)
class LossEntry:
    """One loss: its key, value, gradient with respect to its input (``wrt``: "predictions" or
    "logits") and the PyTorch call that computed it."""

    key: str
    value: float
    grad: np.ndarray  # (K,)
    wrt: str
    call: str


def focal_loss(
    logits: torch.Tensor, target: torch.Tensor, gamma: float, reduction: str = "mean"
) -> torch.Tensor:
    """Multi-class focal loss ``-(1 - p_t)^gamma ln p_t`` with ``p = softmax(z)``, per sample
    (``reduction="none"``) or its mean. ``gamma = 0`` is cross-entropy. ``logits`` ``(N, K)``,
    ``target`` ``(N,)``."""
    log_p = F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)  # (N,)
    loss = -((1 - log_p.exp()) ** gamma) * log_p
    return loss if reduction == "none" else loss.mean()


def sigmoid_focal_loss(
    logits: torch.Tensor, targets: torch.Tensor, gamma: float, alpha: float = -1.0
) -> torch.Tensor:
    """Binary focal loss per element, summed: ``-alpha_t (1 - p_t)^gamma ln p_t`` with ``p =
    sigmoid(z)``, ``p_t = p`` where the target is 1 else ``1 - p`` (``alpha < 0``: no weighting).
    The per-class form of RetinaNet, as ``torchvision.ops.sigmoid_focal_loss`` (tested)."""
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")  # -ln p_t
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return loss.sum()


def smoothed_target(num_classes: int, target: int, smoothing: float) -> torch.Tensor:
    """The label-smoothed one-hot distribution: ``1 - s + s/K`` on ``target``, ``s/K`` elsewhere."""
    p = torch.full((num_classes,), smoothing / num_classes, dtype=torch.float64)
    p[target] += 1.0 - smoothing
    return p


def _entry(key: str, x: torch.Tensor, loss: torch.Tensor, wrt: str, call: str) -> LossEntry:
    (grad,) = torch.autograd.grad(loss, x)
    return LossEntry(key, float(loss.detach()), grad.numpy().reshape(-1), wrt, call)


def regression_catalogue(
    predictions: Sequence[float], targets: Sequence[float], settings: LossSettings
) -> tuple[LossEntry, ...]:
    """MSE, MAE, smooth L1 and Huber of ``predictions`` against ``targets`` (same length, at
    most 32 finite numbers each, within +-1e4), with ``d loss / d predictions``."""
    check_finite(predictions)
    check_finite(targets)
    same_length(predictions, targets)
    if not predictions:
        raise ConceptError("why.input.empty")
    for values in (predictions, targets):
        for position, value in enumerate(values, start=1):
            if abs(value) > MAX_PREDICTION:
                raise ConceptError(
                    "why.input.too_large", position=position, value=f"{value:g}", bound="1e+04"
                )
    y = torch.tensor(list(targets), dtype=torch.float64)
    delta = settings.delta

    def fresh() -> torch.Tensor:
        return torch.tensor(list(predictions), dtype=torch.float64, requires_grad=True)

    x = [fresh() for _ in REGRESSION_LOSSES]
    return (
        _entry("mse", x[0], F.mse_loss(x[0], y), "predictions", "F.mse_loss(y_hat, y)"),
        _entry("mae", x[1], F.l1_loss(x[1], y), "predictions", "F.l1_loss(y_hat, y)"),
        _entry(
            "smooth_l1",
            x[2],
            F.smooth_l1_loss(x[2], y, beta=delta),
            "predictions",
            f"F.smooth_l1_loss(y_hat, y, beta={delta:g})",
        ),
        _entry(
            "huber",
            x[3],
            F.huber_loss(x[3], y, delta=delta),
            "predictions",
            f"F.huber_loss(y_hat, y, delta={delta:g})",
        ),
    )


def classification_catalogue(
    logits: Sequence[float], target: int, settings: LossSettings
) -> tuple[LossEntry, ...]:
    """Every classification loss of ``logits`` against class ``target``, with ``d loss / d z``."""
    values = check_logits(logits)
    check_index(target, len(values))
    num_classes = len(values)
    t = torch.tensor([target])
    onehot = F.one_hot(t, num_classes).double()  # (1, K)
    p_smooth = smoothed_target(num_classes, target, settings.smoothing).unsqueeze(0)
    gamma, margin, s = settings.gamma, settings.margin, settings.smoothing

    def fresh() -> torch.Tensor:
        return torch.tensor([values], dtype=torch.float64, requires_grad=True)  # (1, K)

    z = [fresh() for _ in CLASSIFICATION_LOSSES]
    entries = (
        _entry(
            "bce_logits",
            z[0],
            F.binary_cross_entropy_with_logits(z[0], onehot),
            "logits",
            "F.binary_cross_entropy_with_logits(z, onehot(t))",
        ),
        _entry("ce", z[1], F.cross_entropy(z[1], t), "logits", "F.cross_entropy(z, t)"),
        _entry(
            "nll",
            z[2],
            F.nll_loss(F.log_softmax(z[2], dim=1), t),
            "logits",
            "F.nll_loss(F.log_softmax(z, dim=1), t)",
        ),
        _entry(
            "hinge",
            z[3],
            F.multi_margin_loss(z[3], t, margin=margin),
            "logits",
            f"F.multi_margin_loss(z, t, margin={margin:g})",
        ),
        _entry(
            "kl",
            z[4],
            F.kl_div(F.log_softmax(z[4], dim=1), p_smooth, reduction="batchmean"),
            "logits",
            f"F.kl_div(F.log_softmax(z, dim=1), smooth(t, {s:g}), reduction='batchmean')",
        ),
        _entry(
            "focal",
            z[5],
            focal_loss(z[5], t, gamma),
            "logits",
            f"focal_loss(z, t, gamma={gamma:g})",
        ),
    )
    return entries


def loss_curves(
    num_classes: int, settings: LossSettings, points: int = 199
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``(p, {loss: values})``: every loss of :data:`CURVE_LOSSES` as the predicted probability
    of the true class goes from 0 to 1 (exclusive), the rest shared equally by the other
    ``K - 1`` classes.

    Each point is a real prediction: probabilities ``q`` (logits ``ln q``) against class 0.
    MSE, MAE and Huber compare ``q`` with the one-hot target; binary cross-entropy asks "is it
    the true class?" of ``p`` alone (``-ln p``); the others take the logits ``ln q``.
    """
    num_classes = int(check_range(num_classes, 2, 32, name="classes"))
    p = torch.linspace(0.0, 1.0, points + 2, dtype=torch.float64)[1:-1]  # (P,)
    rest = ((1 - p) / (num_classes - 1)).unsqueeze(1).expand(-1, num_classes - 1)
    q = torch.cat([p.unsqueeze(1), rest], dim=1)  # (P, K), class 0 is the true one
    z = q.log()
    t = torch.zeros(points, dtype=torch.long)
    onehot = F.one_hot(t, num_classes).double()
    smooth = smoothed_target(num_classes, 0, settings.smoothing).expand(points, -1)
    delta = settings.delta
    curves = {
        "mse": F.mse_loss(q, onehot, reduction="none").mean(dim=1),
        "mae": F.l1_loss(q, onehot, reduction="none").mean(dim=1),
        "huber": F.huber_loss(q, onehot, delta=delta, reduction="none").mean(dim=1),
        "bce_logits": F.binary_cross_entropy_with_logits(
            torch.logit(p), torch.ones_like(p), reduction="none"
        ),
        "ce": F.cross_entropy(z, t, reduction="none"),
        "hinge": F.multi_margin_loss(z, t, margin=settings.margin, reduction="none"),
        "kl": F.kl_div(F.log_softmax(z, dim=1), smooth, reduction="none").sum(dim=1),
        "focal": focal_loss(z, t, settings.gamma, reduction="none"),
    }
    return p.numpy(), {key: value.numpy() for key, value in curves.items()}
