"""Guided lessons as data: one TOML file per lesson, read into frozen dataclasses and validated.

A lesson file (``cnnviz/teach/lessons/NN-<id>.toml``; README "Writing a lesson") holds the
lesson's id, title and summary, and its steps. Each step has a narration in English and Chinese,
one interactive (``[steps.show]``: the convolution or pooling stepper at a position, a Build
network, a softmax over logits, or one explorer's figure in the state the step needs: a stage of
the worked example, an activation and its derivative, gradients through a deep stack, a loss on a
given example, an optimizer race, learning-rate schedules, a stack under an initialisation, a lab
scenario, a pruned network; "page" is an explorer page alone), the concepts it teaches (keys of
:data:`cnnviz.lessons.CONCEPTS`; the step links to the first one's explorer through
:func:`cnnviz.lessons.link_path`) and optionally a check question (``[steps.check]``) whose
numeric answer cnnviz computes from the step's state (:mod:`cnnviz.teach.checks`), never the file.

:func:`load_course` reads every file on its own: a file with errors becomes a
:class:`LessonError` naming the file, the step and the field, and the other lessons still run.

Lessons: "Lessons" (/lessons), "Lesson" (/lesson), "Live class" (/class).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from cnnviz.compress import MAX_SPARSITY, METHODS
from cnnviz.concepts import (
    ACTIVATION_FUNCTIONS,
    GRADIENT_INITS,
    INIT_SCHEMES,
    KINDS,
    MAX_DEPTH,
    MAX_RACERS,
    MAX_STEPS,
    MIN_DEPTH,
    SURFACES,
)
from cnnviz.i18n import MessageError
from cnnviz.lab import SCENARIO_ORDER
from cnnviz.lessons import CONCEPTS, KERNEL_NAMES, POOL_SOURCES, SAMPLE_KINDS
from cnnviz.net import PRESETS
from cnnviz.train import SCHEDULES

__all__ = [
    "CHECK_KINDS",
    "SHOW_KINDS",
    "Check",
    "Course",
    "Lesson",
    "LessonError",
    "Show",
    "Step",
    "Text",
    "parse_lesson",
]

#: What a step can show: the convolution / pooling stepper, a Build network, softmax, one
#: explorer's figure (see :data:`EXPLORER_KINDS`), a page alone.
SHOW_KINDS: Final[tuple[str, ...]] = (
    "conv",
    "pool",
    "net",
    "softmax",
    "stage",  # /walkthrough: one stage of the worked example, the article's mistakes marked
    "activation",  # /activations: functions and their derivatives, a cursor
    "gradients",  # /activations: every layer's gradient norm in one backward pass
    "loss",  # /losses: softmax and cross-entropy of a given example
    "optimizer",  # /optimizers: a race on a surface
    "schedule",  # /learning-rate: learning-rate schedules
    "init",  # /init: a deep stack's activations or gradients under an initialisation
    "scenario",  # /lab: a guided scenario's card, opened in the lab ready to run
    "prune",  # /prune: magnitude pruning of a network's weights
    "page",
)
#: The worked example's stages a ``stage`` step can start at (``walk.stage.<key>``).
STAGES: Final[tuple[str, ...]] = ("input", "conv1", "relu1", "pool1", "logits", "probabilities")
#: Optimizers a ``schedule`` step can draw with (the Learning-rate page's choice).
SCHEDULE_OPTIMIZERS: Final[tuple[str, ...]] = ("sgd", "momentum", "adam")
#: Check questions: computed from the step's state, or multiple choice with options in the file.
CHECK_KINDS: Final[tuple[str, ...]] = (
    "output_size",  # conv / pool: the output height
    "window_value",  # conv / pool: the output value at the step's position
    "layer_params",  # net: the parameters of layer ``layer``
    "net_params",  # net: the network's parameter count
    "softmax",  # softmax: the probability of class ``target`` (two decimals)
    "loss",  # loss: the cross-entropy of the example (two decimals)
    "slope",  # activation: the first function's derivative at the cursor (two decimals)
    "choice",
)
_NEEDS: Final[dict[str, tuple[str, ...]]] = {
    "output_size": ("conv", "pool"),
    "window_value": ("conv", "pool"),
    "layer_params": ("net",),
    "net_params": ("net",),
    "softmax": ("softmax",),
    "loss": ("loss", "softmax"),
    "slope": ("activation",),
    "choice": SHOW_KINDS,
}
_MAX_SIZE: Final[int] = 16  # a stepper input in a lesson stays readable on a projector


class LessonError(MessageError):
    """A lesson file that cannot be used: ``lesson.error.*`` naming the file, step and field."""


@dataclass(frozen=True)
class Text:
    """A text in English and Chinese."""

    en: str
    zh: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (English for any other language)."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Show:
    """A step's interactive: ``kind`` (:data:`SHOW_KINDS`) and its settings (ints, strings,
    lists of numbers), checked for that kind by :func:`parse_lesson`."""

    kind: str
    settings: tuple[tuple[str, Any], ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        """One setting, or ``default``."""
        return dict(self.settings).get(name, default)


@dataclass(frozen=True)
class Check:
    """A check question: ``kind`` (:data:`CHECK_KINDS`); ``prompt`` for every kind (a computed
    question's prompt may use ``{...}`` fields of the step's state); ``options`` and ``answer``
    (an option index) for multiple choice only; ``layer`` / ``target`` pick what is asked."""

    kind: str
    prompt: Text
    options: tuple[Text, ...] = ()
    answer: int = -1
    layer: int = 0
    target: int = 0


@dataclass(frozen=True)
class Step:
    """One step of a lesson."""

    title: Text
    narration: Text
    show: Show
    concepts: tuple[str, ...]
    check: Check | None = None

    @property
    def explore(self) -> str:
        """The concept whose explorer page the step links to (its first concept)."""
        return self.concepts[0]


@dataclass(frozen=True)
class Lesson:
    """A lesson: ``id`` travels in URLs (``/lesson?l=<id>&s=<n>``), ``order`` sorts the course."""

    id: str
    order: int
    title: Text
    summary: Text
    steps: tuple[Step, ...]
    file: str = ""

    @property
    def checks(self) -> int:
        """How many steps have a check question."""
        return sum(step.check is not None for step in self.steps)


@dataclass(frozen=True)
class Course:
    """Every lesson that loaded, in course order, and the errors of the files that did not."""

    lessons: tuple[Lesson, ...]
    errors: tuple[LessonError, ...] = ()

    def lesson(self, lesson_id: str) -> Lesson | None:
        """The lesson called ``lesson_id``, or None."""
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def homes(self) -> dict[str, tuple[Lesson, int]]:
        """Every concept -> the first (lesson, step index) that teaches it: the syllabus."""
        found: dict[str, tuple[Lesson, int]] = {}
        for lesson in self.lessons:
            for index, step in enumerate(lesson.steps):
                for concept in step.concepts:
                    found.setdefault(concept, (lesson, index))
        return found


# ------------------------------------------------------------------------------------- parsing


class _Where:
    """Where a value was read, for the message of a :class:`LessonError`."""

    def __init__(self, file: str, step: int | None = None) -> None:
        self.file, self.step = file, step

    def fail(self, field: str, problem: str, **params: Any) -> LessonError:
        step = "-" if self.step is None else str(self.step + 1)
        return LessonError(
            f"lesson.error.{problem}", file=self.file, step=step, field=field, **params
        )

    def table(self, data: Mapping[str, Any], field: str) -> Mapping[str, Any]:
        value = data.get(field)
        if not isinstance(value, Mapping):
            raise self.fail(field, "missing_table")
        return value

    def text(self, data: Mapping[str, Any], field: str) -> Text:
        value = data.get(field)
        if not isinstance(value, Mapping) or set(value) != {"en", "zh"}:
            raise self.fail(field, "bad_text")
        if not all(isinstance(value[k], str) and value[k].strip() for k in ("en", "zh")):
            raise self.fail(field, "bad_text")
        return Text(value["en"].strip(), value["zh"].strip())

    def integer(
        self, data: Mapping[str, Any], field: str, low: int, high: int, default: int
    ) -> int:
        value = data.get(field, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(field, "bad_number", low=low, high=high)
        return value

    def choice(
        self, data: Mapping[str, Any], field: str, allowed: tuple[str, ...], default: str = ""
    ) -> str:
        value = data.get(field, default)
        if value not in allowed:
            raise self.fail(field, "bad_choice", allowed=", ".join(allowed))
        return str(value)

    def numbers(
        self, data: Mapping[str, Any], field: str, count: tuple[int, int]
    ) -> tuple[float, ...]:
        value = data.get(field)
        if not isinstance(value, list) or not count[0] <= len(value) <= count[1]:
            raise self.fail(field, "bad_list", low=count[0], high=count[1])
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            raise self.fail(field, "bad_list", low=count[0], high=count[1])
        return tuple(float(v) for v in value)

    def real(
        self, data: Mapping[str, Any], field: str, low: float, high: float, default: float
    ) -> float:
        value = data.get(field, default)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not number or not low <= value <= high:
            raise self.fail(field, "bad_real", low=f"{low:g}", high=f"{high:g}")
        return float(value)

    def names(
        self,
        data: Mapping[str, Any],
        field: str,
        allowed: tuple[str, ...],
        count: tuple[int, int],
        default: tuple[str, ...],
    ) -> tuple[str, ...]:
        value = data.get(field, list(default))
        if (
            not isinstance(value, list)
            or not count[0] <= len(value) <= count[1]
            or len(set(value)) != len(value)
            or not all(name in allowed for name in value)
        ):
            raise self.fail(
                field, "bad_names", low=count[0], high=count[1], allowed=", ".join(allowed)
            )
        return tuple(str(name) for name in value)


def _explorer(where: _Where, kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of a step that shows one explorer's figure (every kind after softmax)."""
    settings: dict[str, Any] = {}
    if kind == "stage":
        settings["stage"] = where.choice(data, "stage", STAGES, "conv1")
    elif kind == "activation":
        settings["functions"] = where.names(
            data, "functions", ACTIVATION_FUNCTIONS, (1, 4), ("sigmoid",)
        )
        settings["cursor"] = where.real(data, "cursor", -6.0, 6.0, 0.0)
    elif kind == "gradients":
        settings["activation"] = where.choice(data, "activation", ACTIVATION_FUNCTIONS, "sigmoid")
        settings["depth"] = where.integer(data, "depth", MIN_DEPTH, MAX_DEPTH, 20)
        settings["init"] = where.choice(data, "init", GRADIENT_INITS, "default")
    elif kind == "loss":
        logits = where.numbers(data, "logits", (2, 10))
        if not all(abs(v) <= 20 for v in logits):
            raise where.fail("logits", "bad_list", low=2, high=10)
        settings["logits"] = logits
        settings["target"] = where.integer(data, "target", 0, len(logits) - 1, 0)
    elif kind == "optimizer":
        settings["surface"] = where.choice(data, "surface", SURFACES, "bowl")
        settings["racers"] = where.names(
            data, "racers", KINDS, (1, MAX_RACERS), ("sgd", "momentum", "adam")
        )
        settings["steps"] = where.integer(data, "steps", 10, MAX_STEPS, 100)
    elif kind == "schedule":
        settings["optimizer"] = where.choice(data, "optimizer", SCHEDULE_OPTIMIZERS, "sgd")
        settings["lr"] = where.real(data, "lr", 1e-4, 1.0, 0.1)
        settings["epochs"] = where.integer(data, "epochs", 2, 50, 20)
        settings["schedules"] = where.names(
            data, "schedules", tuple(SCHEDULES), (1, len(SCHEDULES)), ("fixed", "step", "cosine")
        )
    elif kind == "init":
        settings["scheme"] = where.choice(data, "scheme", INIT_SCHEMES, "xavier")
        settings["activation"] = where.choice(data, "activation", ("tanh", "relu"), "tanh")
        settings["view"] = where.choice(data, "view", ("act", "grad"), "act")
    elif kind == "scenario":
        settings["scenario"] = where.choice(data, "scenario", SCENARIO_ORDER)
    elif kind == "prune":
        settings["preset"] = where.choice(data, "preset", tuple(PRESETS), "lenet5")
        settings["method"] = where.choice(data, "method", METHODS, "global")
        settings["sparsity"] = where.real(data, "sparsity", 0.0, MAX_SPARSITY, 0.5)
    return settings


def _show(where: _Where, data: Mapping[str, Any]) -> Show:
    kind = where.choice(data, "kind", SHOW_KINDS)
    settings: dict[str, Any] = {}
    if kind in ("conv", "pool"):
        settings["size"] = where.integer(data, "size", 2, _MAX_SIZE, 6)
        settings["kernel"] = where.integer(data, "kernel", 1, 7, 3 if kind == "conv" else 2)
        settings["stride"] = where.integer(data, "stride", 1, 4, 1 if kind == "conv" else 2)
        settings["padding"] = where.integer(data, "padding", 0, 3, 0)
        settings["position"] = where.integer(data, "position", 0, _MAX_SIZE**2, 0)
        settings["seed"] = where.integer(data, "seed", 0, 10_000, 0)
        sources = SAMPLE_KINDS if kind == "conv" else POOL_SOURCES
        settings["source"] = where.choice(data, "source", sources, "random_int")
        if kind == "conv":
            settings["kernel_name"] = where.choice(
                data, "kernel_name", KERNEL_NAMES, "vertical_edge"
            )
            settings["dilation"] = where.integer(data, "dilation", 1, 3, 1)
        else:
            settings["pool"] = where.choice(data, "pool", ("max", "avg"), "max")
    elif kind == "net":
        settings["preset"] = where.choice(data, "preset", tuple(PRESETS))
    elif kind == "softmax":
        logits = where.numbers(data, "logits", (2, 10))
        settings["logits"] = logits
        labels = data.get("labels", [str(k) for k in range(len(logits))])
        if not (isinstance(labels, list) and len(labels) == len(logits)):
            raise where.fail("labels", "bad_labels", count=len(logits))
        settings["labels"] = tuple(str(label)[:20] for label in labels)
    elif kind != "page":
        settings.update(_explorer(where, kind, data))
    return Show(kind, tuple(sorted(settings.items())))


def _check(where: _Where, data: Mapping[str, Any], show: Show) -> Check:
    kind = where.choice(data, "kind", CHECK_KINDS)
    if show.kind not in _NEEDS[kind]:
        raise where.fail("kind", "check_needs", kind=kind, shows=", ".join(_NEEDS[kind]))
    prompt = where.text(data, "prompt")
    if kind != "choice":
        if "answer" in data or "options" in data:  # numbers are computed, never typed in
            raise where.fail("answer", "typed_answer")
        layer = where.integer(data, "layer", 0, 200, 0)
        if kind == "layer_params" and layer >= len(PRESETS[show.get("preset")].layers):
            raise where.fail(
                "layer", "bad_number", low=0, high=len(PRESETS[show.get("preset")].layers) - 1
            )
        target = where.integer(data, "target", 0, max(len(show.get("logits", ())) - 1, 0), 0)
        return Check(kind, prompt, layer=layer, target=target)
    options = data.get("options")
    if not isinstance(options, list) or not 2 <= len(options) <= 6:
        raise where.fail("options", "bad_options")
    texts = tuple(where.text({"options": option}, "options") for option in options)
    answer = where.integer(data, "answer", 0, len(texts) - 1, -1)
    return Check(kind, prompt, options=texts, answer=answer)


def _step(where: _Where, data: Any) -> Step:
    if not isinstance(data, Mapping):
        raise where.fail("steps", "missing_table")
    concepts = data.get("concepts")
    if not isinstance(concepts, list) or not concepts:
        raise where.fail("concepts", "no_concepts")
    for concept in concepts:
        if concept not in CONCEPTS:
            raise where.fail("concepts", "unknown_concept", value=str(concept)[:40])
    show = _show(where, where.table(data, "show"))
    check = _check(where, data["check"], show) if isinstance(data.get("check"), Mapping) else None
    if "check" in data and check is None:
        raise where.fail("check", "missing_table")
    return Step(
        title=where.text(data, "title"),
        narration=where.text(data, "narration"),
        show=show,
        concepts=tuple(concepts),
        check=check,
    )


def parse_lesson(text: str, file: str) -> Lesson:
    """The lesson in the TOML ``text`` of ``file``; raises :class:`LessonError` naming the step
    and field at fault."""
    where = _Where(file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise where.fail("-", "bad_toml", detail=str(error)[:200]) from None
    lesson_id = data.get("id")
    if (
        not isinstance(lesson_id, str)
        or not lesson_id
        or not all(c.isalnum() or c in "-_" for c in lesson_id)
    ):
        raise where.fail("id", "bad_id")
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise where.fail("steps", "no_steps")
    parsed = []
    for index, step in enumerate(steps):
        parsed.append(_step(_Where(file, index), step))
    return Lesson(
        id=lesson_id,
        order=where.integer(data, "order", 0, 10_000, 0),
        title=where.text(data, "title"),
        summary=where.text(data, "summary"),
        steps=tuple(parsed),
        file=file,
    )
