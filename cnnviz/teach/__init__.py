"""Teaching with cnnviz: guided lessons as data (one TOML file per lesson, a schema, check
questions computed from each step's state) and the live class's store.

Lessons: "Lessons" (/lessons), "Lesson" (/lesson), the live class (/class).
"""

from __future__ import annotations

from cnnviz.teach.checks import (
    SOFTMAX_DECIMALS,
    StepQuestion,
    check_step,
    conv_state,
    net_state,
    pool_state,
    position_cell,
    softmax_state,
    step_question,
    validate_step,
)
from cnnviz.teach.course import (
    CHECK_KINDS,
    SHOW_KINDS,
    Check,
    Course,
    Lesson,
    LessonError,
    Show,
    Step,
    Text,
    parse_lesson,
)
from cnnviz.teach.live import (
    CONNECTED_SECONDS,
    JOIN_ATTEMPTS,
    JOIN_WINDOW_SECONDS,
    ClassPulse,
    Histogram,
    allow_join,
    answer_histogram,
    class_limits,
    class_path,
    class_pulse,
    open_class_store,
)
from cnnviz.teach.loader import lesson_files, load_course
from cnnviz.teach.sqlite_store import SqliteStore
from cnnviz.teach.store import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Answer,
    ClassError,
    ClassLimits,
    ClassState,
    ClassStore,
    Question,
    Student,
    new_code,
    new_secret,
)

__all__ = [
    "CHECK_KINDS",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CONNECTED_SECONDS",
    "JOIN_ATTEMPTS",
    "JOIN_WINDOW_SECONDS",
    "SHOW_KINDS",
    "SOFTMAX_DECIMALS",
    "Answer",
    "Check",
    "ClassError",
    "ClassLimits",
    "ClassPulse",
    "ClassState",
    "ClassStore",
    "Course",
    "Histogram",
    "Lesson",
    "LessonError",
    "Question",
    "Show",
    "SqliteStore",
    "Step",
    "StepQuestion",
    "Student",
    "Text",
    "allow_join",
    "answer_histogram",
    "check_step",
    "class_limits",
    "class_path",
    "class_pulse",
    "conv_state",
    "lesson_files",
    "load_course",
    "net_state",
    "new_code",
    "new_secret",
    "open_class_store",
    "parse_lesson",
    "pool_state",
    "position_cell",
    "softmax_state",
    "step_question",
    "validate_step",
]
