"""Shape inference against PyTorch: every preset and hypothesis-generated networks, every problem.

The oracle runs the network "the PyTorch way": lazy modules (``nn.LazyConv2d``...) that read their
input channels from the real tensor, so it shares no code with ``cnnviz.net.shapes``.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from cnnviz.net import (
    ACTIVATIONS,
    MAX_ACTIVATION_BYTES,
    MAX_LAYERS,
    MAX_PARAMS,
    PRESETS,
    ActivationSpec,
    AvgPool2dSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    Dropout2dSpec,
    DropoutSpec,
    FlattenSpec,
    GlobalAvgPoolSpec,
    LayerSpec,
    LinearSpec,
    LocalResponseNormSpec,
    MaxPool2dSpec,
    NetSpec,
    Problem,
    ResidualBlock,
    ResidualBlockSpec,
    SpecError,
    activation_module,
    infer,
    infer_input_shapes,
    layer_label,
    validate,
)


def _oracle_module(spec: LayerSpec, x: torch.Tensor) -> nn.Module:
    """A PyTorch module for ``spec`` that takes its input size from the tensor ``x``."""
    match spec:
        case Conv2dSpec():
            return nn.LazyConv2d(
                spec.out_channels,
                spec.kernel_size,
                spec.stride,
                spec.padding,
                spec.dilation,
                spec.groups,
                spec.bias,
            )
        case MaxPool2dSpec():
            return nn.MaxPool2d(spec.kernel_size, spec.stride, spec.padding)
        case AvgPool2dSpec():
            return nn.AvgPool2d(spec.kernel_size, spec.stride, spec.padding)
        case GlobalAvgPoolSpec():
            return nn.AdaptiveAvgPool2d(1)
        case BatchNorm2dSpec():
            return nn.LazyBatchNorm2d(spec.eps, spec.momentum)
        case LocalResponseNormSpec():
            return nn.LocalResponseNorm(spec.size, spec.alpha, spec.beta, spec.k)
        case ActivationSpec():
            return activation_module(spec.function, spec.negative_slope)
        case DropoutSpec():
            return nn.Dropout(spec.p)
        case Dropout2dSpec():
            return nn.Dropout2d(spec.p)
        case FlattenSpec():
            return nn.Flatten()
        case LinearSpec():
            return nn.LazyLinear(spec.out_features, spec.bias)
        case ResidualBlockSpec():
            return ResidualBlock(x.shape[1], spec)
    raise TypeError(spec)


def torch_trace(net: NetSpec) -> tuple[list[tuple[tuple[int, ...], int]], int, int | None]:
    """Run a zero batch of 2 through the oracle: per layer (output shape, params); total
    mult-adds (FlopCounterMode counts 2 flops per multiply-add); the index of the first layer
    PyTorch rejects (None if none)."""
    x = torch.zeros(2, *net.input_shape)
    results: list[tuple[tuple[int, ...], int]] = []
    flops = 0
    for index, spec in enumerate(net.layers):
        module = _oracle_module(spec, x).eval()
        try:
            with torch.no_grad(), FlopCounterMode(display=False) as counter:
                x = module(x)
        except (RuntimeError, ValueError):  # shape errors; groups that do not divide
            return results, flops // 2 // 2, index
        flops += counter.get_total_flops()
        results.append((tuple(x.shape[1:]), sum(p.numel() for p in module.parameters())))
    return results, flops // 2 // 2, None


def codes(problems: list[Problem]) -> list[tuple[str, int | None]]:
    return [(p.code, p.layer_index) for p in problems]


# ---------------------------------------------------------------- presets and random networks


@pytest.mark.parametrize("name", [n for n in PRESETS if n != "alexnet2012"])
def test_every_preset_matches_pytorch_layer_by_layer(name: str) -> None:
    net = PRESETS[name]
    summary = infer(net)
    assert summary.ok, summary.problems
    trace, mult_adds, failed_at = torch_trace(net)
    assert failed_at is None
    assert [(info.output_shape, info.params) for info in summary.layers] == trace
    assert summary.total_params == sum(params for _, params in trace)
    assert summary.total_mult_adds == mult_adds
    assert summary.output_shape == trace[-1][0]


def test_alexnet_counts_match_the_published_grouped_network() -> None:
    summary = infer(PRESETS["alexnet2012"])
    assert summary.ok
    assert summary.total_params == 60_965_224
    shapes = [info.output_shape for info in summary.layers]
    assert shapes[0] == (96, 55, 55)
    assert shapes[3] == (96, 27, 27)
    assert shapes[7] == (256, 13, 13)
    assert shapes[15] == (9216,)
    assert summary.receptive_field == (195, 195)
    assert summary.layers[4].params == 256 * 48 * 25 + 256  # two groups: each filter sees 48 maps


_SMALL = st.integers(min_value=1, max_value=3)


@st.composite
def layer_specs(draw: st.DrawFn) -> LayerSpec:
    kind = draw(
        st.sampled_from(
            ["conv", "conv", "conv", "max", "avg", "act", "bn", "drop", "drop2d", "lrn", "res"]
        )
    )
    if kind == "conv":
        stride = draw(st.integers(1, 2))
        padding = draw(
            st.one_of(
                st.integers(0, 2), st.just("valid"), st.just("same") if stride == 1 else st.just(1)
            )
        )
        groups = draw(st.sampled_from([1, 1, 2]))
        return Conv2dSpec(
            out_channels=2 * draw(st.integers(1, 3)),
            kernel_size=(draw(st.integers(1, 4)), draw(st.integers(1, 4))),
            stride=stride,
            padding=padding,
            dilation=draw(st.integers(1, 2)),
            groups=groups,
            bias=draw(st.booleans()),
        )
    if kind in ("max", "avg"):
        k = draw(st.integers(1, 3))
        cls = MaxPool2dSpec if kind == "max" else AvgPool2dSpec
        return cls(k, draw(st.integers(1, 3)), draw(st.integers(0, k // 2)))
    if kind == "act":
        return ActivationSpec(draw(st.sampled_from(ACTIVATIONS)), 0.2)
    if kind == "bn":
        return BatchNorm2dSpec()
    if kind == "drop":
        return DropoutSpec(0.3)
    if kind == "drop2d":
        return Dropout2dSpec(0.3)
    if kind == "lrn":
        return LocalResponseNormSpec(size=draw(st.integers(1, 5)))
    bottleneck = draw(st.booleans())
    return ResidualBlockSpec(
        out_channels=4 * draw(st.integers(1, 2)),
        stride=draw(st.integers(1, 2)),
        bottleneck=bottleneck,
        batch_norm=draw(st.booleans()),
        activation=draw(st.sampled_from(["relu", "prelu", "tanh"])),
    )


@st.composite
def networks(draw: st.DrawFn) -> NetSpec:
    body = draw(st.lists(layer_specs(), min_size=1, max_size=5))
    if draw(st.booleans()):
        body.append(GlobalAvgPoolSpec())
    tail: list[LayerSpec] = [FlattenSpec(), LinearSpec(draw(st.integers(1, 8)))]
    if draw(st.booleans()):
        tail[1:1] = [DropoutSpec(0.5), LinearSpec(draw(st.integers(1, 8))), ActivationSpec("prelu")]
    shape = (draw(_SMALL), draw(st.integers(4, 20)), draw(st.integers(4, 20)))
    return NetSpec(shape, tuple(body + tail))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_random_networks_match_pytorch_or_fail_where_pytorch_fails(net: NetSpec) -> None:
    summary = infer(net)
    trace, mult_adds, failed_at = torch_trace(net)
    if failed_at is None:
        assert summary.ok, summary.problems
        assert [(info.output_shape, info.params) for info in summary.layers] == trace
        assert summary.total_mult_adds == mult_adds
        assert infer_input_shapes(net) == [net.input_shape] + [s for s, _ in trace[:-1]]
    else:
        # PyTorch's first failure is the first layer inference flags, with the same outputs before.
        assert not summary.ok
        assert min(p.layer_index for p in summary.problems) == failed_at
        assert [(i.output_shape, i.params) for i in summary.layers[:failed_at]] == trace
        assert summary.layers[failed_at].output_shape is None or summary.layers[failed_at].problems


@st.composite
def window_stacks(draw: st.DrawFn) -> NetSpec:
    """Unpadded conv/pool stacks: every window lies inside the input."""
    layers: list[LayerSpec] = []
    for _ in range(draw(st.integers(1, 4))):
        k, s = draw(st.integers(1, 3)), draw(st.integers(1, 2))
        if draw(st.booleans()):
            layers.append(Conv2dSpec(2, k, stride=s, dilation=draw(st.integers(1, 2))))
        else:
            layers.append(draw(st.sampled_from([MaxPool2dSpec, AvgPool2dSpec]))(k, s))
    return NetSpec((1, 40, 40), tuple(layers))


@settings(max_examples=40, deadline=None)
@given(window_stacks())
def test_receptive_field_is_the_gradient_footprint(net: NetSpec) -> None:
    """The receptive field of one output value = the extent of input pixels its gradient reaches.

    Positive weights and average pooling in place of max pooling (same windows), so no gradient
    cancels or is routed to one pixel.
    """
    summary = infer(net)
    assume(summary.ok)
    x = torch.ones(1, 1, 40, 40, requires_grad=True)
    y = x
    for spec in net.layers:
        if isinstance(spec, Conv2dSpec):
            conv = nn.Conv2d(y.shape[1], 2, spec.kernel_size, spec.stride, 0, spec.dilation)
            nn.init.constant_(conv.weight, 1.0)
            y = conv(y)
        else:
            y = nn.functional.avg_pool2d(y, spec.kernel_size, spec.stride)
    _, out_h, out_w = summary.output_shape  # type: ignore[misc]
    y[0, :, out_h // 2, out_w // 2].sum().backward()
    assert x.grad is not None
    reached = x.grad[0, 0] != 0
    rows = torch.nonzero(reached.any(1)).flatten()
    cols = torch.nonzero(reached.any(0)).flatten()
    rf = summary.layers[-1].receptive_field
    assert (int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)) == rf


def test_receptive_field_of_two_3x3_convs_then_pool() -> None:
    net = NetSpec(
        (1, 32, 32), (Conv2dSpec(1, 3), Conv2dSpec(1, 3), MaxPool2dSpec(2), Conv2dSpec(1, 3))
    )
    assert [i.receptive_field for i in infer(net).layers] == [(3, 3), (5, 5), (6, 6), (10, 10)]
    assert [i.jump for i in infer(net).layers] == [(1, 1), (1, 1), (2, 2), (2, 2)]


# ---------------------------------------------------------------- per-layer details


def test_lenet_formulas_show_the_students_numbers() -> None:
    layers = infer(PRESETS["lenet5"]).layers
    # output size and parameters apart (the Build table's two formula columns)
    assert layers[0].shape_formulas == ["H, W: floor((32 + 2*0 - 5) / 1) + 1 = 28"]
    assert layers[0].general_shape_formulas == [
        "H, W: floor((32 + 2*0 - 1*(5-1) - 1) / 1) + 1 = 28"
    ]
    assert layers[0].param_formulas == ["6 * (1*5*5) + 6 = 156"]
    assert layers[0].formulas == [*layers[0].shape_formulas, *layers[0].param_formulas]
    assert layers[2].shape_formulas == ["H, W: floor((28 + 2*0 - 2) / 2) + 1 = 14"]
    assert layers[2].general_shape_formulas == [
        "H, W: floor((28 + 2*0 - 1*(2-1) - 1) / 2) + 1 = 14"
    ]
    assert layers[2].param_formulas == []
    assert layers[8].shape_formulas == ["120*1*1 = 120"]
    assert layers[9].shape_formulas == [] and layers[9].param_formulas == ["120 * 84 + 84 = 10164"]
    assert layers[0].label == "Conv2d 6@5x5"
    assert layers[0].receptive_field == (5, 5) and layers[0].jump == (1, 1)
    assert layers[2].receptive_field == (6, 6) and layers[2].jump == (2, 2)
    assert layers[8].receptive_field is None


def test_batchnorm_formula_and_rectangular_kernels() -> None:
    net = NetSpec((3, 20, 30), (Conv2dSpec(6, (3, 5), stride=(1, 2)), BatchNorm2dSpec()))
    conv, bn = infer(net).layers
    assert conv.output_shape == (6, 18, 13)
    assert conv.shape_formulas == [
        "H: floor((20 + 2*0 - 3) / 1) + 1 = 18",
        "W: floor((30 + 2*0 - 5) / 2) + 1 = 13",
    ]
    assert conv.label == "Conv2d 6@3x5/1x2"
    assert bn.param_formulas == ["2 * 6 = 12"] and bn.params == 12
    assert conv.activation_bytes == 6 * 18 * 13 * 4


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_same_padding_even_kernel_is_asymmetric_like_pytorch() -> None:
    net = NetSpec((1, 9, 9), (Conv2dSpec(2, 4, padding="same"), FlattenSpec(), LinearSpec(2)))
    info = infer(net).layers[0]
    assert info.output_shape == (2, 9, 9)
    assert info.shape_formulas == ['H, W: "same": floor((9 + 1 + 2 - 4) / 1) + 1 = 9']
    assert info.general_shape_formulas == [
        'H, W: "same": floor((9 + 1 + 2 - 1*(4-1) - 1) / 1) + 1 = 9'
    ]
    assert nn.Conv2d(1, 2, 4, padding="same")(torch.zeros(1, 1, 9, 9)).shape[-2:] == (9, 9)


def test_residual_block_params_are_the_sum_of_its_parts() -> None:
    net = NetSpec((16, 8, 8), (ResidualBlockSpec(32, stride=2),))
    info = infer(net).layers[0]
    assert info.param_formulas[-1] == "4608 + 64 + 9216 + 64 + 512 + 64 = 14528"
    assert info.shape_formulas == ["H, W: floor((8 + 2*1 - 3) / 2) + 1 = 4"]
    assert info.params == 14528
    assert info.output_shape == (32, 4, 4)
    bottleneck = infer(NetSpec((8, 8, 8), (ResidualBlockSpec(16, bottleneck=True),))).layers[0]
    block = ResidualBlock(8, ResidualBlockSpec(16, bottleneck=True))
    assert bottleneck.params == sum(p.numel() for p in block.parameters())
    assert bottleneck.label == "Bottleneck 16"


def test_totals_and_activation_memory() -> None:
    summary = infer(PRESETS["tiny"])
    assert summary.total_params == sum(i.params for i in summary.layers) == 5958
    assert summary.total_activation_bytes == 4 * sum(
        math.prod(i.output_shape) for i in summary.layers
    )  # type: ignore[arg-type]
    assert summary.output_shape == (6,)


def test_floor_truncation_is_a_note_not_an_error() -> None:
    net = PRESETS["keras-mnist"]
    summary = infer(net)
    assert summary.ok
    assert codes(summary.notes) == [("floor_truncation", 7)]
    assert summary.notes[0].param_dict() == {"rows": 1, "cols": 1}
    assert summary.layers[7].notes == summary.notes
    assert summary.layers[8].output_shape == (256,)  # the seed's 16*4*4 is right
    assert "never covered" in summary.notes[0].text("en")


def test_labels() -> None:
    assert layer_label(Conv2dSpec(96, 11, stride=4)) == "Conv2d 96@11x11/4"
    assert layer_label(Conv2dSpec(256, 5, padding=2, groups=2)) == "Conv2d 256@5x5 g2"
    assert layer_label(MaxPool2dSpec(3, stride=2)) == "MaxPool2d 3x3/2"
    assert layer_label(ActivationSpec("leaky_relu", 0.2)) == "LeakyReLU 0.2"
    assert layer_label(DropoutSpec(0.5)) == "Dropout 0.5"
    assert layer_label(ResidualBlockSpec(32, stride=2)) == "Residual 32/2"
    assert layer_label(GlobalAvgPoolSpec()) == "GlobalAvgPool"


# ---------------------------------------------------------------- every validation message


def test_empty_network() -> None:
    summary = infer(NetSpec((1, 28, 28)))
    assert codes(summary.problems) == [("empty_net", None)]
    assert summary.output_shape == (1, 28, 28)
    assert "add a layer" in summary.problems[0].text("en")


def test_kernel_larger_than_input_is_reported_once_per_layer_with_fix() -> None:
    net = NetSpec((1, 28, 28), (Conv2dSpec(4, 40), FlattenSpec(), LinearSpec(10)))
    problems = validate(net)
    assert problems == [
        Problem.make("kernel_too_big", 0, "kernel_size", axis="H, W", kernel=40, size=28, padded=28)
    ]
    assert problems[0].text("en").startswith("Layer 1 (kernel_size): the window spans 40 pixels")
    assert "smaller kernel" in problems[0].text("en")
    assert "减小卷积核" in problems[0].text("zh")


def test_collapse_after_pooling_names_the_axis_and_continues() -> None:
    net = NetSpec(
        (1, 8, 30),
        (
            MaxPool2dSpec(2),  # 4 x 15
            Conv2dSpec(2, (5, 3)),  # H fails, W fine
            ActivationSpec(),
            Conv2dSpec(2, 3, groups=2),  # input shape unknown: no new problem here
            FlattenSpec(),
            LinearSpec(3),
        ),
    )
    summary = infer(net)
    assert codes(summary.problems) == [("kernel_too_big", 1)]
    assert summary.problems[0].param_dict() == {"axis": "H", "kernel": 5, "size": 4, "padded": 4}
    assert summary.layers[3].output_shape is None
    assert summary.layers[5].output_shape == (3,)


def test_dilated_kernel_span_is_checked() -> None:
    net = NetSpec((1, 6, 6), (Conv2dSpec(1, 3, dilation=3), FlattenSpec(), LinearSpec(2)))
    assert codes(validate(net)) == [("kernel_too_big", 0)]
    assert validate(net)[0].param_dict()["kernel"] == 7
    with pytest.raises(RuntimeError):
        nn.Conv2d(1, 1, 3, dilation=3)(torch.zeros(1, 1, 6, 6))


def test_padding_makes_a_big_kernel_fit() -> None:
    net = NetSpec((1, 4, 4), (Conv2dSpec(1, 5, padding=1), FlattenSpec(), LinearSpec(2)))
    assert validate(net) == []
    assert infer(net).layers[0].output_shape == (1, 2, 2)


def test_pool_kernel_larger_than_input() -> None:
    net = NetSpec(
        (3, 2, 2), (AvgPool2dSpec(3, padding=1), MaxPool2dSpec(3), FlattenSpec(), LinearSpec(2))
    )
    summary = infer(net)
    assert summary.layers[0].output_shape == (3, 1, 1)
    assert codes(summary.problems) == [("kernel_too_big", 1)]


def test_linear_without_flatten() -> None:
    net = NetSpec((3, 4, 4), (Conv2dSpec(2, 3), LinearSpec(10)))
    summary = infer(net)
    assert codes(summary.problems) == [("linear_needs_flatten", 1)]
    text = summary.problems[0].text("en")
    assert text == (
        "Layer 2: Linear needs a flat vector but gets a (2, 2, 2) feature map; "
        "add a Flatten layer before this Linear layer."
    )
    assert summary.layers[1].output_shape == (10,)  # inference goes on as if flattened


@pytest.mark.parametrize(
    "spec",
    [
        Conv2dSpec(2, 1),
        MaxPool2dSpec(1),
        AvgPool2dSpec(1),
        GlobalAvgPoolSpec(),
        BatchNorm2dSpec(),
        LocalResponseNormSpec(),
        Dropout2dSpec(),
        ResidualBlockSpec(4),
    ],
    ids=lambda s: s.kind,
)
def test_spatial_layers_after_flatten(spec: LayerSpec) -> None:
    net = NetSpec((1, 4, 4), (FlattenSpec(), spec, LinearSpec(2)))
    summary = infer(net)
    assert codes(summary.problems) == [("needs_spatial", 1)]
    assert summary.layers[2].output_shape == (2,)
    assert summary.layers[2].params == 16 * 2 + 2
    assert "before the Flatten layer" in summary.problems[0].text("en")


def test_elementwise_layers_after_flatten_are_fine() -> None:
    net = NetSpec(
        (1, 4, 4),
        (FlattenSpec(), ActivationSpec("prelu"), DropoutSpec(0.1), LinearSpec(2)),
    )
    summary = infer(net)
    assert summary.ok and summary.layers[1].params == 1


def test_flatten_twice_is_a_note() -> None:
    net = NetSpec((1, 4, 4), (FlattenSpec(), FlattenSpec(), LinearSpec(2)))
    summary = infer(net)
    assert summary.ok
    assert codes(summary.notes) == [("flatten_twice", 1)]


def test_groups_must_divide_input_channels() -> None:
    net = NetSpec((3, 8, 8), (Conv2dSpec(4, 3, groups=2), FlattenSpec(), LinearSpec(2)))
    problems = validate(net)
    assert problems == [Problem.make("groups_in", 0, "groups", groups=2, in_channels=3)]
    assert "does not divide the 3 input channels" in problems[0].text("en")
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)


def test_same_padding_with_stride_is_rejected_by_the_spec() -> None:
    with pytest.raises(SpecError) as info:
        Conv2dSpec(4, 3, stride=2, padding="same")
    assert [p.code for p in info.value.problems] == ["same_with_stride"]


def test_last_layer_not_linear_is_a_note() -> None:
    summary = infer(NetSpec((1, 8, 8), (Conv2dSpec(2, 3),)))
    assert summary.ok
    assert codes(summary.notes) == [("last_not_linear", 0)]


def test_too_many_layers_is_reported_without_inferring_them() -> None:
    net = NetSpec((1, 8, 8), (ActivationSpec(),) * (MAX_LAYERS + 1))
    summary = infer(net)
    assert codes(summary.problems) == [("too_many_layers", None)]
    assert summary.layers == []
    assert "too big for this classroom server" in summary.problems[0].text("en")


def test_too_many_parameters() -> None:
    net = NetSpec((64, 64, 64), (FlattenSpec(), LinearSpec(1000)))  # 262 M weights
    summary = infer(net)
    assert codes(summary.problems) == [("too_many_params", None)]
    assert summary.problems[0].param_dict()["layer"] == 2
    assert summary.total_params > MAX_PARAMS
    assert "too big for this classroom server" in summary.problems[0].text("en")


def test_too_much_activation_memory() -> None:
    net = NetSpec((64, 1024, 1024), (Conv2dSpec(512, 1), FlattenSpec(), LinearSpec(1)))
    summary = infer(net)
    assert ("too_much_memory", None) in codes(summary.problems)
    assert summary.total_activation_bytes > MAX_ACTIVATION_BYTES
    assert "MB" in summary.problems[-1].text("en")


def test_every_problem_code_has_both_languages() -> None:
    from cnnviz.i18n import CATALOG

    for code in [
        "kernel_too_big",
        "floor_truncation",
        "needs_spatial",
        "groups_in",
        "flatten_twice",
        "linear_needs_flatten",
        "empty_net",
        "too_many_layers",
        "too_many_params",
        "too_much_memory",
        "last_not_linear",
    ]:
        assert set(CATALOG[f"problem.{code}"]) == {"en", "zh"}


def test_infer_input_shapes_raises_with_every_problem() -> None:
    net = NetSpec((3, 4, 4), (Conv2dSpec(2, 9), Conv2dSpec(3, 1, groups=3), LinearSpec(2)))
    with pytest.raises(SpecError) as info:
        infer_input_shapes(net)
    assert [p.code for p in info.value.problems] == ["kernel_too_big", "linear_needs_flatten"]


def test_summary_is_plain_data() -> None:
    summary = infer(PRESETS["tiny"])
    first = dataclasses.asdict(summary.layers[0])
    assert first["input_shape"] == (1, 28, 28)
    assert first["output_shape"] == (8, 28, 28)


def test_resnet_stem_loses_no_pixel_so_no_note() -> None:
    """Issue 9, item 11: 3x3 conv stride 2 padding 1, and max pool 3/2/1, on 32x32 leave only a
    row of zero padding unreached; the same layers without padding drop a real row and column."""

    def truncation(layer: Conv2dSpec | MaxPool2dSpec) -> list[Problem]:
        notes = infer(NetSpec(input_shape=(3, 32, 32), layers=(layer,))).notes
        return [note for note in notes if note.code == "floor_truncation"]

    assert truncation(Conv2dSpec(16, (3, 3), stride=(2, 2), padding=(1, 1))) == []
    assert truncation(MaxPool2dSpec((3, 3), (2, 2), (1, 1))) == []
    for layer in (Conv2dSpec(16, (3, 3), stride=(2, 2)), MaxPool2dSpec((3, 3), (2, 2))):
        (note,) = truncation(layer)
        assert note.param_dict() == {"rows": 1, "cols": 1}
        assert "real pixels (not padding)" in note.text("en") and "真实像素" in note.text("zh")


def test_a_dilated_conv_writes_the_general_formula_in_both_forms() -> None:
    """Dilation > 1 needs the general form: the familiar one cannot express it."""
    net = NetSpec((1, 9, 9), (Conv2dSpec(1, 3, dilation=2), FlattenSpec(), LinearSpec(2)))
    info = infer(net).layers[0]
    general = "H, W: floor((9 + 2*0 - 2*(3-1) - 1) / 1) + 1 = 5"
    assert info.shape_formulas == info.general_shape_formulas == [general]
    assert nn.Conv2d(1, 1, 3, dilation=2)(torch.zeros(1, 1, 9, 9)).shape[-1] == 5
