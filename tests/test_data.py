"""cnnviz.data.registry: the built-in shapes data, splits, subsets, label noise, normalisation, resizing."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.data import (
    SHAPE_CLASSES,
    DataConfig,
    DataError,
    DatasetBundle,
    class_label,
    load_dataset,
    make_shapes,
    note_text,
    resize_bundle,
    stratified_split,
)
from cnnviz.i18n import CATALOG, Message


@pytest.fixture(scope="module")
def shapes() -> DatasetBundle:
    return load_dataset(DataConfig())


def test_default_bundle_shapes_and_dtypes(shapes: DatasetBundle) -> None:
    assert shapes.name == "shapes"
    assert shapes.train_x.shape == (2400, 1, 28, 28)
    assert shapes.val_x.shape == (600, 1, 28, 28)
    assert shapes.train_x.dtype == torch.float32 and shapes.val_x.dtype == torch.float32
    assert shapes.train_y.dtype == torch.int64 and shapes.val_y.dtype == torch.int64
    assert shapes.input_shape == (1, 28, 28)
    assert shapes.num_classes == 6
    assert shapes.class_names == SHAPE_CLASSES
    assert SHAPE_CLASSES == (
        "circle",
        "square",
        "triangle",
        "cross",
        "horizontal_line",
        "vertical_line",
    )
    assert shapes.notes == []
    assert torch.isfinite(shapes.train_x).all()


def test_same_seed_same_tensors_other_seed_differs(shapes: DatasetBundle) -> None:
    again = load_dataset(DataConfig())
    assert torch.equal(again.train_x, shapes.train_x)
    assert torch.equal(again.train_y, shapes.train_y)
    assert torch.equal(again.val_x, shapes.val_x)
    assert again.mean == shapes.mean and again.std == shapes.std
    other = load_dataset(DataConfig(seed=1))
    assert not torch.equal(other.train_x, shapes.train_x)


def test_classes_balanced_in_both_splits(shapes: DatasetBundle) -> None:
    assert torch.bincount(shapes.train_y).tolist() == [400] * 6
    assert torch.bincount(shapes.val_y).tolist() == [100] * 6


def test_make_shapes_balance_range_and_colour() -> None:
    images, labels = make_shapes(61, 32, colour=True, noise=0.2, rng=np.random.default_rng(3))
    assert images.shape == (61, 3, 32, 32) and images.dtype == np.float32
    counts = np.bincount(labels, minlength=6)
    assert counts.max() - counts.min() <= 1
    assert images.min() >= 0.0 and images.max() <= 1.0
    # Colour images really use colour: the channels differ.
    assert np.abs(images[:, 0] - images[:, 1]).mean() > 0.05


def test_noise_zero_gives_clean_two_level_images() -> None:
    images, _ = make_shapes(12, 28, colour=False, noise=0.0, rng=np.random.default_rng(0))
    for image in images[:, 0]:
        background = np.median(image[[0, -1], :])  # the border rows are background
        assert np.allclose(image[0], background) and np.allclose(image[-1], background)
        assert image.max() - background > 0.4  # the shape is visible


def test_lines_are_horizontal_or_vertical() -> None:
    """A horizontal line's ink spreads more along x than along y, and vice versa."""
    images, labels = make_shapes(120, 28, colour=False, noise=0.0, rng=np.random.default_rng(1))
    ys, xs = np.mgrid[0:28, 0:28]
    for image, label in zip(images[:, 0], labels, strict=True):
        if label < 4:
            continue
        ink = image - image.min()
        ink /= ink.sum()
        spread_x = np.sqrt((ink * (xs - (ink * xs).sum()) ** 2).sum())
        spread_y = np.sqrt((ink * (ys - (ink * ys).sum()) ** 2).sum())
        if SHAPE_CLASSES[label] == "horizontal_line":
            assert spread_x > 2 * spread_y
        else:
            assert spread_y > 2 * spread_x


@pytest.mark.parametrize(
    ("name", "size", "channels"),
    [("shapes", 32, 1), ("shapes", 64, 1), ("shapes-color", 28, 3), ("shapes-color", 64, 3)],
)
def test_sizes_and_colour(name: str, size: int, channels: int) -> None:
    bundle = load_dataset(DataConfig(name=name, image_size=size, num_samples=120))
    assert bundle.input_shape == (channels, size, size)
    assert len(bundle.mean) == channels and len(bundle.std) == channels


def test_generation_is_fast() -> None:
    start = time.perf_counter()
    make_shapes(3000, 28, colour=False, noise=0.1, rng=np.random.default_rng(0))
    assert time.perf_counter() - start < 1.5


def test_normalisation_uses_training_statistics(shapes: DatasetBundle) -> None:
    assert shapes.train_x.mean().item() == pytest.approx(0.0, abs=1e-4)
    assert shapes.train_x.std().item() == pytest.approx(1.0, abs=1e-4)
    # De-normalising gives pixels back in [0, 1], and the stats match the raw pixels.
    pixels = shapes.denormalise(shapes.train_x)
    assert pixels.min() >= 0.0 and pixels.max() <= 1.0
    assert pixels.mean().item() == pytest.approx(shapes.mean[0], abs=1e-4)
    # Validation is normalised with the *training* statistics, so its mean is near, not at, 0.
    assert abs(shapes.val_x.mean().item()) < 0.1


def test_colour_normalisation_is_per_channel() -> None:
    bundle = load_dataset(DataConfig(name="shapes-color", num_samples=300))
    per_channel_mean = bundle.train_x.mean(dim=(0, 2, 3))
    per_channel_std = bundle.train_x.std(dim=(0, 2, 3))
    assert torch.allclose(per_channel_mean, torch.zeros(3), atol=1e-4)
    assert torch.allclose(per_channel_std, torch.ones(3), atol=1e-4)


def test_train_size_subset_is_stratified_and_keeps_validation(shapes: DatasetBundle) -> None:
    small = load_dataset(DataConfig(train_size=60))
    assert small.train_x.shape[0] == 60
    assert torch.bincount(small.train_y).tolist() == [10] * 6
    assert torch.equal(small.val_y, shapes.val_y)  # the same validation set for every subset
    big = load_dataset(DataConfig(num_samples=120, train_size=1000))
    assert big.train_x.shape[0] == 96
    assert big.notes and big.notes[0].key == "data.note.train_size_capped"


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.25, 1.0])
def test_label_noise_fraction_is_exact_and_only_on_training(
    shapes: DatasetBundle, fraction: float
) -> None:
    noisy = load_dataset(DataConfig(label_noise=fraction))
    assert torch.equal(noisy.train_x, shapes.train_x)  # same images
    changed = (noisy.train_y != shapes.train_y).sum().item()
    assert changed == round(fraction * 2400)
    assert torch.equal(noisy.val_y, shapes.val_y)
    assert noisy.train_y.min() >= 0 and noisy.train_y.max() < 6


def test_label_noise_is_seeded() -> None:
    first = load_dataset(DataConfig(num_samples=300, label_noise=0.3, seed=5))
    second = load_dataset(DataConfig(num_samples=300, label_noise=0.3, seed=5))
    assert torch.equal(first.train_y, second.train_y)


def test_stratified_split_counts() -> None:
    labels = np.repeat(np.arange(3), [50, 30, 20])
    kept, taken = stratified_split(labels, 0.2, np.random.default_rng(0))
    assert taken.size == 20 and kept.size == 80
    assert np.bincount(labels[taken]).tolist() == [10, 6, 4]
    assert np.intersect1d(kept, taken).size == 0


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 40), min_size=1, max_size=8),
    fraction=st.floats(0.05, 0.95),
    seed=st.integers(0, 2**32 - 1),
)
def test_stratified_split_properties(counts: list[int], fraction: float, seed: int) -> None:
    """A partition of all indices; each class gives its proportional share of the
    ``round(fraction * n)`` taken images rounded down or up; at least one image of every class
    stays on the kept side."""
    labels = np.repeat(np.arange(len(counts)), counts)
    kept, taken = stratified_split(labels, fraction, np.random.default_rng(seed))
    assert np.array_equal(np.sort(np.concatenate([kept, taken])), np.arange(labels.size))
    taken_counts = np.bincount(labels[taken], minlength=len(counts))
    want = round(fraction * labels.size)
    for count, k in zip(counts, taken_counts, strict=True):
        share = count * want / labels.size
        assert k <= count - 1
        assert k in (np.floor(share), np.floor(share) + 1) or k == count - 1
    again = stratified_split(labels, fraction, np.random.default_rng(seed))
    assert np.array_equal(again[1], taken)


@pytest.mark.parametrize(
    ("cfg", "key"),
    [
        (DataConfig(name="imagenet"), "data.error.unknown_dataset"),
        (DataConfig(image_size=30), "data.error.bad_image_size"),
        (DataConfig(num_samples=5), "data.error.bad_num_samples"),
        (DataConfig(num_samples=10**7), "data.error.bad_num_samples"),
        (DataConfig(val_fraction=0.0), "data.error.bad_val_fraction"),
        (DataConfig(val_fraction=1.0), "data.error.bad_val_fraction"),
        (DataConfig(label_noise=1.5), "data.error.bad_label_noise"),
        (DataConfig(train_size=0), "data.error.bad_train_size"),
        (DataConfig(noise=-0.1), "data.error.bad_noise"),
        (DataConfig(name="mnist", max_samples=3), "data.error.bad_max_samples"),
        (DataConfig(name="upload"), "data.error.upload_missing"),
        (DataConfig(name="upload", image_size=100), "data.error.bad_image_size"),
        (DataConfig(name="mnist", max_samples=10**6), "data.error.bad_max_samples"),
        (DataConfig(seed=-1), "data.error.bad_seed"),
        (DataConfig(noise=float("nan")), "data.error.bad_noise"),
        (DataConfig(num_samples="3000"), "data.error.bad_num_samples"),  # type: ignore[arg-type]
        (DataConfig(train_size=2.5), "data.error.bad_train_size"),  # type: ignore[arg-type]
        (
            DataConfig(name="shapes-color", image_size=64, num_samples=60_000),
            "data.error.too_much_memory",
        ),
    ],
)
def test_bad_config_raises_translated_data_error(cfg: DataConfig, key: str) -> None:
    with pytest.raises(DataError) as info:
        load_dataset(cfg)
    assert info.value.key == key
    assert info.value.text("zh") != info.value.text("en")


def test_config_is_hashable_and_ignores_upload_bytes() -> None:
    assert hash(DataConfig(upload_zip=b"a")) == hash(DataConfig(upload_zip=b"b"))
    assert DataConfig(upload_zip=b"a") == DataConfig(upload_zip=b"b")
    assert "upload_zip" not in repr(DataConfig(upload_zip=b"secret"))


def test_progress_reports_start_and_end() -> None:
    calls: list[tuple[float, str]] = []
    load_dataset(DataConfig(num_samples=60), progress=lambda f, m: calls.append((f, m)))
    assert calls[0] == (0.0, "data.progress.generating")
    assert calls[-1] == (1.0, "data.progress.done")
    assert all(message in CATALOG for _, message in calls)


def test_class_labels_and_notes_translate() -> None:
    for name in SHAPE_CLASSES:
        assert class_label(name, "en") != class_label(name, "zh")
    assert class_label("my_folder", "zh") == "my_folder"
    note = Message.of("data.note.undecodable", file="cat/x.png")
    assert "cat/x.png" in note_text(note, "en") and "cat/x.png" in note_text(note, "zh")
    assert note_text(note, "en") != note_text(note, "zh")
    assert note_text("a plain message", "zh") == "a plain message"


def test_resize_bundle_gray_to_colour_and_size(shapes: DatasetBundle) -> None:
    resized = resize_bundle(shapes, (3, 32, 32))
    assert resized.input_shape == (3, 32, 32)
    assert resized.train_x.shape[0] == shapes.train_x.shape[0]
    assert torch.equal(resized.train_y, shapes.train_y)
    # The three channels are copies, the pixels are the bilinear resize of the originals.
    assert torch.equal(resized.train_x[:, 0], resized.train_x[:, 1])
    expected = F.interpolate(
        shapes.denormalise(shapes.train_x[:4]), size=(32, 32), mode="bilinear", align_corners=False
    )
    assert torch.allclose(resized.denormalise(resized.train_x[:4])[:, :1], expected, atol=1e-4)
    assert resized.train_x.mean(dim=(0, 2, 3)).abs().max() < 1e-4
    assert resize_bundle(shapes, (1, 28, 28)) is shapes


def test_resize_bundle_colour_to_gray_uses_luma() -> None:
    colour = load_dataset(DataConfig(name="shapes-color", num_samples=60))
    gray = resize_bundle(colour, (1, 28, 28))
    pixels = colour.denormalise(colour.train_x)
    luma = 0.299 * pixels[:, 0] + 0.587 * pixels[:, 1] + 0.114 * pixels[:, 2]
    assert torch.allclose(gray.denormalise(gray.train_x)[:, 0], luma, atol=1e-4)


def test_resize_bundle_rejects_bad_shape(shapes: DatasetBundle) -> None:
    with pytest.raises(DataError) as info:
        resize_bundle(shapes, (2, 28, 28))
    assert info.value.key == "data.error.bad_input_shape"


def _tiny_cnn() -> nn.Module:
    """The ``tiny`` preset: conv 8@3x3 p1, ReLU, maxpool 2, conv 16@3x3 p1, ReLU, maxpool 2, linear."""
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 7 * 7, 6),
    )


def _val_accuracy(model: nn.Module, data: DatasetBundle, epochs: int, lr: float) -> float:
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    order = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        permutation = torch.randperm(data.train_y.shape[0], generator=order)
        for start in range(0, permutation.shape[0], 64):
            batch = permutation[start : start + 64]
            loss = F.cross_entropy(model(data.train_x[batch]), data.train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        return (model(data.val_x).argmax(dim=1) == data.val_y).float().mean().item()


def test_small_cnn_clearly_beats_linear_model(shapes: DatasetBundle) -> None:
    """Shapes at random positions need local, translation-invariant features: a linear model
    (logistic regression on pixels) cannot learn them, the tiny CNN can in a few epochs."""
    torch.set_num_threads(1)
    torch.manual_seed(0)
    cnn_accuracy = _val_accuracy(_tiny_cnn(), shapes, epochs=5, lr=3e-3)
    torch.manual_seed(0)
    linear = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 6))
    linear_accuracy = _val_accuracy(linear, shapes, epochs=10, lr=3e-3)
    assert cnn_accuracy >= 0.9, cnn_accuracy
    assert cnn_accuracy >= linear_accuracy + 0.15, (cnn_accuracy, linear_accuracy)
