"""Transfer learning (cnnviz.train.transfer, the few-label sampler, the comparison generator):
exactly the matching layers are copied, frozen layers do not move, fine-tuning's parameter groups
carry two learning rates, mismatches and one-class targets are refused with a clear message."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18

from cnnviz.data import DataError, few_label_subset
from cnnviz.i18n import MessageError
from cnnviz.jobs import (
    TRANSFER_MAX_SECONDS,
    ThreadRunner,
    TransferJob,
    TransferTask,
)
from cnnviz.net import (
    PRETRAINED,
    build_model,
    build_pretrained,
    build_pretrained_target,
    get_preset,
    hub_checkpoints_dir,
    pretrained_download_command,
    pretrained_in_cache,
    with_input_shape,
    with_num_classes,
)
from cnnviz.train import (
    MODES,
    TransferConfig,
    TransferError,
    TransferFinished,
    TransferPoint,
    TransferRunEnd,
    TransferSourceReady,
    TransferStarted,
    available_sources,
    available_targets,
    labels_needed,
    param_groups_for,
    train_transfer,
    transfer,
    transfer_run,
    transferable,
)
from cnnviz.viz import transfer_curves_figure, transfer_sweep_figure

TINY = get_preset("tiny")


def _pair(source_shape: tuple[int, int, int] = (1, 32, 32)) -> tuple[nn.Module, nn.Module]:
    source = build_model(with_num_classes(with_input_shape(TINY, source_shape), 10), seed=1)
    target = build_model(TINY, seed=2)
    return source, target


def test_a_transfer_copies_exactly_the_matching_layers() -> None:
    source, target = _pair()
    before = {k: v.clone() for k, v in target.state_dict().items()}
    report = transfer(source, target, "finetune")
    assert report.copyable == ["layers.0", "layers.3"]  # both convolutions
    head = report.layers[-1]
    assert head.name == "layers.7" and head.head and not head.copyable
    assert head.reason is not None and head.reason.key == "transfer.reason.head"
    theirs, ours = source.state_dict(), target.state_dict()
    for name in ("layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias"):
        assert torch.equal(ours[name], theirs[name])
    for name in ("layers.7.weight", "layers.7.bias"):  # the head keeps its initial weights
        assert torch.equal(ours[name], before[name])


def test_scratch_copies_nothing_and_trains_everything() -> None:
    source, target = _pair()
    before = {k: v.clone() for k, v in target.state_dict().items()}
    report = transfer(source, target, "scratch")
    assert report.copyable == []
    assert all(torch.equal(v, before[k]) for k, v in target.state_dict().items())
    assert all(p.requires_grad for p in target.parameters())


def test_frozen_layers_do_not_move_while_the_head_trains() -> None:
    source, target = _pair()
    report = transfer(source, target, "frozen")
    frozen = {k: v.clone() for k, v in target.state_dict().items() if not k.startswith("layers.7")}
    head = target.state_dict()["layers.7.weight"].clone()
    groups = param_groups_for(target, report, 0.01, 0.001)
    assert [g["name"] for g in groups] == ["new"]  # frozen parameters are not in the optimizer
    optimizer = torch.optim.Adam(groups)
    x, y = torch.randn(16, 1, 28, 28), torch.arange(16) % 6
    for _ in range(5):
        loss = F.cross_entropy(target(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    state = target.state_dict()
    assert all(torch.equal(state[k], v) for k, v in frozen.items())
    assert not torch.equal(state["layers.7.weight"], head)
    assert [n for n, p in target.named_parameters() if p.requires_grad] == [
        "layers.7.weight",
        "layers.7.bias",
    ]


def test_fine_tuning_gives_the_transferred_layers_a_smaller_learning_rate() -> None:
    source, target = _pair()
    report = transfer(source, target, "finetune")
    groups = param_groups_for(target, report, 0.01, 0.001)
    optimizer = torch.optim.Adam(groups)
    lrs = {g["name"]: g["lr"] for g in optimizer.param_groups}
    assert lrs == {"transferred": 0.001, "new": 0.01}
    transferred = {id(p) for p in optimizer.param_groups[0]["params"]}
    expected = {
        id(p) for n, p in target.named_parameters() if n.startswith(("layers.0", "layers.3"))
    }
    assert transferred == expected and len(expected) == 4


def test_mismatched_layers_are_named() -> None:
    source = build_model(with_input_shape(TINY, (3, 28, 28)), seed=0)  # colour: 3 input channels
    target = build_model(TINY, seed=0)
    report = transferable(source, target)
    assert report.blocked == ["layers.0"] and report.copyable == ["layers.3"]
    reason = report.layers[0].reason
    assert reason is not None and reason.key == "transfer.reason.shape"
    assert "8x3x3x3" in reason.text("en") and "8x1x3x3" in reason.text("en")
    with pytest.raises(
        TransferError, match=r"cannot be transferred .*: layers\.0\. These can: layers\.3"
    ) as info:
        transfer(source, target, "frozen")
    assert "layers.0" in info.value.text("zh") and "无法迁移" in info.value.text("zh")
    report = transfer(source, target, "frozen", partial=True)  # only the matching one
    assert torch.equal(
        target.state_dict()["layers.3.weight"], source.state_dict()["layers.3.weight"]
    )


def test_a_layer_of_another_type_is_named() -> None:
    source = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 3))
    target = nn.Sequential(nn.Conv2d(1, 1, 1), nn.Linear(4, 3))
    report = transferable(source, target)
    assert report.blocked == ["0"]
    assert report.layers[0].reason is not None
    assert "Linear in the source, Conv2d here" in report.layers[0].reason.text("en")


def test_a_one_class_target_is_refused() -> None:
    source, _ = _pair()
    one = build_model(with_num_classes(TINY, 1), seed=0)
    with pytest.raises(TransferError, match="at least two classes"):
        transferable(source, one)
    with pytest.raises(DataError, match="at least two classes") as info:
        few_label_subset(np.zeros(20, dtype=np.int64), 5, seed=0)
    assert "至少需要两个类别" in info.value.text("zh")


def test_unknown_mode_is_refused() -> None:
    source, target = _pair()
    with pytest.raises(TransferError, match="scratch, frozen, finetune"):
        transfer(source, target, "melt")


def test_few_label_subset_is_seeded_balanced_and_nested() -> None:
    labels = np.repeat(np.arange(6), 300)
    rng = np.random.default_rng(0)
    labels = labels[rng.permutation(labels.size)]
    ten = few_label_subset(labels, 10, seed=3)
    fifty = few_label_subset(labels, 50, seed=3)
    assert np.array_equal(np.bincount(labels[ten]), [10] * 6)
    assert np.array_equal(np.bincount(labels[fifty]), [50] * 6)
    assert set(ten) <= set(fifty)
    assert np.array_equal(ten, few_label_subset(labels, 10, seed=3))
    assert not np.array_equal(ten, few_label_subset(labels, 10, seed=4))
    with pytest.raises(DataError, match="fewer than the 400"):
        few_label_subset(labels, 400, seed=0)


def test_labels_needed_reads_the_sweep() -> None:
    results = {
        ("scratch", 10): 0.5,
        ("scratch", 50): 0.7,
        ("scratch", 200): 0.85,
        ("frozen", 10): 0.82,
        ("frozen", 50): 0.9,
        ("finetune", 10): 0.6,
    }
    assert labels_needed(results, 0.8) == {"scratch": 200, "frozen": 10, "finetune": None}


SMALL = TransferConfig(
    source="shapes-32",
    per_class=10,
    sweep=(10, 20),
    steps=6,
    eval_every=3,
    val_size=60,
    source_samples=120,
    source_steps=4,
    num_threads=1,
)


def test_the_comparison_streams_three_curves_per_count_with_the_same_seed(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNVIZ_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(transfer_run, "_CACHE", {})  # this server has trained no source yet
    events = list(train_transfer(SMALL))
    assert [e.cached for e in events if isinstance(e, TransferSourceReady)] == [False]
    assert list(tmp_path.glob("cnnviz-transfer/source-*.pt"))  # shared with the other workers
    started = events[0]
    assert isinstance(started, TransferStarted) and started.runs == 6
    assert started.report.copyable == ["layers.0", "layers.3"]
    ends = [e for e in events if isinstance(e, TransferRunEnd)]
    assert [(e.mode, e.per_class) for e in ends] == [
        (m, k) for k in (10, 20) for m in ("scratch", "frozen", "finetune")
    ]
    points = [e for e in events if isinstance(e, TransferPoint) and e.per_class == 10]
    assert [p.step for p in points if p.mode == "frozen"] == [3, 6]
    assert isinstance(events[-1], TransferFinished) and events[-1].reason == "completed"
    second = list(train_transfer(SMALL))
    assert [e.cached for e in second if isinstance(e, TransferSourceReady)] == [True]
    again = [e for e in second if isinstance(e, TransferRunEnd)]
    assert [e.accuracy for e in again] == [e.accuracy for e in ends]  # same seed, same numbers


def test_a_config_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="k = 0 is out of range"):
        next(train_transfer(replace(SMALL, per_class=0)))
    with pytest.raises(ValueError, match="source = 'imagenet' is not available"):
        next(train_transfer(replace(SMALL, source="imagenet")))


def _no_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    return tmp_path / "torch" / "hub" / "checkpoints"


def test_without_weights_in_the_hub_cache_nothing_is_offered_or_downloaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _no_weights(tmp_path, monkeypatch)
    assert hub_checkpoints_dir() == folder
    assert pretrained_in_cache() == {}
    assert "resnet18" not in available_sources()
    assert pretrained_download_command() == (
        'python -c "from torchvision.models import resnet18, ResNet18_Weights; '
        'resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)"'
    )
    with pytest.raises(FileNotFoundError, match=r"resnet18-f37072fd\.pth"):
        build_pretrained("resnet18")
    assert not folder.exists()  # nothing was fetched


def test_weights_in_the_hub_cache_are_offered_and_transfer_all_but_the_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _no_weights(tmp_path, monkeypatch)
    folder.mkdir(parents=True)
    stand_in = resnet18()  # random weights in the file torchvision would have downloaded
    torch.save(stand_in.state_dict(), folder / PRETRAINED["resnet18"].file_name)
    assert list(pretrained_in_cache()) == ["resnet18"]
    assert "resnet18" in available_sources()
    source = build_pretrained("resnet18")
    assert torch.equal(source.conv1.weight, stand_in.conv1.weight)
    target = build_pretrained_target("resnet18", 6, seed=0)
    report = transfer(source, target, "frozen")
    assert report.blocked == [] and report.layers[-1].name == "fc" and report.layers[-1].head
    assert "layer4.1.bn2" in report.copyable
    assert [n for n, p in target.named_parameters() if p.requires_grad] == ["fc.weight", "fc.bias"]
    cfg = replace(
        SMALL, source="resnet18", per_class=2, sweep=(2,), steps=2, eval_every=2, val_size=12
    )
    events = list(train_transfer(cfg))
    assert isinstance(events[-1], TransferFinished) and events[-1].runs == 3
    with pytest.raises(ValueError, match="colour shapes target"):
        next(train_transfer(replace(cfg, target="mnist")))


@pytest.mark.parametrize(
    "content",
    [b"not a checkpoint", "foreign"],
    ids=["truncated", "another-network"],
)
def test_a_broken_weights_file_in_the_hub_cache_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | str
) -> None:
    folder = _no_weights(tmp_path, monkeypatch)
    folder.mkdir(parents=True)
    path = folder / PRETRAINED["resnet18"].file_name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:  # a real checkpoint of another network under ResNet-18's file name
        torch.save(nn.Linear(3, 2).state_dict(), path)
    with pytest.raises(MessageError) as caught:
        build_pretrained("resnet18")
    message = caught.value.message
    assert message.key == "transfer.error.bad_weights"
    for lang in ("en", "zh"):
        text = message.text(lang)
        assert str(path) in text and pretrained_download_command() in text


# ------------------------------------------------------------------------------------- job


def test_job_runs_the_comparison_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNVIZ_CACHE_DIR", str(tmp_path))
    job = TransferJob(SMALL, runner=ThreadRunner(), heartbeat_timeout=None)
    assert job.cfg.max_seconds <= TRANSFER_MAX_SECONDS
    job.start()
    assert job.join(timeout=120)
    snap = job.snapshot()
    assert snap.status == "finished" and snap.error_key is None and snap.progress == 1.0
    assert snap.report is not None and snap.report.copyable == ["layers.0", "layers.3"]
    assert sorted(snap.results) == sorted((m, k) for m in MODES for k in (10, 20))
    assert [step for step, _ in snap.curves[("finetune", 10)]] == [3, 6]
    assert snap.source_accuracy is not None and 0.0 <= snap.source_accuracy <= 1.0
    assert snap.finished is not None and snap.finished.reason == "completed"


def test_job_stops_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNNVIZ_CACHE_DIR", str(tmp_path))
    job = TransferJob(replace(SMALL, steps=500), runner=ThreadRunner(), heartbeat_timeout=None)
    job.start()
    job.stop()
    assert job.join(timeout=120)
    snap = job.snapshot()
    assert snap.finished is not None and snap.finished.reason == "stopped"
    assert snap.runs_done < snap.runs


def test_job_rechecks_every_limit_on_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MessageError, match="steps = 100000"):
        TransferJob(replace(SMALL, steps=100_000), runner=ThreadRunner())
    monkeypatch.setenv("TORCH_HOME", "/nonexistent-torch-home")
    with pytest.raises(MessageError, match="source = 'resnet18' is not available"):
        TransferJob(replace(SMALL, source="resnet18"), runner=ThreadRunner())
    long = TransferJob(replace(SMALL, max_seconds=3000.0), runner=ThreadRunner())
    assert long.cfg.max_seconds == TRANSFER_MAX_SECONDS


class _Free:
    """A control that never pauses or stops."""

    paused_seconds = 0.0

    def checkpoint(self) -> None:
        return None


def test_task_crosses_a_process_boundary() -> None:
    task = pickle.loads(pickle.dumps(TransferTask(SMALL)))
    assert task == TransferTask(SMALL)
    started = next(iter(task.run(_Free())))
    assert isinstance(pickle.loads(pickle.dumps(started)), TransferStarted)


SHARED_MNIST = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
MNIST_ROOT = next(
    (
        root
        for root in (SHARED_MNIST, Path("/work/shared/data"))
        if (root / "MNIST" / "raw" / "t10k-images-idx3-ubyte.gz").is_file()
    ),
    None,
)


@pytest.mark.skipif(MNIST_ROOT is None, reason="the MNIST test split is not in ../shared/data")
def test_mnist_from_shared_data_is_a_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNNVIZ_MNIST_DIR", str(MNIST_ROOT))
    assert "mnist" in available_targets()
    cfg = replace(SMALL, target="mnist", per_class=5, sweep=(5,), steps=3, eval_every=3)
    events = list(train_transfer(cfg))
    started = events[0]
    assert isinstance(started, TransferStarted) and started.num_classes == 10
    assert [e.per_class for e in events if isinstance(e, TransferRunEnd)] == [5, 5, 5]


def test_without_mnist_on_disk_it_is_not_offered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNVIZ_MNIST_DIR", str(tmp_path))
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path))
    assert available_targets() == ["shapes"]


def test_figures_draw_one_line_per_approach_in_both_languages() -> None:
    curves = {(m, 10): ((5, 0.4), (10, 0.6)) for m in MODES}
    fig = transfer_curves_figure(curves, 10, "zh")
    assert [trace.name for trace in fig.data] == [
        "从零训练",
        "冻结特征 + 新输出层",
        "微调(迁移层用较小学习率)",
    ]
    assert list(fig.data[0].x) == [5, 10] and list(fig.data[0].y) == [0.4, 0.6]
    results = {("scratch", 10): 0.5, ("scratch", 50): 0.8, ("frozen", 10): 0.7}
    sweep = transfer_sweep_figure(results, 0.75, "en")
    assert [trace.name for trace in sweep.data] == ["From scratch", "Frozen features + new head"]
    assert sweep.layout.xaxis.type == "log" and list(sweep.layout.xaxis.tickvals) == [10, 50]
    (line,) = sweep.layout.shapes
    assert line.y0 == line.y1 == 0.75
