"""The mistakes cnnviz found in its five source articles, each with the correct value computed here.

What an article wrote is quoted (the ``ARTICLE_*`` constants and the walkthrough's
``ARTICLE_CONV1_FIRST_PASS``); every correct value is computed by cnnviz (the arithmetic of
:mod:`cnnviz.net.arithmetic`, the NumPy reference ops, the worked example) and tested against
PyTorch in ``tests/test_sources.py``. Each correction is a :class:`~cnnviz.i18n.Message`
(``sources.mistake.<name>``) with the numbers filled in, and the page of the app that shows it.

Lesson: "Sources" (the mistakes under each article).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np

from cnnviz.i18n import Message
from cnnviz.lessons.alexnet_article import ARTICLE_PARAMS
from cnnviz.lessons.walkthrough import ARTICLE_CONV1_FIRST_PASS, run_walkthrough
from cnnviz.net import (
    conv_output_formula,
    conv_output_size,
    conv_params,
    conv_params_formula,
    linear_params,
    linear_params_formula,
)
from cnnviz.ops import max_pool2d, max_pool2d_backward

__all__ = [
    "ARTICLE_ALEXNET_224_QUOTIENT",
    "ARTICLE_ALEXNET_CONV1_PARAMS",
    "ARTICLE_ALEXNET_OUTPUT_PARAMS",
    "HE_EXAMPLE",
    "TIE_WINDOW",
    "Correction",
    "article_tie_gradient",
    "corrections_for",
    "he_std",
]

#: Article 004 ("卷积神经网络 (AlexNet)"): what it wrote (its counts: one table, shown in full
#: on the Build page by :func:`cnnviz.lessons.alexnet_article.article_checks`).
ARTICLE_ALEXNET_CONV1_PARAMS: Final[int] = ARTICLE_PARAMS["conv1"]
ARTICLE_ALEXNET_OUTPUT_PARAMS: Final[int] = ARTICLE_PARAMS["output"]
ARTICLE_ALEXNET_224_QUOTIENT: Final[float] = 54.75  # its "(224 - 11) / 4"
ARTICLE_ALEXNET_227_OUTPUT: Final[int] = 55  # its "(227 - 11) / 4 = 55", with no "+ 1"

#: A 2x2 max-pooling window with a tie, for article 002's backward code (upstream gradient 1).
TIE_WINDOW: Final[tuple[tuple[float, float], tuple[float, float]]] = ((3.0, 3.0), (1.0, 0.0))
#: A 3x3 convolution from 16 to 32 channels: article 002's "variance 2/n" made concrete.
HE_EXAMPLE: Final[tuple[int, int, int]] = (16, 32, 3)  # in_channels, out_channels, kernel_size


@dataclass(frozen=True)
class Correction:
    """One mistake of an article and its correction.

    ``message`` says what the article wrote, what is right and why (catalog
    ``sources.mistake.<name>``, the numbers computed). ``path`` is the url_path of the page that
    shows the correction, or None when this entry is the only place; ``future_path`` is the page
    being built for it (used as soon as it is registered, see :func:`cnnviz.lessons.link_path`).
    """

    message: Message
    path: str | None
    future_path: str = ""


def _int(value: float) -> str:
    return f"{int(value):,}"


def _num(value: float) -> str:
    return f"{value:g}"


def _grid(values: np.ndarray) -> str:
    rows = ("[" + ", ".join(_num(float(v)) for v in row) + "]" for row in np.asarray(values))
    return "[" + ", ".join(rows) + "]"


def article_tie_gradient(window: np.ndarray, upstream: float) -> np.ndarray:
    """Article 002's max-pool backward for one window: ``(window == window.max()) * dout``."""
    window = np.asarray(window, dtype=np.float64)
    return (window == window.max()) * upstream


def he_std(in_channels: int, kernel_size: int) -> float:
    """He (Kaiming) initialisation for ReLU: ``sqrt(2 / fan_in)``, fan_in = ``C_in * k * k``.

    ``nn.init.kaiming_normal_(w, nonlinearity="relu")`` draws with this standard deviation.
    """
    return math.sqrt(2.0 / (in_channels * kernel_size * kernel_size))


def _article_000() -> tuple[Correction, ...]:
    return (
        Correction(Message.of("sources.mistake.underfit_cures"), "lab"),
        Correction(Message.of("sources.mistake.distillation"), None, "prune"),
    )


def _article_001() -> tuple[Correction, ...]:
    return (
        Correction(Message.of("sources.mistake.equivariance"), None, "inside"),
        Correction(Message.of("sources.mistake.keras_comment"), "build"),
    )


def _article_002() -> tuple[Correction, ...]:
    window = np.array(TIE_WINDOW)  # (2, 2)
    said = article_tie_gradient(window, 1.0)
    _, argmax = max_pool2d(window[None], 2, 2)
    right = max_pool2d_backward(np.ones((1, 1, 1)), argmax, (1, 2, 2))[0]  # as F.max_pool2d
    in_channels, out_channels, k = HE_EXAMPLE
    fan_in = in_channels * k * k
    weights = out_channels * fan_in
    std = he_std(in_channels, k)
    wrong_std = math.sqrt(2.0 / weights)
    return (
        Correction(
            Message.of(
                "sources.mistake.pool_ties",
                window=_grid(window),
                said=_grid(said),
                said_total=_num(float(said.sum())),
                correct=_grid(right),
                correct_total=_num(float(right.sum())),
            ),
            "pool",
        ),
        Correction(
            Message.of(
                "sources.mistake.he_fan_in",
                fan_in=_int(fan_in),
                formula=f"{in_channels} × {k} × {k} = {fan_in}",
                std=f"{std:.4f}",
                weights=_int(weights),
                wrong_std=f"{wrong_std:.4f}",
                ratio=f"{std / wrong_std:.2f}",
            ),
            "init",
        ),
        Correction(Message.of("sources.mistake.lr_definition"), "learning-rate"),
    )


def _article_003() -> tuple[Correction, ...]:
    walk = run_walkthrough()
    cells = [m for m in walk.mistakes if m.stage == "conv1"]
    softmax = next(m for m in walk.mistakes if m.stage == "probabilities")
    window = walk.padded1[1:4, 1:4]  # (3, 3): the window of output (1, 1)
    return (
        Correction(
            Message.of(
                "sources.mistake.conv_cells",
                count=len(cells),
                total=len(ARTICLE_CONV1_FIRST_PASS),
                cells="; ".join(f"{m.where}: {m.article} → {m.correct}" for m in cells),
            ),
            "walkthrough",
        ),
        Correction(
            Message.of("sources.mistake.softmax", said=softmax.article, correct=softmax.correct),
            "walkthrough",
        ),
        Correction(
            Message.of(
                "sources.mistake.matmul",
                correct=_num(float((window * walk.kernel1).sum())),  # what the conv computes
                matmul=_num(float((window @ walk.kernel1).sum())),  # what "matrix product" means
            ),
            "conv",
        ),
    )


def _article_004() -> tuple[Correction, ...]:
    conv1 = conv_params(3, 96, (11, 11))
    output = linear_params(4096, 1000)
    return (
        Correction(
            Message.of(
                "sources.mistake.alexnet_conv1",
                said=_int(ARTICLE_ALEXNET_CONV1_PARAMS),
                correct=_int(conv1),
                biases=_int(conv1 - conv_params(3, 96, (11, 11), bias=False)),
                formula=conv_params_formula(3, 96, (11, 11)),
            ),
            "build",
        ),
        Correction(
            Message.of(
                "sources.mistake.alexnet_output",
                said=_int(ARTICLE_ALEXNET_OUTPUT_PARAMS),
                correct=_int(output),
                biases=_int(output - linear_params(4096, 1000, bias=False)),
                formula=linear_params_formula(4096, 1000),
            ),
            "build",
        ),
        Correction(Message.of("sources.mistake.alexnet_lrn_order"), "build"),
        Correction(
            Message.of(
                "sources.mistake.alexnet_input",
                said224=_num(ARTICLE_ALEXNET_224_QUOTIENT),
                said227=_int(ARTICLE_ALEXNET_227_OUTPUT),
                q224=_num((224 - 11) / 4),
                q227=_num((227 - 11) / 4),
                f224=conv_output_formula(224, 11, 4),
                f227=conv_output_formula(227, 11, 4),
                f224p2=conv_output_formula(224, 11, 4, 2),
                out227=conv_output_size(227, 11, 4),
            ),
            "build",
        ),
        Correction(Message.of("sources.mistake.alexnet_conv5_relu"), "build"),
    )


_BUILDERS = {
    "a000": _article_000,
    "a001": _article_001,
    "a002": _article_002,
    "a003": _article_003,
    "a004": _article_004,
}


def corrections_for(article_id: str) -> tuple[Correction, ...]:
    """The corrections of one article (``"a000"`` ... ``"a004"``), numbers computed now."""
    return _BUILDERS[article_id]()
