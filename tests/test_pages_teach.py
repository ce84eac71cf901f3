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


def _where(kind: str) -> tuple[str, int]:
    """The first shipped step (lesson id, step number from 1) that shows ``kind``."""
    for lesson in COURSE.lessons:
        for number, step in enumerate(lesson.steps, start=1):
            if step.show.kind == kind:
                return lesson.id, number
    raise AssertionError(f"no shipped step shows {kind}")


def _all_text(at: AppTest) -> str:
    kinds = ("markdown", "caption", "success", "error", "info")
    return " ".join(str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_loss_step_recomputes_the_loss_when_the_score_moves(lang: str) -> None:
    lesson, number = _where("loss")
    at = _lesson_app(lang, lesson, number)
    key = f"lesson_{lesson}_{number - 1}_logit"
    before = [m.value for m in at.markdown if "ln" in m.value]
    at.slider(key=key).set_value(9.0).run()
    after = [m.value for m in at.markdown if "ln" in m.value]
    assert not at.exception and before and after and before != after
    assert "0.00" in after[0] or "0.01" in after[0]  # a confident right answer costs almost 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_worked_example_stage_marks_the_articles_mistakes(lang: str) -> None:
    lesson, number = _where("stage")
    at = _lesson_app(lang, lesson, number)
    key = f"lesson_{lesson}_{number - 1}_stage"
    assert len(at.error) >= 6 and not at.exception  # conv 1: six cells wrong in the article
    at.select_slider(key=key).set_value("relu1").run()
    assert not at.error and at.success and len(at.get("plotly_chart")) == 1
    at.select_slider(key=key).set_value("probabilities").run()
    assert len(at.error) == 1 and not at.exception


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_init_step_switches_scheme_and_keeps_its_figure(lang: str) -> None:
    lesson, number = _where("init")
    at = _lesson_app(lang, lesson, number)
    key = f"lesson_{lesson}_{number - 1}_scheme"
    first = _all_text(at)
    at.radio(key=key).set_value("he").run()
    assert not at.exception and len(at.get("plotly_chart")) == 1 and _all_text(at) != first


def test_optimizer_and_schedule_steps_keep_a_figure_when_nothing_is_picked() -> None:
    for kind, suffix in (("optimizer", "racers"), ("schedule", "schedules")):
        lesson, number = _where(kind)
        at = _lesson_app("en", lesson, number)
        at.multiselect(key=f"lesson_{lesson}_{number - 1}_{suffix}").set_value([]).run()
        assert not at.exception and at.info and len(at.get("plotly_chart")) == 1


def test_a_prune_step_zeroes_the_share_the_slider_asks_for() -> None:
    lesson, number = _where("prune")
    at = _lesson_app("zh", lesson, number)
    at.slider(key=f"lesson_{lesson}_{number - 1}_sparsity").set_value(0.8).run()
    assert not at.exception and any("(80%)" in m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_scenario_step_opens_the_lab_with_that_scenario_ready(lang: str) -> None:
    lesson, number = _where("scenario")
    at = _lesson_app(lang, lesson, number)
    at.radio(key=f"lesson_{lesson}_{number - 1}_scenario").set_value("underfit").run()
    links = [link.proto for link in at.get("page_link")]
    assert any("scenario=underfit" in str(link) for link in links), links
    lab = AppTest.from_file(APP, default_timeout=90)
    lab.session_state["lang"] = lang
    lab.run()
    lab.switch_page("pages/lab/page.py")
    lab.query_params["scenario"] = "underfit"
    lab.run()
    assert not lab.exception
    assert lab.button(key="lab_ready_underfit").label == lab.button(key="lab_run_underfit").label
    lab.query_params["scenario"] = "<b>nope</b>"
    lab.run()
    assert not lab.exception and lab.warning and "overfit, underfit, cure" in lab.warning[0].value
    assert "scenario" not in lab.query_params  # the bad value leaves the URL
