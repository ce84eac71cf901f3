"""The live-class store in one SQLite file: a server restart loses no class, question or answer.

Every operation opens its own connection (sqlite3 connections are not shared between the page
threads of a server) and every write runs in one ``BEGIN IMMEDIATE`` transaction, so concurrent
answers never lose one another; "one answer per student and question" is a primary key, not a
read-then-write. The file lives under the data folder (``CNNVIZ_DATA_DIR``).

Lesson: the live class (/class).
"""

from __future__ import annotations

import hmac
import json
import math
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cnnviz.teach.store import (
    Answer,
    ClassError,
    ClassLimits,
    ClassState,
    Mode,
    Question,
    QuestionKind,
    Student,
    checked_lesson,
    checked_question,
    checked_step,
    checked_text,
    new_code,
    new_secret,
)

__all__ = ["SqliteStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS classes (
    code TEXT PRIMARY KEY, secret TEXT NOT NULL, lesson TEXT NOT NULL, step INTEGER NOT NULL,
    mode TEXT NOT NULL, version INTEGER NOT NULL, question_id INTEGER,
    created REAL NOT NULL, last_active REAL NOT NULL);
CREATE TABLE IF NOT EXISTS students (
    code TEXT NOT NULL, student_id TEXT NOT NULL, nickname TEXT NOT NULL, lesson TEXT NOT NULL,
    step INTEGER NOT NULL, joined REAL NOT NULL, last_seen REAL NOT NULL,
    PRIMARY KEY (code, student_id));
CREATE TABLE IF NOT EXISTS questions (
    code TEXT NOT NULL, question_id INTEGER NOT NULL, kind TEXT NOT NULL, prompt TEXT NOT NULL,
    options TEXT NOT NULL, answer REAL NOT NULL, tolerance REAL NOT NULL,
    revealed INTEGER NOT NULL, created REAL NOT NULL, texts TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (code, question_id));
CREATE TABLE IF NOT EXISTS answers (
    code TEXT NOT NULL, question_id INTEGER NOT NULL, student_id TEXT NOT NULL,
    value REAL NOT NULL, correct INTEGER NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (code, question_id, student_id));
"""


class SqliteStore:
    """A :class:`cnnviz.teach.ClassStore` in the SQLite file ``path``."""

    def __init__(
        self,
        path: str | Path,
        limits: ClassLimits | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.limits = limits or ClassLimits()
        self.clock = clock
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(questions)")}
            if "texts" not in columns:  # a class file from before questions had translations
                db.execute("ALTER TABLE questions ADD COLUMN texts TEXT NOT NULL DEFAULT '[]'")

    # ------------------------------------------------------------------------------ plumbing

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _live_class(self, db: sqlite3.Connection, code: str) -> tuple[Any, ...]:
        row = db.execute("SELECT * FROM classes WHERE code = ?", (str(code).upper(),)).fetchone()
        if row is None or self.clock() - row[8] > self.limits.idle_seconds:
            raise ClassError("class.error.unknown_code")
        return tuple(row)

    def _teacher(self, db: sqlite3.Connection, code: str, secret: str) -> tuple[Any, ...]:
        row = self._live_class(db, code)
        if not hmac.compare_digest(str(row[1]), str(secret)):
            raise ClassError("class.error.not_teacher")
        return row

    def _touch(self, db: sqlite3.Connection, code: str, **changes: Any) -> None:
        sets = ", ".join(f"{name} = ?" for name in changes)
        values = [*changes.values(), self.clock(), code]
        db.execute(
            f"UPDATE classes SET {sets}{', ' if sets else ''}"
            "version = version + 1, last_active = ? WHERE code = ?",
            values,
        )

    @staticmethod
    def _state(row: tuple[Any, ...]) -> ClassState:
        return ClassState(
            code=row[0],
            lesson=row[2],
            step=int(row[3]),
            mode=row[4],
            version=int(row[5]),
            question_id=row[6],
            created=float(row[7]),
            last_active=float(row[8]),
        )

    @staticmethod
    def _question(row: tuple[Any, ...]) -> Question:
        return Question(
            question_id=int(row[1]),
            kind=row[2],
            prompt=row[3],
            options=tuple(json.loads(row[4])),
            answer=float(row[5]),
            tolerance=float(row[6]),
            revealed=bool(row[7]),
            created=float(row[8]),
            translations=tuple(
                (str(lang), str(prompt), tuple(options))
                for lang, prompt, options in json.loads(row[9])
            ),
        )

    # ------------------------------------------------------------------------------ the class

    def create_class(self, lesson: str, step: int) -> tuple[str, str]:
        """A new class: its join code and the teacher's secret."""
        lesson, step = checked_lesson(lesson, self.limits.max_text), checked_step(step)
        self.expire()
        secret, now = new_secret(), self.clock()
        with self._write() as db:
            count = db.execute("SELECT COUNT(*) FROM classes").fetchone()[0]
            if count >= self.limits.max_classes:
                raise ClassError("class.error.too_many_classes", maximum=self.limits.max_classes)
            for _ in range(20):  # a collision among ~900 million codes is rare; retry anyway
                code = new_code()
                if db.execute("SELECT 1 FROM classes WHERE code = ?", (code,)).fetchone() is None:
                    break
            db.execute(
                "INSERT INTO classes VALUES (?, ?, ?, ?, 'follow', 1, NULL, ?, ?)",
                (code, secret, lesson, step, now, now),
            )
        return code, secret

    def state(self, code: str) -> ClassState | None:
        """The class's state, or None for an unknown or expired code."""
        with self._connect() as db:
            try:
                return self._state(self._live_class(db, code))
            except ClassError:
                return None

    def is_teacher(self, code: str, secret: str) -> bool:
        """True when ``secret`` is the class's teacher secret."""
        with self._connect() as db:
            try:
                self._teacher(db, code, secret)
            except ClassError:
                return False
        return True

    def move(self, code: str, secret: str, lesson: str, step: int) -> ClassState:
        """The teacher moves the class to ``lesson``/``step``."""
        lesson, step = checked_lesson(lesson, self.limits.max_text), checked_step(step)
        with self._write() as db:
            self._teacher(db, code, secret)
            self._touch(db, code.upper(), lesson=lesson, step=step)
            return self._state(self._live_class(db, code))

    def set_mode(self, code: str, secret: str, mode: Mode) -> ClassState:
        """Follow the teacher, or explore freely."""
        if mode not in ("follow", "free"):
            raise ClassError("class.error.bad_mode")
        with self._write() as db:
            self._teacher(db, code, secret)
            self._touch(db, code.upper(), mode=mode)
            return self._state(self._live_class(db, code))

    # --------------------------------------------------------------------------- the students

    def join(self, code: str, student_id: str, nickname: str) -> Student:
        """A student joins; the same id joining again is the same student (nickname updated)."""
        nickname = checked_text(nickname, min(self.limits.max_text, 40))
        student_id = checked_text(student_id, 64)
        if not student_id:
            raise ClassError("class.error.not_joined")
        now = self.clock()
        with self._write() as db:
            row = self._live_class(db, code)
            code = row[0]
            known = db.execute(
                "SELECT 1 FROM students WHERE code = ? AND student_id = ?", (code, student_id)
            ).fetchone()
            if known is None:
                count = db.execute(
                    "SELECT COUNT(*) FROM students WHERE code = ?", (code,)
                ).fetchone()[0]
                if count >= self.limits.max_students:
                    raise ClassError("class.error.full", maximum=self.limits.max_students)
                db.execute(
                    "INSERT INTO students VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (code, student_id, nickname, row[2], row[3], now, now),
                )
            else:
                db.execute(
                    "UPDATE students SET nickname = ?, last_seen = ? "
                    "WHERE code = ? AND student_id = ?",
                    (nickname, now, code, student_id),
                )
            found = db.execute(
                "SELECT * FROM students WHERE code = ? AND student_id = ?", (code, student_id)
            ).fetchone()
        return Student(found[1], found[2], found[3], int(found[4]), found[5], found[6])

    def report(self, code: str, student_id: str, lesson: str, step: int) -> None:
        """A student's page says where it is and that it is still there."""
        lesson, step = checked_lesson(lesson, self.limits.max_text), checked_step(step)
        with self._write() as db:
            code = self._live_class(db, code)[0]
            changed = db.execute(
                "UPDATE students SET lesson = ?, step = ?, last_seen = ? "
                "WHERE code = ? AND student_id = ?",
                (lesson, step, self.clock(), code, str(student_id)),
            ).rowcount
            if not changed:
                raise ClassError("class.error.not_joined")

    def students(self, code: str) -> list[Student]:
        """Everyone who joined, in the order they joined."""
        with self._connect() as db:
            code = self._live_class(db, code)[0]
            rows = db.execute(
                "SELECT * FROM students WHERE code = ? ORDER BY joined, student_id", (code,)
            ).fetchall()
        return [Student(r[1], r[2], r[3], int(r[4]), r[5], r[6]) for r in rows]

    # -------------------------------------------------------------------------- the questions

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
        """The teacher pushes a question; it becomes the class's current question (a lesson
        check with its prompt and options in every language, ``translations``)."""
        prompt, options, answer, tolerance, texts = checked_question(
            kind, prompt, options, answer, tolerance, translations, self.limits.max_text
        )
        with self._write() as db:
            self._teacher(db, code, secret)
            code = code.upper()
            count, last = db.execute(
                "SELECT COUNT(*), COALESCE(MAX(question_id), 0) FROM questions WHERE code = ?",
                (code,),
            ).fetchone()
            if count >= self.limits.max_questions:
                raise ClassError("class.error.too_many_questions")
            question_id, now = int(last) + 1, self.clock()
            db.execute(
                "INSERT INTO questions (code, question_id, kind, prompt, options, answer, "
                "tolerance, revealed, created, texts) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (
                    code,
                    question_id,
                    kind,
                    prompt,
                    json.dumps(options),
                    answer,
                    tolerance,
                    now,
                    json.dumps(texts),
                ),
            )
            self._touch(db, code, question_id=question_id)
            row = db.execute(
                "SELECT * FROM questions WHERE code = ? AND question_id = ?", (code, question_id)
            ).fetchone()
        return self._question(row)

    def question(self, code: str, question_id: int) -> Question | None:
        """One question of the class, or None."""
        with self._connect() as db:
            code = self._live_class(db, code)[0]
            row = db.execute(
                "SELECT * FROM questions WHERE code = ? AND question_id = ?",
                (code, int(question_id)),
            ).fetchone()
        return self._question(row) if row is not None else None

    def submit(self, code: str, student_id: str, question_id: int, value: float) -> Answer:
        """A student's answer: once per question, only from a student of the class."""
        value = float(value)
        if not math.isfinite(value):
            raise ClassError("class.error.bad_answer")
        with self._write() as db:
            code = self._live_class(db, code)[0]
            if (
                db.execute(
                    "SELECT 1 FROM students WHERE code = ? AND student_id = ?",
                    (code, str(student_id)),
                ).fetchone()
                is None
            ):
                raise ClassError("class.error.not_joined")
            row = db.execute(
                "SELECT * FROM questions WHERE code = ? AND question_id = ?",
                (code, int(question_id)),
            ).fetchone()
            if row is None:
                raise ClassError("class.error.no_question")
            question = self._question(row)
            if question.revealed:
                raise ClassError("class.error.revealed")
            if question.kind == "choice" and not (
                value == int(value) and 0 <= value < len(question.options)
            ):
                raise ClassError("class.error.bad_answer")
            count = db.execute(
                "SELECT COUNT(*) FROM answers WHERE code = ? AND question_id = ?",
                (code, question.question_id),
            ).fetchone()[0]
            if count >= self.limits.max_answers:
                raise ClassError("class.error.too_many_answers")
            answer = Answer(
                question.question_id,
                str(student_id),
                value,
                question.is_correct(value),
                self.clock(),
            )
            inserted = db.execute(
                "INSERT OR IGNORE INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                (
                    code,
                    answer.question_id,
                    answer.student_id,
                    value,
                    int(answer.correct),
                    answer.at,
                ),
            ).rowcount
            if not inserted:
                raise ClassError("class.error.answered")
        return answer

    def answers(self, code: str, question_id: int) -> list[Answer]:
        """Every answer to a question so far, in the order they came."""
        with self._connect() as db:
            code = self._live_class(db, code)[0]
            rows = db.execute(
                "SELECT question_id, student_id, value, correct, at FROM answers "
                "WHERE code = ? AND question_id = ? ORDER BY at, student_id",
                (code, int(question_id)),
            ).fetchall()
        return [Answer(int(r[0]), r[1], float(r[2]), bool(r[3]), float(r[4])) for r in rows]

    def reveal(self, code: str, secret: str, question_id: int) -> Question:
        """The teacher shows the answer to everyone."""
        with self._write() as db:
            self._teacher(db, code, secret)
            code = code.upper()
            changed = db.execute(
                "UPDATE questions SET revealed = 1 WHERE code = ? AND question_id = ?",
                (code, int(question_id)),
            ).rowcount
            if not changed:
                raise ClassError("class.error.no_question")
            self._touch(db, code)
            row = db.execute(
                "SELECT * FROM questions WHERE code = ? AND question_id = ?",
                (code, int(question_id)),
            ).fetchone()
        return self._question(row)

    def expire(self) -> int:
        """Forget classes idle longer than ``limits.idle_seconds``, with everything they held."""
        cutoff = self.clock() - self.limits.idle_seconds
        with self._write() as db:
            old = [
                r[0]
                for r in db.execute("SELECT code FROM classes WHERE last_active < ?", (cutoff,))
            ]
            for table in ("answers", "questions", "students", "classes"):
                db.executemany(f"DELETE FROM {table} WHERE code = ?", [(c,) for c in old])
        return len(old)
