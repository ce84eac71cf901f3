"""The one small problem every training demo of the learning explorers uses: data, net, configs.

The built-in shapes (28x28 grey images, 1000 of them: 800 to train, 200 to validate, always the
same ones) and the Overfitting lab's small CNN (two conv blocks of 8 and 16 filters, a hidden
layer of 32), so a comparison between optimizers, schedules or batch sizes changes one thing only.
Every run is seeded; runs that differ only in their optimizer start from the same weights.

Lessons: the "Optimizers" page (two trainings on the shapes data) and the "Learning rate" page
(schedules, range test, batch sizes).
"""

from __future__ import annotations

from typing import Final

from cnnviz.data import DataConfig
from cnnviz.jobs import PlannedRun
from cnnviz.net import NetSpec, scaled_net
from cnnviz.train import SCHEDULES, TrainConfig

__all__ = [
    "TOY_BATCH",
    "TOY_DATA",
    "TOY_EPOCHS",
    "TOY_INPUT",
    "schedule_plan",
    "toy_config",
    "toy_net",
    "two_optimizer_plan",
]

TOY_INPUT: Final[tuple[int, int, int]] = (1, 28, 28)
#: The shapes every demo trains on: 1000 images, 200 for validation, seed 0.
TOY_DATA: Final[DataConfig] = DataConfig(
    name="shapes", image_size=28, num_samples=1000, val_fraction=0.2, seed=0
)
TOY_BATCH: Final[int] = 32
TOY_EPOCHS: Final[int] = 8


def toy_net(num_classes: int) -> NetSpec:
    """The small CNN of the demos (``cnnviz.net.scaled_net`` at width 1, depth 2)."""
    return scaled_net(TOY_INPUT, num_classes, width=1.0, depth=2)


def toy_config(
    optimizer: str,
    lr: float,
    *,
    epochs: int = TOY_EPOCHS,
    schedule: str = "fixed",
    batch_size: int = TOY_BATCH,
    seed: int = 0,
) -> TrainConfig:
    """A checked :class:`TrainConfig` for a demo run (raises ``SpecError`` for bad values)."""
    return TrainConfig(
        epochs=epochs,
        batch_size=batch_size,
        optimizer=optimizer,
        lr=lr,
        schedule=schedule,
        seed=seed,
        snapshot_every=10**5,  # the demos draw curves, not feature maps
    )


def two_optimizer_plan(
    first: tuple[str, float],
    second: tuple[str, float],
    num_classes: int,
    *,
    epochs: int = TOY_EPOCHS,
    seed: int = 0,
) -> list[PlannedRun]:
    """Two runs of the same net, data and seed that differ only in ``(optimizer, lr)``; labels
    are ``"<optimizer> lr <lr>"`` (the page translates the optimizer's name)."""
    net = toy_net(num_classes)
    return [
        PlannedRun(f"{kind} lr {lr:g}", net, toy_config(kind, lr, epochs=epochs, seed=seed))
        for kind, lr in (first, second)
    ]


def schedule_plan(
    optimizer: str, lr: float, num_classes: int, *, epochs: int = TOY_EPOCHS, seed: int = 0
) -> list[PlannedRun]:
    """One run per learning-rate schedule of the Train page (``cnnviz.train.SCHEDULES``), same
    net, data, seed, optimizer and base lr; each run's label is its schedule id."""
    net = toy_net(num_classes)
    return [
        PlannedRun(
            schedule, net, toy_config(optimizer, lr, epochs=epochs, schedule=schedule, seed=seed)
        )
        for schedule in SCHEDULES
    ]
