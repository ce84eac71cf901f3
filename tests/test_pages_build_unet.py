"""The Build page's U-Net view under AppTest, in English and Chinese: pick it, its table and
totals, a size that does not fit and the proposal that fixes it, the steppers, the way to /beyond
and back, and the CNN view left intact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import pages.beyond.state as beyond_state
import pages.conv.request
import pages.pool.request
from cnnviz.lessons import request_target
from cnnviz.net import (
    PRESETS,
    Conv2dSpec,
    ConvTranspose2dSpec,
    MaxPool2dSpec,
    UNetSpec,
    encode_unet_link,
    infer_unet,
)
from cnnviz.train import MAX_SEGMENT_SIZE, SegmentConfig
from pages.shared import unet_handoff

APP = str(Path(__file__).resolve().parents[1] / "app.py")
LABELS = {"en": "U-Net (segmentation)", "zh": "U-Net(语义分割)"}


def _unet_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/build/page.py")
    at.run()
    _ok(at)
    picker = at.selectbox(key="build_preset")
    assert LABELS[lang] in picker.options
    picker.select("unet").run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _click(at: AppTest, key: str) -> None:
    at.button(key=key).click().run()
    _ok(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pick_unet_table_and_totals(lang: str) -> None:
    at = _unet_page(lang)
    spec = at.session_state["build_unet"]
    assert spec == SegmentConfig().net  # /beyond's defaults
    rows = infer_unet(spec)
    table = at.table[0].value
    assert list(table.iloc[:, 0]) == [row.name for row in rows]
    assert list(table.iloc[:, 4]) == [f"{row.params:,}" for row in rows]
    total = sum(row.params for row in rows)
    assert any(f"{total:,}" in s.value for s in at.success)
    assert f"{total:,}" in at.metric[0].proto.help
    assert at.metric[1].value == f"{spec.num_classes}×{spec.image_size}×{spec.image_size}"
    kinds = list(table.iloc[:, 1])
    assert any("ConvTranspose2d" in k for k in kinds) and any("torch.cat" in k for k in kinds)
    joins = [cell for cell in table.iloc[:, 5] if "enc1" in cell]
    size = spec.image_size
    assert joins and f"{spec.channels(0)}×{size}×{size}" in joins[0]
    assert "build_diagram" not in at.session_state  # the CNN diagram is not drawn
    assert at.session_state["net"] == PRESETS["tiny"]  # the U-Net never becomes "net"


@pytest.mark.parametrize(("lang", "word"), [("en", "concatenation cat2"), ("zh", "拼接层 cat2")])
def test_bad_size_names_the_concatenation_and_the_proposal_fixes_it(lang: str, word: str) -> None:
    at = _unet_page(lang)
    at.number_input(key="build_unet_depth").set_value(2).run()
    at.number_input(key="build_unet_size").set_value(28).run()  # valid: the table is for 28
    at.number_input(key="build_unet_size").set_value(30).run()
    _ok(at)
    errors = " ".join(e.value for e in at.error)
    assert word in errors and "32x32" in errors
    assert "image_size" not in errors  # the message names the input itself, no code name
    assert len(at.table) == 1  # the last valid table stays, with a note
    assert any("28×28" in i.value for i in at.info)
    steppers = [b for b in at.button if b.key and b.key.startswith("build_unet_step_")]
    assert steppers == []
    assert at.button(key="build_unet_train").disabled
    _click(at, "build_unet_propose_32")
    assert at.number_input(key="build_unet_size").value == 32
    assert at.session_state["build_unet"].image_size == 32
    assert not at.error and at.success


@pytest.mark.parametrize(
    ("name", "layer", "has_weights", "taken_by"),
    [
        ("up1", ConvTranspose2dSpec, True, "conv"),
        ("pool2", MaxPool2dSpec, False, "pool"),
        ("head", Conv2dSpec, True, "conv"),
    ],
)
def test_stepper_button_sends_the_request(monkeypatch, name, layer, has_weights, taken_by) -> None:
    # the stepper pages leave the request in the session (this test checks what was sent)
    monkeypatch.setattr(pages.conv.request, "take_request", lambda: None)
    monkeypatch.setattr(pages.pool.request, "take_request", lambda: None)
    at = _unet_page()
    _click(at, f"build_unet_step_{name}")
    request = at.session_state["stepper_request"]
    spec = at.session_state["build_unet"]
    row = next(row for row in infer_unet(spec) if row.name == name)
    assert isinstance(request["layer"], layer)
    assert request_target(request) == taken_by  # the stepper page that takes it
    assert np.asarray(request["input"]).shape == row.input_shape  # the map reaching the layer
    assert request["source"] == "build" and name in request["label"]
    if not has_weights:
        assert "weights" not in request
    elif layer is ConvTranspose2dSpec:  # PyTorch's (C_in, C_out, kh, kw)
        assert np.asarray(request["weights"]).shape == (
            row.input_shape[0],
            row.output_shape[0],
            2,
            2,
        )
    else:
        assert np.asarray(request["weights"]).shape == (spec.num_classes, row.input_shape[0], 1, 1)
    assert "build_unet" in at.session_state  # the U-Net survives the page switch


def test_train_button_sets_beyond_and_beyond_links_back() -> None:
    at = _unet_page()
    at.number_input(key="build_unet_size").set_value(32).run()
    at.toggle(key="build_unet_skips").set_value(False).run()
    _click(at, "build_unet_train")
    assert at.session_state["beyond_w_size"] == 32
    assert at.session_state["beyond_w_depth"] == SegmentConfig().depth
    assert at.session_state["beyond_w_skips"] is False
    assert at.number_input(key="beyond_w_size").value == 32  # /beyond is open with them
    # and back: /beyond's network on the Build page (AppTest reruns the page it was told to)
    at.switch_page("pages/beyond/page.py")
    at.number_input(key="beyond_w_size").set_value(24).run()
    _ok(at)
    _click(at, "beyond_to_build")
    assert at.selectbox(key="build_preset").value == "unet"
    assert at.number_input(key="build_unet_size").value == 24
    assert at.toggle(key="build_unet_skips").value is False


def test_beyond_link_opens_the_unet_view_on_a_first_visit_of_the_build_page() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "zh"
    at.run()
    at.switch_page("pages/beyond/page.py")
    at.run()
    _ok(at)
    at.number_input(key="beyond_w_size").set_value(32).run()
    _click(at, "beyond_to_build")
    assert at.selectbox(key="build_preset").value == "unet"
    assert at.session_state["build_unet"] == SegmentConfig(image_size=32).net
    assert any("拼接" in cell for cell in at.table[0].value.iloc[:, 1])
    assert "net" not in at.session_state  # the U-Net is never the Train page's network


def test_train_is_disabled_beyond_beyonds_limits() -> None:
    at = _unet_page()
    at.number_input(key="build_unet_size").set_value(2 * MAX_SEGMENT_SIZE).run()
    _ok(at)
    button = at.button(key="build_unet_train")
    assert button.disabled and str(MAX_SEGMENT_SIZE) in button.help


def test_another_preset_restores_the_cnn_view() -> None:
    at = _unet_page()
    at.number_input(key="build_unet_size").set_value(64).run()
    at.selectbox(key="build_preset").select("lenet5").run()
    _ok(at)
    assert at.session_state["net"] == PRESETS["tiny"]  # picked, not loaded: state intact
    assert [d["type"] for d in at.session_state["build_layers"]][:2] == ["conv2d", "activation"]
    assert "Conv2d 8@3x3" in list(at.table[0].value.iloc[:, 1])
    assert "build_unet_size" not in [n.key for n in at.number_input]
    at.selectbox(key="build_preset").select("unet").run()  # and the U-Net kept its settings
    assert at.number_input(key="build_unet_size").value == 64


def test_scratch_leaves_the_unet_view_and_load_resets_it() -> None:
    at = _unet_page()
    at.number_input(key="build_unet_depth").set_value(3).run()
    [load] = [b for b in at.button if b.label == "Load this network"]
    load.click().run()
    _ok(at)
    assert at.session_state["build_unet"] == SegmentConfig().net
    assert at.number_input(key="build_unet_depth").value == SegmentConfig().depth
    [scratch] = [b for b in at.button if b.label == "Start from scratch"]
    scratch.click().run()
    _ok(at)
    assert at.selectbox(key="build_preset").value != "unet"
    assert at.session_state["build_layers"] == []


def test_handoff_keys_are_beyonds() -> None:
    assert unet_handoff.BEYOND_SIZE == beyond_state.W_SIZE
    assert unet_handoff.BEYOND_DEPTH == beyond_state.W_DEPTH
    assert unet_handoff.BEYOND_SKIPS == beyond_state.W_SKIPS


def test_a_share_link_opens_the_unet_view_with_its_settings() -> None:
    linked = UNetSpec(image_size=24, depth=2, base_channels=4, skips=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "zh"
    at.run()
    at.query_params["unet"] = encode_unet_link(linked)
    at.switch_page("pages/build/page.py")
    at.run()
    _ok(at)
    assert at.session_state["build_unet"] == linked
    assert at.selectbox(key="build_preset").value == "unet"
    assert at.number_input(key="build_unet_size").value == 24
    assert at.number_input(key="build_unet_depth").value == 2
    assert at.toggle(key="build_unet_skips").value is False
    table = at.table[0].value
    assert list(table.iloc[:, 0]) == [row.name for row in infer_unet(linked)]  # no cat rows
    assert "unet" not in at.query_params  # taken once: a reload does not apply it again
