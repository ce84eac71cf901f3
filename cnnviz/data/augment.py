"""Data augmentation for training batches: random shift, rotation, horizontal flip, colour jitter,
and AlexNet's recipe (random crops, PCA colour augmentation, ten-crop evaluation).

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

AlexNet (Krizhevsky et al. 2012, section 4.1) trained on random 224x224 crops of 256x256 images
with their mirror images, and tested on ten crops (four corners and the centre, each also
mirrored) with the ten predictions averaged. At cnnviz's fixed image sizes the same idea is
``crop_padding`` p: pad with p black pixels, crop back to the size at a random position
(``torchvision.transforms.v2.RandomCrop(size, padding=p)``), and :func:`ten_crop_views` takes v2's
``ten_crop`` of the padded image. Its PCA colour augmentation adds ``P (alpha * lambda)`` to every
pixel of an image, ``P``/``lambda`` the eigenvectors/eigenvalues of the training set's RGB
covariance (:func:`pca_colour_basis`) and ``alpha ~ N(0, sigma^2)`` drawn once per image
(the paper's sigma is 0.1).

Lesson: the "Train live" page (augmentation controls and preview) and the Overfitting lab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torchvision.transforms.v2 import functional as TF

from cnnviz.data.config import DataError

__all__ = [
    "MAX_CROP_PADDING",
    "MAX_PCA_COLOUR",
    "MAX_ROTATION",
    "MAX_SHIFT",
    "AugmentConfig",
    "AugmentParams",
    "ColourBasis",
    "alexnet_recipe",
    "augment_batch",
    "draw_params",
    "inverse_affine_matrices",
    "pca_colour_basis",
    "ten_crop_views",
]

MAX_SHIFT = 16
MAX_ROTATION = 180.0
MAX_CROP_PADDING = 16
MAX_PCA_COLOUR = 1.0

ColourBasis = tuple[torch.Tensor, torch.Tensor]
"""``(eigenvalues (C,), eigenvectors (C, C) as columns)`` of the pixels' channel covariance."""


@dataclass(frozen=True)
class AugmentConfig:
    """What to randomise in each training image (frozen: a cache key and part of a TrainConfig).

    ``shift``: at most this many pixels in x and y; ``rotation``: degrees, uniform in
    ``[-rotation, rotation]``; ``flip``: mirror left-right with probability 1/2;
    ``color_jitter`` ``s``: brightness and contrast factors uniform in ``[1 - s, 1 + s]``;
    ``crop_padding`` p: random crops of the image padded by p (AlexNet's crops);
    ``pca_colour`` sigma: AlexNet's PCA colour augmentation, ``alpha ~ N(0, sigma^2)``;
    ``ten_crop``: evaluate on ten crops of the padded image, averaged (needs ``crop_padding``).
    """

    enabled: bool = False
    shift: int = 2
    flip: bool = False
    rotation: float = 10.0
    color_jitter: float = 0.0
    crop_padding: int = 0
    pca_colour: float = 0.0
    ten_crop: bool = False

    def __post_init__(self) -> None:
        for name in ("shift", "crop_padding"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise DataError("data.error.bad_augment", field=name, value=repr(value))
        for name in ("enabled", "flip", "ten_crop"):
            if not isinstance(getattr(self, name), bool):
                raise DataError(
                    "data.error.bad_augment", field=name, value=repr(getattr(self, name))
                )
        checks = (
            ("shift", self.shift, 0, MAX_SHIFT),
            ("rotation", self.rotation, 0.0, MAX_ROTATION),
            ("color_jitter", self.color_jitter, 0.0, 1.0),
            ("crop_padding", self.crop_padding, 0, MAX_CROP_PADDING),
            ("pca_colour", self.pca_colour, 0.0, MAX_PCA_COLOUR),
        )
        for name, value, low, high in checks:
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not (number and low <= value <= high):  # NaN fails the comparison
                raise DataError("data.error.bad_augment", field=name, value=repr(value))
        if self.ten_crop and self.crop_padding == 0:
            raise DataError("data.error.ten_crop_needs_crops")

    @property
    def active(self) -> bool:
        """True when augmentation is on and changes something."""
        return self.enabled and (
            self.shift > 0
            or self.rotation > 0
            or self.flip
            or self.color_jitter > 0
            or self.crop_padding > 0
            or self.pca_colour > 0
        )

    @property
    def ten_crop_padding(self) -> int | None:
        """The padding of the ten-crop evaluation, or None when it is off."""
        return self.crop_padding if self.enabled and self.ten_crop else None


def alexnet_recipe(image_size: int) -> AugmentConfig:
    """AlexNet's augmentation scaled to ``image_size``: random crops with mirror images, PCA
    colour with sigma 0.1, ten-crop evaluation, nothing else. AlexNet cropped 224 of 256 pixels,
    16 per side per 224: the padding is ``max(1, round(image_size * 16 / 224))`` (2 for 28 or
    32, 5 for 64)."""
    padding = min(MAX_CROP_PADDING, max(1, round(image_size * 16 / 224)))
    return AugmentConfig(
        enabled=True,
        shift=0,
        rotation=0.0,
        flip=True,
        color_jitter=0.0,
        crop_padding=padding,
        pca_colour=0.1,
        ten_crop=True,
    )


@dataclass(frozen=True)
class AugmentParams:
    """The random draws for one batch, one entry per image (all CPU tensors)."""

    angle: torch.Tensor  # (N,) degrees
    shift: torch.Tensor  # (N, 2) integer pixels (x, y)
    flip: torch.Tensor  # (N,) bool
    brightness: torch.Tensor  # (N,) factor
    contrast: torch.Tensor  # (N,) factor
    crop: torch.Tensor  # (N, 2) top, left of the crop in the padded image, 0..2p
    alpha: torch.Tensor  # (N, C) PCA colour coefficients ~ N(0, sigma^2)


def draw_params(
    n: int, cfg: AugmentConfig, generator: torch.Generator, channels: int = 1
) -> AugmentParams:
    """All random numbers for ``n`` images, in a fixed order, from ``generator`` only (the crop
    and PCA draws come last and only when on, so older settings draw the same numbers)."""

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
    crop = torch.zeros(n, 2, dtype=torch.long)
    if cfg.crop_padding > 0:
        crop = torch.randint(0, 2 * cfg.crop_padding + 1, (n, 2), generator=generator)
    alpha = torch.zeros(n, channels, dtype=torch.float64)
    if cfg.pca_colour > 0:
        alpha = cfg.pca_colour * torch.randn(n, channels, generator=generator, dtype=torch.float64)
    return AugmentParams(angle, shift, flip, brightness, contrast, crop, alpha)


def _random_crop(pixels: torch.Tensor, crop: torch.Tensor, padding: int) -> torch.Tensor:
    """v2 ``crop(pad(img, padding), top, left, H, W)`` with its own (top, left) per image:
    black padding, then one gather for the whole batch."""
    n, _, height, width = pixels.shape
    padded = TF.pad(pixels, [padding], fill=0.0)  # (N, C, H + 2p, W + 2p)
    crop = crop.to(pixels.device)
    rows = crop[:, 0:1] + torch.arange(height, device=pixels.device)  # (N, H)
    cols = crop[:, 1:2] + torch.arange(width, device=pixels.device)  # (N, W)
    batch = torch.arange(n, device=pixels.device).view(n, 1, 1)
    picked = padded[batch, :, rows[:, :, None], cols[:, None, :]]  # (N, H, W, C)
    return picked.permute(0, 3, 1, 2).contiguous()


def pca_colour_basis(
    x: torch.Tensor,
    mean: Sequence[float] | None = None,
    std: Sequence[float] | None = None,
    *,
    chunk: int = 4096,
) -> ColourBasis:
    """Eigen-decomposition of the channel covariance of the pixels of ``x`` ``(N, C, H, W)``
    (normalised: pass ``mean``/``std`` to work in pixel space [0, 1]), in float64, in chunks:
    ``cov = (sum p p^T - n m m^T) / (n - 1)`` over every pixel ``p`` (a C-vector), then
    ``torch.linalg.eigh``. AlexNet's "principal components of the set of RGB pixel values"."""
    channels = x.shape[1]
    total = torch.zeros(channels, dtype=torch.float64)
    outer = torch.zeros(channels, channels, dtype=torch.float64)
    count = 0
    for start in range(0, x.shape[0], chunk):
        part = x[start : start + chunk].detach().to("cpu", torch.float64)
        if mean is not None and std is not None:
            shape = (1, channels, 1, 1)
            part = (
                (part * torch.tensor(list(std), dtype=torch.float64).view(shape))
                .add_(torch.tensor(list(mean), dtype=torch.float64).view(shape))
                .clamp_(0.0, 1.0)
            )
        pixels = part.transpose(0, 1).reshape(channels, -1)  # (C, pixels)
        total += pixels.sum(dim=1)
        outer += pixels @ pixels.T
        count += pixels.shape[1]
    centre = total / max(count, 1)
    covariance = (outer - count * torch.outer(centre, centre)) / max(count - 1, 1)
    eigenvalues, eigenvectors = torch.linalg.eigh(covariance)
    return eigenvalues.clamp_min(0.0), eigenvectors


def _pca_colour(pixels: torch.Tensor, alpha: torch.Tensor, basis: ColourBasis) -> torch.Tensor:
    """Add ``P (alpha_n * lambda)`` to every pixel of image n (one shift per image, clamped)."""
    eigenvalues, eigenvectors = basis
    shift = (alpha * eigenvalues.view(1, -1)) @ eigenvectors.T  # (N, C): rows are P (a * l)
    shift = shift.to(pixels).view(*shift.shape, 1, 1)
    return (pixels + shift).clamp_(0.0, 1.0)


def ten_crop_views(
    x: torch.Tensor,
    padding: int,
    mean: Sequence[float] | None = None,
    std: Sequence[float] | None = None,
) -> torch.Tensor:
    """AlexNet's ten test views of each image of ``x`` ``(N, C, H, W)``: v2's ``ten_crop`` of
    the image padded by ``padding`` black pixels, at the image's own size: the four corners, the
    centre (the image itself), then the same five mirrored. Returns ``(10, N, C, H, W)`` in the
    input's space (normalised ``x`` with ``mean``/``std`` is padded with normalised black)."""
    _, channels, height, width = x.shape
    if mean is not None and std is not None:
        shape = (1, channels, 1, 1)
        mean_t = torch.tensor(list(mean), dtype=x.dtype, device=x.device).view(shape)
        std_t = torch.tensor(list(std), dtype=x.dtype, device=x.device).view(shape)
        pixels = x * std_t + mean_t
    else:
        pixels = x
    padded = TF.pad(pixels, [padding], fill=0.0)
    views = torch.stack(TF.ten_crop(padded, [height, width]))  # (10, N, C, H, W)
    if mean is not None and std is not None:
        views = (views - mean_t) / std_t
    return views


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
    colour_basis: ColourBasis | None = None,
) -> torch.Tensor:
    """A randomly cropped/shifted/rotated/flipped/jittered/recoloured copy of the batch ``x``
    ``(N, C, H, W)``, in that order.

    ``x`` is normalised; pass the dataset's ``mean``/``std`` so the work happens in pixel space
    (``pixels = x * std + mean``); without them each image is min-max scaled to [0, 1] and back.
    PCA colour uses ``colour_basis`` (the training set's, :func:`pca_colour_basis`), else the
    batch's own. Returns ``x`` itself when ``cfg`` changes nothing. ``generator`` must be a CPU
    generator.
    """
    if not cfg.active or x.shape[0] == 0:
        return x
    n, channels = x.shape[0], x.shape[1]
    params = draw_params(n, cfg, generator, channels)
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
    if cfg.crop_padding > 0:
        pixels = _random_crop(pixels, params.crop, cfg.crop_padding)
    if cfg.rotation > 0 or cfg.shift > 0:
        pixels = _affine_batch(pixels, params.angle, params.shift)
    if cfg.flip and bool(params.flip.any()):
        rows = params.flip.to(x.device)
        pixels = pixels.clone()
        pixels[rows] = TF.horizontal_flip(pixels[rows])
    if cfg.color_jitter > 0:
        pixels = _jitter(pixels, params.brightness, params.contrast)
    if cfg.pca_colour > 0:
        pixels = _pca_colour(pixels, params.alpha, colour_basis or pca_colour_basis(pixels))
    if mean is not None and std is not None:
        return ((pixels - low) / span).contiguous()  # back to normalised: (p - mean) / std
    return (pixels * span + low).contiguous()
