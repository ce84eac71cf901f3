"""Dataset registry: built-in synthetic shapes (default), torchvision datasets, uploaded zips.

``load_dataset(cfg)`` returns a :class:`DatasetBundle`: a stratified, seeded train/validation split
of the training images, optionally a training subset (``train_size``) and label noise (only on
training labels), normalised with the training set's per-channel statistics
``x' = (x - mean[c]) / std[c]``; for the four real datasets also their official test split, whole.
Nothing is cached here: pages cache bundles (``st.cache_resource``) keyed by the frozen config.

Lesson: the "Train live" page (dataset choice) and the Overfitting lab (train size, label noise).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.data.config import (
    DATASET_NAMES,
    IMAGE_SIZES,
    MAX_BUNDLE_BYTES,
    MAX_REAL_SAMPLES,
    MAX_SYNTHETIC_SAMPLES,
    MIN_SYNTHETIC_SAMPLES,
    REAL_DATASETS,
    SYNTHETIC_DATASETS,
    DataConfig,
    DataError,
    DatasetBundle,
    Progress,
    stratified_split,
)
from cnnviz.data.files import load_real
from cnnviz.data.synthetic import SHAPE_CLASSES, make_shapes
from cnnviz.data.upload import load_upload
from cnnviz.i18n import Message, has_key, t

__all__ = ["class_label", "load_dataset", "note_text", "resize_bundle"]


def note_text(note: Message | str, lang: str = "en") -> str:
    """A bundle note in ``lang`` (a plain string is returned as it is)."""
    return note.text(lang) if isinstance(note, Message) else note


def class_label(name: str, lang: str = "en") -> str:
    """A class name for display: translated when the catalog has ``data.class.<name>``."""
    key = f"data.class.{name}"
    return t(key, lang) if has_key(key) else name


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _in_range(value: object, low: float, high: float, *, integer: bool = False) -> bool:
    """``low <= value <= high`` for a real number (an int when ``integer``); False for anything else."""
    if integer and not _is_int(value):
        return False
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return False
    return bool(low <= value <= high)  # NaN fails both comparisons


def _check_config(cfg: DataConfig) -> None:
    """Reject values no widget offers (URLs, scripts and notebooks can send anything)."""
    if cfg.name not in DATASET_NAMES:
        raise DataError("data.error.unknown_dataset", name=cfg.name, names=", ".join(DATASET_NAMES))
    if not _in_range(cfg.val_fraction, 1e-9, 1 - 1e-9):
        raise DataError("data.error.bad_val_fraction", value=cfg.val_fraction)
    if not _in_range(cfg.label_noise, 0.0, 1.0):
        raise DataError("data.error.bad_label_noise", value=cfg.label_noise)
    if cfg.train_size is not None and not _in_range(cfg.train_size, 1, 10**9, integer=True):
        raise DataError("data.error.bad_train_size", value=cfg.train_size)
    if cfg.max_samples is not None and not _in_range(
        cfg.max_samples, 10, MAX_REAL_SAMPLES, integer=True
    ):
        raise DataError(
            "data.error.bad_max_samples", value=cfg.max_samples, maximum=MAX_REAL_SAMPLES
        )
    if not _in_range(cfg.seed, 0, 2**63 - 1, integer=True):
        raise DataError("data.error.bad_seed", value=cfg.seed)
    sized = cfg.name in SYNTHETIC_DATASETS or cfg.name == "upload"
    if sized and (not _is_int(cfg.image_size) or cfg.image_size not in IMAGE_SIZES):
        sizes = ", ".join(map(str, IMAGE_SIZES))
        raise DataError("data.error.bad_image_size", value=cfg.image_size, sizes=sizes)
    if cfg.name in SYNTHETIC_DATASETS:
        if not _in_range(
            cfg.num_samples, MIN_SYNTHETIC_SAMPLES, MAX_SYNTHETIC_SAMPLES, integer=True
        ):
            raise DataError(
                "data.error.bad_num_samples",
                value=cfg.num_samples,
                minimum=MIN_SYNTHETIC_SAMPLES,
                maximum=MAX_SYNTHETIC_SAMPLES,
            )
        if not _in_range(cfg.noise, 0.0, 1.0):
            raise DataError("data.error.bad_noise", value=cfg.noise)
        channels = 3 if cfg.name == "shapes-color" else 1
        _check_memory(cfg.num_samples, channels, cfg.image_size, cfg.image_size)


def _check_memory(count: int, channels: int, height: int, width: int) -> None:
    """Refuse datasets whose float32 tensors would exceed :data:`MAX_BUNDLE_BYTES`."""
    needed = count * channels * height * width * 4
    if needed > MAX_BUNDLE_BYTES:
        raise DataError(
            "data.error.too_much_memory",
            needed_mb=needed // 2**20,
            limit_mb=MAX_BUNDLE_BYTES // 2**20,
        )


def _rngs(seed: int) -> dict[str, np.random.Generator]:
    """Independent streams per step, so changing train_size or label noise keeps the same images
    and the same validation set (what the Overfitting lab compares)."""
    names = ("generate", "split", "subset", "label_noise", "cap")
    children = np.random.SeedSequence(seed).spawn(len(names))
    return {name: np.random.default_rng(child) for name, child in zip(names, children, strict=True)}


def _corrupt_labels(
    labels: np.ndarray, fraction: float, num_classes: int, rng: np.random.Generator
) -> np.ndarray:
    """Exactly ``round(fraction * n)`` labels replaced by a different class chosen uniformly."""
    labels = labels.copy()
    count = round(fraction * labels.shape[0])
    if count == 0 or num_classes < 2:
        return labels
    chosen = rng.choice(labels.shape[0], size=count, replace=False)
    shift = rng.integers(1, num_classes, size=count)  # 1..K-1: never the original class
    labels[chosen] = (labels[chosen] + shift) % num_classes
    return labels


def _finish(
    name: str,
    images: np.ndarray,
    labels: np.ndarray,
    class_names: tuple[str, ...],
    cfg: DataConfig,
    rngs: dict[str, np.random.Generator],
    notes: list[Message],
    val_pool: tuple[np.ndarray, np.ndarray] | None = None,
    test: tuple[np.ndarray, np.ndarray] | None = None,
    split_size: int | None = None,
) -> DatasetBundle:
    """Split, subset, corrupt labels, normalise. ``images``: ``(N, C, H, W)`` float32 in [0, 1]
    (or uint8 in [0, 255]). ``val_pool`` is an optional separate validation set; ``test`` the
    official test split, normalised with the training statistics and otherwise untouched."""
    if val_pool is None:
        train_idx, val_idx = stratified_split(labels, cfg.val_fraction, rngs["split"])
        train_x, train_y = images[train_idx], labels[train_idx]
        val_x, val_y = images[val_idx], labels[val_idx]
    else:
        train_x, train_y = images, labels
        val_x, val_y = val_pool
    if cfg.train_size is not None and cfg.train_size < train_y.shape[0]:
        drop_fraction = 1.0 - cfg.train_size / train_y.shape[0]
        _, dropped = stratified_split(train_y, drop_fraction, rngs["subset"])
        keep = np.setdiff1d(np.arange(train_y.shape[0]), dropped, assume_unique=True)
        train_x, train_y = train_x[keep], train_y[keep]
    elif cfg.train_size is not None and cfg.train_size > train_y.shape[0]:
        notes.append(
            Message.of("data.note.train_size_capped", wanted=cfg.train_size, used=train_y.shape[0])
        )
    if train_y.shape[0] == 0 or val_y.shape[0] == 0:
        raise DataError("data.error.too_few_images", count=int(labels.shape[0]))
    test_count = 0 if test is None else int(test[1].shape[0])
    _check_memory(train_y.shape[0] + val_y.shape[0] + test_count, *train_x.shape[1:])
    if cfg.label_noise > 0:
        train_y = _corrupt_labels(train_y, cfg.label_noise, len(class_names), rngs["label_noise"])
    train_t = _to_float(train_x)
    val_t = _to_float(val_x)
    mean = train_t.mean(dim=(0, 2, 3), dtype=torch.float64)  # (C,)
    std = train_t.std(dim=(0, 2, 3)).to(torch.float64)
    std = torch.where(std < 1e-6, torch.ones_like(std), std)
    _normalise_(train_t, mean, std)
    _normalise_(val_t, mean, std)
    test_x = test_y = None
    if test is not None:
        test_x = _to_float(test[0])
        _normalise_(test_x, mean, std)
        test_y = torch.from_numpy(np.ascontiguousarray(test[1], dtype=np.int64))
    return DatasetBundle(
        name=name,
        train_x=train_t,
        train_y=torch.from_numpy(np.ascontiguousarray(train_y, dtype=np.int64)),
        val_x=val_t,
        val_y=torch.from_numpy(np.ascontiguousarray(val_y, dtype=np.int64)),
        class_names=class_names,
        mean=tuple(float(m) for m in mean),
        std=tuple(float(s) for s in std),
        notes=notes,
        test_x=test_x,
        test_y=test_y,
        split_size=split_size,
    )


def _to_float(images: np.ndarray) -> torch.Tensor:
    """``(N, C, H, W)`` float32 in [0, 1] from uint8 or float input (always a fresh tensor)."""
    if images.dtype == np.uint8:
        return torch.from_numpy(np.ascontiguousarray(images)).float().div_(255.0)
    return torch.tensor(images, dtype=torch.float32)


def _normalise_(x: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> None:
    """In place: ``x = (x - mean[c]) / std[c]``."""
    x.sub_(mean.to(x.dtype).view(1, -1, 1, 1)).div_(std.to(x.dtype).view(1, -1, 1, 1))


def load_dataset(cfg: DataConfig, *, progress: Progress | None = None) -> DatasetBundle:
    """Load (or generate) the dataset ``cfg`` describes, split, subsample, normalise it.

    Raises :class:`DataError` (a catalog key plus parameters) for anything a user must fix.
    ``progress(fraction, key)`` is called while generating, reading or downloading.
    """
    _check_config(cfg)
    report: Progress = progress or (lambda fraction, message: None)
    rngs = _rngs(cfg.seed)
    notes: list[Message] = []
    if cfg.name in SYNTHETIC_DATASETS:
        report(0.0, "data.progress.generating")
        images, labels = make_shapes(
            cfg.num_samples,
            cfg.image_size,
            colour=cfg.name == "shapes-color",
            noise=cfg.noise,
            rng=rngs["generate"],
        )
        bundle = _finish(cfg.name, images, labels, SHAPE_CLASSES, cfg, rngs, notes)
    elif cfg.name in REAL_DATASETS:
        real = load_real(cfg, rng=rngs["cap"], progress=report)
        notes.extend(real.notes)
        test = None
        if real.test_images is not None and real.test_labels is not None:
            test = (real.test_images, real.test_labels)
        bundle = _finish(
            cfg.name,
            real.images,
            real.labels,
            real.class_names,
            cfg,
            rngs,
            notes,
            test=test,
            split_size=real.split_size,
        )
    else:  # "upload"
        upload = load_upload(cfg.upload_zip, image_size=cfg.image_size, progress=report)
        notes.extend(upload.notes)
        bundle = _finish(
            cfg.name, upload.images, upload.labels, upload.class_names, cfg, rngs, notes
        )
    report(1.0, "data.progress.done")
    return bundle


def resize_bundle(bundle: DatasetBundle, input_shape: tuple[int, int, int]) -> DatasetBundle:
    """The same images fitted to a network's ``(C, H, W)`` input.

    Channels: 3 -> 1 by the luma average ``0.299 R + 0.587 G + 0.114 B``; 1 -> 3 by repeating.
    Size: bilinear resampling (antialiased when shrinking). Works in pixel space (de-normalised),
    then re-normalises with the new training statistics. Returns ``bundle`` itself when it fits.
    """
    channels, height, width = input_shape
    if channels not in (1, 3) or height < 1 or width < 1:
        raise DataError("data.error.bad_input_shape", shape=str(tuple(input_shape)))
    if bundle.input_shape == tuple(input_shape):
        return bundle

    def fit(x: torch.Tensor) -> torch.Tensor:
        pixels = bundle.denormalise(x)  # (N, C0, H0, W0) in [0, 1]
        if pixels.shape[1] == 3 and channels == 1:
            luma = torch.tensor([0.299, 0.587, 0.114], dtype=pixels.dtype).view(1, 3, 1, 1)
            pixels = (pixels * luma).sum(dim=1, keepdim=True)
        elif pixels.shape[1] == 1 and channels == 3:
            pixels = pixels.repeat(1, 3, 1, 1)
        elif pixels.shape[1] != channels:
            raise DataError("data.error.bad_input_shape", shape=str(tuple(input_shape)))
        if pixels.shape[2:] != (height, width):
            shrinking = height < pixels.shape[2] or width < pixels.shape[3]
            pixels = F.interpolate(
                pixels,
                size=(height, width),
                mode="bilinear",
                align_corners=False,
                antialias=shrinking,
            ).clamp_(0.0, 1.0)
        return pixels.contiguous()

    train_x, val_x = fit(bundle.train_x), fit(bundle.val_x)
    test_x = fit(bundle.test_x) if bundle.test_x is not None else None
    mean = train_x.mean(dim=(0, 2, 3), dtype=torch.float64)
    std = train_x.std(dim=(0, 2, 3)).to(torch.float64)
    std = torch.where(std < 1e-6, torch.ones_like(std), std)
    _normalise_(train_x, mean, std)
    _normalise_(val_x, mean, std)
    if test_x is not None:
        _normalise_(test_x, mean, std)
    return DatasetBundle(
        name=bundle.name,
        train_x=train_x,
        train_y=bundle.train_y.clone(),
        val_x=val_x,
        val_y=bundle.val_y.clone(),
        class_names=bundle.class_names,
        mean=tuple(float(m) for m in mean),
        std=tuple(float(s) for s in std),
        notes=[*bundle.notes, Message.of("data.note.resized", shape=str(tuple(input_shape)))],
        test_x=test_x,
        test_y=bundle.test_y.clone() if bundle.test_y is not None else None,
        split_size=bundle.split_size,
    )
