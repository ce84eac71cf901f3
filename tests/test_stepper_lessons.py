"""The steppers' lesson logic (cnnviz.lessons: pool_stepper, conv_stepper, stepper_request)
against PyTorch: forward steps, the pooling backward pass and where each gradient goes, the
overlapping-pooling comparison, global average pooling; plus the typed settings and the
Build-page request parser rejecting what they should."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnviz.lessons import (
    GRAD_SOURCES,
    POOL_COMPARISON,
    ConvSettings,
    PoolSettings,
    StepperRequest,
    compute_conv,
    compute_pool,
    conv_request,
    conv_request_settings,
    conv_weights,
    global_average,
    groups_problem,
    make_weights,
    parse_stepper_request,
    pool_backward,
    pool_layout,
    pool_request_settings,
    request_target,
    typed_gradient_base,
    upstream_gradient,
)
from cnnviz.net import AvgPool2dSpec, Conv2dSpec, MaxPool2dSpec, SpecError, conv_output_size_asym

torch.set_num_threads(1)

# (shape, kernel, stride, padding): tiles, overlapping (AlexNet 3x3/2), padding, truncation, 1-wide
POOL_GEOMETRIES = [
    ((6, 6), (2, 2), (2, 2), (0, 0)),
    ((7, 7), (3, 3), (2, 2), (0, 0)),
    ((7, 5), (3, 3), (2, 2), (1, 1)),
    ((5, 8), (2, 3), (1, 2), (1, 1)),
    ((9, 4), (3, 1), (3, 1), (0, 0)),
]


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64))


def _pool_input(shape: tuple[int, int], channels: int = 2, seed: int = 0) -> np.ndarray:
    """Seeded integers with ties (0..4): ties are where max pooling's routing is subtle."""
    return np.random.default_rng(seed).integers(0, 5, size=(channels, *shape)).astype(np.float64)


def _torch_pool(kind: str, x: torch.Tensor, settings: PoolSettings) -> torch.Tensor:
    pool = F.max_pool2d if kind == "max" else F.avg_pool2d
    return pool(x, settings.kernel, settings.stride, settings.padding)


# ---------------------------------------------------------------- pooling: forward and backward


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize(("shape", "kernel", "stride", "padding"), POOL_GEOMETRIES)
def test_pool_stepper_steps_match_torch(
    kind: str, shape: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int], padding
) -> None:
    x = _pool_input(shape)
    settings = PoolSettings(
        kind=kind, shape=shape, channel=1, kernel=kernel, stride=stride, padding=padding
    )  # type: ignore[arg-type]
    stepper = compute_pool(settings, x)
    expected = _torch_pool(kind, _t(x)[None], settings)[0, 1].numpy()  # channel 1
    assert stepper.out_hw == expected.shape
    np.testing.assert_array_equal(stepper.channel_input, x[1])
    for i in range(expected.shape[0]):
        for j in range(expected.shape[1]):
            step = stepper.step_at(i, j)
            assert step.out_index == (1, i, j)
            assert step.result == pytest.approx(expected[i, j], abs=1e-12)
    for general in (False, True):
        h_line, w_line = stepper.output_formulas(general)
        assert h_line.endswith(f"= {expected.shape[0]}")
        assert w_line.endswith(f"= {expected.shape[1]}")


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("grad_source", GRAD_SOURCES)
@pytest.mark.parametrize(("shape", "kernel", "stride", "padding"), POOL_GEOMETRIES)
def test_pool_backward_of_every_kind_equals_autograd(
    kind: str,
    grad_source: str,
    shape: tuple[int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> None:
    x = _pool_input(shape, seed=3)
    settings = PoolSettings(
        kind=kind,
        shape=shape,
        channel=1,
        kernel=kernel,
        stride=stride,
        padding=padding,
        grad_source=grad_source,
        grad_seed=7,
    )  # type: ignore[arg-type]
    stepper = compute_pool(settings, x)
    grad = upstream_gradient(settings.grad_source, stepper.out_hw, settings.grad_seed)
    x_t = _t(x[1])[None, None].requires_grad_(True)
    _torch_pool(kind, x_t, settings).backward(_t(grad)[None, None])
    oracle = x_t.grad[0, 0].numpy()  # type: ignore[index]
    for cell in [(0, 0), (stepper.out_hw[0] - 1, stepper.out_hw[1] - 1)]:
        result = pool_backward(stepper, grad, cell)
        np.testing.assert_allclose(result.grad_in, oracle, atol=1e-12)
        np.testing.assert_allclose(result.autograd, oracle, atol=1e-12)
        assert result.matches_autograd
        assert result.out_cell == cell and result.gradient == grad[cell]
        assert result.kind == kind and result.step.out_index == (0, *cell)


@pytest.mark.parametrize(("shape", "kernel", "stride", "padding"), POOL_GEOMETRIES)
def test_max_pool_gradient_goes_to_torchs_argmax(
    shape: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int], padding
) -> None:
    """The written fact "the gradient goes to input cell (r, c)" is torch's arg-max, ties included."""
    x = _pool_input(shape, seed=5)
    settings = PoolSettings(kind="max", shape=shape, kernel=kernel, stride=stride, padding=padding)
    stepper = compute_pool(settings, x)
    _, indices = F.max_pool2d(_t(x[:1])[None], kernel, stride, padding, return_indices=True)
    grad = upstream_gradient("random_int", stepper.out_hw, 2)
    for i in range(stepper.out_hw[0]):
        for j in range(stepper.out_hw[1]):
            result = pool_backward(stepper, grad, (i, j))
            assert result.winner == divmod(int(indices[0, 0, i, j]), shape[1])
            assert result.share == pytest.approx(grad[i, j] / (kernel[0] * kernel[1]))


@pytest.mark.parametrize(("shape", "kernel", "stride", "padding"), POOL_GEOMETRIES)
def test_avg_pool_share_is_what_autograd_gives_each_window_cell(
    shape: tuple[int, int], kernel: tuple[int, int], stride: tuple[int, int], padding
) -> None:
    """One output cell's gradient alone: every input cell of its window receives ``share``."""
    x = _pool_input(shape, seed=6)
    settings = PoolSettings(kind="avg", shape=shape, kernel=kernel, stride=stride, padding=padding)
    stepper = compute_pool(settings, x)
    i, j = stepper.out_hw[0] - 1, 0
    one_hot = np.zeros(stepper.out_hw)
    one_hot[i, j] = 6.0
    result = pool_backward(stepper, one_hot, (i, j))
    assert result.winner is None and result.window_size == kernel[0] * kernel[1]
    x_t = _t(x[0])[None, None].requires_grad_(True)
    F.avg_pool2d(x_t, kernel, stride, padding).backward(_t(one_hot)[None, None])
    received = x_t.grad[0, 0].numpy()  # type: ignore[index]
    assert set(np.unique(received)) <= {0.0, result.share}
    np.testing.assert_allclose(result.grad_in, received, atol=1e-12)


def test_upstream_gradient_sources() -> None:
    np.testing.assert_array_equal(upstream_gradient("ones", (2, 3)), np.ones((2, 3)))
    random = upstream_gradient("random_int", (4, 5), seed=1)
    assert random.shape == (4, 5) and random.dtype == np.float64
    assert random.min() >= 1 and random.max() <= 9 and np.all(random == np.round(random))
    np.testing.assert_array_equal(random, upstream_gradient("random_int", (4, 5), seed=1))
    assert not np.array_equal(random, upstream_gradient("random_int", (4, 5), seed=2))
    np.testing.assert_array_equal(upstream_gradient("typed", (2, 2)), [[1, 2], [3, 4]])
    np.testing.assert_array_equal(typed_gradient_base((1, 3)), [[1, 2, 3]])
    with pytest.raises(SpecError, match="not offered here"):
        upstream_gradient("zeros", (2, 2))  # type: ignore[arg-type]


def test_pool_backward_rejects_a_gradient_of_the_wrong_shape() -> None:
    stepper = compute_pool(PoolSettings(), _pool_input((6, 6)))
    with pytest.raises(SpecError, match="one value per output cell"):
        pool_backward(stepper, np.ones((2, 3)), (0, 0))


def test_compute_pool_reports_what_cannot_be_computed() -> None:
    x = _pool_input((4, 4))
    with pytest.raises(SpecError, match="more than half"):
        compute_pool(PoolSettings(kernel=(2, 2), padding=(2, 0)), x)
    with pytest.raises(SpecError, match="no window fits"):
        compute_pool(PoolSettings(kernel=(5, 5), stride=(1, 1)), x)
    with pytest.raises(SpecError, match="outside the output"):
        compute_pool(PoolSettings(channel=2), x)  # the input has channels 0 and 1


def test_pool_settings_facts_and_code() -> None:
    settings = PoolSettings(kind="avg", kernel=(3, 3), stride=(2, 1), padding=(1, 0))
    assert settings.overlapping and settings.layer_name == "AvgPool2d"
    assert (
        settings.pytorch_code() == "nn.AvgPool2d(kernel_size=(3, 3), stride=(2, 1), padding=(1, 0))"
    )
    assert not PoolSettings().overlapping
    stepper = compute_pool(PoolSettings(shape=(7, 7), kernel=(2, 2)), _pool_input((7, 7)))
    assert stepper.unreached() == (1, 1)  # floor((7 - 2) / 2) + 1 = 3 windows read rows 0..5
    assert stepper.dropped() == (1, 1)
    padded = compute_pool(
        PoolSettings(shape=(8, 8), kernel=(3, 3), stride=(2, 2), padding=(1, 1)),
        _pool_input((8, 8)),
    )
    assert padded.unreached() == (1, 1) and padded.dropped() == (0, 0)  # max pool 3/2/1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "min", "unknown pooling"),
        ("source", "upload", "not offered here"),
        ("grad_source", "zeros", "not offered here"),
        ("shape", (6,), "pair"),
        ("shape", (0, 6), "too small"),
        ("kernel", (2.5, 2), "not a whole number"),
        ("kernel", (True, 2), "not a whole number"),
        ("stride", (1, 0), "too small"),
        ("padding", (-1, 0), "too small"),
        ("channel", -1, "too small"),
        ("seed", "1", "not a whole number"),
        ("grad_seed", -3, "too small"),
    ],
)
def test_pool_settings_reject_bad_values(field: str, value: object, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        PoolSettings(**{field: value})  # type: ignore[arg-type]


def test_pool_settings_are_normalised_frozen_and_hashable() -> None:
    settings = PoolSettings(kernel=[np.int64(3), 3], stride=[2, 2], shape=[7, 7])  # type: ignore[arg-type]
    assert settings.kernel == (3, 3) and type(settings.kernel[0]) is int
    assert settings == PoolSettings(kernel=(3, 3), stride=(2, 2), shape=(7, 7))
    assert hash(settings) == hash(PoolSettings(kernel=(3, 3), stride=(2, 2), shape=(7, 7)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.kind = "avg"  # type: ignore[misc]


# ---------------------------------------------------------------- pooling: the extras


@pytest.mark.parametrize("shape", [(5, 5), (6, 7), (13, 13), (3, 3)])
def test_overlapping_vs_tiles_match_torch(shape: tuple[int, int]) -> None:
    x = _pool_input(shape, channels=1, seed=8)[0]
    assert [(name, k, s) for name, k, s in POOL_COMPARISON] == [("overlap", 3, 2), ("tiles", 2, 2)]
    for _, k, s in POOL_COMPARISON:
        layout = pool_layout(x, k, s)
        expected = F.max_pool2d(_t(x)[None, None], k, s)[0, 0].numpy()
        np.testing.assert_array_equal(layout.output, expected)
        # coverage = how often autograd of avg pooling touches a cell, times the window size
        x_t = _t(x)[None, None].requires_grad_(True)
        F.avg_pool2d(x_t, k, s).sum().backward()
        counts = np.rint(x_t.grad[0, 0].numpy() * k * k).astype(int)  # type: ignore[index]
        np.testing.assert_array_equal(layout.coverage, counts)
        assert layout.overlap == int((counts > 1).sum())
        assert layout.unused == int((counts == 0).sum())
        assert layout.formulas[0].endswith(f"= {expected.shape[0]}")
        assert layout.formulas[1].endswith(f"= {expected.shape[1]}")


def test_overlap_and_unused_cells_on_a_5x5_input() -> None:
    x = np.arange(25.0).reshape(5, 5)
    overlap, tiles = (pool_layout(x, k, s) for _, k, s in POOL_COMPARISON)
    assert overlap.output.shape == (2, 2) and overlap.overlap == 9 and overlap.unused == 0
    assert tiles.output.shape == (2, 2) and tiles.overlap == 0 and tiles.unused == 9
    with pytest.raises(SpecError, match="no window fits"):
        pool_layout(np.ones((2, 2)), 3, 2)


@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (4, 7)])
def test_global_average_matches_adaptive_avg_pool(shape: tuple[int, int]) -> None:
    x = np.random.default_rng(4).normal(size=shape)
    gap = global_average(x)
    expected = F.adaptive_avg_pool2d(_t(x)[None, None], 1)[0, 0, 0, 0].item()
    assert gap.mean == pytest.approx(expected, abs=1e-12)
    assert gap.total == pytest.approx(x.sum()) and gap.count == x.size
    assert (gap.height, gap.width) == shape
    assert gap.mean == pytest.approx(gap.total / gap.count)


# ---------------------------------------------------------------- the Build page's request


def _raw(layer: object, x: object = None, **extra: object) -> dict[str, object]:
    sent = np.arange(2 * 9 * 9, dtype=np.float32).reshape(2, 9, 9) if x is None else x
    return {"layer": layer, "input": sent, "label": "Layer 2", "source": "build", **extra}


def test_request_target_names_the_stepper_that_owns_the_layer() -> None:
    assert request_target(None) is None
    assert request_target("not a dict") is None
    assert request_target(_raw(Conv2dSpec(4, 3))) == "conv"
    assert request_target(_raw(MaxPool2dSpec(2))) == "pool"
    assert request_target(_raw(AvgPool2dSpec(3, 2))) == "pool"
    assert request_target(_raw(None)) == "other"
    assert request_target(_raw("MaxPool2d")) == "other"


def test_parse_crops_the_centre_and_keeps_where_it_came_from() -> None:
    big = np.random.default_rng(0).random((6, 40, 41))
    request = parse_stepper_request(
        _raw(MaxPool2dSpec(3, 2), big, label=7, source="walkthrough"), "pool"
    )
    assert isinstance(request, StepperRequest)
    assert request.input.shape == (3, 32, 32) and request.input.dtype == np.float64
    np.testing.assert_array_equal(request.input, big[:3, 4:36, 4:36])
    assert request.full_shape == (6, 40, 41) and request.cropped
    assert request.label == "7" and request.source == "walkthrough" and request.target == "pool"
    small = parse_stepper_request({"layer": Conv2dSpec(2, 3), "input": np.ones((1, 5, 5))}, "conv")
    assert not small.cropped and small.source == "build" and small.label == ""
    assert small.weights is None and small.target == "conv"
    tiny = parse_stepper_request(_raw(MaxPool2dSpec(2), big), "pool", max_size=8, max_channels=1)
    assert tiny.input.shape == (1, 8, 8)


@pytest.mark.parametrize(
    ("raw", "stepper", "message"),
    [
        ("Layer 2", "pool", "must be a dict"),
        ([MaxPool2dSpec(2), np.ones((1, 4, 4))], "pool", "must be a dict"),
        (_raw(Conv2dSpec(2, 3)), "pool", "cannot open a Conv2dSpec"),
        (_raw(MaxPool2dSpec(2)), "conv", "cannot open a MaxPool2dSpec"),
        (_raw(None), "conv", "cannot open a NoneType"),
        (_raw(MaxPool2dSpec(2), np.full((1, 4, 4), np.nan)), "pool", "finite"),
        (_raw(MaxPool2dSpec(2), np.array([[[1.0, np.inf]]])), "pool", "finite"),
        (_raw(MaxPool2dSpec(2), "pixels"), "pool", "finite"),
        (_raw(MaxPool2dSpec(2), np.ones((4, 4))), "pool", r"\(C, H, W\)"),
        (_raw(MaxPool2dSpec(2), [[[1, 2], [3]]]), "pool", r"\(C, H, W\)"),
        (_raw(MaxPool2dSpec(2), np.ones((1, 0, 4))), "pool", r"\(C, H, W\)"),
        (_raw(Conv2dSpec(2, 3), {"x": 1}), "conv", r"\(C, H, W\)"),
    ],
)
def test_parse_rejects_what_cannot_be_opened(raw: object, stepper: str, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        parse_stepper_request(raw, stepper)  # type: ignore[arg-type]


def test_parse_drops_weights_that_are_not_finite_numbers() -> None:
    layer = Conv2dSpec(2, 3)
    for junk in ("weights", [[1, 2], [3]], np.full((2, 2, 3, 3), np.nan), object()):
        assert parse_stepper_request(_raw(layer, weights=junk), "conv").weights is None
    weights = np.ones((2, 2, 3, 3), dtype=np.float32)
    kept = parse_stepper_request(_raw(layer, weights=weights), "conv").weights
    assert kept is not None and kept.dtype == np.float64 and kept.shape == (2, 2, 3, 3)


def test_pool_request_settings_take_the_layer() -> None:
    request = parse_stepper_request(_raw(MaxPool2dSpec(3, 2, padding=1)), "pool")
    settings = pool_request_settings(request, PoolSettings(kind="avg", channel=1, grad_seed=5))
    assert settings == PoolSettings(
        kind="max",
        source="request",
        shape=(9, 9),
        channel=0,
        kernel=(3, 3),
        stride=(2, 2),
        padding=(1, 1),
        grad_seed=5,
    )
    avg = pool_request_settings(parse_stepper_request(_raw(AvgPool2dSpec(2)), "pool"))
    assert avg.kind == "avg" and avg.stride == (2, 2)  # stride defaults to the kernel
    compute_pool(avg, request.input)  # the settings fit the request's input
    with pytest.raises(SpecError, match="cannot open"):
        pool_request_settings(parse_stepper_request(_raw(Conv2dSpec(2, 3)), "conv"))


# ---------------------------------------------------------------- convolution


def test_conv_request_keeps_the_weights_of_the_channels_shown() -> None:
    rng = np.random.default_rng(1)
    weights = rng.normal(size=(4, 5, 3, 3))
    raw = _raw(Conv2dSpec(4, 3, padding=1), rng.random((5, 8, 8)), weights=weights)
    request = conv_request(parse_stepper_request(raw, "conv"))
    assert request.weights is not None
    np.testing.assert_array_equal(request.weights, weights[:, :3])
    assert request.notes == ("conv.request_channels_subset",) and request.groups == 1
    assert request.full_shape == (5, 8, 8) and request.input.shape == (3, 8, 8)
    wrong = conv_request(parse_stepper_request({**raw, "weights": weights[:, :4]}, "conv"))
    assert wrong.weights is None  # not the layer's shape: seeded random kernels instead


def test_conv_request_drops_groups_that_no_longer_divide() -> None:
    rng = np.random.default_rng(2)
    raw = _raw(Conv2dSpec(4, 3, groups=2), rng.random((6, 8, 8)), weights=rng.random((4, 3, 3, 3)))
    request = conv_request(parse_stepper_request(raw, "conv"))
    assert request.groups == 1 and request.weights is None
    assert request.notes == ("stepper.request_groups_dropped", "conv.request_channels_subset")
    full = _raw(Conv2dSpec(4, 3, groups=2), rng.random((2, 8, 8)), weights=rng.random((4, 1, 3, 3)))
    kept = conv_request(parse_stepper_request(full, "conv"))
    assert kept.groups == 2 and kept.notes == () and kept.weights is not None
    with pytest.raises(SpecError, match="cannot open"):
        conv_request(parse_stepper_request(_raw(MaxPool2dSpec(2)), "pool"))


def test_conv_request_settings_and_weights() -> None:
    rng = np.random.default_rng(3)
    weights = rng.normal(size=(2, 3, 3, 3))
    raw = _raw(Conv2dSpec(2, 3, stride=2, padding=(1, 0), dilation=(1, 2)), rng.random((3, 9, 9)))
    request = conv_request(parse_stepper_request({**raw, "weights": weights}, "conv"))
    settings = conv_request_settings(request)
    assert settings.source == "request" and settings.mode == "normal"
    assert settings.shape == (3, 9, 9) and settings.filters == 2
    assert settings.padding == (1, 1, 0, 0) and settings.dilation == (1, 2)
    assert settings.bias == 0.0 and not settings.flip
    np.testing.assert_array_equal(conv_weights(settings, request), weights)
    same = conv_request(
        parse_stepper_request(
            _raw(Conv2dSpec(2, 3, padding="same", bias=False), rng.random((1, 5, 5))), "conv"
        )
    )
    same_settings = conv_request_settings(same)
    assert same_settings.padding == "same" and same_settings.bias is None
    np.testing.assert_array_equal(  # no weights sent: seeded random kernels, seed 0
        conv_weights(same_settings, same), make_weights(["random"] * 2, 1, 3, 3, seed=0)
    )


def test_conv_weights_from_named_kernels_and_groups_problem() -> None:
    settings = ConvSettings(shape=(2, 5, 5), filters=2, kernel_names=("sobel_x", "typed"), seed=4)
    np.testing.assert_array_equal(
        conv_weights(settings), make_weights(["sobel_x", "identity"], 2, 3, 3, seed=4)
    )
    assert groups_problem(settings) is None
    bad = dataclasses.replace(settings, shape=(3, 5, 5), groups=2)
    problem = groups_problem(bad)
    assert problem is not None and "groups=2 must divide" in problem.text("en")


CONV_CASES = [
    # (shape, filters, kernel, stride, padding, dilation, groups, bias, flip)
    ((1, 5, 5), 1, (3, 3), (1, 1), "same", (1, 1), 1, None, False),
    ((3, 7, 6), 2, (3, 2), (2, 1), "valid", (1, 2), 1, 0.5, False),
    ((2, 6, 6), 4, (3, 3), (1, 2), (0, 2, 1, 0), (2, 1), 2, -1.0, False),
    ((1, 6, 5), 2, (2, 3), (1, 1), (1, 1, 1, 1), (1, 1), 1, None, True),
]


@pytest.mark.parametrize(
    ("shape", "filters", "kernel", "stride", "padding", "dilation", "groups", "bias", "flip"),
    CONV_CASES,
)
def test_conv_stepper_steps_match_torch(
    shape, filters, kernel, stride, padding, dilation, groups, bias, flip
) -> None:
    rng = np.random.default_rng(5)
    settings = ConvSettings(
        shape=shape,
        filters=filters,
        kernel=kernel,
        kernel_names=("random",) * filters,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        bias=bias,
        flip=flip,
    )
    x = rng.integers(-3, 4, size=shape).astype(np.float64)
    w = conv_weights(settings)
    stepper = compute_conv(settings, x, w)
    top, bottom, left, right = stepper.first.padding
    used = torch.flip(_t(w), dims=(2, 3)) if flip else _t(w)
    expected = F.conv2d(
        F.pad(_t(x)[None], (left, right, top, bottom)),
        used,
        None if bias is None else torch.full((filters,), bias, dtype=torch.float64),
        stride=stride,
        dilation=dilation,
        groups=groups,
    )[0].numpy()
    assert stepper.first.output.shape == expected.shape
    for f in range(filters):
        for i in range(expected.shape[1]):
            for j in range(expected.shape[2]):
                assert stepper.step_at(f, i, j).total == pytest.approx(expected[f, i, j], abs=1e-9)
    for general in (False, True):  # the familiar form and the general one, one click away
        h_line, w_line = stepper.output_formulas(general)
        assert h_line.endswith(f"= {expected.shape[1]}")
        assert w_line.endswith(f"= {expected.shape[2]}")
    rows = conv_output_size_asym(shape[1], kernel[0], stride[0], top, bottom, dilation[0])
    assert rows == expected.shape[1]
    assert stepper.code_padding() == (
        padding if isinstance(padding, str) else (top, bottom, left, right)
    )


def test_transposed_stepper_matches_conv_transpose2d() -> None:
    settings = ConvSettings(
        mode="transposed",
        shape=(2, 4, 3),
        filters=3,
        kernel=(3, 2),
        kernel_names=("random",) * 3,
        stride=(2, 3),
        padding=(1, 0),
        output_padding=(1, 2),
        dilation=(1, 1),
        bias=0.25,
    )
    x = np.random.default_rng(6).integers(-2, 3, size=(2, 4, 3)).astype(np.float64)
    w = conv_weights(settings)  # (F, C, kh, kw); torch wants (C, F, kh, kw)
    stepper = compute_conv(settings, x, w)
    expected = F.conv_transpose2d(
        _t(x)[None],
        _t(w.transpose(1, 0, 2, 3)),
        torch.full((3,), 0.25, dtype=torch.float64),
        stride=(2, 3),
        padding=(1, 0),
        output_padding=(1, 2),
    )[0].numpy()
    assert stepper.transposed is not None
    assert stepper.first.output.shape == expected.shape
    for f in range(3):
        for i in range(expected.shape[1]):
            for j in range(expected.shape[2]):
                assert stepper.step_at(f, i, j).total == pytest.approx(expected[f, i, j], abs=1e-9)
    for general in (False, True):  # the familiar form and the general one, one click away
        h_line, w_line = stepper.output_formulas(general)
        assert h_line.endswith(f"= {expected.shape[1]}")
        assert w_line.endswith(f"= {expected.shape[2]}")
    assert stepper.unreached() == (0, 0) and stepper.code_padding() == (1, 1, 0, 0)


def test_compute_conv_reports_what_cannot_be_computed() -> None:
    x = np.ones((1, 5, 5))
    settings = ConvSettings(stride=(2, 1))  # "same" with a stride
    with pytest.raises(SpecError, match="stride 1"):
        compute_conv(settings, x, conv_weights(settings))
    wide = ConvSettings(kernel=(7, 3), padding="valid")
    with pytest.raises(SpecError, match="no window fits"):
        compute_conv(wide, x, conv_weights(wide))
    assert compute_conv(
        ConvSettings(padding="valid"), x, conv_weights(ConvSettings())
    ).unreached() == (0, 0)
    truncated = ConvSettings(shape=(1, 6, 6), stride=(2, 2), padding="valid")
    stepper = compute_conv(truncated, np.ones((1, 6, 6)), conv_weights(truncated))
    assert stepper.unreached() == (1, 1)  # windows at rows 0-2 and 2-4; row 5 is never read
    assert stepper.dropped() == (1, 1)  # ... and row 5 is a real pixel
    stem = ConvSettings(shape=(1, 6, 6), stride=(2, 2), padding=(1, 1, 1, 1))  # ResNet stem
    stepper = compute_conv(stem, np.ones((1, 6, 6)), conv_weights(stem))
    assert stepper.unreached() == (1, 1) and stepper.dropped() == (0, 0)  # only padding


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode": "dilated"}, "not offered here"),
        ({"source": "camera"}, "not offered here"),
        ({"shape": (1, 5)}, r"\(C, H, W\)"),
        ({"shape": (0, 5, 5)}, "too small"),
        ({"filters": 0}, "too small"),
        ({"kernel": (3, 0)}, "too small"),
        ({"stride": "2"}, "pair"),
        ({"padding": "full"}, "not offered here"),
        ({"padding": (1, 1)}, "padding"),
        ({"padding": (1, 1, -1, 0)}, "too small"),
        ({"mode": "transposed", "padding": "same"}, "pair"),
        ({"output_padding": (-1, 0)}, "too small"),
        ({"dilation": (0, 1)}, "too small"),
        ({"groups": 0}, "too small"),
        ({"bias": float("nan")}, "not a number"),
        ({"bias": float("inf")}, "not a number"),
        ({"bias": "0.5"}, "not a number"),
        ({"flip": 1}, "true or false"),
        ({"seed": -1}, "too small"),
        ({"kernel_names": ("sobel_x", "sobel_y")}, "one kernel per filter"),
        ({"kernel_names": ("emboss",)}, "not offered here"),
        ({"upload": "picture.png"}, "not offered here"),
    ],
)
def test_conv_settings_reject_bad_values(changes: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        ConvSettings(**changes)  # type: ignore[arg-type]


def test_conv_settings_are_normalised_and_a_request_needs_no_kernel_names() -> None:
    settings = ConvSettings(
        shape=[np.int64(2), 5, 5], kernel_names=["identity"], padding=[0, 1, 0, 1], bias=1
    )  # type: ignore[arg-type]
    assert settings.shape == (2, 5, 5) and settings.kernel_names == ("identity",)
    assert settings.padding == (0, 1, 0, 1) and settings.bias == 1.0
    assert hash(settings) == hash(dataclasses.replace(settings))
    request_settings = ConvSettings(source="request", filters=16, kernel_names=())
    assert request_settings.filters == 16
    assert ConvSettings(mode="transposed", padding=[1, 2]).transposed_padding == (1, 2)
