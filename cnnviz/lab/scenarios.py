"""The Overfitting lab's experiments: guided scenarios, the capacity sweep, L1 vs L2, ensembles.

Each experiment is a plan of :class:`cnnviz.lab.setup.LabSetup` runs (the three guided
scenarios, :func:`sweep_plan`, :func:`regularisation_plan`, :func:`ensemble_plan`) plus the
function that reads its result (:func:`scenario_explanation`, :func:`summarise_sweep`,
:func:`near_zero_share`, :func:`ensemble_result`). Several runs in a row train in a
:class:`cnnviz.jobs.sequence.SequenceJob`.

Lesson: the "Overfitting lab" page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from cnnviz.data import DataConfig, DatasetBundle, resize_bundle
from cnnviz.i18n import t
from cnnviz.jobs import PlannedRun, RunOutcome
from cnnviz.lab.setup import REMEDY_WEIGHT_DECAY, LabSetup, offset_seed, setup_configs
from cnnviz.net import NetSpec, build_model, infer
from cnnviz.train import Diagnosis, evaluate

__all__ = [
    "ENSEMBLE_MEMBERS",
    "NEAR_ZERO",
    "REG_BASE",
    "REG_L1",
    "REG_OPTIMIZER",
    "REG_WEIGHT_DECAY",
    "SCENARIOS",
    "SCENARIO_ORDER",
    "SWEEP_BASE",
    "SWEEP_WIDTHS",
    "U_MARGIN",
    "EnsembleResult",
    "Scenario",
    "SweepPoint",
    "SweepSummary",
    "ensemble_compatible",
    "ensemble_data",
    "ensemble_plan",
    "ensemble_result",
    "model_from_state",
    "near_zero_share",
    "regularisation_plan",
    "same_validation_set",
    "scenario_explanation",
    "summarise_sweep",
    "sweep_plan",
    "sweep_points",
]

SWEEP_WIDTHS: tuple[float, ...] = (0.125, 0.25, 0.375, 0.5, 0.75, 1.0, 1.5)
#: The capacity sweep's fixed small set: 200 images, 40% wrong labels, one conv block, trained to
#: memorise (lr 3e-3, 60 epochs). Small nets underfit; nets that just manage to memorise the wrong
#: labels generalise worst (the classic U; far wider nets can descend again, "double descent").
SWEEP_BASE = LabSetup(train_size=200, label_noise=0.4, depth=1, epochs=60, lr=3e-3)
U_MARGIN = 0.03  # both sides of the U must sit 3 points above its bottom
#: The regularisation demo: a mid-size net on 200 images trained without / with L2 / with L1, by
#: SGD with momentum (lr 0.05), where weight decay is exactly the L2 penalty: under Adam an L2
#: penalty's pull is divided per weight by its gradient history, which blurs the textbook contrast
#: (L2 shrinks, L1 zeroes); AdamW decouples the decay for that reason (Loshchilov & Hutter).
REG_BASE = LabSetup(train_size=200, width=1.0, depth=2, epochs=20, lr=0.05)
REG_OPTIMIZER = "momentum"
REG_WEIGHT_DECAY = 5e-3
REG_L1 = 1e-3
NEAR_ZERO = 1e-3  # |w| below this counts as "near zero" in the weight histograms
ENSEMBLE_MEMBERS = 3  # members trained by the ensemble tab's button (seeds s, s+1, s+2)


# ------------------------------------------------------------------------------ guided scenarios


@dataclass(frozen=True)
class Scenario:
    """A guided experiment: a setup, the verdict it demonstrates, and its catalog texts
    ``lab.scenario.<id>.title`` / ``.before`` (what to look for) / ``.after`` (what happened)."""

    id: str
    setup: LabSetup
    expected: str | None  # the verdict it must produce (None: judged by comparison instead)


_OVERFIT = LabSetup(train_size=100, width=3.0, depth=2, epochs=60)
#: (1) overfitting: 100 images, a wide net, no regularisation; (2) underfitting: the same images,
#: a net with 1 conv channel and 4 hidden units; (3) the cure for (1): augmentation, dropout 0.5,
#: weight decay 0.05 (AdamW, decoupled) and early stopping.
SCENARIOS: dict[str, Scenario] = {
    "overfit": Scenario("overfit", _OVERFIT, "overfitting"),
    "underfit": Scenario(
        "underfit", dataclasses.replace(_OVERFIT, width=0.125, depth=1), "underfitting"
    ),
    "cure": Scenario(
        "cure",
        dataclasses.replace(
            _OVERFIT,
            augment=True,
            dropout=0.5,
            weight_decay=REMEDY_WEIGHT_DECAY,
            early_stopping=True,
        ),
        None,
    ),
}
#: The order the page numbers them in ("Run scenario 1" is overfitting).
SCENARIO_ORDER: tuple[str, ...] = ("overfit", "underfit", "cure")


def scenario_explanation(
    scenario_id: str,
    diagnosis: Diagnosis,
    setup: LabSetup,
    params: int,
    baseline: Diagnosis | None = None,
    lang: str = "en",
) -> str:
    """What happened in a finished scenario, with its numbers (catalog ``lab.scenario.<id>.after``).

    For the cure, ``baseline`` (the diagnosis of the latest scenario-1 run) adds the comparison.
    """
    d = diagnosis
    values = {
        "n": setup.train_size,
        "train": 100 * d.final_train_acc,
        "val": 100 * d.final_val_acc,
        "gap": 100 * d.gap,
        "best": d.best_epoch,
        "pct": 100 * d.val_loss_rise / max(d.min_val_loss, 1e-8),
        "params": f"{params:,}",
    }
    if scenario_id != "cure" or baseline is None:
        return t(f"lab.scenario.{scenario_id}.after", lang, **values)
    return t(
        "lab.scenario.cure.after_compare",
        lang,
        **values,
        base=100 * baseline.final_val_acc,
        base_gap=100 * baseline.gap,
        delta=100 * (d.final_val_acc - baseline.final_val_acc),
    )


# -------------------------------------------------------------------------------- capacity sweep


def sweep_plan(
    base: LabSetup = SWEEP_BASE, widths: Sequence[float] = SWEEP_WIDTHS
) -> list[PlannedRun]:
    """The capacity sweep: ``base`` trained at each width multiplier (same data, same seed)."""
    runs = []
    for width in widths:
        net, _, cfg = setup_configs(dataclasses.replace(base, width=width))
        runs.append(PlannedRun(label=f"x{width:g}", net=net, cfg=cfg, width=width))
    return runs


@dataclass(frozen=True)
class SweepSummary:
    """The shape of a capacity sweep's validation curve (errors are fractions)."""

    best: SweepPoint
    left_error: float  # worst validation error among the smaller networks
    right_error: float  # validation error of the largest network
    largest_train_error: float
    u_shaped: bool


@dataclass(frozen=True)
class SweepPoint:
    """One network of a capacity sweep: width multiplier, parameters, final errors (fractions)."""

    width: float
    params: int
    train_error: float
    val_error: float


def sweep_points(outcomes: Sequence[RunOutcome]) -> list[SweepPoint]:
    """Finished sweep runs as points (final errors measured in eval mode after training)."""
    return [
        SweepPoint(o.width, o.params, 1.0 - o.train_acc_eval, 1.0 - o.val_acc_eval)
        for o in outcomes
        if o.finished is not None and o.train_acc_eval == o.train_acc_eval
    ]


def summarise_sweep(points: Sequence[SweepPoint]) -> SweepSummary | None:
    """Where the validation error bottoms out and whether both sides rise (by ``U_MARGIN``)."""
    ordered = sorted(points, key=lambda p: p.params)
    if len(ordered) < 3:
        return None
    best_index = min(range(len(ordered)), key=lambda i: ordered[i].val_error)
    best = ordered[best_index]
    left = max((p.val_error for p in ordered[:best_index]), default=best.val_error)
    right = ordered[-1].val_error
    u_shaped = left - best.val_error >= U_MARGIN and right - best.val_error >= U_MARGIN
    return SweepSummary(best, left, right, ordered[-1].train_error, u_shaped)


# -------------------------------------------------------------------------------------- L1 vs L2


def regularisation_plan(
    base: LabSetup = REG_BASE, *, weight_decay: float = REG_WEIGHT_DECAY, l1: float = REG_L1
) -> list[PlannedRun]:
    """Three runs of ``base`` that differ only in their penalty: none, L2, L1 (SGD + momentum)."""
    plain = dataclasses.replace(base, weight_decay=0.0, l1=0.0)
    variants = (
        ("none", plain),
        ("l2", dataclasses.replace(plain, weight_decay=weight_decay)),
        ("l1", dataclasses.replace(plain, l1=l1)),
    )
    runs = []
    for label, setup in variants:
        net, _, cfg = setup_configs(setup)
        cfg = dataclasses.replace(cfg, optimizer=REG_OPTIMIZER)
        runs.append(PlannedRun(label=label, net=net, cfg=cfg, width=setup.width))
    return runs


def near_zero_share(values: np.ndarray, tol: float = NEAR_ZERO) -> float:
    """The fraction of weights with ``|w| < tol`` (0 for no weights): L1 drives it up, L2 barely."""
    if values.size == 0:
        return 0.0
    return float(np.mean(np.abs(values) < tol))


# ------------------------------------------------------------------------------------- ensembles


def ensemble_plan(base: LabSetup, count: int = ENSEMBLE_MEMBERS) -> list[PlannedRun]:
    """``count`` runs of ``base`` with seeds ``s, s+1, ...`` (:func:`offset_seed`), labelled
    ``"seed <s>"``; train them with ``keep_weights`` so they can be averaged."""
    runs = []
    for offset in range(count):
        setup = dataclasses.replace(base, seed=offset_seed(base.seed, offset), keep_weights=True)
        net, _, cfg = setup_configs(setup)
        runs.append(PlannedRun(label=f"seed {setup.seed}", net=net, cfg=cfg, width=setup.width))
    return runs


def model_from_state(net: NetSpec, state: Mapping[str, torch.Tensor]) -> nn.Module:
    """Rebuild a trained model from its spec and kept weights (eval mode, CPU)."""

    model = build_model(net)
    model.load_state_dict(dict(state))
    return model.eval()


def same_validation_set(configs: Sequence[DataConfig]) -> bool:
    """True when the data configs share one validation set (they may differ in training
    subset and label noise only, which ``cnnviz.data.registry`` applies after the split)."""
    keys = {
        dataclasses.replace(cfg, train_size=None, label_noise=0.0, download=False)
        for cfg in configs
    }
    return len(keys) <= 1


def ensemble_compatible(nets: Sequence[NetSpec], configs: Sequence[DataConfig]) -> bool:
    """True when runs can be averaged: one input shape, one output shape, one validation set."""
    shapes = {(net.input_shape, infer(net).output_shape) for net in nets}
    return len(shapes) <= 1 and same_validation_set(configs)


def ensemble_data(data: DatasetBundle, net: NetSpec) -> DatasetBundle | None:
    """The validation images as the members saw them, or None when the classes do not match.

    A Train-page run may have resized the images to fit its network (LeNet-5's 32x32 on 28x28
    shapes); its ``data_cfg`` describes the original images, so fit them again the same way.
    """
    output = infer(net).output_shape
    if output != (data.num_classes,):
        return None
    return resize_bundle(data, net.input_shape)


@dataclass(frozen=True)
class EnsembleResult:
    """Validation accuracy of each member and of the average of their probabilities."""

    member_accs: tuple[float, ...]
    ensemble_acc: float
    member_losses: tuple[float, ...]
    ensemble_loss: float

    @property
    def best_member_acc(self) -> float:
        """The best member's validation accuracy."""
        return max(self.member_accs)

    @property
    def mean_member_acc(self) -> float:
        """The members' mean validation accuracy."""
        return float(np.mean(self.member_accs))


def ensemble_result(
    models: Sequence[nn.Module], x: torch.Tensor, y: torch.Tensor
) -> EnsembleResult:
    """Average the members' softmax probabilities ``p = 1/M sum_m softmax(z_m)``; predict argmax p.

    Loss of the ensemble: ``-mean log p[y]`` (cross-entropy of the averaged probabilities).
    """
    if not models:
        raise ValueError("an ensemble needs at least one model")
    accs, losses, probs = [], [], []
    for model in models:
        loss, acc, p = evaluate(model, x, y)
        accs.append(acc)
        losses.append(loss)
        probs.append(p.astype(np.float64))
    mean = np.mean(probs, axis=0)  # (N, K)
    labels = y.cpu().numpy()
    ensemble_acc = float(np.mean(mean.argmax(axis=1) == labels))
    ensemble_loss = float(-np.mean(np.log(np.clip(mean[np.arange(len(labels)), labels], 1e-12, 1))))
    return EnsembleResult(tuple(accs), ensemble_acc, tuple(losses), ensemble_loss)
