"""The AlexNet article 「卷积神经网络 (AlexNet)」 checked against the AlexNet preset.

The Chinese article walks through AlexNet layer by layer and counts each layer's parameters by
hand. Two of its eight counts are wrong (conv1 and the output layer leave out their biases
although the article's own formula adds them), and it orders conv1 and conv2 as
conv -> ReLU -> pool -> LRN, while the paper (section 3.5: "Response-normalization layers follow
the first and second convolutional layers. Max-pooling layers follow both response-normalization
layers") and the preset use conv -> ReLU -> LRN -> pool. :func:`article_checks` recomputes every
count from the preset with :func:`cnnviz.net.infer` and lists the article's number next to it.

Lesson: the "Build a CNN" page (the AlexNet preset's notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from cnnviz.net import (
    PRESETS,
    ActivationSpec,
    Conv2dSpec,
    LinearSpec,
    LocalResponseNormSpec,
    MaxPool2dSpec,
    NetSpec,
    conv_params_formula,
    infer,
    linear_params_formula,
)

__all__ = [
    "ARTICLE_BLOCK_ORDER",
    "ARTICLE_PARAMS",
    "ArticleCount",
    "article_checks",
    "block_order",
]

#: The article's per-layer parameter counts, as printed (section "alexnet参数数量").
ARTICLE_PARAMS: Final[dict[str, int]] = {
    "conv1": 34_848,
    "conv2": 307_456,
    "conv3": 885_120,
    "conv4": 663_936,
    "conv5": 442_624,
    "fc6": 37_752_832,
    "fc7": 16_781_312,
    "output": 4_096_000,
}
#: The order the article gives for conv1 and conv2 ("卷积-->relu-->池化-->归一化").
ARTICLE_BLOCK_ORDER: Final[tuple[str, ...]] = ("conv", "relu", "pool", "lrn")

_KINDS: dict[type, str] = {
    Conv2dSpec: "conv",
    ActivationSpec: "relu",
    LocalResponseNormSpec: "lrn",
    MaxPool2dSpec: "pool",
}


@dataclass(frozen=True)
class ArticleCount:
    """One layer's parameter count: the article's and the true one with its formula."""

    layer: str
    article: int
    correct: int
    formula: str

    @property
    def ok(self) -> bool:
        """True when the article's number is right."""
        return self.article == self.correct

    @property
    def missing(self) -> int:
        """How many parameters the article's count leaves out (its biases, where it is wrong)."""
        return self.correct - self.article


def article_checks(net: NetSpec | None = None) -> tuple[ArticleCount, ...]:
    """Every weighted layer of the AlexNet preset (conv1..conv5, fc6, fc7, output) with the
    article's count and the count :func:`cnnviz.net.infer` gives (biases included)."""
    net = net or PRESETS["alexnet2012"]
    summary = infer(net)
    weighted = [
        (layer, info)
        for layer, info in zip(net.layers, summary.layers, strict=True)
        if isinstance(layer, (Conv2dSpec, LinearSpec))
    ]
    checks = []
    for (layer, info), name in zip(weighted, ARTICLE_PARAMS, strict=True):
        if isinstance(layer, Conv2dSpec):
            assert info.input_shape is not None
            formula = conv_params_formula(
                info.input_shape[0], layer.out_channels, layer.kernel_size, layer.groups, layer.bias
            )
        else:
            assert info.input_shape is not None
            formula = linear_params_formula(info.input_shape[0], layer.out_features, layer.bias)
        checks.append(ArticleCount(name, ARTICLE_PARAMS[name], info.params, formula))
    return tuple(checks)


def block_order(net: NetSpec | None = None, block: int = 1) -> tuple[str, ...]:
    """The kinds of layers of conv block ``block`` (1 = conv1) up to the next convolution:
    ``("conv", "relu", "lrn", "pool")`` for the preset's conv1, as in the paper."""
    net = net or PRESETS["alexnet2012"]
    starts = [i for i, layer in enumerate(net.layers) if isinstance(layer, Conv2dSpec)]
    first = starts[block - 1]
    end = starts[block] if block < len(starts) else len(net.layers)
    return tuple(_KINDS.get(type(layer), "other") for layer in net.layers[first:end])
