"""Practice: seeded exercises on output sizes, padding/stride choice and parameter counts, with
instant feedback and the worked formula from ``cnnviz.lessons.exercises``. A wrong answer gets a
hint and another try; the solution shows on request (the first answer is the one scored)."""

from __future__ import annotations

import streamlit as st

from cnnviz.i18n import t
from cnnviz.lessons import (
    EXERCISE_KINDS,
    MAX_PICK_PADDING,
    MAX_PICK_STRIDE,
    Exercise,
    Feedback,
    check_answer,
    make_exercise,
)
from cnnviz.viz import window_positions_figure
from pages.shared.session import lang, tr, use_router

use_router()

LANG = lang()  # captured once per run: format_func lambdas must not read session state later


def _state() -> tuple[dict[str, int], dict[str, int], dict[tuple[str, int], bool]]:
    seeds = st.session_state.setdefault("practice_seeds", {kind: 0 for kind in EXERCISE_KINDS})
    score = st.session_state.setdefault("practice_score", {"correct": 0, "answered": 0})
    scored = st.session_state.setdefault("practice_scored", {})
    return seeds, score, scored


def _new_exercise() -> None:
    kind = st.session_state.get("practice_kind", EXERCISE_KINDS[0])
    st.session_state["practice_seeds"][kind] += 1


def _positions(exercise: Exercise, answer_pair: object) -> None:
    """Draw the window positions behind the formula (for the learner's own padding and stride)."""
    q = exercise.params
    if exercise.kind == "conv_size":
        args = (q["n"], q["k"], q["s"], q["p"], q["p"], q["d"])
    elif exercise.kind == "pool_size":
        args = (q["n"], q["k"], q["s"], q["p"], q["p"], 1)
    elif exercise.kind == "pick_padding_stride" and isinstance(answer_pair, tuple):
        padding, stride = answer_pair
        args = (q["n"], q["k"], stride, padding, padding, 1)
    else:
        return
    figure = window_positions_figure(*args, lang=LANG)
    if figure is None:
        st.caption(tr("practice.too_big_to_draw"))
        return
    st.plotly_chart(
        figure, width="stretch", config={"displayModeBar": False}, key="practice_positions"
    )
    st.caption(tr("practice.positions_caption"))


def _prompt(exercise: Exercise) -> str:
    params = dict(exercise.params)
    if "bias" in params:
        params["bias"] = tr("practice.with_bias") if params["bias"] else tr("practice.without_bias")
    return tr(f"practice.prompt.{exercise.kind}", **params)


seeds, score, scored = _state()
st.title(tr("practice.title"))
st.caption(tr("practice.intro"))
col1, col2, col3 = st.columns([4.4, 0.8, 1.2])
with col1:
    kind = st.radio(
        tr("practice.kind"),
        EXERCISE_KINDS,
        format_func=lambda k, language=LANG: t(f"practice.kind_{k}", language),
        key="practice_kind",
        horizontal=True,
    )
col2.metric(tr("practice.score"), f"{score['correct']} / {score['answered']}")
col3.button(tr("practice.new"), key="practice_new", on_click=_new_exercise, width="stretch")

exercise = make_exercise(kind, seeds[kind])
st.subheader(tr("practice.exercise_n", n=seeds[kind] + 1))
st.markdown(_prompt(exercise))
tag = f"{kind}_{seeds[kind]}"
# the answer and its feedback side by side: one projector screen
answer_col, feedback_col = st.columns(2)
with answer_col, st.form(key=f"practice_form_{tag}"):
    if kind == "pick_padding_stride":
        col1, col2 = st.columns(2)
        padding = col1.number_input(
            tr("practice.padding"), 0, MAX_PICK_PADDING, value=None, step=1, key=f"practice_p_{tag}"
        )
        stride = col2.number_input(
            tr("practice.stride"), 1, MAX_PICK_STRIDE, value=None, step=1, key=f"practice_s_{tag}"
        )
        answer: object = None if padding is None or stride is None else (int(padding), int(stride))
    else:
        value = st.number_input(
            tr("practice.answer"), 0, 10**9, value=None, step=1, key=f"practice_a_{tag}"
        )
        answer = None if value is None else int(value)
    submitted = st.form_submit_button(tr("practice.check"), type="primary")

if submitted:
    if answer is None:
        feedback_col.warning(tr("practice.enter_answer"), icon="✏️")
    else:
        feedback = check_answer(exercise, answer)  # type: ignore[arg-type]
        key = (kind, seeds[kind])
        if key not in scored:  # the first answer to an exercise counts
            scored[key] = feedback.correct
            score["answered"] += 1
            score["correct"] += int(feedback.correct)
        st.session_state["practice_feedback"] = (key, feedback, answer)
        st.rerun()


def _reveal(key: tuple[str, int]) -> None:
    st.session_state.setdefault("practice_revealed", set()).add(key)


def _verdict(feedback: Feedback, key: tuple[str, int], revealed: bool) -> None:
    """Right, or a second try before the reveal (the hint, the learner's own choice, one click
    to reveal), or the worked solution."""
    if feedback.correct:
        st.success(tr("practice.correct"), icon="🎉")
        st.code(feedback.formula, language=None)
    elif not revealed:
        st.error(tr("practice.try_again"), icon="🤔")
        if kind == "pick_padding_stride" and feedback.formula:
            st.markdown(tr("practice.your_choice"))
            st.code(feedback.formula, language=None)
        st.caption(tr(f"practice.hint_{kind}"))
        st.button(tr("practice.reveal"), key="practice_reveal", on_click=_reveal, args=(key,))
        return
    else:
        st.error(tr("practice.wrong"), icon="🤔")
        if kind == "pick_padding_stride" and feedback.formula:
            st.markdown(tr("practice.your_choice"))
            st.code(feedback.formula, language=None)
            st.markdown(tr("practice.one_solution"))
        else:
            st.markdown(tr("practice.worked"))
        st.code(feedback.solution, language=None)
    st.caption(tr(f"practice.hint_{kind}"))


last = st.session_state.get("practice_feedback")
if last is not None and last[0] == (kind, seeds[kind]):
    feedback = last[1]
    revealed = last[0] in st.session_state.get("practice_revealed", set())
    with feedback_col:  # the verdict beside the form
        _verdict(feedback, last[0], revealed)
    if feedback.correct or revealed or kind == "pick_padding_stride":
        _positions(exercise, answer_pair=last[2])  # the positions give the size away
