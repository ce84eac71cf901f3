"""Too large and too small: plain SGD on the quadratic bowl, and its threshold ``2 / lambda_max``.

On ``f = 1/2 (lambda_max x^2 + lambda_min y^2)`` one step of gradient descent is
``x <- (1 - lr lambda_max) x`` and ``y <- (1 - lr lambda_min) y``: each coordinate's error is
multiplied by a constant factor. The steep direction converges only if ``|1 - lr lambda_max| < 1``,
that is ``0 < lr < 2 / lambda_max``; just above, it oscillates with a growing amplitude and
diverges. The flat direction's factor ``1 - lr lambda_min`` is close to 1 when the condition
number is large: a learning rate small enough to be stable makes it crawl.

:func:`step_size_report` runs the real ``torch.optim.SGD`` (through the race) and puts the
curvature (``torch.autograd.functional.hessian``) and the factors measured on the trajectory side
by side.

Lesson: the "Optimizers" page ("Too large and too small").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cnnviz.concepts.optimizers import Race, Racer, RaceResult, Stop, run_race
from cnnviz.concepts.surfaces import Surface, curvature

__all__ = ["StepSizeReport", "step_size_report"]

#: A run "gets close" once its loss is below this fraction of the starting loss.
CLOSE_FRACTION = 1e-3


@dataclass(frozen=True, eq=False)
class StepSizeReport:
    """SGD with learning rate ``lr`` on a bowl, in numbers.

    ``threshold = 2 / lambda_max``; ``factor_steep = 1 - lr lambda_max`` and ``factor_flat =
    1 - lr lambda_min`` are the per-step factors of the formula, ``measured_steep`` and
    ``measured_flat`` the ratios ``x_1 / x_0`` and ``y_1 / y_0`` of the real run (NaN when the
    start has that coordinate 0). ``verdict``: "diverges" (the loss grew, or the run stopped),
    "converges" or "stalls" (the loss neither grew nor fell by 1%). ``close_step``: the first step
    with a loss below ``CLOSE_FRACTION`` of the start (None if never).
    """

    lr: float
    lambda_max: float
    lambda_min: float
    threshold: float
    factor_steep: float
    factor_flat: float
    measured_steep: float
    measured_flat: float
    verdict: str
    stop: Stop | None
    close_step: int | None
    start_loss: float
    final_loss: float
    result: RaceResult


def _ratio(after: float, before: float) -> float:
    return after / before if before != 0.0 and math.isfinite(after) else math.nan


def step_size_report(
    surface: Surface, lr: float, start: tuple[float, float] | None = None, steps: int = 100
) -> StepSizeReport:
    """Run ``torch.optim.SGD(lr)`` on ``surface`` (a bowl) from ``start`` and report how it went.

    Raises ``LearningInputError`` for a bad learning rate, start or step count (see
    :class:`Race`).
    """
    race = Race(surface, (Racer("sgd", lr),), start or surface.default_start, steps=steps)
    result = run_race(race)
    bend = curvature(surface)
    lam_max, lam_min = bend.lambda_max, bend.eigenvalues[0]
    positions, losses = result.positions[0], result.losses[0]
    taken = result.steps_run(0)
    start_loss = float(losses[0])
    final_loss = float(losses[taken]) if math.isfinite(losses[taken]) else math.inf
    if result.stops[0] is not None or final_loss > start_loss:
        verdict = "diverges"
    elif final_loss < 0.99 * start_loss:
        verdict = "converges"
    else:
        verdict = "stalls"
    close = [t for t in range(taken + 1) if losses[t] < CLOSE_FRACTION * start_loss]
    return StepSizeReport(
        lr=result.race.racers[0].lr,
        lambda_max=lam_max,
        lambda_min=lam_min,
        threshold=bend.sgd_threshold,
        factor_steep=1.0 - lr * lam_max,
        factor_flat=1.0 - lr * lam_min,
        measured_steep=_ratio(float(positions[1, 0]), float(positions[0, 0]))
        if taken
        else math.nan,
        measured_flat=_ratio(float(positions[1, 1]), float(positions[0, 1])) if taken else math.nan,
        verdict=verdict,
        stop=result.stops[0],
        close_step=close[0] if close else None,
        start_loss=start_loss,
        final_loss=final_loss,
        result=result,
    )
