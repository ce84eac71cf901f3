"""The message catalog: every user-visible string in English and Simplified Chinese.

A leaf of the library: it imports nothing else from cnnviz. What another package wants to say to a
student travels as a :class:`Message` (a catalog key and its parameters) or a
:class:`MessageError`, and a page renders it in the session's language with ``.text(lang)``.

Strings live in one catalog split by page area: every module of this package (``common``,
``problems``, ``build``, ``stepper``, ``train``, ``lab``, ``sources``, ...) defines ``MESSAGES:
dict[str, tuple[str, str]]`` mapping a key to ``(english, chinese)``, and is found on disk. Keys are
namespaced by area (``build.add_layer``). ``t(key, lang, **params)`` formats with ``str.format``. A
key missing in either language, or defined twice, fails at import and in ``tests/test_i18n.py``.
"""

from __future__ import annotations

import pkgutil
from dataclasses import dataclass
from importlib import import_module
from typing import Any

__all__ = [
    "CATALOG",
    "LANGS",
    "LANG_NAMES",
    "Message",
    "MessageError",
    "catalog_problems",
    "has_key",
    "t",
]

LANGS: tuple[str, ...] = ("en", "zh")
LANG_NAMES: dict[str, str] = {"en": "English", "zh": "简体中文"}


def _areas() -> list[str]:
    """Every catalog module of this package (one per page area), found on disk: a new area needs
    no registration."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.ispkg)


def _load() -> tuple[dict[str, dict[str, str]], list[str]]:
    catalog: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for area in _areas():
        module = import_module(f"cnnviz.i18n.{area}")
        for key, pair in module.MESSAGES.items():
            if key in catalog:
                problems.append(f"{key}: defined twice")
            if not (isinstance(pair, tuple) and len(pair) == 2 and all(pair)):
                problems.append(f"{key}: needs a non-empty (english, chinese) pair")
                continue
            catalog[key] = dict(zip(LANGS, pair, strict=True))
    return catalog, problems


CATALOG, _PROBLEMS = _load()


def catalog_problems() -> list[str]:
    """Keys defined twice or missing a language (tests assert this is empty)."""
    return list(_PROBLEMS)


def t(key: str, lang: str = "en", /, **params: Any) -> str:
    """The text for ``key`` in ``lang`` ("en" or "zh"), formatted with ``params``.

    Raises KeyError for an unknown key, so a typo fails loudly in tests rather than showing a key.
    """
    entry = CATALOG[key]
    text = entry.get(lang, entry["en"])
    return text.format(**params) if params else text


def has_key(key: str) -> bool:
    """True when the catalog defines ``key``."""
    return key in CATALOG


@dataclass(frozen=True)
class Message:
    """Something to tell a student: a catalog ``key`` and the ``params`` that fill it in.

    Frozen and hashable (``params`` is a sorted tuple of pairs), so it can sit in frozen results
    and cross a process boundary; ``Message.of(key, **params)`` builds one.
    """

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    @staticmethod
    def of(key: str, /, **params: Any) -> Message:
        """The message ``key`` with ``params``."""
        return Message(key, tuple(sorted(params.items())))

    def param_dict(self) -> dict[str, Any]:
        """The parameters as a dict."""
        return dict(self.params)

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``, placeholders filled in."""
        return t(self.key, lang, **self.param_dict())

    def __str__(self) -> str:
        return self.text("en")


class MessageError(ValueError):
    """An error a student can act on: it carries a :class:`Message` (``key``, ``params``).

    Each package derives its own (``DataError``, ``CheckpointError``, ``HistoryError``, ...) so
    callers can catch exactly what they expect; pages render any of them with ``.text(lang)``.
    """

    def __init__(self, key: str, /, **params: Any) -> None:
        self.message = Message.of(key, **params)
        try:
            english = self.message.text("en")
        except (KeyError, IndexError):  # an unknown key or a missing parameter: say what we have
            english = f"{key} {params}" if params else key
        super().__init__(english)

    @property
    def key(self) -> str:
        """The catalog key."""
        return self.message.key

    @property
    def params(self) -> dict[str, Any]:
        """The parameters of the message."""
        return self.message.param_dict()

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``."""
        return self.message.text(lang)
