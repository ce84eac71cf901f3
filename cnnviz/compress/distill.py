"""Knowledge distillation (Hinton, Vinyals and Dean, 2015): a small student learns from the
soft targets of a trained teacher.

The loss, with temperature ``T`` and weight ``alpha`` (the convention of this module)::

    L = alpha * T^2 * KL( softmax(z_t / T) || softmax(z_s / T) ) + (1 - alpha) * CE(z_s, y)

``KL(p || q) = sum_k p_k (log p_k - log q_k)`` averaged over the batch; the ``T^2`` keeps the
soft term's gradients the same size as the hard term's when ``T`` changes. ``alpha = 0`` is
plain training on the labels.

:class:`DistillTask` trains the student twice from the same seed (same initial weights, same
batches): alone (``alpha = 0``) and distilled, yielding :class:`DistillEpoch` events.

Lesson: the pruning lab (page /prune), "knowledge distillation".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.control import Control
from cnnviz.data import DatasetBundle
from cnnviz.i18n import MessageError
from cnnviz.jobs import Progress
from cnnviz.net import NetSpec, build_model
from cnnviz.train import TrainConfig, batches_per_epoch, cpu_state_dict, evaluate, make_optimizer

__all__ = [
    "DISTILL_FORMULA",
    "DISTILL_RUNS",
    "DistillEpoch",
    "DistillError",
    "DistillTask",
    "DistilledWeights",
    "check_distill",
    "distillation_loss",
    "soft_targets",
]

DISTILL_RUNS: tuple[str, ...] = ("alone", "distilled")
#: The loss of :func:`distillation_loss` in LaTeX (the page writes it out).
DISTILL_FORMULA = (
    r"L = \alpha\,T^2\,\mathrm{KL}\big(\mathrm{softmax}(z_t/T)\,\|\,"
    r"\mathrm{softmax}(z_s/T)\big) + (1-\alpha)\,\mathrm{CE}(z_s, y)"
)


class DistillError(MessageError):
    """Distillation settings that cannot work (``compress.error.distill``)."""


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    targets: torch.Tensor,
    temperature: float,
    alpha: float,
) -> torch.Tensor:
    """``alpha * T^2 * KL(softmax(z_t/T) || softmax(z_s/T)) + (1 - alpha) * CE(z_s, y)``."""
    soft = F.kl_div(
        F.log_softmax(student_logits / temperature, dim=1),
        F.log_softmax(teacher_logits.detach() / temperature, dim=1),
        reduction="batchmean",
        log_target=True,
    )
    hard = F.cross_entropy(student_logits, targets)
    return alpha * temperature**2 * soft + (1.0 - alpha) * hard


def soft_targets(logits: torch.Tensor, temperatures: Sequence[float]) -> np.ndarray:
    """``softmax(z / T)`` of one image's logits ``z`` (K,) for each ``T``: (len(T), K)."""
    rows = [torch.softmax(logits.detach().float() / t, dim=0) for t in temperatures]
    return torch.stack(rows).numpy()


@dataclass(frozen=True)
class DistillEpoch:
    """One epoch of one run (``alone`` or ``distilled``)."""

    run: str
    epoch: int
    train_loss: float
    val_loss: float
    val_acc: float


@dataclass(frozen=True, eq=False)
class DistilledWeights:
    """The last event of a run: the student's weights (CPU tensors)."""

    run: str
    state: dict[str, torch.Tensor]


def check_distill(temperature: float, alpha: float, epochs: int) -> None:
    """Raise :class:`DistillError` unless ``1 <= T <= 20``, ``0 <= alpha <= 1``, ``1..20`` epochs."""
    if not (1.0 <= temperature <= 20.0 and 0.0 <= alpha <= 1.0 and 1 <= epochs <= 20):
        raise DistillError("compress.error.distill", t=temperature, alpha=alpha, epochs=epochs)


@dataclass(frozen=True, eq=False)
class DistillTask:
    """Train ``student`` alone and distilled from ``teacher`` (same seed); picklable."""

    student: NetSpec
    teacher: NetSpec
    teacher_state: dict[str, torch.Tensor]
    data: DatasetBundle
    temperature: float = 4.0
    alpha: float = 0.7
    epochs: int = 3
    seed: int = 0
    lr: float = 1e-3
    batch_size: int = 64
    num_threads: int | None = None

    def __post_init__(self) -> None:
        check_distill(self.temperature, self.alpha, self.epochs)

    def run(self, control: Control) -> Iterator[Any]:
        """Both runs' :class:`DistillEpoch` events, :class:`Progress`, then the weights."""
        if self.num_threads is not None:
            torch.set_num_threads(self.num_threads)
        teacher = build_model(self.teacher, seed=0)
        teacher.load_state_dict(self.teacher_state)
        teacher.eval()
        with torch.no_grad():
            teacher_logits = torch.cat(
                [
                    teacher(self.data.train_x[i : i + 512])
                    for i in range(0, len(self.data.train_x), 512)
                ]
            )
        steps = batches_per_epoch(len(self.data.train_y), self.batch_size)
        total = 2 * self.epochs * steps
        done = 0
        yield Progress(0, total)
        for run in DISTILL_RUNS:
            alpha = 0.0 if run == "alone" else self.alpha
            model = build_model(self.student, seed=self.seed)
            optimizer = make_optimizer(model.parameters(), TrainConfig(lr=self.lr))
            shuffle = torch.Generator().manual_seed(self.seed)
            for epoch in range(1, self.epochs + 1):
                model.train()
                order = torch.randperm(len(self.data.train_y), generator=shuffle)
                loss_sum = 0.0
                for start in range(0, len(order), self.batch_size):
                    control.checkpoint()
                    index = order[start : start + self.batch_size]
                    logits = model(self.data.train_x[index])
                    loss = distillation_loss(
                        logits,
                        teacher_logits[index],
                        self.data.train_y[index],
                        self.temperature,
                        alpha,
                    )
                    optimizer.zero_grad(set_to_none=True)
                    loss.backward()
                    optimizer.step()
                    loss_sum += float(loss) * len(index)
                    done += 1
                yield Progress(done, total)
                val_loss, val_acc, _ = evaluate(model, self.data.val_x, self.data.val_y)
                yield DistillEpoch(run, epoch, loss_sum / len(order), val_loss, val_acc)
            yield DistilledWeights(run, cpu_state_dict(model))
