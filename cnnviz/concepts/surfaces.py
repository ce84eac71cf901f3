"""Two-dimensional loss surfaces for the optimizer race: what the optimizers walk on.

A :class:`Surface` is a loss ``f(x, y)`` written in PyTorch (every curvature comes from
``torch.autograd.functional.hessian``). The race feeds the real ``torch.optim`` optimizers the
gradient written out by hand (:meth:`Surface.gradient`, every racer's point in one NumPy call per
step), which the tests hold to autograd's:

- ``bowl``: the quadratic ``f = 1/2 (lambda_max x^2 + lambda_min y^2)`` with condition number
  ``kappa = lambda_max / lambda_min`` (steep along x, flat along y); plain gradient descent is
  stable only for ``lr < 2 / lambda_max``;
- ``rosenbrock``: ``(1 - x)^2 + 100 (y - x^2)^2``, a curved, flat-bottomed valley (minimum (1, 1));
- ``beale``: ``(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2`` (minimum (3, 0.5));
- ``saddle``: ``x^2 + y^4/4 - y^2/2``, a saddle point at the origin between two minima (0, +-1);
- ``wells``: a wide shallow bowl with three Gaussian wells of different depths (one global
  minimum, two local ones).

Mini-batch noise: step ``t`` of a race sees ``f(theta) + sigma * s * eps_t . theta`` with seeded
``eps_t ~ N(0, I)``: the loss of "one mini-batch", whose gradient is the full gradient plus a
random vector of size about ``sigma * s`` (``s`` is the surface's gradient scale,
:attr:`Surface.noise_scale`).

Lesson: the "Optimizers" page (surfaces, contour and 3-D views, the 2/lambda_max threshold).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import torch

from cnnviz.concepts.learning_input import LearningInputError

__all__ = [
    "MAX_CONDITION",
    "SURFACES",
    "Curvature",
    "Surface",
    "SurfaceGrid",
    "curvature",
    "surface_grid",
]

#: Surface kinds, in the order the page offers them.
SURFACES: Final[tuple[str, ...]] = ("bowl", "rosenbrock", "beale", "saddle", "wells")
MAX_CONDITION: Final[float] = 1000.0
MAX_CURVATURE: Final[float] = 100.0
_DTYPE = torch.float64

# Gaussian wells of the "wells" surface: (depth, centre x, centre y, width); the first is deepest.
_WELLS: Final[tuple[tuple[float, float, float, float], ...]] = (
    (2.0, 1.6, 1.1, 0.7),
    (1.2, -1.5, -0.6, 0.6),
    (1.0, 0.4, -1.9, 0.5),
)

# kind -> (x range, y range, default start, gradient scale for the noise)
_GEOMETRY: Final[
    dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float], float]]
] = {
    "bowl": ((-2.0, 2.0), (-2.0, 2.0), (-1.8, 1.6), 1.0),
    "rosenbrock": ((-2.0, 2.0), (-1.0, 3.0), (-1.5, 2.5), 20.0),
    "beale": ((-4.5, 4.5), (-4.5, 4.5), (-1.0, 2.5), 10.0),
    "saddle": ((-2.0, 2.0), (-2.0, 2.0), (-1.8, 0.001), 1.0),
    "wells": ((-3.0, 3.0), (-3.0, 3.0), (-2.6, 2.4), 1.0),
}


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface; ``condition`` and ``curvature`` (lambda_max) shape the bowl only.

    Frozen and hashable: pages use it as a cache key. Raises :class:`LearningInputError` for an unknown
    kind or a condition number / curvature outside its range.
    """

    kind: str = "bowl"
    condition: float = 10.0
    curvature: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in SURFACES:
            raise LearningInputError("learn.error.surface", kind=repr(self.kind))
        for name, value, high in (
            ("condition", self.condition, MAX_CONDITION),
            ("curvature", self.curvature, MAX_CURVATURE),
        ):
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            low = 1.0 if name == "condition" else 1e-3
            if not number or not math.isfinite(value) or not low <= value <= high:
                raise LearningInputError(
                    "learn.error.surface_param", name=name, value=value, low=low, high=high
                )

    @property
    def x_range(self) -> tuple[float, float]:
        """The plotted range of x."""
        return _GEOMETRY[self.kind][0]

    @property
    def y_range(self) -> tuple[float, float]:
        """The plotted range of y."""
        return _GEOMETRY[self.kind][1]

    @property
    def default_start(self) -> tuple[float, float]:
        """Where a race starts until the learner clicks another point."""
        return _GEOMETRY[self.kind][2]

    @property
    def noise_scale(self) -> float:
        """The size of this surface's gradients: mini-batch noise ``sigma`` is relative to it."""
        return _GEOMETRY[self.kind][3]

    @property
    def log_contours(self) -> bool:
        """Whether contours are drawn on ``log(1 + f - f_min)`` (surfaces with huge walls)."""
        return self.kind in ("rosenbrock", "beale")

    @property
    def minima(self) -> tuple[tuple[float, float], ...]:
        """The known minima, global first (marked on the contour)."""
        match self.kind:
            case "rosenbrock":
                return ((1.0, 1.0),)
            case "beale":
                return ((3.0, 0.5),)
            case "saddle":
                return ((0.0, 1.0), (0.0, -1.0))
            case "wells":
                return tuple((cx, cy) for _, cx, cy, _ in _WELLS)
        return ((0.0, 0.0),)

    @property
    def lambda_min(self) -> float:
        """The bowl's flattest curvature ``lambda_max / kappa``."""
        return self.curvature / self.condition

    def contains(self, point: tuple[float, float]) -> bool:
        """True when ``point`` lies inside the plotted range."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        x, y = point
        return x0 <= x <= x1 and y0 <= y <= y1

    def loss(self, xy: torch.Tensor) -> torch.Tensor:
        """``f`` at points ``xy`` of shape (..., 2); returns shape (...). Differentiable."""
        x, y = xy[..., 0], xy[..., 1]
        match self.kind:
            case "bowl":
                return 0.5 * (self.curvature * x * x + self.lambda_min * y * y)
            case "rosenbrock":
                return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2
            case "beale":
                return (
                    (1.5 - x + x * y) ** 2
                    + (2.25 - x + x * y**2) ** 2
                    + (2.625 - x + x * y**3) ** 2
                )
            case "saddle":
                return x * x + 0.25 * y**4 - 0.5 * y * y
        total = 0.05 * (x * x + y * y)
        for depth, cx, cy, width in _WELLS:
            total = total - depth * torch.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * width**2))
        return total

    def gradient(self, xy: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """``(df/dx, df/dy)`` at points ``xy`` of shape (..., 2), NumPy float64, written out by
        hand (tested against autograd); written into ``out`` (same shape) when given.

        The optimizer race evaluates it once per step for every racer's point at once (500
        evaluations of a (9, 2) array), where autograd would cost one backward pass per step.
        Far from the plotted range it may overflow to inf or NaN (NumPy's warnings are the
        caller's to silence).
        """
        x, y = xy[..., 0], xy[..., 1]
        if out is None:
            out = np.empty(np.shape(xy), dtype=np.float64)
        match self.kind:
            case "bowl":
                out[..., 0] = self.curvature * x
                out[..., 1] = self.lambda_min * y
            case "rosenbrock":
                valley = y - x * x
                out[..., 0] = -2.0 * (1.0 - x) - 400.0 * x * valley
                out[..., 1] = 200.0 * valley
            case "beale":
                y2 = y * y
                y3 = y2 * y
                a1 = 2.0 * (1.5 - x + x * y)
                a2 = 2.0 * (2.25 - x + x * y2)
                a3 = 2.0 * (2.625 - x + x * y3)
                out[..., 0] = a1 * (y - 1.0) + a2 * (y2 - 1.0) + a3 * (y3 - 1.0)
                out[..., 1] = a1 * x + a2 * 2.0 * x * y + a3 * 3.0 * x * y2
            case "saddle":
                out[..., 0] = 2.0 * x
                out[..., 1] = y * y * y - y
            case _:
                gx, gy = 0.1 * x, 0.1 * y
                for depth, cx, cy, width in _WELLS:
                    dx, dy = x - cx, y - cy
                    scale = depth * np.exp(-(dx * dx + dy * dy) / (2 * width**2)) / width**2
                    gx = gx + scale * dx
                    gy = gy + scale * dy
                out[..., 0] = gx
                out[..., 1] = gy
        return out


@dataclass(frozen=True, eq=False)
class SurfaceGrid:
    """``f`` on a regular grid for the contour and 3-D views: ``z[i, j] = f(x[j], y[i])``."""

    x: np.ndarray  # (nx,)
    y: np.ndarray  # (ny,)
    z: np.ndarray  # (ny, nx)
    z_min: float
    z_max: float


def surface_grid(surface: Surface, points: int = 121) -> SurfaceGrid:
    """``surface.loss`` evaluated (by PyTorch, float64) on ``points x points`` grid points."""
    points = int(min(max(points, 11), 401))
    x = torch.linspace(*surface.x_range, points, dtype=_DTYPE)
    y = torch.linspace(*surface.y_range, points, dtype=_DTYPE)
    yy, xx = torch.meshgrid(y, x, indexing="ij")
    with torch.no_grad():
        z = surface.loss(torch.stack([xx, yy], dim=-1))  # (ny, nx)
    values = z.numpy()
    return SurfaceGrid(x.numpy(), y.numpy(), values, float(values.min()), float(values.max()))


@dataclass(frozen=True)
class Curvature:
    """The Hessian of a surface at a point and its eigenvalues (ascending)."""

    point: tuple[float, float]
    hessian: tuple[tuple[float, float], tuple[float, float]]
    eigenvalues: tuple[float, float]

    @property
    def lambda_max(self) -> float:
        """The largest eigenvalue: the steepest curvature."""
        return self.eigenvalues[1]

    @property
    def sgd_threshold(self) -> float:
        """``2 / lambda_max``: plain gradient descent on a quadratic diverges above this lr."""
        return 2.0 / self.lambda_max if self.lambda_max > 0 else math.inf


def curvature(surface: Surface, point: tuple[float, float] | None = None) -> Curvature:
    """The Hessian of ``surface`` at ``point`` (default: its global minimum), by autograd."""
    where = point if point is not None else surface.minima[0]
    at = torch.tensor(where, dtype=_DTYPE)
    hessian = torch.autograd.functional.hessian(surface.loss, at)  # (2, 2)
    eigenvalues = torch.linalg.eigvalsh(hessian)
    rows = hessian.tolist()
    return Curvature(
        (float(where[0]), float(where[1])),
        ((rows[0][0], rows[0][1]), (rows[1][0], rows[1][1])),
        (float(eigenvalues[0]), float(eigenvalues[1])),
    )
