"""The live class, student's side: join with the code (a nickname is optional), follow the
teacher's step (a fragment polls the class's version once a second and redraws the page when the
teacher moves), explore freely when the teacher allows it, and answer live questions. Not a page.

A student only ever acts as themself: their id is made here (``secrets``) and kept in their own
URL; the page never takes another student's id or the teacher's secret from a student.
"""

from __future__ import annotations

import time

import streamlit as st

from cnnviz.i18n import MessageError
from cnnviz.teach import ClassState, Question, allow_join, new_secret
from pages.shared.links import escape_markdown
from pages.shared.session import lang, tr
from pages.teach.class_state import STORE_DOWN, class_store, store_reachable
from pages.teach.step import course, explore_link, show_interactive, show_narration

__all__ = ["join_form", "student_view"]

_REPORT_SECONDS = 5.0


def join_form(code: str) -> None:
    """Join class ``code``: nickname, then the store; rate-limited per browser session."""
    with st.form("class_join_form"):
        typed = st.text_input(tr("class.code"), value=code, max_chars=12, key="class_join_code")
        nickname = st.text_input(tr("class.nickname"), max_chars=40, key="class_join_nickname")
        joined = st.form_submit_button(tr("class.join"), type="primary")
    if not joined:
        return
    allowed, attempts = allow_join(st.session_state.get("class_join_attempts", ()), time.time())
    st.session_state["class_join_attempts"] = attempts
    if not allowed:
        st.error(tr("class.too_many_joins"), icon="⏳")
        return
    wanted = typed.strip().upper()
    ids = st.session_state.setdefault("class_ids", {})
    me = ids.get(wanted) or new_secret()  # joining twice from one browser is the same student
    try:
        class_store().join(wanted, me, nickname)
    except MessageError as error:
        st.error(error.text(lang()), icon="⚠️")
        return
    ids[wanted] = me
    st.query_params.clear()
    st.query_params.update({"join": wanted, "me": me})
    st.rerun()


@st.fragment(run_every=1.0)
def _follow(code: str, me: str, seen: int, lesson: str, step: int) -> None:
    """Once a second: redraw the page when the class changed; say where this student is. While
    the store is down the page keeps what it shows, says so, and carries on when it is back."""
    with store_reachable(stop=False):
        store = class_store()
        state = store.state(code)
        if state is None or state.version != seen:
            st.rerun(scope="app")
        now = time.time()
        if now - st.session_state.get("class_reported", 0.0) >= _REPORT_SECONDS:
            st.session_state["class_reported"] = now
            try:
                store.report(code, me, lesson, step)
            except MessageError as error:
                if error.key in STORE_DOWN:
                    raise
                st.rerun(scope="app")


def _free_step(state: ClassState) -> tuple[str, int]:
    """The lesson and step a freely exploring student chose (starting from the teacher's)."""
    key = ("class_free", state.code)
    if key not in st.session_state:
        st.session_state[key] = (state.lesson, state.step)
    lesson_id, step = st.session_state[key]
    lesson = course().lesson(lesson_id) or course().lessons[0]
    back, forward = st.columns(2)
    if back.button(tr("lesson.back"), key="class_free_back", disabled=step <= 0, width="stretch"):
        step -= 1
    if forward.button(
        tr("lesson.next"),
        key="class_free_next",
        disabled=step >= len(lesson.steps) - 1,
        width="stretch",
    ):
        step += 1
    st.session_state[key] = (lesson.id, step)
    return lesson.id, step


def _question(code: str, me: str, question: Question) -> None:
    answered = st.session_state.setdefault("class_answered", {})
    with st.container(border=True):
        prompt, choices = question.text(lang())  # a lesson check in my language
        st.markdown(f"**{tr('class.question')}** {escape_markdown(prompt)}")
        if question.typed:  # typed by the teacher: shown as typed (there is no translator)
            st.caption(tr("class.teacher_words"))
        mine = answered.get((code, question.question_id))
        if question.revealed:
            right = (
                escape_markdown(choices[int(question.answer)])
                if question.kind == "choice"
                else f"{question.answer:g}"
            )
            st.info(tr("class.answer_was", answer=right), icon="💡")
            if mine is not None:
                (st.success if question.is_correct(mine) else st.error)(
                    tr("class.you_right") if question.is_correct(mine) else tr("class.you_wrong")
                )
            return
        if mine is not None:
            st.success(tr("class.answer_recorded"), icon="📨")
            return
        with st.form(f"class_answer_{question.question_id}"):
            if question.kind == "choice":
                options = tuple(escape_markdown(option) for option in choices)
                value = st.radio(
                    tr("lesson.your_answer"),
                    range(len(options)),
                    format_func=lambda k: options[k],
                    index=None,
                )
            else:
                value = st.number_input(tr("lesson.your_answer"), value=None, format="%.4g")
            sent = st.form_submit_button(tr("class.send"), type="primary")
        if sent and value is None:
            st.warning(tr("lesson.enter_answer"), icon="✏️")
        elif sent:
            try:
                class_store().submit(code, me, question.question_id, float(value))
            except MessageError as error:
                st.error(error.text(lang()), icon="⚠️")
                if error.key != "class.error.answered":
                    return
            answered[(code, question.question_id)] = float(value)
            st.rerun()


def student_view(code: str, me: str) -> None:
    """The student's page in class ``code`` (``me`` is checked by the caller)."""
    store = class_store()
    state = store.state(code)
    if state is None:
        st.error(tr("class.error.unknown_code"), icon="⚠️")
        return
    if state.mode == "free":
        st.info(tr("class.free_student"), icon="🧭")
        lesson_id, index = _free_step(state)
    else:
        st.caption(tr("class.following"))
        lesson_id, index = state.lesson, state.step
    lesson = course().lesson(lesson_id) or course().lessons[0]
    index = min(index, len(lesson.steps) - 1)
    st.caption(
        tr("lesson.step_of", n=index + 1, total=len(lesson.steps))
        + f" · {lesson.title.get(lang())}"
    )
    show_narration(lesson, index)
    show_interactive(lesson.steps[index].show, f"class_s_{lesson.id}_{index}")
    explore_link(lesson.steps[index].show, lesson.steps[index].explore)
    if state.question_id:
        question = store.question(code, state.question_id)
        if question is not None:
            _question(code, me, question)
    _follow(code, me, state.version, lesson.id, index)
