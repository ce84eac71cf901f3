"""A few-label subset: ``k`` labelled images per class, seeded, for the transfer-learning lesson.

Lesson: the "Beyond classification" page, section "Transfer learning" (how many labelled images
each approach needs).
"""

from __future__ import annotations

import numpy as np

from cnnviz.data.config import DataError

__all__ = ["FEW_LABEL_CHOICES", "MAX_PER_CLASS_LABELS", "few_label_subset"]

FEW_LABEL_CHOICES: tuple[int, ...] = (10, 50, 200)
MAX_PER_CLASS_LABELS = 1000


def few_label_subset(labels: np.ndarray, per_class: int, seed: int) -> np.ndarray:
    """Sorted indices of ``per_class`` images of every class in ``labels`` ``(N,)``, drawn with
    ``np.random.default_rng(seed)``. The subsets are nested: the 10 of a class are the first 10
    of its 50 (same seed), so a larger ``k`` only adds labels.

    Raises :class:`DataError` when ``labels`` holds fewer than two classes (there is nothing to
    tell apart), when ``per_class`` is out of range, or when a class has fewer images than asked.
    """
    labels = np.asarray(labels).reshape(-1)
    classes, counts = np.unique(labels, return_counts=True)
    if classes.size < 2:
        raise DataError("transfer.error.one_class", classes=int(classes.size))
    if isinstance(per_class, bool) or not 1 <= int(per_class) <= MAX_PER_CLASS_LABELS:
        raise DataError(
            "transfer.error.range", field="k", value=per_class, low=1, high=MAX_PER_CLASS_LABELS
        )
    if int(counts.min()) < per_class:
        short = classes[int(np.argmin(counts))]
        raise DataError(
            "transfer.error.too_few", label=int(short), have=int(counts.min()), k=per_class
        )
    rng = np.random.default_rng(seed)
    picked = [rng.permutation(np.flatnonzero(labels == label))[:per_class] for label in classes]
    return np.sort(np.concatenate(picked))
