"""The Build page's U-Net view, library side: the U diagram (skips, the failing concatenation)
and the stepper request of an up-sampling layer, a pool and the head."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnviz.lessons import (
    parse_stepper_request,
    request_target,
    unet_sample_image,
    unet_stepper_request,
)
from cnnviz.net import (
    Conv2dSpec,
    ConvTranspose2dSpec,
    MaxPool2dSpec,
    SpecError,
    UNetSpec,
    build_unet,
    infer_unet,
)
from cnnviz.viz import PALETTE, unet_blocks, unet_diagram


def _skip_traces(spec: UNetSpec) -> list:
    return [trace for trace in unet_diagram(spec).data if trace.name.startswith("skip")]


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_skip_traces_iff_skips(depth: int) -> None:
    size = 2**depth * 4
    assert len(_skip_traces(UNetSpec(image_size=size, depth=depth, skips=True))) == depth
    assert _skip_traces(UNetSpec(image_size=size, depth=depth, skips=False)) == []


def test_blocks_have_the_shapes_of_infer_unet() -> None:
    spec = UNetSpec(in_channels=3, image_size=32, depth=3, base_channels=4)
    rows = {row.name: row.output_shape for row in infer_unet(spec)}
    for block in unet_blocks(spec):
        if block.name == "input":
            assert block.shape == (3, 32, 32)
        else:
            assert block.shape == rows[block.name], block.name
    labels = unet_diagram(spec, "en").data[0].text
    assert "<b>enc1</b><br>4×32×32" in labels and "<b>bottom</b><br>32×4×4" in labels


def test_the_failing_concatenation_is_red_with_both_sizes() -> None:
    spec = UNetSpec(image_size=30, depth=2)  # 30 -> 15 -> 7; up 7 -> 14 != 15 at cat2
    red = dict(PALETTE.layer_kinds)["error"]
    skips = {trace.name: trace for trace in _skip_traces(spec)}
    assert skips["skip2"].line.color == red
    assert skips["skip1"].line.color != red
    fig = unet_diagram(spec, "zh")
    texts = [a.text for a in fig.layout.annotations if a.text]
    [failing] = [text for text in texts if "≠" in text]
    assert "拼接 (cat2)" in failing and "14×14" in failing and "15×15" in failing
    assert any(text == "拼接 (cat1)" for text in texts)
    assert [s.fillcolor for s in fig.layout.shapes].count(red) == 1  # dec2's block


def test_a_valid_unet_has_no_red() -> None:
    red = dict(PALETTE.layer_kinds)["error"]
    fig = unet_diagram(UNetSpec(image_size=32, depth=2))
    assert red not in [s.fillcolor for s in fig.layout.shapes]
    assert not any("≠" in (a.text or "") for a in fig.layout.annotations)


def test_without_skips_the_mismatch_is_still_marked() -> None:
    fig = unet_diagram(UNetSpec(image_size=30, depth=2, skips=False))
    assert any("≠" in (a.text or "") for a in fig.layout.annotations)


def test_too_small_input_still_draws() -> None:
    blocks = unet_blocks(UNetSpec(image_size=2, depth=3))
    assert blocks[-1].shape[1] == 0  # the bottom map vanished; drawn, not raised
    unet_diagram(UNetSpec(image_size=2, depth=3))


def test_sample_image_is_a_shapes_image_replicated_over_channels() -> None:
    grey = unet_sample_image(UNetSpec(image_size=16))
    colour = unet_sample_image(UNetSpec(image_size=16, in_channels=3))
    assert grey.shape == (1, 16, 16) and colour.shape == (3, 16, 16)
    assert np.array_equal(colour[2], grey[0]) and grey.max() > grey.min()


@pytest.mark.parametrize(
    ("name", "layer", "input_shape", "weights_shape"),
    [
        ("up1", ConvTranspose2dSpec, (16, 14, 14), (16, 8, 2, 2)),
        ("up2", ConvTranspose2dSpec, (32, 7, 7), (32, 16, 2, 2)),
        ("pool1", MaxPool2dSpec, (8, 28, 28), None),
        ("pool2", MaxPool2dSpec, (16, 14, 14), None),
        ("head", Conv2dSpec, (8, 28, 28), (7, 8, 1, 1)),
    ],
)
def test_stepper_request_shapes(name, layer, input_shape, weights_shape) -> None:
    spec = UNetSpec(in_channels=3, image_size=28, depth=2, base_channels=8, num_classes=7)
    request = unet_stepper_request(spec, name)
    assert isinstance(request["layer"], layer)
    assert request["input"].shape == input_shape
    assert request["source"] == "build"
    if weights_shape is None:
        assert "weights" not in request
    else:
        assert request["weights"].shape == weights_shape
    assert request_target(request) == ("pool" if layer is MaxPool2dSpec else "conv")


def test_stepper_request_is_what_the_seeded_unet_computes() -> None:
    spec = UNetSpec(image_size=16, depth=2)
    request = unet_stepper_request(spec, "up2", seed=0)
    model = build_unet(spec, seed=0).eval()
    assert np.allclose(request["weights"], model.ups[0].weight.detach().numpy())
    with torch.no_grad():
        x = torch.from_numpy(unet_sample_image(spec))[None]  # (1, 1, 16, 16)
        for encoder in model.encoders:
            x = model.pool(encoder(x))
        bottom = model.bottom(x)[0]  # (32, 4, 4)
    assert np.allclose(request["input"], bottom.numpy(), atol=1e-6)


def test_a_pool_request_opens_in_the_pool_stepper() -> None:
    request = unet_stepper_request(UNetSpec(image_size=16), "pool1")
    parsed = parse_stepper_request({**request, "label": "x"}, "pool")
    assert parsed.full_shape == (8, 16, 16)


def test_no_request_for_a_residual_block_or_a_bad_size() -> None:
    with pytest.raises(SpecError):
        unet_stepper_request(UNetSpec(image_size=28), "enc1")
    with pytest.raises(SpecError):
        unet_stepper_request(UNetSpec(image_size=30), "up1")


@pytest.mark.parametrize(
    "spec",
    [
        UNetSpec(image_size=28),
        UNetSpec(in_channels=3, image_size=32, depth=3, base_channels=4, batch_norm=False),
        UNetSpec(image_size=16, depth=4, skips=False, num_classes=3),
    ],
)
def test_parameter_total_is_the_modules(spec: UNetSpec) -> None:
    """The Build page's total: the sum of infer_unet's rows, equal to the module's parameters."""
    total = sum(row.params for row in infer_unet(spec))
    assert total == sum(p.numel() for p in build_unet(spec, seed=0).parameters())


def test_long_shapes_are_written_on_two_lines() -> None:
    labels = unet_diagram(UNetSpec(image_size=256, depth=4, base_channels=64)).data[0].text
    assert "<b>enc1</b><br>64×<br>256×256" in labels
