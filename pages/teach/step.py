"""One lesson step on a page: its narration, its interactive and the link to its explorer.

The interactive is the explorer's own figure, set to the step's state and drawn by the explorer's
figure function from ``cnnviz.viz`` (the conv and pooling steppers, the Build page's network
diagram, the worked example's softmax bars, and every other explorer's figure through
``pages.teach.explore``); the stepper's position slider, and each explorer's one or two controls,
let the learner play with it. "Open in the full page" goes to the explorer of the step's first concept
(``cnnviz.lessons.link_path``: its own page once it exists, the closest page until then), with
the network in the link for a Build step. Used by the lesson page and the live class. Not a page.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import CONCEPTS, ConvStepper, PoolStepper, link_path
from cnnviz.net import NetSummary, encode_share, get_preset
from cnnviz.teach import (
    Course,
    Lesson,
    Show,
    conv_state,
    load_course,
    net_state,
    pool_state,
    position_cell,
    softmax_state,
)
from cnnviz.viz import conv_stepper_figure, network_diagram, pool_stepper_figure, softmax_figure
from pages.shared.charts import STATIC_CONFIG
from pages.shared.links import registered_pages
from pages.shared.presenter import chart, presenting
from pages.shared.session import lang, tr
from pages.teach.explore import EXPLORER_KINDS, show_explorer

__all__ = [
    "CLASS_PAGE",
    "COURSE_PAGE",
    "LESSON_PAGE",
    "course",
    "explore_link",
    "lesson_link",
    "show_interactive",
    "show_narration",
]

#: The teaching pages, by file (as app.py registers them).
COURSE_PAGE = "pages/teach/course.py"
LESSON_PAGE = "pages/teach/lesson.py"
CLASS_PAGE = "pages/teach/classroom.py"


@st.cache_resource(ttl=60, show_spinner=False)
def course() -> Course:
    """The course, re-read from the lesson files at most once a minute (a teacher may add one)."""
    return load_course()


@st.cache_resource(max_entries=64, show_spinner=False)
def _conv(show: Show) -> ConvStepper:
    return conv_state(show)


@st.cache_resource(max_entries=64, show_spinner=False)
def _pool(show: Show) -> PoolStepper:
    return pool_state(show)


@st.cache_resource(max_entries=16, show_spinner=False)
def _net(show: Show) -> NetSummary:
    return net_state(show)


def show_narration(lesson: Lesson, index: int) -> None:
    """The step's title and narration in the session's language."""
    step = lesson.steps[index]
    st.subheader(step.title.get(lang()))
    st.markdown(step.narration.get(lang()))


def _position(show: Show, output_hw: tuple[int, int], key: str) -> tuple[int, int]:
    """The output cell: the step's position, or the one the learner moved the slider to."""
    height, width = output_hw
    start = position_cell(output_hw, int(show.get("position")))
    count = height * width
    if count <= 1:
        return start
    flat = st.slider(
        tr("lesson.position", count=count),
        0,
        count - 1,
        value=start[0] * width + start[1],
        key=key,
    )
    return divmod(int(flat), width)


def show_interactive(show: Show, key: str) -> None:
    """The step's interactive (``key`` keeps its widgets apart from other steps')."""
    language = lang()
    height = 420 if presenting() else None
    if show.kind == "conv":
        stepper = _conv(show)
        out = stepper.first.output
        i, j = _position(show, (int(out.shape[1]), int(out.shape[2])), f"{key}_pos")
        figure = conv_stepper_figure(stepper.step_at(0, i, j), language, animate=False)
    elif show.kind == "pool":
        pooler = _pool(show)
        i, j = _position(show, pooler.out_hw, f"{key}_pos")
        figure = pool_stepper_figure(pooler.step_at(i, j), language, animate=False)
    elif show.kind == "net":
        figure = network_diagram(_net(show), language)
    elif show.kind == "softmax":
        probabilities = softmax_state(show)
        figure = softmax_figure(
            show.get("labels"), probabilities, tr("lesson.softmax_title"), language
        )
    elif show.kind in EXPLORER_KINDS:
        show_explorer(show, key)
        return
    else:
        return
    if height is not None:
        figure.update_layout(height=height)
    chart(figure, key=f"{key}_figure", config=STATIC_CONFIG)


def explore_link(show: Show, concept: str, *, label_key: str = "lesson.open_full") -> None:
    """A link to the explorer of ``concept`` (with the network in the link for a Build step)."""
    pages = registered_pages()
    path = link_path(CONCEPTS[concept], pages)
    if path is None or path not in pages:
        return
    page = pages[path]
    params = None
    if show.kind == "net" and path == "build":
        params = {"net": encode_share(get_preset(str(show.get("preset"))))}
    st.page_link(
        page.script_path,
        label=tr(label_key, page=page.title),
        icon=page.icon or None,
        query_params=params,
    )


def lesson_link(lesson: Lesson, index: int, label: str) -> None:
    """A link to step ``index`` (0-based) of ``lesson`` on the lesson page."""
    st.page_link(LESSON_PAGE, label=label, query_params={"l": lesson.id, "s": str(index + 1)})
