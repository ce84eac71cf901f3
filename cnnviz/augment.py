"""Data augmentation for training batches: random shift, rotation, horizontal flip, colour jitter.

Each image gets its own random parameters, all drawn from the caller's ``torch.Generator`` (never
from torch's global RNG), so the same generator state gives the same batch even while other jobs
in the same process train, sample dropout masks or augment at the same time; no lock is needed.
(Seeding the global RNG under a lock with ``fork_rng`` would not give that: dropout in another
thread draws from the same global generator while the lock is held.)

The operations are torchvision.transforms.v2's, applied to the whole batch at once:
``affine`` (rotation ``angle`` about the centre, then an integer shift) uses torchvision's
inverse-matrix and grid conventions with one matrix per image (``tests/test_augment.py`` checks every
image against ``torchvision.transforms.v2.functional.affine``); ``horizontal_flip`` is v2's;
brightness ``clamp(f x, 0, 1)`` and contrast ``clamp(f x + (1 - f) mean(gray(x)), 0, 1)`` are v2's
formulas with a factor per image. Work is done in pixel space [0, 1] (de-normalised with the
dataset's ``mean``/``std`` when given), so rotated-in corners are black, as in the raw images.

Lesson: the "Train live" page (augmentation controls and preview) and the Overfitting lab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torchvision.transforms.v2 import functional as TF

from cnnviz.data_base import DataError

__all__ = [
    "MAX_ROTATION",
    "MAX_SHIFT",
    "AugmentConfig",
    "AugmentParams",
    "augment_batch",
    "draw_params",
    "inverse_affine_matrices",
]

MAX_SHIFT = 16
MAX_ROTATION = 180.0


@dataclass(frozen=True)
class AugmentConfig:
    """What to randomise in each training image (frozen: a cache key and part of a TrainConfig).

    ``shift``: at most this many pixels in x and y; ``rotation``: degrees, uniform in
    ``[-rotation, rotation]``; ``flip``: mirror left-right with probability 1/2;
    ``color_jitter`` ``s``: brightness and contrast factors uniform in ``[1 - s, 1 + s]``.
    """

    enabled: bool = False
    shift: int = 2
    flip: bool = False
    rotation: float = 10.0
    color_jitter: float = 0.0

    def __post_init__(self) -> None:
        if isinstance(self.shift, bool) or not isinstance(self.shift, int):
            raise DataError("data.error.bad_augment", field="shift", value=repr(self.shift))
        checks = (
            ("shift", self.shift, 0, MAX_SHIFT),
            ("rotation", self.rotation, 0.0, MAX_ROTATION),
            ("color_jitter", self.color_jitter, 0.0, 1.0),
        )
        for name, value, low, high in checks:
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not (number and low <= value <= high):  # NaN fails the comparison
                raise DataError("data.error.bad_augment", field=name, value=repr(value))

    @property
    def active(self) -> bool:
        """True when augmentation is on and changes something."""
        return self.enabled and (
            self.shift > 0 or self.rotation > 0 or self.flip or self.color_jitter > 0
        )


@dataclass(frozen=True)
class AugmentParams:
    """The random draws for one batch, one entry per image (all CPU tensors)."""

    angle: torch.Tensor  # (N,) degrees
    shift: torch.Tensor  # (N, 2) integer pixels (x, y)
    flip: torch.Tensor  # (N,) bool
    brightness: torch.Tensor  # (N,) factor
    contrast: torch.Tensor  # (N,) factor


def draw_params(n: int, cfg: AugmentConfig, generator: torch.Generator) -> AugmentParams:
    """All random numbers for ``n`` images, in a fixed order, from ``generator`` only."""

    def uniform(low: float, high: float, *shape: int) -> torch.Tensor:
        return low + (high - low) * torch.rand(*shape, generator=generator, dtype=torch.float64)

    angle = uniform(-cfg.rotation, cfg.rotation, n)
    shift = torch.randint(-cfg.shift, cfg.shift + 1, (n, 2), generator=generator)
    flip = (
        torch.rand(n, generator=generator) < 0.5 if cfg.flip else torch.zeros(n, dtype=torch.bool)
    )
    jitter = cfg.color_jitter
    brightness = uniform(1 - jitter, 1 + jitter, n)
    contrast = uniform(1 - jitter, 1 + jitter, n)
    return AugmentParams(angle, shift, flip, brightness, contrast)


def inverse_affine_matrices(angle: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """torchvision's ``_get_inverse_affine_matrix(center=0, angle, translate, scale=1, shear=0)``
    for a batch: output pixel -> input pixel, ``(N, 2, 3)`` float64.

    Rotation ``R(a)`` then translation ``t`` has inverse ``p = R(a)^T (q - t)``:
    ``[[cos, sin, -(cos tx + sin ty)], [-sin, cos, sin tx - cos ty]]``.
    """
    radians = torch.deg2rad(angle.to(torch.float64))
    cos, sin = torch.cos(radians), torch.sin(radians)
    tx, ty = shift[:, 0].to(torch.float64), shift[:, 1].to(torch.float64)
    row0 = torch.stack((cos, sin, -(cos * tx + sin * ty)), dim=1)
    row1 = torch.stack((-sin, cos, sin * tx - cos * ty), dim=1)
    return torch.stack((row0, row1), dim=1)  # (N, 2, 3)


def _affine_batch(pixels: torch.Tensor, angle: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """v2 ``affine(img, angle, translate=shift, scale=1, shear=0, bilinear, fill=0)`` per image.

    Same inverse matrix and output grid as torchvision's ``_affine_grid`` (pixel centres measured
    from the image centre, divided by half the size), with one matrix per image.
    """
    n, _, height, width = pixels.shape
    dtype, device = pixels.dtype, pixels.device
    theta = inverse_affine_matrices(angle, shift).to(dtype=dtype, device=device)  # (N, 2, 3)
    xs = torch.linspace((1.0 - width) * 0.5, (width - 1.0) * 0.5, width, dtype=dtype, device=device)
    ys = torch.linspace(
        (1.0 - height) * 0.5, (height - 1.0) * 0.5, height, dtype=dtype, device=device
    )
    x_grid, y_grid = xs.view(1, 1, width), ys.view(1, height, 1)

    def coefficient(row: int, col: int) -> torch.Tensor:
        return theta[:, row, col].view(n, 1, 1)

    source_x = coefficient(0, 0) * x_grid + coefficient(0, 1) * y_grid + coefficient(0, 2)
    source_y = coefficient(1, 0) * x_grid + coefficient(1, 1) * y_grid + coefficient(1, 2)
    grid = torch.stack(
        (source_x / (0.5 * width), source_y / (0.5 * height)), dim=-1
    )  # (N, H, W, 2)
    # Fill with 0 outside the image as v2 does: sample a ones-channel alongside as a coverage mask
    # and blend ``mask * (img - fill) + fill`` (with fill 0: ``mask * img``).
    ones = torch.ones(n, 1, height, width, dtype=dtype, device=device)
    sampled = F.grid_sample(
        torch.cat((pixels, ones), dim=1),
        grid,
        mode="bilinear",
        padding_mode="zeros",
        align_corners=False,
    )  # (N, C + 1, H, W)
    return sampled[:, :-1] * sampled[:, -1:]


def _jitter(pixels: torch.Tensor, brightness: torch.Tensor, contrast: torch.Tensor) -> torch.Tensor:
    """v2 ``adjust_contrast(adjust_brightness(img, b), c)`` with a factor per image."""
    n = pixels.shape[0]
    b = brightness.to(pixels).view(n, 1, 1, 1)
    c = contrast.to(pixels).view(n, 1, 1, 1)
    pixels = (pixels * b).clamp_(0.0, 1.0)
    gray = TF.rgb_to_grayscale(pixels) if pixels.shape[1] == 3 else pixels  # (N, 1, H, W)
    mean = gray.mean(dim=(-3, -2, -1), keepdim=True)  # (N, 1, 1, 1)
    return (c * pixels + (1.0 - c) * mean).clamp_(0.0, 1.0)


def augment_batch(
    x: torch.Tensor,
    cfg: AugmentConfig,
    generator: torch.Generator,
    *,
    mean: Sequence[float] | None = None,
    std: Sequence[float] | None = None,
) -> torch.Tensor:
    """A randomly shifted/rotated/flipped/jittered copy of the batch ``x`` ``(N, C, H, W)``.

    ``x`` is normalised; pass the dataset's ``mean``/``std`` so the work happens in pixel space
    (``pixels = x * std + mean``); without them each image is min-max scaled to [0, 1] and back.
    Returns ``x`` itself when ``cfg`` changes nothing. ``generator`` must be a CPU generator.
    """
    if not cfg.active or x.shape[0] == 0:
        return x
    n, channels = x.shape[0], x.shape[1]
    params = draw_params(n, cfg, generator)
    if mean is not None and std is not None:
        shape = (1, channels, 1, 1)
        mean_t = torch.tensor(list(mean), dtype=x.dtype, device=x.device).view(shape)
        std_t = torch.tensor(list(std), dtype=x.dtype, device=x.device).view(shape)
        low, span = mean_t, std_t
        pixels = (x * std_t + mean_t).clamp(0.0, 1.0)
    else:
        low = x.amin(dim=(1, 2, 3), keepdim=True)
        span = (x.amax(dim=(1, 2, 3), keepdim=True) - low).clamp_min(1e-12)
        pixels = (x - low) / span
    if cfg.rotation > 0 or cfg.shift > 0:
        pixels = _affine_batch(pixels, params.angle, params.shift)
    if cfg.flip and bool(params.flip.any()):
        rows = params.flip.to(x.device)
        pixels = pixels.clone()
        pixels[rows] = TF.horizontal_flip(pixels[rows])
    if cfg.color_jitter > 0:
        pixels = _jitter(pixels, params.brightness, params.contrast)
    if mean is not None and std is not None:
        return ((pixels - low) / span).contiguous()  # back to normalised: (p - mean) / std
    return (pixels * span + low).contiguous()
