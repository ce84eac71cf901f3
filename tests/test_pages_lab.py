"""The Overfitting lab page under AppTest: loads in both languages, a scenario runs through its job
to a verdict, remedies set up the next run, the compare view draws fake runs, history management."""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.data import DataConfig
from cnnviz.jobs import default_runner
from cnnviz.lab import LabSetup, RunRecord, SweepPoint, lab_data_config
from cnnviz.net import scaled_net
from cnnviz.train import EpochEnd, Finished, TrainConfig

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _lab(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/lab/page.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest, *kinds: str) -> str:
    return " ".join(str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind))


def _stop_jobs(at: AppTest) -> None:
    for key in ("lab_single", "lab_multi"):
        if key in at.session_state:
            job = at.session_state[key].job
            job.stop()
            job.join(60)


@pytest.fixture
def lab() -> Iterator[AppTest]:
    at = _lab()
    yield at
    _stop_jobs(at)


def fake_run(name: str, val_acc: list[float], **cfg_changes: Any) -> RunRecord:
    epochs = [
        EpochEnd(
            epoch=i + 1,
            train_loss=1.0 / (i + 1),
            train_acc=min(1.0, 0.6 + 0.15 * i),
            val_loss=0.9 + 0.05 * abs(i - 2),
            val_acc=acc,
            lr=1e-3,
            seconds=0.4,
            images_per_second=500.0,
            grad_norms={},
            weight_norms={},
        )
        for i, acc in enumerate(val_acc)
    ]
    return RunRecord(
        name=name,
        net=scaled_net((1, 28, 28), 6),
        data_cfg=lab_data_config(100),
        cfg=TrainConfig(epochs=len(val_acc), **cfg_changes),
        epochs=epochs,
        finished=Finished("completed", 3, 0.9, 2.0),
        created=0.0,
        model_state=None,
        lab_setup=LabSetup().to_dict(),
        scenario=None,
    )


def _decode(array: Any) -> list[float]:
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lab_page_loads_with_scenarios_and_tabs(lang: str) -> None:
    at = _lab(lang)
    labels = [b.label for b in at.button]
    if lang == "en":
        assert at.title[0].value == "Overfitting lab"
        assert {"Run scenario 1", "Run scenario 2", "Run scenario 3"} <= set(labels)
        assert "Nothing has run yet" in _texts(at, "info")
    else:
        assert at.title[0].value == "过拟合实验室"
        assert "运行实验 2" in labels
        assert "还没有运行任何实验" in _texts(at, "info")
    assert len(at.tabs) == 6


def test_scenario_runs_in_a_job_and_ends_with_a_verdict(lab: AppTest) -> None:
    lab.button(key="lab_run_underfit").click().run()
    assert not lab.exception
    slot = lab.session_state["lab_single"]
    assert slot.meta.scenario == "underfit"
    assert (
        "Run scenario 2" in [b.label for b in lab.button] and lab.button(key="lab_train").disabled
    )
    assert slot.job.join(120)
    lab.run()
    assert not lab.exception, [e.value for e in lab.exception]
    assert "Diagnosis: Underfitting" in _texts(lab, "warning")
    assert "Training accuracy only reached" in _texts(lab, "markdown")
    runs = lab.session_state["runs"]
    assert [r.scenario for r in runs] == ["underfit"] and runs[0].epochs
    chart = lab.get("plotly_chart")[0].proto.spec
    assert "Cross-entropy loss" in chart
    # A remedy sets up the next run (width doubled) and starts it right away.
    lab.button(key="lab_remedy_wider").click().run()
    assert not lab.exception
    assert lab.session_state["lab_setup"].width == 0.25
    assert lab.session_state["lab_w_width"] == 0.25
    assert lab.session_state["lab_single"].meta.name.endswith("+ Double the width")
    assert lab.session_state["lab_single"].job.join(120)
    lab.run()
    assert len(lab.session_state["runs"]) == 2


def test_compare_view_with_two_fake_runs(lab: AppTest) -> None:
    lab.session_state["runs"] = [
        fake_run("plain", [0.5, 0.6, 0.65, 0.64]),
        fake_run("regularised", [0.5, 0.62, 0.7, 0.72], weight_decay=5e-4),
    ]
    lab.run()
    assert not lab.exception
    assert lab.multiselect(key="lab_cmp_sel").value == ["plain", "regularised"]
    spec = json.loads(lab.get("plotly_chart")[-1].proto.spec)
    traces = spec["data"]
    legends = {t["name"] for t in traces if t.get("showlegend") is not False}
    assert legends == {"plain: wd 0", "regularised: wd 5e-4"}
    dashed = [t for t in traces if t.get("line", {}).get("dash") == "dash"]
    assert len(dashed) == 4  # train curves: 2 runs x (loss, accuracy)
    stars = [t for t in traces if t.get("marker", {}).get("symbol") == "star"]
    assert len(stars) == 4 and {s["x"][0] for s in stars} == {3}  # the lowest val loss epoch
    accuracy = [t for t in traces if t["name"].startswith("regularised") and t.get("xaxis") == "x2"]
    assert max(_decode(accuracy[-1]["y"])) == pytest.approx(72.0)
    table = lab.dataframe[0].value
    assert list(table["Run"]) == ["plain", "regularised"]
    assert list(table["s / epoch"]) == [0.4, 0.4]
    assert "Download CSV (one row per epoch)" in [b.label for b in lab.get("download_button")]


def test_imported_runs_are_listed_in_the_same_run(lab: AppTest) -> None:
    """Issue 9, item 10: "Imported 3 runs" and the list above it agree at once."""
    from cnnviz.lab import export_json

    exported = export_json([fake_run(name, [0.5, 0.6]) for name in ("r1", "r2", "r3")])
    assert "No runs yet" in _texts(lab, "info")
    uploader = next(u for u in lab.get("file_uploader") if u.key == "lab_upload")
    uploader.set_value(("runs.json", exported.encode(), "application/json"))
    lab.run()
    assert not lab.exception, [e.value for e in lab.exception]
    assert "Imported 3 runs." in _texts(lab, "success")
    assert "No runs yet" not in _texts(lab, "info")
    assert lab.multiselect(key="lab_cmp_sel").value == ["r1", "r2", "r3"]
    lab.run()  # the same file is not imported twice
    assert [r.name for r in lab.session_state["runs"]] == ["r1", "r2", "r3"]


def test_rename_delete_and_load_setup(lab: AppTest) -> None:
    lab.session_state["runs"] = [fake_run("a", [0.5, 0.6]), fake_run("b", [0.5, 0.7])]
    lab.run()
    lab.selectbox(key="lab_pick").set_value(0)
    lab.text_input(key="lab_new_name").set_value("b")
    lab.button(key="lab_rename").click().run()
    assert "Another run is already called" in _texts(lab, "error")
    lab.text_input(key="lab_new_name").set_value("first")
    lab.button(key="lab_rename").click().run()
    assert [r.name for r in lab.session_state["runs"]] == ["first", "b"]
    lab.selectbox(key="lab_pick").set_value(1)
    lab.button(key="lab_load").click().run()
    assert "is now in Your experiment" in _texts(lab, "success")
    lab.button(key="lab_delete").click().run()
    assert [r.name for r in lab.session_state["runs"]] == ["first"]
    assert not lab.exception


def test_crafted_out_of_range_controls_are_clamped_not_a_traceback(lab: AppTest) -> None:
    lab.session_state["lab_w_lr"] = 5.0  # beyond any widget limit: sent by a crafted request
    lab.session_state["lab_w_train_size"] = 5000
    lab.run()
    assert not lab.exception
    setup = lab.session_state["lab_setup"]
    assert 1e-5 <= setup.lr <= 0.1 and 10 <= setup.train_size <= 960


def test_experiment_controls_survive_a_page_switch(lab: AppTest) -> None:
    lab.slider(key="lab_w_width").set_value(2.0).run()
    lab.toggle(key="lab_w_batch_norm").set_value(True).run()
    lab.switch_page("pages/home.py").run()
    lab.switch_page("pages/lab/page.py").run()
    assert not lab.exception
    assert lab.slider(key="lab_w_width").value == 2.0
    assert lab.toggle(key="lab_w_batch_norm").value is True
    assert lab.session_state["lab_setup"] == LabSetup(width=2.0, batch_norm=True)


def test_load_setup_puts_a_runs_setup_into_the_controls(lab: AppTest) -> None:
    run = fake_run("wide", [0.5, 0.6])
    run.lab_setup = LabSetup(width=4.0, dropout=0.5).to_dict()
    lab.session_state["runs"] = [run]
    lab.run()
    lab.button(key="lab_load").click().run()
    assert not lab.exception
    assert lab.slider(key="lab_w_width").value == 4.0
    assert lab.slider(key="lab_w_dropout").value == 0.5
    assert lab.session_state["lab_setup"] == LabSetup(width=4.0, dropout=0.5)
    assert "is now in Your experiment" in _texts(lab, "success")
    lab.run()
    assert "is now in Your experiment" not in _texts(lab, "success")  # said once


def test_chinese_verdict_after_a_run() -> None:
    at = _lab("zh")
    try:
        at.button(key="lab_run_underfit").click().run()
        assert at.session_state["lab_single"].job.join(120)
        at.run()
        assert not at.exception
        assert "诊断:欠拟合" in _texts(at, "warning")
    finally:
        _stop_jobs(at)


def test_data_config_of_fake_runs_is_the_lab_one() -> None:
    assert fake_run("x", [0.5]).data_cfg == lab_data_config(100)
    assert isinstance(fake_run("x", [0.5]).data_cfg, DataConfig)


def test_lab_jobs_wait_for_the_one_pool_of_the_server(lab: AppTest) -> None:
    """The lab and the Train page share the server's one pool: at most N jobs on the server."""
    lab.button(key="lab_run_underfit").click().run()
    assert not lab.exception
    job = lab.session_state["lab_single"].job
    assert job.runner is default_runner()  # not a second, page-local pool


def test_ensemble_members_train_in_a_sequence_and_are_averaged(lab: AppTest) -> None:
    tiny = {"train_size": 60, "width": 0.25, "depth": 1, "epochs": 2, "seed": 5}
    for name, value in tiny.items():
        lab.session_state[f"lab_w_{name}"] = value
    lab.run()
    assert lab.session_state["lab_setup"] == LabSetup(**tiny)
    assert "(seeds 5, 6, 7)" in lab.button(key="lab_ens_run").label
    lab.button(key="lab_ens_run").click().run()
    assert not lab.exception
    slot = lab.session_state["lab_multi"]
    assert slot.meta.kind == "ensemble" and slot.job.runner is default_runner()
    assert slot.job.join(120)
    lab.run()
    assert not lab.exception, [e.value for e in lab.exception]
    runs = lab.session_state["runs"]
    assert [r.name for r in runs] == ["Member seed 5", "Member seed 6", "Member seed 7"]
    assert all(r.model_state for r in runs)
    assert lab.multiselect(key="lab_ens_sel").value == [r.name for r in runs]
    after = next(m.value for m in lab.markdown if m.value.startswith("The ensemble reaches"))
    assert "for its best member" in after
    spec = json.loads(lab.get("plotly_chart")[-1].proto.spec)
    assert len(_decode(spec["data"][0]["y"])) == 4  # three members and the ensemble


def test_sweep_and_regularisation_results_are_drawn(lab: AppTest) -> None:
    lab.session_state["lab_sweep"] = [
        SweepPoint(0.125, 500, 0.5, 0.6),
        SweepPoint(0.5, 4000, 0.2, 0.4),
        SweepPoint(1.5, 30000, 0.0, 0.5),
    ]
    near = np.array([0.0] * 30 + [0.5] * 70)
    lab.session_state["lab_reg"] = [
        ("none", np.full(100, 0.5), 0.7),
        ("l2", near, 0.72),
        ("l1", np.zeros(100), 0.71),
    ]
    lab.run()
    assert not lab.exception, [e.value for e in lab.exception]
    markdown = _texts(lab, "markdown")
    assert "Lowest validation error 40% at width x0.5 (4,000 parameters)" in markdown
    assert "With L1, 100% of the weights are within 0.001 of zero" in markdown
    metrics = {m.label: m.value for m in lab.metric}
    assert metrics["L2: weights with |w| < 0.001"] == "30.0%"
    assert metrics["no penalty: weights with |w| < 0.001"] == "0.0%"


def test_the_cure_is_drawn_over_scenario_1_on_shared_axes(lab: AppTest) -> None:
    baseline = dataclasses.replace(
        fake_run("Scenario 1 · Overfitting", [0.5, 0.6, 0.62, 0.6]), scenario="overfit"
    )
    lab.session_state["runs"] = [baseline]
    lab.button(key="lab_run_cure").click().run()
    assert not lab.exception, [e.value for e in lab.exception]
    assert "lab_show_run" not in lab.session_state  # the run panel was scrolled into view once
    assert "Scenario 1 · Overfitting" in _texts(lab, "caption")
    spec = json.loads(lab.get("plotly_chart")[0].proto.spec)
    names = {trace.get("legendgroup") or trace.get("name") for trace in spec["data"]}
    assert any("Scenario 1" in str(n) for n in names) and any("cure" in str(n) for n in names)
    assert spec["layout"].get("showlegend") is not False
