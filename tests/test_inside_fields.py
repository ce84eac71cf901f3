"""cnnviz.inside invariance and receptive fields against PyTorch: shifts of a multiple of the
total stride shift the conv maps exactly, the invariance curve is the softmax of shifted
pictures, the theoretical window is exactly where the gradient can be non-zero, and the
effective field (autograd, averaged) lies inside it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnviz.inside import (
    InsideError,
    effective_field,
    equivariance,
    feature_index,
    field_box,
    field_start,
    invariance_curve,
    layer_output,
    mass_inside,
    pooling_variant,
    shift_images,
    spatial_layers,
)
from cnnviz.net import (
    ActivationSpec,
    AvgPool2dSpec,
    Conv2dSpec,
    FlattenSpec,
    GlobalAvgPoolSpec,
    LinearSpec,
    MaxPool2dSpec,
    NetSpec,
    ResidualBlockSpec,
    build_model,
    get_preset,
    infer,
)
from tests.inside_nets import shapes, trained_tiny


def _black(data_mean: float, data_std: float) -> torch.Tensor:
    return torch.full((1, 28, 28), -data_mean / data_std)


def test_shift_images_moves_pixels_and_fills_the_strip() -> None:
    x = torch.arange(2 * 5 * 6, dtype=torch.float32).view(2, 5, 6)
    fill = torch.full_like(x, -1.0)
    right = shift_images(x, 2, "horizontal", fill)
    torch.testing.assert_close(right[..., 2:], x[..., :-2])
    assert (right[..., :2] == -1).all()
    up = shift_images(x, -3, "vertical", fill)
    torch.testing.assert_close(up[:, :2], x[:, 3:])
    assert (up[:, 2:] == -1).all()
    torch.testing.assert_close(shift_images(x, 0, "vertical", fill), x)


@pytest.mark.parametrize("k", [-8, -4, 4, 8])
@pytest.mark.parametrize("axis", ["horizontal", "vertical"])
def test_a_shift_by_a_multiple_of_the_total_stride_shifts_the_conv_maps_exactly(
    k: int, axis: str
) -> None:
    """The default network's total stride is 4 (two 2x2 poolings): every layer's maps move by
    k / jump whole cells, and equal the original maps on every compared cell."""
    net, model = trained_tiny()
    data = shapes()
    layers = spatial_layers(net)
    assert max(layers[-1].jump) == 4
    for index in (0, 7, 42):
        x = data.val_x[index]
        rows = equivariance(model, net, layers, x, k, axis, _black(data.mean[0], data.std[0]))
        assert [row.layer.index for row in rows] == [layer.index for layer in layers]
        for row in rows:
            assert row.exact and row.compared > 0
            assert row.difference < 1e-6, (row.layer.name, row.difference)


def test_the_comparison_is_the_maps_shifted_by_hand() -> None:
    """Check the compared cells against torch directly: the layer-6 map of the shifted picture,
    moved back one cell, equals the original on the interior columns."""
    net, model = trained_tiny()
    data = shapes()
    x = data.val_x[5]
    fill = _black(data.mean[0], data.std[0])
    shifted = shift_images(x, 4, "horizontal", fill)
    with torch.no_grad():
        a = layer_output(model, 5, x[None])[0]  # (16, 7, 7), jump 4
        b = layer_output(model, 5, shifted[None])[0]
    # cell j of the original sees columns 4j - 3 .. 4j + 6 (start -3, size 10): the compared
    # cells see neither padding (j >= 1) nor the columns that leave (4j + 6 <= 27 - 4: j <= 4)
    assert field_start(net, 5) == (-3, -3)
    torch.testing.assert_close(b[:, :, 2:6], a[:, :, 1:5])
    row = equivariance(model, net, spatial_layers(net), x, 4, "horizontal", fill)[-1]
    assert row.compared == 4  # columns 1, 2, 3, 4
    assert np.isnan(row.shifted_back_difference[:, 0]).all()
    assert np.nanmax(np.abs(row.shifted_back_difference)) == 0.0


def test_a_shift_that_is_not_a_multiple_of_the_jump_changes_the_pooled_maps() -> None:
    net, model = trained_tiny()
    data = shapes()
    rows = equivariance(
        model,
        net,
        spatial_layers(net),
        data.val_x[0],
        1,
        "horizontal",
        _black(data.mean[0], data.std[0]),
    )
    first, last = rows[0], rows[-1]
    assert first.exact and first.difference < 1e-6  # the first conv: jump 1
    assert not last.exact and last.cells == 0.25 and last.difference > 0.01


def test_shifts_beyond_the_limit_are_refused() -> None:
    net, model = trained_tiny()
    with pytest.raises(InsideError, match="too large"):
        equivariance(
            model,
            net,
            spatial_layers(net),
            shapes().val_x[0],
            9,
            "horizontal",
            torch.zeros(1, 28, 28),
        )


def test_invariance_curve_is_the_softmax_of_the_shifted_pictures() -> None:
    net, model = trained_tiny()
    data = shapes()
    x = data.val_x[11]
    fill = _black(data.mean[0], data.std[0])
    curve = invariance_curve(model, feature_index(net), x, "vertical", fill)
    assert curve.shifts.tolist() == list(range(-8, 9))
    with torch.no_grad():
        batch = torch.stack([shift_images(x, int(k), "vertical", fill) for k in curve.shifts])
        probabilities = torch.softmax(model(batch), dim=1).numpy()
        features = layer_output(model, 6, batch).flatten(1)
    assert curve.target == int(probabilities[8].argmax())
    np.testing.assert_allclose(curve.probability, probabilities[:, curve.target], atol=1e-6)
    np.testing.assert_array_equal(curve.predicted, probabilities.argmax(axis=1))
    expected = (features - features[8]).norm(dim=1) / features[8].norm()
    np.testing.assert_allclose(curve.feature_change, expected.numpy(), atol=1e-6)
    assert curve.feature_change[8] == 0.0


def test_pooling_variants_remove_pooling_or_set_its_stride_to_one() -> None:
    net = get_preset("tiny")
    no_pool = pooling_variant(net, "no_pooling")
    assert not any(isinstance(s, MaxPool2dSpec) for s in no_pool.layers)
    assert len(no_pool.layers) == len(net.layers) - 2
    assert infer(no_pool).layers[-1].input_shape == (16 * 28 * 28,)
    stride_one = pooling_variant(net, "stride_one")
    pools = [s for s in stride_one.layers if isinstance(s, MaxPool2dSpec)]
    assert len(pools) == 2 and all(p.stride == (1, 1) for p in pools)
    assert infer(stride_one).ok and infer(stride_one).output_shape == (6,)
    plain = NetSpec((1, 8, 8), (Conv2dSpec(2, (3, 3)), FlattenSpec(), LinearSpec(3)))
    with pytest.raises(InsideError) as caught:
        pooling_variant(plain, "no_pooling")
    assert caught.value.key == "inside.error.no_pooling"


# ------------------------------------------------------------------------- receptive fields

NETS = {
    "tiny": get_preset("tiny"),
    "strided-dilated": NetSpec(
        (1, 23, 21),
        (
            Conv2dSpec(3, (5, 3), stride=(2, 1), padding=(2, 0)),
            ActivationSpec("tanh"),
            Conv2dSpec(2, (3, 3), dilation=(2, 2), padding="same"),
            ActivationSpec("tanh"),
            AvgPool2dSpec((3, 3), stride=(2, 2), padding=(1, 1)),
            Conv2dSpec(2, (2, 2), stride=(1, 2)),
            FlattenSpec(),
            LinearSpec(2),
        ),
    ),
    "residual": NetSpec(
        (1, 16, 16),
        (
            Conv2dSpec(4, (3, 3), padding=(1, 1)),
            ResidualBlockSpec(8, stride=2, activation="tanh", batch_norm=False),
            ResidualBlockSpec(8, bottleneck=True, activation="tanh", batch_norm=False),
            GlobalAvgPoolSpec(),
            FlattenSpec(),
            LinearSpec(2),
        ),
    ),
}


def _gradient_support(
    model: torch.nn.Module, layer: int, row: int, col: int, x: torch.Tensor
) -> np.ndarray:
    leaf = x.clone().requires_grad_(True)
    out = layer_output(model, layer, leaf)
    (grad,) = torch.autograd.grad(out[:, 0, row, col].sum(), leaf)
    return (grad.abs().sum(dim=(0, 1)) > 0).numpy()


@pytest.mark.parametrize("name", list(NETS))
def test_the_theoretical_field_is_where_the_gradient_can_be_non_zero(name: str) -> None:
    """With smooth activations and random weights every pixel of the window reaches the cell:
    the gradient's support equals the clipped window (max pooling, whose gradient picks one
    pixel, only stays inside it)."""
    net = NETS[name]
    model = build_model(net, seed=4).eval()
    x = torch.randn(3, *net.input_shape, generator=torch.Generator().manual_seed(1))
    dense = not any(
        isinstance(s, MaxPool2dSpec) or (isinstance(s, ActivationSpec) and s.function == "relu")
        for s in net.layers
    )
    rng = np.random.default_rng(0)
    for layer in spatial_layers(net):
        cells = {(0, 0), (layer.height - 1, layer.width - 1)}
        cells.add((int(rng.integers(layer.height)), int(rng.integers(layer.width))))
        for row, col in cells:
            box = field_box(net, layer.index, row, col)
            support = _gradient_support(model, layer.index, row, col, x)
            window = np.zeros_like(support)
            window[box.top : box.bottom + 1, box.left : box.right + 1] = True
            assert not (support & ~window).any(), (name, layer.name, row, col, box)
            if dense:
                assert (support == window).all(), (name, layer.name, row, col, box)
            assert box.size == layer.receptive_field and box.jump == layer.jump


def test_the_effective_field_lies_inside_the_theoretical_one() -> None:
    net, model = trained_tiny()
    images = shapes().val_x[:64]
    for layer in spatial_layers(net):
        for row, col in ((0, 0), (layer.height // 2, layer.width // 3), (layer.height - 1, 2)):
            box = field_box(net, layer.index, row, col)
            field = effective_field(model, layer.index, 1, row, col, images)
            assert field.shape == (28, 28) and field.sum() > 0
            outside = field.copy()
            outside[box.top : box.bottom + 1, box.left : box.right + 1] = 0
            assert outside.max() == 0.0
            assert mass_inside(field, box) == pytest.approx(1.0)


def test_the_effective_field_is_the_mean_gradient_magnitude() -> None:
    net = NETS["residual"]
    model = build_model(net, seed=2).eval()
    images = torch.randn(5, 1, 16, 16, generator=torch.Generator().manual_seed(3))
    expected = torch.zeros(16, 16)
    for image in images:
        leaf = image[None].clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(layer_output(model, 1, leaf)[0, 3, 2, 5], leaf)
        expected += grad[0].abs().sum(dim=0) / len(images)
    field = effective_field(model, 1, 3, 2, 5, images)
    np.testing.assert_allclose(field, expected.numpy(), atol=1e-6)


def test_cells_outside_the_map_are_refused() -> None:
    net = get_preset("tiny")
    with pytest.raises(InsideError) as caught:
        field_box(net, 5, 7, 0)
    assert caught.value.key == "inside.error.cell"
    with pytest.raises(InsideError):
        field_box(net, 6, 0, 0)  # Flatten: no maps
