"""What the live class's pages compute from the store: the answer histogram and the fraction
correct, who is connected and on which step, who is stuck, the join rate limit, and where the
class file lives. Plain data in, plain data out (the pages draw it).

Lesson: the live class (/class).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cnnviz.data import default_data_dir
from cnnviz.teach.sqlite_store import SqliteStore
from cnnviz.teach.store import Answer, ClassError, ClassLimits, ClassStore, Question, Student

__all__ = [
    "CONNECTED_SECONDS",
    "JOIN_ATTEMPTS",
    "JOIN_WINDOW_SECONDS",
    "ClassPulse",
    "Histogram",
    "allow_join",
    "answer_histogram",
    "class_limits",
    "class_path",
    "class_pulse",
    "open_class_store",
]

#: A student whose page reported within this many seconds counts as connected.
CONNECTED_SECONDS: Final[float] = 15.0
#: Join attempts a browser session may make in :data:`JOIN_WINDOW_SECONDS` (codes can't be guessed
#: by trying: 31^6 codes, 5 tries a minute).
JOIN_ATTEMPTS: Final[int] = 5
JOIN_WINDOW_SECONDS: Final[float] = 60.0
_MAX_BARS: Final[int] = 12


def class_path() -> Path:
    """The SQLite file of the live classes: ``classes.sqlite3`` in the data folder."""
    return Path(default_data_dir()) / "classes.sqlite3"


def class_limits() -> ClassLimits:
    """:class:`ClassLimits` with the idle time from ``CNNVIZ_CLASS_IDLE_HOURS`` (default 4) and
    the students per class from ``CNNVIZ_CLASS_MAX_STUDENTS`` (default 300)."""
    base = ClassLimits()
    try:
        hours = float(os.environ.get("CNNVIZ_CLASS_IDLE_HOURS", base.idle_seconds / 3600))
        students = int(os.environ.get("CNNVIZ_CLASS_MAX_STUDENTS", base.max_students))
    except ValueError:
        return base
    return ClassLimits(
        max_classes=base.max_classes,
        max_students=max(1, students),
        max_answers=max(base.max_answers, students),
        max_questions=base.max_questions,
        idle_seconds=max(60.0, hours * 3600),
        max_text=base.max_text,
    )


def open_class_store(limits: ClassLimits | None = None) -> ClassStore:
    """The server's class store: Redis at ``CNNVIZ_REDIS_URL`` when it is set (several app servers
    share it), else the SQLite file :func:`class_path`. The redis client is imported only then."""
    limits = limits or class_limits()
    url = os.environ.get("CNNVIZ_REDIS_URL", "").strip()
    if not url:
        return SqliteStore(class_path(), limits)
    try:
        from cnnviz.teach.redis_store import RedisStore  # optional: pip install redis
    except ImportError as error:
        raise ClassError("class.error.store_client") from error
    return RedisStore(url, limits)


def allow_join(attempts: Sequence[float], now: float) -> tuple[bool, tuple[float, ...]]:
    """Whether one more join attempt is allowed at ``now``, and the attempts to keep (this one
    included when allowed): at most :data:`JOIN_ATTEMPTS` in :data:`JOIN_WINDOW_SECONDS`."""
    recent = tuple(t for t in attempts if now - t < JOIN_WINDOW_SECONDS)
    if len(recent) >= JOIN_ATTEMPTS:
        return False, recent
    return True, (*recent, now)


@dataclass(frozen=True)
class Histogram:
    """Answers to one question: ``labels`` of the bars, ``counts``, which bar is right
    (``correct_bar``, -1 when no bar is), ``total`` answers and ``correct`` ones."""

    labels: tuple[str, ...]
    counts: tuple[int, ...]
    correct_bar: int
    total: int
    correct: int

    @property
    def fraction_correct(self) -> float:
        """Right answers over all answers (0 with no answers)."""
        return self.correct / self.total if self.total else 0.0


def _number(value: float) -> str:
    return f"{value:g}"


def answer_histogram(question: Question, answers: Sequence[Answer]) -> Histogram:
    """One bar per option (multiple choice) or per distinct value (numeric: the most frequent
    :data:`_MAX_BARS` values, the right one always among them)."""
    correct = sum(answer.correct for answer in answers)
    if question.kind == "choice":
        counts = Counter(int(answer.value) for answer in answers)
        return Histogram(
            question.options,
            tuple(counts.get(k, 0) for k in range(len(question.options))),
            int(question.answer),
            len(answers),
            correct,
        )
    values = Counter(
        question.answer if answer.correct else round(answer.value, 6) for answer in answers
    )
    chosen = [value for value, _ in values.most_common(_MAX_BARS)]
    if question.answer not in chosen:
        chosen = [question.answer, *chosen[: _MAX_BARS - 1]]
    chosen.sort()
    return Histogram(
        tuple(_number(value) for value in chosen),
        tuple(values.get(value, 0) for value in chosen),
        chosen.index(question.answer),
        len(answers),
        correct,
    )


@dataclass(frozen=True)
class ClassPulse:
    """The teacher's dashboard: students ``connected`` now, how many are on each
    (lesson, step), and who is ``stuck`` on the current question (a wrong answer or none)."""

    joined: int
    connected: int
    on_step: tuple[tuple[str, int, int], ...]  # (lesson, step, students)
    stuck: tuple[str, ...]  # nicknames (or a short id) of connected students
    answered: int


def class_pulse(
    students: Sequence[Student], answers: Sequence[Answer] | None, now: float
) -> ClassPulse:
    """Connected students, steps and the stuck ones (``answers`` of the current question, None
    when there is none)."""
    live = [s for s in students if now - s.last_seen <= CONNECTED_SECONDS]
    steps = Counter((s.lesson, s.step) for s in live)
    stuck: list[str] = []
    answered = 0
    if answers is not None:
        by_student = {answer.student_id: answer for answer in answers}
        answered = len(by_student)
        for student in live:
            answer = by_student.get(student.student_id)
            if answer is None or not answer.correct:
                stuck.append(student.nickname or student.student_id[:6])
    return ClassPulse(
        joined=len(students),
        connected=len(live),
        on_step=tuple((lesson, step, n) for (lesson, step), n in sorted(steps.items())),
        stuck=tuple(stuck),
        answered=answered,
    )
