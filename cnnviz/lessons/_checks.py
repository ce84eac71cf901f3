"""Checks shared by the steppers' settings objects: one value, one :class:`SpecError` problem.

Each check returns the value normalised to plain Python (``int``, ``(int, int)``, ``float``) so a
frozen settings dataclass can store it; a wrong type or a value below the minimum raises
:class:`cnnviz.net.SpecError` naming the field. Upper limits are the widgets' business (a layer sent
by the Build page may exceed them), so only lower bounds are checked here.

Lessons: "Convolution stepper", "Pooling stepper".
"""

from __future__ import annotations

import math
from collections.abc import Collection

import numpy as np

from cnnviz.net import Pair, Problem, SpecError

__all__ = ["check_bool", "check_choice", "check_finite", "check_int", "check_pair"]


def check_int(value: object, name: str, minimum: int) -> int:
    """A whole number (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise SpecError(Problem.make("not_int", field=name, value=repr(value)))
    if value < minimum:
        raise SpecError(
            Problem.make("step_at_least", field=name, value=int(value), minimum=minimum)
        )
    return int(value)


def check_pair(value: object, name: str, minimum: int) -> Pair:
    """A ``(height, width)`` pair of whole numbers, each at least ``minimum``."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise SpecError(Problem.make("not_int_pair", field=name, value=repr(value)))
    return check_int(value[0], name, minimum), check_int(value[1], name, minimum)


def check_finite(value: object, name: str) -> float:
    """A finite real number (not a bool, not NaN or infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise SpecError(Problem.make("not_number", field=name, value=repr(value)))
    if not math.isfinite(value):
        raise SpecError(Problem.make("not_number", field=name, value=repr(value)))
    return float(value)


def check_bool(value: object, name: str) -> bool:
    """``True`` or ``False`` (NumPy's bool too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise SpecError(Problem.make("not_bool", field=name, value=repr(value)))
    return bool(value)


def check_choice(value: object, name: str, allowed: Collection[str]) -> str:
    """One of the ``allowed`` strings."""
    if not isinstance(value, str) or value not in allowed:
        raise SpecError(
            Problem.make("step_bad_choice", field=name, value=value, allowed=", ".join(allowed))
        )
    return value
