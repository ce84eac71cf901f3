"""The live class under AppTest: a teacher and two students (separate sessions, one store file),
following, live questions with the histogram, and the security and fault cases of issue 16."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.teach import JOIN_ATTEMPTS, load_course, step_question
from pages.shared.links import escape_markdown
from pages.teach.class_state import class_store
from tests.redis_server import RedisServer, free_port, require_redis

APP = str(Path(__file__).resolve().parents[1] / "app.py")
FIRST = load_course().lessons[0]


@pytest.fixture(autouse=True)
def fresh_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path))
    class_store.clear()  # the page's one store, now in tmp_path
    yield
    class_store.clear()


def _page(lang: str = "en", **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/teach/classroom.py")
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _param(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def _start() -> tuple[AppTest, str, str]:
    teacher = _page()
    teacher.button(key="class_start").click().run()
    code, key = _param(teacher, "code"), _param(teacher, "key")
    teacher.run()
    assert not teacher.exception and teacher.button(key="class_next")
    return teacher, code, key


def _join(code: str, nickname: str, lang: str = "en") -> AppTest:
    student = _page(lang, join=code)
    student.text_input(key="class_join_nickname").set_value(nickname)
    student.button[0].click().run()  # the join form's submit button
    assert not student.exception and "me" in student.query_params
    return student


def _titles(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def test_students_follow_the_teacher_answer_and_see_the_reveal() -> None:
    teacher, code, _ = _start()
    ann, bo = _join(code, "Ann", "zh"), _join(code, "Bo")
    assert FIRST.steps[0].title.zh in _titles(ann) and FIRST.steps[0].title.en in _titles(bo)
    teacher.button(key="class_next").click().run()
    for student, lang in ((ann, "zh"), (bo, "en")):
        student.run()  # what the 1 s fragment does when the version moves
        assert FIRST.steps[1].title.get(lang) in _titles(student)
    teacher.button(key="class_ask_step").click().run()
    question = class_store().question(code, class_store().state(code).question_id)  # type: ignore[union-attr]
    assert question is not None and question.kind == "number"
    for student, value in ((ann, question.answer), (bo, question.answer + 3)):
        student.run()
        student.number_input[-1].set_value(value)
        student.button[-1].click().run()  # the answer form's submit button
        assert student.success and not student.exception
    teacher.run()
    metrics = {m.label: m.value for m in teacher.metric}
    assert metrics["Answered"] == "2" and metrics["Connected"] == "2 / 2"
    spec = json.loads(teacher.get("plotly_chart")[-1].proto.spec)
    assert "2 answers, 50% right" in spec["layout"]["title"]["text"]
    assert any("Bo" in m.value and "Stuck" in m.value for m in teacher.markdown)
    teacher.button(key="class_reveal").click().run()
    bo.run()
    assert bo.error and "Your answer was not right" in bo.error[-1].value
    ann.run()
    assert ann.success and not ann.exception


def test_free_exploration_and_follow() -> None:
    teacher, code, _ = _start()
    student = _join(code, "Cy")
    teacher.button(key="class_mode").click().run()
    student.run()
    student.button(key="class_free_next").click().run()
    assert FIRST.steps[1].title.en in _titles(student)  # the student moved alone
    assert class_store().state(code).step == 0  # type: ignore[union-attr]
    teacher.button(key="class_mode").click().run()
    student.run()
    assert FIRST.steps[0].title.en in _titles(student)  # back with the teacher


def test_a_student_cannot_drive_the_class_or_answer_for_another() -> None:
    _, code, key = _start()
    student = _join(code, "Di")
    keys = {button.key for button in student.button}
    assert not keys & {"class_next", "class_back", "class_mode", "class_reveal", "class_ask_step"}
    forged = _page(code=code, key=key[:-1] + ("A" if key[-1] != "A" else "B"))
    assert forged.error and "Only the teacher" in forged.error[0].value
    assert not any(button.key == "class_next" for button in forged.button)
    someone = _page(join=code, me="not-a-student-id")
    assert someone.warning and not someone.number_input  # no answer form in another's name
    assert class_store().state(code).step == 0  # type: ignore[union-attr]


def test_typed_text_is_rendered_escaped() -> None:
    teacher, code, _ = _start()
    _join(code, "<script>alert(1)</script>")
    teacher.session_state["class_quick_prompt"] = "[click](javascript:alert(1)) <img src=x>"
    teacher.session_state["class_quick_kind"] = "number"
    teacher.session_state["class_quick_answer"] = 4.0
    teacher.button(key="class_quick_ask").click().run()
    shown = " ".join(m.value for m in teacher.markdown)
    assert "\\<script\\>" in shown and "<script>" not in shown
    assert "\\[click\\]" in shown and "\\<img" in shown


def test_joins_are_rate_limited_and_bad_codes_say_so() -> None:
    at = _page()
    for attempt in range(JOIN_ATTEMPTS + 1):
        at.text_input(key="class_join_code").set_value("ZZZZZZ")
        at.button[-1].click().run()
        expected = "There is no class" if attempt < JOIN_ATTEMPTS else "Too many join attempts"
        assert expected in at.error[-1].value
    expired = _page(join="ABCDEF")
    assert "There is no class" in expired.error[0].value


def test_the_teacher_link_resumes_in_a_new_session_and_two_tabs_agree() -> None:
    teacher, code, key = _start()
    teacher.button(key="class_next").click().run()
    class_store.clear()  # a new store object on the same file: what a server restart sees
    again = _page(code=code, key=key)
    assert FIRST.steps[1].title.en in _titles(again)
    again.button(key="class_next").click().run()
    teacher.run()
    assert FIRST.steps[2].title.en in _titles(teacher)  # the other tab follows the store


def test_a_student_joining_twice_is_one_student() -> None:
    _, code, _ = _start()
    student = _join(code, "Eve")
    student.query_params.clear()
    student.query_params["join"] = code
    student.run()
    student.text_input(key="class_join_nickname").set_value("Eve2")
    student.button[0].click().run()
    assert [s.nickname for s in class_store().students(code)] == ["Eve2"]


def test_on_redis_a_restart_mid_class_shows_a_message_and_the_class_carries_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CNNVIZ_REDIS_URL puts the class in a real redis-server; stopping it mid-class shows the
    store-down message (no traceback), and the same pages carry on once it is back."""
    require_redis()
    server = RedisServer(tmp_path / "redis").start()
    try:
        monkeypatch.setenv("CNNVIZ_REDIS_URL", server.url)
        class_store.clear()
        teacher, code, _ = _start()
        student = _join(code, "Ann")
        assert type(class_store()).__name__ == "RedisStore"
        server.stop()
        for page in (teacher, student):
            page.run()
            assert not page.exception, [e.value for e in page.exception]
            assert any("cannot be reached" in e.value for e in page.error)
        server.start()
        time.sleep(class_store().retry_after)  # the store tries Redis again after this long
        teacher.run()
        assert not teacher.exception and not teacher.error
        teacher.button(key="class_next").click().run()
        student.run()
        assert not student.exception and FIRST.steps[1].title.en in _titles(student)
    finally:
        server.stop()


def test_a_redis_that_is_not_there_says_so_on_the_landing_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require_redis()
    monkeypatch.setenv("CNNVIZ_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    class_store.clear()
    at = _page("zh", join="ABCDEF")
    assert any("Redis" in e.value for e in at.error)
    monkeypatch.setenv("CNNVIZ_REDIS_URL", "not a url")
    class_store.clear()
    at = _page()
    assert any("CNNVIZ_REDIS_URL" in e.value for e in at.error)


def test_a_lesson_check_reaches_each_student_in_their_language_and_typed_words_are_labelled() -> (
    None
):
    teacher, code, _ = _start()
    ann, bo = _join(code, "Ann", "zh"), _join(code, "Bo")
    teacher.button(key="class_next").click().run()
    teacher.button(key="class_ask_step").click().run()  # the teacher's page is in English
    step = FIRST.steps[1]
    assert step.check is not None
    for student, lang in ((ann, "zh"), (bo, "en")):
        student.run()
        shown = " ".join(m.value for m in student.markdown)
        question = step_question(step, lang)
        assert question is not None and escape_markdown(question.prompt) in shown
        assert not any(
            "Your teacher's words" in c.value or "老师输入的原话" in c.value
            for c in student.caption
        )
    teacher.session_state["class_quick_prompt"] = "Which layer has the most weights?"
    teacher.session_state["class_quick_kind"] = "number"
    teacher.session_state["class_quick_answer"] = 3.0
    teacher.button(key="class_quick_ask").click().run()
    ann.run()
    assert any("Which layer has the most weights?" in m.value for m in ann.markdown)
    assert any("老师输入的原话" in c.value for c in ann.caption)  # as typed, marked as such
