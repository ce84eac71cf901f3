"""Lessons: the guided course in order (each lesson's steps, with the learner's progress), the
syllabus mapping every concept of the source articles to the lesson step that teaches it and the
page that explores it, and the lesson files that have errors (the other lessons still run).

The lessons are data (``cnnviz/teach/lessons/*.toml``, README "Writing a lesson")."""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import CONCEPTS, link_path
from pages.shared.links import registered_pages
from pages.shared.session import lang, tr, use_router
from pages.teach.step import CLASS_PAGE, course, lesson_link

use_router()

COURSE = course()
visited = st.session_state.get("lesson_visited", set())
results = st.session_state.get("lesson_results", {})

st.title(tr("lessons.title"))
st.markdown(tr("lessons.intro"))
st.page_link(CLASS_PAGE, label=tr("lessons.to_class"), icon="🧑‍🏫")

for number, lesson in enumerate(COURSE.lessons, start=1):
    seen = sum((lesson.id, k) in visited for k in range(len(lesson.steps)))
    with st.container(border=True):
        head, progress = st.columns([3, 1], vertical_alignment="center")
        head.markdown(f"#### {number}. {lesson.title.get(lang())}")
        progress.progress(
            seen / len(lesson.steps),
            text=tr("lessons.progress", seen=seen, total=len(lesson.steps)),
        )
        st.caption(lesson.summary.get(lang()))
        columns = st.columns(min(len(lesson.steps), 4))
        for index, step in enumerate(lesson.steps):
            right = results.get(f"lesson_{lesson.id}_{index}")
            mark = (
                "✅ "
                if right is not None and right[1].correct
                else ("👁 " if (lesson.id, index) in visited else "")
            )
            with columns[index % len(columns)]:
                lesson_link(lesson, index, f"{mark}{index + 1}. {step.title.get(lang())}")

st.header(tr("syllabus.title"), anchor="syllabus")
st.markdown(tr("syllabus.intro"))
pages = registered_pages()
homes = COURSE.homes()
rows = []
for key, concept in CONCEPTS.items():
    home = homes.get(key)
    where = tr("syllabus.no_home")
    if home is not None:
        lesson, index = home
        number = COURSE.lessons.index(lesson) + 1
        title = lesson.steps[index].title.get(lang())
        where = f"[{number}.{index + 1} {title}](lesson?l={lesson.id}&s={index + 1}&lang={lang()})"
    path = link_path(concept, pages)
    explorer = pages[path].title if path in pages else "—"
    rows.append(f"| {tr(concept.label_key)} | {where} | {explorer} |")
st.markdown(
    "\n".join(
        [
            f"| {tr('syllabus.concept')} | {tr('syllabus.step')} | {tr('syllabus.explorer')} |",
            "|---|---|---|",
            *rows,
        ]
    )
)

if COURSE.errors:
    st.subheader(tr("syllabus.errors_title"))
    st.caption(tr("syllabus.errors_intro"))
    for error in COURSE.errors:
        st.error(error.text(lang()), icon="⚠️")
