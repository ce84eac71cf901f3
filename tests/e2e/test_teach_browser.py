"""Lessons, presenter mode and the live class in a real browser, in English and Chinese.

The live-class test runs a teacher and two students in separate browser contexts (separate
sessions, as on separate devices): the students join with the code, follow the teacher's step
change, answer the step's check question, and the teacher sees the live histogram."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cnnviz.i18n import t
from cnnviz.teach import load_course, step_question
from tests.e2e.helpers import open_page, wait_idle

COURSE = load_course()


def _open_student(browser: object, url: str) -> tuple[object, object]:
    """A new context (a separate device) opening ``url``; one retry when the first navigation
    stalls, which a loaded shared machine sometimes makes it do."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(url, wait_until="domcontentloaded")
    except Exception:  # playwright's TimeoutError: try once more
        page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']")
    wait_idle(page, timeout=120_000)
    return context, page


def _heading(page: object, text: str) -> object:
    return page.locator("[data-testid='stMain'] h3", has_text=text)  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_lesson_renders_and_the_arrow_keys_move_between_steps(
    page, app_url: str, lang: str
) -> None:
    lesson = COURSE.lesson("pooling")
    assert lesson is not None
    page.goto(f"{app_url}/lesson?l=pooling&s=1&lang={lang}")
    page.wait_for_selector("[data-testid='stApp']")
    wait_idle(page)
    expect(_heading(page, lesson.steps[0].title.get(lang))).to_be_visible()
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.locator("[data-testid='stMain'] h1").first.click()  # focus the page, not a widget
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    expect(_heading(page, lesson.steps[1].title.get(lang))).to_be_visible()
    assert "s=2" in page.url
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_explorer_step_draws_its_figure_and_reacts_to_its_control(
    page, app_url: str, lang: str
) -> None:
    """The sigmoid step of lesson 6 (kind "activation"): f and f' drawn, and the cursor moves
    the readout (the slider is driven from the keyboard, as a learner at a projector would)."""
    lesson = COURSE.lesson("activations")
    assert lesson is not None
    step = lesson.steps[1]
    assert step.show.kind == "activation"
    page.goto(f"{app_url}/lesson?l=activations&s=2&lang={lang}")
    page.wait_for_selector("[data-testid='stApp']")
    wait_idle(page)
    expect(_heading(page, step.title.get(lang))).to_be_visible()
    main = page.locator("[data-testid='stMain']")
    expect(main.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    expect(main.locator(".js-plotly-plot")).to_have_count(2)  # f and its slope f'
    slope = "f′(0) = 0.250"
    expect(main.get_by_text(slope)).to_be_visible()
    main.get_by_role("slider").first.focus()
    page.keyboard.press("ArrowRight")  # x: 0 -> 0.1
    wait_idle(page)
    expect(main.get_by_text("f′(0.1) = 0.249")).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_presenter_mode_shows_figure_and_narration_without_scrolling(
    browser, app_url: str, lang: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(30_000)
    step = COURSE.lesson("convolution").steps[1]  # type: ignore[union-attr]
    page.goto(f"{app_url}/lesson?l=convolution&s=2&present=1&lang={lang}")
    page.wait_for_selector("[data-testid='stApp']")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.screenshot(path=str(tmp_path / f"present_{lang}.png"))
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    figure = page.locator(".js-plotly-plot").first.bounding_box()
    narration = page.get_by_text(step.narration.get(lang)[:30]).first.bounding_box()
    for box in (figure, narration):
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= 720, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, box
    size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert float(size.rstrip("px")) >= 20
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_teacher_and_two_students(browser, app_url: str, lang: str) -> None:
    lesson = COURSE.lessons[0]
    teacher_context = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher = teacher_context.new_page()
    teacher.set_default_timeout(60_000)  # three sessions, one of them polling, on a shared machine
    open_page(teacher, app_url, "class", lang)
    teacher.get_by_role("button", name=t("class.start", lang)).click()
    teacher.wait_for_url(re.compile(r".*key=.*"))
    wait_idle(teacher)
    code = re.search(r"code=([A-Z0-9]+)", teacher.url).group(1)  # type: ignore[union-attr]
    expect(teacher.locator(".cnnviz-code")).to_have_text(code)
    expect(teacher.locator("[data-testid='stImage'] img").first).to_be_visible()  # the QR code
    contexts, pages = [teacher_context], []
    for name in ("Ann", "<b>Bo</b>"):
        context, student = _open_student(browser, f"{app_url}/class?join={code}&lang={lang}")
        contexts.append(context)
        pages.append(student)
        student.get_by_label(t("class.nickname", lang)).fill(name)
        student.get_by_role("button", name=t("class.join", lang)).click()
        student.wait_for_url(re.compile(r".*me=.*"))
        expect(_heading(student, lesson.steps[0].title.get(lang))).to_be_visible()
    ann, bo = pages

    moved = time.monotonic()
    teacher.get_by_role("button", name=t("lesson.next", lang)).click()
    for student in (ann, bo):
        expect(_heading(student, lesson.steps[1].title.get(lang))).to_be_visible()
    print(
        f"both students followed in {time.monotonic() - moved:.2f} s"
    )  # informative, not asserted

    teacher.get_by_role("button", name=t("class.ask_step", lang)).click()
    question = step_question(lesson.steps[1], lang)
    assert question is not None
    for student, value in ((ann, question.answer), (bo, question.answer + 5)):
        box = student.get_by_label(t("lesson.your_answer", lang))
        box.fill(f"{value:g}")
        box.press("Tab")
        student.get_by_role("button", name=t("class.send", lang)).click()
        expect(student.get_by_text(t("class.answer_recorded", lang))).to_be_visible()
    title = t("class.histogram_correct", lang, total=2, percent=50)
    expect(teacher.locator(".js-plotly-plot .gtitle", has_text=title)).to_be_visible()
    expect(teacher.locator("[data-testid='stMain']")).to_contain_text(
        "<b>Bo</b>"
    )  # escaped, as typed
    teacher.get_by_role("button", name=t("class.reveal", lang)).click()
    expect(bo.get_by_text(t("class.you_wrong", lang))).to_be_visible()
    expect(ann.get_by_text(t("class.you_right", lang))).to_be_visible()
    for page in (teacher, ann, bo):
        assert page.locator("[data-testid='stException']").count() == 0
    for context in contexts:
        context.close()


def test_four_students_follow_a_step_change(browser, app_url: str) -> None:
    """The issue's smoke test: one teacher and four students, each in their own context."""
    lesson = COURSE.lessons[0]
    teacher_context = browser.new_context(viewport={"width": 1024, "height": 768})
    teacher = teacher_context.new_page()
    teacher.set_default_timeout(60_000)
    open_page(teacher, app_url, "class", "en")
    teacher.get_by_role("button", name=t("class.start", "en")).click()
    teacher.wait_for_url(re.compile(r".*key=.*"))
    wait_idle(teacher)
    code = re.search(r"code=([A-Z0-9]+)", teacher.url).group(1)  # type: ignore[union-attr]
    contexts, students = [teacher_context], []
    for number in range(4):
        context, student = _open_student(browser, f"{app_url}/class?join={code}")
        contexts.append(context)
        students.append(student)
        student.get_by_label(t("class.nickname", "en")).fill(f"S{number}")
        student.get_by_role("button", name=t("class.join", "en")).click()
        student.wait_for_url(re.compile(r".*me=.*"))
    moved = time.monotonic()
    teacher.get_by_role("button", name=t("lesson.next", "en")).click()
    for student in students:
        expect(_heading(student, lesson.steps[1].title.en)).to_be_visible()
    print(f"four students followed in {time.monotonic() - moved:.2f} s")  # informative
    expect(teacher.locator("[data-testid='stMetricValue']").first).to_have_text("4 / 4")
    for context in contexts:
        context.close()
