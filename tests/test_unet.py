"""cnnviz.net.unet: the residual U-Net's shapes and parameter counts against the real torch module,
the skip concatenations, seeds, and the message for an input size the total stride does not divide."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from cnnviz.i18n import t
from cnnviz.net import (
    Conv2dSpec,
    ConvTranspose2dSpec,
    MaxPool2dSpec,
    SpecError,
    UNet,
    UNetSpec,
    build_unet,
    infer_unet,
    nearest_valid_sizes,
    steppable_layer,
    unet_layer_input,
    unet_problems,
)

SPECS = [
    UNetSpec(),
    UNetSpec(skips=False),
    UNetSpec(image_size=28, depth=2, base_channels=4),
    UNetSpec(in_channels=3, num_classes=3, image_size=16, depth=3, base_channels=6),
    UNetSpec(image_size=48, depth=4, base_channels=2, batch_norm=False),
]


def _traced_shapes(model: UNet, spec: UNetSpec) -> dict[str, tuple[int, ...]]:
    """The output shape of every named part of ``model`` on a real forward pass."""
    names: dict[nn.Module, str] = {}
    for level, module in enumerate(model.encoders):
        names[module] = f"enc{level + 1}"
    names[model.bottom] = "bottom"
    for i, (up, dec) in enumerate(zip(model.ups, model.decoders, strict=True)):
        level = spec.depth - i
        names[up] = f"up{level}"
        names[dec] = f"dec{level}"
    names[model.head] = "head"
    seen: dict[str, tuple[int, ...]] = {}
    inputs: dict[str, tuple[int, ...]] = {}

    def record(name: str) -> object:
        def hook(module: nn.Module, args: tuple[torch.Tensor, ...], out: torch.Tensor) -> None:
            seen[name] = tuple(out.shape[1:])
            inputs[name] = tuple(args[0].shape[1:])

        return hook

    hooks = [module.register_forward_hook(record(name)) for module, name in names.items()]  # type: ignore[arg-type]
    model(torch.rand(2, spec.in_channels, spec.image_size, spec.image_size))
    for hook in hooks:
        hook.remove()
    seen.update({f"in:{k}": v for k, v in inputs.items()})
    return seen


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_shapes_and_params_match_torch(spec: UNetSpec) -> None:
    rows = infer_unet(spec)
    model = build_unet(spec, seed=0)
    traced = _traced_shapes(model, spec)
    for row in rows:
        if row.kind in ("residual", "convtranspose", "conv1x1"):
            assert traced[row.name] == row.output_shape, row.name
            assert traced[f"in:{row.name}"] == row.input_shape, row.name
    # parameter count per part and in total
    parts = {f"enc{i + 1}": m for i, m in enumerate(model.encoders)}
    parts |= {"bottom": model.bottom, "head": model.head}
    for i, (up, dec) in enumerate(zip(model.ups, model.decoders, strict=True)):
        parts |= {f"up{spec.depth - i}": up, f"dec{spec.depth - i}": dec}
    by_name = {row.name: row.params for row in rows}
    for name, module in parts.items():
        assert by_name[name] == sum(p.numel() for p in module.parameters()), name
    assert sum(by_name.values()) == sum(p.numel() for p in model.parameters())
    out = model(torch.rand(1, spec.in_channels, spec.image_size, spec.image_size))
    assert tuple(out.shape) == (1, spec.num_classes, spec.image_size, spec.image_size)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.skips], ids=str)
def test_every_skip_concatenation_joins_maps_of_the_same_size(spec: UNetSpec) -> None:
    rows = infer_unet(spec)
    by_name = {row.name: row for row in rows}
    concats = [row for row in rows if row.kind == "concat"]
    assert [row.name for row in concats] == [f"cat{level}" for level in range(spec.depth, 0, -1)]
    for row in concats:
        encoder = by_name[row.skip_from or ""]
        assert row.skip_shape == encoder.output_shape
        assert row.input_shape[1:] == encoder.output_shape[1:]
        assert row.output_shape == (
            row.input_shape[0] + encoder.output_shape[0],
            *row.input_shape[1:],
        )
        # the decoder block after it reads exactly the joined channels
        decoder = by_name[f"dec{row.name[3:]}"]
        assert decoder.input_shape == row.output_shape


def test_no_skip_variant_has_no_concatenation_and_the_same_encoder_weights() -> None:
    with_skips = build_unet(UNetSpec(), seed=3)
    without = build_unet(UNetSpec(skips=False), seed=3)
    assert not [row for row in infer_unet(UNetSpec(skips=False)) if row.kind == "concat"]
    for a, b in zip(with_skips.encoders.parameters(), without.encoders.parameters(), strict=True):
        assert torch.equal(a, b)
    # the first decoder block reads half the channels without the skip
    assert (
        without.decoders[0].residual[0].in_channels * 2
        == with_skips.decoders[0].residual[0].in_channels
    )


def test_same_seed_same_weights_other_seed_differs() -> None:
    a, b, c = (build_unet(UNetSpec(), seed=s) for s in (1, 1, 2))
    assert all(
        torch.equal(x, y)
        for x, y in zip(a.state_dict().values(), b.state_dict().values(), strict=True)
    )
    assert not torch.equal(a.ups[0].weight, c.ups[0].weight)


def test_size_not_divisible_names_the_concatenation_and_proposes_sizes() -> None:
    spec = UNetSpec(image_size=30, depth=2)
    (problem,) = unet_problems(spec)
    assert problem.code == "unet_stride"
    params = problem.param_dict()
    # 30 -> 15 -> 7; up: 7 -> 14, which is not 15: the mismatch is at cat2
    assert params["concat"] == "cat2" and params["up"] == 14 and params["skip"] == 15
    assert params["sizes"] == "28x28 / 32x32"
    for lang in ("en", "zh"):
        text = problem.text(lang)
        assert "cat2" in text and "28x28 / 32x32" in text and "14x14" in text
    with pytest.raises(SpecError, match="cat2"):
        build_unet(spec, seed=0)
    with pytest.raises(SpecError, match="28x28 / 32x32"):
        infer_unet(spec)
    # and torch agrees: the real module fails at that concatenation
    model = UNet(spec)
    with pytest.raises(RuntimeError, match="Sizes of tensors must match"):
        model(torch.rand(1, 1, 30, 30))


def test_deeper_mismatch_and_no_skip_wording() -> None:
    (deep,) = unet_problems(UNetSpec(image_size=36, depth=3))  # 36 -> 18 -> 9 -> 4; 4 -> 8 != 9
    assert deep.param_dict()["concat"] == "cat3" and deep.param_dict()["sizes"] == "32x32 / 40x40"
    (no_skip,) = unet_problems(UNetSpec(image_size=30, skips=False))
    assert no_skip.code == "unet_stride_no_skip"
    assert t("problem.unet_stride_no_skip", "zh", **no_skip.param_dict())
    (tiny,) = unet_problems(UNetSpec(image_size=3, depth=2))
    assert tiny.code == "unet_too_small" and tiny.param_dict()["sizes"] == "4x4"


@pytest.mark.parametrize(
    ("size", "stride", "expected"), [(30, 4, (28, 32)), (3, 4, (4,)), (33, 8, (32, 40))]
)
def test_nearest_valid_sizes(size: int, stride: int, expected: tuple[int, ...]) -> None:
    assert nearest_valid_sizes(size, stride) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("depth", 0),
        ("depth", 9),
        ("image_size", 1),
        ("base_channels", 1000),
        ("skips", 1),
        ("depth", True),
    ],
)
def test_bad_fields_raise_a_problem(field: str, value: object) -> None:
    with pytest.raises(SpecError, match=field):
        UNetSpec(**{field: value})  # type: ignore[arg-type]


# ------------------------------------------------------- the layers a stepper opens


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_steppable_layers_and_the_maps_that_reach_them_match_the_module(depth: int) -> None:
    spec = UNetSpec(depth=depth, image_size=16, base_channels=4)
    model = build_unet(spec, seed=0)
    image = torch.rand(1, 16, 16, generator=torch.Generator().manual_seed(1))
    model.eval()
    with torch.no_grad():
        expected = model(image[None])
    rows = {row.name: row for row in infer_unet(spec)}
    for name, row in rows.items():
        layer = steppable_layer(spec, name)
        if row.kind not in ("convtranspose", "maxpool", "conv1x1"):
            assert layer is None
            with pytest.raises(SpecError):
                unet_layer_input(model, name, image)
            continue
        x, weight = unet_layer_input(model, name, image)
        assert tuple(x.shape) == row.input_shape
        if row.kind == "convtranspose":
            assert isinstance(layer, ConvTranspose2dSpec)
            assert weight is not None and weight.shape == (
                row.input_shape[0],
                layer.out_channels,
                2,
                2,
            )
            y = torch.nn.functional.conv_transpose2d(x[None], weight, stride=layer.stride)
        elif row.kind == "maxpool":
            assert weight is None
            y = torch.nn.functional.max_pool2d(x[None], 2, 2)
        else:
            assert weight is not None
            y = torch.nn.functional.conv2d(x[None], weight)
        assert isinstance(layer, (ConvTranspose2dSpec, MaxPool2dSpec, Conv2dSpec))
        assert tuple(y.shape[1:]) == row.output_shape
    assert model.training is False  # put back as it was (eval here)
    x, _ = unet_layer_input(model, "head", image)
    with torch.no_grad():
        assert torch.allclose(model.head(x[None]), expected, atol=1e-6)
    model.train()
    unet_layer_input(model, "up1", image)
    assert model.training  # the hook run left the mode as it found it


def test_a_transposed_spec_checks_pytorch_rules() -> None:
    with pytest.raises(SpecError):
        ConvTranspose2dSpec(out_channels=4, stride=(2, 2), output_padding=(2, 0))
    with pytest.raises(SpecError):
        ConvTranspose2dSpec(out_channels=0)
    assert ConvTranspose2dSpec(
        out_channels=4, stride=(2, 2), output_padding=(1, 1)
    ).output_padding == (1, 1)
