"""``python -m cnnviz prune``: one JSON line per sparsity with the documented fields, the structured
rebuild's parameter count, a checkpoint as the source, and clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cnnviz.cli import main
from cnnviz.data import DataConfig, load_dataset
from cnnviz.net import PRESETS, widen
from cnnviz.train import TrainConfig, fit, fit_to_data, save_checkpoint

FAST = ["--num-samples", "300", "--threads", "1", "--epochs", "1"]
FIELDS = {"sparsity", "val_acc", "val_acc_finetuned", "params_nonzero", "params_total"}


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_line_per_sparsity_with_the_fields(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["prune", "--preset", "tiny", "--method", "global", "--sparsity", "0.5,0.9"]
    code = main([*args, "--finetune-epochs", "1", "--json", *FAST])
    assert code == 0
    lines = _lines(capsys.readouterr().out)
    assert [line["requested"] for line in lines] == [0.5, 0.9]
    for line in lines:
        assert set(line) >= FIELDS and "params_after_rebuild" not in line
        assert line["sparsity"] == pytest.approx(line["requested"], abs=1e-3)  # measured
        assert 0 <= line["val_acc"] <= 1 and 0 <= line["val_acc_finetuned"] <= 1
        assert line["params_total"] == 5958
        assert line["params_nonzero"] < line["params_total"]


def test_structured_reports_the_rebuilt_size(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["prune", "--method", "structured", "--sparsity", "0.5", "--json", *FAST])
    assert code == 0
    (line,) = _lines(capsys.readouterr().out)
    assert line["val_acc_finetuned"] is None  # no fine-tune asked
    assert line["params_after_rebuild"] == 4 * 9 + 4 + 8 * 4 * 9 + 8 + 8 * 49 * 6 + 6


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = load_dataset(DataConfig(num_samples=300))
    fitting = fit_to_data(widen(PRESETS["tiny"], 0.5), data)
    result = fit(fitting.net, fitting.data, TrainConfig(epochs=1, num_threads=1))
    path = tmp_path_factory.mktemp("ckpt") / "half.zip"
    path.write_bytes(save_checkpoint(result.model, fitting.net, dataset="shapes"))
    return path


def test_a_checkpoint_is_pruned_without_training(checkpoint: Path, capsys) -> None:
    code = main(["prune", "--checkpoint", str(checkpoint), "--sparsity", "0.3", "--json", *FAST])
    assert code == 0
    (line,) = _lines(capsys.readouterr().out)
    assert line["params_total"] < 5958 and line["sparsity"] == pytest.approx(0.3, abs=2e-3)


def test_a_checkpoint_for_another_network_is_refused(checkpoint: Path, capsys) -> None:
    args = ["prune", "--checkpoint", str(checkpoint), "--preset", "tiny", "--json", *FAST]
    assert main(args) == 2
    error = json.loads(capsys.readouterr().err)["error"]
    assert "another network" in error


@pytest.mark.parametrize("bad", ["1.0", "-0.1", "half"])
def test_a_bad_sparsity_is_refused_before_training(bad: str, capsys) -> None:
    assert main(["prune", "--sparsity", f"0.5,{bad}", *FAST]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "choose a fraction from 0 to 0.95" in captured.err
