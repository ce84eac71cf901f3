"""What every part of the Train page shares: small formatters for numbers and catalog options.

Widget keys are ``train_w_<name>``; each keeps its value across page switches with
``persist_state`` (``pages.shared.widgets``), from the first-visit defaults of ``SETUP_DEFAULTS``
(``pages.train.setup``) and ``HYPER_DEFAULTS`` (``pages.train.hyper``). Never a page itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cnnviz.data import class_label
from cnnviz.i18n import t
from pages.shared.session import lang

__all__ = ["class_labels", "formatter", "number_text"]


def number_text(value: float) -> str:
    """A hyperparameter as typed: ``0``, ``0.001``, ``1e-05``."""
    return "0" if value == 0 else f"{value:g}"


def formatter(prefix: str) -> Callable[[Any], str]:
    """``option -> catalog text of prefix + option`` in the language of this run (captured now:
    a format function may be called outside the script run)."""
    code = lang()
    return lambda option: t(f"{prefix}{option}", code)


def class_labels(names: tuple[str, ...]) -> list[str]:
    """Class names for display, translated where the catalog knows them."""
    return [class_label(name, lang()) for name in names]
