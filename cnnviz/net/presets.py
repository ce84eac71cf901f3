"""Famous and teaching networks as data, each with a short description and its source.

Every preset is a :class:`~cnnviz.net.specs.NetSpec`; ``tests/test_presets.py`` builds each one and
checks shapes and parameter counts against PyTorch. The UI shows the translated description from
the catalog key ``preset.<name>.description``.

Lesson: the "Build a CNN" page (start from a preset); "Train live" (fit a preset to a dataset).
"""

from __future__ import annotations

import dataclasses

from cnnviz.net.specs import (
    ActivationSpec,
    AvgPool2dSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    GlobalAvgPoolSpec,
    LinearSpec,
    LocalResponseNormSpec,
    MaxPool2dSpec,
    NetSpec,
    Problem,
    ResidualBlockSpec,
    SpecError,
)

__all__ = [
    "DEFAULT_PRESET",
    "PRESETS",
    "TINY_NUM_CLASSES",
    "get_preset",
    "with_input_shape",
    "with_num_classes",
]

#: Classes of the built-in synthetic "shapes" dataset that the default network ``tiny`` fits.
TINY_NUM_CLASSES = 6
DEFAULT_PRESET = "tiny"


def _relu() -> ActivationSpec:
    return ActivationSpec("relu")


def _tanh() -> ActivationSpec:
    return ActivationSpec("tanh")


def _sigmoid() -> ActivationSpec:
    return ActivationSpec("sigmoid")


TINY = NetSpec(
    name="tiny",
    input_shape=(1, 28, 28),
    layers=(
        Conv2dSpec(8, (3, 3), padding=(1, 1)),
        _relu(),
        MaxPool2dSpec((2, 2)),
        Conv2dSpec(16, (3, 3), padding=(1, 1)),
        _relu(),
        MaxPool2dSpec((2, 2)),
        FlattenSpec(),
        LinearSpec(TINY_NUM_CLASSES),
    ),
    description=(
        "The default network for the built-in 28x28 'shapes' data (6 classes): two 3x3 "
        "convolutions with padding 1 (size kept), each followed by ReLU and 2x2 max pooling "
        "(28 -> 14 -> 7), then one Linear layer. 5,958 parameters: trains in seconds on a CPU."
    ),
    source="cnnviz default network.",
)

LENET5 = NetSpec(
    name="lenet5",
    input_shape=(1, 32, 32),
    layers=(
        Conv2dSpec(6, (5, 5)),  # C1: 32 -> 28
        _tanh(),
        AvgPool2dSpec((2, 2)),  # S2: 28 -> 14
        Conv2dSpec(16, (5, 5)),  # C3: 14 -> 10
        _tanh(),
        AvgPool2dSpec((2, 2)),  # S4: 10 -> 5
        Conv2dSpec(120, (5, 5)),  # C5: 5 -> 1, a convolution that acts as a fully connected layer
        _tanh(),
        FlattenSpec(),
        LinearSpec(84),  # F6
        _tanh(),
        LinearSpec(10),  # output
    ),
    description=(
        "LeNet-5 for 32x32 digits: C1 6@5x5, S2 2x2 subsampling, C3 16@5x5, S4, C5 120@5x5 (a "
        "convolution whose output is 1x1), F6 84, output 10. Differences from the paper: S2/S4 "
        "are plain average pooling + tanh (the paper's subsampling had a trainable weight and bias "
        "per map and a scaled tanh), C3 connects to all 6 maps (the paper used a sparse table: "
        "1,516 instead of 2,416 parameters, biases included), and the output is a Linear layer "
        "instead of RBF units."
    ),
    source=(
        "Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, Gradient-based learning applied to document "
        "recognition, Proc. IEEE 86(11), 1998."
    ),
)

ALEXNET2012 = NetSpec(
    name="alexnet2012",
    input_shape=(3, 227, 227),
    layers=(
        Conv2dSpec(96, (11, 11), stride=(4, 4)),  # conv1: 227 -> 55
        _relu(),
        LocalResponseNormSpec(size=5, alpha=5e-4, beta=0.75, k=2.0),  # the paper's alpha=1e-4
        MaxPool2dSpec((3, 3), stride=(2, 2)),  # 55 -> 27 (overlapping pooling)
        Conv2dSpec(256, (5, 5), padding=(2, 2), groups=2),  # conv2: two GPUs, 27 -> 27
        _relu(),
        LocalResponseNormSpec(size=5, alpha=5e-4, beta=0.75, k=2.0),  # the paper's alpha=1e-4
        MaxPool2dSpec((3, 3), stride=(2, 2)),  # 27 -> 13
        Conv2dSpec(384, (3, 3), padding=(1, 1)),  # conv3: sees both GPUs' maps
        _relu(),
        Conv2dSpec(384, (3, 3), padding=(1, 1), groups=2),  # conv4
        _relu(),
        Conv2dSpec(256, (3, 3), padding=(1, 1), groups=2),  # conv5
        _relu(),
        MaxPool2dSpec((3, 3), stride=(2, 2)),  # 13 -> 6
        FlattenSpec(),  # 256*6*6 = 9216
        DropoutSpec(0.5),
        LinearSpec(4096),
        _relu(),
        DropoutSpec(0.5),
        LinearSpec(4096),
        _relu(),
        LinearSpec(1000),
    ),
    description=(
        "AlexNet as published for ImageNet (1000 classes), 227x227x3 input: conv1 96@11x11 "
        "stride 4, ReLU, local response normalisation (the paper's α = 1e-4, n = 5, β = 0.75, k = 2: "
        "nn.LocalResponseNorm(5, alpha=5e-4), since PyTorch divides α by n), overlapping "
        "3x3/2 max pooling; conv2 "
        "256@5x5 in two groups (the two GPUs), conv3 384@3x3, conv4 384@3x3 and conv5 256@3x3 "
        "in two groups; dropout 0.5 before the two 4096-unit layers. 60,965,224 parameters. "
        "The paper says 224x224 inputs, which give 54x54 after an unpadded conv1; any "
        "size from 227 to 230 gives its 55x55 (floor((n - 11) / 4) + 1 = 55), and so does 224 "
        "with padding 2. 227 is the smallest such size, the usual choice."
    ),
    source=(
        "A. Krizhevsky, I. Sutskever, G. E. Hinton, ImageNet classification with deep "
        "convolutional neural networks, NeurIPS 2012."
    ),
)

TINYVGG = NetSpec(
    name="tinyvgg",
    input_shape=(3, 64, 64),
    layers=(
        Conv2dSpec(10, (3, 3)),  # 64 -> 62
        _relu(),
        Conv2dSpec(10, (3, 3)),  # 62 -> 60
        _relu(),
        MaxPool2dSpec((2, 2)),  # 60 -> 30
        Conv2dSpec(10, (3, 3)),  # 30 -> 28
        _relu(),
        Conv2dSpec(10, (3, 3)),  # 28 -> 26
        _relu(),
        MaxPool2dSpec((2, 2)),  # 26 -> 13
        FlattenSpec(),  # 10*13*13 = 1690
        LinearSpec(10),
    ),
    description=(
        "TinyVGG, the network shown in CNN Explainer: 64x64 colour images, two blocks of two "
        "3x3 convolutions (10 filters, no padding) with ReLU and 2x2 max pooling, then one "
        "Linear layer for 10 classes (Tiny ImageNet classes such as lifeboat and ladybug)."
    ),
    source=(
        "Z. J. Wang et al., CNN Explainer: learning convolutional neural networks with "
        "interactive visualization, IEEE VIS 2020 (poloclub.github.io/cnn-explainer)."
    ),
)

KERAS_MNIST = NetSpec(
    name="keras-mnist",
    input_shape=(1, 28, 28),
    layers=(
        Conv2dSpec(4, (5, 5)),  # 28 -> 24
        _tanh(),
        Conv2dSpec(8, (3, 3)),  # 24 -> 22
        _tanh(),
        MaxPool2dSpec((2, 2)),  # 22 -> 11
        Conv2dSpec(16, (3, 3)),  # 11 -> 9
        _relu(),
        MaxPool2dSpec((2, 2)),  # 9 -> 4: floor drops the last row and column
        FlattenSpec(),  # 16*4*4 = 256
        LinearSpec(128),
        _tanh(),
        LinearSpec(10),
    ),
    description=(
        "The Keras example network from a Chinese blog post for 28x28 digits: 4@5x5 tanh, "
        "8@3x3 tanh, 2x2 max pooling, 16@3x3 ReLU, 2x2 max pooling, dense 128 tanh, dense 10. "
        "The post's 16*4*4 = 256 inputs to the dense layer is right: 9x9 pooled by 2 floors to "
        "4x4 (the 9th row and column are never used)."
    ),
    source=(
        "Keras 0.x MNIST example in the blog compilation 「深度学习|卷积的平移不变性公式,卷积减少参数的"
        "方法」; the Keras API names (Convolution2D, border_mode='valid') are translated to PyTorch "
        "layers."
    ),
)

CLASSIC_CNN = NetSpec(
    name="classic-cnn",
    input_shape=(1, 28, 28),
    layers=(
        Conv2dSpec(6, (5, 5)),  # 28 -> 24
        _sigmoid(),
        AvgPool2dSpec((2, 2)),  # 24 -> 12
        Conv2dSpec(12, (5, 5)),  # 12 -> 8
        _sigmoid(),
        AvgPool2dSpec((2, 2)),  # 8 -> 4
        FlattenSpec(),  # 12*4*4 = 192
        LinearSpec(10),
    ),
    description=(
        "The 'classic CNN' of a Chinese journal article for 28x28 images: 6@5x5 convolution, "
        "2x2 mean pooling, 12@5x5 convolution, 2x2 mean pooling, fully connected output. The "
        "article does not name the activation; cnnviz uses sigmoid after each convolution, as "
        "classic networks of this shape did (swap in ReLU to see it train faster)."
    ),
    source=(
        "Xu Zhenzhong, 「关于卷积神经网络损失函数的改进算法」 (An improved algorithm for the loss "
        "function of convolution neural networks), Journal of Science of Teachers' College and "
        "University (高师理科学刊) 39(1), 2019, section 1 'the classic CNN model'."
    ),
)

CIFAR_SMALL = NetSpec(
    name="cifar-small",
    input_shape=(3, 32, 32),
    layers=(
        Conv2dSpec(32, (3, 3)),  # 32 -> 30
        _relu(),
        MaxPool2dSpec((2, 2)),  # 30 -> 15
        Conv2dSpec(64, (3, 3)),  # 15 -> 13
        _relu(),
        MaxPool2dSpec((2, 2)),  # 13 -> 6: floor drops one row and column
        Conv2dSpec(64, (3, 3)),  # 6 -> 4
        _relu(),
        FlattenSpec(),  # 64*4*4 = 1024
        LinearSpec(64),
        _relu(),
        LinearSpec(10),
    ),
    description=(
        "The small CIFAR-10 network (32x32 colour images, 10 classes) of the TensorFlow CNN "
        "tutorial: 32@3x3, max pool, 64@3x3, max pool, 64@3x3 (all ReLU, no padding), dense 64 "
        "ReLU, dense 10. 122,570 parameters."
    ),
    source=(
        "TensorFlow tutorial 'Convolutional Neural Network (CNN)' as quoted in the blog post "
        "「[深度学习] 卷积神经网络CNN」."
    ),
)

RESNET_MINI = NetSpec(
    name="resnet-mini",
    input_shape=(3, 32, 32),
    layers=(
        Conv2dSpec(16, (3, 3), padding=(1, 1), bias=False),
        BatchNorm2dSpec(),
        _relu(),
        ResidualBlockSpec(16),  # identity shortcut
        ResidualBlockSpec(32, stride=2),  # 1x1 projection shortcut: 32 -> 16
        ResidualBlockSpec(64, stride=2),  # 16 -> 8
        GlobalAvgPoolSpec(),
        FlattenSpec(),
        LinearSpec(10),
    ),
    description=(
        "A small residual network for 32x32 colour images: a 3x3 stem with batch norm, three "
        "basic residual blocks (16, 32 and 64 channels; the last two halve the size with stride "
        "2 and use a 1x1 projection shortcut), global average pooling and a Linear layer."
    ),
    source=(
        "After K. He, X. Zhang, S. Ren, J. Sun, Deep residual learning for image recognition, "
        "CVPR 2016 (the CIFAR-10 ResNets of section 4.2, one block per stage)."
    ),
)

#: Preset name -> network, in the order the Build page lists them.
PRESETS: dict[str, NetSpec] = {
    net.name: net
    for net in (
        TINY,
        LENET5,
        CLASSIC_CNN,
        KERAS_MNIST,
        TINYVGG,
        CIFAR_SMALL,
        RESNET_MINI,
        ALEXNET2012,
    )
}


def get_preset(name: str) -> NetSpec:
    """The preset called ``name``; raises SpecError (``unknown_preset``) listing the valid names."""
    try:
        return PRESETS[name]
    except KeyError:
        raise SpecError(
            Problem.make("unknown_preset", value=repr(name), allowed=", ".join(PRESETS))
        ) from None


def with_num_classes(net: NetSpec, num_classes: int) -> NetSpec:
    """``net`` with its last Linear layer's ``out_features`` set to ``num_classes``.

    Raises SpecError (``no_linear``) when the network has no Linear layer.
    """
    for index in range(len(net.layers) - 1, -1, -1):
        layer = net.layers[index]
        if isinstance(layer, LinearSpec):
            layers = list(net.layers)
            layers[index] = dataclasses.replace(layer, out_features=num_classes)
            return dataclasses.replace(net, layers=tuple(layers))
    raise SpecError(Problem.make("no_linear"))


def with_input_shape(net: NetSpec, input_shape: tuple[int, int, int]) -> NetSpec:
    """``net`` with a new input ``(C, H, W)``; check the result with ``cnnviz.net.shapes.validate``."""
    channels, height, width = input_shape
    return dataclasses.replace(net, input_shape=(channels, height, width))
