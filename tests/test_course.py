"""The lesson files: schema, every shipped lesson, check answers computed from the step's state
(against PyTorch), and the syllabus giving every concept of the articles a home."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from cnnviz.lessons import CONCEPTS
from cnnviz.net import build_model, get_preset
from cnnviz.teach import (
    LessonError,
    check_step,
    conv_state,
    load_course,
    parse_lesson,
    pool_state,
    step_question,
)

COURSE = load_course()
ORDER = [
    "convolution", "output-size", "pooling", "worked-example", "classic-nets", "activations",
    "softmax-losses", "optimizers", "init", "training", "overfitting", "inside", "pruning",
]  # fmt: skip

GOOD = """
id = "demo"
order = 1
title = { en = "Demo", zh = "演示" }
summary = { en = "A demo.", zh = "一个演示。" }
[[steps]]
title = { en = "Step", zh = "步骤" }
narration = { en = "Look.", zh = "看。" }
concepts = ["convolution"]
[steps.show]
kind = "conv"
size = 5
kernel = 3
[steps.check]
kind = "output_size"
prompt = { en = "Rows for {n}?", zh = "{n} 的行数?" }
"""


def test_the_thirteen_lessons_load_in_course_order_with_three_checks_each() -> None:
    assert not COURSE.errors, [str(error) for error in COURSE.errors]
    assert [lesson.id for lesson in COURSE.lessons] == ORDER
    for lesson in COURSE.lessons:
        assert lesson.checks >= 3, lesson.id
        for step in lesson.steps:
            assert step.title.en and step.title.zh and step.narration.zh


def test_every_concept_of_the_articles_has_a_home_in_the_syllabus() -> None:
    homes = COURSE.homes()
    missing = sorted(set(CONCEPTS) - set(homes))
    assert not missing, f"concepts without a lesson step: {missing}"
    lesson, index = homes["pooling"]
    assert lesson.id == "pooling" and index == 0


def test_a_good_file_parses() -> None:
    lesson = parse_lesson(GOOD, "demo.toml")
    assert lesson.id == "demo" and lesson.steps[0].show.get("size") == 5
    question = step_question(lesson.steps[0], "zh")
    assert question is not None and question.prompt == "5 的行数?" and question.answer == 3


@pytest.mark.parametrize(
    ("change", "key", "step", "field"),
    [
        (("size = 5", "size = 99"), "lesson.error.bad_number", "1", "size"),
        (('kind = "conv"', 'kind = "movie"'), "lesson.error.bad_choice", "1", "kind"),
        (('["convolution"]', '["magic"]'), "lesson.error.unknown_concept", "1", "concepts"),
        (('zh = "看。"', 'zh = ""'), "lesson.error.bad_text", "1", "narration"),
        (('kind = "output_size"', 'kind = "softmax"'), "lesson.error.check_needs", "1", "kind"),
        (('kind = "output_size"', 'kind = "output_size"\nanswer = 3'), "lesson.error.typed_answer", "1", "answer"),
        (('id = "demo"', 'id = "no spaces"'), "lesson.error.bad_id", "-", "id"),
        (("[[steps]]", "[[steps]"), "lesson.error.bad_toml", "-", "-"),
    ],
)  # fmt: skip
def test_errors_name_the_file_step_and_field(
    change: tuple[str, str], key: str, step: str, field: str
) -> None:
    with pytest.raises(LessonError) as caught:
        parse_lesson(GOOD.replace(*change), "bad.toml")
    error = caught.value
    assert (error.key, error.params["file"], error.params["step"], error.params["field"]) == (
        key, "bad.toml", step, field,
    )  # fmt: skip
    assert "bad.toml" in error.text("en") and "bad.toml" in error.text("zh")


def test_a_bad_file_is_listed_and_the_others_still_load(tmp_path: Path) -> None:
    (tmp_path / "01-good.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "02-bad.toml").write_text(GOOD.replace("size = 5", "size = 2"), encoding="utf-8")
    (tmp_path / "03-twin.toml").write_text(GOOD, encoding="utf-8")
    course = load_course(tmp_path)
    assert [lesson.id for lesson in course.lessons] == ["demo"]
    keys = sorted((error.key, error.params["file"]) for error in course.errors)
    assert keys == [("lesson.error.bad_show", "02-bad.toml"), ("lesson.error.duplicate_id", "03-twin.toml")]  # fmt: skip


def _steps(kind: str) -> list:
    return [
        step
        for lesson in COURSE.lessons
        for step in lesson.steps
        if step.check is not None and step.check.kind == kind
    ]


def test_output_size_answers_match_pytorch() -> None:
    for step in _steps("output_size"):
        show = step.show
        x = torch.zeros(1, 1, show.get("size"), show.get("size"))
        if show.kind == "conv":
            w = torch.zeros(1, 1, show.get("kernel"), show.get("kernel"))
            out = F.conv2d(x, w, stride=show.get("stride"), padding=show.get("padding"), dilation=show.get("dilation"))  # fmt: skip
        else:
            out = F.max_pool2d(x, show.get("kernel"), show.get("stride"), show.get("padding"))
        question = step_question(step, "en")
        assert question is not None and question.answer == out.shape[2]
        assert check_step(question, int(out.shape[2])).correct
        assert "floor" in check_step(question, int(out.shape[2])).formula  # Practice's formula
        assert not check_step(question, int(out.shape[2]) + 1).correct


def test_window_values_match_pytorch() -> None:
    for step in _steps("window_value"):
        show = step.show
        question = step_question(step, "en")
        assert question is not None
        if show.kind == "conv":
            stepper = conv_state(show)
            out = F.conv2d(
                torch.from_numpy(stepper.x)[None], torch.from_numpy(stepper.w),
                stride=show.get("stride"), padding=show.get("padding"), dilation=show.get("dilation"),
            )[0, 0]  # fmt: skip
        else:
            pooler = pool_state(show)
            pool = F.max_pool2d if show.get("pool") == "max" else F.avg_pool2d
            out = pool(torch.from_numpy(pooler.x)[None], show.get("kernel"), show.get("stride"), show.get("padding"))[0, 0]  # fmt: skip
        width = out.shape[1]
        i, j = divmod(show.get("position") % out.numel(), width)
        assert question.answer == pytest.approx(float(out[i, j]))
        assert f"row {i}, column {j}" in question.prompt


def test_parameter_answers_match_pytorch_modules() -> None:
    for step in _steps("net_params") + _steps("layer_params"):
        model = build_model(get_preset(step.show.get("preset")))
        question = step_question(step, "en")
        assert question is not None
        if step.check.kind == "net_params":
            assert question.answer == sum(p.numel() for p in model.parameters())
        else:
            layers = next(iter(model.children()))  # the nn.Sequential of the spec's layers
            layer = layers[step.check.layer]
            assert question.answer == sum(p.numel() for p in layer.parameters())
        assert check_step(question, int(question.answer)).correct


def test_softmax_answers_match_pytorch_to_two_decimals() -> None:
    for step in _steps("softmax"):
        probabilities = torch.softmax(torch.tensor(step.show.get("logits")), dim=0)
        expected = float(probabilities[step.check.target])
        question = step_question(step, "en")
        assert question is not None and question.answer == pytest.approx(expected)
        assert check_step(question, round(expected, 2)).correct
        assert not check_step(question, round(expected, 2) + 0.02).correct


def test_choice_questions_take_their_options_from_the_file() -> None:
    step = _steps("choice")[0]
    question = step_question(step, "zh")
    assert question is not None and len(question.options) == len(step.check.options)
    assert check_step(question, step.check.answer).correct
    assert not check_step(question, (step.check.answer + 1) % len(question.options)).correct
