"""A step's check question with instant feedback: the answer cnnviz computed from the step's
state (``cnnviz.teach.step_question``), checked with the Practice page's machinery
(``cnnviz.teach.check_step``: the worked formula after each answer). Not a page."""

from __future__ import annotations

import streamlit as st

from cnnviz.teach import Step, check_step, step_question
from pages.shared.session import lang, tr

__all__ = ["show_check"]


def show_check(step: Step, key: str) -> bool | None:
    """The question and its feedback; True/False once answered in this session, None before."""
    question = step_question(step, lang())
    if question is None:
        return None
    results = st.session_state.setdefault("lesson_results", {})
    with st.container(border=True):
        st.markdown(f"**{tr('lesson.check_title')}** {question.prompt}")
        with st.form(key=f"{key}_form"):
            if question.kind == "choice":
                value = st.radio(
                    tr("lesson.your_answer"),
                    range(len(question.options)),
                    format_func=lambda k, options=question.options: options[k],
                    index=None,
                    key=f"{key}_choice",
                )
            else:
                value = st.number_input(
                    tr("lesson.your_answer"),
                    value=None,
                    step=10.0**-question.decimals if question.decimals else 1.0,
                    format=f"%.{question.decimals}f",
                    key=f"{key}_number",
                )
            submitted = st.form_submit_button(tr("lesson.check"), type="primary")
        if submitted and value is None:
            st.warning(tr("lesson.enter_answer"), icon="✏️")
        elif submitted:
            results[key] = (float(value), check_step(question, float(value)))
        if key not in results:
            return None
        _, feedback = results[key]
        if feedback.correct:
            st.success(tr("lesson.correct"), icon="🎉")
        else:
            st.error(tr("lesson.wrong"), icon="🤔")
        worked = feedback.formula if feedback.correct else feedback.solution
        if worked:
            st.code(worked, language=None)
        return bool(feedback.correct)
