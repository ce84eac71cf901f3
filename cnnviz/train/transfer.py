"""Transfer learning: which layers of a trained network can start a new one, and the three ways
to use them: from scratch (nothing copied), frozen features with a new head, and fine-tuning with
a smaller learning rate for the transferred layers.

A layer transfers when the target has a layer of the same name, of the same type, whose
parameters and buffers all have the same shapes. The target's *head* (its last layer with
parameters) is always new: its outputs mean the target's classes, not the source's.
The learning rates are optimizer parameter groups (``torch.optim``), the freezing is
``requires_grad = False``: the field's own tools, shown plainly.

Lesson: the "Beyond classification" page, section "Transfer learning".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from cnnviz.i18n import Message, MessageError
from cnnviz.net import NetSpec, build_model

__all__ = [
    "MODES",
    "LayerTransfer",
    "TransferError",
    "TransferReport",
    "param_groups_for",
    "transfer",
    "transferable",
]

MODES: tuple[str, ...] = ("scratch", "frozen", "finetune")


class TransferError(MessageError):
    """A transfer a student must change: key ``transfer.error.<...>``."""


@dataclass(frozen=True)
class LayerTransfer:
    """One layer of the target: its module name, its type, whether the source's copy fits, and
    why not (a :class:`Message`, None when it can be copied)."""

    name: str
    kind: str
    copyable: bool
    reason: Message | None = None
    head: bool = False


@dataclass(frozen=True)
class TransferReport:
    """Every layer of the target with parameters, in order."""

    layers: tuple[LayerTransfer, ...]

    @property
    def copyable(self) -> list[str]:
        """Names of the layers that can be copied."""
        return [layer.name for layer in self.layers if layer.copyable]

    @property
    def blocked(self) -> list[str]:
        """Names of the feature layers (not the head) that cannot be copied."""
        return [layer.name for layer in self.layers if not layer.copyable and not layer.head]


def _leaves(model: nn.Module) -> dict[str, nn.Module]:
    """Modules that own parameters or buffers directly, by name, in order."""
    return {
        name: module
        for name, module in model.named_modules()
        if name
        and (
            any(True for _ in module.parameters(recurse=False))
            or any(True for _ in module.buffers(recurse=False))
        )
    }


def _shapes(module: nn.Module) -> dict[str, tuple[int, ...]]:
    tensors = [*module.named_parameters(recurse=False), *module.named_buffers(recurse=False)]
    return {name: tuple(t.shape) for name, t in tensors}


def _fmt(shape: tuple[int, ...]) -> str:
    return "x".join(str(v) for v in shape) or "scalar"


def transferable(source: nn.Module, target: nn.Module | NetSpec) -> TransferReport:
    """Which of ``target``'s layers can take ``source``'s weights, each with its reason.

    ``target`` is a model or a :class:`NetSpec` (built, unseeded, only to read its shapes).
    Raises :class:`TransferError` ``transfer.error.one_class`` when the target's head has a
    single output: a classifier needs at least two classes.
    """
    model = build_model(target) if isinstance(target, NetSpec) else target
    theirs = _leaves(source)
    ours = _leaves(model)
    head = next(reversed(ours)) if ours else None
    if head is not None:
        head_module = ours[head]
        outputs = getattr(head_module, "out_features", None)
        if outputs is not None and outputs < 2:
            raise TransferError("transfer.error.one_class", classes=outputs)
    rows = []
    for name, module in ours.items():
        kind = type(module).__name__
        other = theirs.get(name)
        reason: Message | None = None
        if name == head:
            reason = Message.of("transfer.reason.head")
        elif other is None:
            reason = Message.of("transfer.reason.missing")
        elif type(other) is not type(module):
            reason = Message.of("transfer.reason.type", source=type(other).__name__, target=kind)
        else:
            mine, source_shapes = _shapes(module), _shapes(other)
            for tensor, shape in mine.items():
                if source_shapes.get(tensor) != shape:
                    got = source_shapes.get(tensor)
                    reason = Message.of(
                        "transfer.reason.shape",
                        tensor=tensor,
                        source=_fmt(got) if got is not None else "-",
                        target=_fmt(shape),
                    )
                    break
        rows.append(LayerTransfer(name, kind, reason is None, reason, name == head))
    return TransferReport(tuple(rows))


def transfer(
    source: nn.Module, target: nn.Module, mode: str, *, partial: bool = False
) -> TransferReport:
    """Prepare ``target`` (in place) for ``mode`` and return what was copied.

    - "scratch": nothing copied, every parameter trainable;
    - "frozen": the copyable feature layers are copied and frozen (``requires_grad = False``),
      only the rest (the new head) trains;
    - "finetune": the copyable layers are copied and all of it trains (give the copied ones a
      smaller learning rate with :func:`param_groups_for`).

    Raises :class:`TransferError` for an unknown mode, a one-class head, a source with no
    copyable layer, or (unless ``partial``) feature layers that cannot be copied, naming the
    layers that can and those that cannot.
    """
    if mode not in MODES:
        raise TransferError("transfer.error.mode", value=repr(mode), allowed=", ".join(MODES))
    report = transferable(source, target)
    for parameter in target.parameters():
        parameter.requires_grad_(True)
    if mode == "scratch":
        return TransferReport(
            tuple(
                LayerTransfer(r.name, r.kind, False, Message.of("transfer.reason.scratch"), r.head)
                for r in report.layers
            )
        )
    if not report.copyable or (report.blocked and not partial):
        raise TransferError(
            "transfer.error.mismatch",
            blocked=", ".join(report.blocked) or "-",
            copyable=", ".join(report.copyable) or "-",
        )
    theirs, ours = _leaves(source), _leaves(target)
    with torch.no_grad():
        for name in report.copyable:
            ours[name].load_state_dict(theirs[name].state_dict(), strict=False)
            if mode == "frozen":
                for parameter in ours[name].parameters(recurse=False):
                    parameter.requires_grad_(False)
    return report


def param_groups_for(
    model: nn.Module, report: TransferReport, lr: float, transferred_lr: float
) -> list[dict[str, Any]]:
    """Optimizer parameter groups: the copied layers at ``transferred_lr``, the rest at ``lr``;
    frozen parameters (``requires_grad`` False) are left out. Empty groups are dropped."""
    copied = set(report.copyable)
    old: list[nn.Parameter] = []
    new: list[nn.Parameter] = []
    for name, module in _leaves(model).items():
        trainable: Iterable[nn.Parameter] = (
            p for p in module.parameters(recurse=False) if p.requires_grad
        )
        (old if name in copied else new).extend(trainable)
    groups = [
        {"params": old, "lr": transferred_lr, "name": "transferred"},
        {"params": new, "lr": lr, "name": "new"},
    ]
    return [g for g in groups if g["params"]]
