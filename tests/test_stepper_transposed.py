"""The convolution stepper opens a ConvTranspose2d sent by the Build page (a U-Net's ``upN``).

Library: the request keeps the weights of the channels and filters shown in the stepper's layout,
every output cell equals ``F.conv_transpose2d`` of the crop, the settings give
``nn.ConvTranspose2d``'s output shape, garbage is refused. Pages (AppTest): the conv page opens in
transposed mode naming the layer, in English and Chinese; the U-Net's pool and 1x1 head open in
their steppers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest
from torch import nn

from cnnviz.lessons import (
    CONV_LIMITS,
    MAX_TRANSPOSED_REQUEST_SIZE,
    compute_conv,
    conv_request,
    conv_request_settings,
    conv_weights,
    parse_stepper_request,
    request_target,
)
from cnnviz.net import (
    Conv2dSpec,
    ConvTranspose2dSpec,
    MaxPool2dSpec,
    SpecError,
    UNetSpec,
    build_unet,
    steppable_layer,
    unet_layer_input,
)

SPEC = UNetSpec(depth=2, image_size=16)


def _unet_raw(name: str) -> dict[str, Any]:
    """The request the Build page sends for the seeded U-Net's layer ``name``."""
    model = build_unet(SPEC, seed=0)
    image = torch.rand((1, 16, 16), generator=torch.Generator().manual_seed(0))
    x, weight = unet_layer_input(model, name, image)
    raw: dict[str, Any] = {
        "layer": steppable_layer(SPEC, name),
        "input": x.numpy(),
        "label": f"U-Net {name}",
        "source": "build",
    }
    if weight is not None:
        raw["weights"] = weight.numpy()
    return raw


def test_every_output_cell_of_up1_is_pytorchs_conv_transpose2d() -> None:
    raw = _unet_raw("up1")
    layer = raw["layer"]
    assert isinstance(layer, ConvTranspose2dSpec) and request_target(raw) == "conv"
    full_weights = raw["weights"]  # (C_in, C_out, kh, kw), PyTorch's layout
    assert full_weights.shape == (16, 8, 2, 2)
    request = conv_request(parse_stepper_request(raw, "conv"))
    settings = conv_request_settings(request)
    channels, filters = request.input.shape[0], request.filters
    assert (channels, filters) == (3, CONV_LIMITS.filters)
    assert request.notes == ("conv.request_channels_subset", "conv.request_filters_subset")
    w = conv_weights(settings, request)
    assert w.shape == (filters, channels, 2, 2)  # the stepper's (F, C, kh, kw)
    stepper = compute_conv(settings, request.input, w)

    x = torch.from_numpy(request.input)
    kept = torch.from_numpy(full_weights[:channels, :filters]).double()
    expected = F.conv_transpose2d(x[None], kept, None, layer.stride)[0].numpy()
    # up1's 8x8 input is cut to its centre 4x4 (MAX_TRANSPOSED_REQUEST_SIZE), doubled to 8x8
    assert request.input.shape == (3, MAX_TRANSPOSED_REQUEST_SIZE, MAX_TRANSPOSED_REQUEST_SIZE)
    assert expected.shape == (filters, 8, 8)
    np.testing.assert_allclose(stepper.first.output, expected, rtol=0, atol=1e-6)
    for f in range(filters):
        for i in range(expected.shape[1]):
            for j in range(expected.shape[2]):
                step = stepper.step_at(f, i, j)
                assert step.total == pytest.approx(expected[f, i, j], abs=1e-6)


@pytest.mark.parametrize(
    "layer",
    [
        ConvTranspose2dSpec(8),  # the U-Net's up-sampling: 2x2, stride 2
        ConvTranspose2dSpec(2, (3, 3), (2, 2), (1, 1), (1, 1)),
        ConvTranspose2dSpec(3, (3, 2), (1, 2), (0, 1), (0, 1), (2, 1), bias=False),
    ],
)
def test_settings_match_nn_convtranspose2d(layer: ConvTranspose2dSpec) -> None:
    rng = np.random.default_rng(0)
    x = rng.random((2, 4, 3))  # within MAX_TRANSPOSED_REQUEST_SIZE: not cropped
    weights = rng.normal(size=(2, layer.out_channels, *layer.kernel_size))
    raw = {"layer": layer, "input": x, "weights": weights, "label": "up", "source": "build"}
    request = conv_request(parse_stepper_request(raw, "conv"))
    settings = conv_request_settings(request)
    assert settings.mode == "transposed" and settings.source == "request"
    assert settings.kernel == layer.kernel_size and settings.stride == layer.stride
    assert settings.transposed_padding == layer.padding
    assert settings.output_padding == layer.output_padding
    assert settings.dilation == layer.dilation and settings.groups == 1 and not settings.flip
    assert settings.bias == (0.0 if layer.bias else None)
    filters = min(layer.out_channels, CONV_LIMITS.filters)
    assert settings.filters == filters and settings.shape == (2, 4, 3)
    module = nn.ConvTranspose2d(
        2,
        filters,
        layer.kernel_size,
        layer.stride,
        layer.padding,
        layer.output_padding,
        bias=layer.bias,
        dilation=layer.dilation,
    ).double()
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(weights[:, :filters]))
        if module.bias is not None:
            module.bias.zero_()
        expected = module(torch.from_numpy(x)[None])[0].numpy()
    stepper = compute_conv(settings, request.input, conv_weights(settings, request))
    assert stepper.first.output.shape == expected.shape
    np.testing.assert_allclose(stepper.first.output, expected, rtol=0, atol=1e-9)
    assert request.notes == (
        () if filters == layer.out_channels else ("conv.request_filters_subset",)
    )


def test_weights_of_the_wrong_shape_fall_back_to_seeded_kernels() -> None:
    raw = _unet_raw("up1")
    wrong = conv_request(parse_stepper_request({**raw, "weights": raw["weights"][:, :3]}, "conv"))
    assert wrong.weights is None  # the caption then says seeded random kernels
    settings = conv_request_settings(wrong)
    assert conv_weights(settings, wrong).shape == (CONV_LIMITS.filters, 3, 2, 2)


@pytest.mark.parametrize(
    "sent",
    [np.full((16, 8, 8), np.nan), np.ones((8, 8)), np.ones((1, 16, 8, 8)), "pixels", None],
)
def test_garbage_input_is_refused_in_both_languages(sent: object) -> None:
    raw = {**_unet_raw("up1"), "input": sent}
    with pytest.raises(SpecError) as caught:
        parse_stepper_request(raw, "conv")
    problem = caught.value.problems[0]
    assert problem.code == "step_request_input"
    english, chinese = problem.text("en"), problem.text("zh")
    assert "(C, H, W)" in english and english.isascii()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_the_pool_stepper_refuses_a_transposed_layer() -> None:
    with pytest.raises(SpecError, match="cannot open a ConvTranspose2dSpec") as caught:
        parse_stepper_request(_unet_raw("up2"), "pool")
    assert "MaxPool2d/AvgPool2d" in caught.value.problems[0].text("en")


def test_the_unet_pool_and_head_go_to_their_steppers() -> None:
    pool, head = _unet_raw("pool1"), _unet_raw("head")
    assert isinstance(pool["layer"], MaxPool2dSpec) and request_target(pool) == "pool"
    assert isinstance(head["layer"], Conv2dSpec) and request_target(head) == "conv"
    request = conv_request(parse_stepper_request(head, "conv"))
    settings = conv_request_settings(request)
    assert settings.mode == "normal" and settings.kernel == (1, 1) and settings.filters == 7
    stepper = compute_conv(settings, request.input, conv_weights(settings, request))
    expected = F.conv2d(
        torch.from_numpy(request.input)[None],
        torch.from_numpy(head["weights"][:, :3]).double(),
    )[0].numpy()
    np.testing.assert_allclose(stepper.first.output, expected, rtol=0, atol=1e-6)


# ---------------------------------------------------------------- pages


def _open(page: str, lang: str = "en", **state: Any) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _radio(at: AppTest, key: str) -> Any:
    return next(r for r in at.radio if r.key == key)


@pytest.mark.parametrize(
    ("lang", "opened", "filters_note"),
    [
        ("en", "Opened from the Build page: U-Net up1", "first 4 of the layer's 8 filters"),
        ("zh", "从“搭建 CNN”页面打开:U-Net up1", "8 个卷积核(输出通道)中的前 4 个"),
    ],
)
def test_conv_page_opens_up1_in_transposed_mode(lang: str, opened: str, filters_note: str) -> None:
    at = _open("pages/conv/page.py", lang, stepper_request=_unet_raw("up1"))
    assert "stepper_request" not in at.session_state
    assert _radio(at, "conv_mode").value == "transposed"
    assert any(opened in i.value for i in at.info)
    captions = " ".join(c.value for c in at.caption)
    assert filters_note in captions
    assert "16x8x8" in captions and "3x4x4" in captions
    codes = " ".join(c.value for c in at.code)
    assert "nn.ConvTranspose2d(3, 4, kernel_size=(2, 2), stride=(2, 2)" in codes
    assert "H_out = (4-1)*2 - 2*0 + 2 + 0 = 8" in codes
    assert not at.error
    next(s for s in at.number_input if s.key == "conv_filter").set_value(3).run()
    assert not at.exception
    _radio(at, "conv_mode").set_value("normal").run()  # the same kernels as a plain Conv2d
    assert not at.exception, [e.value for e in at.exception]


def test_pool_page_opens_the_unet_pool() -> None:
    at = _open("pages/pool/page.py", stepper_request=_unet_raw("pool1"))
    assert "stepper_request" not in at.session_state
    assert any("U-Net pool1" in i.value for i in at.info)
    assert at.code[0].value.startswith("max(")
    assert not at.error


def test_conv_page_forwards_a_transposed_request_from_the_pool_page() -> None:
    at = _open("pages/pool/page.py", stepper_request=_unet_raw("up2"))
    assert _radio(at, "conv_mode").value == "transposed"
    assert any("U-Net up2" in i.value for i in at.info)


def test_conv_page_opens_the_unet_head() -> None:
    at = _open("pages/conv/page.py", stepper_request=_unet_raw("head"))
    assert _radio(at, "conv_mode").value == "normal"
    assert any("U-Net head" in i.value for i in at.info)
    codes = " ".join(c.value for c in at.code)
    assert "nn.Conv2d(3, 7, kernel_size=(1, 1)" in codes
    assert not at.error
