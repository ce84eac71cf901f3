"""The Train page under AppTest: settings, a short run through the job, results, errors, Chinese."""

from __future__ import annotations

import base64
import io
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from cnnviz.data import DataConfig, load_dataset
from cnnviz.jobs import TrainingJob
from cnnviz.presets import get_preset
from cnnviz.training import TrainConfig

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _open(lang: str = "en", **state: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page("pages/train.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def _wait(job: TrainingJob, timeout: float = 90) -> None:
    assert job.join(timeout), "the training job did not finish"


def _chart_titles(at: AppTest) -> list[str]:
    import json

    titles = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec.get("layout", {}).get("title", {})
        titles.append(title.get("text", "") if isinstance(title, dict) else str(title))
    return titles


def _decode(array: dict | list) -> np.ndarray:
    if isinstance(array, dict) and "bdata" in array:
        raw = base64.b64decode(array["bdata"])
        return np.frombuffer(raw, dtype=np.dtype(array["dtype"]))
    return np.asarray(array)


def test_page_renders_settings_and_lr_curve() -> None:
    at = _open()
    assert [b.label for b in at.button][:4] == ["Start", "Pause", "Resume", "Stop"]
    assert not _button(at, "train_btn_start").disabled
    assert _button(at, "train_btn_pause").disabled and _button(at, "train_btn_stop").disabled
    assert any("2400 training and 600 validation images" in c.value for c in at.caption)
    at.selectbox(key="train_w_schedule").set_value("cosine").run()
    assert not at.exception
    assert "Learning rate during training (the schedule)" in _chart_titles(at)


def test_a_short_run_shows_metrics_curves_maps_and_results() -> None:
    at = _open()
    at.slider(key="train_w_epochs").set_value(2).run()
    at.checkbox(key="train_w_keep").check().run()
    _button(at, "train_btn_start").click().run()
    assert not at.exception
    job = at.session_state["train_job"]
    assert isinstance(job, TrainingJob)
    assert _button(at, "train_btn_start").disabled  # no second Start while it runs
    _wait(job)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Epoch"] == "2/2"
    assert metrics["Validation accuracy"].endswith("%")
    titles = _chart_titles(at)
    for expected in (
        "Loss per batch",
        "Loss per epoch: train vs validation",
        "Accuracy per epoch: train vs validation",
        "Gradient norm per layer (log scale)",
        "Confusion matrix (validation set)",
        "Accuracy per class (validation set)",
    ):
        assert expected in titles, (expected, titles)
    assert any(t.startswith("1 Conv2d 8@3x3: 8 feature maps of 28x28") for t in titles)
    assert any(t.startswith("First layer's filters: 8 kernels") for t in titles)
    assert any("Training finished in" in s.value for s in at.success)
    # the run is in the shared history, with its weights kept
    runs = at.session_state["runs"]
    assert len(runs) == 1
    run = runs[0]
    assert set(run) == {
        "name",
        "net",
        "data_cfg",
        "cfg",
        "epochs",
        "finished",
        "created",
        "model_state",
    }
    assert isinstance(run["data_cfg"], DataConfig)
    assert run["data_cfg"] == DataConfig(name="shapes", image_size=28, num_samples=3000)
    assert len(run["epochs"]) == 2 and run["finished"].reason == "completed"
    assert run["model_state"] is not None and run["cfg"].epochs == 2
    at.run()
    assert len(at.session_state["runs"]) == 1  # recorded once
    assert any(b.key == "train_ckpt_download" for b in at.get("download_button"))


def test_every_recorded_run_carries_the_data_config_it_trained_on() -> None:
    at = _open()
    at.slider(key="train_w_epochs").set_value(1).run()
    _button(at, "train_btn_start").click().run()
    _wait(at.session_state["train_job"])
    at.run()
    # change the data, train again: each run keeps its own DataConfig
    at.slider(key="train_w_samples").set_value(1000).run()
    at.slider(key="train_w_label_noise").set_value(0.2).run()
    at.number_input(key="train_w_train_size").set_value(300).run()
    _button(at, "train_btn_start").click().run()
    _wait(at.session_state["train_job"])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    runs = at.session_state["runs"]
    assert len(runs) == 2
    assert all(isinstance(run["data_cfg"], DataConfig) for run in runs)
    assert runs[0]["data_cfg"] == DataConfig(num_samples=3000)
    assert runs[1]["data_cfg"] == DataConfig(num_samples=1000, label_noise=0.2, train_size=300)
    assert runs[0]["name"].startswith("Run 1:") and runs[1]["name"].startswith("Run 2:")
    assert runs[0]["model_state"] is None  # "keep weights" was off


def test_a_job_this_page_did_not_start_is_shown_but_never_recorded_without_data() -> None:
    """No "train_job_meta" for the job (or a stale one from another job): the results render,
    and no run with an unknown dataset (data_cfg None) reaches the history."""
    data = load_dataset(DataConfig(num_samples=300))
    job = TrainingJob(get_preset("tiny"), data, TrainConfig(epochs=1), heartbeat_timeout=None)
    job.start()
    _wait(job)
    stale = {"data_cfg": DataConfig(), "keep_weights": False, "number": 1, "recorded": False}
    for meta in (None, stale):
        state: dict[str, object] = {"train_job": job}
        if meta is not None:
            state["train_job_meta"] = dict(meta)
        at = _open(**state)
        assert any(h.value == "4. What did it learn?" for h in at.header)
        assert "Confusion matrix (validation set)" in _chart_titles(at)
        runs = at.session_state.get("runs", [])
        assert runs == []


def test_pause_resume_and_stop_buttons_drive_the_job() -> None:
    at = _open()
    at.slider(key="train_w_epochs").set_value(30).run()
    at.select_slider(key="train_w_batch").set_value(8).run()
    _button(at, "train_btn_start").click().run()
    job = at.session_state["train_job"]
    deadline = time.monotonic() + 30
    while job.snapshot().step < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    at.run()
    assert not _button(at, "train_btn_pause").disabled
    _button(at, "train_btn_pause").click().run()
    assert job.status == "paused"
    assert not _button(at, "train_btn_resume").disabled
    # the batch in flight finishes first ("pausing after this batch"), then the worker blocks
    deadline = time.monotonic() + 30
    while job.snapshot().status != "paused" and time.monotonic() < deadline:
        time.sleep(0.05)
    at.run()
    assert any("Paused" in w.value for w in at.warning)
    _button(at, "train_btn_resume").click().run()
    assert job.status in ("running", "finished")
    _button(at, "train_btn_stop").click().run()
    _wait(job, 30)
    at.run()
    assert not at.exception
    assert job.finished is not None and job.finished.reason == "stopped"
    assert any("Stopped after" in s.value for s in at.success)
    assert not _button(at, "train_btn_start").disabled  # Start is available again


def test_learning_rate_100_explains_the_divergence() -> None:
    at = _open()
    at.select_slider(key="train_w_lr").set_value(100.0).run()
    at.selectbox(key="train_w_optimizer").set_value("sgd").run()
    _button(at, "train_btn_start").click().run()
    job = at.session_state["train_job"]
    _wait(job, 60)
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Training diverged" in errors and "Lower the learning rate" in errors


def test_a_network_that_does_not_fit_the_caps_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import cnnviz.training as training

    monkeypatch.setattr(training, "MAX_ACTIVATION_BYTES", 1000)
    at = _open()
    assert any("batch" in e.value for e in at.error)
    assert _button(at, "train_btn_start").disabled


def test_preset_is_fitted_to_the_data_and_explained() -> None:
    at = _open()
    at.selectbox(key="train_w_network").set_value("lenet5").run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "resized" in infos and "6 scores" in infos
    assert not _button(at, "train_btn_start").disabled


def test_missing_real_dataset_offline_shows_a_message(tmp_path: Path) -> None:
    at = _open()
    at.selectbox(key="train_w_dataset").set_value("cifar10").run()
    at.text_input(key="train_w_folder").set_value(str(tmp_path)).run()
    assert not at.exception
    assert at.error, "a missing dataset must be explained"
    assert _button(at, "train_btn_start").disabled


def test_corrupt_checkpoint_upload_is_rejected_with_a_message() -> None:
    from cnnviz.checkpoint import CheckpointError, load_checkpoint

    with pytest.raises(CheckpointError) as err:
        load_checkpoint(b"PK\x03\x04 definitely not a zip")
    assert err.value.text("zh") != err.value.text("en")


def test_try_it_yourself_with_an_uploaded_picture_after_training() -> None:
    at = _open()
    at.slider(key="train_w_epochs").set_value(1).run()
    _button(at, "train_btn_start").click().run()
    _wait(at.session_state["train_job"])
    at.run()
    assert not at.exception
    # AppTest cannot upload files: check the page's helper path through the same functions
    from cnnviz.evaluation import decode_image, image_to_input, predict_with_activations

    buffer = io.BytesIO()
    Image.new("L", (50, 50), color=0).save(buffer, format="PNG")
    job = at.session_state["train_job"]
    x = image_to_input(decode_image(buffer.getvalue()), (1, 28, 28), job.data.mean, job.data.std)
    prediction = predict_with_activations(job.model, x)
    assert prediction.probabilities.shape == (6,)
    assert any(h.value == "Try it yourself" for h in at.header)


def test_chinese_page_renders_in_chinese() -> None:
    at = _open("zh")
    assert at.title[0].value == "实时训练"
    assert [b.label for b in at.button][:4] == ["开始", "暂停", "继续", "停止"]
    at.slider(key="train_w_epochs").set_value(1).run()
    _button(at, "train_btn_start").click().run()
    _wait(at.session_state["train_job"])
    at.run()
    assert not at.exception
    titles = _chart_titles(at)
    assert "每批的损失" in titles and "混淆矩阵(验证集)" in titles
    assert any("训练完成" in s.value for s in at.success)
