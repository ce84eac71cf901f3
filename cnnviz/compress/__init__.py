"""Making a trained network small: pruning with ``torch.nn.utils.prune`` (global, layer-wise,
structured, random), measured sparsity and size, the structured rebuild to a smaller network,
fine-tuning with the masks kept, and knowledge distillation.

Lesson: the pruning lab (page /prune) and ``python -m cnnviz prune``.
"""

from __future__ import annotations

from cnnviz.compress.distill import (
    DISTILL_FORMULA,
    DISTILL_RUNS,
    DistilledWeights,
    DistillEpoch,
    DistillError,
    DistillTask,
    check_distill,
    distillation_loss,
    soft_targets,
)
from cnnviz.compress.penalty import (
    DEFAULT_L1,
    PenaltyPoint,
    PenaltyTask,
    exact_zero_fraction,
    inference_ms,
)
from cnnviz.compress.prune import (
    MAX_SPARSITY,
    METHODS,
    NORMS,
    LayerSparsity,
    PruneError,
    check_sparsity,
    layer_sparsity,
    make_permanent,
    measured_sparsity,
    prunable_layers,
    prune_copy,
    pruned_filters,
)
from cnnviz.compress.rebuild import RebuildError, rebuild_structured
from cnnviz.compress.size import SizeReport, size_report, sparse_encoding
from cnnviz.compress.sweep import (
    DEFAULT_SPARSITIES,
    LOSS_POINTS,
    SweepPoint,
    SweepTask,
    finetune,
    first_loss_over,
    model_from_state,
    prune_and_evaluate,
)

__all__ = [
    "DEFAULT_L1",
    "DEFAULT_SPARSITIES",
    "DISTILL_FORMULA",
    "DISTILL_RUNS",
    "LOSS_POINTS",
    "MAX_SPARSITY",
    "METHODS",
    "NORMS",
    "DistillEpoch",
    "DistillError",
    "DistillTask",
    "DistilledWeights",
    "LayerSparsity",
    "PenaltyPoint",
    "PenaltyTask",
    "PruneError",
    "RebuildError",
    "SizeReport",
    "SweepPoint",
    "SweepTask",
    "check_distill",
    "check_sparsity",
    "distillation_loss",
    "exact_zero_fraction",
    "finetune",
    "first_loss_over",
    "inference_ms",
    "layer_sparsity",
    "make_permanent",
    "measured_sparsity",
    "model_from_state",
    "prunable_layers",
    "prune_and_evaluate",
    "prune_copy",
    "pruned_filters",
    "rebuild_structured",
    "size_report",
    "soft_targets",
    "sparse_encoding",
]
