"""The live panel's figures: compact pictures that show exactly the values, curves thinned, and a
poll that rebuilds only what changed (cnnviz.viz.pictures, cnnviz.viz.live)."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator

import numpy as np
import plotly.graph_objects as go
import plotly.io
import pytest
from PIL import Image
from plotly.colors import get_colorscale, sample_colorscale

from cnnviz.data import DataConfig, DatasetBundle, load_dataset
from cnnviz.jobs import ThreadRunner, TrainingJob
from cnnviz.net import get_preset
from cnnviz.train import EpochEnd, TrainConfig
from cnnviz.viz import (
    LEVELS,
    LiveFigures,
    envelope_rows,
    epoch_figure,
    filters_picture,
    loss_figure,
    maps_picture,
    montage,
    norms_figure,
    probe_picture,
    signed_indices,
    signed_palette,
    thin_rows,
)
from cnnviz.viz.theme import PALETTE


def _png(figure: go.Figure) -> Image.Image:
    """The picture a figure's image trace shows."""
    source = figure.data[0].source
    assert source.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(source.split(",", 1)[1])))


def _valid(figure: go.Figure) -> None:
    """The figure passes plotly's full validation (live figures are built without it)."""
    go.Figure(figure.to_dict())


def test_signed_palette_is_the_theme_scale_with_white_at_zero() -> None:
    palette = signed_palette()
    assert palette.shape == (LEVELS, 3)
    scale = get_colorscale(PALETTE.signed_scale)
    expected = sample_colorscale(scale, [0.0, 0.5, 1.0], colortype="tuple")
    for index, colour in zip((0, LEVELS // 2, LEVELS - 1), expected, strict=True):
        np.testing.assert_allclose(palette[index], np.asarray(colour) * 255, atol=1)
    assert palette[LEVELS // 2].min() > 240  # 0 is (nearly) white
    assert palette[0][2] > palette[0][0] and palette[-1][0] > palette[-1][2]  # blue .. red


def test_signed_indices_put_zero_in_the_middle_and_gaps_out_of_the_scale() -> None:
    values = np.array([[-2.0, -1.0, 0.0], [1.0, 2.0, np.nan]])
    index = signed_indices(values, limit=2.0)
    half = (LEVELS - 1) // 2
    assert index.tolist() == [[0, 8, half], [22, 2 * half, LEVELS]]  # rint: 7.5 -> 8, 22.5 -> 22
    assert signed_indices(np.array([5.0, -5.0]), 2.0).tolist() == [2 * half, 0]  # clipped


def test_maps_picture_shows_every_value_on_its_symmetric_scale() -> None:
    rng = np.random.default_rng(0)
    maps = rng.normal(size=(6, 5, 4)).astype(np.float32)
    figure = maps_picture(maps, "conv", "en", columns=3)
    _valid(figure)
    image = _png(figure)
    assert image.mode == "P"
    limit = float(np.abs(maps).max())
    expected = signed_indices(montage(maps, 3, gap=1), limit)
    np.testing.assert_array_equal(np.asarray(image), expected)
    assert image.info["transparency"] == LEVELS  # the gaps are see-through
    bar = figure.data[1]
    assert (bar.zmin, bar.zmax) == pytest.approx((-limit, limit))  # white is 0 on the bar too
    assert bar.colorbar.title.text == "value"


def test_a_nonnegative_layer_uses_the_red_half_of_the_same_scale() -> None:
    maps = np.abs(np.random.default_rng(1).normal(size=(4, 3, 3))).astype(np.float32)
    figure = maps_picture(maps, "relu", "zh")
    index = np.asarray(_png(figure))
    shown = index[index != LEVELS]
    assert shown.min() >= (LEVELS - 1) // 2  # never blue: nothing is negative
    assert figure.data[1].colorbar.title.text == "数值"


def test_filter_tiles_are_at_least_60_pixels() -> None:
    filters = np.random.default_rng(2).normal(size=(16, 1, 3, 3)).astype(np.float32)
    figure = filters_picture(filters, "en")
    _valid(figure)
    image = _png(figure)
    columns, rows = 8, 2
    tile = (image.width - (columns - 1) * 4) / columns
    assert tile >= 60 and (image.height - (rows - 1) * 4) / rows == tile
    plot_width = figure.layout.width - figure.layout.margin.l - figure.layout.margin.r
    assert plot_width == image.width  # drawn pixel for pixel: the tiles do not shrink
    assert figure.layout.title.text.startswith("First layer's filters: 16 kernels of 3x3")
    colour = filters_picture(np.ones((4, 3, 5, 5), dtype=np.float32), "en")
    assert _png(colour).mode == "RGBA" and len(colour.data) == 1  # no colour bar for RGB


def test_probe_picture_is_the_image_itself_with_its_class() -> None:
    pixels = (np.arange(28 * 28) % 256).astype(np.uint8).reshape(28, 28)
    figure = probe_picture(pixels, "Probe image", label="circle")
    _valid(figure)
    np.testing.assert_array_equal(np.asarray(_png(figure)), pixels)
    assert figure.layout.annotations[0].text == "circle"


def test_thin_rows_keeps_the_last_row_and_the_limit() -> None:
    rows = np.arange(3000 * 3, dtype=np.float64).reshape(3000, 3)
    thinned = thin_rows(rows, 240)
    assert len(thinned) <= 240 and (thinned[-1] == rows[-1]).all() and (thinned[0] == rows[0]).all()
    assert thin_rows(rows[:10], 240) is not None and len(thin_rows(rows[:10], 240)) == 10
    figure = loss_figure(rows, "en", height=250, marker=1500.0)
    _valid(figure)
    raw, smooth = figure.data
    assert len(raw.x) <= 242 and len(smooth.x) <= 120
    assert raw.x.dtype == np.uint16 and raw.y.dtype == np.float32  # the fewest bytes
    assert raw.x[-1] == smooth.x[-1] == rows[-1, 0]  # the curve ends where the run is
    assert figure.layout.shapes[0].x0 == 1500.0


def test_envelope_rows_keep_every_spike_of_a_noisy_loss() -> None:
    rng = np.random.default_rng(0)
    steps = np.arange(1, 5001, dtype=np.float64)
    loss = 1.0 + 0.05 * rng.standard_normal(5000)
    loss[[777, 3210]] = [9.0, -2.0]  # one spike up, one down
    rows = np.stack([steps, loss, loss], axis=1)
    kept = envelope_rows(rows, 240)
    assert len(kept) <= 242 and kept[0, 0] == 1 and kept[-1, 0] == 5000
    assert np.all(np.diff(kept[:, 0]) > 0)  # in step order, no row twice
    assert {778.0, 3211.0} <= set(kept[:, 0])  # every k-th row would very likely miss them
    # each run of rows keeps its extremes: the thinned curve spans the same range
    assert kept[:, 1].max() == loss.max() and kept[:, 1].min() == loss.min()
    assert envelope_rows(rows[:100], 240) is not None and len(envelope_rows(rows[:100], 240)) == 100
    big = np.stack([steps + 70_000, loss, loss], axis=1)  # steps beyond uint16
    assert loss_figure(big).data[0].x.dtype == np.uint32


def test_epoch_curves_built_without_validation_are_valid() -> None:
    epochs = [
        EpochEnd(
            epoch=i,
            train_loss=1.0 / i,
            train_acc=0.5,
            val_loss=1.1 / i,
            val_acc=0.6,
            lr=0.003,
            seconds=1.0,
            images_per_second=1000.0,
            grad_norms={"conv1": 0.1 * i, "fc": 0.2},
            weight_norms={"conv1": 1.0, "fc": 2.0},
        )
        for i in (1, 2, 3)
    ]
    for figure in (
        epoch_figure(epochs, "loss"),
        epoch_figure(epochs, "acc"),
        norms_figure(epochs, "grad"),
    ):
        _valid(figure)


@pytest.fixture(scope="module")
def data() -> DatasetBundle:
    return load_dataset(DataConfig())


@pytest.fixture(scope="module")
def finished(data: DatasetBundle) -> Iterator[TrainingJob]:
    job = TrainingJob(
        get_preset("tiny"),
        data,
        TrainConfig(epochs=2, lr=3e-3),
        runner=ThreadRunner(),
        heartbeat_timeout=None,
    )
    job.start()
    assert job.join(120)
    yield job


def test_a_poll_rebuilds_only_what_changed(finished: TrainingJob) -> None:
    figures = LiveFigures(finished, "en")
    first = figures.live()
    assert first.rebuilt == {"loss", "probe", "maps"}
    assert first.loss is not None and first.probe is not None and first.maps is not None
    again = figures.live()
    assert again.rebuilt == frozenset()  # nothing new since the last poll: nothing rebuilt
    assert again.loss is first.loss and again.maps is first.maps and again.probe is first.probe
    details = figures.details()
    assert details.rebuilt == {"maps", "epochs"} and len(details.maps) == 4
    assert figures.details().rebuilt == frozenset()
    for figure in (first.loss, first.probe, first.maps, details.filters, *details.maps):
        _valid(figure)
    assert first.maps.layout.title.text == "1 Conv2d 8@3x3: 8 feature maps"
    assert first.probe.layout.annotations[0].text  # the probe's class, under it


def test_one_poll_of_the_default_network_sends_under_30_kib(finished: TrainingJob) -> None:
    """The figures of the panel beside Start, as JSON, for the default network (the bytes a
    browser receives each second: the whole panel, as if every figure had changed)."""
    view = LiveFigures(finished, "en").live()
    sizes = [len(plotly.io.to_json(f, validate=False)) for f in (view.loss, view.probe, view.maps)]
    assert sum(sizes) < 30 * 1024, sizes
    assert json.loads(plotly.io.to_json(view.maps, validate=False))["data"][0]["type"] == "image"


def test_replay_marks_the_epoch_and_shows_its_maps(finished: TrainingJob) -> None:
    snapshots = finished.epoch_snapshots
    assert [s.epoch for s in snapshots] == [0, 1, 2]  # before training, then every epoch
    figures = LiveFigures(finished, "zh")
    loss, maps = figures.replay(snapshots[1])
    assert loss is not None and loss.layout.shapes[0].x0 == snapshots[1].step
    assert maps is not None and maps.layout.title.text.endswith("张特征图")
    before = np.asarray(_png(figures.replay(snapshots[0])[1]))
    after = np.asarray(_png(maps))
    assert not np.array_equal(before, after)  # the maps changed as the filters learned
    assert figures.replay(snapshots[1])[1] is maps  # kept: a slider move back costs nothing
