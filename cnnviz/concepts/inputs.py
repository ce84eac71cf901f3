"""What a learner types into the "why a network learns" explorers, checked on the server.

A browser can send anything (widget limits are only enforced in the browser), so every number that
reaches a computation of :mod:`cnnviz.concepts` comes through here: a vector typed as text, a
class index, a range. Anything wrong raises :class:`ConceptError`, a
:class:`cnnviz.i18n.MessageError` whose message says what to change (catalog keys ``why.input.*``);
the page shows it and keeps the last good state.

Lessons: the /activations, /losses and /regularize pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from cnnviz.i18n import MessageError

__all__ = [
    "MAX_VECTOR",
    "ConceptError",
    "check_finite",
    "check_index",
    "check_range",
    "parse_vector",
    "same_length",
]

#: Longest vector a learner may type (logits, predictions, activations).
MAX_VECTOR = 32
_SEPARATORS = re.compile(r"[,\s;，；]+")  # commas, spaces, semicolons, full-width ones too


class ConceptError(MessageError):
    """Bad input to an explorer: ``key`` is a catalog key ``why.input.*`` (or a page's own)."""


def parse_vector(
    text: str,
    *,
    minimum_length: int = 1,
    maximum_length: int = MAX_VECTOR,
    bound: float | None = None,
) -> tuple[float, ...]:
    """The numbers in ``text`` ("0.1, 0.2 0.3"), checked: finite, at most ``bound`` in absolute
    value, between ``minimum_length`` and ``maximum_length`` of them.

    Raises :class:`ConceptError` (``why.input.empty``, ``not_number``, ``not_finite``,
    ``too_short``, ``too_long``, ``too_large``).
    """
    pieces = [piece for piece in _SEPARATORS.split(text.strip()) if piece]
    if not pieces:
        raise ConceptError("why.input.empty")
    if len(pieces) > maximum_length:
        raise ConceptError("why.input.too_long", count=len(pieces), maximum=maximum_length)
    values: list[float] = []
    for position, piece in enumerate(pieces, start=1):
        try:
            value = float(piece)
        except ValueError:
            raise ConceptError("why.input.not_number", position=position, value=piece) from None
        values.append(value)
    check_finite(values)
    if len(values) < minimum_length:
        raise ConceptError("why.input.too_short", count=len(values), minimum=minimum_length)
    if bound is not None:
        for position, value in enumerate(values, start=1):
            if abs(value) > bound:
                raise ConceptError(
                    "why.input.too_large", position=position, value=f"{value:g}", bound=f"{bound:g}"
                )
    return tuple(values)


def check_finite(values: Sequence[float]) -> None:
    """Raise ``why.input.not_finite`` for a NaN or an infinity (with its 1-based position)."""
    for position, value in enumerate(values, start=1):
        if not math.isfinite(value):
            raise ConceptError("why.input.not_finite", position=position, value=f"{value}")


def same_length(first: Sequence[float], second: Sequence[float]) -> None:
    """Raise ``why.input.ragged`` when two vectors that pair up have different lengths."""
    if len(first) != len(second):
        raise ConceptError("why.input.ragged", first=len(first), second=len(second))


def check_index(index: object, count: int, *, name: str = "target") -> int:
    """``index`` as an int in ``0 .. count - 1``, else ``why.input.bad_index``."""
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
        raise ConceptError("why.input.bad_index", name=name, value=f"{index}", last=count - 1)
    return index


def check_range(value: object, low: float, high: float, *, name: str) -> float:
    """``value`` as a float in ``[low, high]``, else ``why.input.out_of_range`` (NaN included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ConceptError(
            "why.input.out_of_range", name=name, value=f"{value}", low=f"{low:g}", high=f"{high:g}"
        )
    return float(value)
