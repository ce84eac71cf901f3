"""Losses between two small images: Dice (segmentation) and SSIM (structural similarity).

Soft Dice: ``1 - (2 sum(p g) + eps) / (sum p + sum g + eps)``; it only looks at the overlap of
the two masks. SSIM (Wang et al. 2004) compares local means, variances and the covariance in a
sliding window ``w`` (Gaussian, sigma 1.5, or uniform):
``SSIM = (2 mu_x mu_y + C1)(2 s_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(s_x^2 + s_y^2 + C2))``,
``C1 = (0.01 L)^2``, ``C2 = (0.03 L)^2``, ``L = 1``, averaged over the valid window positions; the
loss is ``1 - SSIM``. Both are written with torch ops, so autograd gives ``d loss / d prediction``
for every pixel.

The articles 「[深度学习] 卷积神经网络CNN」 (Dice) and 「关于卷积神经网络损失函数的改进算法」 (SSIM, with
its formula) list them.

Lesson: the /losses page (Dice and SSIM on two images the learner changes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.concepts.inputs import ConceptError, check_range

__all__ = [
    "IMAGE_SIZE",
    "PREDICTIONS",
    "TARGETS",
    "ImageLosses",
    "dice_loss",
    "image_losses",
    "prediction_image",
    "ssim",
    "target_image",
]

IMAGE_SIZE = 12
TARGETS: tuple[str, ...] = ("square", "circle", "cross")
PREDICTIONS: tuple[str, ...] = (
    "same",
    "shifted",
    "blurred",
    "noisy",
    "brighter",
    "low_contrast",
    "inverted",
    "empty",
)
_C1 = 0.01**2
_C2 = 0.03**2


def target_image(kind: str) -> torch.Tensor:
    """A 12x12 float64 mask in [0, 1]: a filled square, a disc or a cross."""
    size = IMAGE_SIZE
    rows, cols = torch.meshgrid(
        torch.arange(size, dtype=torch.float64),
        torch.arange(size, dtype=torch.float64),
        indexing="ij",
    )
    centre = (size - 1) / 2
    match kind:
        case "square":
            image = ((rows - centre).abs() <= 3) & ((cols - centre).abs() <= 3)
        case "circle":
            image = (rows - centre) ** 2 + (cols - centre) ** 2 <= 3.6**2
        case "cross":
            image = ((rows - centre).abs() <= 1) | ((cols - centre).abs() <= 1)
            image &= ((rows - centre).abs() <= 4.5) & ((cols - centre).abs() <= 4.5)
        case _:
            raise ConceptError("why.input.bad_choice", value=kind, allowed=", ".join(TARGETS))
    return image.double()


def prediction_image(
    target: torch.Tensor, kind: str, *, noise: float = 0.2, seed: int = 0
) -> torch.Tensor:
    """A prediction made from ``target``: the same, shifted one pixel right, blurred (3x3 mean),
    with Gaussian noise (``noise``, seeded), brighter (+0.3), at half the contrast, inverted, or
    empty; always clipped to [0, 1]."""
    check_range(noise, 0.0, 1.0, name="noise")
    x = target.unsqueeze(0).unsqueeze(0)  # (1, 1, H, W)
    match kind:
        case "same":
            image = target.clone()
        case "shifted":
            image = torch.roll(target, shifts=1, dims=1)
            image[:, 0] = 0.0
        case "blurred":
            image = F.avg_pool2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), 3, stride=1)[0, 0]
        case "noisy":
            generator = torch.Generator().manual_seed(int(seed))
            image = target + noise * torch.randn(
                target.shape, generator=generator, dtype=torch.float64
            )
        case "brighter":
            image = target + 0.3
        case "low_contrast":
            image = target.mean() + 0.5 * (target - target.mean())
        case "inverted":
            image = 1.0 - target
        case "empty":
            image = torch.zeros_like(target)
        case _:
            raise ConceptError("why.input.bad_choice", value=kind, allowed=", ".join(PREDICTIONS))
    return image.clamp(0.0, 1.0)


def dice_loss(prediction: torch.Tensor, target: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Soft Dice loss ``1 - (2 sum(p g) + eps) / (sum p + sum g + eps)``."""
    overlap = (prediction * target).sum()
    return 1 - (2 * overlap + eps) / (prediction.sum() + target.sum() + eps)


def _window(size: int, sigma: float | None) -> torch.Tensor:
    """A normalised ``size x size`` window: Gaussian with ``sigma``, uniform when None."""
    if sigma is None:
        line = torch.ones(size, dtype=torch.float64)
    else:
        offsets = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
        line = torch.exp(-(offsets**2) / (2 * sigma**2))
    window = torch.outer(line, line)
    return window / window.sum()


def ssim(
    x: torch.Tensor, y: torch.Tensor, *, window: int = 7, sigma: float | None = 1.5
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(mean SSIM, SSIM map)`` of two ``(H, W)`` images in [0, 1], over every valid position
    of a ``window x window`` Gaussian (``sigma``) or uniform (``sigma=None``) window."""
    height, width = x.shape
    if x.shape != y.shape:
        raise ConceptError(
            "why.input.ragged", first=f"{height}x{width}", second="x".join(map(str, y.shape))
        )
    if not 1 <= window <= min(height, width):
        raise ConceptError(
            "why.input.out_of_range", name="window", value=window, low=1, high=min(height, width)
        )
    w = _window(window, sigma).view(1, 1, window, window)

    def local(image: torch.Tensor) -> torch.Tensor:
        return F.conv2d(image.view(1, 1, height, width), w)[0, 0]  # weighted local mean

    mu_x, mu_y = local(x), local(y)
    var_x = local(x * x) - mu_x**2
    var_y = local(y * y) - mu_y**2
    cov = local(x * y) - mu_x * mu_y
    ssim_map = ((2 * mu_x * mu_y + _C1) * (2 * cov + _C2)) / (
        (mu_x**2 + mu_y**2 + _C1) * (var_x + var_y + _C2)
    )
    return ssim_map.mean(), ssim_map


@dataclass(frozen=True, eq=False)
class ImageLosses:
    """Both images, MSE, Dice and SSIM losses, and each one's gradient image (autograd)."""

    target: np.ndarray  # (H, W)
    prediction: np.ndarray  # (H, W)
    mse: float
    dice: float
    ssim: float  # the similarity; the loss is 1 - ssim
    ssim_map: np.ndarray  # (H - w + 1, W - w + 1)
    mse_grad: np.ndarray  # (H, W)
    dice_grad: np.ndarray
    ssim_grad: np.ndarray  # gradient of the loss 1 - SSIM


def image_losses(
    target_kind: str, prediction_kind: str, *, noise: float = 0.2, seed: int = 0
) -> ImageLosses:
    """MSE, Dice and SSIM between a target mask and a prediction made from it, with gradients."""
    target = target_image(target_kind)
    base = prediction_image(target, prediction_kind, noise=noise, seed=seed)
    grads = []
    values = []
    ssim_map = None
    for name in ("mse", "dice", "ssim"):
        prediction = base.clone().requires_grad_(True)
        if name == "mse":
            loss = F.mse_loss(prediction, target)
        elif name == "dice":
            loss = dice_loss(prediction, target)
        else:
            similarity, ssim_map = ssim(prediction, target)
            loss = 1 - similarity
        (grad,) = torch.autograd.grad(loss, prediction)
        grads.append(grad.numpy())
        values.append(float(loss.detach()))
    assert ssim_map is not None
    return ImageLosses(
        target=target.numpy(),
        prediction=base.numpy(),
        mse=values[0],
        dice=values[1],
        ssim=1 - values[2],
        ssim_map=ssim_map.detach().numpy(),
        mse_grad=grads[0],
        dice_grad=grads[1],
        ssim_grad=grads[2],
    )
