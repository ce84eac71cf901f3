"""A lesson step's state (the stepper, network or softmax it shows) and its check question, whose
numeric answer is computed here from that state, never typed into the lesson file (a loss value
and an activation's slope come from :mod:`cnnviz.teach.explorers`).

The steppers come from the explorers' own logic (:func:`cnnviz.lessons.compute_conv`,
:func:`cnnviz.lessons.compute_pool`), networks from :data:`cnnviz.net.PRESETS` and
:func:`cnnviz.net.infer`, softmax from :func:`cnnviz.ops.softmax`; answers are checked with the
Practice page's :func:`cnnviz.lessons.check_answer` where it has the kind (output sizes, a conv
layer's parameters), so the feedback shows the same worked formula.

Lessons: "Lesson" (/lesson), "Live class" (/class).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from cnnviz.lessons import (
    ConvSettings,
    ConvStepper,
    Exercise,
    Feedback,
    PoolSettings,
    PoolStepper,
    check_answer,
    compute_conv,
    compute_pool,
    conv_weights,
    sample_image,
)
from cnnviz.net import Conv2dSpec, NetSummary, get_preset, infer
from cnnviz.ops import softmax
from cnnviz.teach.course import Check, Show, Step
from cnnviz.teach.explorers import loss_state, readout_state

__all__ = [
    "SOFTMAX_DECIMALS",
    "StepQuestion",
    "check_step",
    "conv_state",
    "net_state",
    "pool_state",
    "position_cell",
    "softmax_state",
    "step_question",
    "validate_step",
]

#: Softmax answers are asked to two decimals; within half a hundredth is right.
SOFTMAX_DECIMALS: Final[int] = 2


def conv_state(show: Show) -> ConvStepper:
    """The convolution stepper a ``conv`` step shows (raises SpecError when it cannot be made)."""
    size, pad = int(show.get("size")), int(show.get("padding"))
    settings = ConvSettings(
        source=str(show.get("source")),
        shape=(1, size, size),
        kernel=(int(show.get("kernel")),) * 2,
        kernel_names=(str(show.get("kernel_name")),),
        stride=(int(show.get("stride")),) * 2,
        padding=(pad, pad, pad, pad),
        dilation=(int(show.get("dilation", 1)),) * 2,
        seed=int(show.get("seed")),
    )
    x = sample_image(1, size, size, settings.source, settings.seed).astype(np.float64)
    return compute_conv(settings, x, conv_weights(settings))


def pool_state(show: Show) -> PoolStepper:
    """The pooling stepper a ``pool`` step shows (raises SpecError when it cannot be made)."""
    size, pad = int(show.get("size")), int(show.get("padding"))
    settings = PoolSettings(
        kind=show.get("pool"),
        source=str(show.get("source")),
        shape=(size, size),
        kernel=(int(show.get("kernel")),) * 2,
        stride=(int(show.get("stride")),) * 2,
        padding=(pad, pad),
        seed=int(show.get("seed")),
    )
    x = sample_image(1, size, size, settings.source, settings.seed).astype(np.float64)
    return compute_pool(settings, x)


def net_state(show: Show) -> NetSummary:
    """The shapes and parameter counts of a ``net`` step's preset."""
    return infer(get_preset(str(show.get("preset"))))


def softmax_state(show: Show) -> np.ndarray:
    """The probabilities of a ``softmax`` step's logits."""
    return softmax(np.asarray(show.get("logits"), dtype=np.float64))


def position_cell(output_hw: tuple[int, int], position: int) -> tuple[int, int]:
    """Output cell (row, column) of a flat position, wrapped into the output."""
    height, width = output_hw
    return divmod(int(position) % (height * width), width)


@dataclass(frozen=True)
class StepQuestion:
    """A step's check question in one language, as the lesson page and the live class ask it:
    ``kind`` "number" (``answer`` a number, right within ``tolerance``) or "choice" (``answer``
    an option index)."""

    kind: Literal["number", "choice"]
    prompt: str
    options: tuple[str, ...]
    answer: float
    tolerance: float = 0.0
    exercise: Exercise | None = None  # the Practice exercise this is, where there is one
    decimals: int = 0


def _exercise(check: Check, show: Show) -> tuple[Exercise | None, float, dict[str, object]]:
    """(Practice exercise or None, the answer, the prompt's fields) computed from the state."""
    if show.kind in ("conv", "pool"):
        stepper: ConvStepper | PoolStepper = (
            conv_state(show) if show.kind == "conv" else pool_state(show)
        )
        out = stepper.first.output  # (F or C, Ho, Wo)
        i, j = position_cell((int(out.shape[1]), int(out.shape[2])), int(show.get("position")))
        n, k, s, p = (int(show.get(name)) for name in ("size", "kernel", "stride", "padding"))
        fields: dict[str, object] = {"n": n, "k": k, "s": s, "p": p, "i": i, "j": j}
        if check.kind == "output_size":
            if show.kind == "conv":
                d = int(show.get("dilation", 1))
                params = {"n": n, "k": k, "s": s, "p": p, "d": d}
                return Exercise("conv_size", 0, params, int(out.shape[1])), out.shape[1], fields
            params = {"n": n, "k": k, "s": s, "p": p}
            return Exercise("pool_size", 0, params, int(out.shape[1])), out.shape[1], fields
        return None, float(out[0, i, j]), fields  # window_value
    if show.kind == "net":
        summary = net_state(show)
        if check.kind == "net_params":
            return None, summary.total_params, {"name": show.get("preset")}
        info = summary.layers[check.layer]
        layer = get_preset(str(show.get("preset"))).layers[check.layer]
        fields = {"layer": check.layer + 1, "label": info.label}
        if isinstance(layer, Conv2dSpec) and info.input_shape is not None:
            kh, kw = layer.kernel_size
            if kh == kw and layer.groups == 1:
                params = {
                    "in_channels": int(info.input_shape[0]),
                    "out_channels": layer.out_channels,
                    "k": kh,
                    "bias": layer.bias,
                }
                return Exercise("conv_params", 0, params, info.params), info.params, fields
        return None, info.params, fields
    if check.kind == "slope":  # activation: the first function's f'(cursor)
        first = readout_state(show)[0]
        return None, first.derivative, {"x": f"{first.x:g}", "value": f"{first.value:.2f}"}
    if check.kind == "loss":  # loss (its own target) or softmax (the check's target)
        target = None if show.kind == "loss" else check.target
        result = loss_state(show, target=target)
        return None, result.loss, {"p": f"{result.target_probability:.2f}"}
    probabilities = softmax_state(show)  # softmax
    labels = show.get("labels")
    return None, float(probabilities[check.target]), {"label": labels[check.target]}


def step_question(step: Step, lang: str) -> StepQuestion | None:
    """The step's check question in ``lang`` with its computed answer; None without a check."""
    check = step.check
    if check is None:
        return None
    if check.kind == "choice":
        options = tuple(option.get(lang) for option in check.options)
        return StepQuestion("choice", check.prompt.get(lang), options, float(check.answer))
    exercise, answer, fields = _exercise(check, step.show)
    prompt = check.prompt.get(lang).format(**fields)
    if check.kind in ("softmax", "loss", "slope"):  # asked to two decimals
        tolerance = 0.5 * 10.0**-SOFTMAX_DECIMALS + 1e-12
        return StepQuestion(
            "number", prompt, (), float(answer), tolerance, decimals=SOFTMAX_DECIMALS
        )
    if check.kind == "window_value":
        return StepQuestion("number", prompt, (), float(answer), 0.005 + 1e-12, decimals=2)
    return StepQuestion("number", prompt, (), float(answer), 0.0, exercise)


def check_step(question: StepQuestion, value: float) -> Feedback:
    """Is ``value`` right? With the Practice page's worked formula where the question is one of
    its exercises, else the right answer written out."""
    if question.exercise is not None and float(value) == int(value):
        return check_answer(question.exercise, int(value))
    if question.kind == "choice":
        correct = int(value) == int(question.answer)
        return Feedback(correct, "", question.options[int(question.answer)])
    correct = abs(float(value) - question.answer) <= question.tolerance
    shown = f"{question.answer:,.{question.decimals}f}"
    return Feedback(correct, shown, shown)


def validate_step(step: Step) -> None:
    """Raises SpecError when the step's interactive cannot be computed (a kernel that does not
    fit the input, say)."""
    if step.show.kind == "conv":
        conv_state(step.show)
    elif step.show.kind == "pool":
        pool_state(step.show)
    if step.check is not None:
        step_question(step, "en")
