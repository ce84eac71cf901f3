"""Initialisation: the schemes against torch.nn.init, the deep-stack probe against autograd, He's
fan-in against PyTorch's own, the verdicts, and the symmetry story trained for real: zero-init
hidden weights stay zero, constant-init filters stay identical, random ones do not."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.concepts import (
    CONSTANT,
    INIT_SCHEMES,
    TOY_DATA,
    StackSpec,
    SymmetryResult,
    SymmetryTask,
    build_stack,
    fan_in_rows,
    init_weights,
    probe_stack,
    sibling_spread,
    stack_verdicts,
    toy_net,
)
from cnnviz.data import DatasetBundle, load_dataset
from cnnviz.net import PRESETS, build_model, get_preset


class Free:
    stop_requested = False
    paused_seconds = 0.0

    def checkpoint(self) -> None:
        return None


@pytest.fixture(scope="module")
def data() -> DatasetBundle:
    return load_dataset(TOY_DATA)


def test_schemes_draw_what_torch_nn_init_draws() -> None:
    layer = nn.Linear(400, 300)
    fan_in, fan_out = 400, 300
    expected = {
        "small": 0.01,
        "large": 1.0,
        "xavier": math.sqrt(2 / (fan_in + fan_out)),
        "he": math.sqrt(2 / fan_in),
    }
    for scheme in INIT_SCHEMES:
        init_weights(layer, scheme, torch.Generator().manual_seed(0))
        weight = layer.weight.detach()
        assert torch.count_nonzero(layer.bias) == 0
        if scheme == "zeros":
            assert torch.count_nonzero(weight) == 0
        elif scheme == "constant":
            assert torch.all(weight == CONSTANT)
        else:
            assert float(weight.std()) == pytest.approx(expected[scheme], rel=0.02)
            assert abs(float(weight.mean())) < 0.05 * expected[scheme]
    # same generator seed, same weights as torch.nn.init itself
    init_weights(layer, "he", torch.Generator().manual_seed(5))
    reference = torch.empty(300, 400)
    nn.init.kaiming_normal_(
        reference, nonlinearity="relu", generator=torch.Generator().manual_seed(5)
    )
    torch.testing.assert_close(layer.weight.detach(), reference)


@pytest.mark.parametrize("kind", ["linear", "conv"])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_probe_reports_each_layers_activations_and_gradients(
    kind: str, activation: str, data: DatasetBundle
) -> None:
    x, y = data.val_x[:16], data.val_y[:16]
    spec = StackSpec(kind, activation, "he", depth=4)
    probes = probe_stack(spec, x, y, data.num_classes)
    assert [p.index for p in probes] == [1, 2, 3, 4]
    # the same stack, by hand: outputs of each activation and autograd's dL/dh
    model = build_stack(spec, tuple(x.shape[1:]), data.num_classes)
    hidden, h = [], x
    for module in model:
        h = module(h)
        if isinstance(module, (nn.Tanh, nn.ReLU)):
            hidden.append(h)
    loss = F.cross_entropy(h, y)
    grads = torch.autograd.grad(loss, hidden)
    for probe, act, grad in zip(probes, hidden, grads, strict=True):
        assert probe.act_std == pytest.approx(float(act.detach().std()), rel=1e-5)
        assert probe.grad_std == pytest.approx(float(grad.std()), rel=1e-4)
        assert probe.act_counts.sum() == act.numel() and probe.grad_counts.sum() == grad.numel()
        assert probe.act_zero == pytest.approx(float((act.detach() == 0).double().mean()))
        assert probe.act_mean == pytest.approx(float(act.detach().mean()), rel=1e-5, abs=1e-7)
        reach = float(probe.act_edges[-1])
        histc = torch.histc(act.detach().clamp(-reach, reach), bins=40, min=-reach, max=reach)
        np.testing.assert_allclose(probe.act_counts, histc.numpy(), atol=max(2, 1e-4 * act.numel()))
        assert probe.act_counts.sum() == act.numel()
    # one shared range for every layer
    assert len({float(p.act_edges[-1]) for p in probes}) == 1
    assert float(probes[0].act_edges[-1]) == pytest.approx(
        max(float(a.detach().abs().max()) for a in hidden)
    )


def test_verdicts_tell_vanishing_exploding_dead_and_healthy(data: DatasetBundle) -> None:
    x, y = data.val_x[:64], data.val_y[:64]

    def verdicts(activation: str, scheme: str) -> list[str]:
        return stack_verdicts(
            probe_stack(StackSpec("linear", activation, scheme), x, y, data.num_classes)
        )

    assert verdicts("relu", "zeros") == ["dead"]
    assert {"act_vanish", "grad_vanish"} <= set(verdicts("tanh", "small"))
    assert "act_explode" in verdicts("relu", "large")
    assert "saturated" in verdicts("tanh", "large")
    assert verdicts("relu", "he") == ["healthy"]
    assert verdicts("tanh", "xavier") == ["healthy"]


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_fan_in_is_pytorchs_fan_in(preset: str) -> None:
    net = get_preset(preset)
    rows = fan_in_rows(net)
    model = build_model(net, seed=0)
    # convs inside residual blocks are not layers of the network: compare the top level
    top = [m for m in model.layers if isinstance(m, (nn.Conv2d, nn.Linear))]
    assert len(rows) == len(top)
    for row, module in zip(rows, top, strict=True):
        fan_in, _ = nn.init._calculate_fan_in_and_fan_out(module.weight)
        assert row.fan_in == fan_in
        assert row.variance == pytest.approx(2 / fan_in)
        assert row.std == pytest.approx(math.sqrt(2 / fan_in))


@pytest.fixture(scope="module")
def symmetry(data: DatasetBundle) -> dict[str, SymmetryResult]:
    small = DatasetBundle(
        data.name,
        data.train_x[:256],
        data.train_y[:256],
        data.val_x[:64],
        data.val_y[:64],
        data.class_names,
        data.mean,
        data.std,
    )
    task = SymmetryTask(toy_net(small.num_classes), small, epochs=2)
    return {e.scheme: e for e in task.run(Free()) if isinstance(e, SymmetryResult)}


def test_zero_init_hidden_weights_stay_zero_only_the_last_bias_learns(
    symmetry: dict[str, SymmetryResult],
) -> None:
    result = symmetry["zeros"]
    moved = [c.name for c in result.changes if c.changed > 0]
    assert moved == [result.changes[-1].name] and moved[0].endswith("bias")
    assert np.count_nonzero(result.filters_after) == 0


def test_constant_init_filters_stay_identical_after_training(
    symmetry: dict[str, SymmetryResult],
) -> None:
    result = symmetry["constant"]
    hidden = [c for c in result.changes[:-2] if not math.isnan(c.spread_after)]
    assert hidden and all(c.changed > 0 for c in result.changes)  # every parameter learned...
    assert all(c.spread_before == 0 for c in hidden)
    assert max(c.spread_after for c in hidden) < 1e-5  # ...yet siblings stay identical
    filters = result.filters_after.reshape(len(result.filters_after), -1)
    np.testing.assert_allclose(filters, np.broadcast_to(filters[:1], filters.shape), atol=1e-5)
    assert result.changes[-2].spread_after > 1e-2  # the output rows differ: one target per class


def test_random_init_breaks_the_symmetry(symmetry: dict[str, SymmetryResult]) -> None:
    result = symmetry["he"]
    hidden = [c for c in result.changes[:-2] if not math.isnan(c.spread_after)]
    assert min(c.spread_after for c in hidden) > 0.05
    assert result.val_acc > symmetry["zeros"].val_acc


def test_sibling_spread() -> None:
    assert sibling_spread(torch.ones(4, 3, 3, 3)) == 0.0
    w = torch.zeros(3, 2)
    w[2, 1] = -0.5
    assert sibling_spread(w) == 0.5
