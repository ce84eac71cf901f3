"""What every part of the Train page shares: kept widget values, chart options, small formatters.

Widget keys are ``train_w_<name>``; their values are copied to ``train_p_<name>`` so they survive
leaving the page (Streamlit drops a widget's key when its page is not shown). Never a page itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from cnnviz.data import class_label
from cnnviz.i18n import CATALOG, t
from pages._ui import lang, tr

__all__ = [
    "class_labels",
    "formatter",
    "kept",
    "message",
    "number_text",
    "remember",
    "shape_text",
]


def kept(name: str, default: Any) -> str:
    """A widget key whose value survives leaving the page (kept in ``train_p_<name>``)."""
    key = f"train_w_{name}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(f"train_p_{name}", default)
    return key


def remember(name: str) -> Any:
    """The widget's current value, also stored in ``train_p_<name>`` for the next visit."""
    value = st.session_state[f"train_w_{name}"]
    st.session_state[f"train_p_{name}"] = value
    return value


def number_text(value: float) -> str:
    """A hyperparameter as typed: ``0``, ``0.001``, ``1e-05``."""
    return "0" if value == 0 else f"{value:g}"


def shape_text(shape: tuple[int, ...]) -> str:
    """``(1, 28, 28)`` as ``1x28x28``."""
    return "x".join(map(str, shape))


def formatter(prefix: str) -> Callable[[Any], str]:
    """``option -> catalog text of prefix + option`` in the language of this run (captured now:
    a format function may be called outside the script run)."""
    code = lang()
    return lambda option: t(f"{prefix}{option}", code)


def class_labels(names: tuple[str, ...]) -> list[str]:
    """Class names for display, translated where the catalog knows them."""
    return [class_label(name, lang()) for name in names]


def message(key: str, **params: Any) -> str:
    """A catalog message; an unknown key (from a peer's newer code) falls back to a generic one."""
    if key in CATALOG:
        try:
            return tr(key, **params)
        except (KeyError, IndexError):
            pass
    return tr("train.error.unexpected", error=key)
