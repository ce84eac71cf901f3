"""The JSON schema: round trips, every error path with its exact problem, share tokens."""

from __future__ import annotations

import base64
import dataclasses
import json
import zlib
from typing import Any

import pytest

from cnnviz.net import (
    MAX_DOCUMENT_BYTES,
    PRESETS,
    SCHEMA_VERSION,
    Conv2dSpec,
    MaxPool2dSpec,
    NetSpec,
    Problem,
    SpecError,
    decode_share,
    encode_share,
    net_from_dict,
    net_from_json,
    net_to_dict,
    net_to_json,
)


def _doc(**changes: Any) -> dict[str, Any]:
    data = net_to_dict(PRESETS["tiny"])
    data.update(changes)
    return data


def _problems(data: object) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(SpecError) as info:
        if isinstance(data, (str, bytes)):
            net_from_json(data)
        else:
            net_from_dict(data)
    return [(p.code, p.layer_index, p.field) for p in info.value.problems]


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_round_trips(name: str) -> None:
    net = PRESETS[name]
    text = net_to_json(net)
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION
    assert net_from_json(text) == net
    assert net_from_json(net_to_json(net, indent=None)) == net
    assert net_from_json(text.encode("utf-8")) == net
    assert net_from_dict(json.loads(text)) == net


def test_document_layout_uses_pytorch_field_names() -> None:
    data = net_to_dict(PRESETS["lenet5"])
    assert data["input_shape"] == [1, 32, 32]
    assert data["layers"][0] == {
        "type": "conv2d",
        "out_channels": 6,
        "kernel_size": [5, 5],
        "stride": [1, 1],
        "padding": [0, 0],
        "dilation": [1, 1],
        "groups": 1,
        "bias": True,
    }
    assert data["layers"][1] == {"type": "activation", "function": "tanh", "negative_slope": 0.01}


def test_short_hand_values_are_accepted() -> None:
    data = _doc(
        layers=[
            {"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": "same"},
            {"type": "maxpool2d", "kernel_size": 2, "stride": None},
            {"type": "flatten"},
            {"type": "linear", "out_features": 3},
        ]
    )
    net = net_from_dict(data)
    assert net.layers[0] == Conv2dSpec(4, (3, 3), padding="same")
    assert net.layers[1] == MaxPool2dSpec((2, 2), (2, 2))


def test_utf8_bom_and_chinese_names() -> None:
    net = dataclasses.replace(PRESETS["tiny"], name="我的网络", class_names=("圆", "方"))
    assert net_from_json(("\ufeff" + net_to_json(net)).encode("utf-8")) == net


# ---------------------------------------------------------------- error paths


def test_malformed_json_gives_line_and_column() -> None:
    with pytest.raises(SpecError, match="not valid JSON") as info:
        net_from_json('{\n  "schema_version": 1,\n  "layers": [}\n')
    problem = info.value.problems[0]
    assert problem.code == "json_malformed"
    assert problem.param_dict()["line"] == 3
    assert problem.param_dict()["column"] == 14
    assert "第 3 行第 14 列" in problem.text("zh")


def test_not_utf8() -> None:
    assert _problems(b"\xff\xfe\x00garbage") == [("json_not_text", None, None)]


def test_document_must_be_an_object() -> None:
    assert _problems("[1, 2]") == [("json_wrong_type", None, "document")]
    assert _problems("3") == [("json_wrong_type", None, "document")]


def test_wrong_schema_version() -> None:
    assert _problems(_doc(schema_version=2)) == [("json_schema_version", None, "schema_version")]
    assert _problems(_doc(schema_version=True)) == [("json_schema_version", None, "schema_version")]
    data = _doc()
    del data["schema_version"]
    with pytest.raises(SpecError, match="reads version 1"):
        net_from_dict(data)


def test_missing_required_fields() -> None:
    data = _doc()
    del data["input_shape"]
    del data["layers"]
    assert _problems(data) == [
        ("json_missing_field", None, "input_shape"),
        ("json_missing_field", None, "layers"),
    ]


def test_unknown_top_level_fields_are_named() -> None:
    with pytest.raises(SpecError, match="unknown field\\(s\\): colour, optimizer") as info:
        net_from_dict(_doc(optimizer="adam", colour="red"))
    assert info.value.problems[0].code == "json_unknown_fields"


def test_unknown_layer_type() -> None:
    with pytest.raises(SpecError, match="layer type 'conv3d' is unknown") as info:
        net_from_dict(_doc(layers=[{"type": "conv3d", "out_channels": 2}]))
    assert [(p.code, p.layer_index) for p in info.value.problems] == [("json_unknown_layer", 0)]
    assert _problems(_doc(layers=[{"out_channels": 2}])) == [("json_missing_field", 0, "type")]


def test_unknown_layer_fields_are_named() -> None:
    layers = [{"type": "conv2d", "out_channels": 2, "kernal_size": 3}]
    with pytest.raises(SpecError, match="unknown field\\(s\\): kernal_size") as info:
        net_from_dict(_doc(layers=layers))
    assert info.value.problems[0].layer_index == 0
    assert "Layer 1" in str(info.value)


def test_missing_layer_field() -> None:
    assert _problems(_doc(layers=[{"type": "linear"}])) == [
        ("json_missing_field", 0, "out_features")
    ]


@pytest.mark.parametrize(
    ("layer", "code", "field"),
    [
        ({"type": "conv2d", "out_channels": "six"}, "not_int", "out_channels"),
        ({"type": "conv2d", "out_channels": 2.5}, "not_int", "out_channels"),
        ({"type": "conv2d", "out_channels": True}, "not_int", "out_channels"),
        ({"type": "conv2d", "out_channels": 0}, "out_of_range", "out_channels"),
        ({"type": "conv2d", "out_channels": -3}, "out_of_range", "out_channels"),
        ({"type": "conv2d", "out_channels": 2, "kernel_size": [3]}, "not_int_pair", "kernel_size"),
        ({"type": "conv2d", "out_channels": 2, "padding": "full"}, "bad_padding", "padding"),
        ({"type": "conv2d", "out_channels": 2, "bias": "yes"}, "not_bool", "bias"),
        ({"type": "dropout", "p": "half"}, "not_number", "p"),
        ({"type": "dropout", "p": None}, "not_number", "p"),
        ({"type": "dropout", "p": 1.5}, "out_of_range", "p"),
        ({"type": "activation", "function": "swish"}, "bad_activation", "function"),
        ({"type": "activation", "function": ["relu"]}, "bad_activation", "function"),
        ({"type": "linear", "out_features": {"n": 3}}, "not_int", "out_features"),
    ],
)
def test_wrong_types_and_values_name_layer_and_field(
    layer: dict[str, Any], code: str, field: str
) -> None:
    layers = [{"type": "flatten"}, layer]
    assert _problems(_doc(layers=layers)) == [(code, 1, field)]


def test_every_bad_layer_is_reported_at_once() -> None:
    layers = [
        {"type": "conv2d", "out_channels": 0},
        {"type": "nope"},
        "a string",
        {"type": "linear", "out_features": 10},
    ]
    assert _problems(_doc(layers=layers)) == [
        ("out_of_range", 0, "out_channels"),
        ("json_unknown_layer", 1, "type"),
        ("json_wrong_type", 2, "layers"),
    ]


def test_wrong_types_of_top_level_fields() -> None:
    assert _problems(_doc(name=5, class_names=["a", 3], layers={})) == [
        ("json_wrong_type", None, "layers"),
        ("json_wrong_type", None, "name"),
        ("json_wrong_type", None, "class_names"),
    ]
    assert _problems(_doc(input_shape=[1, 28])) == [("bad_input_shape", None, "input_shape")]
    assert _problems(_doc(input_shape="1,28,28")) == [("bad_input_shape", None, "input_shape")]
    assert _problems(_doc(input_shape=[1, 0, 28])) == [("out_of_range", None, "input_shape")]


def test_oversized_document() -> None:
    text = json.dumps(_doc(description="x" * MAX_DOCUMENT_BYTES))
    with pytest.raises(SpecError, match="the limit is 256 KB") as info:
        net_from_json(text)
    assert info.value.problems[0].code == "json_too_big"


def test_deep_nesting_is_rejected_without_recursion() -> None:
    assert _problems("[" * 100_000 + "]" * 100_000) == [("json_too_deep", None, None)]
    nested: Any = 1
    for _ in range(12):
        nested = [nested]
    assert _problems(json.dumps(_doc(name=nested))) == [("json_too_deep", None, None)]
    # brackets inside strings do not count
    assert net_from_json(json.dumps(_doc(name="[[[[[[[[[[[[[[[[[[[[[[["))).name.startswith("[[")


def test_ten_thousand_layers_are_refused_before_reading_them() -> None:
    text = json.dumps(_doc(layers=[{"type": "flatten"}] * 10_000))
    assert len(text.encode()) < MAX_DOCUMENT_BYTES
    with pytest.raises(SpecError, match="10000 layers is too big") as info:
        net_from_json(text)
    assert [p.code for p in info.value.problems] == ["too_many_layers"]
    bad_layers = json.dumps(_doc(layers=[{"type": "nope"}] * 301))
    assert _problems(bad_layers) == [("too_many_layers", None, None)]


def test_huge_numbers_do_not_crash() -> None:
    text = json.dumps(_doc()).replace('"out_features": 6', '"out_features": ' + "9" * 5000)
    problems = _problems(text)
    assert problems and problems[0][0] in {"json_malformed", "out_of_range"}


def test_error_messages_are_translated() -> None:
    with pytest.raises(SpecError) as info:
        net_from_dict(_doc(schema_version=7, extra=1))
    texts = [p.text("zh") for p in info.value.problems]
    assert any("未知字段" in text for text in texts)
    assert any("版本" in text for text in texts)


# ---------------------------------------------------------------- share tokens


@pytest.mark.parametrize("name", list(PRESETS))
def test_share_token_round_trip(name: str) -> None:
    net = PRESETS[name]
    token = encode_share(net)
    assert token.replace("-", "").replace("_", "").isalnum()  # URL-safe, no padding
    assert len(token) < 600
    assert decode_share(token) == dataclasses.replace(net, description="", source="")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "not a token!",
        "%%%",
        "abc=",
        "A" * 70_000,
        base64.urlsafe_b64encode(b"plain bytes, not zlib").decode().rstrip("="),
    ],
)
def test_garbage_tokens(token: str) -> None:
    with pytest.raises(SpecError) as info:
        decode_share(token)
    assert info.value.problems[0] == Problem.make("bad_share_token")
    assert "copy the whole link again" in info.value.problems[0].text("en")
    assert "重新复制" in info.value.problems[0].text("zh")


def test_tampered_tokens() -> None:
    token = encode_share(PRESETS["lenet5"])
    for tampered in (token[:-5], token[:20], token[:40] + "A" + token[41:]):
        with pytest.raises(SpecError) as info:
            decode_share(tampered)
        assert info.value.problems[0].code == "bad_share_token"


def test_valid_zlib_of_a_bad_document_explains_both() -> None:
    document = json.dumps(_doc(layers=[{"type": "conv2d", "out_channels": 0}])).encode()
    token = base64.urlsafe_b64encode(zlib.compress(document)).decode().rstrip("=")
    with pytest.raises(SpecError) as info:
        decode_share(token)
    assert [p.code for p in info.value.problems] == ["bad_share_token", "out_of_range"]


def test_zip_bomb_token_is_refused_quickly() -> None:
    bomb = zlib.compress(b"[" + b" " * (50 * 1024 * 1024) + b"]", 9)
    token = base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    assert len(token) < 70_000
    with pytest.raises(SpecError) as info:
        decode_share(token)
    assert info.value.problems[0].code == "bad_share_token"


def test_token_survives_every_layer_type() -> None:
    from cnnviz.net import LAYER_TYPES

    layers = []
    for kind, cls in LAYER_TYPES.items():
        required = {"conv2d": (4,), "linear": (3,), "residual": (4,)}.get(kind, ())
        layers.append(cls(*required))
    net = NetSpec((4, 16, 16), tuple(layers), name="all")
    assert decode_share(encode_share(net)) == net
    assert net_from_json(net_to_json(net)) == net
