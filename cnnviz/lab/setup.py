"""The Overfitting lab's controls as one value: :class:`LabSetup`, its configs, and the remedies.

A :class:`LabSetup` is the lab's controls as one frozen value (training-set size, label noise,
width, depth, dropout, weight decay, L1, batch norm, augmentation, early stopping, epochs, seed).
:func:`setup_configs` turns it into the ``(NetSpec, DataConfig, TrainConfig)`` the engine runs,
always on the built-in "shapes" data with one fixed validation set, so every lab run is comparable.
:func:`apply_remedy` sets up the next run after a diagnosis ("add dropout 0.5", "double the width").

Lesson: the "Overfitting lab" page ("Your experiment" tab and the remedy buttons).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cnnviz.data import AugmentConfig, DataConfig
from cnnviz.net import MAX_DEPTH, NetSpec, scaled_net
from cnnviz.train import REMEDY_IDS, TrainConfig

__all__ = [
    "LAB_AUGMENT",
    "LAB_INPUT_SHAPE",
    "LAB_NUM_CLASSES",
    "LAB_NUM_SAMPLES",
    "LAB_VAL_FRACTION",
    "LAB_VAL_SIZE",
    "MAX_SEED",
    "MAX_TRAIN_SIZE",
    "REMEDY_WEIGHT_DECAY",
    "LabSetup",
    "apply_remedy",
    "lab_data_config",
    "offset_seed",
    "setup_configs",
]

LAB_INPUT_SHAPE = (1, 28, 28)
LAB_NUM_CLASSES = 6
LAB_NUM_SAMPLES = 1200  # 960 training images to draw subsets from, 240 validation images
LAB_VAL_FRACTION = 0.2
LAB_DATA_SEED = 0  # one validation set for every lab run: curves and ensembles stay comparable
LAB_BATCH_SIZE = 32
LAB_PATIENCE = 8
#: Validation images of every lab run: ``round(1200 x 0.2) = 240``.
LAB_VAL_SIZE = round(LAB_NUM_SAMPLES * LAB_VAL_FRACTION)
#: The largest training subset: ``round(1200 x (1 - 0.2)) = 960``.
MAX_TRAIN_SIZE = round(LAB_NUM_SAMPLES * (1 - LAB_VAL_FRACTION))
MAX_SEED = 2**31 - 1
#: The weight decay of the remedy and of scenario 3, for AdamW's decoupled decay (0.05 is a common
#: AdamW value; the SGD-era 5e-4 would shrink the weights by lr * 5e-4 = 5e-7 a step: nothing).
REMEDY_WEIGHT_DECAY = 0.05
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
    "seed": (0, MAX_SEED),
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


def offset_seed(seed: int, offset: int) -> int:
    """``(seed + offset) mod 2^31``: the next seeds of ensemble members stay valid lab seeds."""
    return (seed + offset) % (MAX_SEED + 1)


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
    """The network (:func:`cnnviz.net.capacity.scaled_net`), data and training config of a setup.

    AdamW (decoupled weight decay: after each step every weight is multiplied by
    ``1 - lr * weight_decay``; with weight decay 0 it is exactly Adam), batch 32, early-stopping
    patience 8, augmentation :data:`LAB_AUGMENT` when on.
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
        optimizer="adamw",
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
    weight_decay: at least :data:`REMEDY_WEIGHT_DECAY` (AdamW's decoupled decay); l1: at least 1e-4; smaller / wider: width /2 or x2;
    deeper: one more conv block; longer: 2x epochs; less_regularisation: dropout /2 (0 below 0.1,
    kept on the 0.05 slider grid), weight decay and L1 /10 (0 below 1e-6); higher_lr: lr x3;
    lower_lr: lr /10; ensemble: the next seed (:func:`offset_seed`) with weights kept. Values are
    clamped to the lab's ranges, so a remedy that is already at its limit returns an equal setup
    (the page hides such buttons).
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
            return replace(setup, weight_decay=max(setup.weight_decay, REMEDY_WEIGHT_DECAY))
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
            return replace(setup, seed=offset_seed(setup.seed, 1), keep_weights=True)
    raise ValueError(f"unknown remedy {remedy_id!r}; known: {', '.join(REMEDY_IDS)}")
