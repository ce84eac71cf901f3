"""The message catalog: every user-visible string in English and Simplified Chinese.

Strings live in one catalog split by page area (``common``, ``problems``, ``build``, ``stepper``,
``train``, ``lab``); each module defines ``MESSAGES: dict[str, tuple[str, str]]`` mapping a key to
``(english, chinese)``. Keys are namespaced by area (``build.add_layer``). ``t(key, lang, **params)``
formats with ``str.format``. A key missing in either language, or defined twice, fails at import and
in ``tests/test_i18n.py``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cnnviz.specs import Problem

__all__ = ["CATALOG", "LANGS", "LANG_NAMES", "catalog_problems", "problem_text", "t"]

LANGS: tuple[str, ...] = ("en", "zh")
LANG_NAMES: dict[str, str] = {"en": "English", "zh": "简体中文"}
_AREAS = ("common", "problems", "build", "stepper", "data", "train", "lab")


def _load() -> tuple[dict[str, dict[str, str]], list[str]]:
    catalog: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for area in _AREAS:
        try:
            module = import_module(f"cnnviz.i18n.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"cnnviz.i18n.{area}":
                continue  # an area not written yet
            raise
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


def problem_text(problem: Problem, lang: str = "en") -> str:
    """Render a :class:`cnnviz.specs.Problem`: "Layer 3 (field): message" in ``lang``."""
    params = problem.param_dict()
    body = t(f"problem.{problem.code}", lang, **params)
    if problem.layer_index is None:
        return body if problem.field is None else f"{problem.field}: {body}"
    where = t("problem.where_layer", lang, number=problem.layer_index + 1)
    if problem.field:
        where = f"{where} ({problem.field})"
    return f"{where}: {body}"
