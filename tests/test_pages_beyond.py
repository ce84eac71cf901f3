"""The Beyond classification page under AppTest: loads in both languages with the U-Net table, a
one-epoch run goes through its job to the image row and the comparison, bad input is explained."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.jobs import SegmentJob
from cnnviz.train import MAX_SEGMENT_EPOCHS, SegmentEpoch
from pages.beyond.state import SegRun

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _beyond(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/beyond/page.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest, *kinds: str) -> str:
    return " ".join(str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind))


@pytest.fixture
def beyond() -> Iterator[AppTest]:
    at = _beyond()
    yield at
    if "beyond_job" in at.session_state:
        job = at.session_state["beyond_job"].job
        job.stop()
        job.join(60)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_loads_with_settings_and_the_unet_table(lang: str) -> None:
    at = _beyond(lang)
    title = at.title[0].value
    assert title == (
        "Beyond classification: segmentation and transfer learning"
        if lang == "en"
        else "超越分类:语义分割与迁移学习"
    )
    labels = [b.label for b in at.button]
    assert ("Start" if lang == "en" else "开始") in labels
    assert not at.button(key="beyond_btn_start").disabled
    assert at.button(key="beyond_btn_stop").disabled
    table = at.dataframe[0].value
    assert len(table) == 17  # default depth 3: 3 x (enc, pool), bottom, 3 x (up, cat, dec), head
    kinds = list(table.iloc[:, 1])
    assert kinds.count("Concatenation (skip)" if lang == "en" else "拼接(跳跃连接)") == 3
    assert ("Press Start" if lang == "en" else "点击“开始”") in _texts(at, "info")


def test_skips_off_removes_the_concatenations(beyond: AppTest) -> None:
    beyond.toggle(key="beyond_w_skips").set_value(False).run()
    assert not beyond.exception
    table = beyond.dataframe[0].value
    assert len(table) == 14 and "Concatenation (skip)" not in list(table.iloc[:, 1])


def test_size_that_does_not_divide_is_explained_and_start_is_off(beyond: AppTest) -> None:
    beyond.number_input(key="beyond_w_size").set_value(30).run()
    assert not beyond.exception
    errors = _texts(beyond, "error")  # 30 -> 15 -> 7 -> 3; up 3 -> 6, not 7
    assert "cat3" in errors and "24x24 / 32x32" in errors and "7x7" in errors
    assert beyond.button(key="beyond_btn_start").disabled
    beyond.number_input(key="beyond_w_size").set_value(32).run()
    assert not _texts(beyond, "error") and not beyond.button(key="beyond_btn_start").disabled


def test_size_problem_in_chinese() -> None:
    at = _beyond("zh")
    at.number_input(key="beyond_w_size").set_value(30).run()
    assert "拼接层 cat3" in _texts(at, "error")


def test_a_one_epoch_run_shows_curves_images_and_joins_the_comparison(beyond: AppTest) -> None:
    beyond.number_input(key="beyond_w_epochs").set_value(1).run()
    beyond.button(key="beyond_btn_start").click().run()
    assert not beyond.exception, [e.value for e in beyond.exception]
    job = beyond.session_state["beyond_job"].job
    assert isinstance(job, SegmentJob) and job.cfg.epochs == 1
    assert beyond.button(key="beyond_btn_start").disabled
    assert job.join(180)
    beyond.run()
    assert not beyond.exception, [e.value for e in beyond.exception]
    assert "Run 1: Cross-entropy + Dice, with skips" in _texts(beyond, "success")
    (row,) = beyond.get("image")  # the row of validation images
    assert "Rows: input, true mask, predicted mask" in " ".join(row.captions)
    charts = [c.proto.spec for c in beyond.get("plotly_chart")]
    assert any("Validation mean IoU" in spec for spec in charts)
    runs = beyond.session_state["beyond_runs"]
    assert [r.name for r in runs] == ["Run 1: Cross-entropy + Dice, with skips"]
    assert len(runs[0].epochs) == 1


def _fake(name: str, ious: list[float]) -> SegRun:
    epochs = tuple(
        SegmentEpoch(i + 1, 1.0 / (i + 1), 0.9 / (i + 1), (0.9,) * 7, (0.95,) * 7, iou, iou, 1.0)
        for i, iou in enumerate(ious)
    )
    return SegRun(name, epochs, np.zeros((0, 2)), 10, 3.0)


def test_comparison_overlays_finished_runs(beyond: AppTest) -> None:
    beyond.session_state["beyond_runs"] = [
        _fake("skips", [0.5, 0.8, 0.9]),
        _fake("no skips", [0.4, 0.6, 0.7]),
    ]
    beyond.run()
    assert not beyond.exception
    assert beyond.multiselect(key="beyond_compare_pick").value == ["skips", "no skips"]
    spec = beyond.get("plotly_chart")[-1].proto.spec
    assert '"skips"' in spec and '"no skips"' in spec
    table = beyond.dataframe[-1].value
    assert list(table.iloc[:, 2]) == [0.9, 0.7]
    beyond.button(key="beyond_compare_clear").click().run()
    assert beyond.session_state["beyond_runs"] == []


def test_a_hostile_session_value_never_reaches_the_server_unchecked(beyond: AppTest) -> None:
    beyond.session_state["beyond_w_epochs"] = 10**6  # what a forged widget message could send
    beyond.run()
    assert not beyond.exception
    beyond.button(key="beyond_btn_start").click().run()
    assert not beyond.exception
    job = beyond.session_state["beyond_job"].job
    assert 1 <= job.cfg.epochs <= MAX_SEGMENT_EPOCHS  # clamped by the widget, re-checked by the job


def test_the_default_deep_u_needs_a_size_that_divides_by_8(beyond: AppTest) -> None:
    beyond.number_input(key="beyond_w_size").set_value(28).run()
    assert not beyond.exception
    errors = _texts(beyond, "error")  # 28 -> 14 -> 7 -> 3; up 3 -> 6, not 7
    assert "cat3" in errors and "24x24 / 32x32" in errors and "total stride 8" in errors
    beyond.number_input(key="beyond_w_depth").set_value(2).run()  # a shallower U takes 28
    assert not _texts(beyond, "error")
    assert len(beyond.dataframe[0].value) == 12  # 2 x (enc, pool), bottom, 2 x (up, cat, dec), head
