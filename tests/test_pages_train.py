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
from cnnviz.lab import RunRecord
from cnnviz.net import get_preset
from cnnviz.train import TrainConfig
from pages.shared.jobs import JobSlot

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _open(lang: str = "en", **state: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page("pages/train/page.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def _job(at: AppTest) -> TrainingJob:
    """The job in the Train page's session slot."""
    slot = at.session_state["train_job"]
    assert isinstance(slot, JobSlot)
    return slot.job


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
    assert [b.label for b in at.button if str(b.key).startswith("train_btn_")][:4] == [
        "Start",
        "Stop",
        "Pause",
        "Resume",
    ]
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
    job = _job(at)
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
    assert isinstance(run, RunRecord)  # the typed record the lab reads, no lab-only fields
    assert run.lab_setup is None and run.scenario is None
    assert isinstance(run.data_cfg, DataConfig)
    assert run.data_cfg == DataConfig(name="shapes", image_size=28, num_samples=3000)
    assert len(run.epochs) == 2 and run.finished is not None
    assert run.finished.reason == "completed"
    assert run.model_state is not None and run.cfg.epochs == 2
    at.run()
    assert len(at.session_state["runs"]) == 1  # recorded once
    assert any(b.key == "train_ckpt_download" for b in at.get("download_button"))


def test_every_recorded_run_carries_the_data_config_it_trained_on() -> None:
    at = _open()
    at.slider(key="train_w_epochs").set_value(1).run()
    _button(at, "train_btn_start").click().run()
    _wait(_job(at))
    at.run()
    # change the data, train again: each run keeps its own DataConfig
    at.slider(key="train_w_samples").set_value(1000).run()
    at.slider(key="train_w_label_noise").set_value(0.2).run()
    at.number_input(key="train_w_train_size").set_value(300).run()
    _button(at, "train_btn_start").click().run()
    _wait(_job(at))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    runs = at.session_state["runs"]
    assert len(runs) == 2
    assert all(isinstance(run.data_cfg, DataConfig) for run in runs)
    assert runs[0].data_cfg == DataConfig(num_samples=3000)
    assert runs[1].data_cfg == DataConfig(num_samples=1000, label_noise=0.2, train_size=300)
    assert runs[0].name.startswith("Run 1:") and runs[1].name.startswith("Run 2:")
    assert runs[0].model_state is None  # "keep weights" was off


def test_a_job_this_page_did_not_start_is_shown_but_never_recorded_without_data() -> None:
    """A job in the slot without the Train page's meta (none, or a foreign one such as the old
    page's dict): the results render, and no run with an unknown dataset reaches the history."""
    data = load_dataset(DataConfig(num_samples=300))
    job = TrainingJob(get_preset("tiny"), data, TrainConfig(epochs=1), heartbeat_timeout=None)
    job.start()
    _wait(job)
    foreign = {"data_cfg": DataConfig(), "keep_weights": False, "number": 1, "recorded": False}
    for meta in (None, foreign):
        at = _open(train_job=JobSlot(job, meta))
        assert any(h.value == "4. What did it learn?" for h in at.header)
        assert "Confusion matrix (validation set)" in _chart_titles(at)
        runs = at.session_state.get("runs", [])
        assert runs == []


def test_pause_resume_and_stop_buttons_drive_the_job() -> None:
    at = _open()
    at.slider(key="train_w_epochs").set_value(30).run()
    at.select_slider(key="train_w_batch").set_value(8).run()
    _button(at, "train_btn_start").click().run()
    job = _job(at)
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


def test_settings_survive_a_page_switch_and_hidden_ones_still_count() -> None:
    at = _open()
    at.selectbox(key="train_w_optimizer").set_value("momentum").run()
    at.slider(key="train_w_momentum").set_value(0.5).run()
    at.slider(key="train_w_epochs").set_value(3).run()
    at.selectbox(key="train_w_optimizer").set_value("adam").run()  # momentum hidden
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/train/page.py").run()
    assert not at.exception
    assert at.slider(key="train_w_epochs").value == 3
    assert at.selectbox(key="train_w_optimizer").value == "adam"
    at.selectbox(key="train_w_optimizer").set_value("momentum").run()
    assert at.slider(key="train_w_momentum").value == 0.5
    _button(at, "train_btn_start").click().run()
    job = _job(at)
    try:
        assert job.cfg.momentum == 0.5 and job.cfg.epochs == 3  # the slider's value trains
    finally:
        job.stop()
        _wait(job, 30)


def test_a_network_refused_at_start_is_explained_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from cnnviz.net import Problem, SpecError

    problem = Problem.make("not_int", 0, "out_channels", value="x")

    def refuse(*args: object, **kwargs: object) -> None:
        raise SpecError([problem])

    monkeypatch.setattr(TrainingJob, "__init__", refuse)  # the job refuses the network
    at = _open()
    _button(at, "train_btn_start").click().run()
    assert not at.exception
    assert problem.text("en") in [e.value for e in at.error]
    assert "train_job" not in at.session_state and not _button(at, "train_btn_start").disabled
    at.run()
    assert problem.text("en") not in [e.value for e in at.error]


def test_learning_rate_100_explains_the_divergence() -> None:
    at = _open()
    at.select_slider(key="train_w_lr").set_value(100.0).run()
    at.selectbox(key="train_w_optimizer").set_value("sgd").run()
    _button(at, "train_btn_start").click().run()
    job = _job(at)
    _wait(job, 60)
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Training diverged" in errors and "Lower the learning rate" in errors


def test_a_network_that_does_not_fit_the_caps_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import cnnviz.train.fitting as training

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


def test_missing_real_dataset_offline_shows_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a shared server the data folder is the server's: no box, and no server path shown."""
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CNNVIZ_SINGLE_USER", raising=False)
    at = _open()
    at.selectbox(key="train_w_dataset").set_value("cifar10").run()
    assert not at.exception
    assert all(t.key != "train_w_folder" for t in at.text_input)
    assert "set by whoever runs it, with CNNVIZ_DATA_DIR" in " ".join(c.value for c in at.caption)
    errors = " ".join(e.value for e in at.error)
    assert "$CNNVIZ_DATA_DIR/cifar-10-batches-py" in errors, "a missing dataset is explained"
    assert str(tmp_path) not in errors and str(tmp_path.resolve()) not in errors
    assert _button(at, "train_btn_start").disabled


def test_single_user_mode_lets_the_page_choose_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNVIZ_SINGLE_USER", "1")
    at = _open()
    at.selectbox(key="train_w_dataset").set_value("cifar10").run()
    at.text_input(key="train_w_folder").set_value(str(tmp_path)).run()
    assert not at.exception
    assert str(tmp_path.resolve() / "cifar-10-batches-py") in " ".join(e.value for e in at.error)


def test_corrupt_checkpoint_upload_is_rejected_with_a_message() -> None:
    from cnnviz.train import CheckpointError, load_checkpoint

    with pytest.raises(CheckpointError) as err:
        load_checkpoint(b"PK\x03\x04 definitely not a zip")
    assert err.value.text("zh") != err.value.text("en")


def test_try_it_yourself_with_an_uploaded_picture_after_training() -> None:
    at = _open()
    at.slider(key="train_w_epochs").set_value(1).run()
    _button(at, "train_btn_start").click().run()
    _wait(_job(at))
    at.run()
    assert not at.exception
    # AppTest cannot upload files: check the page's helper path through the same functions
    from cnnviz.data import decode_image
    from cnnviz.train import image_to_input, predict_with_activations

    buffer = io.BytesIO()
    Image.new("L", (50, 50), color=0).save(buffer, format="PNG")
    job = _job(at)
    x = image_to_input(decode_image(buffer.getvalue()), (1, 28, 28), job.data.mean, job.data.std)
    prediction = predict_with_activations(job.model, x)
    assert prediction.probabilities.shape == (6,)
    assert any(h.value == "Try it yourself" for h in at.header)


def test_chinese_page_renders_in_chinese() -> None:
    at = _open("zh")
    assert at.title[0].value == "实时训练"
    assert [b.label for b in at.button if str(b.key).startswith("train_btn_")][:4] == [
        "开始",
        "停止",
        "暂停",
        "继续",
    ]
    at.slider(key="train_w_epochs").set_value(1).run()
    _button(at, "train_btn_start").click().run()
    _wait(_job(at))
    at.run()
    assert not at.exception
    titles = _chart_titles(at)
    assert "每批的损失" in titles and "混淆矩阵(验证集)" in titles
    assert any("训练完成" in s.value for s in at.success)


FASHION = Path("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")


@pytest.mark.skipif(not FASHION.is_file(), reason="Debian's dataset-fashion-mnist is missing")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_test_accuracy_next_to_the_best_validation_accuracy(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9, item 22: Fashion-MNIST trains and validates on its training split; the page
    says how many of its 60,000 images the run used, then shows the test accuracy measured once
    on the 10,000 official test images next to the best validation accuracy, and why once."""
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(tmp_path))  # the Debian package's folder is used
    at = _open(lang)
    at.selectbox(key="train_w_dataset").set_value("fashion-mnist").run()
    at.select_slider(key="train_w_max_samples").set_value(2000).run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert ("2,000 of the 60,000" if lang == "en" else "60,000 张图像中的 2,000 张") in captions
    at.slider(key="train_w_epochs").set_value(1).run()
    _button(at, "train_btn_start").click().run()
    _wait(_job(at), 180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    evaluated = _job(at).evaluated
    assert evaluated is not None and evaluated.split == "test" and evaluated.images == 10000
    metrics = {m.label: m.value for m in at.metric}
    best = "Best validation accuracy" if lang == "en" else "最佳验证准确率"
    test = "Test accuracy (measured once)" if lang == "en" else "测试准确率(只测一次)"
    assert metrics[test] == f"{100 * evaluated.accuracy:.1f}%" and metrics[best].endswith("%")
    captions = " ".join(c.value for c in at.caption)
    assert ("touched only once" if lang == "en" else "测试集只用一次") in captions
    assert "10,000" in captions


def test_shapes_say_they_have_no_test_split_and_ten_crop_shows_its_gain() -> None:
    at = _open()
    assert any("no official test split" in c.value for c in at.caption)
    _button(at, "train_aug_recipe").click().run()  # AlexNet's recipe sets every widget
    assert not at.exception
    state = at.session_state
    assert state["train_w_aug_on"] and state["train_w_aug_flip"] and state["train_w_aug_tencrop"]
    assert (state["train_w_aug_crop"], state["train_w_aug_pca"]) == (2, 0.1)
    assert state["train_w_aug_shift"] == 0 and state["train_w_aug_rotation"] == 0
    assert "train_aug_preview" in [c.key for c in at.get("plotly_chart")]  # the preview grid
    at.slider(key="train_w_epochs").set_value(1).run()
    _button(at, "train_btn_start").click().run()
    job = _job(at)
    assert job.cfg.augment.ten_crop_padding == 2 and job.cfg.augment.pca_colour == 0.1
    _wait(job)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m for m in at.metric}
    assert "Validation, ten crops" in metrics and "Validation, one view" in metrics
    assert metrics["Validation, ten crops"].delta.endswith("points")
    at.slider(key="train_w_aug_crop").set_value(0).run()  # ten crops need random crops
    assert next(c for c in at.checkbox if c.key == "train_w_aug_tencrop").disabled
    assert not at.exception
