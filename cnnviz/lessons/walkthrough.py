"""The seed-003 worked example, computed: every intermediate, the checks, and the article's mistakes.

The article ("[深度学习] 卷积神经网络CNN", section 二) runs a 5x5 input through
conv 3x3 vertical edge (same) -> ReLU -> max-pool 2x2 -> conv 3x3 horizontal edge (same) -> ReLU ->
max-pool 2x2 -> flatten -> dense(3) -> softmax, by hand. The dense weights are the ones its text
states (``[1.176856, -0.25833628, 1.3403485]``, biases 0); its code draws random ones instead, so we use
the stated numbers. Convolutions are cross-correlations, as in Keras and PyTorch.

Its hand calculations contain mistakes: a first pass over conv 1 with wrong window values, and a
"softmax" with a negative probability. :func:`run_walkthrough` recomputes everything with
the NumPy reference ops (:mod:`cnnviz.ops.conv`, :mod:`cnnviz.ops.pool`, :mod:`cnnviz.ops.dense`)
and lists each mistake as data.

Lesson: "Worked example".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from cnnviz.lessons.kernels import named_kernel
from cnnviz.lessons.samples import SEED003_INPUT
from cnnviz.net import conv_output_formula, linear_params_formula, pool_output_formula, unreached
from cnnviz.ops import conv2d, dense, max_pool2d, pad2d, relu, resolve_padding, softmax

__all__ = [
    "ARTICLE_CONV1_FIRST_PASS",
    "ARTICLE_LOGITS",
    "ARTICLE_SOFTMAX",
    "DENSE_BIAS",
    "DENSE_WEIGHT",
    "ArticleMistake",
    "Check",
    "Stage",
    "Walkthrough",
    "run_walkthrough",
]

#: Dense layer as the article's text states it: 3 neurons, one input (the flattened 1x1 map).
DENSE_WEIGHT: Final[np.ndarray] = np.array([[1.176856], [-0.25833628], [1.3403485]])
DENSE_BIAS: Final[np.ndarray] = np.zeros(3)

#: The article's first hand pass over conv 1, positions (row, col) -> value it wrote.
ARTICLE_CONV1_FIRST_PASS: Final[dict[tuple[int, int], float]] = {
    (0, 0): -3,
    (0, 1): -5,
    (0, 2): 0,
    (0, 3): 4,
    (0, 4): 3,
    (1, 0): -6,
    (1, 1): -6,
    (1, 2): 0,
    (1, 3): 6,
    (1, 4): 5,
    (2, 0): -9,
    (2, 1): -4,
    (2, 2): 2,
    (2, 3): 6,
    (2, 4): 6,
}
#: The article's final conv-1 feature map (its second pass), which is right.
ARTICLE_CONV1_MAP: Final[np.ndarray] = np.array(
    [[-3, -4, 0, 4, 3], [-6, -6, 0, 6, 6], [-7, -6, 0, 6, 7], [-6, -6, 0, 6, 6], [-3, -4, 0, 4, 3]],
    dtype=np.float64,
)
ARTICLE_LOGITS: Final[np.ndarray] = np.array([7.0611362, -1.5500176, 8.042091])
ARTICLE_SOFTMAX: Final[np.ndarray] = np.array(
    [0.5209936545215091, -0.11436535298620337, 0.5933716984646943]
)


@dataclass(frozen=True)
class Stage:
    """One step of the pipeline: ``key`` names it in the catalog (``walk.stage.<key>``)."""

    key: str
    value: np.ndarray
    formula: str  # the output-size or parameter formula with the numbers filled in ("" if none)


@dataclass(frozen=True)
class Check:
    """A check a learner can make; ``key`` is a catalog key ``walk.check.<key>``."""

    key: str
    passed: bool
    detail: str  # the numbers behind it, language-neutral


@dataclass(frozen=True)
class ArticleMistake:
    """Where the article's hand calculation is wrong: its value against the computed one.

    ``note`` is a catalog key (``walk.mistake.<...>``) that says why it is wrong.
    """

    stage: str
    where: str
    article: str
    correct: str
    note: str


@dataclass(frozen=True)
class Walkthrough:
    """Every intermediate of the seed-003 pipeline (float64 arrays) plus checks and mistakes."""

    input: np.ndarray  # (5, 5)
    kernel1: np.ndarray  # (3, 3) vertical edge
    padded1: np.ndarray  # (7, 7)
    conv1: np.ndarray  # (5, 5)
    relu1: np.ndarray  # (5, 5)
    pool1: np.ndarray  # (2, 2)
    kernel2: np.ndarray  # (3, 3) horizontal edge
    padded2: np.ndarray  # (4, 4)
    conv2: np.ndarray  # (2, 2)
    relu2: np.ndarray  # (2, 2)
    pool2: np.ndarray  # (1, 1)
    flat: np.ndarray  # (1,)
    dense_weight: np.ndarray  # (3, 1)
    dense_bias: np.ndarray  # (3,)
    logits: np.ndarray  # (3,)
    probabilities: np.ndarray  # (3,)
    predicted: int
    dropped_by_pool1: tuple[int, int]  # rows, cols of relu1 that no 2x2 window reaches
    stages: tuple[Stage, ...]
    checks: tuple[Check, ...]
    mistakes: tuple[ArticleMistake, ...]


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def _vector(values: np.ndarray) -> str:
    return "[" + ", ".join(_fmt(v) for v in np.asarray(values).ravel()) + "]"


def run_walkthrough() -> Walkthrough:
    """Compute the whole seed-003 pipeline and compare it with the article."""
    x = SEED003_INPUT.astype(np.float64)  # (5, 5)
    k1 = named_kernel("vertical_edge").values
    k2 = named_kernel("horizontal_edge").values
    pads1 = resolve_padding("same", 3)
    padded1 = pad2d(x, *pads1)
    conv1 = conv2d(x[None], k1[None, None], None, 1, "same")[0]  # (5, 5)
    relu1 = relu(conv1)
    pool1, _ = max_pool2d(relu1[None], 2, 2)
    pool1 = pool1[0]  # (2, 2)
    padded2 = pad2d(pool1, *resolve_padding("same", 3))
    conv2 = conv2d(pool1[None], k2[None, None], None, 1, "same")[0]  # (2, 2)
    relu2 = relu(conv2)
    pool2 = max_pool2d(relu2[None], 2, 2)[0][0]  # (1, 1)
    flat = pool2.ravel()  # (1,)
    logits = dense(flat, DENSE_WEIGHT, DENSE_BIAS)  # (3,)
    probs = softmax(logits)

    stages = (
        Stage("input", x, ""),
        Stage("padded1", padded1, "5 + 1 + 1 = 7"),
        Stage("conv1", conv1, conv_output_formula(5, 3, 1, 1)),
        Stage("relu1", relu1, ""),
        Stage("pool1", pool1, pool_output_formula(5, 2, 2)),
        Stage("padded2", padded2, "2 + 1 + 1 = 4"),
        Stage("conv2", conv2, conv_output_formula(2, 3, 1, 1)),
        Stage("relu2", relu2, ""),
        Stage("pool2", pool2, pool_output_formula(2, 2, 2)),
        Stage("flat", flat, "1 * 1 * 1 = 1"),
        Stage("logits", logits, linear_params_formula(1, 3)),
        Stage("probabilities", probs, ""),
    )

    article_probs_ok = bool((ARTICLE_SOFTMAX > 0).all())
    checks = (
        Check("probs_positive", bool((probs > 0).all()), _vector(np.round(probs, 6))),
        Check("probs_sum", bool(abs(probs.sum() - 1) < 1e-12), f"{probs.sum():.12f}"),
        Check(
            "order_kept",
            int(np.argmax(probs)) == int(np.argmax(logits)),
            f"argmax = {int(np.argmax(logits))}",
        ),
        Check("same_size", conv1.shape == x.shape, f"{x.shape} -> {conv1.shape}"),
        Check("article_probs_positive", article_probs_ok, _vector(ARTICLE_SOFTMAX)),
        Check(
            "article_map_right",
            bool(np.array_equal(ARTICLE_CONV1_MAP, conv1)),
            f"{int((conv1 != ARTICLE_CONV1_MAP).sum())} / 25",
        ),
        Check(
            "article_logits_right",
            bool(np.allclose(ARTICLE_LOGITS, logits, atol=1e-6)),
            _vector(np.round(logits, 7)),
        ),
    )

    mistakes: list[ArticleMistake] = []
    for (i, j), said in ARTICLE_CONV1_FIRST_PASS.items():
        if said != conv1[i, j]:
            mistakes.append(
                ArticleMistake(
                    "conv1", f"({i}, {j})", _fmt(said), _fmt(conv1[i, j]), "walk.mistake.window"
                )
            )
    if not article_probs_ok:
        mistakes.append(
            ArticleMistake(
                "probabilities",
                "softmax",
                _vector(ARTICLE_SOFTMAX),
                _vector(np.round(probs, 6)),
                "walk.mistake.softmax",
            )
        )
    rows_dropped = unreached(5, 2, 2)
    return Walkthrough(
        input=x,
        kernel1=k1,
        padded1=padded1,
        conv1=conv1,
        relu1=relu1,
        pool1=pool1,
        kernel2=k2,
        padded2=padded2,
        conv2=conv2,
        relu2=relu2,
        pool2=pool2,
        flat=flat,
        dense_weight=DENSE_WEIGHT,
        dense_bias=DENSE_BIAS,
        logits=logits,
        probabilities=probs,
        predicted=int(np.argmax(probs)),
        dropped_by_pool1=(rows_dropped, rows_dropped),
        stages=stages,
        checks=checks,
        mistakes=tuple(mistakes),
    )
