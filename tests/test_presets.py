"""Presets: the networks the issue names, with their published numbers, descriptions and sources."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from cnnviz.i18n import CATALOG
from cnnviz.net import (
    DEFAULT_PRESET,
    PRESETS,
    TINY_NUM_CLASSES,
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
    build_model,
    get_preset,
    infer,
    validate,
    with_input_shape,
    with_num_classes,
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


def _paper_lrn(a: torch.Tensor, n: int, k: float, alpha: float, beta: float) -> torch.Tensor:
    """Krizhevsky et al. (2012), section 3.3: ``b_i = a_i / (k + alpha * sum_j a_j^2)^beta``,
    ``j`` from ``max(0, i - n/2)`` to ``min(N - 1, i + n/2)``: alpha multiplies the plain sum."""
    channels = a.shape[1]
    out = torch.empty_like(a)
    for i in range(channels):
        window = a[:, max(0, i - n // 2) : min(channels - 1, i + n // 2) + 1]
        out[:, i] = a[:, i] / (k + alpha * (window**2).sum(dim=1)) ** beta
    return out


def test_alexnet_lrn_is_the_papers_layer_in_pytorchs_convention() -> None:
    """Issue 9, item 13: nn.LocalResponseNorm divides alpha by the size, so the paper's
    alpha = 1e-4 (n = 5) is alpha = 5e-4 in PyTorch; the preset uses the paper's layer."""
    lrns = [
        layer for layer in PRESETS["alexnet2012"].layers if isinstance(layer, LocalResponseNormSpec)
    ]
    assert [(x.size, x.alpha, x.beta, x.k) for x in lrns] == [(5, 5e-4, 0.75, 2.0)] * 2
    a = torch.rand(2, 12, 3, 3, dtype=torch.float64) * 40  # big activations: the term matters
    paper = _paper_lrn(a, 5, 2.0, 1e-4, 0.75)
    torch.testing.assert_close(torch.nn.LocalResponseNorm(5, 5e-4, 0.75, 2.0)(a), paper)
    assert not torch.allclose(torch.nn.LocalResponseNorm(5, 1e-4, 0.75, 2.0)(a), paper)
    assert LocalResponseNormSpec() == lrns[0]  # a new LRN layer on the Build page is the same
    for lang in ("en", "zh"):
        text = CATALOG["preset.alexnet2012.description"][lang]
        assert "1e-4" in text and "5e-4" in text and "nn.LocalResponseNorm" in text
    assert "5e-4" in PRESETS["alexnet2012"].description


def test_alexnet_input_sizes_that_give_55_are_said_right() -> None:
    """Issue 9, item 12: not "only 227": 227 to 230 all give 55x55, and so does 224 padded 2."""

    def conv1(n: int, padding: int = 0) -> int:
        layer = torch.nn.Conv2d(3, 1, 11, stride=4, padding=padding)
        with torch.no_grad():
            return int(layer(torch.zeros(1, 3, n, n)).shape[-1])

    assert [n for n in range(200, 260) if conv1(n) == 55] == [227, 228, 229, 230]
    assert conv1(224) == 54 and conv1(224, padding=2) == 55
    for lang in ("en", "zh"):
        text = CATALOG["preset.alexnet2012.description"][lang]
        assert "227" in text and "230" in text and "224" in text
        assert "only 227" not in text and "只有 227" not in text


def test_lenet_c3_counts_are_parameters_with_biases() -> None:
    """Issue 9, item 14: 2,416 = 6 * 16 * 25 + 16 and the paper's 1,516 = 60 * 25 + 16 both
    count the 16 biases, so they are parameters, not weights."""
    c3 = infer(PRESETS["lenet5"]).layers[3]
    assert c3.params == 2_416 == 6 * 16 * 25 + 16
    connections = 6 * 3 + 9 * 4 + 1 * 6  # the paper's table 1: 60 (input map, C3 map) pairs
    assert connections * 25 + 16 == 1_516
    assert "1,516 instead of 2,416 parameters" in PRESETS["lenet5"].description
    assert "1,516 instead of 2,416 parameters" in CATALOG["preset.lenet5.description"]["en"]
    assert "参数量为 1,516 而非 2,416" in CATALOG["preset.lenet5.description"]["zh"]
