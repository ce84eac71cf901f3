"""The lesson pages under AppTest: every shipped lesson step renders in English and Chinese, check
questions answer instantly, progress lives in the URL, presenter mode, and the syllabus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.teach import load_course, step_question
from tests.test_app import PAGES

APP = str(Path(__file__).resolve().parents[1] / "app.py")
COURSE = load_course()
HAN = re.compile(r"[\u4e00-\u9fff]")


def _lesson_app(lang: str, lesson: str, step: int, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/teach/lesson.py")
    at.query_params.update({"l": lesson, "s": str(step), **params})
    at.run()
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("lesson", [lesson.id for lesson in COURSE.lessons])
def test_every_step_of_every_lesson_renders(lesson: str, lang: str) -> None:
    at = _lesson_app(lang, lesson, 1)
    steps = COURSE.lesson(lesson).steps  # type: ignore[union-attr]
    for number, step in enumerate(steps, start=1):
        at.query_params["s"] = str(number)
        at.run()
        assert not at.exception, (lesson, number, [e.value for e in at.exception])
        assert [s.value for s in at.subheader] == [step.title.get(lang)]
        if step.show.kind != "page":  # an activation step draws f and f' side by side
            assert len(at.get("plotly_chart")) == (2 if step.show.kind == "activation" else 1)
        question = step_question(step, lang)
        if question is not None:
            assert any(question.prompt in m.value for m in at.markdown)
        if lang == "zh":
            assert HAN.search(step.narration.get("zh"))
            assert any(step.narration.zh == m.value for m in at.markdown)


def test_a_numeric_check_answers_instantly_with_the_worked_formula() -> None:
    at = _lesson_app("en", "output-size", 2)
    question = step_question(COURSE.lesson("output-size").steps[1], "en")  # type: ignore[union-attr]
    assert question is not None
    at.number_input[0].set_value(question.answer + 1)
    at.button[-1].click().run()  # the form's submit button
    assert at.error and "floor" in at.code[-1].value
    at.number_input[0].set_value(question.answer)
    at.button[-1].click().run()
    assert at.success and not at.exception


def test_next_and_back_move_the_step_in_the_url_and_bad_steps_are_fixed() -> None:
    at = _lesson_app("en", "pooling", 99)
    assert at.query_params["s"] == ["4"] or at.query_params["s"] == "4"
    at.button(key="lesson_back").click().run()
    assert str(at.query_params["s"]).strip("[]'") == "3"
    at.button(key="lesson_next").click().run()
    assert str(at.query_params["s"]).strip("[]'") == "4"
    at.query_params["l"] = "no-such-lesson"
    at.run()
    assert at.error and "no-such-lesson" in at.error[0].value and not at.exception


def test_presenter_mode_hides_the_sidebar_and_puts_narration_beside_the_figure() -> None:
    at = _lesson_app("en", "convolution", 2, present="1")
    assert not at.exception
    assert at.session_state["present"] is True
    styles = " ".join(str(h.proto) for h in at.get("html"))
    assert "stSidebar" in styles and "display: none" in styles
    spec = at.get("plotly_chart")[0].proto.spec
    assert '"size":22' in spec.replace(" ", "")  # the presenter theme's font
    at.query_params["present"] = "0"
    at.run()
    assert at.session_state["present"] is False
    # only the projector stylesheet every page has is left: the sidebar is back
    styles = " ".join(str(h.proto) for h in at.get("html"))
    assert "stSidebar" not in styles or "display: none" not in styles


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_course_page_lists_lessons_and_the_syllabus(lang: str) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/teach/course.py")
    at.run()
    assert not at.exception
    table = next(m.value for m in at.markdown if m.value.startswith("|"))
    assert table.count("lesson?l=") == table.count("\n") - 1  # every concept row has its step
    assert not at.error  # no lesson file has errors


def test_every_page_stays_usable_in_presenter_mode() -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["present"] = "1"
    at.run()
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.session_state["present"] is True  # kept across page switches
        assert at.get("html"), page  # the presenter stylesheet is on every page
