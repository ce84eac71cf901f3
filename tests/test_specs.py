"""Layer specs: normalisation, and every SpecError path with its exact Problem."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from cnnviz.net import (
    ACTIVATIONS,
    LAYER_TYPES,
    MAX_CHANNELS,
    MAX_FEATURES,
    MAX_KERNEL,
    MAX_SPATIAL,
    ActivationSpec,
    AvgPool2dSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    Dropout2dSpec,
    DropoutSpec,
    LinearSpec,
    LocalResponseNormSpec,
    MaxPool2dSpec,
    NetSpec,
    Problem,
    ResidualBlockSpec,
    SpecError,
)


def _problem(factory: Any, *args: Any, **kwargs: Any) -> Problem:
    with pytest.raises(SpecError) as info:
        factory(*args, **kwargs)
    assert len(info.value.problems) == 1
    return info.value.problems[0]


# ---------------------------------------------------------------- normalisation


def test_pairs_are_normalised_to_tuples() -> None:
    conv = Conv2dSpec(6, 5, stride=[2, 1], padding=1, dilation=(1, 2))
    assert conv.kernel_size == (5, 5)
    assert conv.stride == (2, 1)
    assert conv.padding == (1, 1)
    assert conv.dilation == (1, 2)
    assert Conv2dSpec(6, 3, padding="same").padding == "same"


def test_pool_stride_defaults_to_the_kernel() -> None:
    assert MaxPool2dSpec(2).stride == (2, 2)
    assert AvgPool2dSpec(3, stride=2).stride == (2, 2)
    assert MaxPool2dSpec((3, 2)).stride == (3, 2)


def test_specs_are_frozen_hashable_and_replaceable() -> None:
    conv = Conv2dSpec(6, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        conv.out_channels = 7  # type: ignore[misc]
    assert len({conv, Conv2dSpec(6, (5, 5)), Conv2dSpec(7, 5)}) == 2
    wider = dataclasses.replace(conv, out_channels=12)
    assert wider.out_channels == 12 and conv.out_channels == 6
    with pytest.raises(SpecError):
        dataclasses.replace(conv, out_channels=0)  # replace re-validates


def test_layer_types_cover_every_kind() -> None:
    assert list(LAYER_TYPES) == [
        "conv2d",
        "maxpool2d",
        "avgpool2d",
        "global_avg_pool",
        "batchnorm2d",
        "lrn",
        "activation",
        "dropout",
        "dropout2d",
        "flatten",
        "linear",
        "residual",
    ]
    assert all(cls.kind == kind for kind, cls in LAYER_TYPES.items())


def test_net_spec_normalises_lists() -> None:
    net = NetSpec([1, 28, 28], [LinearSpec(2)], class_names=["a", "b"])  # type: ignore[arg-type]
    assert net.input_shape == (1, 28, 28)
    assert net.layers == (LinearSpec(2),)
    assert net.class_names == ("a", "b")


# ---------------------------------------------------------------- every error path


@pytest.mark.parametrize(
    ("factory", "kwargs", "code", "field"),
    [
        (Conv2dSpec, {"out_channels": "6"}, "not_int", "out_channels"),
        (Conv2dSpec, {"out_channels": 6.0}, "not_int", "out_channels"),
        (Conv2dSpec, {"out_channels": True}, "not_int", "out_channels"),
        (Conv2dSpec, {"out_channels": 0}, "out_of_range", "out_channels"),
        (Conv2dSpec, {"out_channels": MAX_CHANNELS + 1}, "out_of_range", "out_channels"),
        (Conv2dSpec, {"out_channels": 4, "kernel_size": 0}, "out_of_range", "kernel_size"),
        (
            Conv2dSpec,
            {"out_channels": 4, "kernel_size": MAX_KERNEL + 1},
            "out_of_range",
            "kernel_size",
        ),
        (Conv2dSpec, {"out_channels": 4, "kernel_size": (3, 3, 3)}, "not_int_pair", "kernel_size"),
        (Conv2dSpec, {"out_channels": 4, "kernel_size": "3"}, "not_int_pair", "kernel_size"),
        (Conv2dSpec, {"out_channels": 4, "kernel_size": (3, 2.5)}, "not_int_pair", "kernel_size"),
        (Conv2dSpec, {"out_channels": 4, "stride": 0}, "out_of_range", "stride"),
        (Conv2dSpec, {"out_channels": 4, "stride": -1}, "out_of_range", "stride"),
        (Conv2dSpec, {"out_channels": 4, "dilation": 0}, "out_of_range", "dilation"),
        (Conv2dSpec, {"out_channels": 4, "padding": -1}, "out_of_range", "padding"),
        (Conv2dSpec, {"out_channels": 4, "padding": "full"}, "bad_padding", "padding"),
        (Conv2dSpec, {"out_channels": 4, "padding": None}, "not_int_pair", "padding"),
        (
            Conv2dSpec,
            {"out_channels": 4, "stride": 2, "padding": "same"},
            "same_with_stride",
            "padding",
        ),
        (Conv2dSpec, {"out_channels": 4, "groups": 0}, "out_of_range", "groups"),
        (Conv2dSpec, {"out_channels": 4, "groups": 3}, "groups_out", "groups"),
        (Conv2dSpec, {"out_channels": 4, "bias": 1}, "not_bool", "bias"),
        (MaxPool2dSpec, {"kernel_size": 0}, "out_of_range", "kernel_size"),
        (MaxPool2dSpec, {"kernel_size": 2, "stride": 0}, "out_of_range", "stride"),
        (MaxPool2dSpec, {"kernel_size": 2, "padding": 2}, "pool_pad_half", "padding"),
        (AvgPool2dSpec, {"kernel_size": 3, "padding": 2}, "pool_pad_half", "padding"),
        (AvgPool2dSpec, {"kernel_size": [2]}, "not_int_pair", "kernel_size"),
        (BatchNorm2dSpec, {"eps": 0.0}, "out_of_range", "eps"),
        (BatchNorm2dSpec, {"eps": "small"}, "not_number", "eps"),
        (BatchNorm2dSpec, {"momentum": 1.5}, "out_of_range", "momentum"),
        (BatchNorm2dSpec, {"momentum": float("nan")}, "not_number", "momentum"),
        (LocalResponseNormSpec, {"size": 0}, "out_of_range", "size"),
        (LocalResponseNormSpec, {"alpha": -1.0}, "out_of_range", "alpha"),
        (LocalResponseNormSpec, {"beta": True}, "not_number", "beta"),
        (LocalResponseNormSpec, {"k": 1000.0}, "out_of_range", "k"),
        (ActivationSpec, {"function": "swish"}, "bad_activation", "function"),
        (ActivationSpec, {"function": "ReLU"}, "bad_activation", "function"),
        (ActivationSpec, {"negative_slope": 2.0}, "out_of_range", "negative_slope"),
        (DropoutSpec, {"p": 1.0}, "out_of_range", "p"),
        (DropoutSpec, {"p": -0.1}, "out_of_range", "p"),
        (Dropout2dSpec, {"p": "0.5"}, "not_number", "p"),
        (LinearSpec, {"out_features": 0}, "out_of_range", "out_features"),
        (LinearSpec, {"out_features": MAX_FEATURES + 1}, "out_of_range", "out_features"),
        (LinearSpec, {"out_features": 3, "bias": "no"}, "not_bool", "bias"),
        (ResidualBlockSpec, {"out_channels": 0}, "out_of_range", "out_channels"),
        (ResidualBlockSpec, {"out_channels": 8, "stride": 5}, "out_of_range", "stride"),
        (
            ResidualBlockSpec,
            {"out_channels": 6, "bottleneck": True},
            "bottleneck_channels",
            "out_channels",
        ),
        (
            ResidualBlockSpec,
            {"out_channels": 8, "activation": "swish"},
            "bad_activation",
            "activation",
        ),
        (ResidualBlockSpec, {"out_channels": 8, "bottleneck": 1}, "not_bool", "bottleneck"),
        (ResidualBlockSpec, {"out_channels": 8, "batch_norm": "yes"}, "not_bool", "batch_norm"),
        (NetSpec, {"input_shape": (1, 28)}, "bad_input_shape", "input_shape"),
        (NetSpec, {"input_shape": "1,28,28"}, "bad_input_shape", "input_shape"),
        (NetSpec, {"input_shape": (1, 28, 28.0)}, "bad_input_shape", "input_shape"),
        (NetSpec, {"input_shape": (0, 28, 28)}, "out_of_range", "input_shape"),
        (NetSpec, {"input_shape": (65, 28, 28)}, "out_of_range", "input_shape"),
        (NetSpec, {"input_shape": (1, MAX_SPATIAL + 1, 28)}, "out_of_range", "input_shape"),
    ],
)
def test_every_spec_error(factory: Any, kwargs: dict[str, Any], code: str, field: str) -> None:
    problem = _problem(factory, **kwargs)
    assert (problem.code, problem.field) == (code, field)
    assert problem.layer_index is None
    # every problem renders in both languages, naming the field
    assert problem.text("en").startswith(f"{field}: ")
    assert problem.text("zh").startswith(f"{field}: ")


def test_messages_say_what_to_change() -> None:
    with pytest.raises(SpecError, match="choose a value from 1 to 4096"):
        Conv2dSpec(0)
    with pytest.raises(SpecError, match='padding="same" only works with stride 1'):
        Conv2dSpec(4, 3, stride=2, padding="same")
    with pytest.raises(SpecError, match="groups=3 does not divide out_channels=4"):
        Conv2dSpec(4, groups=3)
    with pytest.raises(SpecError, match="use padding at most 2//2"):
        MaxPool2dSpec(2, padding=2)
    with pytest.raises(SpecError, match="choose one of: relu, leaky_relu"):
        ActivationSpec("swish")
    with pytest.raises(SpecError, match="use a multiple of 4"):
        ResidualBlockSpec(6, bottleneck=True)
    with pytest.raises(SpecError, match="is not a whole number"):
        LinearSpec(2.5)  # type: ignore[arg-type]


def test_problem_params_and_rendering() -> None:
    problem = Problem.make("out_of_range", 2, "stride", value=0, minimum=1, maximum=64)
    assert problem.param_dict() == {"value": 0, "minimum": 1, "maximum": 64}
    assert problem.text("en") == (
        "Layer 3 (stride): 0 is out of range; choose a value from 1 to 64."
    )
    assert problem.text("zh") == "第 3 层 (stride): 0 超出范围;请选择 1 到 64 之间的值。"
    assert str(problem) == problem.text("en")
    assert hash(problem) == hash(
        Problem.make("out_of_range", 2, "stride", maximum=64, minimum=1, value=0)
    )


def test_spec_error_carries_every_problem() -> None:
    problems = [Problem.make("empty_net"), Problem.make("not_int", 0, "p", value="'x'")]
    error = SpecError(problems)
    assert error.problems == problems
    assert isinstance(error, ValueError)
    assert "the network has no layers" in str(error) and "Layer 1 (p)" in str(error)
    assert SpecError(problems[0]).problems == [problems[0]]


def test_every_activation_is_accepted() -> None:
    for function in ACTIVATIONS:
        assert ActivationSpec(function).function == function
        assert ResidualBlockSpec(8, activation=function).activation == function
