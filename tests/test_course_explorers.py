"""Lesson steps that show an explorer's figure: each kind's settings parse (good and bad, the error
naming the file, step and field), the states come from the explorers' own functions, and the new
computed check questions (a loss value, an activation's slope) match PyTorch."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnviz.compress import MAX_SPARSITY
from cnnviz.concepts import default_lr
from cnnviz.teach import (
    SHOW_KINDS,
    LessonError,
    check_step,
    init_spec,
    load_course,
    loss_state,
    parse_lesson,
    prune_state,
    race_state,
    readout_state,
    scenario_state,
    schedule_state,
    step_question,
)

COURSE = load_course()
HEAD = """
id = "demo"
title = { en = "Demo", zh = "演示" }
summary = { en = "A demo.", zh = "一个演示。" }
[[steps]]
title = { en = "Step", zh = "步骤" }
narration = { en = "Look.", zh = "看。" }
concepts = ["activations"]
[steps.show]
"""
#: One good ``[steps.show]`` body per explorer kind, and the settings it must parse to.
GOOD: dict[str, tuple[str, dict[str, object]]] = {
    "stage": ('kind = "stage"\nstage = "pool1"', {"stage": "pool1"}),
    "activation": (
        'kind = "activation"\nfunctions = ["relu", "tanh"]\ncursor = -1.5',
        {"functions": ("relu", "tanh"), "cursor": -1.5},
    ),
    "gradients": (
        'kind = "gradients"\nactivation = "relu"\ndepth = 12',
        {"activation": "relu", "depth": 12, "init": "default"},
    ),
    "loss": (
        'kind = "loss"\nlogits = [1, 2.5, -1]\ntarget = 1',
        {"logits": (1.0, 2.5, -1.0), "target": 1},
    ),
    "optimizer": (
        'kind = "optimizer"\nsurface = "rosenbrock"\nracers = ["adam"]\nsteps = 50',
        {"surface": "rosenbrock", "racers": ("adam",), "steps": 50},
    ),
    "schedule": (
        'kind = "schedule"\nlr = 0.05\nepochs = 6\nschedules = ["cosine"]',
        {"optimizer": "sgd", "lr": 0.05, "epochs": 6, "schedules": ("cosine",)},
    ),
    "init": (
        'kind = "init"\nscheme = "he"\nactivation = "relu"\nview = "grad"',
        {"scheme": "he", "activation": "relu", "view": "grad"},
    ),
    "scenario": ('kind = "scenario"\nscenario = "underfit"', {"scenario": "underfit"}),
    "prune": (
        'kind = "prune"\npreset = "tiny"\nmethod = "layer"\nsparsity = 0.3',
        {"preset": "tiny", "method": "layer", "sparsity": 0.3},
    ),
}
#: A bad body per kind and the field its error must name.
BAD: list[tuple[str, str, str]] = [
    ('kind = "stage"\nstage = "dessert"', "lesson.error.bad_choice", "stage"),
    ('kind = "activation"\nfunctions = ["relu", "relu"]', "lesson.error.bad_names", "functions"),
    ('kind = "activation"\nfunctions = ["swish"]', "lesson.error.bad_names", "functions"),
    ('kind = "activation"\ncursor = 60', "lesson.error.bad_real", "cursor"),
    ('kind = "gradients"\ndepth = 1', "lesson.error.bad_number", "depth"),
    ('kind = "loss"\nlogits = [1]', "lesson.error.bad_list", "logits"),
    ('kind = "loss"\nlogits = [1, 2]\ntarget = 2', "lesson.error.bad_number", "target"),
    ('kind = "loss"\nlogits = [1, 99]', "lesson.error.bad_list", "logits"),
    ('kind = "optimizer"\nracers = []', "lesson.error.bad_names", "racers"),
    ('kind = "optimizer"\nsurface = "moon"', "lesson.error.bad_choice", "surface"),
    ('kind = "schedule"\nlr = "fast"', "lesson.error.bad_real", "lr"),
    ('kind = "schedule"\nschedules = ["warp"]', "lesson.error.bad_names", "schedules"),
    ('kind = "init"\nscheme = "lucky"', "lesson.error.bad_choice", "scheme"),
    ('kind = "scenario"', "lesson.error.bad_choice", "scenario"),
    ('kind = "scenario"\nscenario = "overfitting"', "lesson.error.bad_choice", "scenario"),
    ('kind = "prune"\nsparsity = 0.99', "lesson.error.bad_real", "sparsity"),
    ('kind = "prune"\nmethod = "chainsaw"', "lesson.error.bad_choice", "method"),
]


def _lesson(show: str, check: str = ""):  # type: ignore[no-untyped-def]
    return parse_lesson(HEAD + show + "\n" + check, "demo.toml")


@pytest.mark.parametrize("kind", list(GOOD))
def test_each_explorer_kind_parses_its_settings(kind: str) -> None:
    assert kind in SHOW_KINDS
    body, expected = GOOD[kind]
    show = _lesson(body).steps[0].show
    assert show.kind == kind
    assert {name: show.get(name) for name in expected} == expected


@pytest.mark.parametrize(("body", "key", "field"), BAD)
def test_bad_settings_name_the_file_step_and_field(body: str, key: str, field: str) -> None:
    with pytest.raises(LessonError) as caught:
        _lesson(body)
    error = caught.value
    assert (error.key, error.params["file"], error.params["step"], error.params["field"]) == (
        key, "demo.toml", "1", field,
    )  # fmt: skip
    assert "demo.toml" in error.text("en") and "demo.toml" in error.text("zh")


def test_no_shipped_step_is_a_bare_page_link_any_more() -> None:
    kinds = {step.show.kind for lesson in COURSE.lessons for step in lesson.steps}
    assert "page" not in kinds
    assert {"stage", "activation", "loss", "optimizer", "schedule", "init", "scenario"} <= kinds


def test_a_loss_check_is_the_cross_entropy_of_pytorch() -> None:
    lesson = _lesson(
        GOOD["loss"][0],
        '[steps.check]\nkind = "loss"\nprompt = { en = "Loss at p = {p}?", zh = "p = {p} 时的损失?" }',
    )
    question = step_question(lesson.steps[0], "zh")
    expected = float(F.cross_entropy(torch.tensor([[1.0, 2.5, -1.0]]), torch.tensor([1])))
    assert question is not None and question.answer == pytest.approx(expected)
    assert question.prompt.startswith("p = 0.")
    assert check_step(question, round(expected, 2)).correct
    assert not check_step(question, round(expected, 2) + 0.02).correct


def test_a_loss_check_on_a_softmax_step_uses_the_checks_target() -> None:
    body = 'kind = "softmax"\nlogits = [0.0, 1.0]'
    check = '[steps.check]\nkind = "loss"\ntarget = 1\nprompt = { en = "Loss?", zh = "损失?" }'
    question = step_question(_lesson(body, check).steps[0], "en")
    assert question is not None and question.answer == pytest.approx(math.log(1 + math.exp(-1)))


def test_a_slope_check_is_the_autograd_derivative_at_the_cursor() -> None:
    check = '[steps.check]\nkind = "slope"\nprompt = { en = "Slope at {x}?", zh = "{x} 处的斜率?" }'
    lesson = _lesson('kind = "activation"\nfunctions = ["tanh"]\ncursor = 0.5', check)
    question = step_question(lesson.steps[0], "en")
    x = torch.tensor(0.5, requires_grad=True)
    torch.tanh(x).backward()
    assert question is not None and question.prompt == "Slope at 0.5?"
    assert question.answer == pytest.approx(float(x.grad))  # type: ignore[arg-type]
    assert check_step(question, round(float(x.grad), 2)).correct  # type: ignore[arg-type]
    with pytest.raises(LessonError):
        _lesson('kind = "loss"\nlogits = [1, 2]', check)  # a slope needs an activation step


def test_the_shipped_sigmoid_step_asks_for_its_largest_slope() -> None:
    step = COURSE.lesson("activations").steps[1]  # type: ignore[union-attr]
    question = step_question(step, "en")
    assert question is not None and question.answer == pytest.approx(0.25)


def test_states_come_from_the_explorers_functions() -> None:
    show = _lesson(GOOD["loss"][0]).steps[0].show
    moved = loss_state(show, target_logit=10.0)
    assert moved.loss < loss_state(show).loss and moved.target == 1
    assert readout_state(_lesson(GOOD["activation"][0]).steps[0].show, 2.0)[0].derivative == 1.0
    race = race_state(_lesson(GOOD["optimizer"][0]).steps[0].show)
    assert [r.lr for r in race.racers] == [default_lr("rosenbrock", "adam")]
    assert race.start == race.surface.default_start and race.steps == 50
    curves = schedule_state(_lesson(GOOD["schedule"][0]).steps[0].show)
    assert list(curves) == ["cosine"] and curves["cosine"][0] == pytest.approx(0.05)
    assert init_spec(_lesson(GOOD["init"][0]).steps[0].show, "zeros").scheme == "zeros"
    setup, net = scenario_state("underfit")
    assert setup.width == 0.125 and net.layers


def test_pruning_zeroes_the_smallest_weights() -> None:
    show = _lesson(GOOD["prune"][0]).steps[0].show
    state = prune_state(show)
    assert state.before.shape == state.after.shape
    kept = state.after != 0
    assert sum(layer.zeros for layer in state.layers) == int((~kept).sum())
    assert state.zeros == int((~kept).sum())  # what the lesson's summary line reports
    for layer in state.layers:
        assert layer.fraction == pytest.approx(0.3, abs=0.5 / layer.total + 1e-9)
    assert prune_state(show, MAX_SPARSITY).layers[0].fraction > 0.9
    global_state = prune_state(_lesson('kind = "prune"\npreset = "tiny"').steps[0].show)
    before, after = np.abs(global_state.before), global_state.after
    assert np.mean(after == 0) == pytest.approx(0.5, abs=1e-3)
    assert before[after == 0].max() <= before[after != 0].min()  # the smallest went first
