"""Generated PyTorch code: executed, compared with build_model (module types, parameters, shape)."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch import nn

from cnnviz.net import (
    PRESETS,
    ActivationSpec,
    AvgPool2dSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    Dropout2dSpec,
    DropoutSpec,
    FlattenSpec,
    LinearSpec,
    LocalResponseNormSpec,
    MaxPool2dSpec,
    NetSpec,
    ResidualBlock,
    ResidualBlockSpec,
    SeededDropout,
    SpecError,
    build_model,
    infer,
    module_expression,
    to_pytorch_code,
)

RUFF = Path(sys.executable).parent / "ruff"


def _load(code: str, class_name: str = "Net") -> nn.Module:
    namespace: dict[str, object] = {"__name__": "generated"}
    exec(compile(code, "<generated>", "exec"), namespace)
    model = namespace[class_name]()  # type: ignore[operator]
    assert isinstance(model, nn.Module)
    return model


def _layer_types(model: nn.Module) -> list[str]:
    """Type names of the top-level layers, looking through the nn.Sequential blocks."""
    names = []
    for child in model.children():
        modules = list(child.children()) if isinstance(child, nn.Sequential) else [child]
        names.extend(_type_name(m) for m in modules)
    return names


def _type_name(module: nn.Module) -> str:
    if isinstance(module, SeededDropout):
        return "Dropout2d" if module.spatial else "Dropout"
    return type(module).__name__


def _params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("name", list(PRESETS))
def test_generated_code_matches_the_builder(name: str) -> None:
    net = PRESETS[name]
    code = to_pytorch_code(net)
    generated = _load(code)
    built = build_model(net, seed=0)
    assert _layer_types(generated) == [_type_name(m) for m in built.layers]
    assert _params(generated) == _params(built) == infer(net).total_params
    # the same parameter tensors, in the same order
    assert [tuple(p.shape) for p in generated.parameters()] == [
        tuple(p.shape) for p in built.parameters()
    ]
    if name != "alexnet2012":  # AlexNet's forward is slow on a shared CPU; shapes are tested above
        with torch.no_grad():
            out = generated.eval()(torch.zeros(2, *net.input_shape))
        assert tuple(out.shape) == (2, *infer(net).output_shape)  # type: ignore[misc]


@pytest.mark.parametrize("name", ["lenet5", "resnet-mini", "alexnet2012"])
def test_generated_code_is_pep8_and_ruff_clean(name: str, tmp_path: Path) -> None:
    path = tmp_path / "net.py"
    path.write_text(to_pytorch_code(PRESETS[name]))
    args = ["--isolated", "--line-length", "100"]
    check = subprocess.run(
        [RUFF, "check", *args, "--select", "E,W,F,I,UP,B", str(path)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run(
        [RUFF, "format", *args, "--check", str(path)], capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout


def test_lenet_code_reads_like_a_textbook() -> None:
    code = to_pytorch_code(PRESETS["lenet5"])
    assert "self.features = nn.Sequential(  # (1, 32, 32)" in code
    assert "            nn.Conv2d(1, 6, kernel_size=5),  # -> (6, 28, 28)" in code
    assert "            nn.AvgPool2d(kernel_size=2),  # -> (6, 14, 14)" in code
    assert "            nn.Linear(120, 84),  # -> (84,)" in code
    assert "        return self.classifier(x)  # (N, 10)" in code
    assert "61,706 parameters" in code
    assert "ResidualBlock" not in code  # only generated when needed
    assert "LeCun" in code


def test_alexnet_code_has_groups_lrn_and_dropout() -> None:
    code = to_pytorch_code(PRESETS["alexnet2012"])
    assert "nn.Conv2d(3, 96, kernel_size=11, stride=4),  # -> (96, 55, 55)" in code
    assert "nn.Conv2d(96, 256, kernel_size=5, padding=2, groups=2)" in code
    assert "nn.LocalResponseNorm(size=5, alpha=0.0005, beta=0.75, k=2.0)" in code
    assert "nn.MaxPool2d(kernel_size=3, stride=2)" in code
    assert "nn.Dropout(p=0.5)" in code


def test_script_runs_standalone(tmp_path: Path) -> None:
    path = tmp_path / "tiny_net.py"
    path.write_text(to_pytorch_code(PRESETS["tiny"]))
    result = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    assert "5958 parameters" in result.stdout
    assert "torch.Size([1, 6])" in result.stdout


def test_bottleneck_and_options_round_trip() -> None:
    net = NetSpec(
        (3, 20, 20),
        (
            Conv2dSpec(8, (3, 5), stride=(1, 2), padding=(1, 2), bias=False),
            BatchNorm2dSpec(eps=1e-3, momentum=0.2),
            ActivationSpec("leaky_relu", negative_slope=0.2),
            Dropout2dSpec(0.1),
            ResidualBlockSpec(16, stride=2, bottleneck=True, activation="prelu"),
            ResidualBlockSpec(16, batch_norm=False, activation="gelu"),
            AvgPool2dSpec(3, stride=2, padding=1),
            MaxPool2dSpec((2, 1)),
            LocalResponseNormSpec(size=3),
            Conv2dSpec(4, 3, padding="same", dilation=2),
            FlattenSpec(),
            DropoutSpec(0.3),
            LinearSpec(5, bias=False),
        ),
        name="options",
    )
    code = to_pytorch_code(net, class_name="MyNet")
    generated = _load(code, "MyNet")
    built = build_model(net, seed=0)
    assert _layer_types(generated) == [_type_name(m) for m in built.layers]
    assert _params(generated) == _params(built)
    assert "bottleneck: bool = False" in code
    assert "act=nn.PReLU" in code and "batch_norm=False, act=nn.GELU" in code
    with torch.no_grad():
        assert generated.eval()(torch.zeros(1, 3, 20, 20)).shape == (1, 5)
    residuals = [m for m in generated.modules() if type(m).__name__ == "ResidualBlock"]
    assert len(residuals) == 2
    assert type(residuals[0]).__name__ == ResidualBlock.__name__


def test_network_without_flatten_uses_one_block() -> None:
    net = NetSpec((1, 8, 8), (Conv2dSpec(2, 3), ActivationSpec()))
    code = to_pytorch_code(net)
    assert "self.layers = nn.Sequential(" in code and "self.features" not in code
    assert _load(code)(torch.zeros(1, 1, 8, 8)).shape == (1, 2, 6, 6)


def test_hostile_text_cannot_escape_the_docstring() -> None:
    evil = 'x"""\nimport os; raise SystemExit("escaped")\n"""\\'
    net = dataclasses.replace(PRESETS["tiny"], name=evil, description=evil, source=evil + '"')
    code = to_pytorch_code(net)
    tree = ast.parse(code)
    assert isinstance(tree.body[0], ast.Expr)  # the docstring
    assert [type(node).__name__ for node in tree.body[1:3]] == ["Import", "ImportFrom"]
    _load(code)  # runs without raising SystemExit


def test_invalid_network_and_class_name_are_refused() -> None:
    with pytest.raises(SpecError, match="add a Flatten layer"):
        to_pytorch_code(NetSpec((1, 8, 8), (Conv2dSpec(2, 3), LinearSpec(2))))
    with pytest.raises(ValueError, match="not a Python class name"):
        to_pytorch_code(PRESETS["tiny"], class_name="my net")


def test_module_expression_defaults_are_left_out() -> None:
    assert module_expression(Conv2dSpec(6, 5), (1, 32, 32)) == "nn.Conv2d(1, 6, kernel_size=5)"
    assert (
        module_expression(MaxPool2dSpec(3, 2), (6, 9, 9)) == "nn.MaxPool2d(kernel_size=3, stride=2)"
    )
    assert module_expression(LinearSpec(10), (84,)) == "nn.Linear(84, 10)"
    assert module_expression(ActivationSpec("gelu"), (3,)) == "nn.GELU()"
    expression = module_expression(Conv2dSpec(6, (3, 5), padding="valid"), (2, 9, 9))
    assert expression == "nn.Conv2d(2, 6, kernel_size=(3, 5))"
    conv = eval(expression, {"nn": nn})  # our own generated expression
    assert conv.kernel_size == (3, 5) and conv.in_channels == 2
