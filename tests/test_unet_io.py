"""The U-Net's JSON document, share token and generated PyTorch code (cnnviz.net.unet_io)."""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

import pytest
import torch

from cnnviz.i18n import has_key
from cnnviz.net import (
    MAX_UNET_TOKEN_CHARS,
    UNET_FORMAT,
    SpecError,
    UNetSpec,
    build_unet,
    decode_unet_link,
    encode_unet_link,
    unet_code,
    unet_from_dict,
    unet_from_json,
    unet_problems,
    unet_to_dict,
    unet_to_json,
)

SPECS = [
    UNetSpec(),
    UNetSpec(image_size=28, depth=2, base_channels=8),
    UNetSpec(skips=False),
    UNetSpec(in_channels=3, num_classes=2, image_size=24, base_channels=4, depth=3),
    UNetSpec(batch_norm=False, image_size=16, depth=4, base_channels=2),
    UNetSpec(depth=1, image_size=6, base_channels=1, skips=False, batch_norm=False),
]


def _token(document: Any) -> str:
    raw = json.dumps(document).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _codes(error: pytest.ExceptionInfo[SpecError]) -> list[str]:
    return [problem.code for problem in error.value.problems]


# ------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_document_json_and_link_round_trip(spec: UNetSpec) -> None:
    assert unet_from_dict(unet_to_dict(spec)) == spec
    assert unet_from_json(unet_to_json(spec)) == spec
    assert unet_from_json(unet_to_json(spec, indent=None).encode()) == spec
    token = encode_unet_link(spec)
    assert decode_unet_link(token) == spec
    assert len(token) <= MAX_UNET_TOKEN_CHARS
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_the_document_is_tagged_and_versioned_with_every_field() -> None:
    document = unet_to_dict(UNetSpec(depth=3))
    assert document == {
        "format": UNET_FORMAT,
        "schema_version": 1,
        "in_channels": 1,
        "num_classes": 7,
        "image_size": 32,
        "base_channels": 8,
        "depth": 3,
        "skips": True,
        "batch_norm": True,
    }


def test_a_size_that_does_not_fit_the_depth_still_travels() -> None:
    # the Build page explains the mismatch; the document and the link keep the settings
    spec = UNetSpec(image_size=30, depth=3)
    assert unet_problems(spec)
    assert decode_unet_link(encode_unet_link(spec)) == spec


# ------------------------------------------------------------------------------ bad documents


def _document(**changes: Any) -> dict[str, Any]:
    document = unet_to_dict(UNetSpec())
    document.update(changes)
    return document


@pytest.mark.parametrize(
    ("document", "codes"),
    [
        ([1, 2], ["json_wrong_type"]),
        (_document(colour="red"), ["json_unknown_fields"]),
        (_document(format="cnnviz.net"), ["unet_format"]),
        (_document(schema_version=2), ["json_schema_version"]),
        (_document(schema_version=True), ["json_schema_version"]),
        ({k: v for k, v in _document().items() if k != "depth"}, ["json_missing_field"]),
        (_document(depth="2"), ["json_wrong_type"]),
        (_document(depth=2.0), ["json_wrong_type"]),
        (_document(depth=True), ["json_wrong_type"]),
        (_document(skips=1), ["json_wrong_type"]),
        (_document(image_size=None), ["json_wrong_type"]),
        (_document(depth=9), ["out_of_range"]),
        (_document(image_size=100_000), ["out_of_range"]),
        (_document(base_channels=0), ["out_of_range"]),
        (
            _document(extra=1, format=None, depth="x", skips="yes"),
            ["json_unknown_fields", "unet_format", "json_wrong_type", "json_wrong_type"],
        ),
    ],
)
def test_bad_documents_list_every_problem(document: object, codes: list[str]) -> None:
    with pytest.raises(SpecError) as error:
        unet_from_dict(document)
    assert _codes(error) == codes
    for problem in error.value.problems:
        assert has_key(f"problem.{problem.code}")
        assert problem.text("en") != problem.text("zh")


def test_wrong_types_name_the_field_and_what_was_found() -> None:
    with pytest.raises(SpecError) as error:
        unet_from_dict(_document(depth="2"))
    [problem] = error.value.problems
    assert problem.field == "depth"
    assert problem.text("en") == (
        "depth: expected a JSON integer here, found string; correct the value."
    )
    with pytest.raises(SpecError, match="format: this is not a cnnviz U-Net document"):
        unet_from_dict(_document(format="cnnviz.net"))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{", "json_malformed"),
        ('{"format": NaN}', "json_malformed"),
        (b"\xff\xfe{}", "json_not_text"),
        ('{"format": [[]]}', "json_too_deep"),
        ("{" + " " * 5000 + "}", "json_too_big"),
    ],
)
def test_bad_json_text_is_refused_before_reading_fields(text: str | bytes, code: str) -> None:
    with pytest.raises(SpecError) as error:
        unet_from_json(text)
    assert _codes(error) == [code]


# ------------------------------------------------------------------------------ bad tokens


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("", id="empty"),
        pytest.param("A" * (MAX_UNET_TOKEN_CHARS + 1), id="too-long"),
        pytest.param("abc$def", id="not-base64url-characters"),
        pytest.param("eyJ+Zm9y", id="standard-base64"),
        pytest.param("A", id="truncated-base64"),
        pytest.param(12345, id="not-a-string"),
    ],
)
def test_bad_tokens_are_refused_with_the_link_message_only(token: Any) -> None:
    with pytest.raises(SpecError) as error:
        decode_unet_link(token)
    assert _codes(error) == ["bad_unet_token"]
    assert "share link is damaged" in str(error.value)


@pytest.mark.parametrize(
    ("token", "codes"),
    [
        pytest.param(
            base64.urlsafe_b64encode(b"not json").decode().rstrip("="),
            ["bad_unet_token", "json_malformed"],
            id="not-json",
        ),
        pytest.param(
            base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
            ["bad_unet_token", "json_not_text"],
            id="not-utf8",
        ),
        pytest.param(_token(_document(depth=7)), ["bad_unet_token", "out_of_range"], id="range"),
        pytest.param(
            _token(_document(depth=[2])),
            ["bad_unet_token", "json_too_deep"],
            id="nested",
        ),
        pytest.param(
            _token(_document(skips="true", hack=1)),
            ["bad_unet_token", "json_unknown_fields", "json_wrong_type"],
            id="fields",
        ),
        pytest.param(
            _token(unet_to_dict(UNetSpec()) | {"format": "cnnviz.net"}),
            ["bad_unet_token", "unet_format"],
            id="format",
        ),
    ],
)
def test_tokens_with_bad_documents_say_what_is_wrong(token: str, codes: list[str]) -> None:
    with pytest.raises(SpecError) as error:
        decode_unet_link(token)
    assert _codes(error) == codes


def test_a_padded_token_and_a_pretty_document_still_decode() -> None:
    pretty = base64.urlsafe_b64encode(unet_to_json(UNetSpec(depth=3)).encode()).decode()
    assert decode_unet_link(pretty.rstrip("=")) == UNetSpec(depth=3)


# ------------------------------------------------------------------------------ generated code


def _exec_model(spec: UNetSpec) -> torch.nn.Module:
    namespace: dict[str, Any] = {"__name__": "generated_unet"}
    exec(compile(unet_code(spec), "<unet_code>", "exec"), namespace)
    return namespace["UNet"]()


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_generated_code_is_the_same_network(spec: UNetSpec) -> None:
    torch.manual_seed(0)
    reference = build_unet(spec, seed=0).eval()
    model = _exec_model(spec).eval()
    assert sum(p.numel() for p in model.parameters()) == sum(
        p.numel() for p in reference.parameters()
    )
    # the same attribute names: the seeded weights (and BN buffers) load strictly
    model.load_state_dict(reference.state_dict(), strict=True)
    images = torch.randn(2, spec.in_channels, spec.image_size, spec.image_size)
    with torch.no_grad():
        expected = reference(images)
        got = model(images)
    assert got.shape == (2, spec.num_classes, spec.image_size, spec.image_size)
    torch.testing.assert_close(got, expected, rtol=0, atol=1e-6)


def test_generated_code_names_every_map_shape_and_the_parameter_count() -> None:
    spec = UNetSpec()
    code = unet_code(spec)
    params = sum(p.numel() for p in build_unet(spec, seed=0).parameters())
    assert f"{params:,} parameters" in code
    assert "nn.ConvTranspose2d(32, 16, 2, stride=2),  # up2: (32, 8, 8) -> (16, 16, 16)" in code
    assert "x = torch.cat([x, enc2], dim=1)  # cat2, the skip from enc2: (N, 32, 16, 16)" in code
    assert "return self.head(x)  # (N, 7, 32, 32)" in code
    assert 'if __name__ == "__main__":' in code
    assert "torch.cat" not in unet_code(dataclasses.replace(spec, skips=False))


def test_generated_code_runs_as_a_script(capsys: pytest.CaptureFixture[str]) -> None:
    spec = UNetSpec(image_size=16)
    exec(compile(unet_code(spec), "<unet_code>", "exec"), {"__name__": "__main__"})
    printed = capsys.readouterr().out
    params = sum(p.numel() for p in build_unet(spec, seed=0).parameters())
    assert f"{params} parameters" in printed
    assert "torch.Size([1, 7, 16, 16]) torch.Size([1, 16, 16])" in printed


def test_code_for_a_size_that_does_not_fit_raises_what_build_unet_raises() -> None:
    spec = UNetSpec(image_size=30, depth=2)
    with pytest.raises(SpecError) as built:
        build_unet(spec, seed=0)
    with pytest.raises(SpecError) as coded:
        unet_code(spec)
    assert coded.value.problems == built.value.problems
    assert [p.code for p in coded.value.problems] == ["unet_stride"]


def test_a_class_name_must_be_an_identifier() -> None:
    assert "class Segmenter(nn.Module):" in unet_code(UNetSpec(), class_name="Segmenter")
    with pytest.raises(ValueError, match="not a Python class name"):
        unet_code(UNetSpec(), class_name="import os;")


def test_hostile_tokens_at_the_length_cap_cost_bounded_work() -> None:
    # 768 bytes of nested brackets: refused by the depth scan, never parsed recursively
    deep = base64.urlsafe_b64encode(b"[" * 384 + b"]" * 384).decode()
    assert len(deep) == MAX_UNET_TOKEN_CHARS
    with pytest.raises(SpecError) as error:
        decode_unet_link(deep)
    assert _codes(error) == ["bad_unet_token", "json_too_deep"]
    # a number with hundreds of digits is a wrong type at worst, never a slow int parse
    huge = _token(_document(image_size=int("9" * 500)))
    assert len(huge) <= MAX_UNET_TOKEN_CHARS
    with pytest.raises(SpecError) as error:
        decode_unet_link(huge)
    assert _codes(error) == ["bad_unet_token", "out_of_range"]
