"""Every learning-rate schedule of the Train page, drawn before it is used.

The article 「深度学习之卷积神经网络(Convolutional Neural Networks, CNN)」 describes Caffe's policies:
``fixed``; ``step``, ``base_lr * gamma ^ floor(iter / stepsize)``; ``multistep``, the same with
uneven ``stepvalue`` milestones; ``poly``, ``base_lr * (1 - iter / max_iter) ^ power``. The Train
page runs them as PyTorch schedulers (``StepLR``, ``MultiStepLR``, ``PolynomialLR``), plus
exponential decay, cosine annealing and one-cycle (``cnnviz.train.SCHEDULES``).
:func:`schedule_curves` returns the learning rate of every step by running those very schedulers
(``cnnviz.train.lr_curve``).

Lesson: the "Learning rate" page (schedules).
"""

from __future__ import annotations

from cnnviz.concepts.toy_training import toy_config
from cnnviz.train import SCHEDULES, lr_curve

__all__ = ["schedule_curves"]


def schedule_curves(
    optimizer: str, lr: float, epochs: int, steps_per_epoch: int
) -> dict[str, list[float]]:
    """For every schedule id, the learning rate of each of the ``epochs * steps_per_epoch``
    optimizer steps of a demo run with ``optimizer`` and base ``lr``."""
    return {
        schedule: lr_curve(
            toy_config(optimizer, lr, epochs=epochs, schedule=schedule), steps_per_epoch
        )
        for schedule in SCHEDULES
    }
