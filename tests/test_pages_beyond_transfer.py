"""The "Transfer learning" tab of the Beyond page under AppTest, in English and Chinese: the layer
report before anything trains, the pretrained-weights note in both states of the torch hub cache
(a temporary TORCH_HOME), a short comparison through its background job to the overlaid curves and
the sweep table, and hostile session values falling back to what the server allows."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest
from torchvision.models import resnet18

import pages.beyond.transfer as transfer_section
from cnnviz.jobs import TransferJob
from cnnviz.net import PRETRAINED
from cnnviz.train import TransferConfig

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(autouse=True)
def empty_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A torch hub cache with no weights in it (tests add a file where they need one)."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    return tmp_path / "torch" / "hub" / "checkpoints"


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


def _stop(at: AppTest) -> None:
    if "beyond_transfer_job" in at.session_state:
        job = at.session_state["beyond_transfer_job"].job
        job.stop()
        job.join(60)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_tab_shows_its_settings_the_layer_report_and_how_to_get_weights(lang: str) -> None:
    at = _beyond(lang)
    en = lang == "en"
    assert [tab.label for tab in at.tabs] == (
        ["Segmentation", "Transfer learning"] if en else ["语义分割", "迁移学习"]
    )
    (table,) = at.table
    report = table.value
    assert list(report.iloc[:, 0]) == ["layers.0", "layers.3", "layers.7"]
    assert list(report.iloc[:, 2]) == (["yes", "yes", "no"] if en else ["是", "是", "否"])
    assert ("new head" if en else "新的输出层") in report.iloc[2, 3]
    info = _texts(at, "info")
    assert "resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)" in info
    assert "resnet18-f37072fd.pth" in info
    assert ("never downloads" if en else "从不下载") in info
    assert not any("ResNet" in o for o in at.selectbox(key="beyond_t_source").options)
    assert at.segmented_control(key="beyond_t_k").value == 50
    assert not at.button(key="beyond_t_btn_start").disabled
    assert at.button(key="beyond_t_btn_stop").disabled


def test_weights_in_the_hub_cache_are_offered_as_a_source(empty_hub: Path) -> None:
    empty_hub.mkdir(parents=True)
    torch.save(resnet18().state_dict(), empty_hub / PRETRAINED["resnet18"].file_name)
    at = _beyond()
    assert "found in the torch hub cache: resnet18" in _texts(at, "caption")
    source = at.selectbox(key="beyond_t_source")
    assert source.options[-1] == "ResNet-18 pretrained on ImageNet (from the torch hub cache)"
    source.set_value("resnet18").run()
    assert not at.exception
    report = at.table[0].value
    assert report.iloc[-1, 0] == "fc" and list(report.iloc[:-1, 2]) == ["yes"] * 40
    assert at.selectbox(key="beyond_t_target").disabled  # ResNet-18 takes the colour shapes


SMALL = TransferConfig(
    source="shapes-32",
    per_class=10,
    sweep=(10, 20),
    steps=6,
    eval_every=3,
    val_size=60,
    source_samples=120,
    source_steps=4,
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_short_comparison_draws_three_curves_and_the_sweep(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def small(source: str, target: str, per_class: int) -> TransferConfig:
        return replace(SMALL, target=target)

    monkeypatch.setattr(transfer_section, "transfer_config", small)
    at = _beyond(lang)
    try:
        at.button(key="beyond_t_btn_start").click().run()
        assert not at.exception, [e.value for e in at.exception]
        job = at.session_state["beyond_transfer_job"].job
        assert isinstance(job, TransferJob) and job.cfg.steps == 6
        assert at.button(key="beyond_t_btn_start").disabled
        assert job.join(120)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    finally:
        _stop(at)
    en = lang == "en"
    assert ("Comparison finished: 6 runs" if en else "比较完成:6 次训练") in _texts(at, "success")
    charts = {
        fig["layout"]["title"]["text"]: fig
        for fig in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
        if "title" in fig["layout"]
    }
    curves = charts[
        "Validation accuracy with k = 10 labelled images per class"
        if en
        else "每类 k = 10 张带标签图像时的验证准确率"
    ]
    names = [trace["name"] for trace in curves["data"]]
    assert names == (
        [
            "From scratch",
            "Frozen features + new head",
            "Fine-tuning (smaller LR for transferred layers)",
        ]
        if en
        else ["从零训练", "冻结特征 + 新输出层", "微调(迁移层用较小学习率)"]
    )
    assert all(len(trace["x"]) == 2 for trace in curves["data"])  # evaluated at steps 3 and 6
    sweep_title = (
        "Accuracy reached with k labelled images per class"
        if en
        else "每类 k 张带标签图像时达到的准确率"
    )
    assert len(charts[sweep_title]["data"]) == 3
    sweep = at.table[0].value  # the sweep table, then the layer report
    assert list(sweep.columns)[1:3] == ["k = 10", "k = 20"]
    assert len(sweep) == 3
    assert ("Labels per class to reach 0.80" if en else "达到 0.80 所需") in list(sweep.columns)[-1]
    source_line = (
        "Source network: validation accuracy" if en else "源网络:在它自己的任务上验证准确率"
    )
    assert source_line in _texts(at, "caption")


def test_hostile_session_values_fall_back_to_what_the_server_allows() -> None:
    at = _beyond()
    at.session_state["beyond_t_k"] = 10**6  # what a forged widget message could send
    at.session_state["beyond_t_threshold"] = 7.0
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.table[0].value) == 3
    try:
        at.button(key="beyond_t_btn_start").click().run()
        assert not at.exception, [e.value for e in at.exception]
        job = at.session_state["beyond_transfer_job"].job
        assert job.cfg.per_class == 50 and job.cfg.source in ("fashion-mnist", "shapes-32")
        assert 0.5 <= at.slider(key="beyond_t_threshold").value <= 0.99
    finally:
        _stop(at)
