"""Softmax with a temperature, and cross-entropy with its formula filled in.

``softmax(z / T)_k = exp(z_k / T) / sum_j exp(z_j / T)``; cross-entropy against class ``t`` is
``-ln softmax(z / T)_t`` (``F.cross_entropy``, computed as a log-sum-exp so large logits do not
overflow), and its gradient with respect to the logits, from autograd, is
``(softmax(z / T) - onehot(t)) / T``.

The article 「深度学习|卷积的平移不变性公式,卷积减少参数的方法」 gives a 10-class prediction ``q``
(rounded to 4 decimals: it sums to 0.9999) for a picture of class 4;
:func:`probability_cross_entropy` computes ``-ln q_4`` from it as given.
The logits ``ln q`` give the same probabilities up to that rounding (softmax ignores a constant
added to every logit).

Lesson: the /losses page (softmax and cross-entropy).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.concepts.inputs import ConceptError, check_finite, check_index, check_range

__all__ = [
    "MAX_LOGIT",
    "MAX_TEMPERATURE",
    "MIN_TEMPERATURE",
    "SEED001_PREDICTION",
    "SEED001_TARGET",
    "ProbabilityCE",
    "SoftmaxResult",
    "check_logits",
    "logits_from_probabilities",
    "probability_cross_entropy",
    "softmax_explain",
]

#: The article's prediction for a picture of class 4 (its own numbers: the starting example).
SEED001_PREDICTION: tuple[float, ...] = (
    0.1058,
    0.1043,
    0.0988,
    0.1066,
    0.0875,
    0.0881,
    0.1027,
    0.1046,
    0.1057,
    0.0958,
)
SEED001_TARGET = 4
#: Logits beyond +-100 saturate softmax completely (e^100 ~ 2.7e43): the page refuses them.
MAX_LOGIT = 100.0
MIN_TEMPERATURE = 0.05
MAX_TEMPERATURE = 20.0
MAX_CLASSES = 32
_SUM_TOLERANCE = 0.01


@dataclass(frozen=True, eq=False)
class SoftmaxResult:
    """Softmax of ``logits / temperature``, cross-entropy against ``target`` and its gradient.

    ``grad``: ``dL/dz`` from autograd; ``loss``: ``F.cross_entropy``; ``target_probability``:
    ``softmax(z / T)_t``, the number inside ``-ln``.
    """

    logits: np.ndarray  # (K,)
    temperature: float
    target: int
    probabilities: np.ndarray  # (K,)
    loss: float
    grad: np.ndarray  # (K,)
    target_probability: float
    predicted: int


def check_logits(values: Sequence[float]) -> tuple[float, ...]:
    """At least 2, at most 32 finite logits within +-:data:`MAX_LOGIT`, else :class:`ConceptError`."""
    check_finite(values)
    if len(values) < 2:
        raise ConceptError("why.input.too_short", count=len(values), minimum=2)
    if len(values) > MAX_CLASSES:
        raise ConceptError("why.input.too_long", count=len(values), maximum=MAX_CLASSES)
    for position, value in enumerate(values, start=1):
        if abs(value) > MAX_LOGIT:
            raise ConceptError(
                "why.loss.logit_too_large",
                position=position,
                value=f"{value:g}",
                bound=f"{MAX_LOGIT:g}",
            )
    return tuple(float(v) for v in values)


def softmax_explain(
    logits: Sequence[float], target: int, temperature: float = 1.0
) -> SoftmaxResult:
    """Softmax, cross-entropy and ``dL/dz`` (autograd) for ``logits``, class ``target`` and
    temperature ``T`` in [0.05, 20]."""
    values = check_logits(logits)
    check_index(target, len(values))
    temp = check_range(temperature, MIN_TEMPERATURE, MAX_TEMPERATURE, name="T")
    z = torch.tensor(values, dtype=torch.float64, requires_grad=True)  # (K,)
    scaled = (z / temp).unsqueeze(0)  # (1, K)
    loss = F.cross_entropy(scaled, torch.tensor([target]))
    loss.backward()
    assert z.grad is not None
    probabilities = F.softmax(scaled.detach(), dim=1)[0]
    return SoftmaxResult(
        logits=z.detach().numpy(),
        temperature=temp,
        target=target,
        probabilities=probabilities.numpy(),
        loss=float(loss.detach()),
        grad=z.grad.numpy(),
        target_probability=float(probabilities[target]),
        predicted=int(probabilities.argmax()),
    )


@dataclass(frozen=True, eq=False)
class ProbabilityCE:
    """Cross-entropy of a prediction given as probabilities ``q``: ``-sum_k p_k ln q_k = -ln q_t``
    (``F.nll_loss`` of ``ln q``); ``total``: the sum of the ``q`` as typed."""

    probabilities: np.ndarray  # (K,)
    target: int
    loss: float
    total: float


def _check_probabilities(values: Sequence[float]) -> tuple[float, ...]:
    check_finite(values)
    if len(values) < 2:
        raise ConceptError("why.input.too_short", count=len(values), minimum=2)
    if len(values) > MAX_CLASSES:
        raise ConceptError("why.input.too_long", count=len(values), maximum=MAX_CLASSES)
    for position, value in enumerate(values, start=1):
        if not 0.0 < value <= 1.0:
            raise ConceptError("why.loss.bad_probability", position=position, value=f"{value:g}")
    total = sum(values)
    if abs(total - 1.0) > _SUM_TOLERANCE:
        raise ConceptError("why.loss.bad_sum", total=f"{total:.4f}")
    return tuple(float(v) for v in values)


def probability_cross_entropy(probabilities: Sequence[float], target: int) -> ProbabilityCE:
    """``-ln q_target`` of probabilities that sum to 1 (within 0.01, for rounding), by
    ``F.nll_loss(torch.log(q), target)``."""
    values = _check_probabilities(probabilities)
    check_index(target, len(values))
    q = torch.tensor(values, dtype=torch.float64)
    loss = F.nll_loss(torch.log(q).unsqueeze(0), torch.tensor([target]))
    return ProbabilityCE(q.numpy(), target, float(loss), float(q.sum()))


def logits_from_probabilities(probabilities: Sequence[float]) -> tuple[float, ...]:
    """``ln q``: logits whose softmax is ``q / sum(q)`` (softmax ignores a shared constant)."""
    values = _check_probabilities(probabilities)
    return tuple(float(v) for v in torch.log(torch.tensor(values, dtype=torch.float64)))
