"""The built-in "shapes" datasets: six kinds of shape drawn at random, generated on the fly.

Every image is rendered from a few random numbers (centre, size, rotation, stroke width, filled or
outline, colours) with a signed distance to the shape's edge, anti-aliased over one pixel:
``ink = clip(0.5 - distance, 0, 1)``, ``pixel = background + (foreground - background) * ink + noise``.
All images of a chunk are drawn at once with NumPy broadcasting (``(N, H, W)`` arrays); the only
randomness is one ``numpy.random.Generator`` seeded by the caller, so the same seed gives identical
images.

Lesson: the "Train live" page (the default dataset) and the Overfitting lab.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MASK_CLASSES", "SHAPE_CLASSES", "make_shape_masks", "make_shapes"]

# Order is fixed: it is the label order of every shapes dataset and of the ``tiny`` preset's outputs.
SHAPE_CLASSES: tuple[str, ...] = (
    "circle",
    "square",
    "triangle",
    "cross",
    "horizontal_line",
    "vertical_line",
)
#: The classes of a segmentation mask: 0 is the background, ``k`` is the shape ``SHAPE_CLASSES[k - 1]``.
MASK_CLASSES: tuple[str, ...] = ("background", *SHAPE_CLASSES)
_CHUNK = 512  # images rendered per NumPy pass: bounds peak memory at 64x64


def _draw_params(
    rng: np.random.Generator, labels: np.ndarray, size: int, colour: bool
) -> dict[str, np.ndarray]:
    """Random geometry and colours for each image, in pixels (all arrays have shape ``(N, ...)``)."""
    n = labels.shape[0]
    scale = size / 28.0
    radius = rng.uniform(5.0, 10.0, n) * scale  # half the extent of the shape
    stroke = rng.uniform(1.5, 2.5, n) * scale
    # Keep the whole shape, anti-aliased edge included, inside the image. It reaches
    # ``reach * r + spill * (stroke / 2 + 0.5)`` from its centre: a square tilted 20 degrees spans
    # 0.85 (cos 20 + sin 20) r = 1.09 r; an outline's band sticks out of a corner by
    # (stroke / 2 + 0.5) / sin(corner angle / 2) (x1.41 for a square, x2 for a triangle);
    # lines are 1.15 r long and thin across.
    reach = np.array([1.0, 1.1, 1.0, 1.0, 1.15, 1.15])[labels]
    spill = np.array([1.0, 1.42, 2.0, 1.0, 1.0, 1.0])[labels]
    margin = np.minimum(reach * radius + spill * (stroke / 2 + 0.5), (size - 1) / 2)
    centre_x = rng.uniform(margin, size - 1 - margin)
    centre_y = rng.uniform(margin, size - 1 - margin)
    filled = rng.random(n) < 0.5
    # Rotation limits per class (degrees): lines must stay horizontal or vertical (that is their
    # class); squares and triangles stay recognisable at 28x28 (a 45-degree square is a diamond).
    max_tilt = np.array([180.0, 20.0, 20.0, 45.0, 12.0, 12.0])[labels]
    angle = np.deg2rad(rng.uniform(-1.0, 1.0, n) * max_tilt)
    if colour:
        background = rng.uniform(0.0, 1.0, (n, 3))
        foreground = rng.uniform(0.0, 1.0, (n, 3))
        # Keep the shape visible: push the foreground away from the background's brightness.
        luma = np.array([0.299, 0.587, 0.114])
        gap = (foreground - background) @ luma
        push = np.where(np.abs(gap) < 0.35, np.where(gap >= 0, 0.35, -0.35) - gap, 0.0)
        foreground = np.clip(foreground + push[:, None], 0.0, 1.0)
    else:
        background = rng.uniform(0.0, 0.25, (n, 1))
        foreground = rng.uniform(0.7, 1.0, (n, 1))
    return {
        "radius": radius,
        "centre_x": centre_x,
        "centre_y": centre_y,
        "stroke": stroke,
        "filled": filled,
        "angle": angle,
        "background": background,
        "foreground": foreground,
    }


def _polygon_distance(u: np.ndarray, v: np.ndarray, sides: int, inradius: np.ndarray) -> np.ndarray:
    """Signed distance (exact on edges, conservative at corners) to a regular polygon.

    ``max_k (u cos a_k + v sin a_k) - r`` with the edge normals ``a_k = pi/2 + 2 pi k / sides``.
    """
    distance = np.full(u.shape, -np.inf)
    for k in range(sides):
        a = np.pi / 2 + 2 * np.pi * k / sides
        np.maximum(distance, u * np.cos(a) + v * np.sin(a), out=distance)
    return distance - inradius


def _box_distance(
    u: np.ndarray, v: np.ndarray, half_u: np.ndarray, half_v: np.ndarray
) -> np.ndarray:
    """Signed (Chebyshev) distance to the axis-aligned box ``|u| <= half_u, |v| <= half_v``."""
    return np.maximum(np.abs(u) - half_u, np.abs(v) - half_v)


def _shape_distance(
    kind: str, u: np.ndarray, v: np.ndarray, r: np.ndarray, h: np.ndarray, filled: np.ndarray
) -> np.ndarray:
    """Signed distance in pixels to the ink of one kind of shape (negative inside the ink), in the
    shape's own frame ``(u, v)``; ``r`` radius, ``h`` half the stroke width."""
    if kind == "cross":
        return np.minimum(_box_distance(u, v, r, h), _box_distance(u, v, h, r))
    if kind == "horizontal_line":
        return _box_distance(u, v, r * 1.15, h)
    if kind == "vertical_line":
        return _box_distance(u, v, h, r * 1.15)
    if kind == "circle":
        edge = np.hypot(u, v) - r
    elif kind == "square":
        edge = _polygon_distance(u, v, 4, r * 0.85)
    else:  # triangle
        edge = _polygon_distance(u, v, 3, r * 0.5)
    # Closed shapes: a filled interior, or an outline of the stroke width around the edge.
    return np.where(filled, edge, np.abs(edge) - h)


def _render(labels: np.ndarray, params: dict[str, np.ndarray], size: int) -> np.ndarray:
    """Ink coverage in [0, 1] for each image: ``(N, H, W)`` float32."""
    coords = np.arange(size, dtype=np.float32)
    x = coords[None, None, :]  # (1, 1, W)
    y = coords[None, :, None]  # (1, H, 1)
    ink = np.empty((labels.shape[0], size, size), dtype=np.float32)  # (N, H, W)
    for label, kind in enumerate(SHAPE_CLASSES):
        rows = np.flatnonzero(labels == label)
        if rows.size == 0:
            continue

        def col(name: str, rows: np.ndarray = rows) -> np.ndarray:
            return params[name][rows].astype(np.float32)[:, None, None]  # (n, 1, 1)

        angle = col("angle")
        cos, sin = np.cos(angle), np.sin(angle)
        dx, dy = x - col("centre_x"), y - col("centre_y")
        u = dx * cos + dy * sin  # (n, H, W): coordinates in the shape's own rotated frame
        v = dy * cos - dx * sin
        filled = params["filled"][rows][:, None, None]
        distance = _shape_distance(kind, u, v, col("radius"), col("stroke") / 2, filled)
        ink[rows] = np.clip(0.5 - distance, 0.0, 1.0)  # anti-aliased over one pixel
    return ink


def make_shapes(
    num_samples: int,
    image_size: int,
    *,
    colour: bool,
    noise: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """``num_samples`` shape images and their labels, classes balanced (counts differ by at most 1).

    Returns ``images`` ``(N, C, H, W)`` float32 in [0, 1] (C = 3 if ``colour`` else 1) and
    ``labels`` ``(N,)`` int64 indexing :data:`SHAPE_CLASSES`. Pixel noise is Gaussian with std
    ``noise``, then clipped to [0, 1].
    """
    images, labels, _ = _generate(num_samples, image_size, colour, noise, rng, masks=False)
    return images, labels


def make_shape_masks(
    num_samples: int,
    image_size: int,
    *,
    colour: bool,
    noise: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The images and labels of :func:`make_shapes` (same seed, same images) and a class per pixel.

    ``masks`` ``(N, H, W)`` int64 indexes :data:`MASK_CLASSES`: ``label + 1`` where the pixel's
    centre lies inside the drawn shape (signed distance <= 0, ink coverage >= 1/2), 0 elsewhere.
    The mask comes from the very geometry that drew the image, so it is exact.

    Lesson: the "Beyond classification" page (segmentation).
    """
    images, labels, masks = _generate(num_samples, image_size, colour, noise, rng, masks=True)
    assert masks is not None  # asked for above
    return images, labels, masks


def _generate(
    num_samples: int,
    image_size: int,
    colour: bool,
    noise: float,
    rng: np.random.Generator,
    *,
    masks: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    num_classes = len(SHAPE_CLASSES)
    labels = rng.permutation(np.arange(num_samples) % num_classes).astype(np.int64)
    params = _draw_params(rng, labels, image_size, colour)
    channels = 3 if colour else 1
    images = np.empty((num_samples, channels, image_size, image_size), dtype=np.float32)
    mask = np.zeros((num_samples, image_size, image_size), dtype=np.int64) if masks else None
    for start in range(0, num_samples, _CHUNK):
        stop = min(start + _CHUNK, num_samples)
        chunk = {name: value[start:stop] for name, value in params.items()}
        ink = _render(labels[start:stop], chunk, image_size)  # (n, H, W)
        if mask is not None:
            mask[start:stop] = np.where(ink >= 0.5, labels[start:stop, None, None] + 1, 0)
        background = chunk["background"].astype(np.float32)[:, :, None, None]  # (n, C, 1, 1)
        foreground = chunk["foreground"].astype(np.float32)[:, :, None, None]
        block = images[start:stop]  # (n, C, H, W), written in place
        np.multiply(foreground - background, ink[:, None], out=block)
        block += background
        if noise > 0:
            block += rng.standard_normal(block.shape, dtype=np.float32) * np.float32(noise)
        np.clip(block, 0.0, 1.0, out=block)
    return images, labels, mask
