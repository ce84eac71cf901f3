"""The live-class store: what a class holds, who may change it, what survives a restart, and many
students answering at once. Every store passes these: SQLite, and Redis against a real Debian
redis-server (tests/redis_server.py) on a free local port; plus what only Redis has (TTLs, a
Redis restart mid-class, a Redis that is not there)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cnnviz.teach import (
    CODE_ALPHABET,
    CODE_LENGTH,
    ClassError,
    ClassLimits,
    ClassStore,
    SqliteStore,
    open_class_store,
)
from tests.redis_server import RedisServer, free_port, require_redis

ROOT = Path(__file__).resolve().parents[1]


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One real redis-server for the module's tests (each test starts from an empty database)."""
    require_redis()
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(params=["sqlite", "redis"])
def make_store(
    request: pytest.FixtureRequest, tmp_path: Path, clock: Clock
) -> Callable[..., ClassStore]:
    if request.param == "sqlite":

        def make(limits: ClassLimits | None = None) -> ClassStore:
            return SqliteStore(tmp_path / "classes.sqlite", limits, clock=clock)

        return make
    server: RedisServer = request.getfixturevalue("redis_server")
    from cnnviz.teach.redis_store import RedisStore

    RedisStore(server.url).client.flushall()

    def make_redis(limits: ClassLimits | None = None) -> ClassStore:
        return RedisStore(server.url, limits, clock=clock)

    return make_redis


@pytest.fixture
def store(make_store: Callable[..., ClassStore]) -> Iterator[ClassStore]:
    yield make_store()


def test_a_class_starts_at_a_step_and_follows_its_teacher(store: ClassStore) -> None:
    code, secret = store.create_class("convolution", 0)
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    state = store.state(code)
    assert state is not None and (state.lesson, state.step, state.mode) == (
        "convolution",
        0,
        "follow",
    )
    moved = store.move(code, secret, "convolution", 3)
    assert moved.step == 3 and moved.version > state.version
    assert store.state(code.lower()) == moved  # codes are typed in either case
    free = store.set_mode(code, secret, "free")
    assert free.mode == "free" and free.version > moved.version


def test_only_the_secret_moves_the_class_or_reveals(store: ClassStore) -> None:
    code, secret = store.create_class("pooling", 1)
    store.join(code, "s1", "Ana")
    question = store.ask(code, secret, "choice", "Max or average?", ("max", "avg"), 0)
    for attempt in ("", "s1", secret[:-1] + ("A" if secret[-1] != "A" else "B")):
        assert not store.is_teacher(code, attempt)
        with pytest.raises(ClassError, match="teacher"):
            store.move(code, attempt, "pooling", 5)
        with pytest.raises(ClassError, match="teacher"):
            store.reveal(code, attempt, question.question_id)
        with pytest.raises(ClassError, match="teacher"):
            store.ask(code, attempt, "number", "?", (), 1)
    assert store.is_teacher(code, secret)
    state = store.state(code)
    assert state is not None and state.step == 1  # nothing moved


def test_a_student_answers_once_only_for_themself(store: ClassStore) -> None:
    code, secret = store.create_class("losses", 0)
    store.join(code, "s1", "Ana")
    store.join(code, "s1", "Ana again")  # joining twice: the same student
    assert [s.nickname for s in store.students(code)] == ["Ana again"]
    question = store.ask(code, secret, "number", "ln 2 to 2 places?", (), 0.69, tolerance=0.005)
    answer = store.submit(code, "s1", question.question_id, 0.693)
    assert answer.correct
    with pytest.raises(ClassError, match="already answered"):
        store.submit(code, "s1", question.question_id, 0.5)
    with pytest.raises(ClassError, match="Join the class"):
        store.submit(code, "intruder", question.question_id, 0.69)  # not a student of the class
    assert [a.student_id for a in store.answers(code, question.question_id)] == ["s1"]
    store.reveal(code, secret, question.question_id)
    store.join(code, "s2", "Bo")
    with pytest.raises(ClassError, match="revealed"):
        store.submit(code, "s2", question.question_id, 0.69)


def test_bad_questions_and_answers_are_refused(store: ClassStore) -> None:
    code, secret = store.create_class("init", 0)
    store.join(code, "s1", "")
    for kind, options, answer in [
        ("choice", ("only one",), 0),
        ("choice", ("a", "b"), 2),
        ("choice", ("a", "b"), 0.5),
        ("number", ("a", "b"), 1),
        ("number", (), float("nan")),
        ("essay", (), 1),
    ]:
        with pytest.raises(ClassError, match="question needs"):
            store.ask(code, secret, kind, "Q", options, answer)  # type: ignore[arg-type]
    with pytest.raises(ClassError, match="too long"):
        store.ask(code, secret, "number", "x" * 10_000, (), 1)
    question = store.ask(code, secret, "choice", "Q", ("a", "b", "c"), 2)
    for bad in (3, -1, 1.5, float("inf")):
        with pytest.raises(ClassError, match="not valid"):
            store.submit(code, "s1", question.question_id, bad)
    with pytest.raises(ClassError, match="no class with this code"):
        store.join("ZZZZZZ", "s9", "")


def test_nothing_is_lost_across_a_restart(make_store: Callable[..., ClassStore]) -> None:
    first = make_store()
    code, secret = first.create_class("training", 2)
    first.join(code, "s1", "Ana")
    question = first.ask(code, secret, "choice", "Which curve?", ("train", "val"), 1)
    first.submit(code, "s1", question.question_id, 1)
    del first
    again = make_store()  # a new process would open the same file
    state = again.state(code)
    assert state is not None and (state.lesson, state.step, state.question_id) == (
        "training",
        2,
        question.question_id,
    )
    assert again.is_teacher(code, secret)
    assert [a.value for a in again.answers(code, question.question_id)] == [1.0]
    assert again.question(code, question.question_id) == question


def test_idle_classes_expire(make_store: Callable[..., ClassStore], clock: Clock) -> None:
    store = make_store(ClassLimits(idle_seconds=60))
    code, secret = store.create_class("a", 0)
    clock.now += 59
    store.move(code, secret, "a", 1)  # activity keeps it alive
    clock.now += 59
    assert store.state(code) is not None
    clock.now += 2
    assert store.state(code) is None
    assert store.expire() == 1
    with pytest.raises(ClassError, match="no class"):
        store.move(code, secret, "a", 2)


def test_caps_on_classes_students_and_answers(make_store: Callable[..., ClassStore]) -> None:
    store = make_store(ClassLimits(max_classes=2, max_students=3, max_answers=2))
    code, secret = store.create_class("a", 0)
    store.create_class("b", 0)
    with pytest.raises(ClassError, match="already runs 2 classes"):
        store.create_class("c", 0)
    for i in range(3):
        store.join(code, f"s{i}", "")
    with pytest.raises(ClassError, match="full"):
        store.join(code, "s3", "")
    store.join(code, "s0", "back again")  # a student already in the class still gets in
    question = store.ask(code, secret, "number", "Q", (), 1)
    store.submit(code, "s0", question.question_id, 1)
    store.submit(code, "s1", question.question_id, 2)
    with pytest.raises(ClassError, match="most answers"):
        store.submit(code, "s2", question.question_id, 1)


def test_three_hundred_answers_at_once_are_all_kept(store: ClassStore) -> None:
    code, secret = store.create_class("quiz", 0)
    students = [f"s{i:03d}" for i in range(300)]
    for student in students:
        store.join(code, student, "")
    question = store.ask(code, secret, "choice", "Q", ("a", "b", "c", "d"), 3)
    errors: list[BaseException] = []

    def answer(batch: list[str]) -> None:
        for student in batch:
            try:
                store.submit(code, student, question.question_id, int(student[1:]) % 4)
            except BaseException as exc:  # pragma: no cover - a failure is the test's finding
                errors.append(exc)

    threads = [threading.Thread(target=answer, args=(students[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    answers = store.answers(code, question.question_id)
    assert len(answers) == 300 and len({a.student_id for a in answers}) == 300
    histogram = [sum(1 for a in answers if a.value == option) for option in range(4)]
    assert histogram == [75, 75, 75, 75]
    assert sum(a.correct for a in answers) == 75


def test_join_codes_are_random_and_distinct(store: ClassStore) -> None:
    codes = {store.create_class("a", 0)[0] for _ in range(20)}
    assert len(codes) == 20


# ------------------------------------------------------------------------------ Redis only


def test_redis_keys_expire_by_themselves_and_expire_leaves_none(
    redis_server: RedisServer, clock: Clock
) -> None:
    from cnnviz.teach.redis_store import RedisStore

    store = RedisStore(redis_server.url, ClassLimits(idle_seconds=60), clock=clock)
    store.client.flushall()
    code, secret = store.create_class("a", 0)
    store.join(code, "s1", "Ana")
    question = store.ask(code, secret, "number", "Q", (), 1)
    store.submit(code, "s1", question.question_id, 1)
    class_keys = [k for k in store.client.keys("*") if code.encode() in k]
    assert len(class_keys) == 4  # class, students, questions, answers:1
    for key in class_keys:  # an abandoned class disappears even if nobody calls expire()
        assert 0 < store.client.pttl(key) <= (60 + 60) * 1000
    clock.now += 61
    assert store.expire() == 1
    assert store.client.keys("*") == []


def test_redis_restart_mid_class_says_so_and_reconnects(tmp_path: Path, clock: Clock) -> None:
    require_redis()
    from cnnviz.teach.redis_store import RedisStore

    server = RedisServer(tmp_path / "redis").start()
    try:
        store = RedisStore(server.url, clock=clock)
        code, secret = store.create_class("pooling", 1)
        store.join(code, "s1", "Ana")
        store.join(code, "s2", "Bo")
        question = store.ask(code, secret, "choice", "Max or average?", ("max", "avg"), 0)
        store.submit(code, "s1", question.question_id, 0)
        server.stop()  # Redis goes away mid-class
        for action in (
            lambda: store.state(code),
            lambda: store.submit(code, "s2", question.question_id, 1),
            lambda: store.move(code, secret, "pooling", 2),
        ):
            with pytest.raises(ClassError, match="cannot be reached") as down:
                action()
            assert down.value.key == "class.error.store_down"
        server.start()  # back on the same port with its AOF
        # for retry_after seconds the store answers "down" without trying Redis (a page polling
        # twice a second gets its answer at once) ...
        with pytest.raises(ClassError) as down:
            store.state(code)
        assert down.value.key == "class.error.store_down" and down.value.__cause__ is None
        clock.now += store.retry_after  # ... then it tries again: the same object reconnects
        state = store.state(code)
        assert state is not None and (state.step, state.question_id) == (1, question.question_id)
        store.submit(code, "s2", question.question_id, 1)
        assert [a.student_id for a in store.answers(code, question.question_id)] == ["s1", "s2"]
        assert store.move(code, secret, "pooling", 2).step == 2
    finally:
        server.stop()


def test_redis_not_there_or_misconfigured_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    require_redis()
    from cnnviz.teach.redis_store import RedisStore

    nobody = RedisStore(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(ClassError, match="cannot be reached"):
        nobody.create_class("a", 0)
    with pytest.raises(ClassError) as bad:
        RedisStore("http://example.com")
    assert bad.value.key == "class.error.store_url"
    monkeypatch.setenv("CNNVIZ_REDIS_URL", nobody.client.connection_pool.connection_kwargs["host"])
    with pytest.raises(ClassError):  # a bare host is not a Redis URL
        open_class_store()
    monkeypatch.setenv("CNNVIZ_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    assert isinstance(open_class_store(), RedisStore)
    monkeypatch.delenv("CNNVIZ_REDIS_URL")
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path))
    assert isinstance(open_class_store(), SqliteStore)  # no URL: the one-server SQLite file


def test_the_plain_install_needs_no_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    """cnnviz.teach never imports redis unless CNNVIZ_REDIS_URL asks for it; without the package
    the app says what to install."""
    code = "import sys, cnnviz.teach, pages.teach.class_state; print('redis' in sys.modules)"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert found.stdout.strip() == "False"
    monkeypatch.setitem(sys.modules, "redis", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "cnnviz.teach.redis_store", raising=False)
    monkeypatch.setenv("CNNVIZ_REDIS_URL", "redis://127.0.0.1:6379/0")
    with pytest.raises(ClassError) as missing:
        open_class_store()
    assert missing.value.key == "class.error.store_client"


def test_a_lesson_check_is_kept_in_every_language_across_a_restart(
    make_store: Callable[..., ClassStore],
) -> None:
    first = make_store()
    code, secret = first.create_class("pooling", 0)
    texts = {"en": ("Which pool?", ("max", "average")), "zh": ("哪种池化?", ("最大", "平均"))}
    question = first.ask(
        code, secret, "choice", "Which pool?", ("max", "average"), 0, translations=texts
    )
    assert not question.typed and question.text("zh") == ("哪种池化?", ("最大", "平均"))
    again = make_store()
    kept = again.question(code, question.question_id)
    assert kept == question and kept.text("en") == ("Which pool?", ("max", "average"))
    typed = again.ask(code, secret, "number", "How many? 几个?", (), 3)
    assert typed.typed and typed.text("zh") == ("How many? 几个?", ())  # as the teacher typed it


@pytest.mark.parametrize(
    "texts",
    [
        {"fr": ("Quelle?", ("a", "b"))},  # a language the app does not have
        {"zh": ("哪个?", ("甲",))},  # fewer options than the question
        {"zh": ("", ("甲", "乙"))},  # no prompt
        {"zh": ("x" * 10_000, ("甲", "乙"))},  # longer than the limit
    ],
)
def test_bad_translations_are_refused(
    store: ClassStore, texts: dict[str, tuple[str, tuple[str, ...]]]
) -> None:
    code, secret = store.create_class("pooling", 0)
    with pytest.raises(ClassError):
        store.ask(code, secret, "choice", "Which?", ("a", "b"), 0, translations=texts)


def test_a_class_file_from_before_translations_still_opens(tmp_path: Path, clock: Clock) -> None:
    def make_store() -> SqliteStore:  # SQLite only: an old file's schema
        return SqliteStore(tmp_path / "classes.sqlite", clock=clock)

    first = make_store()
    code, secret = first.create_class("pooling", 0)
    old = first.ask(code, secret, "number", "Q?", (), 2)
    with sqlite3.connect(tmp_path / "classes.sqlite") as db:  # the table as it was before
        db.execute("ALTER TABLE questions DROP COLUMN texts")
    store = make_store()  # opening adds the column back, empty: old questions read as typed
    kept = store.question(code, old.question_id)
    assert kept == old and kept.typed
    asked = store.ask(code, secret, "number", "N?", (), 1, translations={"zh": ("几?", ())})
    assert store.question(code, asked.question_id) == asked
