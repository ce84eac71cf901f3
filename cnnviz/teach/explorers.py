"""The state of a lesson step that shows one explorer's figure, computed by the explorer's own
functions: the worked example (:func:`cnnviz.lessons.run_walkthrough`), activation curves and
readouts (:mod:`cnnviz.concepts.activations`), a backward pass through a deep stack
(:func:`cnnviz.concepts.gradient_profile`), softmax and cross-entropy
(:func:`cnnviz.concepts.softmax_explain`), an optimizer race (:func:`cnnviz.concepts.run_race`),
learning-rate schedules (:func:`cnnviz.concepts.schedule_curves`), an initialisation's stack
(:class:`cnnviz.concepts.StackSpec`), a lab scenario (:data:`cnnviz.lab.SCENARIOS`) and magnitude
pruning (:func:`cnnviz.compress.prune_copy`, ``torch.nn.utils.prune``).

Each function takes the step's :class:`~cnnviz.teach.course.Show` and, where the learner can move
a control, the value of that control (None: the step's own state). Nothing here trains: a step
that needs training opens the lab, whose job machinery runs it.

Lessons: "Lesson" (/lesson), "Live class" (/class).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cnnviz.compress import LayerSparsity, layer_sparsity, make_permanent, prune_copy
from cnnviz.concepts import (
    ActivationCurve,
    GradientProfile,
    GradientSettings,
    Race,
    Racer,
    Readout,
    SoftmaxResult,
    StackSpec,
    Surface,
    activation_curves,
    default_lr,
    gradient_profile,
    readout,
    schedule_curves,
    softmax_explain,
)
from cnnviz.lab import SCENARIOS, LabSetup, setup_configs
from cnnviz.net import NetSpec, build_model, get_preset, weight_values
from cnnviz.teach.course import Show

__all__ = [
    "SCHEDULE_STEPS_PER_EPOCH",
    "PruneState",
    "activation_state",
    "gradients_state",
    "init_spec",
    "loss_state",
    "prune_state",
    "race_state",
    "readout_state",
    "scenario_state",
    "schedule_state",
]

#: Optimizer steps per epoch of a ``schedule`` step's demo run (the Learning-rate page's default).
SCHEDULE_STEPS_PER_EPOCH = 10


def activation_state(show: Show) -> tuple[ActivationCurve, ...]:
    """The curves (``f`` and ``f'`` by autograd) of an ``activation`` step's functions."""
    return activation_curves(tuple(show.get("functions")))


def readout_state(show: Show, cursor: float | None = None) -> tuple[Readout, ...]:
    """``f(x)`` and ``f'(x)`` of every function at the cursor (the step's, or ``cursor``)."""
    x = float(show.get("cursor")) if cursor is None else float(cursor)
    return readout(tuple(show.get("functions")), x)


def gradients_state(show: Show, activation: str | None = None) -> GradientProfile:
    """One backward pass through a ``gradients`` step's deep stack (with ``activation``, when the
    learner picked another one)."""
    return gradient_profile(
        GradientSettings(
            depth=int(show.get("depth")),
            activation=str(activation or show.get("activation")),
            init=str(show.get("init")),
        )
    )


def loss_state(
    show: Show, target_logit: float | None = None, target: int | None = None
) -> SoftmaxResult:
    """Softmax and cross-entropy (``F.cross_entropy``) of a ``loss`` or ``softmax`` step's
    logits against its target; ``target_logit`` replaces the target's logit (the learner's
    slider)."""
    logits = [float(v) for v in show.get("logits")]
    index = int(show.get("target", 0) if target is None else target)
    if target_logit is not None:
        logits[index] = float(target_logit)
    return softmax_explain(logits, index)


def race_state(show: Show, racers: Sequence[str] | None = None) -> Race:
    """The race of an ``optimizer`` step (its racers, or those the learner kept), each at the
    Optimizers page's default learning rate for the surface, from the surface's default start."""
    surface = Surface(str(show.get("surface")))
    kinds = tuple(racers) if racers else tuple(show.get("racers"))
    return Race(
        surface,
        tuple(Racer(kind, default_lr(surface.kind, kind)) for kind in kinds),
        surface.default_start,
        steps=int(show.get("steps")),
    )


def schedule_state(show: Show, schedules: Sequence[str] | None = None) -> dict[str, list[float]]:
    """The learning rate of every optimizer step under each schedule of a ``schedule`` step (or
    those the learner picked), by the Train page's own PyTorch schedulers."""
    names = tuple(schedules) if schedules else tuple(show.get("schedules"))
    curves = schedule_curves(
        str(show.get("optimizer")),
        float(show.get("lr")),
        int(show.get("epochs")),
        SCHEDULE_STEPS_PER_EPOCH,
    )
    return {name: curves[name] for name in names}


def init_spec(show: Show, scheme: str | None = None) -> StackSpec:
    """The Initialisation page's deep linear stack of an ``init`` step (with ``scheme``, when the
    learner picked another one)."""
    return StackSpec("linear", str(show.get("activation")), str(scheme or show.get("scheme")))


def scenario_state(scenario_id: str) -> tuple[LabSetup, NetSpec]:
    """A lab scenario's setup and the network it trains."""
    setup = SCENARIOS[scenario_id].setup
    net, _, _ = setup_configs(setup)
    return setup, net


@dataclass(frozen=True, eq=False)
class PruneState:
    """A network before and after magnitude pruning: every conv / Linear weight (flat) and the
    zeros of each prunable layer after."""

    before: np.ndarray  # (P,)
    after: np.ndarray  # (P,)
    layers: tuple[LayerSparsity, ...]
    sparsity: float

    @property
    def zeros(self) -> int:
        """How many weights are zero after pruning."""
        return int(np.count_nonzero(self.after == 0))


def prune_state(show: Show, sparsity: float | None = None) -> PruneState:
    """A ``prune`` step's network (seeded initial weights) pruned by its method to its sparsity
    (or the learner's ``sparsity``) with ``torch.nn.utils.prune``."""
    amount = float(show.get("sparsity")) if sparsity is None else float(sparsity)
    model = build_model(get_preset(str(show.get("preset"))), seed=0)
    pruned = make_permanent(prune_copy(model, str(show.get("method")), amount))
    return PruneState(
        before=weight_values(model.state_dict()),
        after=weight_values(pruned.state_dict()),
        layers=tuple(layer_sparsity(pruned)),
        sparsity=amount,
    )
