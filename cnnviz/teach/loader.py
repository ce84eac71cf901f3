"""Reading the course: every lesson file on its own, so one file with errors never stops the others.

A file is parsed (:func:`cnnviz.teach.course.parse_lesson`) and then each step's interactive and
check question is computed once (:func:`cnnviz.teach.checks.validate_step`): a kernel larger than
its input is an error of that file, reported with its step, not a traceback on the lesson page.

Lessons: "Lessons" (/lessons and its syllabus), "Lesson" (/lesson).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Final

from cnnviz.net import SpecError
from cnnviz.teach.checks import validate_step
from cnnviz.teach.course import Course, Lesson, LessonError, parse_lesson

__all__ = ["lesson_files", "load_course"]

_FOLDER: Final[Any] = resources.files("cnnviz.teach") / "lessons"


def lesson_files(folder: Path | None = None) -> list[tuple[str, str]]:
    """(file name, text) of every ``*.toml`` in ``folder`` (default: the shipped lessons), by name."""
    root: Any = _FOLDER if folder is None else folder
    entries = sorted(
        (entry for entry in root.iterdir() if entry.name.endswith(".toml")),
        key=lambda entry: entry.name,
    )
    return [(entry.name, entry.read_text(encoding="utf-8")) for entry in entries]


def _checked(text: str, name: str) -> Lesson:
    lesson = parse_lesson(text, name)
    for index, step in enumerate(lesson.steps):
        try:
            validate_step(step)
        except SpecError as error:
            detail = error.problems[0].text("en") if error.problems else str(error)
            raise LessonError(
                "lesson.error.bad_show", file=name, step=index + 1, field="show", detail=detail
            ) from None
    return lesson


def load_course(folder: Path | None = None) -> Course:
    """Every lesson in ``folder`` that loads, in course order; each bad file becomes an error
    (a duplicate id is an error of the later file)."""
    lessons: dict[str, Lesson] = {}
    errors: list[LessonError] = []
    for name, text in lesson_files(folder):
        try:
            lesson = _checked(text, name)
        except LessonError as error:
            errors.append(error)
            continue
        if lesson.id in lessons:
            errors.append(
                LessonError(
                    "lesson.error.duplicate_id", file=name, step="-", field="id", value=lesson.id
                )
            )
            continue
        lessons[lesson.id] = lesson
    ordered = sorted(lessons.values(), key=lambda lesson: (lesson.order, lesson.file))
    return Course(tuple(ordered), tuple(errors))
