"""cnnviz.inside activation maximisation, top images and the linear probe: the ascent raises the
channel, Stop keeps the picture, the top images are the strongest, the SVM on the trained
network's features beats the raw pixels on the shapes data, and both tasks run in a worker
process. Also the network wrapper: data brought to the model's normalisation, pictures
resized with a note."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pytest
import torch

from cnnviz.control import JobStopped
from cnnviz.data import DataConfig, load_dataset
from cnnviz.inside import (
    Embedding,
    InsideError,
    MaximiseFrame,
    MaximiseSettings,
    MaximiseTask,
    ProbeRow,
    ProbeTask,
    adapt_data,
    channel_maxima,
    embed,
    extract_features,
    feature_index,
    inside_net,
    layer_output,
    maximise,
    picture_notes,
    prepare_picture,
    probe_rows,
    top_images,
)
from cnnviz.jobs import EventLogJob, Progress, WorkerPool
from cnnviz.net import build_model, get_preset
from cnnviz.train import cpu_state_dict
from tests.inside_nets import shapes, trained_tiny


class StopAfter:
    """A control that lets ``n`` checkpoints pass, then stops the work."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.seen = 0

    def checkpoint(self) -> None:
        self.seen += 1
        if self.seen > self.n:
            raise JobStopped

    @property
    def paused_seconds(self) -> float:
        return 0.0

    @property
    def stop_requested(self) -> bool:
        return self.seen > self.n


def _frames(events: Iterator[object]) -> list[MaximiseFrame]:
    return [event for event in events if isinstance(event, MaximiseFrame)]


def test_activation_maximisation_raises_the_channel_and_keeps_pixels_in_range() -> None:
    _net, model = trained_tiny()
    data = shapes()
    settings = MaximiseSettings(layer_index=4, channel=3, steps=60)
    frames = _frames(maximise(model, (1, 28, 28), data.mean, data.std, settings))
    assert [f.step for f in frames][-1] == 60 and len(frames) == 60
    assert frames[-1].activation > frames[0].activation
    last = frames[-1]
    assert last.pixels.shape == (1, 28, 28) and 0.0 <= last.pixels.min() <= last.pixels.max() <= 1.0
    # the reported activation is the channel's mean on the picture itself (no jitter)
    pixels = torch.from_numpy(last.pixels)[None]
    normalised = (pixels - data.mean[0]) / data.std[0]
    with torch.no_grad():
        expected = layer_output(model, 4, normalised)[0, 3].mean()
    assert last.activation == pytest.approx(float(expected), rel=1e-5)
    validation = channel_maxima(model, 4, data.val_x).values[:, 3]
    assert last.activation > float(np.mean(validation))  # above a typical picture's peak


def test_stopping_keeps_the_picture_reached_so_far() -> None:
    _net, model = trained_tiny()
    data = shapes()
    settings = MaximiseSettings(layer_index=0, channel=1, steps=100)
    events = list(maximise(model, (1, 28, 28), data.mean, data.std, settings, StopAfter(30)))
    frames = _frames(events)
    assert frames[-1].stopped and frames[-1].step == 30
    assert not any(f.stopped for f in frames[:-1])
    assert isinstance(events[-1], MaximiseFrame)
    assert max(p.done for p in events if isinstance(p, Progress)) < 100


def test_settings_outside_their_range_are_refused() -> None:
    for bad in ({"steps": 0}, {"steps": 10_000}, {"jitter": 9}, {"blur_sigma": -1.0}):
        with pytest.raises(InsideError) as caught:
            MaximiseSettings(0, 0, **bad)
        assert caught.value.key == "inside.error.setting"
    _net, model = trained_tiny()
    with pytest.raises(InsideError) as caught:
        list(maximise(model, (1, 28, 28), (0.5,), (0.5,), MaximiseSettings(0, 99, steps=2)))
    assert caught.value.key == "inside.error.channel"


def test_top_images_are_the_strongest_cells_of_the_channel() -> None:
    _net, model = trained_tiny()
    images = shapes().val_x[:300]
    maxima = channel_maxima(model, 3, images, batch_size=128)
    with torch.no_grad():
        out = layer_output(model, 3, images)  # (300, 16, 14, 14)
    peak = out.flatten(2).max(dim=2).values.numpy()
    np.testing.assert_allclose(maxima.values, peak, atol=1e-6)
    top = top_images(maxima, 5)
    assert [index for index, *_ in top] == list(np.argsort(-peak[:, 5], kind="stable")[:9])
    for index, value, row, col in top:
        assert float(out[index, 5, row, col]) == pytest.approx(value)


def test_the_svm_on_cnn_features_beats_raw_pixels_on_the_shapes_data() -> None:
    net, model = trained_tiny()
    data = shapes()
    untrained = build_model(net, seed=0).eval()
    rows = {
        row.key: row for row in probe_rows(model, untrained, net, data) if isinstance(row, ProbeRow)
    }
    assert list(rows) == ["pixels_svm", "untrained_svm", "cnn_svm", "cnn_head"]
    assert rows["pixels_svm"].features == 28 * 28 and rows["cnn_svm"].features == 16 * 7 * 7
    assert rows["cnn_svm"].val_accuracy > rows["pixels_svm"].val_accuracy + 0.15
    assert rows["cnn_svm"].val_accuracy >= rows["untrained_svm"].val_accuracy
    with torch.no_grad():
        head = (model(data.val_x).argmax(dim=1) == data.val_y).float().mean()
    assert rows["cnn_head"].val_accuracy == pytest.approx(float(head))


def test_features_are_the_input_of_the_last_linear_layer() -> None:
    net, model = trained_tiny()
    assert feature_index(net) == 6  # Flatten, before Linear(6)
    x = shapes().val_x[:40]
    features = extract_features(model, 6, x, batch_size=16)
    with torch.no_grad():
        _, outputs = model.forward_with_activations(x)
    np.testing.assert_allclose(features, outputs[6].numpy(), atol=1e-6)
    lenet = get_preset("lenet5")
    assert (
        feature_index(lenet) == max(i for i, s in enumerate(lenet.layers) if s.kind == "linear") - 1
    )


def test_the_2d_maps_have_one_point_per_picture() -> None:
    rng = np.random.default_rng(0)
    centres = np.repeat(np.eye(3) * 10, 20, axis=0)
    features = centres + rng.normal(size=(60, 3))
    for method in ("pca", "tsne"):
        points = embed(features, method)
        assert points.shape == (60, 2) and np.isfinite(points).all()
    pca = embed(features, "pca")
    assert pca[:, 0].var() >= pca[:, 1].var()
    assert embed(features[:2], "tsne").shape == (2, 2)


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(1, threads=1)
    yield workers
    workers.close()


def test_both_tasks_run_in_a_worker_process(pool: WorkerPool) -> None:
    net, model = trained_tiny()
    small = load_dataset(DataConfig(num_samples=240))
    state = cpu_state_dict(model)
    settings = MaximiseSettings(layer_index=1, channel=0, steps=20)
    job = EventLogJob(MaximiseTask(net, state, small.mean, small.std, settings), runner=pool)
    job.start()
    assert job.join(180) and job.status == "finished", job.error_message
    frames = job.events(MaximiseFrame)
    assert frames[-1].step == 20 and job.progress is not None and job.progress.fraction == 1.0
    probe = EventLogJob(ProbeTask(net, state, small, untrained_seed=0), runner=pool)
    probe.start()
    assert probe.join(300) and probe.status == "finished", probe.error_message
    assert [row.key for row in probe.events(ProbeRow)] == [
        "pixels_svm",
        "untrained_svm",
        "cnn_svm",
        "cnn_head",
    ]
    maps = probe.events(Embedding)
    assert [m.method for m in maps] == ["pca", "tsne"]
    assert all(m.points.shape == (len(small.val_y), 2) for m in maps)
    assert probe.progress is not None and probe.progress.fraction == 1.0


def test_data_in_another_normalisation_is_brought_to_the_models() -> None:
    data = load_dataset(DataConfig(num_samples=120))
    adapted = adapt_data(data, (0.5,), (0.25,))
    torch.testing.assert_close(
        adapted.val_x * 0.25 + 0.5, data.val_x * data.std[0] + data.mean[0], atol=1e-5, rtol=0
    )
    assert adapt_data(data, data.mean, data.std) is data
    net, model = trained_tiny()
    inside, notes = inside_net(model, net, data.class_names, (0.5,), (0.25,), data=data)
    assert inside.data is not None and inside.data.mean == (0.5,) and notes == []
    other = dataclasses.replace(data, class_names=data.class_names[:4])
    inside, notes = inside_net(model, net, data.class_names, data.mean, data.std, data=other)
    assert inside.data is None and notes[0].key == "inside.note.data_classes"


def test_a_picture_of_another_size_or_colour_is_converted_and_said() -> None:
    net, model = trained_tiny()
    data = shapes()
    inside, _ = inside_net(model, net, data.class_names, data.mean, data.std)
    photo = np.zeros((90, 120, 3), np.uint8)
    photo[30:60, 40:80] = (200, 30, 30)
    x, notes = prepare_picture(photo, inside)
    assert x.shape == (1, 28, 28)
    assert [n.key for n in notes] == ["inside.note.resized", "inside.note.to_grey"]
    assert "90x120" in notes[0].text("en") and "28x28" in notes[0].text("zh")
    grey = np.full((28, 28, 3), 128, np.uint8)
    assert picture_notes(grey, (1, 28, 28)) == []
    assert [n.key for n in picture_notes(grey, (3, 28, 28))] == ["inside.note.to_colour"]
    probabilities = inside.predict(x)
    assert probabilities.shape == (6,) and probabilities.sum() == pytest.approx(1.0, abs=1e-5)
