"""The live class, teacher's side: the join code and QR code for the projector, the lesson step
the class follows, follow / free exploration, questions, and the dashboard (who is connected and
on which step, who is stuck, the answers' histogram, the training queue). Not a page.

Every change goes through the store with the class's secret, so two tabs with the same teacher
link drive one class, and each redraws when the other moves it (the dashboard polls the class's
version once a second).
"""

from __future__ import annotations

import dataclasses
import io
import time

import segno
import streamlit as st

from cnnviz.i18n import LANGS, MessageError, t
from cnnviz.teach import (
    Answer,
    Lesson,
    Question,
    Student,
    answer_histogram,
    class_pulse,
    step_question,
)
from cnnviz.viz import histogram_figure
from pages.shared.charts import STATIC_CONFIG
from pages.shared.flash import flash, show_flash
from pages.shared.links import escape_markdown
from pages.shared.presenter import chart
from pages.shared.session import lang, tr
from pages.teach.class_state import (
    class_store,
    join_url,
    queue_counts,
    store_reachable,
    teacher_url,
)
from pages.teach.step import course, explore_link, show_interactive, show_narration

__all__ = ["teacher_view"]


def _qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def _do(action: str, *args: object, **options: object) -> None:
    """Run a store action from a callback; an error becomes a flash message."""
    try:
        getattr(class_store(), action)(*args, **options)
    except MessageError as error:
        flash("class", "error", error.text(lang()))


def _move(code: str, secret: str, lesson: Lesson, step: int) -> None:
    _do("move", code, secret, lesson.id, max(0, min(step, len(lesson.steps) - 1)))


def _pick_lesson(code: str, secret: str) -> None:
    lesson = course().lesson(st.session_state["class_pick_lesson"])
    if lesson is not None:
        _move(code, secret, lesson, 0)


def _ask_step(code: str, secret: str, lesson: Lesson, index: int) -> None:
    """Push the step's check question with its prompt and options in every language (each
    student reads it in their own; the answer is computed once, from the step's state)."""
    question = step_question(lesson.steps[index], lang())
    if question is not None:
        translations = {}
        for language in LANGS:
            asked = step_question(lesson.steps[index], language)
            if asked is not None:
                translations[language] = (asked.prompt, asked.options)
        _do(
            "ask",
            code,
            secret,
            question.kind,
            question.prompt,
            question.options,
            question.answer,
            question.tolerance,
            translations=translations,
        )


def _ask_quick(code: str, secret: str) -> None:
    prompt = st.session_state.get("class_quick_prompt", "")
    kind = st.session_state.get("class_quick_kind", "choice")
    answer = st.session_state.get("class_quick_answer")
    options: tuple[str, ...] = ()
    if kind == "choice":
        text = st.session_state.get("class_quick_options", "")
        options = tuple(line.strip() for line in text.splitlines() if line.strip())
        answer = None if answer is None else answer - 1  # the teacher counts options from 1
    if answer is None:
        flash("class", "error", tr("class.error.bad_question"))
        return
    _do("ask", code, secret, kind, prompt, options, float(answer), 0.0)


def _header(code: str, secret: str) -> None:
    big, qr, link = st.columns([2, 1, 2], vertical_alignment="center")
    with big:
        st.caption(tr("class.join_code"))
        st.markdown(f"<div class='cnnviz-code'>{code}</div>", unsafe_allow_html=True)  # i18n: ok
        st.markdown(tr("class.join_at", url=join_url(code)))
    qr.image(_qr_png(join_url(code)), caption=tr("class.scan"), width=180)
    with link:
        st.caption(tr("class.teacher_link"))
        st.code(teacher_url(code, secret), language=None, wrap_lines=True)
        st.caption(tr("class.teacher_link_help"))
    st.html(
        "<style>.cnnviz-code{font-size:4.5rem;font-weight:800;letter-spacing:0.3rem;line-height:1.1}</style>"
    )


def _read_class(code: str, seen: int) -> tuple[list[Student], Question | None, list[Answer] | None]:
    """The dashboard's reads; a new version of the class (another tab moved it) redraws the page."""
    store = class_store()
    state = store.state(code)
    if state is None or state.version != seen:
        st.rerun(scope="app")  # another tab with the same link moved the class
    assert state is not None  # st.rerun does not return
    students = store.students(code)
    question = store.question(code, state.question_id) if state.question_id else None
    answers = store.answers(code, question.question_id) if question else None
    return students, question, answers


@st.fragment(run_every=1.0)
def _dashboard(code: str, seen: int) -> None:
    read: tuple[list[Student], Question | None, list[Answer] | None] | None = None
    with store_reachable(stop=False):  # Redis down: say so, keep polling until it is back
        read = _read_class(code, seen)
    if read is None:
        return
    students, question, answers = read
    pulse = class_pulse(students, answers, time.time())
    running, waiting = queue_counts()
    a, b, c, d = st.columns(4)
    a.metric(tr("class.connected"), f"{pulse.connected} / {pulse.joined}")
    b.metric(tr("class.answered"), pulse.answered if question else "—")
    c.metric(tr("class.training"), running)
    d.metric(tr("class.waiting"), waiting)
    if pulse.on_step:
        titles = {lesson.id: lesson for lesson in course().lessons}
        st.markdown(
            "  \n".join(
                tr(
                    "class.on_step",
                    lesson=titles[lesson_id].title.get(lang())
                    if lesson_id in titles
                    else lesson_id,
                    step=step + 1,
                    count=count,
                )
                for lesson_id, step, count in pulse.on_step
            )
        )
    if question is not None and answers is not None:
        prompt, choices = question.text(lang())  # bars named in the teacher's language
        st.markdown(f"**{tr('class.question')}** {escape_markdown(prompt)}")
        if question.typed:
            st.caption(tr("class.teacher_words"))
        chart(
            histogram_figure(
                answer_histogram(dataclasses.replace(question, options=choices), answers), lang()
            ),
            key="class_histogram",
            config=STATIC_CONFIG,
        )
        if pulse.stuck:
            st.markdown(
                f"**{tr('class.stuck', count=len(pulse.stuck))}** "
                + ", ".join(escape_markdown(name) for name in pulse.stuck)
            )


def teacher_view(code: str, secret: str) -> None:
    """The teacher's page for class ``code`` (the secret is checked by the caller)."""
    store = class_store()
    state = store.state(code)
    language = lang()  # captured: format_func lambdas must not read the session later
    if state is None:
        st.error(tr("class.error.unknown_code"), icon="⚠️")
        return
    st.session_state["class_seen"] = state.version
    show_flash("class")
    _header(code, secret)
    lesson = course().lesson(state.lesson) or course().lessons[0]
    index = min(state.step, len(lesson.steps) - 1)
    ids = [item.id for item in course().lessons]
    st.session_state["class_pick_lesson"] = lesson.id
    pick, back, forward, mode = st.columns([3, 1, 1, 2], vertical_alignment="bottom")
    pick.selectbox(
        tr("class.lesson"),
        ids,
        format_func=lambda lesson_id, language=language: (
            course().lesson(lesson_id).title.get(language)
        ),  # type: ignore[union-attr]
        key="class_pick_lesson",
        on_change=_pick_lesson,
        args=(code, secret),
    )
    back.button(
        tr("lesson.back"),
        key="class_back",
        on_click=_move,
        args=(code, secret, lesson, index - 1),
        disabled=index == 0,
        shortcut="Left",
        width="stretch",
    )
    forward.button(
        tr("lesson.next"),
        key="class_next",
        on_click=_move,
        args=(code, secret, lesson, index + 1),
        disabled=index >= len(lesson.steps) - 1,
        shortcut="Right",
        width="stretch",
        type="primary",
    )
    free = state.mode == "free"
    mode.button(
        tr("class.bring_back") if free else tr("class.let_explore"),
        key="class_mode",
        on_click=_do,
        args=("set_mode", code, secret, "follow" if free else "free"),
        width="stretch",
    )
    st.caption(tr("class.mode_free") if free else tr("class.mode_follow"))
    st.divider()
    st.caption(
        tr("lesson.step_of", n=index + 1, total=len(lesson.steps))
        + f" · {lesson.title.get(lang())}"
    )
    words, figure = st.columns([2, 3])
    with words:
        show_narration(lesson, index)
        explore_link(lesson.steps[index].show, lesson.steps[index].explore)
    with figure:
        show_interactive(lesson.steps[index].show, f"class_t_{lesson.id}_{index}")

    st.subheader(tr("class.questions"))
    current = store.question(code, state.question_id) if state.question_id else None
    ask, quick, reveal = st.columns([2, 2, 1])
    if lesson.steps[index].check is not None:
        ask.button(
            tr("class.ask_step"),
            key="class_ask_step",
            on_click=_ask_step,
            args=(code, secret, lesson, index),
            type="primary",
        )
    with quick.popover(tr("class.quick")):
        st.caption(tr("class.quick_note"))
        st.text_input(tr("class.quick_prompt"), key="class_quick_prompt", max_chars=500)
        kind = st.radio(
            tr("class.quick_kind"),
            ["choice", "number"],
            format_func=lambda k, language=language: t(f"class.kind.{k}", language),
            key="class_quick_kind",
            horizontal=True,
        )
        if kind == "choice":
            st.text_area(tr("class.quick_options"), key="class_quick_options", max_chars=2000)
            st.number_input(
                tr("class.quick_right_option"), 1, 10, value=None, step=1, key="class_quick_answer"
            )
        else:
            st.number_input(tr("class.quick_number"), value=None, key="class_quick_answer")
        st.button(
            tr("class.quick_ask"), key="class_quick_ask", on_click=_ask_quick, args=(code, secret)
        )
    if current is not None and not current.revealed:
        reveal.button(
            tr("class.reveal"),
            key="class_reveal",
            on_click=_do,
            args=("reveal", code, secret, current.question_id),
        )
    elif current is not None:
        reveal.success(tr("class.revealed"))
    _dashboard(code, state.version)
