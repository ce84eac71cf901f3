"""The one guarded decoder for every picture a user gives the app (Try it, the steppers, zip uploads).

A picture from a browser is untrusted: it may be a decompression bomb, a truncated file, a phone
photo stored sideways with an EXIF orientation tag, a 16-bit PNG, a palette image or have an alpha
channel. :func:`decode_image` checks the byte size and the pixel count from the header before any
pixel is decoded (without touching PIL's process-wide limit), ``verify()``s the file, decodes a
fresh handle, turns it upright (``ImageOps.exif_transpose``), scales 16-bit and float samples to
0..255 instead of clipping them, and composites transparency over a background. It returns an
``(H, W, 3)`` uint8 array or raises :class:`ImageError` with a message a student can act on.

Lesson: "Try it yourself" on the Train page, the steppers' "your picture", zip uploads.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from cnnviz.i18n import MessageError

__all__ = [
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "ImageError",
    "decode_image",
    "fit_image",
    "has_colour",
]

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 4096 * 4096  # ~16.8 megapixels: any phone photo, no decompression bomb

_SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N")


class ImageError(MessageError):
    """A picture that cannot be used; ``key`` is ``data.image.*``."""


def _check_header(data: bytes) -> None:
    if not data:
        raise ImageError("data.image.empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(
            "data.image.too_big_bytes",
            size_mb=round(len(data) / (1024 * 1024), 1),
            limit_mb=MAX_IMAGE_BYTES // (1024 * 1024),
        )
    with Image.open(io.BytesIO(data)) as probe:  # lazy: reads the header only
        width, height = probe.size
        if width < 1 or height < 1 or width * height > MAX_IMAGE_PIXELS:
            raise ImageError(
                "data.image.too_big_pixels",
                width=width,
                height=height,
                limit=f"{MAX_IMAGE_PIXELS:,}",
            )
        probe.verify()  # structure only; the handle is unusable afterwards


def _to_rgb(image: Image.Image, background: int) -> np.ndarray:
    """``image`` as (H, W, 3) uint8: deep samples scaled, transparency composited."""
    if image.mode in _SIXTEEN_BIT or image.mode in ("I", "F"):
        values = np.asarray(image, dtype=np.float64)
        if image.mode == "F":
            top = 1.0 if values.size and np.nanmax(values) <= 1.0 else 255.0
        elif image.mode == "I" and (not values.size or values.max() <= 255):
            top = 255.0
        else:
            top = 65535.0  # 16-bit samples (PNG, TIFF)
        gray = np.clip(np.nan_to_num(values) / top * 255.0, 0, 255).round().astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2)
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa"):
        fill = Image.new("RGBA", image.size, (background, background, background, 255))
        image = Image.alpha_composite(fill, image.convert("RGBA"))
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def decode_image(data: bytes, *, background: int = 255) -> np.ndarray:
    """Decode untrusted ``data`` into an upright ``(H, W, 3)`` uint8 RGB array.

    Transparent pixels are composited over a grey level ``background`` (white by default). Raises
    :class:`ImageError`: empty, too many bytes or pixels, or not a picture Pillow can read.
    """
    data = bytes(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            _check_header(data)
            with Image.open(io.BytesIO(data)) as image:
                upright = ImageOps.exif_transpose(image)
                return _to_rgb(upright, background)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError) as exc:
        raise ImageError(
            "data.image.too_big_pixels", width="?", height="?", limit=f"{MAX_IMAGE_PIXELS:,}"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, EOFError) as exc:
        raise ImageError("data.image.unreadable", reason=type(exc).__name__) from exc


def fit_image(rgb: np.ndarray, height: int, width: int) -> np.ndarray:
    """``rgb`` (H, W, 3) uint8 centre-cropped to the aspect ratio ``width/height`` and resized to
    ``(height, width, 3)`` by area averaging (no aliasing when shrinking)."""
    picture = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8))
    src_w, src_h = picture.size
    target = width / height
    if src_w / src_h > target:  # too wide: crop the sides
        new_w = max(1, round(src_h * target))
        left = (src_w - new_w) // 2
        box = (left, 0, left + new_w, src_h)
    else:
        new_h = max(1, round(src_w / target))
        top = (src_h - new_h) // 2
        box = (0, top, src_w, top + new_h)
    return np.asarray(picture.resize((width, height), Image.Resampling.BOX, box=box), np.uint8)


def has_colour(rgb: np.ndarray) -> bool:
    """True when some pixel's R, G, B differ visibly (grey pictures stored as RGB do not)."""
    pixels = np.asarray(rgb, dtype=np.int16)  # (H, W, 3)
    return bool(np.abs(pixels - pixels.mean(axis=2, keepdims=True)).max() > 8)
