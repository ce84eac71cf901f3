"""cnnviz.data.augment: per-image random shift/rotation/flip/jitter, checked against torchvision v2."""

from __future__ import annotations

import threading

import pytest
import torch
from torchvision.transforms.v2 import InterpolationMode
from torchvision.transforms.v2 import functional as TF

from cnnviz.data import AugmentConfig, DataError, augment_batch, draw_params


def _batch(n: int = 8, channels: int = 1, size: int = 16, seed: int = 0) -> torch.Tensor:
    return torch.rand(n, channels, size, size, generator=torch.Generator().manual_seed(seed))


def _gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


IDENTITY = {"mean": (0.0,), "std": (1.0,)}  # pixel space == input space for inputs in [0, 1]


def test_disabled_or_empty_config_returns_input() -> None:
    x = _batch()
    assert augment_batch(x, AugmentConfig(), _gen(0)) is x
    nothing = AugmentConfig(enabled=True, shift=0, rotation=0.0, flip=False, color_jitter=0.0)
    assert augment_batch(x, nothing, _gen(0)) is x


def test_same_generator_seed_same_batch_and_global_rng_untouched() -> None:
    x = _batch(channels=3)
    cfg = AugmentConfig(enabled=True, shift=3, rotation=20.0, flip=True, color_jitter=0.3)
    state = torch.get_rng_state()
    first = augment_batch(x, cfg, _gen(7))
    second = augment_batch(x, cfg, _gen(7))
    assert torch.equal(first, second)
    assert torch.equal(torch.get_rng_state(), state)  # only the caller's generator is used
    assert not torch.equal(first, augment_batch(x, cfg, _gen(8)))
    assert first.shape == x.shape and first.dtype == x.dtype


@pytest.mark.parametrize("channels", [1, 3])
def test_affine_matches_torchvision_v2_per_image(channels: int) -> None:
    x = _batch(n=6, channels=channels, size=20)
    cfg = AugmentConfig(enabled=True, shift=3, rotation=30.0)
    out = augment_batch(x, cfg, _gen(1), mean=(0.0,) * channels, std=(1.0,) * channels)
    params = draw_params(6, cfg, _gen(1))
    for i in range(6):
        expected = TF.affine(
            x[i],
            angle=float(params.angle[i]),
            translate=[int(v) for v in params.shift[i]],
            scale=1.0,
            shear=[0.0, 0.0],
            interpolation=InterpolationMode.BILINEAR,
            fill=[0.0] * channels,
        )
        assert torch.allclose(out[i], expected, atol=1e-5)


def test_integer_shift_moves_pixels_exactly() -> None:
    x = _batch(n=4, size=12)
    cfg = AugmentConfig(enabled=True, shift=2, rotation=0.0)
    out = augment_batch(x, cfg, _gen(3), **IDENTITY)
    params = draw_params(4, cfg, _gen(3))
    for i in range(4):
        dx, dy = (int(v) for v in params.shift[i])
        expected = torch.zeros_like(x[i])
        src = x[i, :, max(-dy, 0) : 12 - max(dy, 0), max(-dx, 0) : 12 - max(dx, 0)]
        expected[:, max(dy, 0) : 12 + min(dy, 0), max(dx, 0) : 12 + min(dx, 0)] = src
        assert torch.allclose(out[i], expected, atol=1e-6)


def test_flip_mirrors_about_half_the_images() -> None:
    x = _batch(n=200, size=6)
    cfg = AugmentConfig(enabled=True, shift=0, rotation=0.0, flip=True)
    out = augment_batch(x, cfg, _gen(0), **IDENTITY)
    flipped = [torch.equal(out[i], x[i].flip(-1)) for i in range(200)]
    unchanged = [torch.equal(out[i], x[i]) for i in range(200)]
    assert all(f or u for f, u in zip(flipped, unchanged, strict=True))
    assert 70 <= sum(flipped) <= 130


def test_colour_jitter_matches_torchvision_v2() -> None:
    x = _batch(n=5, channels=3)
    cfg = AugmentConfig(enabled=True, shift=0, rotation=0.0, color_jitter=0.5)
    out = augment_batch(x, cfg, _gen(2), mean=(0.0,) * 3, std=(1.0,) * 3)
    params = draw_params(5, cfg, _gen(2))
    for i in range(5):
        bright = TF.adjust_brightness(x[i], float(params.brightness[i]))
        expected = TF.adjust_contrast(bright, float(params.contrast[i]))
        assert torch.allclose(out[i], expected, atol=1e-5)


def test_normalised_input_round_trips_through_pixel_space() -> None:
    pixels = _batch(n=10, size=8)
    mean, std = 0.3, 0.2
    x = (pixels - mean) / std
    cfg = AugmentConfig(enabled=True, shift=0, rotation=0.0, flip=True)
    out = augment_batch(x, cfg, _gen(0), mean=(mean,), std=(std,))
    for i in range(10):
        assert torch.allclose(out[i], x[i], atol=1e-5) or torch.allclose(
            out[i], x[i].flip(-1), atol=1e-5
        )
    # Without mean/std each image is min-max scaled and back: a flip is still exact.
    out2 = augment_batch(x, cfg, _gen(0))
    assert torch.allclose(out2, out, atol=1e-5)


def test_rotation_fills_corners_with_black_pixels() -> None:
    pixels = torch.ones(1, 1, 16, 16)
    mean, std = 0.5, 0.25
    x = (pixels - mean) / std
    cfg = AugmentConfig(enabled=True, shift=0, rotation=45.0)
    # Find a seed whose angle is large enough to uncover the corners.
    seed = next(s for s in range(100) if abs(float(draw_params(1, cfg, _gen(s)).angle[0])) > 30)
    out = augment_batch(x, cfg, _gen(seed), mean=(mean,), std=(std,))
    assert out[0, 0, 0, 0].item() == pytest.approx((0.0 - mean) / std)  # black, normalised
    assert out[0, 0, 8, 8].item() == pytest.approx((1.0 - mean) / std)


def test_concurrent_threads_do_not_change_each_other() -> None:
    """Two jobs augmenting at the same time (and a third using the global RNG) get exactly the
    batches they get alone."""
    cfg = AugmentConfig(enabled=True, shift=2, rotation=15.0, flip=True, color_jitter=0.2)
    x = _batch(n=16, channels=3)

    def run(seed: int) -> list[torch.Tensor]:
        generator = _gen(seed)
        return [augment_batch(x, cfg, generator) for _ in range(30)]

    alone = {seed: run(seed) for seed in (1, 2)}
    results: dict[int, list[torch.Tensor]] = {}
    stop = threading.Event()

    def noisy_neighbour() -> None:
        while not stop.is_set():
            torch.rand(100)  # dropout, init... in another job
            torch.manual_seed(123)

    def worker(seed: int) -> None:
        results[seed] = run(seed)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in (1, 2)]
    neighbour = threading.Thread(target=noisy_neighbour)
    neighbour.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    neighbour.join()
    for seed in (1, 2):
        assert all(torch.equal(a, b) for a, b in zip(alone[seed], results[seed], strict=True))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"shift": -1},
        {"shift": 100},
        {"shift": 1.5},
        {"shift": True},
        {"rotation": 400.0},
        {"rotation": float("nan")},
        {"rotation": "10"},
        {"color_jitter": 2.0},
    ],
)
def test_bad_config_is_a_data_error(kwargs: dict[str, float]) -> None:
    with pytest.raises(DataError) as info:
        AugmentConfig(enabled=True, **kwargs)  # type: ignore[arg-type]
    assert info.value.key == "data.error.bad_augment"


def test_inverse_matrices_match_torchvision() -> None:
    from torchvision.transforms.functional import _get_inverse_affine_matrix

    from cnnviz.data import inverse_affine_matrices

    angle = torch.tensor([0.0, 12.5, -37.0, 90.0])
    shift = torch.tensor([[0, 0], [2, -1], [-3, 3], [1, 2]])
    ours = inverse_affine_matrices(angle, shift)
    for i in range(4):
        expected = _get_inverse_affine_matrix(
            [0.0, 0.0], float(angle[i]), [float(v) for v in shift[i]], 1.0, [0.0, 0.0]
        )
        assert torch.allclose(ours[i].flatten(), torch.tensor(expected, dtype=torch.float64))


# ------------------------------------------------------------- AlexNet's recipe (issue 9, item 23)


@pytest.mark.parametrize("channels", [1, 3])
def test_random_crop_matches_torchvision_v2_per_image(channels: int) -> None:
    x = _batch(n=6, channels=channels, size=12)
    cfg = AugmentConfig(enabled=True, shift=0, rotation=0.0, crop_padding=3)
    stats = {"mean": (0.0,) * channels, "std": (1.0,) * channels}
    out = augment_batch(x, cfg, _gen(4), **stats)
    params = draw_params(6, cfg, _gen(4), channels)
    assert params.crop.min() >= 0 and params.crop.max() <= 6
    for i in range(6):
        top, left = (int(v) for v in params.crop[i])
        expected = TF.crop(TF.pad(x[i], [3], fill=0.0), top, left, 12, 12)
        torch.testing.assert_close(out[i], expected)
    assert {tuple(c) for c in params.crop.tolist()} != {(3, 3)}  # not always the centre


def test_crops_and_flips_draw_after_the_old_settings() -> None:
    """Adding crops or PCA colour leaves the older draws (and so older runs) unchanged."""
    old = AugmentConfig(enabled=True, shift=2, rotation=10.0, flip=True)
    new = AugmentConfig(
        enabled=True, shift=2, rotation=10.0, flip=True, crop_padding=2, pca_colour=0.1
    )
    a, b = draw_params(5, old, _gen(9), 3), draw_params(5, new, _gen(9), 3)
    assert torch.equal(a.angle, b.angle) and torch.equal(a.shift, b.shift)
    assert torch.equal(a.flip, b.flip) and torch.equal(a.brightness, b.brightness)


def test_pca_colour_basis_is_numpys_eigen_decomposition() -> None:
    import numpy as np

    from cnnviz.data import pca_colour_basis

    generator = torch.Generator().manual_seed(0)
    mixing = torch.tensor([[1.0, 0.6, 0.2], [0.0, 0.8, 0.3], [0.0, 0.0, 0.5]])
    pixels = (torch.rand(50, 3, 6, 6, generator=generator).permute(0, 2, 3, 1) @ mixing).permute(
        0, 3, 1, 2
    )
    values, vectors = pca_colour_basis(pixels, chunk=7)  # chunks must not change the result
    flat = pixels.permute(1, 0, 2, 3).reshape(3, -1).double().numpy()
    np_values, np_vectors = np.linalg.eigh(np.cov(flat))
    np.testing.assert_allclose(values.numpy(), np_values, rtol=1e-9, atol=1e-12)
    for k in range(3):  # an eigenvector is defined up to its sign
        assert abs(float(np.dot(vectors[:, k].numpy(), np_vectors[:, k]))) == pytest.approx(1.0)
    # normalised input with its mean/std gives the basis of the pixels themselves
    unit = pixels / pixels.max()  # pixel values in [0, 1]
    mean, std = (0.4, 0.5, 0.3), (0.2, 0.25, 0.1)
    shape = (1, 3, 1, 1)
    normalised = (unit - torch.tensor(mean).view(shape)) / torch.tensor(std).view(shape)
    again, _ = pca_colour_basis(normalised, mean, std)
    torch.testing.assert_close(again, pca_colour_basis(unit)[0], rtol=1e-5, atol=1e-9)


def test_pca_colour_adds_one_eigen_combination_per_image() -> None:
    """AlexNet: every pixel of image n gets ``[p1 p2 p3] [a1 l1, a2 l2, a3 l3]^T``."""
    from cnnviz.data import pca_colour_basis

    x = 0.3 + 0.4 * _batch(n=5, channels=3, size=8)  # away from 0 and 1: no clamping
    basis = pca_colour_basis(x)
    cfg = AugmentConfig(enabled=True, shift=0, rotation=0.0, pca_colour=0.1)
    out = augment_batch(x, cfg, _gen(2), mean=(0.0,) * 3, std=(1.0,) * 3, colour_basis=basis)
    alpha = draw_params(5, cfg, _gen(2), 3).alpha  # (5, 3) ~ N(0, 0.1^2)
    values, vectors = basis
    for n in range(5):
        shift = sum(alpha[n, k] * values[k] * vectors[:, k] for k in range(3))
        torch.testing.assert_close(out[n], x[n] + shift.float().view(3, 1, 1))
    assert 0.0 < float(alpha.std()) < 0.3  # sigma 0.1 as in the paper


def test_ten_crop_views_are_the_corners_the_centre_and_their_mirrors() -> None:
    from cnnviz.data import ten_crop_views

    x = _batch(n=2, channels=3, size=8)
    views = ten_crop_views(x, 2)  # (10, N, C, 8, 8) from the 12x12 padded image
    padded = TF.pad(x, [2], fill=0.0)
    corners = [padded[..., :8, :8], padded[..., :8, 4:], padded[..., 4:, :8], padded[..., 4:, 4:]]
    expected = [*corners, x]  # the centre crop of the padded image is the image itself
    # v2 takes the second five from the mirrored image: its top-left corner is the mirrored
    # top-right one, and so on
    expected += [TF.horizontal_flip(expected[k]) for k in (1, 0, 3, 2, 4)]
    assert views.shape == (10, 2, 3, 8, 8)
    for k in range(10):
        torch.testing.assert_close(views[k], expected[k])
    mean, std = (0.5, 0.4, 0.3), (0.2, 0.3, 0.4)
    shape = (1, 3, 1, 1)
    normalised = (x - torch.tensor(mean).view(shape)) / torch.tensor(std).view(shape)
    again = ten_crop_views(normalised, 2, mean, std)
    black = (0.0 - torch.tensor(mean)) / torch.tensor(std)  # padding is black in pixel space
    torch.testing.assert_close(again[0, :, :, 0, 0], black.expand(2, 3))
    torch.testing.assert_close(again[4], normalised)


def test_ten_crop_needs_random_crops() -> None:
    with pytest.raises(DataError) as err:
        AugmentConfig(enabled=True, ten_crop=True)
    assert err.value.key == "data.error.ten_crop_needs_crops"
    assert AugmentConfig(enabled=True, crop_padding=2, ten_crop=True).ten_crop_padding == 2
    assert AugmentConfig(enabled=False, crop_padding=2, ten_crop=True).ten_crop_padding is None
