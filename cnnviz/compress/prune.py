"""Pruning a trained network with ``torch.nn.utils.prune``, always on a deep copy.

Four methods (:data:`METHODS`), each a call of PyTorch's pruning utilities:

- ``global``: ``prune.global_unstructured(..., L1Unstructured, amount)`` over every conv and
  Linear weight at once: the ``amount`` fraction of smallest ``|w|`` of the whole network goes;
- ``layer``: ``prune.l1_unstructured(module, "weight", amount)`` in each layer: the same fraction
  of every layer;
- ``structured``: ``prune.ln_structured(module, "weight", amount, n, dim=0)``: whole filters of
  each conv (and whole neurons of each hidden Linear) with the smallest L1 (``n=1``) or L2 norm,
  their bias and the scale/shift of a BatchNorm right after them too, so a pruned channel carries
  exact zeros; at least one filter of each layer is kept; the output layer is never pruned;
- ``random``: ``prune.random_unstructured(module, "weight", amount)`` in each layer, from a seeded
  generator: the baseline every pruning claim should beat.

The masks stay on the copy (``weight = weight_orig * weight_mask`` before every forward), so
fine-tuning it keeps pruned weights at zero. Sparsity is always *measured*: the fraction of
exact zeros among the prunable weights.

Lesson: the pruning lab (page /prune), after 「卷积神经网络的参数剪枝和稀疏化方法」.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn.utils import prune

from cnnviz.i18n import MessageError

__all__ = [
    "MAX_SPARSITY",
    "METHODS",
    "NORMS",
    "LayerSparsity",
    "PruneError",
    "check_sparsity",
    "layer_sparsity",
    "make_permanent",
    "measured_sparsity",
    "prunable_layers",
    "prune_copy",
    "pruned_filters",
]

METHODS: tuple[str, ...] = ("global", "layer", "structured", "random")
NORMS: tuple[int, ...] = (1, 2)
MAX_SPARSITY = 0.95


class PruneError(MessageError):
    """A pruning request that cannot be done (``compress.error.*``)."""


@dataclass(frozen=True)
class LayerSparsity:
    """One prunable layer: its name, its exact zeros and its number of weights."""

    name: str
    zeros: int
    total: int

    @property
    def fraction(self) -> float:
        """``zeros / total``."""
        return self.zeros / self.total if self.total else 0.0


def prunable_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """Every ``nn.Conv2d`` and ``nn.Linear`` of ``model`` (named as in ``named_modules``)."""
    return [
        (name, module)
        for name, module in model.named_modules()
        if isinstance(module, (nn.Conv2d, nn.Linear))
    ]


def check_sparsity(amount: float) -> None:
    """Raise :class:`PruneError` unless ``0 <= amount <= MAX_SPARSITY``."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount != amount:
        raise PruneError("compress.error.sparsity", value=repr(amount), high=MAX_SPARSITY)
    if not 0.0 <= amount <= MAX_SPARSITY:
        raise PruneError("compress.error.sparsity", value=f"{amount:g}", high=MAX_SPARSITY)


def _weight(module: nn.Module) -> torch.Tensor:
    weight = module.weight
    assert isinstance(weight, torch.Tensor)
    return weight


def _structured_targets(model: nn.Module) -> list[tuple[nn.Module, nn.Module | None]]:
    """The layers structured pruning may thin, each with the BatchNorm2d right after it (or None):
    top-level convs with ``groups == 1`` and every Linear but the last (the classes)."""
    modules = list(model.children())
    if len(modules) == 1 and isinstance(modules[0], nn.ModuleList):
        modules = list(modules[0])
    linears = [i for i, m in enumerate(modules) if isinstance(m, nn.Linear)]
    last = linears[-1] if linears else -1
    targets: list[tuple[nn.Module, nn.Module | None]] = []
    for index, module in enumerate(modules):
        if (isinstance(module, nn.Conv2d) and module.groups == 1) or (
            isinstance(module, nn.Linear) and index != last
        ):
            follow = modules[index + 1] if index + 1 < len(modules) else None
            targets.append((module, follow if isinstance(follow, nn.BatchNorm2d) else None))
    return targets


def prune_copy(
    model: nn.Module, method: str, amount: float, *, norm: int = 1, seed: int = 0
) -> nn.Module:
    """A deep copy of ``model`` pruned with ``method`` to ``amount`` (0..0.95); ``model`` itself
    is never touched. Raises :class:`PruneError` for a bad amount or method, or a network with
    nothing to prune."""
    check_sparsity(amount)
    if method not in METHODS:
        raise PruneError("compress.error.method", value=repr(method), allowed=", ".join(METHODS))
    if norm not in NORMS:
        raise PruneError("compress.error.method", value=f"L{norm}", allowed="L1, L2")
    pruned = copy.deepcopy(model)
    layers = prunable_layers(pruned)
    if not layers:
        raise PruneError("compress.error.nothing")
    if method == "global":
        prune.global_unstructured(
            [(module, "weight") for _, module in layers],
            pruning_method=prune.L1Unstructured,
            amount=float(amount),
        )
    elif method == "layer":
        for _, module in layers:
            prune.l1_unstructured(module, "weight", amount=float(amount))
    elif method == "random":
        with torch.random.fork_rng(devices=[]):  # never disturb another learner's stream
            torch.manual_seed(seed)
            for _, module in layers:
                prune.random_unstructured(module, "weight", amount=float(amount))
    else:
        targets = _structured_targets(pruned)
        if not targets:
            raise PruneError("compress.error.nothing_structured")
        for module, batch_norm in targets:
            channels = _weight(module).shape[0]
            count = min(round(amount * channels), channels - 1)  # keep one filter at least
            prune.ln_structured(module, "weight", amount=int(count), n=norm, dim=0)
            mask = getattr(module, "weight_mask")  # noqa: B009 (set by torch.nn.utils.prune)
            kept = mask.flatten(1).amax(dim=1)
            for owner in (module, batch_norm):
                if owner is None:
                    continue
                for name in ("bias", "weight") if owner is batch_norm else ("bias",):
                    if getattr(owner, name, None) is not None:
                        prune.custom_from_mask(owner, name, mask=kept.clone())
    return pruned


def make_permanent(model: nn.Module) -> nn.Module:
    """Fold every pruning mask into its tensor (``prune.remove``): a plain module whose pruned
    weights are zeros, whose ``state_dict`` has the usual names. Changes ``model`` in place."""
    for module in model.modules():
        names = [n for n, _ in module.named_parameters(recurse=False) if n.endswith("_orig")]
        for name in names:
            prune.remove(module, name[: -len("_orig")])
    return model


def layer_sparsity(model: nn.Module) -> list[LayerSparsity]:
    """Exact zeros of each prunable layer's weight (masks applied)."""
    result = []
    for name, module in prunable_layers(model):
        weight = _weight(module).detach()
        result.append(LayerSparsity(name, int((weight == 0).sum()), weight.numel()))
    return result


def measured_sparsity(model: nn.Module) -> float:
    """Fraction of exact zeros among all conv and Linear weights (biases excluded)."""
    layers = layer_sparsity(model)
    total = sum(layer.total for layer in layers)
    return sum(layer.zeros for layer in layers) / total if total else 0.0


def pruned_filters(model: nn.Module) -> list[bool]:
    """For the first conv: whether each filter is entirely zero (pruned)."""
    for _, module in prunable_layers(model):
        if isinstance(module, nn.Conv2d):
            weight = _weight(module).detach().flatten(1)
            return [bool(v) for v in weight.eq(0).all(dim=1)]
    return []
