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
  to ``SCRIPT LOAD``). Run Redis with AOF (``appendonly yes``) so a restart loses no class.

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

# Shared Lua: is the class live by the caller's clock, refresh its TTLs, bump its version.
_LIB = """
local function live(ck, now, idle)
  local la = redis.call('HGET', ck, 'last_active')
  return la and tonumber(la) >= now - idle
end
local function teacher(ck, secret, now, idle)
  if not live(ck, now, idle) then return 'class.error.unknown_code' end
  -- Lua interns strings: == compares pointers, not bytes one by one (no early-exit timing)
  if redis.call('HGET', ck, 'secret') ~= secret then return 'class.error.not_teacher' end
  return nil
end
local function refresh(ck, ttl)
  redis.call('PEXPIRE', ck, ttl)
  for _, part in ipairs({':students', ':questions', ':revealed'}) do
    redis.call('PEXPIRE', ck .. part, ttl)
  end
  local n = tonumber(redis.call('HGET', ck, 'qseq') or '0')
  for q = 1, n do redis.call('PEXPIRE', ck .. ':answers:' .. q, ttl) end
end
local function follow_ttl(ck, key)
  local ttl = redis.call('PTTL', ck)
  if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
end
local function touch(zkey, ck, code, nowtext, ttl)
  redis.call('HINCRBY', ck, 'version', 1)
  redis.call('HSET', ck, 'last_active', nowtext)
  redis.call('ZADD', zkey, nowtext, code)
  refresh(ck, ttl)
end
"""

# KEYS: classes, class. ARGV: code, secret, lesson, step, now, max_classes, ttl
_CREATE = """
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[6]) then
  return {'ERR', 'class.error.too_many_classes'}
end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'ERR', 'collision'} end
redis.call('HSET', KEYS[2], 'secret', ARGV[2], 'lesson', ARGV[3], 'step', ARGV[4],
  'mode', 'follow', 'version', 1, 'question_id', '', 'created', ARGV[5],
  'last_active', ARGV[5], 'qseq', 0)
redis.call('PEXPIRE', KEYS[2], ARGV[7])
redis.call('ZADD', KEYS[1], ARGV[5], ARGV[1])
return {'OK'}
"""

# KEYS: classes, class. ARGV: code, secret, now, idle, ttl, field, value[, field, value]
_UPDATE = (
    _LIB
    + """
local err = teacher(KEYS[2], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
if err then return {'ERR', err} end
for i = 6, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
touch(KEYS[1], KEYS[2], ARGV[1], ARGV[3], ARGV[5])
return {'OK', redis.call('HGETALL', KEYS[2])}
"""
)

# KEYS: class, students. ARGV: now, idle, student_id, nickname, max_students
_JOIN = (
    _LIB
    + """
if not live(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) then
  return {'ERR', 'class.error.unknown_code'}
end
local old = redis.call('HGET', KEYS[2], ARGV[3])
local record
if old then
  record = cjson.decode(old)
  record[1] = ARGV[4]
  record[5] = ARGV[1]
else
  if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[5]) then return {'ERR', 'class.error.full'} end
  record = {ARGV[4], redis.call('HGET', KEYS[1], 'lesson'), redis.call('HGET', KEYS[1], 'step'),
            ARGV[1], ARGV[1]}
end
local text = cjson.encode(record)
redis.call('HSET', KEYS[2], ARGV[3], text)
follow_ttl(KEYS[1], KEYS[2])
return {'OK', text}
"""
)

# KEYS: class, students. ARGV: now, idle, student_id, lesson, step
_REPORT = (
    _LIB
    + """
if not live(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) then
  return {'ERR', 'class.error.unknown_code'}
end
local old = redis.call('HGET', KEYS[2], ARGV[3])
if not old then return {'ERR', 'class.error.not_joined'} end
local record = cjson.decode(old)
record[2] = ARGV[4]
record[3] = ARGV[5]
record[5] = ARGV[1]
redis.call('HSET', KEYS[2], ARGV[3], cjson.encode(record))
return {'OK'}
"""
)

# KEYS: classes, class, questions. ARGV: code, secret, now, idle, ttl, max_questions, record
_ASK = (
    _LIB
    + """
local err = teacher(KEYS[2], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
if err then return {'ERR', err} end
if redis.call('HLEN', KEYS[3]) >= tonumber(ARGV[6]) then
  return {'ERR', 'class.error.too_many_questions'}
end
local id = redis.call('HINCRBY', KEYS[2], 'qseq', 1)
redis.call('HSET', KEYS[3], id, ARGV[7])
redis.call('HSET', KEYS[2], 'question_id', id)
touch(KEYS[1], KEYS[2], ARGV[1], ARGV[3], ARGV[5])
return {'OK', id}
"""
)

# KEYS: class, students, questions, revealed, answers. ARGV: now, idle, student, question_id,
# record, max_answers
_SUBMIT = (
    _LIB
    + """
if not live(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) then
  return {'ERR', 'class.error.unknown_code'}
end
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 0 then return {'ERR', 'class.error.not_joined'} end
if redis.call('HEXISTS', KEYS[3], ARGV[4]) == 0 then return {'ERR', 'class.error.no_question'} end
if redis.call('SISMEMBER', KEYS[4], ARGV[4]) == 1 then return {'ERR', 'class.error.revealed'} end
if redis.call('HLEN', KEYS[5]) >= tonumber(ARGV[6]) then
  return {'ERR', 'class.error.too_many_answers'}
end
if redis.call('HSETNX', KEYS[5], ARGV[3], ARGV[5]) == 0 then
  return {'ERR', 'class.error.answered'}
end
follow_ttl(KEYS[1], KEYS[5])
return {'OK'}
"""
)

# KEYS: classes, class, questions, revealed. ARGV: code, secret, now, idle, ttl, question_id
_REVEAL = (
    _LIB
    + """
local err = teacher(KEYS[2], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
if err then return {'ERR', err} end
if redis.call('HEXISTS', KEYS[3], ARGV[6]) == 0 then return {'ERR', 'class.error.no_question'} end
redis.call('SADD', KEYS[4], ARGV[6])
touch(KEYS[1], KEYS[2], ARGV[1], ARGV[3], ARGV[5])
return {'OK'}
"""
)

# KEYS: classes, class. ARGV: code, cutoff. Forgets the class if it is still idle (or gone).
_FORGET = """
local la = redis.call('HGET', KEYS[2], 'last_active')
if la and tonumber(la) >= tonumber(ARGV[2]) then return 0 end
local n = tonumber(redis.call('HGET', KEYS[2], 'qseq') or '0')
for q = 1, n do redis.call('DEL', KEYS[2] .. ':answers:' .. q) end
redis.call('DEL', KEYS[2], KEYS[2] .. ':students', KEYS[2] .. ':questions', KEYS[2] .. ':revealed')
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
"""


def _reachable(method: Callable[..., _T]) -> Callable[..., _T]:
    """Turn "Redis is not there" into the store-down message (after redis-py's own retries)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> _T:
        try:
            return method(*args, **kwargs)
        except _DOWN as error:
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
    ) -> None:
        self.limits = limits or ClassLimits()
        self.clock = clock
        self.prefix = prefix
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
        self._create, self._update = register(_CREATE), register(_UPDATE)
        self._join, self._report = register(_JOIN), register(_REPORT)
        self._ask, self._submit = register(_ASK), register(_SUBMIT)
        self._reveal, self._forget = register(_REVEAL), register(_FORGET)

    # ------------------------------------------------------------------------------ plumbing

    def _key(self, code: str, part: str = "") -> str:
        return f"{self.prefix}class:{{{str(code).strip().upper()}}}{part}"

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
            [
                self._key(code),
                self._key(code, ":students"),
                self._key(code, ":questions"),
                self._key(code, ":revealed"),
                self._key(code, f":answers:{int(question_id)}"),
            ],
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
            [
                self._classes,
                self._key(code),
                self._key(code, ":questions"),
                self._key(code, ":revealed"),
            ],
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
