"""Sample inputs: shapes, dtypes, ranges, determinism, the seed-003 matrix, upload validation."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image

from cnnviz.data import ImageError, decode_image
from cnnviz.lessons import (
    DIGIT_ORDER,
    SAMPLE_KINDS,
    SEED003_INPUT,
    digit_image,
    image_patch,
    sample_image,
)
from cnnviz.net import SpecError


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
@pytest.mark.parametrize("shape", [(1, 1, 1), (1, 5, 5), (3, 28, 28), (2, 7, 13), (64, 3, 2)])
def test_every_kind_has_the_requested_shape_and_dtype(
    kind: str, shape: tuple[int, int, int]
) -> None:
    image = sample_image(*shape, kind=kind)
    assert image.shape == shape
    assert image.dtype == np.float32
    assert np.isfinite(image).all()
    again = sample_image(*shape, kind=kind)
    np.testing.assert_array_equal(image, again)  # deterministic


@pytest.mark.parametrize("kind", ["digit", "checker", "gradient"])
def test_image_kinds_lie_in_unit_interval(kind: str) -> None:
    image = sample_image(3, 40, 31, kind=kind, seed=4)
    assert image.min() >= 0.0
    assert image.max() <= 1.0


def test_digit_is_a_dark_background_with_bright_strokes() -> None:
    for seed in range(10):
        digit = sample_image(1, 28, 28, kind="digit", seed=seed)[0]
        # MNIST-like: corners are background, a visible fraction of pixels is ink.
        assert digit[0, 0] < 0.05 and digit[-1, -1] < 0.05
        ink = (digit > 0.5).mean()
        assert 0.05 < ink < 0.45, (seed, DIGIT_ORDER[seed % 10], ink)
        assert digit.max() > 0.9


def test_different_digits_and_seeds_give_different_pictures() -> None:
    pictures = [digit_image(d, 28, 28, seed=0) for d in range(10)]
    for a in range(10):
        for b in range(a + 1, 10):
            assert np.abs(pictures[a] - pictures[b]).mean() > 0.02
    assert not np.array_equal(digit_image(3, 28, 28, seed=0), digit_image(3, 28, 28, seed=10))


def test_multichannel_digit_keeps_the_same_shape_in_every_channel() -> None:
    image = sample_image(3, 32, 32, kind="digit")
    mono = sample_image(1, 32, 32, kind="digit")[0]
    for channel in image:
        # each channel is an affine map of the same digit: perfectly correlated
        assert np.corrcoef(channel.ravel(), mono.ravel())[0, 1] > 0.999


def test_seed003_matrix_is_the_article_input() -> None:
    image = sample_image(1, 5, 5, kind="seed003")
    np.testing.assert_array_equal(image[0], SEED003_INPUT)
    rows, cols = np.indices((5, 5))
    np.testing.assert_array_equal(SEED003_INPUT, 4 - abs(rows - 2) - abs(cols - 2))
    second = sample_image(2, 5, 5, kind="seed003")[1]
    np.testing.assert_array_equal(second, np.roll(SEED003_INPUT, 1, axis=1))
    tiled = sample_image(1, 7, 6, kind="seed003")[0]
    np.testing.assert_array_equal(tiled[5:, :5], SEED003_INPUT[:2])


def test_random_int_is_seeded_integers_0_to_9() -> None:
    image = sample_image(2, 10, 10, kind="random_int", seed=3)
    assert set(np.unique(image)).issubset(set(range(10)))
    assert len(np.unique(image)) > 5
    assert not np.array_equal(image, sample_image(2, 10, 10, kind="random_int", seed=4))


def test_checker_and_gradient_patterns() -> None:
    board = sample_image(2, 8, 8, kind="checker")
    np.testing.assert_array_equal(board[0, :2, :2], 0.0)
    np.testing.assert_array_equal(board[0, :2, 2:4], 1.0)
    np.testing.assert_array_equal(board[1], 1.0 - board[0])
    ramp = sample_image(3, 4, 5, kind="gradient")
    np.testing.assert_allclose(ramp[0, 0], np.linspace(0, 1, 5))
    np.testing.assert_allclose(ramp[1, :, 0], np.linspace(0, 1, 4))
    assert ramp[2, 0, 0] == 0.0 and ramp[2, -1, -1] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "args",
    [(0, 5, 5), (65, 5, 5), (1, 0, 5), (1, 5, 1025), (1.5, 5, 5), (True, 5, 5)],
)
def test_bad_sizes_raise_spec_errors(args: tuple[object, object, object]) -> None:
    with pytest.raises(SpecError):
        sample_image(*args)  # type: ignore[arg-type]


def test_unknown_kind_and_bad_seed_raise() -> None:
    with pytest.raises(SpecError, match="unknown sample kind"):
        sample_image(1, 5, 5, kind="mnist")
    with pytest.raises(SpecError):
        sample_image(1, 5, 5, seed=-1)


def test_the_build_page_extremes_are_fast_and_valid() -> None:
    start = time.perf_counter()
    image = sample_image(64, 1024, 1024, kind="digit")
    elapsed = time.perf_counter() - start
    assert image.shape == (64, 1024, 1024)
    assert image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() <= 1.0
    del image
    assert elapsed < 10.0  # ~0.3-1 s on a loaded 2-core box; this catches a pathological slowdown
    for c, h, w in [(1, 1, 1024), (64, 1, 1), (3, 1024, 1), (16, 224, 224)]:
        small = sample_image(c, h, w)
        assert small.shape == (c, h, w)
        assert np.isfinite(small).all()


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    image = Image.new(mode, size, (200, 50, 10) if mode == "RGB" else 128)
    image.putpixel((0, 0), (0, 0, 0) if mode == "RGB" else 0)
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_patch_from_bytes() -> None:
    data = _png((40, 20))
    patch = image_patch(data, 3, 8, 8)
    assert patch.shape == (3, 8, 8) and patch.dtype == np.float32
    # centre crop of a uniform picture: every channel keeps its colour
    np.testing.assert_allclose(patch[:, 4, 4], np.array([200, 50, 10]) / 255, atol=1e-6)
    grey = image_patch(data, 1, 5, 5)
    assert grey.shape == (1, 5, 5)
    assert grey.min() >= 0.0 and grey.max() <= 1.0
    many = image_patch(data, 5, 4, 4)
    np.testing.assert_array_equal(many[3], many[0])  # channels beyond 3 repeat R, G, B


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty"),
        (b"not an image at all", "could not be read"),
        (_png((30, 30))[:60], "could not be read"),  # truncated PNG
    ],
)
def test_bad_uploads_raise_a_clear_problem(data: bytes, match: str) -> None:
    with pytest.raises(ImageError, match=match):
        decode_image(data)
    with pytest.raises(ImageError, match=match):  # the stepper's picture goes through it too
        image_patch(data, 1, 4, 4)


def test_huge_pictures_are_refused_before_decoding() -> None:
    # A 5000x5000 1-bit PNG is tiny on disk but 25 M pixels: refused from the header alone.
    buffer = io.BytesIO()
    Image.new("1", (5000, 5000)).save(buffer, format="PNG")
    with pytest.raises(ImageError, match="5000×5000 pixels"):
        decode_image(buffer.getvalue())


def test_center_crop_keeps_the_middle() -> None:
    from cnnviz.lessons import center_crop

    x = np.arange(5 * 40 * 36, dtype=np.float32).reshape(5, 40, 36)
    crop, cropped = center_crop(x, 32, 32, 3)
    assert cropped and crop.shape == (3, 32, 32)
    np.testing.assert_array_equal(crop, x[:3, 4:36, 2:34])
    small, cropped = center_crop(x[:1, :5, :5], 32, 32, 3)
    assert not cropped and small.shape == (1, 5, 5)
    with pytest.raises(SpecError):
        center_crop(np.zeros((4, 4)), 32, 32, 3)


def test_parse_grid_reads_numbers_and_reports_bad_cells() -> None:
    from cnnviz.lessons import parse_grid

    values = parse_grid([["1", " -2.5 ", "3,5"], [4, "−1", 0.25]])
    np.testing.assert_array_equal(values, [[1, -2.5, 3.5], [4, -1, 0.25]])
    with pytest.raises(
        SpecError, match=r"2 cell\(s\) are not numbers: \(0, 1\) 'abc', \(1, 0\) ''"
    ):
        parse_grid([["1", "abc"], ["", "2"]])
    with pytest.raises(SpecError):
        parse_grid([["1", "inf"]])
    with pytest.raises(SpecError):
        parse_grid([["1", "2"], ["3"]])
