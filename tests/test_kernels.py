"""Named kernels: the classic 3x3 matrices, generalisations to other sizes, and what they do."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnviz.i18n import CATALOG
from cnnviz.lessons import KERNEL_NAMES, kernel_label_key, make_weights, named_kernel
from cnnviz.net import SpecError
from cnnviz.ops import conv2d


def test_classic_3x3_values() -> None:
    assert named_kernel("vertical_edge").values.tolist() == [[1, 0, -1]] * 3  # seed 003
    assert named_kernel("horizontal_edge").values.tolist() == [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]
    assert named_kernel("sobel_x").values.tolist() == [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    assert named_kernel("sobel_y").values.tolist() == [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
    assert named_kernel("laplacian").values.tolist() == [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
    assert named_kernel("sharpen").values.tolist() == [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]
    np.testing.assert_allclose(
        named_kernel("gaussian_blur").values, np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16
    )
    np.testing.assert_allclose(named_kernel("box_blur").values, np.full((3, 3), 1 / 9))
    assert named_kernel("identity").values.tolist() == [[0, 0, 0], [0, 1, 0], [0, 0, 0]]
    for name in KERNEL_NAMES:
        if name != "random":
            assert named_kernel(name).note is None


def test_sobel_5x5_is_the_opencv_kernel() -> None:
    expected = np.outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1])
    np.testing.assert_array_equal(named_kernel("sobel_x", 5, 5).values, expected)
    np.testing.assert_array_equal(named_kernel("sobel_y", 5, 5).values, expected.T)


@pytest.mark.parametrize("name", KERNEL_NAMES)
@pytest.mark.parametrize(("kh", "kw"), [(1, 1), (1, 3), (2, 2), (3, 3), (4, 5), (5, 5), (7, 2)])
def test_every_kernel_at_every_size(name: str, kh: int, kw: int) -> None:
    kernel = named_kernel(name, kh, kw, seed=1)
    assert kernel.values.shape == (kh, kw)
    assert np.isfinite(kernel.values).all()
    if kernel.note is not None:
        assert kernel.note in CATALOG  # the explanation exists in both languages
    assert kernel_label_key(name) in CATALOG
    if name in ("box_blur", "gaussian_blur"):
        assert kernel.values.sum() == pytest.approx(1.0)  # blurs keep the brightness
    if name in ("vertical_edge", "horizontal_edge", "sobel_x", "sobel_y", "laplacian"):
        assert kernel.values.sum() == pytest.approx(0.0)  # a flat patch gives 0
    if name == "sharpen":
        assert kernel.values.sum() == pytest.approx(1.0)


def test_notes_explain_sizes_that_cannot_express_the_idea() -> None:
    assert named_kernel("vertical_edge", 3, 1).note == "stepper.kernel_note.too_narrow"
    assert not named_kernel("vertical_edge", 3, 1).values.any()
    assert named_kernel("horizontal_edge", 1, 4).note == "stepper.kernel_note.too_flat"
    assert named_kernel("identity", 2, 2).note == "stepper.kernel_note.no_centre"
    assert named_kernel("laplacian", 5, 5).note == "stepper.kernel_note.generalised"


def test_random_kernels_are_seeded_small_integers() -> None:
    a = named_kernel("random", 3, 3, seed=4).values
    assert set(np.unique(a)).issubset({-2, -1, 0, 1, 2})
    np.testing.assert_array_equal(a, named_kernel("random", 3, 3, seed=4).values)
    assert not np.array_equal(a, named_kernel("random", 3, 3, seed=5).values)


def test_bad_names_and_sizes_raise() -> None:
    with pytest.raises(SpecError, match="unknown kernel"):
        named_kernel("emboss")
    with pytest.raises(SpecError):
        named_kernel("identity", 0, 3)


def _edge_image() -> np.ndarray:
    image = np.zeros((1, 8, 8))
    image[:, :, 4:] = 1.0  # dark left half, bright right half: one vertical edge
    return image


@pytest.mark.parametrize(("kh", "kw"), [(3, 3), (5, 5), (3, 4)])
def test_edge_kernels_find_the_edge_they_are_named_after(kh: int, kw: int) -> None:
    image = _edge_image()
    vertical = conv2d(image, named_kernel("vertical_edge", kh, kw).values[None, None])
    horizontal = conv2d(image, named_kernel("horizontal_edge", kh, kw).values[None, None])
    sobel_x = conv2d(image, named_kernel("sobel_x", kh, kw).values[None, None])
    assert np.abs(vertical).max() > 0
    np.testing.assert_allclose(horizontal, 0.0, atol=1e-12)  # no horizontal edge in the picture
    assert sobel_x.max() > 0 and sobel_x.min() >= 0  # dark -> bright to the right is positive
    assert vertical.min() < 0 and vertical.max() <= 0  # left minus right is negative here


def test_identity_blur_and_laplacian_behave_under_torch_conv() -> None:
    image = np.random.default_rng(0).normal(size=(1, 1, 6, 6))
    x = torch.tensor(image)
    for kh, kw in ((3, 3), (5, 5), (1, 1)):
        identity = torch.tensor(named_kernel("identity", kh, kw).values)[None, None]
        np.testing.assert_allclose(F.conv2d(x, identity, padding="same").numpy(), image)
    flat = torch.full((1, 1, 6, 6), 3.0, dtype=torch.float64)
    for kh, kw in ((3, 3), (5, 5), (4, 4)):
        box = torch.tensor(named_kernel("box_blur", kh, kw).values)[None, None]
        np.testing.assert_allclose(F.conv2d(flat, box).numpy(), 3.0)
        lap = torch.tensor(named_kernel("laplacian", kh, kw).values)[None, None]
        np.testing.assert_allclose(F.conv2d(flat, lap).numpy(), 0.0, atol=1e-12)
        sharp = torch.tensor(named_kernel("sharpen", kh, kw).values)[None, None]
        np.testing.assert_allclose(F.conv2d(flat, sharp).numpy(), 3.0)


def test_make_weights_shapes_and_per_channel_random() -> None:
    w = make_weights(["vertical_edge", "random"], in_channels=3, height=3, width=3, seed=2)
    assert w.shape == (2, 3, 3, 3)
    for c in range(3):
        np.testing.assert_array_equal(w[0, c], named_kernel("vertical_edge").values)
    assert not np.array_equal(w[1, 0], w[1, 1])  # random filters differ per channel
    grouped = make_weights(["identity"] * 4, in_channels=4, height=3, width=3, groups=2)
    assert grouped.shape == (4, 2, 3, 3)
