"""Presets: the networks the issue names, with their published numbers, descriptions and sources."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from cnnviz.builder import build_model
from cnnviz.i18n import CATALOG
from cnnviz.presets import (
    DEFAULT_PRESET,
    PRESETS,
    TINY_NUM_CLASSES,
    get_preset,
    with_input_shape,
    with_num_classes,
)
from cnnviz.shapes import infer, validate
from cnnviz.specs import (
    ActivationSpec,
    AvgPool2dSpec,
    Conv2dSpec,
    FlattenSpec,
    LinearSpec,
    LocalResponseNormSpec,
    MaxPool2dSpec,
    NetSpec,
    ResidualBlockSpec,
    SpecError,
)

EXPECTED = {
    # name: (input shape, output shape, total parameters)
    "tiny": ((1, 28, 28), (6,), 5_958),
    "lenet5": ((1, 32, 32), (10,), 61_706),
    "classic-cnn": ((1, 28, 28), (10,), 3_898),
    "keras-mnist": ((1, 28, 28), (10,), 35_754),
    "tinyvgg": ((3, 64, 64), (10,), 19_920),
    "cifar-small": ((3, 32, 32), (10,), 122_570),
    "resnet-mini": ((3, 32, 32), (10,), 78_042),
    "alexnet2012": ((3, 227, 227), (1000,), 60_965_224),
}


def test_the_issue_names_every_preset() -> None:
    assert set(PRESETS) == set(EXPECTED)
    assert DEFAULT_PRESET == "tiny" and DEFAULT_PRESET in PRESETS


@pytest.mark.parametrize("name", list(EXPECTED))
def test_preset_numbers(name: str) -> None:
    net = PRESETS[name]
    summary = infer(net)
    assert summary.ok, summary.problems
    assert net.name == name
    assert (net.input_shape, summary.output_shape, summary.total_params) == EXPECTED[name]
    assert net.description and net.source
    for lang in ("en", "zh"):
        assert CATALOG[f"preset.{name}.description"][lang]
        assert CATALOG[f"preset.{name}.title"][lang]
    assert isinstance(net.layers[-1], LinearSpec)


@pytest.mark.parametrize("name", [n for n in EXPECTED if n != "alexnet2012"])
def test_preset_params_counted_by_torch(name: str) -> None:
    model = build_model(PRESETS[name], seed=0)
    assert sum(p.numel() for p in model.parameters()) == EXPECTED[name][2]


def test_lenet5_shapes_follow_the_paper() -> None:
    shapes = [info.output_shape for info in infer(PRESETS["lenet5"]).layers]
    # C1 6@28x28, S2 6@14x14, C3 16@10x10, S4 16@5x5, C5 120@1x1, F6 84, output 10
    assert shapes[0] == (6, 28, 28)
    assert shapes[2] == (6, 14, 14)
    assert shapes[3] == (16, 10, 10)
    assert shapes[5] == (16, 5, 5)
    assert shapes[6] == (120, 1, 1)
    assert shapes[9] == (84,)
    assert isinstance(PRESETS["lenet5"].layers[2], AvgPool2dSpec)
    assert PRESETS["lenet5"].layers[1] == ActivationSpec("tanh")


def test_alexnet_is_the_published_grouped_network() -> None:
    layers = PRESETS["alexnet2012"].layers
    convs = [layer for layer in layers if isinstance(layer, Conv2dSpec)]
    assert [c.groups for c in convs] == [1, 2, 1, 2, 2]
    assert convs[0].kernel_size == (11, 11) and convs[0].stride == (4, 4)
    assert sum(isinstance(layer, LocalResponseNormSpec) for layer in layers) == 2
    pools = [layer for layer in layers if isinstance(layer, MaxPool2dSpec)]
    assert all(p.kernel_size == (3, 3) and p.stride == (2, 2) for p in pools)  # overlapping
    assert "60,965,224" in PRESETS["alexnet2012"].description


def test_keras_mnist_checks_the_seeds_arithmetic() -> None:
    summary = infer(PRESETS["keras-mnist"])
    flatten = next(i for i in summary.layers if i.kind == "flatten")
    assert flatten.output_shape == (16 * 4 * 4,)
    assert [n.code for n in summary.notes] == ["floor_truncation"]


def test_classic_cnn_and_cifar_small_shapes() -> None:
    classic = [i.output_shape for i in infer(PRESETS["classic-cnn"]).layers]
    assert classic[0] == (6, 24, 24) and classic[2] == (6, 12, 12)
    assert classic[3] == (12, 8, 8) and classic[5] == (12, 4, 4)
    assert "sigmoid" in PRESETS["classic-cnn"].description
    cifar = [i.output_shape for i in infer(PRESETS["cifar-small"]).layers]
    assert cifar[6] == (64, 4, 4) and cifar[8] == (1024,)


def test_tinyvgg_matches_cnn_explainer() -> None:
    shapes = [i.output_shape for i in infer(PRESETS["tinyvgg"]).layers]
    assert shapes[0] == (10, 62, 62)
    assert shapes[4] == (10, 30, 30)
    assert shapes[9] == (10, 13, 13)


def test_resnet_mini_uses_residual_blocks() -> None:
    blocks = [b for b in PRESETS["resnet-mini"].layers if isinstance(b, ResidualBlockSpec)]
    assert [(b.out_channels, b.stride) for b in blocks] == [(16, 1), (32, 2), (64, 2)]


def test_tiny_trains_a_step() -> None:
    """The default network is small and learns: one Adam step lowers the loss on a fixed batch."""
    torch.manual_seed(0)
    model = build_model(PRESETS["tiny"], seed=0)
    x = torch.rand(16, 1, 28, 28)
    y = torch.randint(0, TINY_NUM_CLASSES, (16,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(5):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    assert infer(PRESETS["tiny"]).total_params < 10_000


def test_get_preset() -> None:
    assert get_preset("lenet5") is PRESETS["lenet5"]
    with pytest.raises(SpecError, match="is not a preset") as info:
        get_preset("vgg16")
    assert info.value.problems[0].code == "unknown_preset"
    assert "lenet5" in info.value.problems[0].param_dict()["allowed"]


def test_with_num_classes_replaces_the_last_linear() -> None:
    net = with_num_classes(PRESETS["lenet5"], 3)
    assert net.layers[-1] == LinearSpec(3)
    assert net.layers[9] == LinearSpec(84)  # earlier Linear layers untouched
    assert infer(net).output_shape == (3,)
    assert PRESETS["lenet5"].layers[-1] == LinearSpec(10)  # presets are never mutated
    trailing = NetSpec((1, 4, 4), (FlattenSpec(), LinearSpec(5), ActivationSpec()))
    assert with_num_classes(trailing, 2).layers[1] == LinearSpec(2)
    with pytest.raises(SpecError) as info:
        with_num_classes(NetSpec((1, 4, 4), (FlattenSpec(),)), 2)
    assert info.value.problems[0].code == "no_linear"


def test_with_input_shape() -> None:
    net = with_input_shape(PRESETS["tiny"], (3, 32, 32))
    assert net.input_shape == (3, 32, 32)
    assert infer(net).layers[-2].output_shape == (16 * 8 * 8,)
    too_small = with_input_shape(PRESETS["lenet5"], (1, 16, 16))
    assert [p.code for p in validate(too_small)] == ["kernel_too_big"]
    assert dataclasses.replace(net, input_shape=(1, 28, 28)).layers == PRESETS["tiny"].layers
