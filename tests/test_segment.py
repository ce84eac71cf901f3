"""Segmentation: the shapes masks (exact, seeded), IoU and Dice against hand-computed values and a
direct torch computation, the losses against PyTorch, and the training generator (one short epoch)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnviz.control import JobStopped
from cnnviz.data import MASK_CLASSES, SHAPE_CLASSES, make_shape_masks, make_shapes
from cnnviz.data.synthetic import _draw_params
from cnnviz.i18n import MessageError
from cnnviz.jobs import SEGMENT_MAX_SECONDS, SegmentJob, SegmentTask, ThreadRunner
from cnnviz.net import SpecError, infer_unet
from cnnviz.train import (
    SegmentBatch,
    SegmentConfig,
    SegmentEpoch,
    SegmentFinished,
    SegmentImages,
    SegmentStarted,
    dice_scores,
    iou_scores,
    mean_score,
    pixel_confusion,
    segmentation_loss,
    soft_dice_loss,
    train_segmentation,
)
from cnnviz.viz import (
    MASK_COLOUR_NAMES,
    MASK_COLOURS,
    SegmentSeries,
    class_scores_figure,
    mask_rgb,
    segment_curves_figure,
    segment_montage,
)

# ------------------------------------------------------------------------------------ masks


@pytest.mark.parametrize("size", [28, 32, 64])
def test_masks_are_exactly_the_drawn_shapes(size: int) -> None:
    n = 60
    images, labels, masks = make_shape_masks(
        n, size, colour=False, noise=0.0, rng=np.random.default_rng(7)
    )
    # the same random draws give each image's background and foreground levels
    rng = np.random.default_rng(7)
    again = rng.permutation(np.arange(n) % len(SHAPE_CLASSES))
    params = _draw_params(rng, again, size, False)
    assert np.array_equal(again, labels)
    background = params["background"][:, 0, None, None]
    foreground = params["foreground"][:, 0, None, None]
    ink = (images[:, 0] - background) / (foreground - background)  # coverage in [0, 1]
    decided = np.abs(ink - 0.5) > 1e-4  # float32 rounding at exactly half coverage
    assert np.array_equal((masks > 0)[decided], (ink >= 0.5)[decided])
    # every shape pixel differs from the background; every background-coloured pixel is 0
    assert np.all(np.abs(images[:, 0] - background)[masks > 0] > 0.1)
    assert np.all(masks[np.isclose(images[:, 0], background, atol=1e-6)] == 0)
    # one class per image: label + 1 inside its shape, for every class
    for i in range(n):
        assert set(np.unique(masks[i])) == {0, labels[i] + 1}
    assert {int(v) for v in np.unique(masks)} == set(range(len(MASK_CLASSES)))


def test_masks_are_seeded_and_leave_the_images_unchanged() -> None:
    a = make_shape_masks(30, 28, colour=False, noise=0.1, rng=np.random.default_rng(3))
    b = make_shape_masks(30, 28, colour=False, noise=0.1, rng=np.random.default_rng(3))
    plain_images, plain_labels = make_shapes(
        30, 28, colour=False, noise=0.1, rng=np.random.default_rng(3)
    )
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert np.array_equal(a[0], plain_images) and np.array_equal(a[1], plain_labels)
    assert a[2].dtype == np.int64 and a[2].shape == (30, 28, 28)


# ---------------------------------------------------------------------------------- metrics


def test_iou_and_dice_by_hand() -> None:
    truth = torch.tensor([[0, 0, 1, 1], [0, 2, 2, 1]])
    predicted = torch.tensor([[0, 1, 1, 1], [0, 2, 0, 0]])
    confusion = pixel_confusion(predicted, truth, 4)
    # class 0: TP 2 (two), FP 2, FN 1 -> IoU 2/5, Dice 4/7
    # class 1: TP 2, FP 1, FN 1 -> IoU 2/4, Dice 4/6
    # class 2: TP 1, FP 0, FN 1 -> IoU 1/2, Dice 2/3
    # class 3: absent from both -> no score
    iou, dice = iou_scores(confusion), dice_scores(confusion)
    assert np.allclose(iou[:3], [2 / 5, 2 / 4, 1 / 2]) and np.isnan(iou[3])
    assert np.allclose(dice[:3], [4 / 7, 4 / 6, 2 / 3]) and np.isnan(dice[3])
    assert mean_score(iou) == pytest.approx((2 / 5 + 1 / 2 + 1 / 2) / 3)
    assert mean_score(np.array([np.nan])) == 0.0


def test_iou_and_dice_against_a_direct_torch_computation() -> None:
    generator = torch.Generator().manual_seed(0)
    truth = torch.randint(0, 5, (4, 16, 16), generator=generator)
    predicted = torch.where(
        torch.rand(4, 16, 16, generator=generator) < 0.6,
        truth,
        torch.randint(0, 5, (4, 16, 16), generator=generator),
    )
    confusion = pixel_confusion(predicted, truth, 5)
    for c in range(5):
        p, y = predicted == c, truth == c
        inter = (p & y).sum().item()
        union = (p | y).sum().item()
        assert iou_scores(confusion)[c] == pytest.approx(inter / union)
        assert dice_scores(confusion)[c] == pytest.approx(2 * inter / (p.sum() + y.sum()).item())
    assert confusion.sum() == truth.numel()


def test_losses_against_pytorch() -> None:
    generator = torch.Generator().manual_seed(1)
    logits = torch.randn(2, 3, 5, 5, generator=generator)
    target = torch.randint(0, 3, (2, 5, 5), generator=generator)
    ce = F.cross_entropy(logits, target)
    assert torch.allclose(segmentation_loss(logits, target, "ce"), ce)
    probs = logits.softmax(1)
    dices = []
    for c in range(3):
        p, y = probs[:, c], (target == c).float()
        dices.append((2 * (p * y).sum() + 1) / (p.sum() + y.sum() + 1))
    expected = 1 - torch.stack(dices).mean()
    assert torch.allclose(soft_dice_loss(logits, target), expected)
    assert torch.allclose(segmentation_loss(logits, target, "dice"), expected)
    assert torch.allclose(segmentation_loss(logits, target, "both"), ce + expected)
    # a perfect, confident prediction has (almost) no Dice loss
    perfect = F.one_hot(target, 3).permute(0, 3, 1, 2).float() * 50
    assert soft_dice_loss(perfect, target).item() < 1e-6
    with pytest.raises(MessageError):
        segmentation_loss(logits, target, "hinge")


# --------------------------------------------------------------------------------- training

SHORT = SegmentConfig(
    epochs=1, train_size=64, val_size=16, batch_size=32, image_size=16, num_images=3
)


def test_one_short_epoch_yields_every_event() -> None:
    events = list(train_segmentation(SHORT))
    assert isinstance(events[0], SegmentStarted) and events[0].total_batches == 2
    batches = [e for e in events if isinstance(e, SegmentBatch)]
    assert [b.step for b in batches] == [1, 2] and all(np.isfinite(b.loss) for b in batches)
    (epoch,) = [e for e in events if isinstance(e, SegmentEpoch)]
    assert len(epoch.iou) == len(MASK_CLASSES) == len(epoch.dice)
    assert 0.0 <= epoch.mean_iou <= 1.0 and epoch.mean_iou == pytest.approx(
        np.nanmean(np.array(epoch.iou))
    )
    (images,) = [e for e in events if isinstance(e, SegmentImages)]
    assert images.images.shape == (3, 16, 16) and images.true_masks.shape == (3, 16, 16)
    assert images.predicted.shape == (3, 16, 16) and images.predicted.max() < len(MASK_CLASSES)
    assert isinstance(events[-1], SegmentFinished) and events[-1].reason == "completed"


def test_same_seed_same_losses() -> None:
    def losses() -> list[float]:
        return [e.loss for e in train_segmentation(SHORT) if isinstance(e, SegmentBatch)]

    assert losses() == losses()


class _StopAfter:
    def __init__(self, steps: int) -> None:
        self.steps = steps
        self.paused_seconds = 0.0
        self.stop_requested = False

    def checkpoint(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise JobStopped


def test_stop_ends_with_a_finished_event() -> None:
    events = list(
        train_segmentation(
            SegmentConfig(epochs=2, train_size=64, val_size=16, image_size=16), _StopAfter(1)
        )
    )
    assert sum(isinstance(e, SegmentBatch) for e in events) == 1
    assert isinstance(events[-1], SegmentFinished) and events[-1].reason == "stopped"


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"epochs": 0}, "epochs"),
        ({"loss": "hinge"}, "hinge"),
        ({"train_size": 10**6}, "train_size"),
        ({"image_size": 512}, "image_size"),
    ],
)
def test_bad_config_is_refused_with_a_message(changes: dict[str, object], match: str) -> None:
    cfg = SegmentConfig(**changes)  # type: ignore[arg-type]
    with pytest.raises(MessageError, match=match):
        list(train_segmentation(cfg))


def test_image_size_that_does_not_fit_names_the_concatenation() -> None:
    with pytest.raises(SpecError, match="cat2"):
        list(
            train_segmentation(
                SegmentConfig(image_size=30, depth=2, epochs=1, train_size=32, val_size=10)
            )
        )


# ------------------------------------------------------------------------------------- job


def test_job_runs_one_short_epoch_in_the_background() -> None:
    job = SegmentJob(SHORT, runner=ThreadRunner(), heartbeat_timeout=None)
    assert job.cfg.num_threads is not None and job.cfg.max_seconds <= SEGMENT_MAX_SECONDS
    job.start()
    assert job.join(timeout=120)
    snap = job.snapshot()
    assert snap.status == "finished" and snap.progress == 1.0 and snap.error_key is None
    assert snap.losses.shape == (2, 2) and list(snap.losses[:, 0]) == [1.0, 2.0]
    assert len(snap.epochs) == 1 and snap.images is not None and snap.images.epoch == 1
    assert snap.finished is not None and snap.finished.reason == "completed"
    assert snap.params == sum(row.params for row in infer_unet(SHORT.net))


def test_job_stops_when_asked() -> None:
    cfg = SegmentConfig(epochs=3, train_size=256, val_size=16, batch_size=8, image_size=16)
    job = SegmentJob(cfg, runner=ThreadRunner(), heartbeat_timeout=None)
    job.pause()  # before start: nothing happens
    job.start()
    job.stop()
    assert job.join(timeout=120)
    snap = job.snapshot()
    assert snap.status == "finished"
    assert snap.finished is not None and snap.finished.reason == "stopped"
    assert snap.step < snap.total_batches


def test_job_rechecks_every_limit_on_the_server() -> None:
    with pytest.raises(MessageError, match="epochs"):
        SegmentJob(SegmentConfig(epochs=10_000), runner=ThreadRunner())
    with pytest.raises(SpecError, match="cat2"):
        SegmentJob(SegmentConfig(image_size=30, depth=2), runner=ThreadRunner())
    long = SegmentJob(SegmentConfig(max_seconds=1e9), runner=ThreadRunner())
    assert long.cfg.max_seconds == SEGMENT_MAX_SECONDS


def test_task_crosses_a_process_boundary() -> None:
    task = pickle.loads(pickle.dumps(SegmentTask(SHORT)))
    assert task == SegmentTask(SHORT)
    assert isinstance(list(task.run(_StopAfter(0)))[-1], SegmentFinished)


# ------------------------------------------------------------------------------------- viz


def test_montage_rows_are_input_truth_and_prediction() -> None:
    images = np.zeros((2, 4, 4), dtype=np.float32)
    images[1] = 1.0
    truth = np.zeros((2, 4, 4), dtype=np.int64)
    truth[0, 1:3, 1:3] = 1
    predicted = np.full((2, 4, 4), 6, dtype=np.int64)
    out = segment_montage(images, truth, predicted, scale=2)
    gap = 2
    assert out.shape == (3 * 8 + 2 * gap, 2 * 8 + gap, 3) and out.dtype == np.uint8
    assert (out[0:8, 0:8] == 0).all() and (out[0:8, 8 + gap :] == 255).all()  # inputs, grey
    row = 8 + gap  # true masks: background black, the square in the circle's colour
    assert (out[row + 2 : row + 6, 2:6] == MASK_COLOURS[1]).all()
    assert (out[row : row + 2, 0:8] == MASK_COLOURS[0]).all()
    assert (out[2 * row :, 0:8] == MASK_COLOURS[6]).all()  # predictions
    assert (out[8:row] == 255).all()  # the white gap
    assert len(MASK_COLOURS) == len(MASK_CLASSES) == len(MASK_COLOUR_NAMES)
    assert np.array_equal(mask_rgb(np.array([[0, 3]])), MASK_COLOURS[[0, 3]][None])


def test_curves_overlay_one_colour_per_run_in_both_languages() -> None:
    def epoch(i: int, iou: float) -> SegmentEpoch:
        return SegmentEpoch(i, 1.0, 0.8, (iou,) * 7, (iou,) * 7, iou, iou, float(i))

    runs = [
        SegmentSeries(
            "skips", [epoch(1, 0.5), epoch(2, 0.9)], np.array([[1.0, 2.0], [2.0, 1.0]]), 2
        ),
        SegmentSeries("no skips", [epoch(1, 0.4), epoch(2, 0.6)]),
    ]
    fig = segment_curves_figure(runs, "en")
    iou_traces = [tr for tr in fig.data if tr.xaxis == "x2"]
    assert [tr.name for tr in iou_traces] == ["skips", "no skips"]
    assert list(iou_traces[0].y) == [0.5, 0.9]
    assert iou_traces[0].line.color != iou_traces[1].line.color
    batch = fig.data[0]
    assert list(batch.x) == [0.5, 1.0]  # steps placed on the epoch axis
    zh = segment_curves_figure(runs, "zh")
    assert zh.layout.annotations[1].text == "验证集平均 IoU"
    bars = class_scores_figure(epoch(3, 0.7), "zh")
    assert bars.data[0].x[0] == "背景" and list(bars.data[0].y) == [0.7] * 7
