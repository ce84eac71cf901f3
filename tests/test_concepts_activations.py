"""/activations library: curves and derivatives against closed forms, the linear collapse against
nn.Linear, vanishing gradients against autograd and the 0.25^n bound, the bottleneck's parameter
count against nn.Module, dead ReLUs, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.concepts import (
    ACTIVATION_FUNCTIONS,
    SATURATION,
    ConceptError,
    GradientSettings,
    activation_curves,
    block_module_params,
    bottleneck_comparison,
    dead_relu_runs,
    gradient_profile,
    layer_sparsity,
    linear_collapse,
    params_ratio,
    readout,
    saturated_intervals,
    sigmoid_bound,
)
from cnnviz.concepts.gradients import build_stack, init_weight, shapes_batch
from cnnviz.net import NetSpec, build_model
from cnnviz.train import apply_init

X = np.linspace(-4, 4, 33)
CLOSED_FORM = {
    "sigmoid": lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)),
    "tanh": lambda x: 1 - torch.tanh(x) ** 2,
    "relu": lambda x: (x > 0).double(),
    "leaky_relu": lambda x: torch.where(x > 0, 1.0, 0.01).double(),
    "prelu": lambda x: torch.where(x > 0, 1.0, 0.25).double(),
    "elu": lambda x: torch.where(x > 0, torch.ones_like(x), torch.exp(x)),
    "selu": lambda x: (
        1.0507009873554805 * torch.where(x > 0, 1.0, 1.6732632423543772 * torch.exp(x))
    ),
    "gelu": lambda x: (
        0.5 * (1 + torch.erf(x / math.sqrt(2)))
        + x * torch.exp(-(x**2) / 2) / math.sqrt(2 * math.pi)
    ),
    "softplus": torch.sigmoid,
    "silu": lambda x: torch.sigmoid(x) * (1 + x * (1 - torch.sigmoid(x))),
}
VALUES = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.01),
    "prelu": lambda x: torch.where(x > 0, x, 0.25 * x),
    "elu": F.elu,
    "selu": F.selu,
    "gelu": F.gelu,
    "softplus": F.softplus,
    "silu": F.silu,
}


@pytest.mark.parametrize("name", ACTIVATION_FUNCTIONS)
def test_every_curve_and_derivative_matches_its_closed_form(name: str) -> None:
    (curve,) = activation_curves([name], x_min=-4, x_max=4, points=33)
    x = torch.tensor(X)
    np.testing.assert_allclose(curve.value, VALUES[name](x).numpy(), atol=1e-12)
    np.testing.assert_allclose(curve.derivative, CLOSED_FORM[name](x).numpy(), atol=1e-12)
    np.testing.assert_array_equal(curve.saturated, np.abs(curve.derivative) < SATURATION)


def test_prelu_slope_gradient_is_x_where_negative() -> None:
    (curve,) = activation_curves(["prelu"], x_min=-4, x_max=4, points=33, prelu_slope=0.1)
    assert curve.slope_grad is not None
    np.testing.assert_allclose(curve.slope_grad, np.where(X > 0, 0.0, X), atol=1e-12)
    (point,) = readout(["prelu"], -2.0, prelu_slope=0.1)
    assert point.value == pytest.approx(-0.2) and point.derivative == pytest.approx(0.1)
    assert point.slope_grad == pytest.approx(-2.0)


def test_readout_and_saturated_regions() -> None:
    reads = readout(["sigmoid", "relu"], 0.5)
    assert reads[0].value == pytest.approx(float(torch.sigmoid(torch.tensor(0.5))))
    assert reads[1].derivative == 1.0 and reads[1].slope_grad is None
    (sigmoid,) = activation_curves(["sigmoid"], x_min=-8, x_max=8, points=1601)
    intervals = saturated_intervals(sigmoid)
    # sigma'(x) = 0.05 where sigma = (1 - sqrt(0.8)) / 2: |x| = 2.887
    assert len(intervals) == 2
    assert intervals[0][0] == -8 and intervals[0][1] == pytest.approx(-2.887, abs=0.011)
    assert intervals[1][1] == 8 and intervals[1][0] == pytest.approx(2.887, abs=0.011)
    (relu,) = activation_curves(["relu"], x_min=-1, x_max=1, points=21)
    assert saturated_intervals(relu) == [(-1.0, 0.0)]  # ReLU'(0) = 0 in PyTorch


def test_two_linear_layers_are_one_and_a_relu_breaks_it() -> None:
    result = linear_collapse("1, -2, 0.5", hidden=3, outputs=2, seed=3)
    first, second = nn.Linear(3, 3).double(), nn.Linear(3, 2).double()
    with torch.no_grad():
        first.weight.copy_(torch.tensor(result.w1))
        first.bias.copy_(torch.tensor(result.b1))
        second.weight.copy_(torch.tensor(result.w2))
        second.bias.copy_(torch.tensor(result.b2))
    x = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    np.testing.assert_allclose(result.stacked, nn.Sequential(first, second)(x).detach().numpy())
    np.testing.assert_allclose(result.single, result.stacked, atol=1e-12)
    np.testing.assert_allclose(result.weight, result.w2 @ result.w1)
    assert result.gap_linear < 1e-12
    relu_net = nn.Sequential(first, nn.ReLU(), second)
    np.testing.assert_allclose(result.with_relu, relu_net(x).detach().numpy())
    if (result.hidden < 0).any():
        assert result.gap_relu > 0


def test_init_weight_draws_what_apply_init_draws() -> None:
    for scheme in ("kaiming", "xavier", "normal"):
        conv = nn.Conv2d(8, 8, 3)
        apply_init(conv, scheme, sigma=0.1, generator=torch.Generator().manual_seed(5))
        weight, bias = init_weight((8, 8, 3, 3), scheme, torch.Generator().manual_seed(5))
        np.testing.assert_allclose(weight.numpy(), conv.weight.detach().double().numpy(), rtol=1e-6)
        assert not bias.any()


def test_gradient_norms_are_autograds() -> None:
    settings = GradientSettings(depth=4, activation="tanh", init="xavier", residual=True)
    profile = gradient_profile(settings)
    stack = build_stack(settings)
    x, y = shapes_batch(settings.batch, settings.seed)
    logits, _, _ = stack.forward(x)
    grads = torch.autograd.grad(F.cross_entropy(logits, y), stack.conv_weights)
    np.testing.assert_allclose(profile.weight_norms, [float(g.norm()) for g in grads], rtol=1e-10)
    assert profile.ratio == pytest.approx(profile.weight_norms[0] / profile.weight_norms[-1])
    assert profile.bound is None
    assert np.all((profile.mean_derivatives > 0) & (profile.mean_derivatives <= 1))


def test_sigmoid_vanishes_with_depth_and_stays_under_the_bound_factor() -> None:
    ratios = [
        gradient_profile(GradientSettings(depth=d, activation="sigmoid")).ratio for d in (2, 10, 30)
    ]
    assert ratios[0] > ratios[1] > ratios[2]
    assert ratios[2] < 1e-15
    profile = gradient_profile(GradientSettings(depth=30, activation="sigmoid"))
    n, bound = sigmoid_bound(30)
    assert n == 29 and bound == 0.25**29 == profile.bound
    # every sigmoid factor is at most 1/4: their product is under the bound
    assert np.prod(profile.mean_derivatives[:-1]) <= bound
    assert np.all(profile.mean_derivatives <= 0.25)


def test_residual_relu_keeps_the_gradient_with_depth() -> None:
    ratios = [
        gradient_profile(GradientSettings(depth=d, activation="relu", residual=True)).ratio
        for d in (2, 10, 30, 50)
    ]
    assert min(ratios) > 0.1  # not vanishing at any depth
    assert (
        ratios[-1] > 1e10 * gradient_profile(GradientSettings(depth=50, activation="sigmoid")).ratio
    )


@pytest.mark.parametrize(
    ("field", "value"), [("depth", 0), ("depth", 10_000), ("depth", 1), ("activation", "swish")]
)
def test_bad_depth_or_choice_is_refused_with_a_message(field: str, value: object) -> None:
    with pytest.raises(ConceptError) as error:
        GradientSettings(**{field: value})  # type: ignore[arg-type]
    assert error.value.text("zh") and error.value.text("en")


@pytest.mark.parametrize("width", [64, 256])
def test_bottleneck_counts_match_the_modules(width: int) -> None:
    basic, bottleneck = bottleneck_comparison(width)
    assert basic.params == block_module_params(width, False)
    assert bottleneck.params == block_module_params(width, True)
    assert bottleneck.params < basic.params / 10  # 1x1 -> 3x3 -> 1x1 at width/4 inside
    assert params_ratio(basic, bottleneck) == basic.params / bottleneck.params
    assert (basic.inner, bottleneck.inner) == (width, width // 4)
    assert any("conv2 3x3" in line for line in bottleneck.formulas)
    with pytest.raises(ConceptError):
        bottleneck_comparison(30)


def test_layer_sparsity_counts_zeros_and_dead_units() -> None:
    net = dead_relu_runs(1.0)[0].net
    model = build_model(net, seed=0)
    with torch.no_grad():
        model.layers[3].bias.fill_(-1e6)  # the second conv's units can never fire
    x, _ = shapes_batch(8)
    x = F.interpolate(x.float(), size=(28, 28))
    layers = layer_sparsity(model, x)
    assert [layer.name.split()[1] for layer in layers] == ["ReLU", "ReLU", "ReLU"]
    assert layers[1].zero_fraction == 1.0 and layers[1].dead_units == layers[1].units == 16
    _, outputs = model.forward_with_activations(x)
    assert layers[0].zero_fraction == pytest.approx(float((outputs[1] == 0).double().mean()))
    assert model.training  # the mode is restored


def test_dead_relu_runs_share_net_and_seed() -> None:
    sane, large = dead_relu_runs(2.0, seed=4)
    assert sane.net == large.net and isinstance(sane.net, NetSpec)
    assert sane.cfg.seed == large.cfg.seed == 4
    assert (sane.cfg.lr, large.cfg.lr) == (0.05, 2.0) and sane.cfg.optimizer == "sgd"
    with pytest.raises(ConceptError):
        dead_relu_runs(50.0)
