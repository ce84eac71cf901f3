"""Live class: a teacher starts a class and drives it; students join with the code and follow.

Who is who lives in the URL: ``/class?code=CODE&key=SECRET`` is the teacher's link (only the
secret drives the class: ``cnnviz.teach`` checks it on every change), ``/class?join=CODE`` joins
and ``/class?join=CODE&me=ID`` is a joined student. Everything the class holds is in the store
(SQLite in the data folder), so a closed tab or a server restart loses nothing: the same link
resumes. The teacher's side is ``class_teacher``, the student's ``class_student``."""

from __future__ import annotations

import streamlit as st

from cnnviz.i18n import MessageError
from pages.shared.session import lang, tr, use_router
from pages.teach.class_state import class_store, store_reachable
from pages.teach.class_student import join_form, student_view
from pages.teach.class_teacher import teacher_view
from pages.teach.step import course

use_router()

LANG = lang()  # captured once per run: format_func lambdas must not read the session later
params = st.query_params
code = str(params.get("code") or params.get("join") or "").strip().upper()[:12]


def _start() -> None:
    try:
        new_code, secret = class_store().create_class(st.session_state["class_start_lesson"], 0)
    except MessageError as error:
        st.session_state["class_start_error"] = error.text(lang())
        return
    st.query_params.clear()
    st.query_params.update({"code": new_code, "key": secret})


with store_reachable():  # Redis down: a clear message, no traceback
    store = class_store()
    if "key" in params:
        st.title(tr("class.teacher_title"))
        if store.is_teacher(code, str(params.get("key"))):
            teacher_view(code, str(params.get("key")))
            st.stop()
        known = store.state(code) is not None
        st.error(tr("class.error.not_teacher" if known else "class.error.unknown_code"), icon="⚠️")
    elif "join" in params:
        st.title(tr("class.student_title", code=code))
        me = str(params.get("me", ""))[:64]
        if store.state(code) is None:
            st.error(tr("class.error.unknown_code"), icon="⚠️")
            join_form("")
            st.stop()
        if me and any(student.student_id == me for student in store.students(code)):
            student_view(code, me)
            st.stop()
        if me:
            st.warning(tr("class.join_again"), icon="↩️")
        join_form(code)
        st.stop()
    else:
        st.title(tr("class.title"))
        st.markdown(tr("class.intro"))

teach, join = st.columns(2, gap="large")
with teach, st.container(border=True):
    st.subheader(tr("class.start_title"))
    lessons = course().lessons
    st.selectbox(
        tr("class.lesson"),
        [lesson.id for lesson in lessons],
        format_func=lambda lesson_id, language=LANG: course().lesson(lesson_id).title.get(language),  # type: ignore[union-attr]
        key="class_start_lesson",
    )
    st.button(tr("class.start"), key="class_start", on_click=_start, type="primary")
    if "class_start_error" in st.session_state:
        st.error(st.session_state.pop("class_start_error"), icon="⚠️")
with join, st.container(border=True):
    st.subheader(tr("class.join_title"))
    join_form("")
