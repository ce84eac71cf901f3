"""NumPy reference ops against torch.nn.functional and autograd: grids and hypothesis settings."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cnnviz.net import SpecError, conv_output_size_asym, pool_output_size, transposed_output_size
from cnnviz.ops import (
    PaddingArg,
    avg_pool2d,
    avg_pool2d_backward,
    conv2d,
    conv_step,
    conv_transpose2d,
    conv_transpose_step,
    dense,
    flip_kernel,
    global_avg_pool,
    max_pool2d,
    max_pool2d_backward,
    pad2d,
    pool_backward_autograd,
    pool_step,
    pool_windows_coverage,
    relu,
    resolve_padding,
    softmax,
    transposed_as_conv_weight,
    transposed_input,
)

torch.set_num_threads(1)
HYPO = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64))


def _torch_conv(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    dilation: tuple[int, int],
    groups: int = 1,
) -> np.ndarray:
    top, bottom, left, right = pads
    padded = F.pad(_t(x)[None], (left, right, top, bottom))
    out = F.conv2d(
        padded, _t(w), None if b is None else _t(b), stride=stride, dilation=dilation, groups=groups
    )
    return out[0].numpy()


# ---------------------------------------------------------------- padding


@pytest.mark.parametrize("pads", [(0, 0, 0, 0), (1, 1, 1, 1), (2, 0, 1, 3), (0, 2, 2, 0)])
def test_pad2d_matches_f_pad(pads: tuple[int, int, int, int]) -> None:
    x = np.random.default_rng(0).normal(size=(2, 4, 5))
    top, bottom, left, right = pads
    expected = F.pad(_t(x), (left, right, top, bottom)).numpy()
    np.testing.assert_array_equal(pad2d(x, *pads), expected)


def test_pad2d_negative_crops_like_f_pad() -> None:
    x = np.arange(30.0).reshape(1, 5, 6)
    expected = F.pad(_t(x), (-1, 2, 1, -2)).numpy()
    np.testing.assert_array_equal(pad2d(x, 1, -2, -1, 2), expected)
    np.testing.assert_array_equal(pad2d(x, 0, 0, 0, 0, value=-np.inf), x)


@pytest.mark.parametrize(
    ("padding", "kernel", "dilation", "expected"),
    [
        ("valid", 3, 1, (0, 0, 0, 0)),
        ("same", 3, 1, (1, 1, 1, 1)),
        ("same", (4, 3), 1, (1, 2, 1, 1)),  # PyTorch: the odd extra row goes to the bottom
        ("same", 3, (2, 3), (2, 2, 3, 3)),
        (2, 3, 1, (2, 2, 2, 2)),
        ((1, 2), 3, 1, (1, 1, 2, 2)),
        ((0, 1, 2, 3), 3, 1, (0, 1, 2, 3)),
    ],
)
def test_resolve_padding(
    padding: PaddingArg,
    kernel: int | tuple[int, int],
    dilation: int | tuple[int, int],
    expected: tuple[int, int, int, int],
) -> None:
    assert resolve_padding(padding, kernel, dilation) == expected


def test_resolve_padding_rejects_bad_values() -> None:
    with pytest.raises(SpecError, match="stride 1"):
        resolve_padding("same", 3, 1, stride=2)
    for bad in ("full", (1, 2, 3), (-1, 0, 0, 0)):
        with pytest.raises(SpecError):
            resolve_padding(bad, 3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kh", "kw", "dh", "dw"), [(3, 3, 1, 1), (4, 2, 1, 1), (3, 2, 2, 3), (1, 5, 1, 2)]
)
def test_same_padding_matches_torch_same(kh: int, kw: int, dh: int, dw: int) -> None:
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(2, 7, 8)), rng.normal(size=(3, 2, kh, kw))
    ours = conv2d(x, w, None, 1, "same", (dh, dw))
    with warnings.catch_warnings():  # torch warns that even kernels need an extra padded copy
        warnings.simplefilter("ignore", UserWarning)
        expected = F.conv2d(_t(x)[None], _t(w), padding="same", dilation=(dh, dw))[0].numpy()
    assert ours.shape == (3, 7, 8)
    np.testing.assert_allclose(ours, expected, atol=1e-10)


# ---------------------------------------------------------------- conv2d


GRID = [
    # (C, H, W, F, kh, kw, stride, pads, dilation)
    (1, 5, 5, 1, 3, 3, (1, 1), (1, 1, 1, 1), (1, 1)),
    (3, 7, 6, 2, 3, 2, (2, 1), (1, 2, 0, 1), (1, 2)),
    (2, 8, 8, 4, 5, 5, (3, 3), (2, 2, 2, 2), (1, 1)),
    (1, 6, 9, 3, 2, 4, (1, 2), (0, 0, 3, 0), (2, 1)),
    (3, 12, 12, 3, 3, 3, (2, 2), (0, 1, 0, 1), (3, 3)),
    (2, 4, 4, 1, 1, 1, (3, 1), (0, 0, 0, 0), (1, 1)),
]


@pytest.mark.parametrize(("c", "h", "w", "f", "kh", "kw", "stride", "pads", "dilation"), GRID)
def test_conv2d_matches_torch_on_a_grid(
    c: int,
    h: int,
    w: int,
    f: int,
    kh: int,
    kw: int,
    stride: tuple[int, int],
    pads: tuple[int, int, int, int],
    dilation: tuple[int, int],
) -> None:
    rng = np.random.default_rng(h * 100 + w)
    x, weight, bias = (
        rng.normal(size=(c, h, w)),
        rng.normal(size=(f, c, kh, kw)),
        rng.normal(size=f),
    )
    ours = conv2d(x, weight, bias, stride, pads, dilation)
    expected = _torch_conv(x, weight, bias, stride, pads, dilation)
    assert ours.shape == expected.shape
    assert ours.shape[1:] == (
        conv_output_size_asym(h, kh, stride[0], pads[0], pads[1], dilation[0]),
        conv_output_size_asym(w, kw, stride[1], pads[2], pads[3], dilation[1]),
    )
    np.testing.assert_allclose(ours, expected, atol=1e-10)


@given(
    c=st.integers(1, 3),
    f=st.integers(1, 3),
    h=st.integers(1, 12),
    w=st.integers(1, 12),
    kh=st.integers(1, 5),
    kw=st.integers(1, 5),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    pads=st.tuples(*[st.integers(0, 2)] * 4),
    dh=st.integers(1, 3),
    dw=st.integers(1, 3),
    bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
@HYPO
def test_conv2d_matches_torch_hypothesis(
    c: int,
    f: int,
    h: int,
    w: int,
    kh: int,
    kw: int,
    sh: int,
    sw: int,
    pads: tuple[int, int, int, int],
    dh: int,
    dw: int,
    bias: bool,
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    x, weight = rng.normal(size=(c, h, w)), rng.normal(size=(f, c, kh, kw))
    b = rng.normal(size=f) if bias else None
    out_h = conv_output_size_asym(h, kh, sh, pads[0], pads[1], dh)
    out_w = conv_output_size_asym(w, kw, sw, pads[2], pads[3], dw)
    if out_h < 1 or out_w < 1:
        with pytest.raises(SpecError, match="no window fits"):
            conv2d(x, weight, b, (sh, sw), pads, (dh, dw))
        with pytest.raises(RuntimeError):
            _torch_conv(x, weight, b, (sh, sw), pads, (dh, dw))
        return
    ours = conv2d(x, weight, b, (sh, sw), pads, (dh, dw))
    np.testing.assert_allclose(ours, _torch_conv(x, weight, b, (sh, sw), pads, (dh, dw)), atol=1e-9)
    # every output cell is exactly what the stepper writes out
    fi, i, j = int(rng.integers(f)), int(rng.integers(out_h)), int(rng.integers(out_w))
    step = conv_step(x, weight, b, (sh, sw), pads, (dh, dw), out_index=(fi, i, j))
    assert step.total == pytest.approx(ours[fi, i, j], abs=1e-9)
    np.testing.assert_allclose(step.products, step.window * weight[fi])
    np.testing.assert_allclose(step.partial_sums, step.products.sum(axis=(1, 2)))


@pytest.mark.parametrize(
    ("c", "f", "groups"), [(2, 2, 2), (3, 3, 3), (2, 4, 2), (3, 6, 3), (4, 2, 2)]
)
def test_grouped_conv_matches_torch(c: int, f: int, groups: int) -> None:
    rng = np.random.default_rng(c + f)
    x, w = rng.normal(size=(c, 6, 6)), rng.normal(size=(f, c // groups, 3, 3))
    ours = conv2d(x, w, None, 1, 1, 1, groups)
    expected = F.conv2d(_t(x)[None], _t(w), padding=1, groups=groups)[0].numpy()
    np.testing.assert_allclose(ours, expected, atol=1e-10)
    step = conv_step(x, w, None, 1, 1, 1, groups, out_index=(f - 1, 2, 3))
    assert list(step.channels) == list(range(c - c // groups, c))  # the last group's channels
    assert step.total == pytest.approx(ours[f - 1, 2, 3])


def test_conv_shape_errors_are_spec_errors() -> None:
    with pytest.raises(SpecError, match="groups"):
        conv2d(np.zeros((3, 4, 4)), np.zeros((2, 2, 3, 3)))
    with pytest.raises(SpecError):
        conv2d(np.zeros((4, 4)), np.zeros((1, 1, 3, 3)))
    with pytest.raises(SpecError, match="no window fits"):
        conv2d(np.zeros((1, 2, 2)), np.zeros((1, 1, 3, 3)))


def test_conv_step_on_the_seed003_input_writes_the_article_numbers() -> None:
    x = np.array(
        [[0, 1, 2, 1, 0], [1, 2, 3, 2, 1], [2, 3, 4, 3, 2], [1, 2, 3, 2, 1], [0, 1, 2, 1, 0]],
        dtype=float,
    )[None]
    w = np.array([[1, 0, -1]] * 3, dtype=float)[None, None]
    step = conv_step(x, w, np.array([0.5]), 1, "same", 1, out_index=(0, 0, 0))
    assert step.padded.shape == (1, 7, 7)
    assert step.is_padding[0].all() and step.is_padding[:, 0].all()
    assert not step.is_padding[1:6, 1:6].any()
    assert list(step.rows) == [0, 1, 2] and list(step.cols) == [0, 1, 2]
    np.testing.assert_array_equal(step.window[0], [[0, 0, 0], [0, 0, 1], [0, 1, 2]])
    assert step.total == -3 + 0.5
    assert step.num_positions == 25
    step = conv_step(x, w, None, 1, "same", 1, out_index=(0, 2, 4))
    assert step.total == 7.0  # the article's first pass says 6
    with pytest.raises(SpecError, match="position"):
        conv_step(x, w, None, 1, "same", 1, out_index=(0, 5, 0))


def test_dilated_step_reads_spaced_cells() -> None:
    x = np.arange(49.0).reshape(1, 7, 7)
    w = np.ones((1, 1, 3, 3))
    step = conv_step(x, w, None, 1, 0, 2, out_index=(0, 1, 2))
    assert list(step.rows) == [1, 3, 5] and list(step.cols) == [2, 4, 6]
    assert step.total == x[0][np.ix_([1, 3, 5], [2, 4, 6])].sum()


def test_flip_kernel_gives_true_convolution() -> None:
    rng = np.random.default_rng(5)
    x, k = rng.normal(size=(1, 6, 6)), rng.normal(size=(1, 1, 3, 3))
    ours = conv2d(x, flip_kernel(k), None, 1, "valid")
    # the textbook definition: (x * k)[i, j] = sum_{a,b} x[i + 2 - a, j + 2 - b] k[a, b]
    expected = np.zeros((4, 4))
    for i in range(4):
        for j in range(4):
            for a in range(3):
                for b in range(3):
                    expected[i, j] += x[0, i + 2 - a, j + 2 - b] * k[0, 0, a, b]
    np.testing.assert_allclose(ours[0], expected, atol=1e-12)
    np.testing.assert_array_equal(flip_kernel(flip_kernel(k)), k)


# ---------------------------------------------------------------- transposed conv


@pytest.mark.parametrize(
    ("stride", "padding", "output_padding", "dilation", "kernel"),
    [
        (1, 0, 0, 1, (3, 3)),
        (2, 0, 0, 1, (3, 3)),
        (2, 1, 1, 1, (3, 3)),
        ((3, 2), (1, 0), (2, 1), 1, (2, 3)),
        (1, 1, 1, 2, (3, 3)),  # output_padding < dilation is allowed too
        (2, 3, 0, 1, (3, 3)),  # padding > d(k-1): the zero-inserted input is cropped
    ],
)
def test_conv_transpose2d_matches_torch(
    stride: int | tuple[int, int],
    padding: int | tuple[int, int],
    output_padding: int | tuple[int, int],
    dilation: int,
    kernel: tuple[int, int],
) -> None:
    rng = np.random.default_rng(7)
    x, w, b = rng.normal(size=(2, 4, 5)), rng.normal(size=(2, 3, *kernel)), rng.normal(size=3)
    ours = conv_transpose2d(x, w, b, stride, padding, output_padding, dilation)
    expected = F.conv_transpose2d(
        _t(x)[None], _t(w), _t(b), stride, padding, output_padding, 1, dilation
    )[0].numpy()
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, atol=1e-10)


@given(
    c=st.integers(1, 3),
    f=st.integers(1, 3),
    h=st.integers(1, 8),
    w=st.integers(1, 8),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    ph=st.integers(0, 2),
    pw=st.integers(0, 2),
    oh=st.integers(0, 2),
    ow=st.integers(0, 2),
    dh=st.integers(1, 3),
    dw=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
@HYPO
def test_conv_transpose2d_matches_torch_hypothesis(
    c: int,
    f: int,
    h: int,
    w: int,
    kh: int,
    kw: int,
    sh: int,
    sw: int,
    ph: int,
    pw: int,
    oh: int,
    ow: int,
    dh: int,
    dw: int,
    seed: int,
) -> None:
    assume((oh < sh or oh < dh) and (ow < sw or ow < dw))  # PyTorch's rule
    out_h = transposed_output_size(h, kh, sh, ph, oh, dh)
    out_w = transposed_output_size(w, kw, sw, pw, ow, dw)
    assume(out_h >= 1 and out_w >= 1)
    rng = np.random.default_rng(seed)
    x, weight, b = rng.normal(size=(c, h, w)), rng.normal(size=(c, f, kh, kw)), rng.normal(size=f)
    args = ((sh, sw), (ph, pw), (oh, ow), (dh, dw))
    ours = conv_transpose2d(x, weight, b, *args)
    expected = F.conv_transpose2d(
        _t(x)[None], _t(weight), _t(b), (sh, sw), (ph, pw), (oh, ow), 1, (dh, dw)
    )[0].numpy()
    assert ours.shape == (f, out_h, out_w)
    np.testing.assert_allclose(ours, expected, atol=1e-9)
    fi, i, j = int(rng.integers(f)), int(rng.integers(out_h)), int(rng.integers(out_w))
    step = conv_transpose_step(x, weight, b, *args, out_index=(fi, i, j))
    assert step.total == pytest.approx(expected[fi, i, j], abs=1e-9)


def test_transposed_input_shows_zero_insertion_and_padding() -> None:
    x = np.array([[[1.0, 2.0], [3.0, 4.0]]])
    setup = transposed_input(x, 3, stride=2, padding=0)
    np.testing.assert_array_equal(setup.zero_inserted[0], [[1, 0, 2], [0, 0, 0], [3, 0, 4]])
    assert setup.padding == (2, 2, 2, 2)  # d(k-1) - p on every side
    assert setup.padded.shape == (1, 7, 7)
    assert setup.is_padding.sum() == 49 - 9
    assert setup.is_inserted.sum() == 5 and setup.is_inserted[3, 3]
    assert not (setup.is_inserted & setup.is_padding).any()
    with_extra = transposed_input(x, 3, stride=2, padding=1, output_padding=1)
    assert with_extra.padding == (1, 2, 1, 2)  # output_padding goes to the bottom/right
    with pytest.raises(SpecError, match="output_padding"):
        transposed_input(x, 3, stride=1, padding=0, output_padding=1)


def test_transposed_as_conv_weight_swaps_and_flips() -> None:
    w = np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2)
    conv_w = transposed_as_conv_weight(w)
    assert conv_w.shape == (3, 2, 2, 2)
    assert conv_w[1, 0, 0, 0] == w[0, 1, 1, 1]


# ---------------------------------------------------------------- pooling


POOL_GRID = [
    # (H, W, kernel, stride, padding)
    (4, 4, 2, None, 0),
    (5, 5, 2, 2, 0),
    (7, 7, 3, 2, 1),  # AlexNet-style overlapping pooling
    (6, 9, (2, 3), (1, 2), (1, 1)),
    (13, 13, 3, 2, 0),
    (3, 8, (1, 4), (1, 3), (0, 2)),
]


@pytest.mark.parametrize(("h", "w", "kernel", "stride", "padding"), POOL_GRID)
def test_pooling_and_its_gradients_match_torch(
    h: int,
    w: int,
    kernel: int | tuple[int, int],
    stride: int | tuple[int, int] | None,
    padding: int | tuple[int, int],
) -> None:
    rng = np.random.default_rng(h * w)
    x = rng.integers(0, 5, size=(2, h, w)).astype(float)  # small ints: many ties, like the stepper
    x_t = _t(x)[None].requires_grad_(True)
    t_out, t_idx = F.max_pool2d(x_t, kernel, stride, padding, return_indices=True)
    out, idx = max_pool2d(x, kernel, stride, padding)
    np.testing.assert_array_equal(out, t_out[0].detach().numpy())
    np.testing.assert_array_equal(idx, t_idx[0].numpy())  # same tie-breaking as PyTorch
    grad = rng.integers(-3, 4, size=out.shape).astype(float)
    t_out.backward(_t(grad)[None])
    np.testing.assert_allclose(
        max_pool2d_backward(grad, idx, x.shape), x_t.grad[0].numpy(), atol=1e-12
    )
    np.testing.assert_allclose(
        pool_backward_autograd(x, grad, "max", kernel, stride, padding),
        x_t.grad[0].numpy(),
    )

    x_t = _t(x)[None].requires_grad_(True)
    t_avg = F.avg_pool2d(x_t, kernel, stride, padding)
    avg = avg_pool2d(x, kernel, stride, padding)
    np.testing.assert_allclose(avg, t_avg[0].detach().numpy(), atol=1e-12)
    t_avg.backward(_t(grad)[None])
    np.testing.assert_allclose(
        avg_pool2d_backward(grad, x.shape, kernel, stride, padding),
        x_t.grad[0].numpy(),
        atol=1e-12,
    )


@given(
    c=st.integers(1, 3),
    h=st.integers(1, 12),
    w=st.integers(1, 12),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    ph=st.integers(0, 2),
    pw=st.integers(0, 2),
    integers=st.booleans(),
    seed=st.integers(0, 2**16),
)
@HYPO
def test_pooling_matches_torch_hypothesis(
    c: int,
    h: int,
    w: int,
    kh: int,
    kw: int,
    sh: int,
    sw: int,
    ph: int,
    pw: int,
    integers: bool,
    seed: int,
) -> None:
    assume(ph <= kh // 2 and pw <= kw // 2)
    out_h, out_w = pool_output_size(h, kh, sh, ph), pool_output_size(w, kw, sw, pw)
    rng = np.random.default_rng(seed)
    x = (
        rng.integers(-3, 4, size=(c, h, w)).astype(float)
        if integers
        else rng.normal(size=(c, h, w))
    )
    if out_h < 1 or out_w < 1:
        with pytest.raises(SpecError):
            max_pool2d(x, (kh, kw), (sh, sw), (ph, pw))
        return
    x_t = _t(x)[None].requires_grad_(True)
    t_out, t_idx = F.max_pool2d(x_t, (kh, kw), (sh, sw), (ph, pw), return_indices=True)
    out, idx = max_pool2d(x, (kh, kw), (sh, sw), (ph, pw))
    np.testing.assert_array_equal(out, t_out[0].detach().numpy())
    np.testing.assert_array_equal(idx, t_idx[0].numpy())
    grad = rng.normal(size=out.shape)
    t_out.backward(_t(grad)[None])
    np.testing.assert_allclose(max_pool2d_backward(grad, idx, x.shape), x_t.grad[0].numpy())
    avg = avg_pool2d(x, (kh, kw), (sh, sw), (ph, pw))
    np.testing.assert_allclose(
        avg, F.avg_pool2d(_t(x)[None], (kh, kw), (sh, sw), (ph, pw))[0].numpy(), atol=1e-12
    )
    x_t = _t(x)[None].requires_grad_(True)
    F.avg_pool2d(x_t, (kh, kw), (sh, sw), (ph, pw)).backward(_t(grad)[None])
    np.testing.assert_allclose(
        avg_pool2d_backward(grad, x.shape, (kh, kw), (sh, sw), (ph, pw)),
        x_t.grad[0].numpy(),
        atol=1e-12,
    )
    ci, i, j = int(rng.integers(c)), int(rng.integers(out_h)), int(rng.integers(out_w))
    for kind, expected in (("max", out), ("avg", avg)):
        step = pool_step(x, kind, (kh, kw), (sh, sw), (ph, pw), (ci, i, j))  # type: ignore[arg-type]
        assert step.result == pytest.approx(expected[ci, i, j])


def test_overlapping_max_pool_gradients_add_up() -> None:
    # One big value covered by several overlapping 3x3/2 windows receives all their gradients.
    x = np.zeros((1, 5, 5))
    x[0, 2, 2] = 9.0
    out, idx = max_pool2d(x, 3, 2)
    assert out.shape == (1, 2, 2) and (out == 9).all()
    grad_in = max_pool2d_backward(np.ones((1, 2, 2)), idx, x.shape)
    assert grad_in[0, 2, 2] == 4.0
    assert grad_in.sum() == 4.0


def test_pool_step_max_winner_and_padding() -> None:
    x = np.array([[[1.0, 5.0, 2.0], [4.0, 3.0, 0.0], [7.0, 1.0, 6.0]]])
    step = pool_step(x, "max", 2, 2, 1, (0, 1, 1))
    assert step.padded.shape == (1, 5, 5)
    assert np.isneginf(step.padded[0, 0, 0])  # max pooling pads with -inf: padding never wins
    assert step.result == 6.0 and step.winner == (3, 3)  # window x[1:3, 1:3] = [[3, 0], [1, 6]]
    avg = pool_step(x, "avg", 2, 2, 1, (0, 0, 0))
    assert avg.padded[0, 0, 0] == 0.0 and avg.result == pytest.approx(1.0 / 4)  # counts padding
    assert avg.winner is None
    with pytest.raises(SpecError, match="half"):
        pool_step(x, "max", 2, 2, 2)


def test_pool_windows_coverage_counts_overlap() -> None:
    cover = pool_windows_coverage((5, 5), 3, 2)
    assert cover[2, 2] == 4 and cover[0, 0] == 1 and cover[1, 2] == 2
    tiles = pool_windows_coverage((5, 5), 2, 2)
    assert (tiles[:4, :4] == 1).all() and (tiles[4] == 0).all()  # floor drops the last row


def test_global_avg_pool_matches_adaptive_avg_pool() -> None:
    x = np.random.default_rng(2).normal(size=(3, 5, 4))
    expected = F.adaptive_avg_pool2d(_t(x)[None], 1)[0].numpy()
    np.testing.assert_allclose(global_avg_pool(x), expected, atol=1e-12)


# ---------------------------------------------------------------- relu, softmax, dense


def test_relu_softmax_dense_match_torch() -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(size=7) * 10
    np.testing.assert_allclose(relu(z), F.relu(_t(z)).numpy())
    np.testing.assert_allclose(softmax(z), torch.softmax(_t(z), 0).numpy(), atol=1e-15)
    big = np.array([1000.0, 1001.0, 999.0])  # exp would overflow without the max shift
    probs = softmax(big)
    assert np.isfinite(probs).all() and probs.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(probs, torch.softmax(_t(big), 0).numpy())
    layer = torch.nn.Linear(6, 3).double()
    x = rng.normal(size=(1, 2, 3))
    expected = layer(_t(x).flatten()).detach().numpy()
    ours = dense(x, layer.weight.detach().numpy(), layer.bias.detach().numpy())
    np.testing.assert_allclose(ours, expected, atol=1e-12)


# ---------------------------------------------------------------- stepping and the added formulas


def test_step_at_matches_a_fresh_step_everywhere() -> None:
    rng = np.random.default_rng(11)
    x, w, b = rng.normal(size=(2, 6, 7)), rng.normal(size=(3, 2, 3, 2)), rng.normal(size=3)
    first = conv_step(x, w, b, (2, 1), (1, 0, 2, 1), (1, 2), out_index=(1, 0, 0))
    _, out_h, out_w = first.output.shape
    for i in range(out_h):
        for j in range(out_w):
            moved = first.at(i, j)
            fresh = conv_step(x, w, b, (2, 1), (1, 0, 2, 1), (1, 2), out_index=(1, i, j))
            assert moved.out_index == fresh.out_index
            np.testing.assert_array_equal(moved.rows, fresh.rows)
            np.testing.assert_allclose(moved.products, fresh.products)
            assert moved.total == pytest.approx(fresh.total)
    pool = pool_step(x, "max", 3, 2, 1, (1, 0, 0))
    for i in range(pool.output.shape[1]):
        for j in range(pool.output.shape[2]):
            fresh_pool = pool_step(x, "max", 3, 2, 1, (1, i, j))
            assert pool.at(i, j).winner == fresh_pool.winner
            assert pool.at(i, j).result == fresh_pool.result


def test_has_bias_distinguishes_no_bias_from_zero_bias() -> None:
    x, w = np.ones((1, 3, 3)), np.ones((1, 1, 2, 2))
    assert not conv_step(x, w, None).has_bias
    assert conv_step(x, w, np.zeros(1)).has_bias


@pytest.mark.parametrize(
    ("n", "k", "s", "before", "after", "d"),
    [(5, 3, 1, 1, 1, 1), (7, 3, 2, 0, 1, 1), (8, 2, 3, 2, 0, 2), (6, 4, 2, 1, 2, 1)],
)
def test_added_asymmetric_formulas_match_torch(
    n: int, k: int, s: int, before: int, after: int, d: int
) -> None:
    from cnnviz.net import conv_output_formula_asym, unreached_asym

    x = torch.zeros(1, 1, n, n)
    padded = F.pad(x, (before, after, before, after))
    out = F.conv2d(padded, torch.zeros(1, 1, k, k), stride=s, dilation=d)
    formula = conv_output_formula_asym(n, k, s, before, after, d)
    assert formula.endswith(f"= {out.shape[-1]}")
    last_read = (out.shape[-1] - 1) * s + d * (k - 1)  # the last padded index any window reads
    assert unreached_asym(n, k, s, before, after, d) == n + before + after - 1 - last_read


def test_zero_inserted_size_matches_the_transposed_input() -> None:
    from cnnviz.net import zero_inserted_formula, zero_inserted_size

    setup = transposed_input(np.ones((1, 4, 5)), 3, stride=(2, 3))
    assert setup.zero_inserted.shape[1:] == (zero_inserted_size(4, 2), zero_inserted_size(5, 3))
    assert zero_inserted_formula(4, 2) == "(4-1)*2 + 1 = 7"
