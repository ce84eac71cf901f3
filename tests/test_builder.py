"""The builder: one module per layer, shapes and parameters as inferred, seeded init, dropout."""

from __future__ import annotations

import threading

import pytest
import torch
from torch import nn

from cnnviz.net import (
    ACTIVATIONS,
    PRESETS,
    ActivationSpec,
    CNNModel,
    Conv2dSpec,
    Dropout2dSpec,
    DropoutSpec,
    FlattenSpec,
    GlobalAvgPoolSpec,
    LinearSpec,
    MaxPool2dSpec,
    NetSpec,
    ResidualBlock,
    ResidualBlockSpec,
    SeededDropout,
    SpecError,
    activation_module,
    build_layer,
    build_model,
    infer,
)

SMALL_PRESETS = [name for name in PRESETS if name != "alexnet2012"]


@pytest.mark.parametrize("name", SMALL_PRESETS)
def test_every_preset_builds_and_matches_inference(name: str) -> None:
    net = PRESETS[name]
    model = build_model(net, seed=0).eval()
    summary = infer(net)
    assert isinstance(model, CNNModel) and model.net is net
    assert len(model.layers) == len(net.layers)
    with torch.no_grad():
        logits, activations = model.forward_with_activations(torch.zeros(2, *net.input_shape))
    assert len(activations) == len(net.layers)
    for info, module, act in zip(summary.layers, model.layers, activations, strict=True):
        assert tuple(act.shape) == (2, *info.output_shape), info.label  # type: ignore[misc]
        assert sum(p.numel() for p in module.parameters()) == info.params, info.label
    assert logits.shape == (2, *summary.output_shape)  # type: ignore[misc]
    assert torch.equal(logits, model(torch.zeros(2, *net.input_shape)))


def test_alexnet_has_the_published_parameter_count() -> None:
    model = build_model(PRESETS["alexnet2012"], seed=0)
    assert sum(p.numel() for p in model.parameters()) == 60_965_224
    conv2 = model.layers[4]
    assert (
        isinstance(conv2, nn.Conv2d)
        and conv2.groups == 2
        and conv2.weight.shape
        == (
            256,
            48,
            5,
            5,
        )
    )
    assert isinstance(model.layers[2], nn.LocalResponseNorm)
    assert isinstance(model.layers[16], SeededDropout)


def test_module_types_follow_the_spec() -> None:
    net = NetSpec(
        (3, 16, 16),
        (
            Conv2dSpec(4, 3, padding="same"),
            ActivationSpec("leaky_relu", negative_slope=0.2),
            MaxPool2dSpec(2),
            Dropout2dSpec(0.25),
            ResidualBlockSpec(8, stride=2),
            GlobalAvgPoolSpec(),
            FlattenSpec(),
            DropoutSpec(0.5),
            LinearSpec(5),
        ),
    )
    model = build_model(net)
    types = [type(m) for m in model.layers]
    assert types == [
        nn.Conv2d,
        nn.LeakyReLU,
        nn.MaxPool2d,
        SeededDropout,
        ResidualBlock,
        nn.AdaptiveAvgPool2d,
        nn.Flatten,
        SeededDropout,
        nn.Linear,
    ]
    assert model.layers[0].padding == "same"
    assert model.layers[1].negative_slope == 0.2
    assert model.layers[3].spatial and not model.layers[7].spatial
    assert model.layer_names()[0] == "1 Conv2d 4@3x3"
    assert model.layer_names()[4] == "5 Residual 8/2"


@pytest.mark.parametrize("function", ACTIVATIONS)
def test_activation_modules_compute_the_named_function(function: str) -> None:
    x = torch.linspace(-3, 3, 13)
    expected = {
        "relu": torch.relu(x),
        "leaky_relu": nn.functional.leaky_relu(x, 0.01),
        "prelu": torch.where(x > 0, x, 0.25 * x),
        "elu": nn.functional.elu(x),
        "selu": torch.selu(x),
        "gelu": nn.functional.gelu(x),
        "sigmoid": torch.sigmoid(x),
        "tanh": torch.tanh(x),
        "softplus": nn.functional.softplus(x),
    }[function]
    with torch.no_grad():
        assert torch.allclose(activation_module(function)(x), expected)


def test_residual_block_projection_only_when_shapes_change() -> None:
    same = ResidualBlock(8, ResidualBlockSpec(8))
    assert isinstance(same.shortcut, nn.Identity)
    wider = ResidualBlock(8, ResidualBlockSpec(16))
    strided = ResidualBlock(8, ResidualBlockSpec(8, stride=2))
    for block in (wider, strided):
        assert isinstance(block.shortcut, nn.Sequential)
        assert isinstance(block.shortcut[0], nn.Conv2d) and block.shortcut[0].kernel_size == (1, 1)
    no_bn = ResidualBlock(8, ResidualBlockSpec(8, batch_norm=False))
    assert not any(isinstance(m, nn.BatchNorm2d) for m in no_bn.modules())
    assert all(m.bias is not None for m in no_bn.modules() if isinstance(m, nn.Conv2d))


def test_residual_block_adds_the_skip_connection() -> None:
    """With the residual branch zeroed, the block is act(x): the skip carries x through."""
    block = ResidualBlock(4, ResidualBlockSpec(4, batch_norm=False)).eval()
    with torch.no_grad():
        for p in block.residual.parameters():
            p.zero_()
        x = torch.randn(1, 4, 5, 5)
        assert torch.allclose(block(x), torch.relu(x))


def test_bottleneck_block_shapes() -> None:
    block = ResidualBlock(8, ResidualBlockSpec(16, stride=2, bottleneck=True))
    convs = [m for m in block.residual if isinstance(m, nn.Conv2d)]
    assert [c.kernel_size for c in convs] == [(1, 1), (3, 3), (1, 1)]
    assert [c.out_channels for c in convs] == [4, 4, 16]
    assert convs[1].stride == (2, 2)
    assert block(torch.zeros(2, 8, 9, 9)).shape == (2, 16, 5, 5)


def test_invalid_network_raises_with_every_problem() -> None:
    net = NetSpec((1, 8, 8), (Conv2dSpec(2, 9), LinearSpec(3), Conv2dSpec(2, 3)))
    with pytest.raises(SpecError, match="add a Flatten layer") as info:
        build_model(net)
    assert [(p.code, p.layer_index) for p in info.value.problems] == [
        ("kernel_too_big", 0),
        ("linear_needs_flatten", 1),
        ("needs_spatial", 2),
    ]


def test_build_layer_uses_the_inferred_input_size() -> None:
    conv = build_layer(Conv2dSpec(4, 3, groups=2), (6, 10, 10))
    assert isinstance(conv, nn.Conv2d) and conv.in_channels == 6
    linear = build_layer(LinearSpec(3), (120,))
    assert isinstance(linear, nn.Linear) and linear.in_features == 120


# ---------------------------------------------------------------- seeded initialisation


def _weights(model: nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in model.parameters()]


def test_same_seed_same_weights_other_seed_other_weights() -> None:
    net = PRESETS["tiny"]
    a, b, c = build_model(net, seed=7), build_model(net, seed=7), build_model(net, seed=8)
    assert all(torch.equal(x, y) for x, y in zip(_weights(a), _weights(b), strict=True))
    assert not torch.equal(_weights(a)[0], _weights(c)[0])


def test_seeded_build_does_not_disturb_the_global_rng() -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    build_model(PRESETS["tiny"], seed=5)
    assert torch.equal(torch.rand(3), expected)


def test_seeded_builds_in_threads_are_reproducible() -> None:
    net = PRESETS["classic-cnn"]
    reference = _weights(build_model(net, seed=3))
    results: list[list[torch.Tensor]] = []
    noise_stop = threading.Event()

    def noise() -> None:  # another "user" drawing from the global RNG meanwhile
        while not noise_stop.is_set():
            torch.rand(100)

    def build() -> None:
        results.append(_weights(build_model(net, seed=3)))

    noisy = threading.Thread(target=noise)
    noisy.start()
    workers = [threading.Thread(target=build) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    noise_stop.set()
    noisy.join()
    assert len(results) == 4
    for weights in results:
        assert all(torch.equal(x, y) for x, y in zip(weights, reference, strict=True))


def test_seeded_init_has_pytorchs_default_distributions() -> None:
    """U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for conv/linear weights and biases, BN = (1, 0)."""
    seeded = build_model(PRESETS["resnet-mini"], seed=1)
    default = build_model(PRESETS["resnet-mini"])
    for (name, p), (_, q) in zip(
        seeded.named_parameters(), default.named_parameters(), strict=True
    ):
        p = p.detach()
        assert p.shape == q.shape and p.device.type == "cpu", name
        assert torch.isfinite(p).all(), name
        if p.dim() > 1:
            fan_in = p[0].numel()
            bound = 1 / fan_in**0.5
            assert float(p.abs().max()) <= bound + 1e-6, name
            if p.numel() > 500:  # std of U(-b, b) is b / sqrt(3)
                assert abs(float(p.std()) - bound / 3**0.5) < 0.15 * bound, name
    for module in seeded.modules():
        if isinstance(module, nn.BatchNorm2d):
            assert torch.equal(module.weight, torch.ones_like(module.weight))
            assert torch.equal(module.running_var, torch.ones_like(module.running_var))
            assert torch.equal(module.running_mean, torch.zeros_like(module.running_mean))
            assert int(module.num_batches_tracked) == 0
    prelu = build_model(NetSpec((1, 4, 4), (ActivationSpec("prelu"), FlattenSpec())), seed=0)
    assert float(prelu.layers[0].weight.detach()) == 0.25


# ---------------------------------------------------------------- dropout


def test_seeded_dropout_is_identity_in_eval_and_scales_in_training() -> None:
    drop = SeededDropout(0.25)
    x = torch.ones(4000)
    drop.eval()
    assert torch.equal(drop(x), x)
    drop.train()
    y = drop(x)
    assert set(torch.unique(y).tolist()) <= {0.0, torch.tensor(1 / 0.75).item()}
    assert abs(float((y == 0).float().mean()) - 0.25) < 0.03
    assert abs(float(y.mean()) - 1.0) < 0.05  # the 1/(1-p) scale keeps the expectation


def test_seeded_dropout_matches_torch_given_the_same_mask() -> None:
    """Same maths as F.dropout: y = x * mask / (1 - p)."""
    drop = SeededDropout(0.4).train()
    drop.generator = torch.Generator().manual_seed(0)
    x = torch.randn(6, 7)
    y = drop(x)
    mask = (y != 0).float()
    assert torch.allclose(y, x * mask / 0.6)
    assert SeededDropout(0.0).train()(x) is x


def test_dropout2d_drops_whole_channels() -> None:
    drop = SeededDropout(0.5, spatial=True).train()
    drop.generator = torch.Generator().manual_seed(1)
    y = drop(torch.ones(8, 16, 5, 5))
    per_channel = y.flatten(2)
    # every channel is all zeros or all 2.0
    assert torch.all((per_channel == 0).all(-1) | (per_channel == 2.0).all(-1))
    assert 0 < int((per_channel == 0).all(-1).sum()) < 8 * 16


def test_generator_makes_dropout_reproducible_despite_global_rng_use() -> None:
    model = build_model(
        NetSpec((1, 8, 8), (FlattenSpec(), DropoutSpec(0.5), LinearSpec(2))), seed=0
    )
    model.train()
    x = torch.ones(4, 1, 8, 8)
    model.set_generator(torch.Generator().manual_seed(9))
    first = model.layers[1](x.flatten(1))
    torch.rand(1000)  # someone else uses the global RNG
    model.set_generator(torch.Generator().manual_seed(9))
    second = model.layers[1](x.flatten(1))
    assert torch.equal(first, second)
    model.set_generator(None)
    assert model.layers[1].generator is None


def test_invalid_dropout_probability() -> None:
    with pytest.raises(ValueError, match="dropout probability"):
        SeededDropout(1.0)
