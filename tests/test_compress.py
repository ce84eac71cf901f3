"""cnnviz.compress against PyTorch: pruning masks and measured sparsity, global magnitude order,
the original never touched, structured rebuild with identical outputs, sizes, fine-tuning that
keeps masks, the distillation loss against its formula, and both tasks in a worker process."""

from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from safetensors.torch import save
from torch.nn.utils import prune

from cnnviz.compress import (
    METHODS,
    DistilledWeights,
    DistillEpoch,
    DistillError,
    DistillTask,
    PenaltyPoint,
    PenaltyTask,
    PruneError,
    RebuildError,
    SweepPoint,
    SweepTask,
    distillation_loss,
    exact_zero_fraction,
    finetune,
    first_loss_over,
    layer_sparsity,
    make_permanent,
    measured_sparsity,
    prunable_layers,
    prune_copy,
    pruned_filters,
    rebuild_structured,
    size_report,
    soft_targets,
)
from cnnviz.data import DataConfig, DatasetBundle, load_dataset
from cnnviz.jobs import EventLogJob, Progress, WorkerPool
from cnnviz.net import (
    PRESETS,
    CNNModel,
    FlattenSpec,
    MaxPool2dSpec,
    NetSpec,
    build_model,
    scaled_net,
    widen,
)
from cnnviz.train import TrainConfig, fit, fit_to_data
from cnnviz.viz import accuracy_sparsity_figure


@pytest.fixture(scope="module")
def trained() -> tuple[NetSpec, CNNModel, DatasetBundle]:
    data = load_dataset(DataConfig(num_samples=600))
    fitting = fit_to_data(PRESETS["tiny"], data)
    result = fit(fitting.net, fitting.data, TrainConfig(epochs=2, seed=0, num_threads=1))
    model = result.model.eval()
    assert isinstance(model, CNNModel)
    return fitting.net, model, fitting.data


def _all_weights(model: torch.nn.Module) -> torch.Tensor:
    return torch.cat([m.weight.detach().flatten() for _, m in prunable_layers(model)])


@pytest.mark.parametrize("method", ["global", "layer", "random"])
@pytest.mark.parametrize("amount", [0.0, 0.3, 0.5, 0.8, 0.95])
def test_measured_sparsity_equals_the_requested_one(trained, method: str, amount: float) -> None:
    _, model, _ = trained
    pruned = prune_copy(model, method, amount)
    total = sum(layer.total for layer in layer_sparsity(pruned))
    if method == "global":
        expected = round(amount * total) / total
    else:  # per layer: round(amount * n_layer) each
        expected = sum(round(amount * x.total) for x in layer_sparsity(pruned)) / total
    assert measured_sparsity(pruned) == pytest.approx(expected, abs=1e-12)
    assert measured_sparsity(pruned) == pytest.approx(amount, abs=2e-3)


def test_global_pruning_removes_exactly_the_smallest_weights_of_all_layers(trained) -> None:
    _, model, _ = trained
    before = _all_weights(model).abs()
    pruned = prune_copy(model, "global", 0.6)
    masks = torch.cat([m.weight_mask.flatten() for _, m in prunable_layers(pruned)])
    k = round(0.6 * before.numel())
    smallest = torch.zeros_like(masks, dtype=torch.bool)
    smallest[torch.argsort(before)[:k]] = True
    assert torch.equal(masks == 0, smallest)
    assert before[masks == 0].max() <= before[masks == 1].min()
    # not uniform across layers: the big Linear loses more than the first conv, say
    fractions = [x.fraction for x in layer_sparsity(pruned)]
    assert max(fractions) - min(fractions) > 0.05


def test_the_original_is_never_modified(trained) -> None:
    _, model, _ = trained
    state = {k: v.clone() for k, v in model.state_dict().items()}
    for method in METHODS:
        prune_copy(model, method, 0.9)
    assert not prune.is_pruned(model)
    assert all(torch.equal(state[k], v) for k, v in model.state_dict().items())


@pytest.mark.parametrize("bad", [1.0, -0.1, 0.96, float("nan")])
def test_bad_sparsity_is_refused_with_a_message(trained, bad: float) -> None:
    with pytest.raises(PruneError) as error:
        prune_copy(trained[1], "global", bad)
    assert "0.95" in error.value.text("en") and "0.95" in error.value.text("zh")


def test_a_network_with_nothing_prunable_is_refused() -> None:
    net = NetSpec(input_shape=(1, 4, 4), layers=(MaxPool2dSpec((2, 2)), FlattenSpec()))
    with pytest.raises(PruneError) as error:
        prune_copy(build_model(net, seed=0), "global", 0.5)
    assert error.value.message.key == "compress.error.nothing"


def test_structured_pruning_removes_whole_filters_by_their_norm(trained) -> None:
    _, model, _ = trained
    conv = model.layers[0]
    norms = conv.weight.detach().flatten(1).abs().sum(dim=1)
    pruned = prune_copy(model, "structured", 0.5, norm=1)
    dead = pruned_filters(pruned)
    assert sum(dead) == 4
    assert set(torch.argsort(norms)[:4].tolist()) == {i for i, d in enumerate(dead) if d}
    assert torch.all(pruned.layers[0].bias[torch.tensor(dead)] == 0)


def test_structured_keeps_one_filter_per_layer_at_95_percent(trained) -> None:
    pruned = prune_copy(trained[1], "structured", 0.95)
    assert not all(pruned_filters(pruned))


def _assert_same_outputs(model: CNNModel, net: NetSpec, x: torch.Tensor) -> int:
    pruned = prune_copy(model, "structured", 0.5, norm=2)
    _, rebuilt = rebuild_structured(pruned, net)
    with torch.no_grad():
        torch.testing.assert_close(rebuilt(x), pruned.eval()(x), rtol=1e-5, atol=1e-5)
    before = sum(p.numel() for p in model.parameters())
    after = sum(p.numel() for p in rebuilt.parameters())
    assert after < before
    return after


def test_structured_rebuild_gives_the_same_outputs(trained) -> None:
    net, model, data = trained
    after = _assert_same_outputs(model, net, data.val_x[:32])
    small, _ = rebuild_structured(prune_copy(model, "structured", 0.5), net)
    assert [layer.out_channels for layer in small.layers if layer.kind == "conv2d"] == [4, 8]
    assert after == 4 * 9 + 4 + 8 * 4 * 9 + 8 + 8 * 49 * 6 + 6


def test_structured_rebuild_with_batch_norm_and_a_hidden_layer() -> None:
    net = scaled_net((1, 12, 12), 3, width=1.0, depth=2, batch_norm=True)
    model = build_model(net, seed=1)
    model.train()
    with torch.no_grad():  # give the BatchNorms real running statistics
        for _ in range(3):
            model(torch.randn(16, 1, 12, 12))
    model.eval()
    _assert_same_outputs(model, net, torch.randn(8, 1, 12, 12))


def test_rebuild_refuses_an_activation_that_does_not_keep_zero() -> None:
    net = scaled_net((1, 8, 8), 3)
    layers = tuple(
        type(layer)("sigmoid") if layer.kind == "activation" else layer for layer in net.layers
    )
    net = NetSpec(input_shape=net.input_shape, layers=layers)
    model = build_model(net, seed=0).eval()
    with pytest.raises(RebuildError):
        rebuild_structured(prune_copy(model, "structured", 0.5), net)


def test_size_report_measures_both_files(trained) -> None:
    _, model, _ = trained
    dense = size_report(model)
    assert dense.params_total == dense.params_nonzero == sum(p.numel() for p in model.parameters())
    assert dense.dense_bytes == len(
        save({k: v.contiguous() for k, v in model.state_dict().items()})
    )
    assert dense.sparse_bytes > dense.dense_bytes  # no zeros: the mask is pure overhead
    pruned = prune_copy(model, "global", 0.9)
    sparse = size_report(pruned)
    weights = sum(x.total for x in layer_sparsity(pruned))
    assert sparse.params_total == dense.params_total
    assert dense.params_total - sparse.params_nonzero == round(0.9 * weights)
    assert sparse.dense_bytes == dense.dense_bytes
    tensors = [m.weight for _, m in prunable_layers(pruned)] + [
        m.bias for _, m in prunable_layers(pruned)
    ]
    payload = sum((t.numel() + 7) // 8 + 4 * int((t != 0).sum()) for t in tensors)
    assert payload <= sparse.sparse_bytes < payload + 2048  # + the safetensors header
    assert sparse.sparse_bytes < 0.3 * sparse.dense_bytes


def test_finetuning_keeps_the_masks(trained) -> None:
    _, model, data = trained
    pruned = prune_copy(model, "global", 0.8)
    zeros = _all_weights(pruned) == 0
    before = _all_weights(pruned).clone()
    list(finetune(pruned, data, TrainConfig(epochs=1, seed=0, num_threads=1)))
    after = _all_weights(pruned)
    assert torch.all(after[zeros] == 0)
    assert not torch.equal(after[~zeros], before[~zeros])
    make_permanent(pruned)
    assert not prune.is_pruned(pruned)
    assert measured_sparsity(pruned) == pytest.approx(0.8, abs=1e-3)
    assert set(pruned.state_dict()) == set(model.state_dict())


def test_distillation_loss_equals_its_formula() -> None:
    gen = torch.Generator().manual_seed(0)
    student = torch.randn(5, 4, generator=gen, requires_grad=True)
    teacher = torch.randn(5, 4, generator=gen)
    targets = torch.tensor([0, 3, 1, 2, 2])
    temperature, alpha = 3.0, 0.6
    p = torch.softmax(teacher / temperature, dim=1)
    q = torch.softmax(student / temperature, dim=1)
    kl = (p * (p.log() - q.log())).sum(dim=1).mean()
    ce = -torch.log_softmax(student, dim=1)[torch.arange(5), targets].mean()
    expected = alpha * temperature**2 * kl + (1 - alpha) * ce
    loss = distillation_loss(student, teacher, targets, temperature, alpha)
    torch.testing.assert_close(loss, expected)
    loss.backward()  # only the student gets a gradient
    assert student.grad is not None and teacher.grad is None
    plain = distillation_loss(student, teacher, targets, temperature, 0.0)
    torch.testing.assert_close(plain, F.cross_entropy(student, targets))


def test_soft_targets_flatten_as_the_temperature_rises() -> None:
    logits = torch.tensor([4.0, 1.0, 0.0])
    rows = soft_targets(logits, [1.0, 4.0, 20.0])
    np.testing.assert_allclose(rows[0], torch.softmax(logits, 0).numpy(), rtol=1e-6)
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, rtol=1e-6)
    assert rows[0, 0] > rows[1, 0] > rows[2, 0] > 1 / 3


def test_distill_settings_are_checked() -> None:
    with pytest.raises(DistillError):
        DistillTask(PRESETS["tiny"], PRESETS["tiny"], {}, None, temperature=0.5)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(1, threads=1)
    yield workers
    workers.close()


def test_sweep_task_runs_in_a_worker_process(trained, pool: WorkerPool) -> None:
    net, model, data = trained
    task = SweepTask(
        net,
        {k: v.clone() for k, v in model.state_dict().items()},
        data,
        TrainConfig(epochs=1, seed=0, num_threads=1),
        methods=("global", "random"),
        sparsities=(0.0, 0.8),
        finetune_epochs=1,
    )
    job = EventLogJob(task, runner=pool, heartbeat_timeout=None)
    job.start()
    assert job.join(120) and job.status == "finished", job.error_key
    points = job.events(SweepPoint)
    assert len(points) == 8 and sum(p.finetuned for p in points) == 4
    dense = [p for p in points if p.requested == 0.0 and not p.finetuned]
    assert {p.sparsity for p in dense} == {0.0} and len({p.val_acc for p in dense}) == 1
    progress = job.progress
    assert isinstance(progress, Progress) and progress.fraction == 1.0


def test_distill_task_trains_alone_and_distilled_from_the_same_start(trained, pool) -> None:
    net, model, data = trained
    student = widen(net, 0.5)
    task = DistillTask(
        student,
        net,
        {k: v.clone() for k, v in model.state_dict().items()},
        data,
        temperature=4.0,
        alpha=0.7,
        epochs=1,
        num_threads=1,
    )
    job = EventLogJob(task, runner=pool, heartbeat_timeout=None)
    job.start()
    assert job.join(120) and job.status == "finished", job.error_key
    epochs = job.events(DistillEpoch)
    assert [e.run for e in epochs] == ["alone", "distilled"]
    weights = job.events(DistilledWeights)
    assert [w.run for w in weights] == ["alone", "distilled"]
    assert weights[0].state["layers.0.weight"].shape[0] == 4
    assert not torch.equal(weights[0].state["layers.0.weight"], weights[1].state["layers.0.weight"])
    buffer = io.BytesIO()  # the weights are plain tensors
    torch.save(weights[1].state, buffer)


class _Free:
    """A control that never pauses or stops."""

    paused_seconds = 0.0
    stop_requested = False

    def checkpoint(self) -> None:
        return None


def test_l1_penalty_task_counts_exact_and_near_zeros(trained) -> None:
    net, _, data = trained
    task = PenaltyTask(net, data, TrainConfig(epochs=1, seed=0, num_threads=1), (0.0, 1e-3))
    events = list(task.run(_Free()))
    points = [e for e in events if isinstance(e, PenaltyPoint)]
    assert [p.l1 for p in points] == [0.0, 1e-3]
    assert points[1].near_zeros > points[0].near_zeros  # L1 pulls weights towards zero...
    assert points[1].exact_zeros < 0.01  # ...but Adam almost never lands exactly on it
    model = build_model(net, seed=0)
    with torch.no_grad():
        model.layers[0].weight[:2] = 0.0
    expected = 2 * 9 / sum(m.weight.numel() for _, m in prunable_layers(model))
    assert exact_zero_fraction(model) == pytest.approx(expected)


def test_where_each_method_first_loses_more_than_a_point_is_marked() -> None:
    points = [
        SweepPoint("global", 0.5, 0.5, 0.955, False),
        SweepPoint("global", 0.8, 0.8, 0.90, False),
        SweepPoint("global", 0.9, 0.9, 0.50, False),
        SweepPoint("random", 0.5, 0.5, 0.20, False),
        SweepPoint("global", 0.8, 0.8, 0.955, True),
    ]
    assert first_loss_over(points[:3], 0.96) == 0.8  # 0.5 costs 0.5 points: not yet
    assert first_loss_over(points[4:], 0.96) is None
    fig = accuracy_sparsity_figure(points, 0.96, "en")
    crosses = [trace for trace in fig.data if trace.marker.symbol == "x"]
    assert [(c.x[0], round(c.y[0], 6)) for c in crosses] == [(80.0, 90.0), (50.0, 20.0)]
    lines = [trace for trace in fig.data if trace.mode == "lines+markers"]
    assert [trace.line.dash for trace in lines] == ["solid", "dash", "solid"]
