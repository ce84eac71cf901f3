"""What the live class's pages compute from the store: the join rate limit, the answer
histogram with the fraction correct, and the dashboard's connected / stuck students."""

from __future__ import annotations

from cnnviz.teach import (
    CONNECTED_SECONDS,
    JOIN_ATTEMPTS,
    JOIN_WINDOW_SECONDS,
    Answer,
    Question,
    Student,
    allow_join,
    answer_histogram,
    class_pulse,
)

CHOICE = Question(1, "choice", "Which?", ("A", "B", "C"), 1.0, 0.0, False, 0.0)
NUMBER = Question(2, "number", "How many?", (), 6.0, 0.0, False, 0.0)


def _answers(question: Question, values: list[float]) -> list[Answer]:
    return [
        Answer(question.question_id, f"s{k}", v, question.is_correct(v), float(k))
        for k, v in enumerate(values)
    ]


def test_joins_are_limited_per_window() -> None:
    attempts: tuple[float, ...] = ()
    for k in range(JOIN_ATTEMPTS):
        allowed, attempts = allow_join(attempts, 100.0 + k)
        assert allowed
    allowed, attempts = allow_join(attempts, 100.0 + JOIN_ATTEMPTS)
    assert not allowed and len(attempts) == JOIN_ATTEMPTS
    allowed, _ = allow_join(attempts, 100.0 + JOIN_WINDOW_SECONDS + JOIN_ATTEMPTS)
    assert allowed  # the window moved on


def test_choice_histogram_counts_every_option_and_the_fraction_correct() -> None:
    histogram = answer_histogram(CHOICE, _answers(CHOICE, [0, 1, 1, 2, 1]))
    assert histogram.labels == ("A", "B", "C") and histogram.counts == (1, 3, 1)
    assert histogram.correct_bar == 1 and histogram.fraction_correct == 3 / 5


def test_number_histogram_keeps_the_right_value_among_its_bars() -> None:
    values = [float(v) for v in range(20)] * 2  # 20 distinct wrong-or-right values, twice each
    histogram = answer_histogram(NUMBER, _answers(NUMBER, values))
    assert len(histogram.labels) <= 12 and "6" in histogram.labels
    assert histogram.counts[histogram.correct_bar] == 2 and histogram.total == 40
    empty = answer_histogram(NUMBER, [])
    assert empty.total == 0 and empty.fraction_correct == 0.0 and empty.labels == ("6",)


def test_pulse_counts_connected_students_and_the_stuck_ones() -> None:
    now = 1000.0
    students = [
        Student("a", "Ann", "pooling", 1, 0.0, now - 1),
        Student("b", "", "pooling", 1, 0.0, now - 2),
        Student("c", "Cy", "pooling", 2, 0.0, now - 3),
        Student("d", "Gone", "pooling", 0, 0.0, now - CONNECTED_SECONDS - 1),
    ]
    answers = [
        Answer(1, "a", 1.0, True, now),
        Answer(1, "b", 0.0, False, now),
    ]
    pulse = class_pulse(students, answers, now)
    assert (pulse.joined, pulse.connected, pulse.answered) == (4, 3, 2)
    assert pulse.on_step == (("pooling", 1, 2), ("pooling", 2, 1))
    assert pulse.stuck == ("b", "Cy")  # a wrong answer (no nickname: a short id) and no answer
    assert class_pulse(students, None, now).stuck == ()
