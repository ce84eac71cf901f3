"""Sample inputs for the steppers and the Build page: digits, the seed-003 matrix, patterns, uploads.

``sample_image(channels, height, width, kind, seed)`` returns a float32 array of shape (C, H, W):

* ``"digit"``: a handwritten-looking digit drawn with PIL strokes (thick polylines with a seeded
  slant, rotation, scale and wobble), anti-aliased and scaled to (H, W). Values in [0, 1]. Not
  copied from MNIST. The digit is ``DIGIT_ORDER[seed % 10]`` (seed 0 draws a 3).
* ``"seed003"``: the 5x5 example matrix of the seed-003 article (integers 0..4, a diamond
  ``4 - |i-2| - |j-2|``), tiled if (H, W) is not 5x5; channel c is rolled c columns right
  (c mod W).
* ``"random_int"``: seeded integers 0..9 as floats (easy mental arithmetic).
* ``"checker"``: a 0/1 checkerboard with cells of ``max(1, min(H, W) // 4)`` pixels; odd
  channels are inverted.
* ``"gradient"``: a 0..1 ramp, left-to-right, top-to-bottom or diagonal by channel.

"digit", "checker" and "gradient" lie in [0, 1]; "seed003" and "random_int" keep their integer
values so the written-out sums stay readable. ``image_patch`` turns an uploaded picture into a
(C, H, W) array in [0, 1] after validating it with PIL.

Lessons: "Convolution stepper", "Pooling stepper", "Worked example"; the Build page's sample input.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from cnnviz.data import decode_image, fit_image
from cnnviz.net import MAX_SPATIAL, Problem, SpecError

__all__ = [
    "DIGIT_ORDER",
    "MAX_SAMPLE_CHANNELS",
    "SAMPLE_KINDS",
    "SEED003_INPUT",
    "center_crop",
    "digit_image",
    "image_patch",
    "parse_grid",
    "sample_image",
]

#: Sample kinds offered by :func:`sample_image`, in the order the pages list them.
SAMPLE_KINDS: Final[tuple[str, ...]] = ("digit", "seed003", "random_int", "checker", "gradient")

#: The input matrix of the seed-003 article (its section "1. 输入层"), shape (5, 5).
SEED003_INPUT: Final[np.ndarray] = np.array(
    [
        [0, 1, 2, 1, 0],
        [1, 2, 3, 2, 1],
        [2, 3, 4, 3, 2],
        [1, 2, 3, 2, 1],
        [0, 1, 2, 1, 0],
    ],
    dtype=np.float32,
)
SEED003_INPUT.setflags(write=False)

#: ``sample_image(..., kind="digit", seed=s)`` draws ``DIGIT_ORDER[s % 10]``.
DIGIT_ORDER: Final[tuple[int, ...]] = (3, 7, 2, 5, 8, 0, 4, 9, 1, 6)

MAX_SAMPLE_CHANNELS: Final[int] = 64
#: Uploads larger than this (width * height) are refused before decoding (PIL's own default bomb
#: limit is ~89 M pixels; a classroom server should refuse far earlier). PIL's global

# Digit strokes in a unit box (x right, y down). Each stroke is a polyline; arcs are sampled.
_Point = tuple[float, float]


def _arc(
    cx: float, cy: float, rx: float, ry: float, start: float, stop: float, n: int = 24
) -> list[_Point]:
    """Points on an ellipse from angle ``start`` to ``stop`` (degrees; 90 points down)."""
    angles = np.radians(np.linspace(start, stop, n))
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles]


_STROKES: Final[dict[int, list[list[_Point]]]] = {
    0: [_arc(0.5, 0.5, 0.27, 0.37, -90, 275, 40)],
    1: [[(0.36, 0.27), (0.53, 0.12), (0.52, 0.88)]],
    2: [[*_arc(0.5, 0.34, 0.25, 0.21, 195, 385, 20), (0.24, 0.86), (0.8, 0.85)]],
    3: [_arc(0.49, 0.3, 0.23, 0.18, 200, 450, 20), _arc(0.49, 0.67, 0.27, 0.2, -90, 160, 22)],
    4: [[(0.64, 0.88), (0.62, 0.12), (0.2, 0.64), (0.84, 0.63)]],
    5: [
        [(0.76, 0.14), (0.33, 0.14), (0.28, 0.5)],
        _arc(0.5, 0.65, 0.27, 0.22, -150, 150, 24),
    ],
    6: [_arc(0.62, 0.6, 0.36, 0.46, -100, -175, 10), _arc(0.5, 0.64, 0.25, 0.23, 180, 545, 32)],
    7: [[(0.2, 0.15), (0.8, 0.14), (0.42, 0.88)]],
    8: [_arc(0.5, 0.31, 0.2, 0.17, 90, 450, 28), _arc(0.5, 0.67, 0.25, 0.2, -90, 270, 32)],
    9: [_arc(0.5, 0.35, 0.24, 0.21, 0, 365, 30), [(0.74, 0.36), (0.66, 0.88)]],
}


def _check_size(channels: int, height: int, width: int) -> None:
    for name, value, maximum in (
        ("channels", channels, MAX_SAMPLE_CHANNELS),
        ("height", height, MAX_SPATIAL),
        ("width", width, MAX_SPATIAL),
    ):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise SpecError(Problem.make("not_int", field=name, value=repr(value)))
        if not 1 <= value <= maximum:
            raise SpecError(
                Problem.make("out_of_range", field=name, value=value, minimum=1, maximum=maximum)
            )


def digit_image(digit: int, height: int, width: int, seed: int = 0) -> np.ndarray:
    """One handwritten-looking ``digit`` (0-9) as a float32 (H, W) array in [0, 1].

    Drawn with PIL on a supersampled square canvas: the strokes get a seeded random affine
    transform (rotation +-10 deg, slant, scale, shift) and a small per-point wobble, then a Gaussian
    blur, then an area-averaging resize to (H, W).
    """
    if digit not in _STROKES:
        raise SpecError(
            Problem.make("out_of_range", field="digit", value=digit, minimum=0, maximum=9)
        )
    _check_size(1, height, width)
    rng = np.random.default_rng(seed)
    # Supersample small targets (x4) for smooth edges; cap the canvas so 1024x1024 stays fast.
    canvas = int(min(512, max(56, 4 * max(height, width))))
    angle = math.radians(rng.uniform(-10, 10))
    shear = rng.uniform(-0.25, 0.1)
    scale = rng.uniform(0.8, 0.95)
    shift = rng.uniform(-0.04, 0.04, size=2)
    cos_a, sin_a = math.cos(angle), math.sin(angle)

    def transform(point: _Point) -> tuple[float, float]:
        x, y = point[0] - 0.5, point[1] - 0.5
        x = x + shear * y  # slant
        x, y = cos_a * x - sin_a * y, sin_a * x + cos_a * y
        x = x * scale + 0.5 + shift[0]
        y = y * scale + 0.5 + shift[1]
        return x * canvas, y * canvas

    image = Image.new("L", (canvas, canvas), 0)
    draw = ImageDraw.Draw(image)
    stroke = max(2, round(canvas * rng.uniform(0.095, 0.125)))
    for line in _STROKES[digit]:
        wobble = rng.normal(0.0, 0.008, size=(len(line), 2))
        points = [
            transform((x + dx, y + dy)) for (x, y), (dx, dy) in zip(line, wobble, strict=True)
        ]
        draw.line(points, fill=255, width=stroke, joint="curve")
        radius = stroke / 2
        for x, y in (points[0], points[-1]):  # round pen caps
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    image = image.filter(ImageFilter.GaussianBlur(radius=canvas / 112))
    resample = Image.Resampling.BOX if canvas >= max(height, width) else Image.Resampling.BILINEAR
    image = image.resize((width, height), resample=resample)
    array = np.asarray(image, dtype=np.float32) / 255.0  # (H, W)
    return np.clip(array, 0.0, 1.0)


def _tiled(pattern: np.ndarray, height: int, width: int) -> np.ndarray:
    reps = (-(-height // pattern.shape[0]), -(-width // pattern.shape[1]))
    return np.tile(pattern, reps)[:height, :width]


def sample_image(
    channels: int, height: int, width: int, kind: str = "digit", seed: int = 0
) -> np.ndarray:
    """A deterministic sample input of shape (channels, height, width), dtype float32.

    See the module docstring for the kinds. Raises :class:`cnnviz.net.specs.SpecError` (a ValueError)
    for an unknown kind or sizes outside 1..64 channels and 1..1024 pixels.
    """
    _check_size(channels, height, width)
    if kind not in SAMPLE_KINDS:
        raise SpecError(
            Problem.make(
                "step_bad_sample_kind", field="kind", value=kind, allowed=", ".join(SAMPLE_KINDS)
            )
        )
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise SpecError(Problem.make("not_int", field="seed", value=repr(seed)))
    if kind == "digit":
        digit = digit_image(DIGIT_ORDER[seed % 10], height, width, seed)  # (H, W)
        if channels == 1:
            return digit[None].copy()
        # A tinted digit on a faintly coloured background: per-channel gain and offset.
        rng = np.random.default_rng(seed + 1)
        gain = rng.uniform(0.55, 1.0, size=(channels, 1, 1)).astype(np.float32)
        background = rng.uniform(0.0, 0.15, size=(channels, 1, 1)).astype(np.float32)
        out = np.empty((channels, height, width), dtype=np.float32)
        np.multiply(digit[None], gain - background, out=out)  # in place: C*H*W can be 64M values
        out += background
        return out  # (C, H, W)
    if kind == "random_int":
        rng = np.random.default_rng(seed)
        values = rng.integers(0, 10, size=(channels, height, width), dtype=np.uint8)
        return values.astype(np.float32)
    rows = np.arange(height)[:, None]
    cols = np.arange(width)[None, :]
    if kind == "seed003":
        base = _tiled(SEED003_INPUT, height, width).astype(np.float32)
        planes = [np.roll(base, c, axis=1) for c in range(min(channels, width))]
    elif kind == "checker":
        cell = max(1, min(height, width) // 4)
        board = ((rows // cell + cols // cell) % 2).astype(np.float32)  # (H, W)
        planes = [board, 1.0 - board]
    else:  # gradient
        planes = [
            np.broadcast_to(cols / max(width - 1, 1), (height, width)),
            np.broadcast_to(rows / max(height - 1, 1), (height, width)),
            ((rows + cols) / max(height + width - 2, 1)).astype(np.float32),
        ]
    out = np.empty((channels, height, width), dtype=np.float32)
    for c in range(channels):  # channel c repeats plane c mod len(planes)
        out[c] = planes[c % len(planes)]
    return out


def image_patch(data: bytes, channels: int, height: int, width: int) -> np.ndarray:
    """A (channels, height, width) float32 array in [0, 1] from an uploaded picture.

    Decoded by the app's one guarded decoder (:func:`cnnviz.data.images.decode_image`, which
    raises :class:`~cnnviz.data.images.ImageError`), centre-cropped to the target aspect ratio
    and resized by area averaging. One channel = greyscale (luma); 2 or 3 = the first RGB
    channels; more than 3 repeat R, G, B.
    """
    _check_size(channels, height, width)
    rgb = fit_image(decode_image(data), height, width).astype(np.float32) / 255.0  # (H, W, 3)
    if channels == 1:
        gray = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        return gray[None].astype(np.float32)  # (1, H, W)
    planes = np.moveaxis(rgb, -1, 0)  # (3, H, W)
    return np.stack([planes[c % 3] for c in range(channels)]).astype(np.float32)


def center_crop(
    x: np.ndarray, max_height: int, max_width: int, max_channels: int
) -> tuple[np.ndarray, bool]:
    """The centred (<= max_channels, <= max_height, <= max_width) part of a (C, H, W) array.

    Returns ``(crop, cropped)``; the steppers use it for a big feature map sent by the Build page.
    """
    x = np.asarray(x)
    if x.ndim != 3 or min(x.shape) < 1:
        raise SpecError(Problem.make("step_bad_shape", field="input", x=str(x.shape), w="-"))
    channels, height, width = x.shape
    new_h, new_w, new_c = (
        min(height, max_height),
        min(width, max_width),
        min(channels, max_channels),
    )
    top, left = (height - new_h) // 2, (width - new_w) // 2
    crop = x[:new_c, top : top + new_h, left : left + new_w]
    return crop, crop.shape != x.shape


def parse_grid(cells: Sequence[Sequence[object]]) -> np.ndarray:
    """A typed grid (rows of cells: numbers or text like ``"-1.5"``) as a float64 (H, W) array.

    Accepts ``,`` as a decimal comma and the Unicode minus. Raises :class:`SpecError` listing every
    cell that is empty or not a finite number (row and column counted from 0).
    """
    rows = [list(row) for row in cells]
    if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
        raise SpecError(Problem.make("step_grid_shape"))
    values = np.zeros((len(rows), len(rows[0])), dtype=np.float64)
    bad: list[str] = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            text = "" if cell is None else str(cell).strip().replace("−", "-").replace(",", ".")
            try:
                number = float(text)
            except ValueError:
                number = float("nan")
            if not np.isfinite(number) or abs(number) > 1e6:
                bad.append(f"({r}, {c}) {str(cell)[:12]!r}" if text else f"({r}, {c}) ''")
            else:
                values[r, c] = number
    if bad:
        raise SpecError(Problem.make("step_grid_cells", cells=", ".join(bad[:6]), count=len(bad)))
    return values
