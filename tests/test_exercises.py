"""Practice exercises: deterministic, answers agree with real PyTorch modules, any valid pick accepted."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from cnnviz.i18n import CATALOG, t
from cnnviz.lessons import (
    EXERCISE_KINDS,
    MAX_PICK_PADDING,
    MAX_PICK_STRIDE,
    check_answer,
    make_exercise,
)
from cnnviz.net import SpecError

torch.set_num_threads(1)
SEEDS = range(25)


@pytest.mark.parametrize("kind", EXERCISE_KINDS)
def test_exercises_are_deterministic_and_varied(kind: str) -> None:
    assert make_exercise(kind, 3) == make_exercise(kind, 3)
    assert len({str(make_exercise(kind, s).params) for s in SEEDS}) > 10
    for lang in ("en", "zh"):
        text = t(f"practice.prompt.{kind}", lang, **make_exercise(kind, 0).params)
        assert text and "{" not in text


@pytest.mark.parametrize("seed", SEEDS)
def test_conv_size_answer_is_what_nn_conv2d_produces(seed: int) -> None:
    ex = make_exercise("conv_size", seed)
    q = ex.params
    conv = nn.Conv2d(1, 1, q["k"], stride=q["s"], padding=q["p"], dilation=q["d"])
    with torch.no_grad():
        out = conv(torch.zeros(1, 1, q["n"], q["n"]))
    assert out.shape[-1] == ex.answer
    feedback = check_answer(ex, out.shape[-1])
    assert feedback.correct
    assert feedback.formula.endswith(f"= {ex.answer}")
    assert not check_answer(ex, out.shape[-1] + 1).correct


@pytest.mark.parametrize("seed", SEEDS)
def test_pool_size_answer_is_what_nn_maxpool2d_produces(seed: int) -> None:
    ex = make_exercise("pool_size", seed)
    q = ex.params
    out = nn.MaxPool2d(q["k"], q["s"], q["p"])(torch.zeros(1, 1, q["n"], q["n"]))
    assert out.shape[-1] == ex.answer
    assert check_answer(ex, ex.answer).correct
    assert not check_answer(ex, ex.answer - 1).correct


@pytest.mark.parametrize("seed", SEEDS)
def test_conv_params_answer_counts_real_parameters(seed: int) -> None:
    ex = make_exercise("conv_params", seed)
    q = ex.params
    conv = nn.Conv2d(q["in_channels"], q["out_channels"], q["k"], bias=q["bias"])
    assert sum(p.numel() for p in conv.parameters()) == ex.answer
    feedback = check_answer(ex, ex.answer)
    assert feedback.correct and feedback.solution.endswith(f"= {ex.answer}")


@pytest.mark.parametrize("seed", SEEDS)
def test_pick_padding_stride_accepts_every_valid_answer(seed: int) -> None:
    ex = make_exercise("pick_padding_stride", seed)
    q = ex.params
    assert check_answer(ex, ex.answer).correct  # the pair used to make the task
    valid = 0
    for p in range(MAX_PICK_PADDING + 1):
        for s in range(1, MAX_PICK_STRIDE + 1):
            size = q["n"] + 2 * p - q["k"]
            if size < 0:
                assert not check_answer(ex, (p, s)).correct
                continue
            with torch.no_grad():
                real = nn.Conv2d(1, 1, q["k"], stride=s, padding=p)(
                    torch.zeros(1, 1, q["n"], q["n"])
                )
            expected = real.shape[-1] == q["target"]
            feedback = check_answer(ex, (p, s))
            assert feedback.correct == expected, (p, s)
            valid += expected
            if expected:
                assert feedback.formula.endswith(f"= {q['target']}")
    assert valid >= 1


def test_pick_padding_stride_has_alternatives_that_are_accepted() -> None:
    # Several tasks have more than one answer: e.g. n=28, k=3 -> 14 works with (p=1, s=2) and (p=0, s=2).
    found = False
    for seed in range(200):
        ex = make_exercise("pick_padding_stride", seed)
        answers = [
            (p, s)
            for p in range(MAX_PICK_PADDING + 1)
            for s in range(1, MAX_PICK_STRIDE + 1)
            if check_answer(ex, (p, s)).correct
        ]
        if len(answers) > 1:
            found = True
            assert ex.answer in answers
            break
    assert found


@pytest.mark.parametrize("bad", [None, "3", 2.5, True, (1,), (1, "2"), (-1, 1), (0, 0), (99, 1)])
def test_malformed_answers_are_wrong_not_errors(bad: object) -> None:
    for kind in EXERCISE_KINDS:
        feedback = check_answer(make_exercise(kind, 1), bad)  # type: ignore[arg-type]
        assert not feedback.correct
        assert feedback.solution


def test_unknown_kind_raises_a_problem() -> None:
    with pytest.raises(SpecError, match="unknown exercise"):
        make_exercise("backprop", 0)
    assert "problem.step_bad_exercise" in CATALOG
