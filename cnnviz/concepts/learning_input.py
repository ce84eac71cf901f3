"""What a learner sends to the "how a network learns" explorers, checked on the server.

A browser can send anything (widget limits only hold in the browser, URLs and session state can be
edited), so every learning rate, start point and step count that reaches a computation of the
optimizer, learning-rate and initialisation explorers is checked here. A bad value raises
:class:`LearningInputError`, a :class:`cnnviz.i18n.MessageError` whose message (catalog keys
``learn.error.*``) says what to change; the page shows it and keeps the last good state.

Lessons: the "Optimizers", "Learning rate" and "Initialisation" pages.
"""

from __future__ import annotations

import math
from typing import Final

from cnnviz.i18n import MessageError

__all__ = ["MAX_LR", "MIN_LR", "LearningInputError", "check_lr", "check_steps", "parse_lr"]

#: The learning rates an explorer accepts: (0, 100]. Above 100 every surface here diverges at
#: once, and the race would show nothing but a message.
MIN_LR: Final[float] = 1e-6
MAX_LR: Final[float] = 100.0


class LearningInputError(MessageError):
    """Bad input to a learning explorer: ``key`` is a catalog key ``learn.error.*``."""


def check_lr(lr: object, *, name: str = "") -> float:
    """``lr`` as a float if it is a usable learning rate, else :class:`LearningInputError`.

    ``learn.error.lr_nan`` (not a number, NaN or infinite), ``lr_zero`` (0: nothing would move),
    ``lr_negative`` (gradient ascent), ``lr_small`` (below :data:`MIN_LR`), ``lr_large`` (above
    :data:`MAX_LR`). ``name`` says which optimizer's rate it is.
    """
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr):
        raise LearningInputError("learn.error.lr_nan", name=name, value=str(lr))
    value = float(lr)
    if value == 0.0:
        raise LearningInputError("learn.error.lr_zero", name=name)
    if value < 0.0:
        raise LearningInputError("learn.error.lr_negative", name=name, value=value)
    if value < MIN_LR:
        raise LearningInputError("learn.error.lr_small", name=name, value=value, low=MIN_LR)
    if value > MAX_LR:
        raise LearningInputError("learn.error.lr_large", name=name, value=value, high=MAX_LR)
    return value


def parse_lr(text: str, *, name: str = "") -> float:
    """A learning rate typed as text (``0.01``, ``1e-3``, ``.5``), checked by :func:`check_lr`.

    Raises :class:`LearningInputError`: ``learn.error.lr_text`` when the text is not a number.
    """
    cleaned = str(text).strip().replace("，", ".").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise LearningInputError("learn.error.lr_text", name=name, text=str(text)[:40]) from None
    return check_lr(value, name=name)


def check_steps(steps: object, high: int) -> int:
    """``steps`` as an int in ``[1, high]``, else :class:`LearningInputError` (``steps``)."""
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= high:
        raise LearningInputError("learn.error.steps", value=str(steps), high=high)
    return int(steps)
