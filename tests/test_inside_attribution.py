"""cnnviz.inside attribution against PyTorch: saliency is the autograd input gradient, Grad-CAM
finds the one hot region, Integrated Gradients adds up to the score's change, occlusion equals
covering the picture by hand, the sanity check changes the maps, rank correlation is Spearman's."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

from cnnviz.inside import (
    InsideError,
    attribute,
    grad_cam,
    integrated_gradients,
    occlusion,
    occlusion_window,
    randomised_model,
    rank_correlation,
    saliency,
)
from cnnviz.net import (
    ActivationSpec,
    Conv2dSpec,
    FlattenSpec,
    GlobalAvgPoolSpec,
    LinearSpec,
    NetSpec,
    build_model,
    get_preset,
)
from tests.inside_nets import shapes, trained_tiny


def test_saliency_is_the_autograd_input_gradient() -> None:
    model = build_model(get_preset("tiny"), seed=3).eval()
    x = torch.randn(1, 28, 28, generator=torch.Generator().manual_seed(0))
    for target in (0, 4):
        leaf = x[None].clone().requires_grad_(True)
        (expected,) = torch.autograd.grad(model(leaf)[0, target], leaf)
        torch.testing.assert_close(saliency(model, x, target), expected[0], rtol=0, atol=0)


def _hot_region_net() -> tuple[torch.nn.Module, torch.Tensor]:
    """conv 3x3 (a box filter) -> ReLU -> global average pool -> Linear(1, 2) = (+1, -1): the
    conv's map is hot only where the picture's bright square is."""
    net = NetSpec(
        input_shape=(1, 12, 12),
        layers=(
            Conv2dSpec(1, (3, 3), padding=(1, 1)),
            ActivationSpec("relu"),
            GlobalAvgPoolSpec(),
            FlattenSpec(),
            LinearSpec(2),
        ),
    )
    model = build_model(net, seed=0).eval()
    with torch.no_grad():
        conv, linear = model.layers[0], model.layers[4]
        conv.weight.fill_(1 / 9)
        conv.bias.zero_()
        linear.weight.copy_(torch.tensor([[1.0], [-1.0]]))
        linear.bias.zero_()
    x = torch.zeros(1, 12, 12)
    x[0, 2:5, 7:10] = 1.0  # the hot region: rows 2-4, columns 7-9
    return model, x


def test_grad_cam_highlights_the_single_hot_region() -> None:
    model, x = _hot_region_net()
    for layer in (0, 1):  # the conv and its ReLU
        cam = grad_cam(model, layer, x, target=0).numpy()
        assert cam.shape == (12, 12)
        row, col = np.unravel_index(np.argmax(cam), cam.shape)
        assert 2 <= row <= 4 and 7 <= col <= 9
        inside = cam[1:6, 6:11].mean()  # the square and the box filter's one-pixel spread
        outside = np.delete(cam.ravel(), [r * 12 + c for r in range(1, 6) for c in range(6, 11)])
        assert outside.max() == 0.0 and inside > 0.3 * cam.max() > 0
    # the other class's score falls where the region is: ReLU(negative weights x map) = 0
    assert float(grad_cam(model, 0, x, target=1).abs().max()) == 0.0


def test_grad_cam_on_a_layer_without_maps_says_so() -> None:
    model, x = _hot_region_net()
    for layer in (2, 3, 4):  # 1x1 after global pooling, Flatten, Linear
        with pytest.raises(InsideError) as caught:
            grad_cam(model, layer, x, 0)
        assert caught.value.key == "inside.error.gradcam_layer"
        assert caught.value.params["layer"] == layer + 1
    result = attribute(model, x, 0, 3, torch.zeros_like(x))
    assert result.gradcam_error is not None and "grad_cam" not in result.maps
    assert set(result.maps) == {"saliency", "integrated_gradients", "occlusion"}
    assert "Grad-CAM needs a layer" in result.gradcam_error.text("en")
    assert "Grad-CAM 需要" in result.gradcam_error.text("zh")


def test_integrated_gradients_add_up_to_the_change_of_the_score() -> None:
    _net, model = trained_tiny()
    data = shapes()
    x = data.val_x[3]
    baseline = torch.full_like(x, -data.mean[0] / data.std[0])  # the black picture
    target = int(model(x[None]).argmax())
    attributions = integrated_gradients(model, x, target, baseline, steps=64)
    with torch.no_grad():
        change = model(x[None])[0, target] - model(baseline[None])[0, target]
    assert float(attributions.sum()) == pytest.approx(float(change), rel=0.05, abs=0.05)


def test_occlusion_equals_covering_the_picture_by_hand() -> None:
    model = build_model(get_preset("tiny"), seed=1).eval()
    x = torch.rand(1, 28, 28, generator=torch.Generator().manual_seed(2))
    baseline = torch.zeros_like(x)
    window, stride = occlusion_window(28)
    assert (window, stride) == (4, 2)
    with torch.no_grad():
        score = model(x[None])[0, 1]
        total = torch.zeros(28, 28)
        count = torch.zeros(28, 28)
        for top in range(0, 28 - window + 1, stride):
            for left in range(0, 28 - window + 1, stride):
                covered = x.clone()
                covered[:, top : top + window, left : left + window] = 0.0
                drop = score - model(covered[None])[0, 1]
                total[top : top + window, left : left + window] += drop
                count[top : top + window, left : left + window] += 1
    expected = torch.where(count > 0, total / count.clamp(min=1), torch.zeros_like(total))
    torch.testing.assert_close(occlusion(model, x, 1, baseline), expected, atol=1e-5, rtol=1e-4)


def test_attribute_gives_four_maps_and_the_probabilities() -> None:
    _net, model = trained_tiny()
    x = shapes().val_x[0]
    result = attribute(model, x, 2, 5, torch.zeros_like(x))
    assert set(result.maps) == {"saliency", "integrated_gradients", "grad_cam", "occlusion"}
    assert all(m.shape == (28, 28) and np.isfinite(m).all() for m in result.maps.values())
    with torch.no_grad():
        expected = torch.softmax(model(x[None]), dim=1)[0].numpy()
    np.testing.assert_allclose(result.probabilities, expected, atol=1e-6)
    assert result.target == 2 and result.gradcam_error is None
    assert (result.maps["saliency"] >= 0).all() and (result.maps["grad_cam"] >= 0).all()


def test_the_sanity_check_changes_gradient_maps() -> None:
    """Adebayo et al.: on random weights, saliency and Grad-CAM must look different."""
    net, model = trained_tiny()
    random = randomised_model(net)
    trained_weights = dict(model.named_parameters())
    assert any(not torch.equal(p, trained_weights[name]) for name, p in random.named_parameters())
    data = shapes()
    for index in range(3):
        x = data.val_x[index]
        target = int(data.val_y[index])
        base = torch.full_like(x, -data.mean[0] / data.std[0])
        trained_maps = attribute(model, x, target, 5, base).maps
        random_maps = attribute(random, x, target, 5, base).maps
        assert rank_correlation(trained_maps["saliency"], random_maps["saliency"]) < 0.6
        assert not np.allclose(trained_maps["grad_cam"], random_maps["grad_cam"])


def test_rank_correlation_is_spearmans_of_the_magnitudes() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(7, 7))
    b = a + rng.normal(scale=0.5, size=(7, 7))
    b[0, :3] = b[0, 3]  # ties get average ranks
    expected = spearmanr(np.abs(a).ravel(), np.abs(b).ravel()).statistic
    assert rank_correlation(a, b) == pytest.approx(expected)
    assert rank_correlation(a, a) == pytest.approx(1.0)
    assert rank_correlation(a, np.zeros_like(a)) == 0.0
