"""Lesson: one step of a guided lesson, with its narration, its live interactive, its check
question and Back/Next. Progress lives in the URL (``/lesson?l=pooling&s=2``, ``s`` counting from
1), so a learner can resume and a teacher can hand out a link to any step; the arrow keys move
between steps (Streamlit's button shortcuts). In presenter mode the narration and the figure sit
side by side and the buttons are big."""

from __future__ import annotations

import streamlit as st

from pages.shared.presenter import presenting
from pages.shared.session import lang, tr, use_router
from pages.teach.check import show_check
from pages.teach.step import (
    COURSE_PAGE,
    course,
    explore_link,
    show_interactive,
    show_narration,
)

use_router()

COURSE = course()
asked = str(st.query_params.get("l", "")) or (COURSE.lessons[0].id if COURSE.lessons else "")
lesson = COURSE.lesson(asked)
if lesson is None:
    st.title(tr("lesson.title"))
    st.error(tr("lesson.unknown", name=asked[:60]), icon="⚠️")
    st.page_link(COURSE_PAGE, label=tr("lesson.all_lessons"), icon="📖")
    st.stop()

try:
    wanted = int(str(st.query_params.get("s", "1")))
except ValueError:
    wanted = 1
index = min(max(wanted, 1), len(lesson.steps)) - 1
if st.query_params.get("s") != str(index + 1) or st.query_params.get("l") != lesson.id:
    st.query_params.update({"l": lesson.id, "s": str(index + 1)})  # a bad step number is fixed
step = lesson.steps[index]
number = COURSE.lessons.index(lesson) + 1


def _go(to: int) -> None:
    st.query_params["s"] = str(to + 1)


def _nav(big: bool) -> None:
    """Back, where we are, Next (in presenter mode: the progress above two big buttons)."""
    progress = tr("lesson.step_of", n=index + 1, total=len(lesson.steps))
    if big:
        st.progress((index + 1) / len(lesson.steps), text=progress)
        back, forward = st.columns(2)
    else:
        back, where, forward = st.columns([1, 2, 1], vertical_alignment="center")
        where.progress((index + 1) / len(lesson.steps), text=progress)
    back.button(
        tr("lesson.back"),
        key="lesson_back",
        on_click=_go,
        args=(index - 1,),
        disabled=index == 0,
        shortcut="Left",
        width="stretch",
        icon="⬅️",
    )
    forward.button(
        tr("lesson.next"),
        key="lesson_next",
        on_click=_go,
        args=(index + 1,),
        disabled=index == len(lesson.steps) - 1,
        shortcut="Right",
        width="stretch",
        type="primary",
        icon="➡️",
    )


visited = st.session_state.setdefault("lesson_visited", set())
visited.add((lesson.id, index))
key = f"lesson_{lesson.id}_{index}"

if presenting():
    st.markdown(f"### {number}. {lesson.title.get(lang())}")
    words, figure = st.columns([2, 3], gap="medium")
    with words:
        show_narration(lesson, index)
        _nav(big=True)
        explore_link(step.show, step.explore)
    with figure:
        show_interactive(step.show, key)
    show_check(step, key)
else:
    st.title(f"{number}. {lesson.title.get(lang())}")
    st.caption(lesson.summary.get(lang()))
    _nav(big=False)
    show_narration(lesson, index)
    show_interactive(step.show, key)
    explore_link(step.show, step.explore)
    show_check(step, key)
    st.page_link(COURSE_PAGE, label=tr("lesson.all_lessons"), icon="📖")
