"""The pruning lab under AppTest, in English and Chinese: a kept run as the source, one pruning
with its metrics and figures, the structured rebuild sent to the Build page, the sweep in the
background (and a second press while it runs), distillation's soft targets, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.compress import DistillEpoch
from cnnviz.data import DataConfig, load_dataset
from cnnviz.i18n import CATALOG
from cnnviz.lab import RunRecord
from cnnviz.net import PRESETS, NetSpec
from cnnviz.train import TrainConfig, cpu_state_dict, fit, fit_to_data

APP = str(Path(__file__).resolve().parents[1] / "app.py")
DATA = DataConfig(num_samples=600)
ENGLISH_ONLY = {
    entry["en"]
    for entry in CATALOG.values()
    if entry["en"] != entry["zh"] and len(re.findall(r"[A-Za-z]{3,}", entry["en"])) >= 3
}


@pytest.fixture(scope="module")
def record() -> RunRecord:
    fitting = fit_to_data(PRESETS["tiny"], load_dataset(DATA))
    cfg = TrainConfig(epochs=2, seed=0, num_threads=1)
    result = fit(fitting.net, fitting.data, cfg)
    return RunRecord(
        name="tiny run",
        net=fitting.net,
        data_cfg=DATA,
        cfg=cfg,
        epochs=result.epochs,
        finished=result.finished,
        model_state=cpu_state_dict(result.model),
    )


def _page(record: RunRecord, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state["runs"] = [record]
    at.run()
    at.switch_page("pages/prune/page.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "header", "subheader")
    parts = [str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind)]
    parts += [str(m.label) + " " + str(m.value) for m in at.metric]
    return " ".join(parts)


def _stop(at: AppTest) -> None:
    for key in ("prune_sweep", "prune_penalty", "prune_distill", "prune_base"):
        if key in at.session_state:
            job = at.session_state[key].job
            job.stop()
            job.join(60)


def test_page_without_a_source_offers_to_train_one() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/prune/page.py")
    at.run()
    assert not at.exception
    assert "No trained network in this session yet" in _text(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_pruning_shows_its_numbers_and_figures(record: RunRecord, lang: str) -> None:
    at = _page(record, lang)
    labels = [m.label for m in at.metric]
    assert CATALOG["prune.metric.sparsity"][lang] in labels
    sparsity = next(m.value for m in at.metric if m.label == labels[0])
    assert sparsity == "50.0%"  # global, 50%: measured equals requested
    assert len(at.get("plotly_chart")) >= 4  # layers, histogram, filters, soft targets
    assert CATALOG["prune.buys.dense_kernel"][lang] in _text(at)
    if lang == "zh":
        texts = [
            str(getattr(e, "value", ""))
            for kind in ("markdown", "caption", "info")
            for e in at.get(kind)
        ]
        assert not sorted(t for t in texts if t in ENGLISH_ONLY)


def test_structured_rebuild_goes_to_the_build_page(record: RunRecord) -> None:
    at = _page(record)
    at.radio(key="prune_w_method").set_value("structured").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "parameters; channels per convolution/hidden layer now 4, 8" in _text(at)
    at.button(key="prune_b_build").click().run()
    net = at.session_state["net"]
    assert isinstance(net, NetSpec)
    assert [getattr(layer, "out_channels", None) for layer in net.layers][:4:3] == [4, 8]
    assert "The Build page now shows this network." in _text(at)
    at.button(key="prune_b_time").click().run()
    assert "faster" in _text(at)


def test_sweep_runs_in_the_background_and_a_second_press_is_refused(record: RunRecord) -> None:
    at = _page(record)
    at.slider(key="prune_w_ft_epochs").set_value(1).run()
    at.button(key="prune_b_sweep").click().run()
    assert not at.exception, [e.value for e in at.exception]
    job = at.session_state["prune_sweep"].job
    at.button(key="prune_b_sweep").click().run()
    assert job.active  # dozens of fine-tunes: still running a moment later
    assert "still running" in _text(at)
    assert at.session_state["prune_sweep"].job is job  # no second sweep started
    assert job.join(300) and job.status == "finished", job.error_key
    at.run()
    assert not at.exception
    text = _text(at)
    assert "Smallest sparsity where each method loses more than 1 point" in text
    _stop(at)


def test_distillation_runs_in_the_background_and_offers_the_student(record: RunRecord) -> None:
    at = _page(record)
    assert "The teacher's soft targets for one validation image" in _text(at)
    at.slider(key="prune_w_d_epochs").set_value(1).run()
    at.button(key="prune_b_distill").click().run()
    assert not at.exception, [e.value for e in at.exception]
    job = at.session_state["prune_distill"].job
    assert job.join(300) and job.status == "finished", job.error_key
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.run for e in job.events(DistillEpoch)] == ["alone", "distilled"]
    at.button(key="prune_b_student_build").click().run()
    student = at.session_state["net"]
    assert [getattr(layer, "out_channels", None) for layer in student.layers][:4:3] == [4, 8]
