"""The training engine: events, determinism (also with a concurrent job), optimizers, schedules,
initialisations, divergence, early stopping, limits, and the after-training helpers."""

from __future__ import annotations

import dataclasses
import math
import threading

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.data import AugmentConfig, DataConfig, DatasetBundle, load_dataset
from cnnviz.net import (
    ActivationSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    LinearSpec,
    MaxPool2dSpec,
    NetSpec,
    SpecError,
    build_model,
    get_preset,
    with_input_shape,
    with_num_classes,
)
from cnnviz.train import (
    INITS,
    OPTIMIZERS,
    SCHEDULES,
    BatchEnd,
    Diverged,
    EpochEnd,
    Finished,
    Snapshot,
    Started,
    TrainConfig,
    check_limits,
    confusion_matrix,
    confusion_matrix_from_labels,
    evaluate,
    fit,
    fit_net_to_data,
    fit_to_data,
    image_to_input,
    lr_curve,
    misclassified,
    per_class_accuracy,
    predict_with_activations,
    train,
)


@pytest.fixture(scope="module")
def small() -> DatasetBundle:
    """300 shapes images: 240 to train, 60 to validate."""
    return load_dataset(DataConfig(num_samples=300, seed=0))


def _net_with_dropout() -> NetSpec:
    return NetSpec(
        input_shape=(1, 28, 28),
        layers=(
            Conv2dSpec(4, 3, padding=1),
            ActivationSpec("relu"),
            MaxPool2dSpec(2),
            FlattenSpec(),
            DropoutSpec(0.3),
            LinearSpec(6),
        ),
    )


def _run(net: NetSpec, data: DatasetBundle, cfg: TrainConfig) -> list[object]:
    return list(train(build_model(net, seed=cfg.seed), data, cfg))


def _comparable(event: object) -> object:
    """An event without its timings, with arrays as lists (for equality)."""
    match event:
        case EpochEnd():
            return dataclasses.replace(event, seconds=0.0, images_per_second=0.0)
        case Finished():
            return dataclasses.replace(event, seconds=0.0)
        case Snapshot():
            maps = [(name, array.tolist()) for name, array in event.feature_maps]
            filters = None if event.filters is None else event.filters.tolist()
            return ("snapshot", event.epoch, event.step, maps, filters)
    return event


def test_event_sequence_and_contents(small: DatasetBundle) -> None:
    cfg = TrainConfig(epochs=2, batch_size=32, snapshot_every=4)
    events = _run(get_preset("tiny"), small, cfg)
    assert isinstance(events[0], Started)
    assert events[0].total_batches == 2 * math.ceil(240 / 32)
    assert isinstance(events[1], Snapshot) and events[1].step == 0
    assert isinstance(events[-1], Finished) and events[-1].reason == "completed"
    batches = [e for e in events if isinstance(e, BatchEnd)]
    assert [b.step for b in batches] == list(range(1, 17))
    assert [b.batch for b in batches[:8]] == list(range(1, 9))
    assert all(math.isfinite(b.loss) and b.lr == pytest.approx(1e-3) for b in batches)
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.epoch for e in epochs] == [1, 2]
    for epoch in epochs:
        assert 0.0 <= epoch.train_acc <= 1.0 and 0.0 <= epoch.val_acc <= 1.0
        assert epoch.images_per_second > 0 and epoch.seconds > 0
        names = ["1 Conv2d 8@3x3", "4 Conv2d 16@3x3", "8 Linear 6"]
        assert list(epoch.grad_norms) == names and list(epoch.weight_norms) == names
        assert all(v > 0 for v in epoch.grad_norms.values())
    # train loss of the epoch = the mean of its batch losses, weighted by batch size (7x32 + 16)
    first = [b.loss for b in batches if b.epoch == 1]
    weighted = (sum(first[:-1]) * 32 + first[-1] * 16) / 240
    assert epochs[0].train_loss == pytest.approx(weighted, rel=1e-5)
    # validation numbers are the model's numbers: re-evaluate the final model
    snapshots = [e for e in events if isinstance(e, Snapshot)]
    assert [s.step for s in snapshots] == [0, 4, 8, 8, 12, 16, 16]
    names = [name for name, _ in snapshots[0].feature_maps]
    assert names == ["1 Conv2d 8@3x3", "3 MaxPool2d 2x2", "4 Conv2d 16@3x3", "6 MaxPool2d 2x2"]
    shapes = [fmap.shape for _, fmap in snapshots[0].feature_maps]
    assert shapes == [(8, 28, 28), (8, 14, 14), (16, 14, 14), (16, 7, 7)]
    assert snapshots[0].filters is not None and snapshots[0].filters.shape == (8, 1, 3, 3)
    # the maps visibly change as the network learns
    assert not np.allclose(snapshots[0].feature_maps[0][1], snapshots[-1].feature_maps[0][1])


def test_validation_metrics_match_a_reevaluation(small: DatasetBundle) -> None:
    net = get_preset("tiny")
    cfg = TrainConfig(epochs=1, batch_size=64)
    model = build_model(net, seed=0)
    events = list(train(model, small, cfg))
    epoch = next(e for e in events if isinstance(e, EpochEnd))
    loss, acc, probs = evaluate(model, small.val_x, small.val_y)
    assert epoch.val_loss == pytest.approx(loss, rel=1e-5)
    assert epoch.val_acc == pytest.approx(acc)
    manual = F.cross_entropy(torch.log(torch.from_numpy(probs)), small.val_y)
    assert loss == pytest.approx(float(manual), rel=1e-4)


def test_same_seed_same_events_even_with_a_concurrent_job(small: DatasetBundle) -> None:
    """Dropout, shuffling and augmentation draw from the run's own generators."""
    net = _net_with_dropout()
    cfg = TrainConfig(epochs=2, batch_size=32, seed=7, augment=AugmentConfig(enabled=True))
    solo = [_comparable(e) for e in _run(net, small, cfg)]
    results: dict[str, list[object]] = {}

    def worker(name: str, seed: int) -> None:
        events = _run(net, small, dataclasses.replace(cfg, seed=seed))
        results[name] = [_comparable(e) for e in events]

    threads = [
        threading.Thread(target=worker, args=("same", 7)),
        threading.Thread(target=worker, args=("other", 8)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results["same"] == solo
    assert results["other"] != solo  # a different seed really is a different run


def test_a_different_seed_changes_the_run(small: DatasetBundle) -> None:
    cfg = TrainConfig(epochs=1, batch_size=64)
    a = [e.loss for e in _run(get_preset("tiny"), small, cfg) if isinstance(e, BatchEnd)]
    b = [
        e.loss
        for e in _run(get_preset("tiny"), small, dataclasses.replace(cfg, seed=1))
        if isinstance(e, BatchEnd)
    ]
    assert a != b


def test_learning_rate_100_diverges_with_a_message_not_an_exception(small: DatasetBundle) -> None:
    for optimizer in ("sgd", "adam"):
        cfg = TrainConfig(epochs=3, batch_size=32, lr=100.0, optimizer=optimizer)
        events = _run(get_preset("tiny"), small, cfg)
        diverged = [e for e in events if isinstance(e, Diverged)]
        assert len(diverged) == 1, optimizer
        assert diverged[0].message_key in ("train.diverged.nan", "train.diverged.exploding")
        assert isinstance(events[-1], Finished) and events[-1].reason == "diverged"
        assert events[-2] is diverged[0]


def test_divergence_rule() -> None:
    from cnnviz.train.loop import _DivergenceWatch

    watch = _DivergenceWatch(num_classes=10)
    assert [watch.update(v) for v in (2.3, 2.2, 30.0, 2.1, 2.0)] == [None] * 5  # one spike: fine
    assert watch.update(float("nan")) == "train.diverged.nan"
    exploding = _DivergenceWatch(num_classes=10)
    keys = [exploding.update(v) for v in (2.3, 50.0, 100.0, 200.0, 400.0)]
    assert keys[-1] == "train.diverged.exploding" and keys[0] is None
    hard = _DivergenceWatch(num_classes=2)  # a run that never learns is not diverging
    assert all(hard.update(0.69 + 0.01 * (i % 3)) is None for i in range(200))


def test_a_normal_run_is_not_flagged_as_diverging(small: DatasetBundle) -> None:
    cfg = TrainConfig(epochs=2, batch_size=16, lr=3e-3, label_smoothing=0.1)
    events = _run(get_preset("tiny"), small, cfg)
    assert not any(isinstance(e, Diverged) for e in events)


def test_early_stopping_restores_the_best_epoch() -> None:
    # 30 training images and a big learning rate: the validation loss soon rises.
    data = load_dataset(DataConfig(num_samples=300, seed=1, train_size=30))
    net = get_preset("tiny")
    cfg = TrainConfig(epochs=40, batch_size=10, lr=0.01, early_stopping=True, patience=2)
    result = fit(net, data, cfg)
    assert result.finished.reason == "early_stopping"
    best = result.finished.best_epoch
    assert best is not None and best == len(result.epochs) - 2
    val_losses = [e.val_loss for e in result.epochs]
    assert result.finished.best_val_loss == min(val_losses) == val_losses[best - 1]
    loss, _, _ = evaluate(result.model, data.val_x, data.val_y)
    assert loss == pytest.approx(val_losses[best - 1], rel=1e-5)  # the best weights are back
    assert loss < val_losses[-1]


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_every_optimizer_takes_a_step(small: DatasetBundle, optimizer: str) -> None:
    model = build_model(get_preset("tiny"), seed=0)
    before = [p.detach().clone() for p in model.parameters()]
    cfg = TrainConfig(epochs=1, batch_size=120, optimizer=optimizer, lr=0.01, weight_decay=1e-4)
    events = list(train(model, small, cfg))
    assert events[-1].reason == "completed"
    changed = [not torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True)]
    assert all(changed)


def test_optimizer_classes_are_pytorchs() -> None:
    from cnnviz.train import make_optimizer

    param = [nn.Parameter(torch.zeros(2))]
    expect = {
        "sgd": (torch.optim.SGD, {"momentum": 0, "nesterov": False}),
        "momentum": (torch.optim.SGD, {"momentum": 0.9, "nesterov": False}),
        "nesterov": (torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
        "adagrad": (torch.optim.Adagrad, {}),
        "rmsprop": (torch.optim.RMSprop, {"alpha": 0.99}),
        "adam": (torch.optim.Adam, {}),
        "adamw": (torch.optim.AdamW, {"weight_decay": 0.05}),
        "adamax": (torch.optim.Adamax, {}),
        "nadam": (torch.optim.NAdam, {}),
    }
    for name, (cls, settings) in expect.items():
        opt = make_optimizer(param, TrainConfig(optimizer=name, weight_decay=0.05))
        assert type(opt) is cls, name
        for key, value in settings.items():
            assert opt.defaults[key] == value, (name, key)


@pytest.mark.parametrize("schedule", list(SCHEDULES))
def test_lr_curve_is_the_lr_training_uses(small: DatasetBundle, schedule: str) -> None:
    cfg = TrainConfig(epochs=3, batch_size=60, lr=0.01, schedule=schedule, optimizer="momentum")
    events = _run(get_preset("tiny"), small, cfg)
    used = [e.lr for e in events if isinstance(e, BatchEnd)]
    assert used == pytest.approx(lr_curve(cfg, steps_per_epoch=4), rel=1e-9)


def test_lr_curve_shapes() -> None:
    steps = 10
    curve = {s: lr_curve(TrainConfig(epochs=9, lr=0.1, schedule=s), steps) for s in SCHEDULES}
    assert all(len(c) == 90 for c in curve.values())
    assert set(curve["fixed"]) == {0.1}
    step = curve["step"]  # x0.1 every 3 epochs
    assert step[29] == pytest.approx(0.1) and step[30] == pytest.approx(0.01)
    assert step[60] == pytest.approx(0.001)
    multi = curve["multistep"]  # milestones at epochs 4 and 7 (round(4.5), round(6.75))
    assert multi[39] == pytest.approx(0.1) and multi[40] == pytest.approx(0.01)
    assert multi[70] == pytest.approx(0.001)
    cosine = curve["cosine"]
    assert cosine[0] == pytest.approx(0.1) and cosine[45] == pytest.approx(0.05, rel=0.05)
    assert cosine[-1] < 0.001
    assert curve["exponential"][-1] == pytest.approx(0.1 * 0.01 ** (89 / 90), rel=1e-6)
    assert all(a >= b for a, b in zip(curve["poly"], curve["poly"][1:], strict=False))
    onecycle = curve["onecycle"]
    peak = int(np.argmax(onecycle))
    assert onecycle[peak] == pytest.approx(0.1) and 20 <= peak <= 30  # 30% warm-up
    assert onecycle[0] == pytest.approx(0.1 / 25) and onecycle[-1] < 1e-5


@pytest.mark.parametrize("init", INITS)
def test_every_init_trains_one_epoch(small: DatasetBundle, init: str) -> None:
    cfg = TrainConfig(epochs=1, batch_size=60, init=init, init_sigma=0.05)
    events = _run(get_preset("tiny"), small, cfg)
    assert events[-1].reason == "completed"


def test_init_statistics_follow_the_formulas() -> None:
    from cnnviz.train import apply_init

    model = nn.Sequential(nn.Conv2d(16, 64, 5), nn.Linear(400, 300))
    model.requires_grad_(False)
    gen = torch.Generator().manual_seed(0)
    apply_init(model, "kaiming", generator=gen)
    conv, linear = model[0], model[1]
    assert float(conv.weight.std()) == pytest.approx(math.sqrt(2 / (16 * 25)), rel=0.05)
    assert float(conv.bias.abs().max()) == 0.0
    apply_init(model, "xavier", generator=gen)
    bound = math.sqrt(6 / (400 + 300))
    assert float(linear.weight.abs().max()) <= bound
    assert float(linear.weight.std()) == pytest.approx(bound / math.sqrt(3), rel=0.05)
    apply_init(model, "normal", sigma=0.2, generator=gen)
    assert float(linear.weight.std()) == pytest.approx(0.2, rel=0.05)
    again = nn.Sequential(nn.Conv2d(16, 64, 5), nn.Linear(400, 300))
    apply_init(again, "normal", sigma=0.2, generator=torch.Generator().manual_seed(0))
    apply_init(model, "normal", sigma=0.2, generator=torch.Generator().manual_seed(0))
    assert torch.equal(again[1].weight, model[1].weight)  # same generator seed, same weights


def test_all_zeros_init_nothing_can_learn(small: DatasetBundle) -> None:
    """Issue 9, item 18: not "the symmetry problem" but the extreme case. In a ReLU network with
    every weight 0, every hidden output is 0, so no gradient reaches any weight: after 3 epochs
    every weight is still exactly 0, and the accuracy is the majority class's share (chance)."""
    model = build_model(get_preset("tiny"), seed=0)
    cfg = TrainConfig(epochs=3, batch_size=32, init="zeros", lr=1e-2)
    events = list(train(model, small, cfg))
    weights = [p for p in model.parameters() if p.dim() > 1]
    assert weights and all(int(torch.count_nonzero(w)) == 0 for w in weights)
    hidden_biases = [p for name, p in model.named_parameters() if p.dim() == 1][:-1]
    assert all(int(torch.count_nonzero(b)) == 0 for b in hidden_biases)
    last = [e for e in events if isinstance(e, EpochEnd)][-1]
    majority = float(torch.bincount(small.val_y).max()) / len(small.val_y)
    assert last.val_acc <= majority + 1e-9  # one constant guess for every image
    # the same net with He initialisation learns
    he = _run(get_preset("tiny"), small, dataclasses.replace(cfg, init="kaiming", lr=3e-3))
    assert [e for e in he if isinstance(e, EpochEnd)][-1].val_acc > last.val_acc + 0.2


def test_step_schedule_drops_after_each_third_of_the_run() -> None:
    """Issue 9, item 19: "x0.1 after each third of the run" means three levels, for any length
    (StepLR(E // 3) gave four with 10 epochs: drops at 3, 6 and 9)."""
    ten = lr_curve(TrainConfig(epochs=10, lr=1.0, schedule="step"), 1)
    assert ten == pytest.approx([1.0] * 3 + [0.1] * 4 + [0.01] * 3)
    for epochs in range(1, 101):
        curve = lr_curve(TrainConfig(epochs=epochs, lr=1.0, schedule="step"), 1)
        levels = sorted(set(np.round(np.log10(curve)).astype(int)), reverse=True)
        assert levels == [0, -1, -2][: min(3, epochs)], epochs
        if epochs >= 3:  # each level lasts about a third: lengths differ by at most 1
            lengths = [sum(1 for v in curve if round(math.log10(v)) == lv) for lv in levels]
            assert max(lengths) - min(lengths) <= 1, (epochs, lengths)


def test_label_smoothing_targets_are_pytorchs() -> None:
    """Issue 9, item 17: the help's example (0.91 and 0.01 for eps = 0.1, K = 10) is PyTorch's."""
    from cnnviz.i18n import t

    logits = torch.randn(4, 10, generator=torch.Generator().manual_seed(0))
    labels = torch.tensor([0, 3, 9, 5])
    eps, k = 0.1, 10
    targets = torch.full((4, k), eps / k)
    targets[torch.arange(4), labels] = 1 - eps + eps / k
    assert float(targets[0, 0]) == pytest.approx(0.91, abs=1e-6)
    assert float(targets[0, 1]) == pytest.approx(0.01, abs=1e-6)
    smoothed = F.cross_entropy(logits, labels, label_smoothing=eps)
    by_hand = -(targets * F.log_softmax(logits, dim=1)).sum(dim=1).mean()
    torch.testing.assert_close(smoothed, by_hand)
    for lang in ("en", "zh"):
        assert "0.91" in t("train.hp.label_smoothing_help", lang)
        assert "0.9 " not in t("train.hp.label_smoothing_help", lang)


def test_l1_shrinks_the_weights(small: DatasetBundle) -> None:
    def weights(l1: float) -> torch.Tensor:
        model = build_model(get_preset("tiny"), seed=0)
        list(train(model, small, TrainConfig(epochs=3, batch_size=32, lr=3e-3, l1=l1)))
        return torch.cat([p.detach().flatten() for p in model.parameters() if p.dim() > 1])

    plain, lasso = weights(0.0), weights(1e-2)
    assert float(lasso.abs().sum()) < 0.7 * float(plain.abs().sum())
    near_zero = [float((w.abs() < 1e-2).float().mean()) for w in (plain, lasso)]
    assert near_zero[1] > near_zero[0] + 0.2


def test_gradient_clipping_bounds_the_update(small: DatasetBundle) -> None:
    """With SGD (no momentum) one step moves the weights by lr * g with ||g|| <= clip."""
    data = dataclasses.replace(small, train_x=small.train_x[:64], train_y=small.train_y[:64])
    model = build_model(get_preset("tiny"), seed=0)
    before = torch.cat([p.detach().flatten().clone() for p in model.parameters()])
    cfg = TrainConfig(epochs=1, batch_size=64, optimizer="sgd", lr=1.0, grad_clip=0.01)
    list(train(model, data, cfg))
    after = torch.cat([p.detach().flatten() for p in model.parameters()])
    assert float(torch.linalg.vector_norm(after - before)) == pytest.approx(0.01, rel=1e-3)


def test_time_limit_and_stop_via_control(small: DatasetBundle) -> None:
    cfg = TrainConfig(epochs=50, batch_size=8, max_seconds=0.3)
    events = _run(get_preset("tiny"), small, cfg)
    assert events[-1].reason == "time_limit"

    from cnnviz.control import JobStopped

    class StopAfter:
        paused_seconds = 0.0

        def __init__(self, n: int) -> None:
            self.n = n

        def checkpoint(self) -> None:
            self.n -= 1
            if self.n < 0:
                raise JobStopped

    model = build_model(get_preset("tiny"), seed=0)
    stopped = list(train(model, small, TrainConfig(epochs=2), control=StopAfter(3)))  # type: ignore[arg-type]
    assert stopped[-1].reason == "stopped"
    assert [e.step for e in stopped if isinstance(e, BatchEnd)] == [1, 2, 3]


def test_a_plain_sequential_model_trains_too(small: DatasetBundle) -> None:
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 13 * 13, 6)
    )
    events = list(train(model, small, TrainConfig(epochs=1, batch_size=60)))
    snap = next(e for e in events if isinstance(e, Snapshot))
    assert [name for name, _ in snap.feature_maps] == ["1 Conv2d", "3 MaxPool2d"]
    epoch = next(e for e in events if isinstance(e, EpochEnd))
    assert list(epoch.grad_norms) == ["1 Conv2d", "5 Linear"]


def test_large_feature_maps_are_capped() -> None:
    model = nn.Sequential(
        nn.Conv2d(3, 40, 3, padding=1), nn.Flatten(), nn.Linear(40 * 100 * 100, 2)
    )
    data = DatasetBundle(
        name="big",
        train_x=torch.randn(4, 3, 100, 100),
        train_y=torch.tensor([0, 1, 0, 1]),
        val_x=torch.randn(2, 3, 100, 100),
        val_y=torch.tensor([0, 1]),
        class_names=("a", "b"),
        mean=(0.0, 0.0, 0.0),
        std=(1.0, 1.0, 1.0),
        notes=[],
    )
    events = list(train(model, data, TrainConfig(epochs=1, batch_size=4)))
    snap = next(e for e in events if isinstance(e, Snapshot))
    assert snap.feature_maps[0][1].shape == (16, 64, 64)
    assert snap.filters is not None and snap.filters.shape == (40, 3, 3, 3)


def test_config_rejects_bad_values() -> None:
    with pytest.raises(SpecError, match="optimizer"):
        TrainConfig(optimizer="adamm")
    with pytest.raises(SpecError, match="100"):
        TrainConfig(epochs=500)
    with pytest.raises(SpecError):
        TrainConfig(lr=float("nan"))
    with pytest.raises(SpecError):
        TrainConfig(batch_size=0)
    with pytest.raises(SpecError) as err:
        TrainConfig(schedule="warp", init="ones")
    assert {p.field for p in err.value.problems} == {"schedule", "init"}
    assert err.value.problems[0].text("zh") != err.value.problems[0].text("en")


def test_limits_and_fitting(small: DatasetBundle, monkeypatch: pytest.MonkeyPatch) -> None:
    import cnnviz.train.fitting as training

    lenet = get_preset("lenet5")  # (1, 32, 32) input, 10 classes
    codes = {p.code for p in check_limits(lenet, small, TrainConfig())}
    assert codes == {"train_input_mismatch", "train_classes_mismatch"}
    naive = fit_net_to_data(lenet, small)
    assert naive.input_shape == (1, 28, 28)
    assert [p.code for p in check_limits(naive, small, TrainConfig())] == ["kernel_too_big"]
    fitting = fit_to_data(lenet, small)  # LeNet's C5 needs 32x32: the images are resized instead
    assert fitting.changes == ("resize", "classes")
    assert fitting.net.input_shape == (1, 32, 32) and fitting.data.input_shape == (1, 32, 32)
    assert check_limits(fitting.net, fitting.data, TrainConfig()) == []
    cifar = fit_to_data(get_preset("cifar-small"), small)  # valid on 28x28x1: the net changes
    assert cifar.changes == ("input", "classes") and cifar.data is small
    assert check_limits(cifar.net, small, TrainConfig()) == []
    same = fit_to_data(get_preset("tiny"), small)
    assert same.changes == () and same.net == get_preset("tiny")
    bad = with_num_classes(get_preset("tiny"), 6)
    bad = dataclasses.replace(bad, layers=(*bad.layers[:2], Conv2dSpec(4, 40), *bad.layers[2:]))
    assert check_limits(bad, small, TrainConfig())  # shapes.validate's problems come first
    monkeypatch.setattr(training, "MAX_DATASET_ELEMENTS", 1000)
    assert [p.code for p in check_limits(get_preset("tiny"), small, TrainConfig())] == [
        "train_dataset_too_big"
    ]
    monkeypatch.setattr(training, "MAX_DATASET_ELEMENTS", 10**9)
    monkeypatch.setattr(training, "MAX_ACTIVATION_BYTES", 10_000)
    problems = check_limits(get_preset("tiny"), small, TrainConfig(batch_size=64))
    assert [p.code for p in problems] == ["train_batch_too_big"]
    assert problems[0].text("en") and problems[0].text("zh")
    with pytest.raises(SpecError):
        fit(bad, small, TrainConfig(epochs=1))


def test_confusion_matrix_per_class_and_misclassified(small: DatasetBundle) -> None:
    model = build_model(get_preset("tiny"), seed=0)
    list(train(model, small, TrainConfig(epochs=1, batch_size=32)))
    _, acc, probs = evaluate(model, small.val_x, small.val_y)
    matrix = confusion_matrix(model, small.val_x, small.val_y, 6)
    truth = small.val_y.numpy()
    predicted = probs.argmax(axis=1)
    expected = np.zeros((6, 6), dtype=np.int64)
    for t, p in zip(truth, predicted, strict=True):
        expected[t, p] += 1
    assert np.array_equal(matrix, expected)
    assert matrix.trace() / matrix.sum() == pytest.approx(acc)
    recall = per_class_accuracy(matrix)
    assert recall == pytest.approx(np.diag(expected) / expected.sum(axis=1))
    wrong = misclassified(model, small.val_x, small.val_y, k=100)
    assert len(wrong) == int((predicted != truth).sum())
    for item in wrong:
        assert item.predicted != item.true_class == truth[item.index]
        assert item.top3[0][0] == item.predicted
        top = [p for _, p in item.top3]
        assert top == sorted(top, reverse=True)
        assert top[0] == pytest.approx(float(probs[item.index].max()))
    confidences = [w.top3[0][1] for w in wrong]
    assert confidences == sorted(confidences, reverse=True)
    assert len(misclassified(model, small.val_x, small.val_y, k=2)) == min(2, len(wrong))
    assert np.array_equal(
        confusion_matrix_from_labels(np.array([0, 1, 1]), np.array([0, 0, 1]), 2),
        np.array([[1, 0], [1, 1]]),
    )


def test_predict_with_activations_and_image_to_input(small: DatasetBundle) -> None:
    model = build_model(get_preset("tiny"), seed=0)
    prediction = predict_with_activations(model, small.val_x[0])
    assert prediction.probabilities.shape == (6,)
    assert prediction.probabilities.sum() == pytest.approx(1.0, rel=1e-5)
    shapes = [a.shape for _, a in prediction.activations]
    assert shapes[0] == (8, 28, 28) and shapes[-1] == (6,) and len(shapes) == 8
    assert prediction.shapes[0] == (8, 28, 28) and prediction.shapes[6] == (784,)
    logits = model.eval()(small.val_x[:1])
    assert prediction.probabilities == pytest.approx(torch.softmax(logits, 1)[0].detach().numpy())

    white = np.full((56, 56), 255, dtype=np.uint8)
    x = image_to_input(white, (1, 28, 28), mean=(0.2,), std=(0.5,))
    assert x.shape == (1, 28, 28) and torch.allclose(x, torch.full_like(x, (1 - 0.2) / 0.5))
    rgba = np.zeros((10, 10, 4), dtype=np.uint8)
    rgba[..., :3] = 255
    rgba[..., 3] = 0  # fully transparent white = black
    assert torch.allclose(image_to_input(rgba, (1, 10, 10), (0.0,), (1.0,)), torch.zeros(1, 10, 10))
    red = np.zeros((4, 4, 3), dtype=np.uint8)
    red[..., 0] = 255
    gray = image_to_input(red, (1, 4, 4), (0.0,), (1.0,))
    assert torch.allclose(gray, torch.full((1, 4, 4), 0.299))
    colour = image_to_input(np.full((4, 4), 0.5, dtype=np.float32), (3, 4, 4), (0,) * 3, (1,) * 3)
    assert colour.shape == (3, 4, 4) and torch.allclose(colour, torch.full((3, 4, 4), 0.5))
    drawing = np.zeros((280, 280), dtype=np.uint8)
    drawing[10:60, 200:210] = 255  # a small stroke in a corner
    centred = image_to_input(drawing, (1, 28, 28), (0.0,), (1.0,), center_drawing=True)[0]
    rows = torch.nonzero(centred > 0.1)[:, 0].float()
    assert 8 <= float(rows.mean()) <= 19  # moved to the middle
    assert float(rows.max() - rows.min()) >= 16  # scaled up to ~20 px tall


def test_decode_image_rejects_garbage_and_bombs(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from PIL import Image

    import cnnviz.data.images as images
    from cnnviz.data import ImageError, decode_image

    buffer = io.BytesIO()
    Image.new("L", (30, 20), color=128).save(buffer, format="PNG")
    decoded = decode_image(buffer.getvalue())
    assert decoded.shape == (20, 30, 3) and decoded.dtype == np.uint8
    with pytest.raises(ImageError) as err:
        decode_image(b"not an image at all")
    assert err.value.key == "data.image.unreadable"
    with pytest.raises(ImageError):
        decode_image(buffer.getvalue()[:40])  # truncated
    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(ImageError) as err:
        decode_image(buffer.getvalue())
    assert err.value.key == "data.image.too_big_pixels"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_with_amp_trains(small: DatasetBundle) -> None:
    cfg = TrainConfig(epochs=2, batch_size=32, device="cuda", amp=True, lr=3e-3)
    events = _run(get_preset("tiny"), small, cfg)
    assert events[0].device == "cuda"
    assert events[-1].reason == "completed"
    assert [e.step for e in events if isinstance(e, BatchEnd)] == list(range(1, 17))


# ---------------------------------------------- helpers the Train page calls (moved out of the page)


def test_augmentation_works_in_pixel_space_with_the_datasets_statistics(
    small: DatasetBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``train`` passes the dataset's mean/std to ``augment_batch`` (not the per-image min-max
    fallback), once per batch, and trains on what it returns."""
    import cnnviz.train.loop as training
    from cnnviz.data import augment_batch

    calls: list[dict[str, object]] = []

    def spy(x: torch.Tensor, cfg: AugmentConfig, generator: torch.Generator, **kwargs: object):
        calls.append({"n": len(x), **kwargs})
        return augment_batch(x, cfg, generator, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(training, "augment_batch", spy)
    cfg = TrainConfig(epochs=1, batch_size=64, augment=AugmentConfig(enabled=True, rotation=20))
    events = _run(get_preset("tiny"), small, cfg)
    assert isinstance(events[-1], Finished) and events[-1].reason == "completed"
    assert [c["n"] for c in calls] == [64, 64, 64, 48]  # 240 images
    assert all(c["mean"] == small.mean and c["std"] == small.std for c in calls)
    assert small.std != (1.0,) and small.mean != (0.0,)  # the statistics are real, not identity
    calls.clear()
    _run(get_preset("tiny"), small, dataclasses.replace(cfg, augment=AugmentConfig()))
    assert calls == []  # augmentation off: never called


@pytest.mark.parametrize("num_train", [0, 1, 7, 63, 64, 65, 240])
@pytest.mark.parametrize("batch_size", [1, 8, 64, 512])
def test_batches_per_epoch_is_the_dataloaders_length(num_train: int, batch_size: int) -> None:
    from torch.utils.data import DataLoader

    from cnnviz.train import batches_per_epoch

    loader = DataLoader(range(num_train), batch_size=batch_size, drop_last=False)
    assert batches_per_epoch(num_train, batch_size) == max(1, len(loader))


def test_batches_per_epoch_is_what_training_does(small: DatasetBundle) -> None:
    from cnnviz.train import batches_per_epoch

    cfg = TrainConfig(epochs=2, batch_size=100)
    started = next(iter(train(build_model(get_preset("tiny"), seed=0), small, cfg)))
    assert isinstance(started, Started)
    assert started.total_batches == 2 * batches_per_epoch(len(small.train_y), 100) == 6


def test_cpu_state_dict_is_a_detached_copy(small: DatasetBundle) -> None:
    from cnnviz.train import cpu_state_dict

    model = build_model(get_preset("tiny"), seed=0)
    state = cpu_state_dict(model)
    original = model.state_dict()
    assert list(state) == list(original)
    assert all(torch.equal(state[k], original[k]) for k in state)
    assert all(t.device.type == "cpu" and not t.requires_grad for t in state.values())
    list(train(model, small, TrainConfig(epochs=1, batch_size=64)))
    assert not all(torch.equal(state[k], model.state_dict()[k]) for k in state)  # not shared
    fresh = build_model(get_preset("tiny"), seed=1)
    fresh.load_state_dict(state)
    assert torch.equal(
        fresh.eval()(small.val_x[:4]),
        build_model(get_preset("tiny"), seed=0).eval()(small.val_x[:4]),
    )


def test_analyse_matches_the_separate_helpers(small: DatasetBundle) -> None:
    from cnnviz.train import analyse

    model = build_model(get_preset("tiny"), seed=0)
    list(train(model, small, TrainConfig(epochs=1, batch_size=32)))
    result = analyse(model, small.val_x, small.val_y, 6, k=5)
    matrix = confusion_matrix(model, small.val_x, small.val_y, 6)
    assert np.array_equal(result.matrix, matrix)
    assert np.array_equal(result.per_class, per_class_accuracy(matrix), equal_nan=True)
    assert result.wrong == misclassified(model, small.val_x, small.val_y, k=5)
    # the matrix against torch: bincount of true * K + argmax of the real logits
    logits = model.eval()(small.val_x)
    flat = small.val_y * 6 + logits.argmax(dim=1)
    assert np.array_equal(result.matrix, torch.bincount(flat, minlength=36).view(6, 6).numpy())
    empty = analyse(model, small.val_x[:0], small.val_y[:0], 6)
    assert empty.matrix.shape == (6, 6) and empty.matrix.sum() == 0 and empty.wrong == []


def test_prediction_top_class_and_layer_sizes(small: DatasetBundle) -> None:
    from cnnviz.train import layer_outputs

    model = build_model(get_preset("tiny"), seed=0).eval()
    prediction = predict_with_activations(model, small.val_x[3])
    logits = model(small.val_x[3:4])
    assert prediction.top_class == int(logits.argmax(dim=1))
    full = [out[0].numel() for _, _, out in layer_outputs(model, small.val_x[3:4])]
    assert prediction.sizes == full and prediction.sizes[0] == 8 * 28 * 28


def test_trained_model_sources_for_try_it_yourself(small: DatasetBundle) -> None:
    from cnnviz.train import Checkpoint, trained_model_from_checkpoint, trained_model_from_data

    net = get_preset("tiny")
    model = build_model(net, seed=0)
    from_data = trained_model_from_data(model, net, small)
    assert from_data.model is model and from_data.net == net
    assert from_data.class_names == small.class_names
    assert (from_data.mean, from_data.std) == (small.mean, small.std)
    bare = Checkpoint(net=net, state_dict={})
    filled = trained_model_from_checkpoint(bare, model)
    assert filled.class_names == ("0", "1", "2", "3", "4", "5")  # the net's 6 outputs
    assert filled.mean == (0.5,) and filled.std == (0.5,)  # one input channel
    full = Checkpoint(
        net=net, state_dict={}, class_names=small.class_names, mean=(0.2,), std=(0.3,)
    )
    kept = trained_model_from_checkpoint(full, model)
    assert (kept.class_names, kept.mean, kept.std) == (small.class_names, (0.2,), (0.3,))


def _with_test_split(data: DatasetBundle) -> DatasetBundle:
    """``data`` with its validation images also standing in as an official test split."""
    return dataclasses.replace(data, test_x=data.val_x.clone(), test_y=data.val_y.clone())


def test_the_test_split_is_measured_once_at_the_end(small: DatasetBundle) -> None:
    """Issue 9, item 22: one ``Evaluated`` just before ``Finished``, with the final weights."""
    from cnnviz.train import Evaluated, evaluate

    data = _with_test_split(small)
    model = build_model(get_preset("tiny"), seed=0)
    events = list(train(model, data, TrainConfig(epochs=2, batch_size=32)))
    measured = [e for e in events if isinstance(e, Evaluated)]
    assert len(measured) == 1 and events[-2] is measured[0] and isinstance(events[-1], Finished)
    [result] = measured
    loss, accuracy, _ = evaluate(model, data.test_x, data.test_y)  # type: ignore[arg-type]
    assert result.split == "test" and result.images == len(small.val_y)
    assert result.accuracy == pytest.approx(accuracy) and result.loss == pytest.approx(
        loss, rel=1e-5
    )
    assert result.ten_crop_accuracy is None and result.ten_crop_gain is None
    last = [e for e in events if isinstance(e, EpochEnd)][-1]
    assert result.accuracy == pytest.approx(last.val_acc)  # same images, same final weights
    # without a test split (built-in shapes), nothing new to measure
    assert not [
        e
        for e in _run(get_preset("tiny"), small, TrainConfig(epochs=1))
        if isinstance(e, Evaluated)
    ]


class _StopAfter:
    """A control that raises JobStopped at its (n + 1)-th checkpoint."""

    paused_seconds = 0.0

    def __init__(self, n: int) -> None:
        self.n = n

    def checkpoint(self) -> None:
        from cnnviz.control import JobStopped

        self.n -= 1
        if self.n < 0:
            raise JobStopped


def test_stopped_runs_never_touch_the_test_split(small: DatasetBundle) -> None:
    from cnnviz.train import Evaluated

    data = _with_test_split(small)
    cfg = TrainConfig(epochs=1, batch_size=32)  # 240 images: 8 batches, 8 checkpoints

    def run(control: _StopAfter) -> list[object]:
        return list(train(build_model(get_preset("tiny")), data, cfg, control=control))  # type: ignore[arg-type]

    stopped = run(_StopAfter(3))
    assert stopped[-1].reason == "stopped"  # type: ignore[attr-defined]
    assert not any(isinstance(e, Evaluated) for e in stopped)
    during = run(_StopAfter(8))  # stopped while measuring: no half measurement either
    assert len([e for e in during if isinstance(e, EpochEnd)]) == 1
    assert not any(isinstance(e, Evaluated) for e in during)
    assert isinstance(run(_StopAfter(100))[-2], Evaluated)


def test_ten_crop_evaluation_reports_its_gain(small: DatasetBundle) -> None:
    """Issue 9, item 23: ten crops of the padded image, softmax averaged, next to one crop."""
    from cnnviz.train import Evaluated, ten_crop_probabilities

    augment = AugmentConfig(
        enabled=True, shift=0, rotation=0.0, flip=True, crop_padding=2, ten_crop=True
    )
    cfg = TrainConfig(epochs=2, batch_size=32, augment=augment)
    model = build_model(get_preset("tiny"), seed=0)
    events = list(train(model, small, cfg))
    [result] = [e for e in events if isinstance(e, Evaluated)]
    assert result.split == "validation"  # shapes: no test split, so the validation set
    probs = ten_crop_probabilities(model, small.val_x, 2, small.mean, small.std)
    expected = float((probs.argmax(dim=1) == small.val_y).float().mean())
    assert result.ten_crop_accuracy == pytest.approx(expected)
    assert result.ten_crop_gain == pytest.approx(expected - result.accuracy)
    # by hand: the mean of the softmax of the ten views
    from cnnviz.data import ten_crop_views

    views = ten_crop_views(small.val_x[:3], 2, small.mean, small.std)
    model.eval()
    with torch.no_grad():
        by_hand = torch.stack([torch.softmax(model(v), dim=1) for v in views]).mean(dim=0)
    torch.testing.assert_close(probs[:3], by_hand)


def test_pca_colour_and_crops_train_seeded(small: DatasetBundle) -> None:
    colour = load_dataset(DataConfig(name="shapes-color", num_samples=120, image_size=28))
    augment = AugmentConfig(
        enabled=True, shift=0, rotation=0.0, flip=True, crop_padding=2, pca_colour=0.1
    )
    cfg = TrainConfig(epochs=1, batch_size=32, augment=augment)
    net = with_input_shape(get_preset("tiny"), (3, 28, 28))
    first = [_comparable(e) for e in _run(net, colour, cfg) if isinstance(e, EpochEnd)]
    second = [_comparable(e) for e in _run(net, colour, cfg) if isinstance(e, EpochEnd)]
    assert first == second
    plain = dataclasses.replace(cfg, augment=AugmentConfig())
    assert first != [_comparable(e) for e in _run(net, colour, plain) if isinstance(e, EpochEnd)]
