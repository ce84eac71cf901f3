"""``python -m cnnviz summary``: the table, the JSON document, and exit code 2 for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnnviz.cli import main
from cnnviz.cli.main import parse_input_shape
from cnnviz.net import PRESETS, SpecError, infer, net_to_json

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cnnviz", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_subprocess_json_for_lenet5() -> None:
    result = _run("summary", "lenet5", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    summary = infer(PRESETS["lenet5"])
    assert document["total_params"] == 61_706 == summary.total_params
    assert document["total_mult_adds"] == summary.total_mult_adds
    assert [layer["output_shape"] for layer in document["layers"]] == [
        list(info.output_shape)
        for info in summary.layers  # type: ignore[arg-type]
    ]
    assert [layer["params"] for layer in document["layers"]] == [
        info.params for info in summary.layers
    ]
    assert document["layers"][0]["name"] == "Conv2d 6@5x5"
    assert document["output_shape"] == [10]


def test_subprocess_bad_preset_exits_2() -> None:
    result = _run("summary", "vgg16")
    assert result.returncode == 2
    assert "'vgg16' is neither a preset nor a JSON file" in result.stderr
    assert "lenet5" in result.stderr
    assert result.stdout == ""


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "alexnet2012"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["#", "layer", "output", "shape", "params", "mult-adds"]
    assert " 1  Conv2d 96@11x11/4" in out
    assert "96x55x55" in out
    assert "total parameters:  60,965,224" in out
    assert "receptive field:   195x195" in out


def test_table_shows_notes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "keras-mnist"]) == 0
    assert "note: Layer 8 (stride): the windows do not tile" in capsys.readouterr().out


def test_input_override(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "tiny", "--input", "3,32,32", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["input_shape"] == [3, 32, 32]
    assert document["layers"][-2]["output_shape"] == [16 * 8 * 8]


def test_json_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "net.json"
    path.write_text(net_to_json(PRESETS["cifar-small"]), encoding="utf-8")
    assert main(["summary", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total_params"] == 122_570


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["summary", "tiny", "--input", "3,32"], "must be three whole numbers"),
        (["summary", "tiny", "--input", "a,b,c"], "must be three whole numbers"),
        (["summary", "tiny", "--input", "3,0,32"], "out of range"),
        (["summary", "lenet5", "--input", "1,8,8"], "Layer 4 (kernel_size)"),
        (["summary", "no-such-file.json"], "neither a preset nor a JSON file"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_bad_json_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    garbage = tmp_path / "bad.json"
    garbage.write_text("{ not json", encoding="utf-8")
    assert main(["summary", str(garbage)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    unknown = tmp_path / "unknown.json"
    unknown.write_text(
        json.dumps({"schema_version": 1, "input_shape": [1, 8, 8], "layers": [{"type": "conv9d"}]})
    )
    assert main(["summary", str(unknown), "--lang", "zh"]) == 2
    assert "未知的层类型" in capsys.readouterr().err
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (300 * 1024))
    assert main(["summary", str(huge)]) == 2
    assert "the limit is 256 KB" in capsys.readouterr().err


def test_argparse_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["summary"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


def test_parse_input_shape() -> None:
    assert parse_input_shape("3,227,227") == (3, 227, 227)
    assert parse_input_shape("1x28x28") == (1, 28, 28)
    with pytest.raises(SpecError):
        parse_input_shape("28")
