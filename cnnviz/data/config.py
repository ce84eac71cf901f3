"""What every dataset loader shares: the config, the bundle, the error a page shows, the split.

Split out of ``cnnviz.data.registry`` so the loaders (synthetic, torchvision, upload) can raise
:class:`DataError` without importing the registry; ``cnnviz.data.registry`` re-exports everything here.

Lesson: the "Train live" page (dataset choice) and the Overfitting lab (train size, label noise).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from cnnviz.i18n import Message, MessageError

__all__ = [
    "DATASET_NAMES",
    "DEFAULT_MAX_SAMPLES",
    "IMAGE_SIZES",
    "MAX_BUNDLE_BYTES",
    "MAX_REAL_SAMPLES",
    "MAX_SYNTHETIC_SAMPLES",
    "MIN_SYNTHETIC_SAMPLES",
    "REAL_DATASETS",
    "SYNTHETIC_DATASETS",
    "DataConfig",
    "DataError",
    "DatasetBundle",
    "Progress",
    "default_data_dir",
    "stratified_split",
]

SYNTHETIC_DATASETS: tuple[str, ...] = ("shapes", "shapes-color")
REAL_DATASETS: tuple[str, ...] = ("mnist", "fashion-mnist", "kmnist", "cifar10")
DATASET_NAMES: tuple[str, ...] = (*SYNTHETIC_DATASETS, *REAL_DATASETS, "upload")
IMAGE_SIZES: tuple[int, ...] = (28, 32, 64)
DEFAULT_MAX_SAMPLES = 20_000  # images read from a real dataset when ``max_samples`` is None
MAX_SYNTHETIC_SAMPLES = 60_000
MIN_SYNTHETIC_SAMPLES = 60
MAX_REAL_SAMPLES = 70_000  # all of MNIST; ``max_samples`` above this is refused
MAX_BUNDLE_BYTES = 1 << 30  # float32 images of one bundle (train + val): 1 GiB


Progress = Callable[[float, str], None]
"""``progress(fraction in [0, 1], message)``; ``message`` is a catalog key ``data.progress.*``."""


class DataError(MessageError):
    """A dataset problem a student can act on: ``key`` is a catalog key ``data.error.<...>``."""


@dataclass
class RawImages:
    """Images straight from the files: ``images`` ``(N, C, H, W)`` uint8, ``labels`` ``(N,)``."""

    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    notes: list[Message] = field(default_factory=list)
    #: the official test split (MNIST, Fashion-MNIST, KMNIST, CIFAR-10), None when there is none
    test_images: np.ndarray | None = None
    test_labels: np.ndarray | None = None
    #: images in the official training split before any cap (None: no official split)
    split_size: int | None = None


@dataclass(frozen=True)
class DataConfig:
    """Which dataset to load and how to split, subsample, corrupt and normalise it.

    Frozen and hashable (the upload bytes are excluded), so pages can use it as a cache key.
    """

    name: str = "shapes"
    image_size: int = 28  # synthetic sets and uploads: 28, 32 or 64
    num_samples: int = 3000
    noise: float = 0.1
    label_noise: float = 0.0
    val_fraction: float = 0.2
    train_size: int | None = None
    max_samples: int | None = None
    seed: int = 0
    data_dir: str | None = None
    download: bool = False
    upload_zip: bytes | None = field(default=None, compare=False, hash=False, repr=False)

    def resolved_data_dir(self) -> str:
        """``data_dir``, else ``$CNNVIZ_DATA_DIR``, else ``./data``."""
        return self.data_dir or default_data_dir()


def default_data_dir() -> str:
    """Where real datasets live: ``$CNNVIZ_DATA_DIR`` or ``./data``."""
    return os.environ.get("CNNVIZ_DATA_DIR") or "./data"


@dataclass
class DatasetBundle:
    """Train and validation tensors ready for a network, plus what is needed to show them.

    ``train_x``/``val_x``: ``(N, C, H, W)`` float32, normalised ``(x - mean[c]) / std[c]`` with the
    training set's per-channel statistics; ``train_y``/``val_y``: ``(N,)`` int64 class indices.
    ``test_x``/``test_y``: the dataset's official test split, normalised the same way, or None
    (built-in shapes and uploads have none); a run measures it once, at its end.
    ``split_size``: the images of the official training split that training and validation
    images were drawn from (None without one).
    ``notes``: what a user should know (skipped files, fallbacks, caps), each a catalog key
    ``data.note.*`` optionally followed by a space and its parameters as JSON; render them with
    :func:`cnnviz.data.registry.note_text`.
    """

    name: str
    train_x: torch.Tensor
    train_y: torch.Tensor
    val_x: torch.Tensor
    val_y: torch.Tensor
    class_names: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    notes: list[Message] = field(default_factory=list)
    test_x: torch.Tensor | None = None
    test_y: torch.Tensor | None = None
    split_size: int | None = None

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """``(C, H, W)`` of one image: the ``NetSpec.input_shape`` a network needs."""
        _, channels, height, width = self.train_x.shape
        return (int(channels), int(height), int(width))

    @property
    def used_images(self) -> int:
        """Images a run trains and validates on: ``len(train_y) + len(val_y)``."""
        return int(self.train_y.shape[0] + self.val_y.shape[0])

    @property
    def num_classes(self) -> int:
        """Number of classes (outputs of the last Linear layer)."""
        return len(self.class_names)

    def denormalise(self, x: torch.Tensor) -> torch.Tensor:
        """Back to pixel values in [0, 1]: ``x * std[c] + mean[c]`` (for display)."""
        mean = torch.tensor(self.mean, dtype=x.dtype).view(-1, 1, 1)
        std = torch.tensor(self.std, dtype=x.dtype).view(-1, 1, 1)
        return (x * std + mean).clamp(0.0, 1.0)


def stratified_split(
    labels: np.ndarray, fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(kept, taken)``: ``taken`` holds ``round(fraction * n)`` samples, spread over the
    classes in proportion to their counts (largest remainders), at least one kept per class when
    possible. Both index arrays are sorted."""
    n = labels.shape[0]
    want = round(fraction * n)
    classes, counts = np.unique(labels, return_counts=True)
    exact = counts * (want / max(n, 1))
    per_class = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - per_class), kind="stable")
    for i in order[: want - int(per_class.sum())]:
        per_class[i] += 1
    taken: list[np.ndarray] = []
    for label, k in zip(classes, per_class, strict=True):
        members = np.flatnonzero(labels == label)
        taken.append(rng.permutation(members)[: min(int(k), max(members.size - 1, 0))])
    taken_idx = np.sort(np.concatenate(taken)) if taken else np.empty(0, dtype=np.int64)
    kept = np.setdiff1d(np.arange(n), taken_idx, assume_unique=True)
    return kept, taken_idx
