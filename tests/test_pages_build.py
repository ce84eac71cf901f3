"""The Build page and the home page under AppTest: editing, errors on layers, uploads, links."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.net import (
    PRESETS,
    Conv2dSpec,
    FlattenSpec,
    LinearSpec,
    NetSpec,
    encode_share,
    net_to_json,
)

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _layer_expander(at: AppTest, number: int):
    """The editor expander of layer ``number`` (labels read "3 · Conv2d ...")."""
    matches = [e for e in at.expander if e.label.startswith(f"{number} · ")]
    assert matches, [e.label for e in at.expander]
    return matches[0]


def _build_page(lang: str = "en", query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/build/page.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest) -> list[list[object]]:
    """The shape table's rows as [#, layer, shape, params, mult-adds, output-size formula,
    parameter formula] (counts back to ints; Markdown escapes and line breaks undone)."""
    rows = []
    for number, layer, shape, size, params, param, mult_adds in at.table[0].value.values:

        def text(cell: str) -> str:
            return cell.replace("\\*", "*").replace("<br>", "\n")

        count = int(params.replace(",", ""))
        rows.append(
            [number, layer, shape, count, int(mult_adds.replace(",", "")), text(size), text(param)]
        )
    return rows


def _ids(at: AppTest) -> list[int]:
    return [draft["id"] for draft in at.session_state["build_layers"]]


def _click(at: AppTest, label: str) -> None:
    [button] = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_build_page_shows_the_default_network() -> None:
    at = _build_page()
    rows = _table(at)
    assert [row[1] for row in rows] == [
        "input",
        "Conv2d 8@3x3",
        "ReLU",
        "MaxPool2d 2x2",
        "Conv2d 16@3x3",
        "ReLU",
        "MaxPool2d 2x2",
        "Flatten",
        "Linear 6",
    ]
    assert rows[1][2] == "8×28×28" and rows[1][3] == 80
    # the output-size formula and the parameter formula in their own columns (issue 19)
    assert rows[1][5] == "H, W: floor((28 + 2*1 - 3) / 1) + 1 = 28"
    assert rows[1][6] == "8 * (1*3*3) + 8 = 80"
    assert list(at.table[0].value.columns)[3:6] == ["output size", "parameters", "parameter count"]
    at.toggle(key="build_general_formula").set_value(True).run()  # the general form, one click
    assert _table(at)[1][5] == "H, W: floor((28 + 2*1 - 1*(3-1) - 1) / 1) + 1 = 28"
    assert at.session_state["net"] == PRESETS["tiny"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Parameters"] == "5,958"
    assert metrics["Receptive field"] == "10×10 px"
    assert metrics["Multiply-adds per image"] == "286.9 K"  # compact where space is short
    helps = {m.label: m.help for m in at.metric}
    assert helps["Multiply-adds per image"].startswith("Exactly 286,944.")
    assert len(at.get("plotly_chart")) >= 1
    diagram = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert any(trace.get("name") == "convolution" for trace in diagram["data"])
    assert at.query_params["net"] == encode_share(PRESETS["tiny"])
    assert any("The network is valid" in s.value for s in at.success)
    code = at.code[-1].value
    assert "nn.Conv2d(1, 8, kernel_size=3, padding=1)" in " ".join(c.value for c in at.code)
    assert code


def test_adding_a_layer_updates_the_table_and_the_net() -> None:
    at = _build_page()
    at.selectbox(key="build_new_kind").set_value("linear").run()
    _click(at, "Add layer")
    rows = _table(at)
    assert len(rows) == 10
    assert rows[-1][1:5] == ["Linear 10", "10", 70, 60]
    assert at.session_state["net"].layers[-1] == LinearSpec(10)
    # edit the new layer in place: 10 -> 3 outputs
    new_id = _ids(at)[-1]
    at.number_input(key=f"build_{new_id}__out_features").set_value(3).run()
    assert _table(at)[-1][1:4] == ["Linear 3", "3", 21]
    assert at.session_state["net"].layers[-1] == LinearSpec(3)


def test_layer_buttons_move_duplicate_insert_and_remove() -> None:
    at = _build_page()
    ids = _ids(at)
    at.button(key=f"build_{ids[1]}_down").click().run()  # ReLU below the pool
    assert [row[1] for row in _table(at)][1:4] == ["Conv2d 8@3x3", "MaxPool2d 2x2", "ReLU"]
    assert _ids(at)[:3] == [ids[0], ids[2], ids[1]]
    at.button(key=f"build_{ids[0]}_duplicate").click().run()
    assert [row[1] for row in _table(at)][1:3] == ["Conv2d 8@3x3", "Conv2d 8@3x3"]
    assert _table(at)[2][3] == 8 * 8 * 9 + 8  # the copy sees 8 input channels
    at.selectbox(key="build_new_kind").set_value("batchnorm2d").run()
    at.button(key=f"build_{ids[0]}_insert").click().run()
    assert _table(at)[1][1] == "BatchNorm2d"
    for layer_id in _ids(at)[:2]:
        at.button(key=f"build_{layer_id}_remove").click().run()
    assert not at.exception
    assert len(_table(at)) == 9
    assert at.session_state["net"].layers[0] == Conv2dSpec(8, 3, padding=1)


def test_invalid_setting_shows_the_error_on_that_layer_and_keeps_the_last_valid_net() -> None:
    at = _build_page()
    first = _ids(at)[0]
    at.number_input(key=f"build_{first}__kernel_size__sq").set_value(40).run()
    assert not at.exception
    expander = _layer_expander(at, 1)
    assert expander.label.startswith("1 · Conv2d 8@40x40")
    inside = [e.value for e in expander.error]
    assert any("Layer 1 (kernel_size): the window spans 40 pixels" in text for text in inside)
    assert any("Problems on layer(s) 1" in e.value for e in at.error)
    assert any("still uses your last valid network" in i.value for i in at.info)
    assert at.session_state["net"] == PRESETS["tiny"]  # unchanged
    assert _table(at)[1][2] == "?"
    # fix it: the error goes and the net follows the edit
    at.number_input(key=f"build_{first}__kernel_size__sq").set_value(5).run()
    assert not at.error
    assert at.session_state["net"].layers[0] == Conv2dSpec(8, 5, padding=1)


def test_groups_error_from_the_spec_itself_is_shown_on_the_layer() -> None:
    at = _build_page()
    first = _ids(at)[0]
    at.number_input(key=f"build_{first}__groups").set_value(3).run()  # 8 filters, 3 groups
    assert not at.exception
    assert any(
        "groups=3 does not divide out_channels=8" in e.value for e in _layer_expander(at, 1).error
    )
    assert at.session_state["net"] == PRESETS["tiny"]


def test_load_a_preset_and_start_from_scratch() -> None:
    at = _build_page()
    at.selectbox(key="build_preset").set_value("alexnet2012").run()
    _click(at, "Load this network")
    assert at.session_state["net"] == PRESETS["alexnet2012"]
    assert {m.label: m.value for m in at.metric}["Parameters"] == "60.97 M"
    assert {m.label: m.help for m in at.metric}["Parameters"].startswith("Exactly 60,965,224.")
    assert at.selectbox(key="build_input_choice").value == "227x227x3"
    _click(at, "Start from scratch")
    assert any("the network has no layers" in e.value for e in at.error)
    assert at.session_state["net"] == PRESETS["alexnet2012"]  # the last valid one stays


def test_custom_input_shape() -> None:
    at = _build_page()
    at.selectbox(key="build_input_choice").set_value("custom").run()
    at.number_input(key="build_input_c").set_value(3).run()
    at.number_input(key="build_input_h").set_value(32).run()
    assert at.session_state["net"].input_shape == (3, 32, 28)
    assert _table(at)[1][3] == 8 * 3 * 9 + 8


def test_json_upload_good_and_garbage() -> None:
    at = _build_page()
    at.file_uploader(key="build_upload").set_value(
        ("net.json", b"{ not json", "application/json")
    ).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("This file was not loaded" in text for text in errors)
    assert any("not valid JSON" in text for text in errors)
    assert at.session_state["net"] == PRESETS["tiny"]
    good = net_to_json(PRESETS["lenet5"]).encode()
    at.file_uploader(key="build_upload").set_value(("lenet.json", good, "application/json")).run()
    assert not at.exception
    assert at.session_state["net"] == PRESETS["lenet5"]
    assert any("Network loaded from the file" in s.value for s in at.success)
    invalid = NetSpec((1, 8, 8), (Conv2dSpec(2, 9), LinearSpec(2)))
    at.file_uploader(key="build_upload").set_value(
        ("bad.json", net_to_json(invalid).encode(), "application/json")
    ).run()
    assert any("add a Flatten layer" in e.value for e in at.error)
    assert at.session_state["net"] == PRESETS["lenet5"]


def test_share_link_restores_the_network() -> None:
    token = encode_share(PRESETS["cifar-small"])
    at = _build_page(query={"net": token})
    assert at.session_state["net"].layers == PRESETS["cifar-small"].layers
    assert any("restored from the shared link" in s.value for s in at.success)
    link = [c.value for c in at.code if "?net=" in c.value]
    assert link and token in link[0] and "/build?" in link[0]


@pytest.mark.parametrize("token", ["garbage", "eJzLSM3JyQcABiwCFQ", "%%%"])
def test_tampered_link_shows_an_error_and_the_default(token: str) -> None:
    at = _build_page(query={"net": token})
    assert any("could not be restored" in e.value for e in at.error)
    assert at.session_state["net"] == PRESETS["tiny"]
    at.run()  # a one-shot message: shown once
    assert not any("could not be restored" in e.value for e in at.error)


def test_open_in_stepper_sends_the_feature_map() -> None:
    at = _build_page()
    fourth = _ids(at)[3]  # Conv2d 16@3x3, whose input is the pooled (8, 14, 14) map
    at.button(key=f"build_{fourth}_stepper").click().run()
    assert not at.exception, [e.value for e in at.exception]
    request = at.session_state.get("stepper_request")
    if request is None:  # the convolution stepper took the request over (a ConvRequest)
        received = at.session_state["conv_request"]
        assert received.label == "Layer 4 Conv2d 16@3x3"
        assert received.full_shape == (8, 14, 14)
        assert received.source == "build"
    else:
        assert request["label"] == "Layer 4 Conv2d 16@3x3"
        assert np.asarray(request["input"]).shape == (8, 14, 14)
        assert request["weights"].shape == (16, 8, 3, 3)


def test_open_pooling_layer_in_its_stepper() -> None:
    at = _build_page()
    pool = _ids(at)[2]  # MaxPool2d 2x2 on the (8, 28, 28) ReLU output
    at.button(key=f"build_{pool}_stepper").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "build_layers" in at.session_state  # the editor survives the page switch


def test_editor_follows_a_network_set_by_another_page() -> None:
    at = _build_page()
    at.switch_page("pages/home.py").run()
    at.session_state["net"] = PRESETS["lenet5"]  # e.g. a checkpoint loaded on the Train page
    at.switch_page("pages/build/page.py").run()
    assert not at.exception
    assert _table(at)[1][1] == "Conv2d 6@5x5"
    assert at.session_state["net"] == PRESETS["lenet5"]


def test_editor_state_survives_a_page_switch() -> None:
    at = _build_page()
    at.selectbox(key="build_input_choice").set_value("custom").run()
    at.number_input(key="build_input_h").set_value(30).run()
    first = _ids(at)[0]
    at.number_input(key=f"build_{first}__out_channels").set_value(5).run()
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/build/page.py").run()
    assert not at.exception
    assert at.session_state["net"].input_shape == (1, 30, 28)
    assert at.session_state["net"].layers[0].out_channels == 5
    assert _table(at)[1][1] == "Conv2d 5@3x3"


def test_page_settings_survive_a_page_switch_and_a_net_from_elsewhere_selects_its_preset() -> None:
    at = _build_page()
    at.toggle(key="build_every_layer").set_value(True).run()
    at.selectbox(key="build_new_kind").set_value("dropout").run()
    at.switch_page("pages/home.py").run()
    at.session_state["net"] = PRESETS["lenet5"]
    at.switch_page("pages/build/page.py").run()
    assert not at.exception
    assert at.toggle(key="build_every_layer").value is True
    assert at.selectbox(key="build_new_kind").value == "dropout"
    assert at.selectbox(key="build_preset").value == "lenet5"


def test_a_layer_setting_shown_again_starts_from_the_draft_not_an_older_value() -> None:
    at = _build_page()
    first = _ids(at)[0]
    at.number_input(key=f"build_{first}__kernel_size__sq").set_value(5).run()
    at.checkbox(key=f"build_{first}__rect").check().run()
    assert at.number_input(key=f"build_{first}__kernel_size__w").value == 5
    at.number_input(key=f"build_{first}__kernel_size__w").set_value(3).run()
    assert at.session_state["net"].layers[0].kernel_size == (5, 3)
    at.checkbox(key=f"build_{first}__rect").uncheck().run()
    at.run()
    assert at.session_state["net"].layers[0].kernel_size == (5, 5)
    at.checkbox(key=f"build_{first}__rect").check().run()
    assert at.number_input(key=f"build_{first}__kernel_size__w").value == 5  # not the old 3
    assert at.session_state["net"].layers[0].kernel_size == (5, 5)


def test_custom_input_starts_from_the_current_shape() -> None:
    at = _build_page()
    at.selectbox(key="build_input_choice").set_value("32x32x3").run()
    at.selectbox(key="build_input_choice").set_value("custom").run()
    assert [at.number_input(key=f"build_input_{axis}").value for axis in "chw"] == [3, 32, 32]


def test_chinese_build_page() -> None:
    at = _build_page("zh")
    assert at.title[0].value == "搭建卷积神经网络"
    assert any("网络有效" in s.value for s in at.success)
    assert _table(at)[0][1] == "输入"
    assert _layer_expander(at, 1).label.startswith("1 · Conv2d 8@3x3")
    labels = [n.label for n in at.number_input]
    assert any(label.startswith("卷积核个数") for label in labels)
    first = _ids(at)[0]
    at.number_input(key=f"build_{first}__kernel_size__sq").set_value(40).run()
    assert any("窗口在 H, W 方向跨 40 个像素" in e.value for e in _layer_expander(at, 1).error)


def test_home_page_links_every_lesson() -> None:
    for lang, title in (("en", "cnnviz: see how CNNs work"), ("zh", "cnnviz:看懂卷积神经网络")):
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["lang"] = lang
        at.run()
        assert not at.exception
        assert at.title[0].value == title
        links = at.get("page_link")
        pages = [link.proto.page for link in links]
        for name in ("build", "conv", "pool", "walkthrough", "practice", "train", "lab"):
            assert any(name in page for page in pages), (name, pages)
        text = " ".join(m.value for m in at.markdown)
        assert ("Recommended order" if lang == "en" else "推荐顺序") in " ".join(
            s.value for s in at.subheader
        )
        assert "?lang=" in text


# ---------------------------------------------------------------- the figures the page shows


def test_network_diagram_blocks_labels_and_hover() -> None:
    from cnnviz.net import infer
    from cnnviz.viz import diagram_blocks, network_diagram

    summary = infer(PRESETS["lenet5"])
    blocks = diagram_blocks(summary)
    # input, C1+tanh, S2, C3+tanh, S4, C5+tanh, flatten, F6+tanh, output
    assert [b.kind for b in blocks] == [
        "input",
        "conv2d",
        "avgpool2d",
        "conv2d",
        "avgpool2d",
        "conv2d",
        "flatten",
        "linear",
        "linear",
    ]
    assert [len(b.layers) for b in blocks][1:3] == [2, 1]
    assert len(diagram_blocks(summary, compact=False)) == len(PRESETS["lenet5"].layers) + 1
    fig = network_diagram(summary, "en")
    labels = [a.text for a in fig.layout.annotations]
    for text in ("1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", "120@1x1", "120", "84"):
        assert text in labels
    hovers = [trace.text for trace in fig.data if trace.text]
    assert any("Conv2d 6@5x5" in h and "parameters: 156" in h for h in hovers)
    assert {trace.name for trace in fig.data if trace.showlegend} == {
        "input",
        "convolution",
        "average pooling",
        "flatten",
        "fully connected",
    }
    zh = network_diagram(summary, "zh")
    assert "卷积" in {trace.name for trace in zh.data if trace.showlegend}
    assert "数据从左向右流动" in zh.layout.xaxis.title.text


def test_network_diagram_sizes_follow_height_and_channels() -> None:
    from cnnviz.net import infer
    from cnnviz.viz import network_diagram

    fig = network_diagram(infer(PRESETS["alexnet2012"]), "en")
    fronts = [t for t in fig.data if t.showlegend is not None and t.text]
    heights = [max(t.y) - min(t.y) for t in fronts]
    widths = [max(t.x) - min(t.x) for t in fronts]
    # input 227 is the tallest; conv1 (55x55) taller than pool5 (6x6); a 1x1 map is still visible
    assert heights[0] == max(heights)
    assert heights[1] > heights[7] > 0
    # 384 channels are thicker than 96
    assert widths[5] > widths[1]
    assert all(h > 0.2 for h in heights)


def test_diagram_marks_the_layer_with_a_problem() -> None:
    from cnnviz.net import infer
    from cnnviz.viz import diagram_blocks, network_diagram

    net = NetSpec((1, 8, 8), (Conv2dSpec(2, 9), FlattenSpec(), LinearSpec(2)))
    summary = infer(net)
    assert [b.kind for b in diagram_blocks(summary)] == ["input", "error", "unknown", "linear"]
    fig = network_diagram(summary, "en")
    assert any("the window spans 9 pixels" in (t.text or "") for t in fig.data)


def test_params_bar() -> None:
    from cnnviz.net import infer
    from cnnviz.viz import params_bar

    fig = params_bar(infer(PRESETS["lenet5"]), "zh")
    assert list(fig.data[0].y) == [156, 2416, 48120, 10164, 850]
    assert fig.data[0].x[0] == "1 Conv2d 6@5x5"
    assert fig.layout.yaxis.title.text == "参数量"
    assert params_bar(infer(PRESETS["lenet5"]), log_scale=True).layout.yaxis.type == "log"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_alexnet_preset_points_out_the_articles_arithmetic(lang: str) -> None:
    """Issue 9, item 20: 「卷积神经网络 (AlexNet)」's wrong counts and layer order, cited by title."""
    at = _build_page(lang)
    at.selectbox(key="build_preset").set_value("alexnet2012").run()
    assert not at.exception
    [notes] = [e for e in at.expander if "「卷积神经网络 (AlexNet)」" in e.label]
    table = notes.dataframe[0].value
    rows = {row[0]: row for row in table.values.tolist()}
    assert rows["conv1"][1:3] == ["34,848", "34,944"] and rows["output"][1:3] == [
        "4,096,000",
        "4,097,000",
    ]
    assert rows["conv2"][4].startswith("✓") and rows["conv1"][4].startswith("✗")
    text = " ".join(m.value for m in notes.markdown)
    assert (
        "conv → ReLU → max pool → LRN"
        if lang == "en"
        else "卷积 → ReLU → 最大池化 → 局部响应归一化"
    ) in text
    assert "seed" not in text.lower() and "种子" not in text
    at.selectbox(key="build_preset").set_value("lenet5").run()
    assert not any("AlexNet)」" in e.label for e in at.expander)
