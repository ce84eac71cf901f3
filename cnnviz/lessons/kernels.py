"""Named convolution kernels (edge detectors, blurs, sharpen, identity, random) at any size.

Every name gives its classic 3x3 matrix at 3x3. At other sizes each kernel is generalised the way
image-processing libraries do it (Sobel = binomial smoothing x central difference, Gaussian =
binomial, box = mean, ...); where a size cannot express the idea (a 1-wide vertical-edge kernel,
an even-sized identity with no centre) the kernel is still returned and ``note`` holds a catalog key
explaining what happened. Display names are catalog keys ``stepper.kernel.<name>``.

Lessons: "Convolution stepper" (kernel choice) and "Worked example" (the seed-003 edge kernels).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb
from typing import Final

import numpy as np

from cnnviz.net import MAX_KERNEL, Problem, SpecError

__all__ = [
    "KERNEL_NAMES",
    "NamedKernel",
    "kernel_label_key",
    "make_weights",
    "named_kernel",
]

#: In the order the pages list them.
KERNEL_NAMES: Final[tuple[str, ...]] = (
    "vertical_edge",
    "horizontal_edge",
    "sobel_x",
    "sobel_y",
    "laplacian",
    "box_blur",
    "gaussian_blur",
    "sharpen",
    "identity",
    "random",
)

_CLASSIC_3X3: Final[dict[str, list[list[float]]]] = {
    # The seed-003 article's edge kernels: left minus right / top minus bottom.
    "vertical_edge": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    "horizontal_edge": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    "sobel_x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel_y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
}


@dataclass(frozen=True)
class NamedKernel:
    """A kernel ``values`` (kh, kw) float64, its ``name``, and an optional ``note`` catalog key."""

    name: str
    values: np.ndarray
    note: str | None = None


def kernel_label_key(name: str) -> str:
    """The catalog key of a kernel's display name."""
    return f"stepper.kernel.{name}"


def _binomial(n: int) -> np.ndarray:
    """Row n-1 of Pascal's triangle: ``[1]``, ``[1, 1]``, ``[1, 2, 1]``, ``[1, 3, 3, 1]``..."""
    return np.array([comb(n - 1, i) for i in range(n)], dtype=np.float64)


def _derivative(n: int) -> np.ndarray:
    """Central difference smoothed to length n: ``[-1, 0, 1]``, ``[-1, -2, 0, 2, 1]``, ...

    Length 2 is ``[-1, 1]``; length 1 has no difference (``[0]``).
    """
    if n == 1:
        return np.zeros(1)
    if n == 2:
        return np.array([-1.0, 1.0])
    return np.convolve(_binomial(n - 2), [1.0, 0.0, -1.0])[::-1].copy()


def _halves(n: int) -> np.ndarray:
    """+1 on the first half, -1 on the second, 0 in the middle of an odd length."""
    values = np.zeros(n)
    values[: n // 2] = 1.0
    values[n - n // 2 :] = -1.0
    return values


def named_kernel(name: str, height: int = 3, width: int = 3, seed: int = 0) -> NamedKernel:
    """The kernel called ``name`` at size ``height x width``.

    ``random`` draws seeded integers from -2..2 (easy to multiply in your head).
    """
    for label, value in (("kernel height", height), ("kernel width", width)):
        if not isinstance(value, (int, np.integer)) or not 1 <= value <= MAX_KERNEL:
            raise SpecError(
                Problem.make(
                    "out_of_range", field=label, value=value, minimum=1, maximum=MAX_KERNEL
                )
            )
    if name not in KERNEL_NAMES:
        raise SpecError(
            Problem.make(
                "step_bad_kernel", field="kernel", value=name, allowed=", ".join(KERNEL_NAMES)
            )
        )
    shape = (int(height), int(width))
    note: str | None = None
    if name == "random":
        values = np.random.default_rng(seed).integers(-2, 3, size=shape).astype(np.float64)
        return NamedKernel(name, values)
    if shape == (3, 3) and name in _CLASSIC_3X3:
        return NamedKernel(name, np.array(_CLASSIC_3X3[name], dtype=np.float64))
    centre = (height // 2, width // 2)
    if name == "vertical_edge":
        values = np.outer(np.ones(height), _halves(width))
        note = "stepper.kernel_note.too_narrow" if width == 1 else None
    elif name == "horizontal_edge":
        values = np.outer(_halves(height), np.ones(width))
        note = "stepper.kernel_note.too_flat" if height == 1 else None
    elif name == "sobel_x":
        values = np.outer(_binomial(height), _derivative(width))
        note = "stepper.kernel_note.too_narrow" if width == 1 else "stepper.kernel_note.generalised"
    elif name == "sobel_y":
        values = np.outer(_derivative(height), _binomial(width))
        note = "stepper.kernel_note.too_flat" if height == 1 else "stepper.kernel_note.generalised"
    elif name == "box_blur":
        values = np.full(shape, 1.0 / (height * width))
    elif name == "gaussian_blur":
        values = np.outer(_binomial(height), _binomial(width))
        values /= values.sum()
    elif name == "laplacian":
        # every neighbour +1, the centre balances them: the sum is 0, a flat patch gives 0
        values = np.ones(shape)
        values[centre] = 1.0 - height * width
        note = "stepper.kernel_note.generalised"
    elif name == "sharpen":
        # 2 * identity - box blur: the centre pixel minus the blur of its neighbourhood, added back
        values = np.full(shape, -1.0 / (height * width))
        values[centre] += 2.0
        note = "stepper.kernel_note.generalised"
    else:  # identity
        values = np.zeros(shape)
        values[centre] = 1.0
    if name in ("laplacian", "sharpen", "identity") and (height % 2 == 0 or width % 2 == 0):
        note = "stepper.kernel_note.no_centre"
    if shape == (1, 1) and name in ("laplacian", "sharpen"):
        note = "stepper.kernel_note.one_by_one"
    return NamedKernel(name, values, note)


def make_weights(
    names: list[str] | tuple[str, ...],
    in_channels: int,
    height: int,
    width: int,
    seed: int = 0,
    groups: int = 1,
) -> np.ndarray:
    """Conv weights (F, C/groups, kh, kw): filter f uses ``names[f]`` on every channel it sees.

    ``random`` filters draw a different seeded kernel per channel (seed ``seed + 100 f + c``),
    so multi-channel partial sums differ, as in a trained network.
    """
    c_per_group = in_channels // groups
    weights = np.zeros((len(names), c_per_group, height, width), dtype=np.float64)
    for f, name in enumerate(names):
        for c in range(c_per_group):
            weights[f, c] = named_kernel(name, height, width, seed + 100 * f + c).values
    return weights
