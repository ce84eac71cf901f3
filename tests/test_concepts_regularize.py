"""/regularize library: inverted dropout's mean and nn.Dropout, batch norm against nn.BatchNorm2d
and its formula, LRN in the paper's and PyTorch's conventions, the AlexNet preset's LRN read in both."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from cnnviz.concepts import (
    DEEP_NET,
    PAPER_ALPHA,
    ConceptError,
    batchnorm_demo,
    bn_runs,
    check_p,
    dropout_demo,
    layer_activations,
    lrn_explain,
    nn_dropout_check,
    preset_lrn,
)
from cnnviz.net import (
    BatchNorm2dSpec,
    LocalResponseNormSpec,
    NetSpec,
    get_preset,
)


def test_layer_activations_are_a_relu_layer() -> None:
    h = layer_activations(3)
    assert h.shape == (16,) and (h >= 0).all() and (h > 0).any()
    np.testing.assert_array_equal(h, layer_activations(3))


def test_inverted_dropout_keeps_the_expected_sum() -> None:
    h = layer_activations(0)
    demo = dropout_demo(h, 0.5, seed=7)
    scale = 1 / (1 - 0.5)
    np.testing.assert_allclose(demo.train, h * demo.keep * scale)
    np.testing.assert_array_equal(demo.eval, h)
    assert demo.running_mean.shape == (1000, 16)
    # the mean over 1,000 masks converges to the eval output: distance ~ sqrt(p / (1 - p) / M)
    assert demo.distance[-1] < 0.06 < demo.distance[0]
    np.testing.assert_allclose(demo.running_mean[-1], h, atol=0.25 * h.max())
    total, _, mean_total = demo.sums
    assert mean_total == pytest.approx(total, rel=0.05)
    same = dropout_demo(h, 0.5, seed=7)
    np.testing.assert_array_equal(same.keep, demo.keep)  # seeded
    assert not np.array_equal(dropout_demo(h, 0.5, seed=8).keep, demo.keep)  # resample


def test_dropout_statistics_match_nn_dropout() -> None:
    h = layer_activations(1)
    check = nn_dropout_check(h, 0.3, draws=2000)
    assert check.kept_values_match and check.eval_is_identity
    assert check.dropped_fraction == pytest.approx(0.3, abs=0.03)
    assert check.mean_gap < 0.1
    ours = dropout_demo(h, 0.3, seed=0, masks=2000)
    assert 1 - ours.keep.mean() == pytest.approx(0.3, abs=0.35)  # one mask of 16
    dropped = 1 - np.mean([dropout_demo(h, 0.3, seed=s, masks=1).keep.mean() for s in range(200)])
    assert dropped == pytest.approx(0.3, abs=0.03)


@pytest.mark.parametrize("p", [1.0, 1.5, -0.1, float("nan")])
def test_bad_p_is_refused(p: float) -> None:
    with pytest.raises(ConceptError) as error:
        check_p(p)
    assert error.value.key == "why.reg.bad_p" and "1 - p" in error.value.text("en")


def test_batchnorm_demo_against_the_module_and_the_formula() -> None:
    demo = batchnorm_demo(shift=3.0, scale=4.0, gamma=1.5, beta=-0.5, momentum=0.1, batches_seen=3)
    assert demo.formula_gap < 1e-10
    out = demo.train_out
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), -0.5, atol=1e-9)  # beta
    np.testing.assert_allclose(out.std(axis=(0, 2, 3)), 1.5, rtol=1e-4)  # gamma
    np.testing.assert_allclose(demo.batch_mean, demo.before.mean(axis=(0, 2, 3)))
    # running statistics after 3 batches with momentum 0.1 have not reached the batch's
    assert demo.train_eval_gap > 0.1
    converged = batchnorm_demo(shift=3.0, scale=4.0, momentum=1.0, batches_seen=1)
    n = converged.before.size / 4
    np.testing.assert_allclose(converged.running_var, converged.batch_var * n / (n - 1))  # unbiased
    with pytest.raises(ConceptError):
        batchnorm_demo(batches_seen=0)


def test_batchnorm_running_stats_follow_pytorch() -> None:
    demo = batchnorm_demo(momentum=0.5, batches_seen=1, shift=1.0, scale=2.0)
    bn = nn.BatchNorm2d(4, momentum=0.5, dtype=torch.float64)
    bn.train()(torch.tensor(demo.before))  # the same single batch through a fresh module
    np.testing.assert_allclose(demo.running_mean, bn.running_mean.numpy())  # type: ignore[union-attr]
    np.testing.assert_allclose(demo.running_var, bn.running_var.numpy())  # type: ignore[union-attr]
    np.testing.assert_allclose(demo.running_mean, 0.5 * demo.batch_mean)  # (1 - m) 0 + m mu_B


def test_bn_runs_differ_only_by_batch_norm() -> None:
    plain, with_bn = bn_runs(seed=3)
    assert plain.net == DEEP_NET and plain.cfg == with_bn.cfg and plain.cfg.seed == 3
    assert not any(isinstance(layer, BatchNorm2dSpec) for layer in plain.net.layers)
    assert sum(isinstance(layer, BatchNorm2dSpec) for layer in with_bn.net.layers) == 6


def test_lrn_paper_formula_equals_pytorch_with_alpha_times_n() -> None:
    a = [3.0, -1.0, 4.0, 1.5, 9.0, 2.0, 6.0]
    result = lrn_explain(a, size=5, alpha=1e-2, beta=0.75, k=2.0)
    assert result.matched_gap < 1e-12
    layer = nn.LocalResponseNorm(5, alpha=5e-2, beta=0.75, k=2.0)
    torch_out = layer(torch.tensor(a, dtype=torch.float64).view(1, 7, 1, 1)).flatten().numpy()
    np.testing.assert_allclose(result.paper, torch_out)
    row = result.rows[0]  # channel 0: window 0..2
    assert (row.first, row.last) == (0, 2)
    assert row.sum_squares == pytest.approx(9 + 1 + 16)
    assert row.value == pytest.approx(3.0 / (2.0 + 1e-2 * 26) ** 0.75)
    assert np.all(np.abs(result.torch_naive) >= np.abs(result.paper))  # 1/n of the alpha: weaker
    assert result.torch_alpha == pytest.approx(5e-2)
    with pytest.raises(ConceptError):
        lrn_explain([1.0])


def test_preset_lrn_is_read_in_both_conventions() -> None:
    paper = NetSpec((3, 8, 8), (LocalResponseNormSpec(size=5, alpha=5 * PAPER_ALPHA),))
    (found,) = preset_lrn(paper)
    assert found.is_paper_layer and found.paper_alpha == pytest.approx(PAPER_ALPHA)
    (weak,) = preset_lrn(NetSpec((3, 8, 8), (LocalResponseNormSpec(size=5, alpha=1e-4),)))
    assert not weak.is_paper_layer and weak.paper_alpha == pytest.approx(2e-5)
    alexnet = preset_lrn(get_preset("alexnet2012"))
    assert len(alexnet) == 2
    assert all(layer.paper_alpha == pytest.approx(layer.torch_alpha / 5) for layer in alexnet)
    assert all(layer.is_paper_layer for layer in alexnet)  # the preset is the paper's layer
