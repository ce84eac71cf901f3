"""``python -m cnnviz train``: JSON lines per epoch, a final result line, a table, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnnviz.cli import main
from cnnviz.net import get_preset, net_to_json

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--num-samples", "300", "--threads", "1", "--batch-size", "32"]


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_lines_per_epoch_and_a_result(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "train",
            "--preset",
            "tiny",
            "--dataset",
            "shapes",
            "--epochs",
            "2",
            "--json",
            "--lr",
            "0.003",
            *FAST,
        ]
    )
    assert code == 0
    lines = _json_lines(capsys.readouterr().out)
    start, *epochs, result = lines
    assert start["event"] == "start" and start["params"] == 5958 and start["fitted"] == []
    assert [e["epoch"] for e in epochs] == [1, 2]
    for epoch in epochs:
        assert set(epoch) == {
            "epoch",
            "train_loss",
            "val_loss",
            "train_acc",
            "val_acc",
            "lr",
            "seconds",
            "images_per_second",
        }
        assert 0 <= epoch["val_acc"] <= 1 and epoch["images_per_second"] > 0
    assert result["event"] == "result" and result["reason"] == "completed"
    assert result["epochs"] == 2 and result["val_acc"] == epochs[-1]["val_acc"]
    assert result["diagnosis"] in ("overfitting", "underfitting", "good fit", "still improving")


def test_same_seed_same_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["train", "--epochs", "1", "--json", "--seed", "5", *FAST]
    main(args)
    first = _json_lines(capsys.readouterr().out)
    main(args)
    second = _json_lines(capsys.readouterr().out)
    assert first[1]["train_loss"] == second[1]["train_loss"]
    assert first[1]["val_acc"] == second[1]["val_acc"]


def test_table_output_and_lab_options(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "train",
            "--epochs",
            "1",
            "--width",
            "2",
            "--dropout",
            "0.3",
            "--train-size",
            "100",
            "--label-noise",
            "0.1",
            "--weight-decay",
            "1e-4",
            "--l1",
            "1e-5",
            "--augment",
            "--early-stopping",
            *FAST,
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "100 train / 60 val images" in out
    assert "epoch train_loss" in out and out.strip().splitlines()[-1].startswith("finished:")


def test_a_preset_is_fitted_to_the_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--preset", "lenet5", "--epochs", "1", "--json", *FAST]) == 0
    start = _json_lines(capsys.readouterr().out)[0]
    assert start["fitted"] == ["resize", "classes"] and start["input_shape"] == [1, 32, 32]


def test_a_json_network_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "net.json"
    path.write_text(net_to_json(get_preset("tiny")), encoding="utf-8")
    assert main(["train", "--preset", str(path), "--epochs", "1", "--json", *FAST]) == 0
    assert _json_lines(capsys.readouterr().out)[-1]["reason"] == "completed"


def test_divergence_is_reported_not_raised(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["train", "--epochs", "2", "--lr", "100", "--optimizer", "sgd", "--json", *FAST])
    assert code == 0
    result = _json_lines(capsys.readouterr().out)[-1]
    assert result["reason"] == "diverged" and "diverged" in result


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "nosuchnet"], "neither a preset"),
        (["--epochs", "500"], "100"),
        (["--lr", "-1"], "lr"),
        (["--train-size", "0"], "train"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train", "--json", *args, *FAST]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in json.loads(captured.err)["error"]


def test_missing_dataset_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--dataset", "cifar10", "--data-dir", str(tmp_path), *FAST]) == 2
    assert "error:" in capsys.readouterr().err


def test_python_dash_m_cnnviz_train() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cnnviz", "train", "--epochs", "1", "--json", *FAST],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = _json_lines(done.stdout)
    assert lines[1]["epoch"] == 1 and lines[-1]["event"] == "result"


def test_a_device_this_machine_lacks_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 9, item 9: never train on the CPU with exit code 0 after asking for CUDA."""
    import cnnviz.cli.train as cli

    monkeypatch.setattr(cli, "available_devices", lambda: ["cpu"])
    for device in ("cuda", "mps"):
        assert main(["train", "--device", device, "--json", *FAST]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""  # nothing trained
        error = json.loads(captured.err)["error"]
        assert f"no {device.upper()} device" in error and "--device auto" in error
    assert main(["train", "--device", "cpu", "--epochs", "1", "--json", *FAST]) == 0


@pytest.mark.skipif(
    __import__("torch").cuda.is_available(), reason="this machine has CUDA: nothing to refuse"
)
def test_python_dash_m_cnnviz_train_device_cuda_without_cuda_fails() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cnnviz", "train", "--device", "cuda", *FAST],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "no CUDA device" in done.stderr


def test_init_is_an_option_and_zeros_cannot_learn(capsys: pytest.CaptureFixture[str]) -> None:
    """The README says ``train --help`` lists the initialisations (issue 9, item 19)."""
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    assert "--init {default,kaiming,xavier,normal,zeros}" in capsys.readouterr().out
    args = ["train", "--init", "zeros", "--epochs", "2", "--lr", "0.01", "--json", *FAST]
    assert main(args) == 0
    *_, result = _json_lines(capsys.readouterr().out)
    assert result["train_acc"] <= 0.25  # 6 classes: a constant guess, nothing learned


@pytest.mark.skipif(
    not Path("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").is_file(),
    reason="Debian's dataset-fashion-mnist is not installed (tests/run installs it)",
)
def test_fashion_mnist_reports_the_official_test_split_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 9, item 22: train and validate on the training split, then measure the 10,000
    official test images once; the final JSON line carries ``test_acc`` and ``test_images``."""
    args = ["train", "--dataset", "fashion-mnist", "--data-dir", str(tmp_path), "--epochs", "2"]
    assert main([*args, "--max-samples", "600", "--json", "--threads", "1"]) == 0
    start, *epochs, result = _json_lines(capsys.readouterr().out)
    assert start["train_images"] + start["val_images"] == 600 and start["split_images"] == 60000
    assert len(epochs) == 2 and "test_acc" not in epochs[-1]  # never during training
    assert result["test_images"] == 10000
    assert 0.1 < result["test_acc"] <= 1 and result["test_loss"] > 0


def test_shapes_have_no_official_test_split(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--epochs", "1", "--json", *FAST]) == 0
    *_, result = _json_lines(capsys.readouterr().out)
    assert result["test_acc"] is None and result["test_images"] == 0


def test_alexnet_augmentation_options_and_ten_crop(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["train", "--epochs", "1", "--json", "--dataset", "shapes-color", "--image-size", "32"]
    options = ["--crop-padding", "2", "--flip", "--pca-colour", "0.1", "--ten-crop"]
    assert main([*args, *options, *FAST]) == 0
    *_, result = _json_lines(capsys.readouterr().out)
    # no test split: ten-crop is measured on the validation set, next to the one-crop accuracy
    assert 0 <= result["val_ten_crop_acc"] <= 1 and result["val_one_crop_acc"] == result["val_acc"]
    assert main(["train", "--ten-crop", "--json", *FAST]) == 2  # ten crops need random crops
    assert "random crops" in json.loads(capsys.readouterr().err)["error"]
