"""A live class's state, behind one small interface: who teaches, where the class is, who follows,
what was asked and what was answered.

The teacher's page writes through a :class:`ClassStore` with the class's secret; every student's
page polls it twice a second. :class:`cnnviz.teach.sqlite_store.SqliteStore` keeps it in one SQLite
file (a server restart loses nothing); a Redis store for several app servers implements the same
interface. Every write is checked here, on the server: only the secret moves the class or reveals
an answer, a student answers once per question and only for themself, and caps bound what one
class can hold.

Lesson: the live class (/class).
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from cnnviz.i18n import LANGS, MessageError

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "Answer",
    "ClassError",
    "ClassLimits",
    "ClassState",
    "ClassStore",
    "Question",
    "Student",
    "checked_lesson",
    "checked_question",
    "checked_step",
    "checked_text",
    "new_code",
    "new_secret",
]

#: Join codes avoid letters and digits that look alike (0/O, 1/I/L) on a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

Mode = Literal["follow", "free"]
QuestionKind = Literal["choice", "number"]


class ClassError(MessageError):
    """Something a class cannot do; ``key`` is a catalog key ``class.error.*``."""


#: The highest step number a store keeps (a lesson has far fewer; the cap keeps a forged one sane).
MAX_STEP = 10_000


def checked_text(value: str, limit: int) -> str:
    """``value`` stripped, or :class:`ClassError` when it is longer than ``limit`` characters."""
    text = str(value).strip()
    if len(text) > limit:
        raise ClassError("class.error.text_too_long", limit=limit)
    return text


def checked_lesson(value: str, limit: int) -> str:
    """A lesson id: short, plain characters only (it travels in URLs)."""
    text = checked_text(value, min(limit, 80))
    if not all(c.isalnum() or c in "-_" for c in text):
        raise ClassError("class.error.bad_lesson")
    return text


def checked_step(value: int) -> int:
    """A step number clamped to ``0 .. MAX_STEP``."""
    return max(0, min(int(value), MAX_STEP))


def checked_question(
    kind: QuestionKind,
    prompt: str,
    options: tuple[str, ...],
    answer: float,
    tolerance: float,
    translations: Mapping[str, tuple[str, tuple[str, ...]]] | None,
    limit: int,
) -> tuple[str, tuple[str, ...], float, float, list[tuple[str, str, tuple[str, ...]]]]:
    """A question as every store keeps it, checked on the server: its prompt, options, answer,
    tolerance and its other languages as ``(language, prompt, options)``; :class:`ClassError`
    ``class.error.bad_question`` (or ``text_too_long``) for anything a page should not send."""
    prompt = checked_text(prompt, limit)
    options = tuple(checked_text(option, limit) for option in options)
    texts = []
    for language, (words, choices) in sorted((translations or {}).items()):
        if language not in LANGS or len(choices) != len(options):
            raise ClassError("class.error.bad_question")
        words = checked_text(words, limit)
        choices = tuple(checked_text(choice, limit) for choice in choices)
        if not words or not all(choices):
            raise ClassError("class.error.bad_question")
        texts.append((language, words, choices))
    answer, tolerance = float(answer), abs(float(tolerance))
    valid = bool(prompt) and math.isfinite(answer) and math.isfinite(tolerance)
    if kind == "choice":
        valid = valid and 2 <= len(options) <= 10 and all(options)
        valid = valid and answer == int(answer) and 0 <= answer < len(options)
    elif kind == "number":
        valid = valid and not options
    else:
        valid = False
    if not valid:
        raise ClassError("class.error.bad_question")
    return prompt, options, answer, tolerance, texts


def new_code() -> str:
    """A join code from a cryptographically random source (31^6 ≈ 900 million codes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    """The teacher's secret: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class ClassLimits:
    """What one server and one class may hold; a class expires after ``idle_seconds``."""

    max_classes: int = 50
    max_students: int = 300
    max_answers: int = 1000
    max_questions: int = 500
    idle_seconds: float = 4 * 3600.0
    max_text: int = 500  # characters of a question, an option or a nickname


@dataclass(frozen=True)
class ClassState:
    """Where the class is: the lesson and step the teacher shows, whether students follow,
    and a ``version`` that grows with every change (a student's page redraws when it moves)."""

    code: str
    lesson: str
    step: int
    mode: Mode
    version: int
    question_id: int | None
    created: float
    last_active: float


@dataclass(frozen=True)
class Student:
    """A student in a class: a random id their session keeps, an optional nickname, the step
    their page last reported and when."""

    student_id: str
    nickname: str
    lesson: str
    step: int
    joined: float
    last_seen: float


@dataclass(frozen=True)
class Question:
    """A question pushed to the class: multiple choice (``options``, ``answer`` an option index)
    or numeric (``answer`` a number, right within ``tolerance``)."""

    question_id: int
    kind: QuestionKind
    prompt: str
    options: tuple[str, ...]
    answer: float
    tolerance: float
    revealed: bool
    created: float
    #: ``(language, prompt, options)`` of a lesson check, in every language its file has; empty
    #: for a question the teacher typed (shown to everyone as typed: there is no translator).
    translations: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    @property
    def typed(self) -> bool:
        """Whether the teacher typed this question (it exists in the teacher's words only)."""
        return not self.translations

    def text(self, lang: str) -> tuple[str, tuple[str, ...]]:
        """``(prompt, options)`` in ``lang`` where the question has it, else as asked."""
        for language, prompt, options in self.translations:
            if language == lang:
                return prompt, options
        return self.prompt, self.options

    def is_correct(self, value: float) -> bool:
        """Whether ``value`` answers this question."""
        if self.kind == "choice":
            return int(value) == int(self.answer)
        return abs(value - self.answer) <= self.tolerance


@dataclass(frozen=True)
class Answer:
    """One student's answer to one question (at most one per student and question)."""

    question_id: int
    student_id: str
    value: float
    correct: bool
    at: float


class ClassStore(Protocol):
    """Every operation of a live class; each checks its caller's right to do it."""

    limits: ClassLimits

    def create_class(self, lesson: str, step: int) -> tuple[str, str]:
        """A new class at ``lesson``/``step``: its join code and the teacher's secret."""
        ...

    def state(self, code: str) -> ClassState | None:
        """The class's state, or None for an unknown or expired code."""
        ...

    def is_teacher(self, code: str, secret: str) -> bool:
        """True when ``secret`` is the class's teacher secret (constant-time comparison)."""
        ...

    def move(self, code: str, secret: str, lesson: str, step: int) -> ClassState:
        """The teacher moves the class to ``lesson``/``step``."""
        ...

    def set_mode(self, code: str, secret: str, mode: Mode) -> ClassState:
        """The teacher lets students explore freely, or brings them back to follow."""
        ...

    def join(self, code: str, student_id: str, nickname: str) -> Student:
        """A student joins (joining twice with the same id is the same student)."""
        ...

    def report(self, code: str, student_id: str, lesson: str, step: int) -> None:
        """A student's page says where it is (and that it is still there)."""
        ...

    def students(self, code: str) -> list[Student]:
        """Everyone who joined the class."""
        ...

    def ask(
        self,
        code: str,
        secret: str,
        kind: QuestionKind,
        prompt: str,
        options: tuple[str, ...],
        answer: float,
        tolerance: float = 0.0,
        translations: Mapping[str, tuple[str, tuple[str, ...]]] | None = None,
    ) -> Question:
        """The teacher pushes a question; it becomes the class's current question.
        ``translations`` (language -> prompt and options, as many options as ``options``) come
        with a lesson check, which exists in every language of its file."""
        ...

    def question(self, code: str, question_id: int) -> Question | None:
        """One question of the class."""
        ...

    def submit(self, code: str, student_id: str, question_id: int, value: float) -> Answer:
        """A student answers (once: a second answer raises ``class.error.answered``)."""
        ...

    def answers(self, code: str, question_id: int) -> list[Answer]:
        """Every answer to a question so far."""
        ...

    def reveal(self, code: str, secret: str, question_id: int) -> Question:
        """The teacher shows the answer to everyone."""
        ...

    def expire(self) -> int:
        """Forget classes idle longer than the limit; how many were forgotten."""
        ...
