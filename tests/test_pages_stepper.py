"""AppTest for the stepper pages: convolution, pooling, worked example, practice."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.lessons import make_exercise
from cnnviz.net import AvgPool2dSpec, Conv2dSpec, MaxPool2dSpec
from cnnviz.viz import format_number

PAGES = ("pages/conv/page.py", "pages/pool/page.py", "pages/walkthrough.py", "pages/practice.py")


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


def _spec(at: AppTest, index: int = 0) -> dict[str, Any]:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def _window_box(spec: dict[str, Any]) -> tuple[float, float]:
    trace = next(t for t in spec["data"] if t.get("name") == "current window")
    xs = [v for v in trace["x"] if v is not None]
    ys = [v for v in trace["y"] if v is not None]
    return min(xs), min(ys)


def _widget(at: AppTest, key: str) -> Any:
    for kind in ("number_input", "selectbox", "radio", "checkbox", "select_slider"):
        for widget in getattr(at, kind):
            if widget.key == key:
                return widget
    raise KeyError(key)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_loads_in_both_languages(page: str, lang: str) -> None:
    at = _open(page, lang)
    title = at.title[0].value
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title), title
    else:
        assert title.isascii()
    if page != "pages/walkthrough.py":  # the worked example shows the article's mistakes as errors
        assert not at.error


def test_conv_page_shows_the_seed003_step_and_the_formula() -> None:
    at = _open("pages/conv/page.py")
    codes = [c.value for c in at.code]
    # beside the grid, one line per kernel row
    assert codes[0] == "0×1 + 0×0 + 0×(-1)\n+ 0×1 + 0×0 + 1×(-1)\n+ 0×1 + 1×0 + 2×(-1)\n= -3"
    # the familiar formula, with the general dilated form one click away (an expander)
    assert "H_out = floor((5 + 2*1 - 3) / 1) + 1 = 5" in codes[1]
    assert "H_out = floor((5 + 2*1 - 1*(3-1) - 1) / 1) + 1 = 5" in codes[2]
    assert any(c.startswith("nn.Conv2d(1, 1, kernel_size=(3, 3)") for c in codes)
    spec = _spec(at)
    assert len(spec["frames"]) == 25


def test_next_changes_the_window_and_the_written_sum() -> None:
    at = _open("pages/conv/page.py")
    before_sum, before_box = at.code[0].value, _window_box(_spec(at))
    at.button(key="conv_next").click().run()
    assert not at.exception
    after_sum, after_box = at.code[0].value, _window_box(_spec(at))
    assert after_sum != before_sum
    assert after_sum.endswith("= -4")  # position (0, 1)
    assert after_box == (before_box[0] + 1, before_box[1])  # moved one column right
    at.button(key="conv_prev").click().run()
    assert at.code[0].value == before_sum


def test_slider_scrubs_to_any_position() -> None:
    at = _open("pages/conv/page.py")
    _widget(at, "conv_pos").set_value(14).run()  # (2, 4)
    assert not at.exception
    assert at.code[0].value.endswith("= 7")  # the article's first pass says 6
    written = [t["text"][0] for t in _spec(at)["data"] if t.get("mode") == "text"]
    assert written[-1] == "(2, 4) = 7"


def test_multichannel_filters_and_bias_are_written_out() -> None:
    at = _open("pages/conv/page.py")
    _widget(at, "conv_c").set_value(3)
    _widget(at, "conv_f").set_value(2)
    _widget(at, "conv_bias").check()
    at.run()
    assert not at.exception
    lines = at.code[0].value.splitlines()
    assert [line.split(":")[0] for line in lines if line.endswith(":") or "total" in line] == [
        "channel 0",
        "channel 1",
        "channel 2",
        "total",
    ]
    assert "+ bias 0.5 =" in lines[-1]
    _widget(at, "conv_filter").set_value(1).run()
    assert not at.exception
    assert "filter 1" in at.markdown[-1].value or any("1" in m.value for m in at.markdown)


def test_invalid_grid_cell_shows_an_error_and_keeps_the_last_valid_state() -> None:
    at = _open("pages/conv/page.py")
    _widget(at, "conv_source").set_value("typed").run()
    assert not at.exception
    good_sum = at.code[0].value
    at.session_state["conv_typed_0_5x5"] = {
        "edited_rows": {0: {"1": "abc"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "not numbers" in errors and "(0, 1) 'abc'" in errors
    assert any("last valid" in w.value for w in at.warning)
    assert at.code[0].value == good_sum  # the stepper still shows the last valid input
    at.session_state["conv_typed_0_5x5"] = {
        "edited_rows": {0: {"1": "7"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.error
    assert "×" in at.code[0].value


def test_empty_output_gives_a_clear_message() -> None:
    at = _open("pages/conv/page.py")
    _widget(at, "conv_pad_mode").set_value("valid")
    _widget(at, "conv_kh").set_value(7)
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "no window fits" in errors and "padded input is 5x5" in errors
    # (AppTest re-formats a translated radio in English outside the script: set the state directly)
    zh = _open("pages/conv/page.py", "zh")
    zh.session_state["conv_pad_mode"] = "valid"
    zh.session_state["conv_kh"] = 7
    zh.run()
    assert not zh.exception
    assert "没有任何窗口放得下" in " ".join(e.value for e in zh.error)


def test_same_padding_with_stride_and_bad_groups_are_explained() -> None:
    at = _open("pages/conv/page.py")
    _widget(at, "conv_sh").set_value(2).run()
    assert "stride 1" in " ".join(e.value for e in at.error)
    _widget(at, "conv_pad_mode").set_value("explicit")
    _widget(at, "conv_c").set_value(3)
    at.run()
    _widget(at, "conv_groups").set_value(2).run()
    assert not at.exception
    assert "groups=2 must divide" in " ".join(e.value for e in at.error)


def _pills(at: AppTest, key: str) -> Any:
    return next(w for w in at.get("button_group") if w.key == key)


def test_the_settings_row_above_the_figure_drives_the_sidebar() -> None:
    """Projector: padding, stride and kernel on the page, no sidebar needed (issue 19)."""
    at = _open("pages/conv/page.py")
    presets = _pills(at, "conv_q_preset")
    assert presets.options == ["p=0, s=1", "p=1, s=1", "p=1, s=2", "p=0, s=2"]
    assert presets.value is None  # "same" is not a number of pixels
    presets.set_value("p=1, s=2").run()
    assert not at.exception and not at.error
    assert _widget(at, "conv_sh").value == 2 and _widget(at, "conv_pad_mode").value == "explicit"
    assert _pills(at, "conv_q_preset").value == "p=1, s=2"  # it shows where the settings are
    assert "H_out = floor((5 + 2*1 - 3) / 2) + 1 = 3" in at.code[1].value
    _widget(at, "conv_q_kernel").set_value(5).run()
    assert (_widget(at, "conv_kh").value, _widget(at, "conv_kw").value) == (5, 5)
    _widget(at, "conv_q_padding").set_value("same").run()
    _widget(at, "conv_q_stride").set_value(1).run()
    assert not at.error and _widget(at, "conv_pad_mode").value == "same"
    assert "H_out = floor((5 + 2*2 - 5) / 1) + 1 = 5" in at.code[1].value


@pytest.mark.parametrize("fix", ["conv_fix_padding", "conv_fix_stride"])
def test_same_padding_with_a_stride_has_a_one_click_fix(fix: str) -> None:
    at = _open("pages/conv/page.py")
    _widget(at, "conv_q_stride").set_value(2).run()  # "same" + stride 2: PyTorch refuses it
    assert "stride 1" in " ".join(e.value for e in at.error)
    assert "p = 1" in at.button(key="conv_fix_padding").label
    at.button(key=fix).click().run()
    assert not at.exception and not at.error
    if fix == "conv_fix_padding":  # the zeros "same" adds, as numbers: the stride stays
        assert _widget(at, "conv_sh").value == 2
        assert (at.session_state["conv_pt"], at.session_state["conv_pr"]) == (1, 1)
        assert at.code[1].value.startswith("H_out = floor((5 + 2*1 - 3) / 2) + 1 = 3")
    else:
        assert _widget(at, "conv_sh").value == 1 and _widget(at, "conv_pad_mode").value == "same"


def test_a_share_link_restores_the_stepper_and_a_bad_one_is_refused() -> None:
    at = _open("pages/conv/page.py")
    _pills(at, "conv_q_preset").set_value("p=0, s=2").run()
    at.button(key="conv_next").click().run()
    token = at.query_params["conv"]
    link = next(c.value for c in at.code if "conv=" in c.value)
    assert token in link and "/conv?" in link
    fresh = AppTest.from_file("../app.py", default_timeout=60)
    fresh.query_params["conv"] = token
    fresh.session_state["lang"] = "en"
    fresh.run()
    fresh.switch_page("pages/conv/page.py")
    fresh.query_params["conv"] = token  # a page switch clears them; a link opens the page
    fresh.run()
    assert not fresh.exception
    assert any("shared link" in s.value for s in fresh.success)
    assert _widget(fresh, "conv_sh").value == 2 and _widget(fresh, "conv_pad_mode").value == "valid"
    assert fresh.session_state["conv_pos"] == 1
    assert fresh.code[0].value == at.code[0].value  # the same step, written the same way
    fresh.query_params["conv"] = "AAAA" + token  # damaged
    fresh.run()
    assert not fresh.exception
    assert any("link is damaged" in e.value for e in fresh.error)
    assert _widget(fresh, "conv_sh").value == 2  # the stepper kept its settings


def test_a_rerun_with_the_address_bar_a_click_behind_keeps_stepping() -> None:
    """A quick second "Next" can arrive with the token of the cell before (the browser had not
    yet put the newer one in its address bar): the session wrote it, so it is not a link."""
    at = _open("pages/conv/page.py")
    first = at.query_params["conv"]  # the token of cell (0, 0)
    at.button(key="conv_next").click().run()
    assert at.session_state["conv_pos"] == 1
    at.query_params["conv"] = first  # the address bar is one click behind
    at.button(key="conv_next").click().run()
    assert not at.exception and not at.success  # nothing was "opened"
    assert at.session_state["conv_pos"] == 2
    assert at.query_params["conv"] != first


def test_transposed_mode_shows_zero_insertion() -> None:
    at = _open("pages/conv/page.py")
    _widget(at, "conv_mode").set_value("transposed").run()
    _widget(at, "conv_sh").set_value(2)
    _widget(at, "conv_oph").set_value(1)
    at.run()
    assert not at.exception
    codes = [c.value for c in at.code]
    assert any(c.startswith("H_out = (5-1)*2 - 2*0 + 3 + 1 = 12") for c in codes)
    assert any(c.startswith("H_out = (5-1)*2 - 2*0 + 1*(3-1) + 1 + 1 = 12") for c in codes)
    assert any("nn.ConvTranspose2d(1, 1" in c and "output_padding=(1, 0)" in c for c in codes)
    assert any("(5-1)*2 + 1 = 9" in c for c in codes)
    names = {t.get("name") for t in _spec(at)["data"]}
    assert "inserted zeros" in names


def test_build_request_is_honoured_cropped_and_cleared() -> None:
    feature_map = np.random.default_rng(0).random((6, 40, 40)).astype(np.float32)
    request = {
        "layer": Conv2dSpec(16, 5, padding=2),
        "input": feature_map,
        "label": "Layer 3 Conv2d 16@5x5",
        "source": "build",
    }
    at = _open("pages/conv/page.py", stepper_request=request)
    assert "stepper_request" not in at.session_state
    assert any("Opened from the Build page: Layer 3 Conv2d 16@5x5" in i.value for i in at.info)
    captions = " ".join(c.value for c in at.caption)
    assert "6x40x40" in captions and "3x32x32" in captions
    assert "random" in captions  # untrained network: seeded random weights, said so
    assert _widget(at, "conv_filter").max == 15  # step any of the 16 filters
    lines = at.code[0].value.splitlines()
    assert sum(line.startswith(("channel", "total")) for line in lines) == 4  # 3 channels, total
    codes = " ".join(c.value for c in at.code)
    assert "nn.Conv2d(3, 16, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2)" in codes
    _widget(at, "conv_filter").set_value(12).run()
    assert not at.exception


def test_build_request_with_layer_weights_uses_them() -> None:
    rng = np.random.default_rng(1)
    weights = rng.normal(size=(4, 5, 3, 3))  # (F, C, kh, kw) of the real layer, C = 5
    request = {
        "layer": Conv2dSpec(4, 3, padding=1),
        "input": rng.random((5, 8, 8)),
        "label": "Layer 1 Conv2d 4@3x3",
        "source": "build",
        "weights": weights,
    }
    at = _open("pages/conv/page.py", stepper_request=request)
    captions = " ".join(c.value for c in at.caption)
    assert "own weights" in captions and "Only the first channels" in captions
    kernel = next(t for t in _spec(at)["data"] if t.get("name") == "Kernel")
    z = kernel["z"]  # the numbers the cells show ("%{z}"), as JSON or plotly's base64 array
    if isinstance(z, dict):
        z = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(3, 3)
    assert format_number(z[0][0]) == format_number(weights[0, 0, 0, 0])  # filter 0, channel 0


def test_pool_request_is_forwarded_to_the_pool_page() -> None:
    request = {
        "layer": MaxPool2dSpec(3, 2),
        "input": np.arange(2 * 9 * 9, dtype=np.float32).reshape(2, 9, 9),
        "label": "Layer 2 MaxPool2d 3x3/2",
        "source": "build",
    }
    at = _open("pages/pool/page.py", stepper_request=request)
    assert "stepper_request" not in at.session_state
    assert any("Layer 2 MaxPool2d 3x3/2" in i.value for i in at.info)
    assert at.code[0].value.startswith("max(")
    assert _widget(at, "pool_kind").value == "max"
    request["layer"] = AvgPool2dSpec(2)
    at = _open("pages/pool/page.py", stepper_request=request)
    assert _widget(at, "pool_kind").value == "avg"


def _backward(at: AppTest) -> AppTest:
    """The same step control switched to the backward pass."""
    at.session_state["pool_pass"] = "backward"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _forward(at: AppTest) -> AppTest:
    at.session_state["pool_pass"] = "forward"
    at.run()
    return at


def test_pool_page_backward_badge_and_stepping() -> None:
    at = _open("pages/pool/page.py")
    assert not at.success  # the forward pass first: the backward row is one switch away
    assert any("matches PyTorch autograd" in s.value for s in _backward(at).success)
    at = _forward(at)
    first = at.code[0].value
    at.button(key="pool_next").click().run()
    assert at.code[0].value != first
    _widget(at, "pool_kind").set_value("avg")
    _widget(at, "pool_kh").set_value(3)
    _widget(at, "pool_kw").set_value(3)
    _widget(at, "pool_ph").set_value(1)
    at.run()
    assert not at.exception
    assert at.code[0].value.startswith("(") and "/ 9 =" in at.code[0].value
    assert any("matches PyTorch autograd" in s.value for s in _backward(at).success)
    at = _forward(at)
    _widget(at, "pool_ph").set_value(2).run()
    assert "more than half" in " ".join(e.value for e in at.error)


def test_pool_typed_gradient_with_a_bad_cell_falls_back() -> None:
    at = _open("pages/pool/page.py")
    _widget(at, "pool_grad_source").set_value("typed").run()
    at.session_state["pool_typed_grad_3x3"] = {
        "edited_rows": {1: {"2": "x"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at = _backward(at)
    assert "not numbers" in " ".join(e.value for e in at.error)
    assert any("matches PyTorch autograd" in s.value for s in at.success)


def test_walkthrough_shows_mistakes_and_checks() -> None:
    at = _open("pages/walkthrough.py")
    assert any("7 arithmetic mistakes" in c.value for c in at.caption)
    assert at.code[0].value.endswith("= -7")  # the default position (2, 0), the written sum
    assert any("wrote -9" in e.value for e in at.error)
    markdown = " ".join(m.value for m in at.markdown)
    assert "❌" in markdown and "✅" in markdown
    assert len(at.get("plotly_chart")) >= 10
    at.button(key="walk_open_conv").click().run()
    assert not at.exception


def test_practice_scores_answers_and_accepts_any_valid_pick() -> None:
    at = _open("pages/practice.py")
    exercise = make_exercise("conv_size", 0)
    _widget(at, "practice_a_conv_size_0").set_value(exercise.answer)
    at.button[1].click().run()  # the form's Check button
    assert not at.exception
    assert at.success and "Correct" in at.success[0].value
    assert at.metric[0].value == "1 / 1"
    at.button(key="practice_new").click().run()
    wrong = make_exercise("conv_size", 1).answer + 1  # type: ignore[operator]
    _widget(at, "practice_a_conv_size_1").set_value(wrong)
    at.button[1].click().run()
    assert at.error and "Try again" in at.error[0].value and at.metric[0].value == "1 / 2"
    # a second try before the reveal: no formula with the answer, no positions figure
    assert not any(c.value.endswith(f"= {wrong - 1}") for c in at.code)
    assert not at.get("plotly_chart")
    _widget(at, "practice_a_conv_size_1").set_value(wrong - 1)
    at.button[1].click().run()
    assert at.success and "Correct" in at.success[0].value
    assert at.metric[0].value == "1 / 2"  # the first answer is the one scored
    at.button(key="practice_new").click().run()
    wrong = make_exercise("conv_size", 2).answer + 1  # type: ignore[operator]
    _widget(at, "practice_a_conv_size_2").set_value(wrong)
    at.button[1].click().run()
    at.button(key="practice_reveal").click().run()  # the solution on request
    assert any(c.value.endswith(f"= {wrong - 1}") for c in at.code)  # the worked formula
    assert at.metric[0].value == "1 / 3"

    _widget(at, "practice_kind").set_value("pick_padding_stride").run()
    pick = make_exercise("pick_padding_stride", 0)
    p, s = pick.answer  # type: ignore[misc]
    _widget(at, "practice_p_pick_padding_stride_0").set_value(p)
    _widget(at, "practice_s_pick_padding_stride_0").set_value(s)
    at.button[1].click().run()
    assert at.success and at.metric[0].value == "2 / 4"


def test_walkthrough_formulas_are_labelled_in_chinese() -> None:
    """Issue 9, item 21: no English "conv 2:" / "pool 2:" on the Chinese worked example."""
    at = _open("pages/walkthrough.py", lang="zh")
    codes = [c.value for c in at.code]
    assert not any("conv 2:" in c or "pool 2:" in c for c in codes)
    assert any(c.startswith("卷积 2: H_out") and "\n最大池化 2: H_out" in c for c in codes)
