"""The convolution stepper's quick settings (presets, the "same" + stride fix) and share link."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.lessons import (
    CONV_LIMITS,
    CONV_PRESETS,
    ConvSettings,
    apply_preset,
    compute_conv,
    conv_weights,
    decode_conv_link,
    encode_conv_link,
    explicit_same_padding,
    matching_preset,
    same_stride_conflict,
    sample_image,
)
from cnnviz.net import SpecError


def _token(document: object) -> str:
    raw = json.dumps(document).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# ------------------------------------------------------------------------------------ presets


def test_presets_are_the_lessons_favourites_and_match_back() -> None:
    assert [p.label for p in CONV_PRESETS] == ["p=0, s=1", "p=1, s=1", "p=1, s=2", "p=0, s=2"]
    base = ConvSettings()  # "same", stride 1
    assert matching_preset(base) is None  # "same" is not a number of pixels
    for preset in CONV_PRESETS:
        moved = apply_preset(base, preset)
        assert matching_preset(moved) == preset
        assert moved.kernel == base.kernel and moved.shape == base.shape
    assert apply_preset(base, CONV_PRESETS[0]).padding == "valid"
    assert apply_preset(base, CONV_PRESETS[2]).padding == (1, 1, 1, 1)
    transposed = ConvSettings(mode="transposed", padding=(0, 0))
    assert apply_preset(transposed, CONV_PRESETS[2]).padding == (1, 1)


def test_the_halving_preset_halves_a_5x5_input_as_pytorch_does() -> None:
    settings = apply_preset(ConvSettings(), CONV_PRESETS[2])  # p=1, s=2, 3x3
    x = sample_image(1, 5, 5, "seed003").astype(np.float64)
    stepper = compute_conv(settings, x, conv_weights(settings))
    expected = F.conv2d(
        torch.tensor(x)[None], torch.zeros(1, 1, 3, 3, dtype=torch.float64), None, 2, 1
    )
    assert stepper.first.output.shape[1:] == tuple(expected.shape[-2:]) == (3, 3)


# --------------------------------------------------------------------- "same" with a stride


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize(("kernel", "dilation"), [(3, 1), (4, 1), (3, 2), (5, 1)])
def test_the_one_click_fix_pads_exactly_what_same_pads(kernel: int, dilation: int) -> None:
    settings = ConvSettings(kernel=(kernel, kernel), dilation=(dilation, dilation), stride=(2, 2))
    assert same_stride_conflict(settings)
    x = sample_image(1, 9, 9, "random_int").astype(np.float64)
    with pytest.raises(SpecError, match="stride 1"):
        compute_conv(settings, x, conv_weights(settings))
    padding = explicit_same_padding(settings)
    fixed = replace(settings, padding=padding)
    assert not same_stride_conflict(fixed)
    # the explicit padding is PyTorch's "same" (checked at stride 1, where PyTorch allows it) ...
    w = torch.tensor(conv_weights(settings))
    xt = torch.tensor(x)[None]
    top, bottom, left, right = padding
    same = F.conv2d(xt, w, padding="same", dilation=dilation)
    explicit = F.conv2d(F.pad(xt, (left, right, top, bottom)), w, dilation=dilation)
    torch.testing.assert_close(same, explicit)
    # ... and with it the stride works: the stepper computes what PyTorch computes
    stepper = compute_conv(fixed, x, conv_weights(fixed))
    strided = F.conv2d(F.pad(xt, (left, right, top, bottom)), w, stride=2, dilation=dilation)
    assert stepper.first.output.shape == tuple(strided.shape[1:])
    assert stepper.step_at(0, 1, 1).total == pytest.approx(float(strided[0, 0, 1, 1]))


def test_no_conflict_without_same_or_without_a_stride() -> None:
    assert not same_stride_conflict(ConvSettings())  # "same", stride 1
    assert not same_stride_conflict(ConvSettings(padding="valid", stride=(2, 2)))
    assert not same_stride_conflict(ConvSettings(mode="transposed", padding=(1, 1), stride=(2, 2)))


# ------------------------------------------------------------------------------- share links


link_settings = st.builds(
    lambda c, h, f, k, s, d, b, flip, seed, src, pad: ConvSettings(
        source=src,
        shape=(c, h, h),
        filters=f,
        kernel=(k, k),
        kernel_names=("sobel_x",) * f,
        stride=(s, s),
        padding=pad,
        dilation=(d, d),
        bias=b,
        flip=flip,
        seed=seed,
    ),
    st.integers(1, CONV_LIMITS.channels),
    st.integers(1, CONV_LIMITS.size),
    st.integers(1, CONV_LIMITS.filters),
    st.integers(1, CONV_LIMITS.kernel),
    st.integers(1, CONV_LIMITS.stride),
    st.integers(1, CONV_LIMITS.dilation),
    st.none() | st.floats(-100, 100, allow_nan=False),
    st.booleans(),
    st.integers(0, CONV_LIMITS.seed),
    st.sampled_from(["seed003", "random_int", "digit"]),
    st.sampled_from(["valid", "same"]) | st.tuples(*[st.integers(0, CONV_LIMITS.padding)] * 4),
)


@settings(max_examples=80, deadline=None)
@given(link_settings, st.integers(0, 3), st.integers(0, 500))
def test_a_link_restores_exactly_the_state_it_was_made_from(
    conv: ConvSettings, filter_index: int, position: int
) -> None:
    filter_index = min(filter_index, conv.filters - 1)
    token = encode_conv_link(conv, filter_index, position)
    assert len(token) < 1000 and token.isascii()
    link = decode_conv_link(token)
    assert link.settings == conv
    assert (link.filter_index, link.position) == (filter_index, position)


def test_a_link_leaves_behind_what_only_this_session_has() -> None:
    typed = ConvSettings(source="typed", kernel_names=("typed",))
    restored = decode_conv_link(encode_conv_link(typed)).settings
    assert restored.source == "seed003" and restored.kernel_names == ("typed",)
    upload = ConvSettings(source="upload", upload=b"\x89PNG...")
    assert decode_conv_link(encode_conv_link(upload)).settings.upload is None


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not a token!",
        "x" * 3000,  # longer than any link this app makes
        base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("="),  # not UTF-8
        _token([1, 2, 3]),  # JSON, not an object
        _token({"v": 2}),  # another version
        _token({"v": 1, "shape": [1, 5, 5], "evil": True}),  # an unknown field
        _token({"v": 1, "shape": [1, 5000, 5000]}),  # past the limits: memory on a shared server
        _token({"v": 1, "shape": [1, 5, 5], "filters": 10**6}),
        _token({"v": 1, "stride": [0, 1]}),
        _token({"v": 1, "padding": "huge"}),
        _token({"v": 1, "kernels": ["rm -rf"]}),
        _token({"v": 1, "source": "upload"}),  # a file the link cannot carry
        _token({"v": 1, "bias": 1e308}),
        _token({"v": 1, "at": [5, 0]}),  # a filter that is not there
        _token({"v": 1, "seed": True}),
        _token({"v": 1, "shape": [[[[[1]]]]]}),  # nested too deep for a settings document
    ],
)
def test_a_bad_link_is_refused_with_a_message_and_nothing_else(token: str) -> None:
    with pytest.raises(SpecError) as caught:
        decode_conv_link(token)
    problems = caught.value.problems
    assert problems[0].code == "bad_conv_link"
    for problem in problems:
        assert problem.text("en") and problem.text("zh")
