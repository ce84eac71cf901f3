"""Seeded practice exercises on conv arithmetic, with answer checking and worked formulas.

Four kinds (``EXERCISE_KINDS``):

* ``conv_size``: predict ``floor((n + 2p - d(k-1) - 1) / s) + 1`` for a random (n, k, s, p, d).
* ``pick_padding_stride``: choose padding p and stride s so that an n x n input and a k x k kernel
  give a target size; any (p, s) that works is accepted, not only the one used to make the task.
* ``pool_size``: predict a pooling output size ``floor((n + 2p - k) / s) + 1``.
* ``conv_params``: count a conv layer's parameters ``out * (in * kh * kw) + out``.

``make_exercise(kind, seed)`` is deterministic; ``check_answer`` returns correct/incorrect plus the
formula from :mod:`cnnviz.net.arithmetic` with the numbers filled in. Prompts are catalog keys
``practice.prompt.<kind>`` formatted with ``Exercise.params``.

Lesson: "Practice".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from cnnviz.net import (
    Problem,
    SpecError,
    conv_output_formula,
    conv_output_size,
    conv_params,
    conv_params_formula,
    pool_output_formula,
    pool_output_size,
)

__all__ = [
    "EXERCISE_KINDS",
    "MAX_PICK_PADDING",
    "MAX_PICK_STRIDE",
    "Exercise",
    "Feedback",
    "check_answer",
    "make_exercise",
]

EXERCISE_KINDS: Final[tuple[str, ...]] = (
    "conv_size",
    "pick_padding_stride",
    "pool_size",
    "conv_params",
)
#: The ranges a "pick padding and stride" answer may use (the page's number inputs share them).
MAX_PICK_PADDING: Final[int] = 10
MAX_PICK_STRIDE: Final[int] = 8


@dataclass(frozen=True)
class Exercise:
    """One task. ``params`` fill the prompt; ``answer`` is one correct answer (an int, or
    ``(padding, stride)`` for ``pick_padding_stride``)."""

    kind: str
    seed: int
    params: dict[str, Any] = field(hash=False)
    answer: int | tuple[int, int]


@dataclass(frozen=True)
class Feedback:
    """The verdict. ``formula`` is the worked formula for the learner's answer where there is one
    (pick: what their p and s give), ``solution`` the formula of a correct answer."""

    correct: bool
    formula: str
    solution: str


def _rng(kind: str, seed: int) -> np.random.Generator:
    return np.random.default_rng([EXERCISE_KINDS.index(kind), seed])


def _choice(rng: np.random.Generator, options: tuple[int, ...]) -> int:
    return int(options[int(rng.integers(len(options)))])


def make_exercise(kind: str, seed: int) -> Exercise:
    """A random exercise of ``kind``, the same for the same seed."""
    if kind not in EXERCISE_KINDS:
        raise SpecError(
            Problem.make(
                "step_bad_exercise", field="kind", value=kind, allowed=", ".join(EXERCISE_KINDS)
            )
        )
    rng = _rng(kind, seed)
    if kind == "conv_size":
        while True:
            n = _choice(rng, (5, 6, 7, 8, 9, 10, 12, 14, 16, 28, 32, 64, 224))
            k = _choice(rng, (1, 2, 3, 3, 3, 5, 5, 7))
            s = _choice(rng, (1, 1, 2, 2, 3))
            p = _choice(rng, (0, 0, 1, 1, 2, 3))
            d = _choice(rng, (1, 1, 1, 1, 2, 3))
            out = conv_output_size(n, k, s, p, d)
            if out >= 1:
                return Exercise(kind, seed, {"n": n, "k": k, "s": s, "p": p, "d": d}, out)
    if kind == "pick_padding_stride":
        while True:
            n = _choice(rng, (7, 8, 10, 12, 14, 16, 20, 28, 32, 56, 64))
            k = _choice(rng, (1, 3, 3, 5, 5, 7))
            s = _choice(rng, (1, 2, 2, 3))
            p = int(rng.integers(0, k // 2 + 2))
            target = conv_output_size(n, k, s, p)
            if target >= 1 and p <= MAX_PICK_PADDING:
                params = {"n": n, "k": k, "target": target}
                return Exercise(kind, seed, params, (p, s))
    if kind == "pool_size":
        while True:
            n = _choice(rng, (4, 5, 6, 7, 8, 9, 13, 14, 15, 24, 27, 28, 55))
            k = _choice(rng, (2, 2, 3, 3))
            s = _choice(rng, (k, k, 2, 1))
            p = int(rng.integers(0, k // 2 + 1))
            out = pool_output_size(n, k, s, p)
            if out >= 1:
                return Exercise(kind, seed, {"n": n, "k": k, "s": s, "p": p}, out)
    # conv_params
    c_in = _choice(rng, (1, 3, 3, 6, 16, 32, 64))
    c_out = _choice(rng, (4, 6, 8, 16, 32, 64, 128))
    k = _choice(rng, (1, 3, 3, 5, 7))
    bias = bool(rng.integers(0, 4))  # mostly with bias, sometimes without
    params = {"in_channels": c_in, "out_channels": c_out, "k": k, "bias": bias}
    return Exercise(kind, seed, params, conv_params(c_in, c_out, (k, k), bias=bias))


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_answer(exercise: Exercise, answer: int | tuple[int, int]) -> Feedback:
    """Is ``answer`` right? For ``pick_padding_stride`` ``answer`` is ``(padding, stride)`` and any
    pair with ``0 <= p <= MAX_PICK_PADDING`` and ``1 <= s <= MAX_PICK_STRIDE`` that gives the target
    size is correct."""
    q = exercise.params
    if exercise.kind == "pick_padding_stride":
        assert isinstance(exercise.answer, tuple)  # made by make_exercise for this kind
        p_true, s_true = exercise.answer
        solution = conv_output_formula(q["n"], q["k"], s_true, p_true)
        if not (isinstance(answer, tuple) and len(answer) == 2 and all(map(_is_int, answer))):
            return Feedback(False, "", solution)
        p, s = int(answer[0]), int(answer[1])
        if not (0 <= p <= MAX_PICK_PADDING and 1 <= s <= MAX_PICK_STRIDE):
            return Feedback(False, "", solution)
        out = conv_output_size(q["n"], q["k"], s, p)
        formula = conv_output_formula(q["n"], q["k"], s, p)
        return Feedback(out == q["target"], formula, solution if out != q["target"] else formula)
    if exercise.kind == "conv_size":
        solution = conv_output_formula(q["n"], q["k"], q["s"], q["p"], q["d"])
    elif exercise.kind == "pool_size":
        solution = pool_output_formula(q["n"], q["k"], q["s"], q["p"])
    else:
        solution = conv_params_formula(
            q["in_channels"], q["out_channels"], (q["k"], q["k"]), bias=q["bias"]
        )
    correct = isinstance(answer, int) and _is_int(answer) and answer == exercise.answer
    return Feedback(bool(correct), solution, solution)
