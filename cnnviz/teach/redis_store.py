"""The live-class store in Redis, so several app servers behind one address share every class.

Same semantics as :class:`cnnviz.teach.sqlite_store.SqliteStore` (the store tests run against both):

- **Atomic.** Every write is one Lua script (Redis runs a script alone, start to end), so checks and
  writes cannot interleave: concurrent answers never lose one another, "one answer per student and
  question" is an ``HSETNX``, and the caps (:class:`ClassLimits`) are counted inside the script.
- **Expiry.** A class is live while its teacher was active within ``limits.idle_seconds`` by the
  store's clock (checked on every operation, as SQLite does); its keys also carry a Redis TTL of
  the idle time plus a minute, refreshed on every teacher action, so an abandoned class leaves no
  keys behind even when nobody calls :meth:`RedisStore.expire`.
- **Faults.** A Redis that cannot be reached, or restarts mid-class, raises
  ``ClassError("class.error.store_down")`` (the page shows it, no traceback); redis-py retries with
  backoff and reconnects by itself when Redis is back (scripts are reloaded: ``EVALSHA`` falls back
  to ``SCRIPT LOAD``). Found down, it says so at once for ``retry_after`` s, then tries again: a
  page polling twice a second must not wait out the retries each time (Streamlit would cut every
  poll short before its message is drawn), and waiting pages do not hammer a restarting Redis.
  Run Redis with AOF (``appendonly yes``) so a restart loses no class.

Keys (``cnnviz:`` prefix; one hash tag per class, so a class's keys share a cluster slot):
``cnnviz:classes`` (sorted set code -> last activity), ``cnnviz:class:{CODE}`` (hash: secret,
lesson, step, mode, version, question_id, created, last_active, qseq), ``...:{CODE}:students``
(hash id -> JSON), ``...:{CODE}:questions`` (hash id -> JSON), ``...:{CODE}:revealed`` (set of
question ids) and ``...:{CODE}:answers:N`` (hash student -> JSON). Times travel as the strings
Python wrote (Lua would round them to 14 digits). The ``redis`` client is imported here only;
``cnnviz.teach`` imports this module lazily, so the plain install does not need it.

Lesson: the live class (/class), on several app servers (deploy/README.md).
"""

from __future__ import annotations

import functools
import hmac
import json
import math
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from cnnviz.teach.redis_scripts import ASK, CREATE, FORGET, JOIN, REPORT, REVEAL, SUBMIT, UPDATE
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

__all__ = ["RedisStore"]

_T = TypeVar("_T")
_DOWN = (RedisConnectionError, RedisTimeoutError, ReadOnlyError)


def _reachable(method: Callable[..., _T]) -> Callable[..., _T]:
    """Turn "Redis is not there" into the store-down message, and for ``retry_after`` s after
    that answer it without trying Redis."""

    @functools.wraps(method)
    def wrapper(self: RedisStore, *args: Any, **kwargs: Any) -> _T:
        if self.clock() < self._down_until:
            raise ClassError("class.error.store_down")
        try:
            return method(self, *args, **kwargs)
        except _DOWN as error:
            self._down_until = self.clock() + self.retry_after
            raise ClassError("class.error.store_down") from error

    return wrapper


def _decode(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisStore:
    """A :class:`cnnviz.teach.ClassStore` in the Redis at ``url`` (``redis://host:port/db``)."""

    def __init__(
        self,
        url: str,
        limits: ClassLimits | None = None,
        clock: Callable[[], float] = time.time,
        prefix: str = "cnnviz:",
        retry_after: float = 1.0,
    ) -> None:
        self.limits = limits or ClassLimits()
        self.clock = clock
        self.prefix = prefix
        self.retry_after = retry_after
        self._down_until = -math.inf
        try:
            self.client = redis.Redis.from_url(
                url,
                socket_connect_timeout=2.0,
                socket_timeout=5.0,
                health_check_interval=15,
                retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=3),
                retry_on_error=[RedisConnectionError, RedisTimeoutError],
            )
        except ValueError as error:
            raise ClassError("class.error.store_url") from error
        register = self.client.register_script
        self._create, self._update = register(CREATE), register(UPDATE)
        self._join, self._report = register(JOIN), register(REPORT)
        self._ask, self._submit = register(ASK), register(SUBMIT)
        self._reveal, self._forget = register(REVEAL), register(FORGET)

    # ------------------------------------------------------------------------------ plumbing

    def _key(self, code: str, part: str = "") -> str:
        return f"{self.prefix}class:{{{str(code).strip().upper()}}}{part}"

    def _keys(self, code: str, *parts: str) -> list[str]:
        return [self._key(code, part) for part in parts]

    @property
    def _classes(self) -> str:
        return f"{self.prefix}classes"

    @property
    def _ttl_ms(self) -> int:
        return int((self.limits.idle_seconds + 60.0) * 1000)

    def _now(self) -> str:
        return repr(float(self.clock()))

    @staticmethod
    def _run(script: Any, keys: list[str], args: list[Any]) -> list[Any]:
        """Run a Lua script; its ``{'ERR', key}`` becomes a :class:`ClassError`."""
        reply = cast(list[Any], script(keys=keys, args=args))
        if _decode(reply[0]) == "ERR":
            raise ClassError(_decode(reply[1]))
        return reply

    def _error(self, key: str) -> ClassError:
        if key == "class.error.too_many_classes":
            return ClassError(key, maximum=self.limits.max_classes)
        if key == "class.error.full":
            return ClassError(key, maximum=self.limits.max_students)
        return ClassError(key)

    def _checked(self, script: Any, keys: list[str], args: list[Any]) -> list[Any]:
        try:
            return self._run(script, keys, args)
        except ClassError as error:
            raise self._error(error.key) from None

    def _live(self, fields: dict[Any, Any]) -> bool:
        last = fields.get(b"last_active")
        return last is not None and self.clock() - float(last) <= self.limits.idle_seconds

    def _fields(self, code: str) -> dict[Any, Any]:
        fields = cast(dict[Any, Any], self.client.hgetall(self._key(code)))
        if not self._live(fields):
            raise ClassError("class.error.unknown_code")
        return fields

    @staticmethod
    def _state(code: str, flat: dict[Any, Any]) -> ClassState:
        fields = {_decode(k): _decode(v) for k, v in flat.items()}
        question = fields.get("question_id", "")
        return ClassState(
            code=str(code).strip().upper(),
            lesson=fields["lesson"],
            step=int(fields["step"]),
            mode=cast(Mode, fields["mode"]),
            version=int(fields["version"]),
            question_id=int(question) if question else None,
            created=float(fields["created"]),
            last_active=float(fields["last_active"]),
        )

    @staticmethod
    def _student(student_id: str, text: Any) -> Student:
        nickname, lesson, step, joined, seen = json.loads(_decode(text))
        return Student(student_id, nickname, lesson, int(step), float(joined), float(seen))

    def _question(self, question_id: int, text: Any, revealed: bool) -> Question:
        kind, prompt, options, answer, tolerance, created, *rest = json.loads(_decode(text))
        texts = rest[0] if rest else []  # a question stored before translations: typed
        return Question(
            question_id=int(question_id),
            kind=kind,
            prompt=prompt,
            options=tuple(options),
            answer=float(answer),
            tolerance=float(tolerance),
            revealed=revealed,
            created=float(created),
            translations=tuple(
                (str(language), str(words), tuple(choices)) for language, words, choices in texts
            ),
        )

    def _update_class(self, code: str, secret: str, *pairs: str) -> ClassState:
        reply = self._checked(
            self._update,
            [self._classes, self._key(code)],
            [
                code.strip().upper(),
                str(secret),
                self._now(),
                self.limits.idle_seconds,
                self._ttl_ms,
                *pairs,
            ],
        )
        flat = reply[1]
        return self._state(code, dict(zip(flat[::2], flat[1::2], strict=True)))

    # ------------------------------------------------------------------------------ the class

    @_reachable
    def create_class(self, lesson: str, step: int) -> tuple[str, str]:
        """A new class: its join code and the teacher's secret."""
        lesson, step = checked_lesson(lesson, self.limits.max_text), checked_step(step)
        self.expire()
        secret = new_secret()
        for _ in range(20):  # a collision among ~900 million codes is rare; retry anyway
            code = new_code()
            try:
                self._checked(
                    self._create,
                    [self._classes, self._key(code)],
                    [
                        code,
                        secret,
                        lesson,
                        step,
                        self._now(),
                        self.limits.max_classes,
                        self._ttl_ms,
                    ],
                )
            except ClassError as error:
                if error.key == "collision":
                    continue
                raise
            return code, secret
        raise ClassError("class.error.too_many_classes", maximum=self.limits.max_classes)

    @_reachable
    def state(self, code: str) -> ClassState | None:
        """The class's state, or None for an unknown or expired code."""
        try:
            return self._state(code, self._fields(code))
        except ClassError:
            return None

    @_reachable
    def is_teacher(self, code: str, secret: str) -> bool:
        """True when ``secret`` is the class's teacher secret (constant-time comparison)."""
        try:
            fields = self._fields(code)
        except ClassError:
            return False
        return hmac.compare_digest(_decode(fields.get(b"secret", b"")), str(secret))

    @_reachable
    def move(self, code: str, secret: str, lesson: str, step: int) -> ClassState:
        """The teacher moves the class to ``lesson``/``step``."""
        lesson, step = checked_lesson(lesson, self.limits.max_text), checked_step(step)
        return self._update_class(code, secret, "lesson", lesson, "step", str(step))

    @_reachable
    def set_mode(self, code: str, secret: str, mode: Mode) -> ClassState:
        """Follow the teacher, or explore freely."""
        if mode not in ("follow", "free"):
            raise ClassError("class.error.bad_mode")
        return self._update_class(code, secret, "mode", mode)

    # --------------------------------------------------------------------------- the students

    @_reachable
    def join(self, code: str, student_id: str, nickname: str) -> Student:
        """A student joins; the same id joining again is the same student (nickname updated)."""
        nickname = checked_text(nickname, min(self.limits.max_text, 40))
        student_id = checked_text(student_id, 64)
        if not student_id:
            raise ClassError("class.error.not_joined")
        reply = self._checked(
            self._join,
            [self._key(code), self._key(code, ":students")],
            [self._now(), self.limits.idle_seconds, student_id, nickname, self.limits.max_students],
        )
        return self._student(student_id, reply[1])

    @_reachable
    def report(self, code: str, student_id: str, lesson: str, step: int) -> None:
        """A student's page says where it is and that it is still there."""
        lesson, step = checked_lesson(lesson, self.limits.max_text), checked_step(step)
        self._checked(
            self._report,
            [self._key(code), self._key(code, ":students")],
            [self._now(), self.limits.idle_seconds, str(student_id), lesson, str(step)],
        )

    @_reachable
    def students(self, code: str) -> list[Student]:
        """Everyone who joined, in the order they joined."""
        self._fields(code)
        rows = cast(dict[Any, Any], self.client.hgetall(self._key(code, ":students")))
        found = [self._student(_decode(k), v) for k, v in rows.items()]
        return sorted(found, key=lambda s: (s.joined, s.student_id))

    # -------------------------------------------------------------------------- the questions

    @_reachable
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
        created = self._now()
        record = json.dumps(
            [kind, prompt, list(options), repr(answer), repr(tolerance), created, texts]
        )
        reply = self._checked(
            self._ask,
            [self._classes, self._key(code), self._key(code, ":questions")],
            [
                code.strip().upper(),
                str(secret),
                created,
                self.limits.idle_seconds,
                self._ttl_ms,
                self.limits.max_questions,
                record,
            ],
        )
        return self._question(int(reply[1]), record, False)

    @_reachable
    def question(self, code: str, question_id: int) -> Question | None:
        """One question of the class, or None."""
        self._fields(code)
        with self.client.pipeline(transaction=False) as pipe:
            pipe.hget(self._key(code, ":questions"), str(int(question_id)))
            pipe.sismember(self._key(code, ":revealed"), str(int(question_id)))
            text, revealed = pipe.execute()
        return None if text is None else self._question(question_id, text, bool(revealed))

    @_reachable
    def submit(self, code: str, student_id: str, question_id: int, value: float) -> Answer:
        """A student's answer: once per question, only from a student of the class."""
        value = float(value)
        if not math.isfinite(value):
            raise ClassError("class.error.bad_answer")
        question = self.question(code, int(question_id))
        correct = False
        if question is not None and not question.revealed:
            if question.kind == "choice" and not (
                value == int(value) and 0 <= value < len(question.options)
            ):
                raise ClassError("class.error.bad_answer")
            correct = question.is_correct(value)
        at = self._now()
        record = json.dumps([repr(value), correct, at])
        self._checked(
            self._submit,
            self._keys(
                code, "", ":students", ":questions", ":revealed", f":answers:{int(question_id)}"
            ),
            [
                at,
                self.limits.idle_seconds,
                str(student_id),
                str(int(question_id)),
                record,
                self.limits.max_answers,
            ],
        )
        return Answer(int(question_id), str(student_id), value, correct, float(at))

    @_reachable
    def answers(self, code: str, question_id: int) -> list[Answer]:
        """Every answer to a question so far, in the order they came."""
        self._fields(code)
        rows = cast(
            dict[Any, Any], self.client.hgetall(self._key(code, f":answers:{int(question_id)}"))
        )
        found = []
        for student, text in rows.items():
            value, correct, at = json.loads(_decode(text))
            found.append(
                Answer(int(question_id), _decode(student), float(value), bool(correct), float(at))
            )
        return sorted(found, key=lambda a: (a.at, a.student_id))

    @_reachable
    def reveal(self, code: str, secret: str, question_id: int) -> Question:
        """The teacher shows the answer to everyone."""
        self._checked(
            self._reveal,
            [self._classes, *self._keys(code, "", ":questions", ":revealed")],
            [
                code.strip().upper(),
                str(secret),
                self._now(),
                self.limits.idle_seconds,
                self._ttl_ms,
                str(int(question_id)),
            ],
        )
        question = self.question(code, question_id)
        if question is None:  # pragma: no cover - the script checked it exists
            raise ClassError("class.error.no_question")
        return question

    @_reachable
    def expire(self) -> int:
        """Forget classes idle longer than ``limits.idle_seconds``, with everything they held."""
        cutoff = repr(float(self.clock()) - self.limits.idle_seconds)
        codes = self.client.zrangebyscore(self._classes, "-inf", f"({cutoff}")
        forgotten = 0
        for raw in cast(list[Any], codes):
            code = _decode(raw)
            forgotten += int(
                cast(int, self._forget(keys=[self._classes, self._key(code)], args=[code, cutoff]))
            )
        return forgotten
