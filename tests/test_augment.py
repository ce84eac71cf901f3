"""cnnviz.augment: per-image random shift/rotation/flip/jitter, checked against torchvision v2."""

from __future__ import annotations

import threading

import pytest
import torch
from torchvision.transforms.v2 import InterpolationMode
from torchvision.transforms.v2 import functional as TF

from cnnviz.augment import AugmentConfig, augment_batch, draw_params
from cnnviz.data import DataError


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

    from cnnviz.augment import inverse_affine_matrices

    angle = torch.tensor([0.0, 12.5, -37.0, 90.0])
    shift = torch.tensor([[0, 0], [2, -1], [-3, 3], [1, 2]])
    ours = inverse_affine_matrices(angle, shift)
    for i in range(4):
        expected = _get_inverse_affine_matrix(
            [0.0, 0.0], float(angle[i]), [float(v) for v in shift[i]], 1.0, [0.0, 0.0]
        )
        assert torch.allclose(ours[i].flatten(), torch.tensor(expected, dtype=torch.float64))
