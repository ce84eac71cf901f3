"""``python -m cnnviz train``: JSON lines per epoch, a final result line, a table, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnnviz.cli_train import main
from cnnviz.presets import get_preset
from cnnviz.schema import net_to_json

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
