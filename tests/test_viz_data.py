"""cnnviz.viz.data: sample grid and augmentation preview figures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
import torch

from cnnviz.data import AugmentConfig, DataConfig, DatasetBundle, load_dataset
from cnnviz.viz import augmentation_preview, balanced_indices, sample_grid


@pytest.fixture(scope="module")
def shapes() -> DatasetBundle:
    return load_dataset(DataConfig(num_samples=120))


def test_balanced_indices_cycle_through_classes() -> None:
    labels = torch.tensor([0, 0, 0, 1, 2, 2])
    assert balanced_indices(labels, 5) == [0, 3, 4, 1, 5]
    assert balanced_indices(labels, 50) == [0, 3, 4, 1, 5, 2]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sample_grid_shows_images_with_translated_class_names(
    shapes: DatasetBundle, lang: str
) -> None:
    figure = sample_grid(shapes, 16, lang)
    assert isinstance(figure, go.Figure)
    images = [trace for trace in figure.data if isinstance(trace, go.Image)]
    assert len(images) == 16
    titles = [annotation.text for annotation in figure.layout.annotations]
    expected = ["circle", "square", "triangle", "cross", "horizontal line", "vertical line"]
    if lang == "zh":
        expected = ["圆形", "正方形", "三角形", "十字", "横线", "竖线"]
    assert titles[:6] == expected
    # The first image is the de-normalised first circle, as RGB bytes.
    first = np.asarray(images[0].z)
    circle_index = int(torch.nonzero(shapes.train_y == 0)[0])
    pixels = shapes.denormalise(shapes.train_x[circle_index])[0]
    assert first.shape == (28, 28, 3)
    assert np.abs(first[..., 0] - (pixels.numpy() * 255).round()).max() <= 1


def test_sample_grid_of_validation_colour_images() -> None:
    bundle = load_dataset(DataConfig(name="shapes-color", image_size=32, num_samples=120))
    figure = sample_grid(bundle, 6, "en", split="val")
    assert len(figure.data) == 6
    assert np.asarray(figure.data[0].z).shape == (32, 32, 3)


def test_augmentation_preview_is_reproducible_and_varied(shapes: DatasetBundle) -> None:
    cfg = AugmentConfig(enabled=False, shift=3, rotation=30.0, flip=True)
    first = augmentation_preview(shapes, cfg, seed=4, lang="zh")
    again = augmentation_preview(shapes, cfg, seed=4, lang="zh")
    other = augmentation_preview(shapes, cfg, seed=5, lang="zh")
    assert len(first.data) == 9
    arrays = [np.asarray(trace.z) for trace in first.data]
    assert all(np.array_equal(a, np.asarray(b.z)) for a, b in zip(arrays, again.data, strict=True))
    assert not all(
        np.array_equal(a, np.asarray(b.z)) for a, b in zip(arrays, other.data, strict=True)
    )
    # The previews differ from the original (augmentation shown even while training has it off).
    assert sum(not np.array_equal(arrays[0], a) for a in arrays[1:]) >= 6
    assert first.layout.annotations[0].text == "原图"
    assert first.layout.annotations[1].text == "增强 1"


def test_preview_shows_alexnets_crops_and_pca_colour() -> None:
    """Issue 9, item 23: the existing preview grid shows the new options as training does."""
    from cnnviz.data import AugmentConfig, DataConfig, alexnet_recipe, load_dataset

    colour = load_dataset(DataConfig(name="shapes-color", num_samples=120, image_size=32))
    recipe = alexnet_recipe(32)
    plain = AugmentConfig(enabled=True, shift=0, rotation=0.0)
    with_recipe = augmentation_preview(colour, recipe, seed=1)
    without = augmentation_preview(colour, plain, seed=1)
    assert len(with_recipe.data) == len(without.data) == 9
    changed = [
        not np.array_equal(np.asarray(a.z), np.asarray(b.z))
        for a, b in zip(with_recipe.data[1:], without.data[1:], strict=True)
    ]
    assert all(changed)  # every augmented copy is cropped and recoloured
    assert np.array_equal(np.asarray(with_recipe.data[0].z), np.asarray(without.data[0].z))
