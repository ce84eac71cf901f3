"""The Overfitting lab's experiments: lab setups, remedies, guided scenarios, sweeps, ensembles.

A :class:`LabSetup` is the lab's controls as one frozen value (training-set size, label noise,
width, depth, dropout, weight decay, L1, batch norm, augmentation, early stopping, epochs, seed).
:func:`setup_configs` turns it into the ``(NetSpec, DataConfig, TrainConfig)`` the engine runs,
always on the built-in "shapes" data with one fixed validation set, so every lab run is comparable.
:func:`apply_remedy` sets up the next run after a diagnosis ("add dropout 0.5", "double the width").

:class:`SequenceJob` trains several runs one after another in one background thread (capacity sweep,
regularisation demo, ensemble members); the page polls :meth:`SequenceJob.snapshot`.

Lesson: the "Overfitting lab" page.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from cnnviz.capacity import MAX_DEPTH, scaled_net
from cnnviz.data import AugmentConfig, DataConfig, DatasetBundle
from cnnviz.diagnosis import REMEDY_IDS, Diagnosis
from cnnviz.i18n import t
from cnnviz.jobs import DEFAULT_MAX_SECONDS, BackgroundJob, JobControl, JobLimiter
from cnnviz.specs import NetSpec, SpecError
from cnnviz.training import (
    BatchEnd,
    EpochEnd,
    Finished,
    Started,
    TrainConfig,
    check_limits,
    evaluate,
    train,
    with_defaults_for_server,
)
from cnnviz.viz_lab import SweepPoint

__all__ = [
    "LAB_AUGMENT",
    "LAB_INPUT_SHAPE",
    "LAB_NUM_CLASSES",
    "LAB_NUM_SAMPLES",
    "NEAR_ZERO",
    "REG_BASE",
    "REG_L1",
    "REG_OPTIMIZER",
    "REG_WEIGHT_DECAY",
    "SCENARIOS",
    "SWEEP_BASE",
    "SWEEP_WIDTHS",
    "U_MARGIN",
    "EnsembleResult",
    "LabSetup",
    "PlannedRun",
    "RunOutcome",
    "Scenario",
    "SequenceJob",
    "SequenceSnapshot",
    "SweepSummary",
    "apply_remedy",
    "ensemble_result",
    "lab_data_config",
    "model_from_state",
    "regularisation_plan",
    "same_validation_set",
    "scenario_explanation",
    "setup_configs",
    "summarise_sweep",
    "sweep_plan",
    "sweep_points",
]

LAB_INPUT_SHAPE = (1, 28, 28)
LAB_NUM_CLASSES = 6
LAB_NUM_SAMPLES = 1200  # 960 training images to draw subsets from, 240 validation images
LAB_VAL_FRACTION = 0.2
LAB_DATA_SEED = 0  # one validation set for every lab run: curves and ensembles stay comparable
LAB_BATCH_SIZE = 32
LAB_PATIENCE = 8
MAX_TRAIN_SIZE = round(LAB_NUM_SAMPLES * (1 - LAB_VAL_FRACTION))
#: The lab's augmentation: shift up to 3 px, rotate up to 15 degrees, mirror left-right.
LAB_AUGMENT = AugmentConfig(enabled=True, shift=3, rotation=15.0, flip=True)

_LIMITS: dict[str, tuple[float, float]] = {
    "train_size": (10, MAX_TRAIN_SIZE),
    "label_noise": (0.0, 0.8),
    "width": (0.125, 8.0),
    "depth": (1, MAX_DEPTH),
    "dropout": (0.0, 0.9),
    "weight_decay": (0.0, 0.1),
    "l1": (0.0, 0.01),
    "epochs": (1, 100),
    "lr": (1e-5, 0.1),
    "seed": (0, 2**31 - 1),
}


@dataclass(frozen=True)
class LabSetup:
    """The lab's controls for one run. Out-of-range values raise ValueError (URLs send anything)."""

    train_size: int = 100
    label_noise: float = 0.0
    width: float = 1.0
    depth: int = 2
    dropout: float = 0.0
    weight_decay: float = 0.0
    l1: float = 0.0
    batch_norm: bool = False
    augment: bool = False
    early_stopping: bool = False
    epochs: int = 30
    lr: float = 1e-3
    seed: int = 0
    keep_weights: bool = False

    def __post_init__(self) -> None:
        for name, (low, high) in _LIMITS.items():
            value = getattr(self, name)
            integer = name in ("train_size", "depth", "epochs", "seed")
            ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
            if isinstance(value, bool) or not ok_type or not low <= value <= high:
                raise ValueError(f"{name} must be in [{low:g}, {high:g}], got {value!r}")
        for name in ("batch_norm", "augment", "early_stopping", "keep_weights"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (kept with each run so a remedy can start from it)."""
        return dataclasses.asdict(self)

    @staticmethod
    def from_dict(values: Mapping[str, Any]) -> LabSetup:
        """Inverse of :meth:`to_dict`; unknown keys raise ValueError."""
        names = {f.name for f in dataclasses.fields(LabSetup)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(f"unknown lab setting(s): {', '.join(unknown)}")
        return LabSetup(**dict(values))


SWEEP_WIDTHS: tuple[float, ...] = (0.125, 0.25, 0.375, 0.5, 0.75, 1.0, 1.5)
#: The capacity sweep's fixed small set: 200 images, 40% wrong labels, one conv block, trained to
#: memorise (lr 3e-3, 60 epochs). Small nets underfit; nets that just manage to memorise the wrong
#: labels generalise worst (the classic U; far wider nets can descend again, "double descent").
SWEEP_BASE = LabSetup(train_size=200, label_noise=0.4, depth=1, epochs=60, lr=3e-3)
U_MARGIN = 0.03  # both sides of the U must sit 3 points above its bottom
#: The regularisation demo: a mid-size net on 200 images trained without / with L2 / with L1, by
#: SGD with momentum (lr 0.05): Adam rescales each weight's gradient, so its L2 penalty also drives
#: unused weights to zero and the textbook contrast (L2 shrinks, L1 zeroes) blurs (cf. AdamW).
REG_BASE = LabSetup(train_size=200, width=1.0, depth=2, epochs=20, lr=0.05)
REG_OPTIMIZER = "momentum"
REG_WEIGHT_DECAY = 5e-3
REG_L1 = 1e-3
NEAR_ZERO = 1e-3  # |w| below this counts as "near zero" in the weight histograms


def lab_data_config(train_size: int | None = None, label_noise: float = 0.0) -> DataConfig:
    """The lab's dataset: built-in shapes, 240 fixed validation images, a training subset."""
    return DataConfig(
        name="shapes",
        num_samples=LAB_NUM_SAMPLES,
        val_fraction=LAB_VAL_FRACTION,
        train_size=train_size,
        label_noise=label_noise,
        seed=LAB_DATA_SEED,
    )


def setup_configs(setup: LabSetup) -> tuple[NetSpec, DataConfig, TrainConfig]:
    """The network (:func:`cnnviz.capacity.scaled_net`), data and training config of a setup.

    Adam, batch 32, early-stopping patience 8, augmentation :data:`LAB_AUGMENT` when on.
    """
    net = scaled_net(
        LAB_INPUT_SHAPE,
        LAB_NUM_CLASSES,
        width=setup.width,
        depth=setup.depth,
        batch_norm=setup.batch_norm,
        dropout=setup.dropout,
    )
    cfg = TrainConfig(
        epochs=setup.epochs,
        batch_size=LAB_BATCH_SIZE,
        optimizer="adam",
        lr=setup.lr,
        weight_decay=setup.weight_decay,
        l1=setup.l1,
        early_stopping=setup.early_stopping,
        patience=LAB_PATIENCE,
        augment=LAB_AUGMENT if setup.augment else AugmentConfig(),
        seed=setup.seed,
        snapshot_every=100_000,  # the lab draws curves, not feature maps
    )
    return net, lab_data_config(setup.train_size, setup.label_noise), cfg


def apply_remedy(setup: LabSetup, remedy_id: str) -> LabSetup:
    """The setup for the next run after applying one remedy (a pure function).

    more_data: 2x training images; augment / early_stop / batch_norm: on; dropout: at least 0.5;
    weight_decay: at least 5e-4 (L2); l1: at least 1e-4; smaller / wider: width /2 or x2;
    deeper: one more conv block; longer: 2x epochs; less_regularisation: dropout /2 (0 below 0.1),
    weight decay and L1 /10 (0 below 1e-6); dropout stays on a 0.05 grid; higher_lr: lr x3; lower_lr: lr /10; ensemble: next
    seed with weights kept. Values are clamped to the lab's ranges, so a remedy that is already
    at its limit returns an equal setup (the page hides such buttons).
    """

    def clamp(name: str, value: float) -> float:
        low, high = _LIMITS[name]
        return min(max(value, low), high)

    replace = dataclasses.replace
    match remedy_id:
        case "more_data":
            return replace(setup, train_size=int(clamp("train_size", setup.train_size * 2)))
        case "augment":
            return replace(setup, augment=True)
        case "dropout":
            return replace(setup, dropout=max(setup.dropout, 0.5))
        case "weight_decay":
            return replace(setup, weight_decay=max(setup.weight_decay, 5e-4))
        case "l1":
            return replace(setup, l1=max(setup.l1, 1e-4))
        case "early_stop":
            return replace(setup, early_stopping=True)
        case "smaller":
            return replace(setup, width=clamp("width", setup.width / 2))
        case "wider":
            return replace(setup, width=clamp("width", setup.width * 2))
        case "deeper":
            return replace(setup, depth=int(clamp("depth", setup.depth + 1)))
        case "batch_norm":
            return replace(setup, batch_norm=True)
        case "longer":
            return replace(setup, epochs=int(clamp("epochs", setup.epochs * 2)))
        case "less_regularisation":
            dropout = math.floor(setup.dropout / 2 * 20 + 1e-9) / 20  # on the 0.05 slider grid
            wd, l1 = setup.weight_decay / 10, setup.l1 / 10
            return replace(
                setup,
                dropout=dropout if dropout >= 0.1 else 0.0,
                weight_decay=wd if wd >= 1e-6 else 0.0,
                l1=l1 if l1 >= 1e-6 else 0.0,
            )
        case "higher_lr":
            return replace(setup, lr=clamp("lr", setup.lr * 3))
        case "lower_lr":
            return replace(setup, lr=clamp("lr", setup.lr / 10))
        case "ensemble":
            return replace(setup, seed=setup.seed + 1, keep_weights=True)
    raise ValueError(f"unknown remedy {remedy_id!r}; known: {', '.join(REMEDY_IDS)}")


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
#: weight decay 5e-4 and early stopping.
SCENARIOS: dict[str, Scenario] = {
    "overfit": Scenario("overfit", _OVERFIT, "overfitting"),
    "underfit": Scenario(
        "underfit", dataclasses.replace(_OVERFIT, width=0.125, depth=1), "underfitting"
    ),
    "cure": Scenario(
        "cure",
        dataclasses.replace(
            _OVERFIT, augment=True, dropout=0.5, weight_decay=5e-4, early_stopping=True
        ),
        None,
    ),
}


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


# ------------------------------------------------------------------------- several runs in a row


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sequence: a label for the chart, the network and the training config."""

    label: str
    net: NetSpec
    cfg: TrainConfig
    width: float = 1.0


@dataclass
class RunOutcome:
    """What a finished run of a sequence left: curves, end, clean accuracies, maybe weights.

    ``train_acc_eval`` is measured after training in eval mode on the (un-augmented) training set.
    """

    label: str
    width: float
    params: int
    epochs: list[EpochEnd] = field(default_factory=list)
    finished: Finished | None = None
    train_acc_eval: float = float("nan")
    val_acc_eval: float = float("nan")
    model_state: dict[str, torch.Tensor] | None = None


@dataclass(frozen=True, eq=False)
class SequenceSnapshot:
    """A consistent copy of a :class:`SequenceJob` for one page poll."""

    status: str
    current: int
    total: int
    progress: float
    outcomes: tuple[RunOutcome, ...]
    elapsed_seconds: float
    error_key: str | None = None
    error_params: dict[str, Any] = field(default_factory=dict)


class SequenceJob(BackgroundJob):
    """Trains ``runs`` one after another on ``data`` in one background thread.

    Each run is built with its own seed (``cfg.seed``) and keeps its weights when
    ``keep_weights``. Stop ends the current run and skips the rest. Raises :class:`SpecError`
    at construction when a network does not fit the data or the server's caps.
    """

    def __init__(
        self,
        runs: Sequence[PlannedRun],
        data: DatasetBundle,
        *,
        keep_weights: bool = False,
        limiter: JobLimiter | None = None,
        heartbeat_timeout: float | None = 60.0,
    ) -> None:
        if not runs:
            raise ValueError("a sequence needs at least one run")
        planned = []
        for run in runs:
            cfg = with_defaults_for_server(run.cfg, DEFAULT_MAX_SECONDS)
            problems = check_limits(run.net, data, cfg)
            if problems:
                raise SpecError(problems)
            planned.append(dataclasses.replace(run, cfg=cfg))
        self.runs: tuple[PlannedRun, ...] = tuple(planned)
        self.data = data
        self.keep_weights = keep_weights
        self._lock = threading.Lock()
        self._outcomes: list[RunOutcome] = []
        self._current = 0
        self._run_fraction = 0.0
        self._total_steps = 0
        self._started_at: float | None = None
        super().__init__(
            self._work, limiter=limiter, on_event=None, heartbeat_timeout=heartbeat_timeout
        )

    def _work(self, control: JobControl) -> Iterator[Any]:
        from cnnviz.builder import build_model

        self._started_at = time.perf_counter()
        for index, run in enumerate(self.runs):
            if control.stop_requested:
                break
            model = build_model(run.net, seed=run.cfg.seed)
            params = sum(p.numel() for p in model.parameters())
            outcome = RunOutcome(label=run.label, width=run.width, params=params)
            with self._lock:
                self._current, self._run_fraction = index, 0.0
                self._outcomes.append(outcome)
            for event in train(model, self.data, run.cfg, control=control):
                with self._lock:
                    match event:
                        case Started():
                            self._total_steps = max(1, event.total_batches)
                        case BatchEnd():
                            self._run_fraction = event.step / max(1, self._total_steps)
                        case EpochEnd():
                            outcome.epochs.append(event)
                        case Finished():
                            outcome.finished = event
                yield event
            _, train_acc, _ = evaluate(model, self.data.train_x, self.data.train_y)
            _, val_acc, _ = evaluate(model, self.data.val_x, self.data.val_y)
            state = None
            if self.keep_weights:
                state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
            with self._lock:
                outcome.train_acc_eval, outcome.val_acc_eval = train_acc, val_acc
                outcome.model_state = state
                self._run_fraction = 1.0

    def snapshot(self) -> SequenceSnapshot:
        """Copies of the outcomes so far (epoch lists copied) and the overall progress 0..1."""
        status = self.status
        with self._lock:
            outcomes = tuple(dataclasses.replace(o, epochs=list(o.epochs)) for o in self._outcomes)
            done = sum(1 for o in self._outcomes if o.finished is not None)
            running = self._run_fraction if len(self._outcomes) > done else 0.0
            progress = min(1.0, (done + running) / len(self.runs))
            elapsed = 0.0
            if self._started_at is not None:
                elapsed = time.perf_counter() - self._started_at - self.control.paused_seconds
        return SequenceSnapshot(
            status=status,
            current=self._current,
            total=len(self.runs),
            progress=progress,
            outcomes=outcomes,
            elapsed_seconds=max(0.0, elapsed),
            error_key=self.error_key,
            error_params=dict(self.error_params),
        )


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


# ------------------------------------------------------------------------------------- ensembles


def model_from_state(net: NetSpec, state: Mapping[str, torch.Tensor]) -> nn.Module:
    """Rebuild a trained model from its spec and kept weights (eval mode, CPU)."""
    from cnnviz.builder import build_model

    model = build_model(net)
    model.load_state_dict(dict(state))
    return model.eval()


def same_validation_set(configs: Sequence[DataConfig]) -> bool:
    """True when the data configs share one validation set (they may differ in training
    subset and label noise only, which ``cnnviz.data`` applies after the split)."""
    keys = {
        dataclasses.replace(cfg, train_size=None, label_noise=0.0, download=False)
        for cfg in configs
    }
    return len(keys) <= 1


@dataclass(frozen=True)
class EnsembleResult:
    """Validation accuracy of each member and of the average of their probabilities."""

    member_accs: tuple[float, ...]
    ensemble_acc: float
    member_losses: tuple[float, ...]
    ensemble_loss: float


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
