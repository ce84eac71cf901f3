"""Who chooses the data folder, and messages that never show a browser the server's paths.

On a shared classroom server the data folder is the operator's setting (``$CNNVIZ_DATA_DIR``,
default ``./data``), not a student's: a folder box would let anyone make the server read or create
folders anywhere (``/etc/../root/.ssh``). Only when the operator starts the app in single-user
mode (``CNNVIZ_SINGLE_USER=1``: one person on their own machine) may the page edit it.

Dataset messages name files and folders so that a person at the server can fix them (the CLI and
notebooks show them as they are). :func:`public_message` rewrites them for a browser: the data
folder becomes ``$CNNVIZ_DATA_DIR`` and any other absolute path keeps only its last part.

Lesson: the "Train live" page (real datasets) and "Running it for a classroom" in the README.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath
from typing import Any

from cnnviz.i18n import Message

__all__ = ["DATA_DIR_TOKEN", "SINGLE_USER_ENV", "public_message", "public_text", "single_user_mode"]

SINGLE_USER_ENV = "CNNVIZ_SINGLE_USER"
DATA_DIR_TOKEN = "$CNNVIZ_DATA_DIR"  # what a browser sees instead of the data folder's path

_STOP = r"\s'\"(),;:“”「」，。"
#: An absolute POSIX path (not the tail of a URL or of a relative path) or a Windows one.
_ABSOLUTE = re.compile(rf"(?<![\w.~/:-])/[^{_STOP}/]+(?:/[^{_STOP}/]+)*/?|\b[A-Za-z]:\\[^{_STOP}]*")


def single_user_mode() -> bool:
    """True when the operator started the app for one person (``CNNVIZ_SINGLE_USER`` is 1, true,
    yes or on): then the page may choose the data folder and show server paths."""
    return os.environ.get(SINGLE_USER_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _roots(data_dir: str) -> list[str]:
    """The data folder as written and as resolved, longest first (the relative ``data`` of
    ``./data`` is matched only as a whole path component)."""
    found = {str(Path(data_dir)), str(Path(data_dir).resolve())}
    return sorted((root for root in found if root not in ("", ".")), key=len, reverse=True)


def _clean(text: str, roots: list[str]) -> str:
    for root in roots:
        text = re.sub(rf"(?<![\w.~/-]){re.escape(root)}(?=/|\\|$|[{_STOP}])", DATA_DIR_TOKEN, text)
    return _ABSOLUTE.sub(lambda match: "…/" + PurePath(match.group().rstrip("/\\")).name, text)


def public_message(message: Message, data_dir: str) -> Message:
    """``message`` with every path parameter fit for a browser: the data folder ``data_dir``
    (as given or resolved) becomes ``$CNNVIZ_DATA_DIR``, other absolute paths their last part."""
    roots = _roots(data_dir)
    params: dict[str, Any] = {
        name: _clean(value, roots) if isinstance(value, str) else value
        for name, value in message.params
    }
    return Message.of(message.key, **params)


def public_text(message: Message, lang: str, data_dir: str) -> str:
    """:func:`public_message` in ``lang``; the message as it is in single-user mode."""
    if single_user_mode():
        return message.text(lang)
    return public_message(message, data_dir).text(lang)
