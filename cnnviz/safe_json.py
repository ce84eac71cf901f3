"""The one guarded JSON reader for everything the app reads: networks, run histories, checkpoints.

``json.loads`` alone is not safe on a shared server: a 400 KB document of nested brackets raises
``RecursionError``, a number with a million digits takes seconds, and a huge file takes memory.
:func:`loads` checks the size first, then the nesting depth without parsing (no recursion), and
turns every failure into a :class:`JsonError` whose ``reason`` the caller maps to its own message.

A leaf module: it imports nothing else from cnnviz.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["JsonError", "JsonProblem", "loads", "max_depth"]

Reason = Literal["too_big", "not_text", "too_deep", "malformed"]

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


@dataclass(frozen=True)
class JsonProblem:
    """Why a document was refused: ``reason``, and what each reason needs to explain itself.

    ``size`` (bytes) for "too_big"; ``depth`` for "too_deep"; ``line``, ``column`` (1-based) and
    ``detail`` (the parser's own words) for "malformed".
    """

    reason: Reason
    size: int = 0
    depth: int = 0
    line: int = 1
    column: int = 1
    detail: str = ""


class JsonError(ValueError):
    """A document that :func:`loads` refused; ``problem`` says why."""

    def __init__(self, problem: JsonProblem) -> None:
        self.problem = problem
        super().__init__(f"{problem.reason}: {problem.detail or problem.depth or problem.size}")


def max_depth(text: str) -> int:
    """Deepest nesting of ``[ ]`` / ``{ }`` outside strings, found without parsing."""
    depth = deepest = 0
    for char in _STRINGS.sub("", text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def loads(text: str | bytes, *, max_bytes: int, max_nesting: int) -> Any:
    """Parse ``text`` (a str, or UTF-8 bytes with or without a BOM) as JSON, within limits.

    Raises :class:`JsonError` when it is larger than ``max_bytes``, not UTF-8, nested deeper than
    ``max_nesting``, or not valid JSON (NaN and Infinity, which JSON does not have, included).
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "replace"))
    if size > max_bytes:
        raise JsonError(JsonProblem("too_big", size=size))
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JsonError(JsonProblem("not_text")) from None
    depth = max_depth(text)
    if depth > max_nesting:
        raise JsonError(JsonProblem("too_deep", depth=depth))
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise JsonError(
            JsonProblem("malformed", line=error.lineno, column=error.colno, detail=error.msg)
        ) from None
    except (ValueError, RecursionError) as error:  # a number with thousands of digits, NaN
        raise JsonError(JsonProblem("malformed", detail=str(error) or "bad number")) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
