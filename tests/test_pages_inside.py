"""The /inside page under AppTest: without a network it offers to train the default one; with a
trained network every section draws its key output in English and Chinese; an uploaded picture
of the wrong size and colour is converted and said; a layer without maps gives Grad-CAM a clear
message; activation maximisation and the linear probe run in the job pool; stopping the
maximisation keeps what it reached."""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

from cnnviz.data import DataConfig
from cnnviz.inside import MAX_STEPS, MaximiseFrame
from cnnviz.jobs import EventLogJob, ThreadRunner, TrainingJob
from cnnviz.lab import RunRecord
from cnnviz.net import get_preset
from cnnviz.train import TrainConfig, save_checkpoint
from pages.shared.jobs import JobSlot
from tests.inside_nets import shapes

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SECTIONS = ("attribution", "filters", "invariance", "receptive", "probe")


@pytest.fixture(scope="module")
def trained_job() -> TrainingJob:
    """The default network trained for 3 epochs on the shapes data, as the page's quick job."""
    job = TrainingJob(
        get_preset("tiny"),
        shapes(),
        TrainConfig(epochs=3, seed=0),
        runner=ThreadRunner(),
        heartbeat_timeout=None,
    )
    job.start()
    assert job.join(300)
    assert job.model is not None and job.epochs
    return job


def _page(lang: str = "en", job: TrainingJob | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    if job is not None:
        at.session_state["inside_job"] = JobSlot(job, None)
    at.run()
    at.switch_page("pages/inside/page.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest, *kinds: str) -> str:
    return " ".join(
        str(getattr(e, "value", "") or getattr(e, "label", ""))
        for kind in kinds
        for e in at.get(kind)
    )


def _section(at: AppTest, name: str) -> AppTest:
    at.segmented_control(key="inside_section").set_value(name).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def page(trained_job: TrainingJob) -> Iterator[AppTest]:
    at = _page("en", trained_job)
    yield at
    for slot in ("inside_max", "inside_probe", "inside_variant"):
        if slot in at.session_state:
            job = at.session_state[slot].job
            job.stop()
            job.join(60)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_without_a_network_the_page_offers_to_train_the_default_one(lang: str) -> None:
    at = _page(lang)
    button = at.button(key="inside_btn_quick")
    assert not button.disabled
    if lang == "en":
        assert "train the default network here" in _texts(at, "info")
    else:
        assert re.search(r"[\u4e00-\u9fff]{4}", _texts(at, "info"))
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    job = at.session_state["inside_job"].job
    try:
        assert isinstance(job, TrainingJob)
        assert job.net.name == get_preset("tiny").name
        assert at.button(key="inside_btn_quick").disabled  # a second click starts nothing
    finally:
        job.stop()
        job.join(60)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_section_draws_its_output(trained_job: TrainingJob, lang: str) -> None:
    at = _page(lang, trained_job)
    assert len(at.header) == 3 and len(at.metric) == 1
    # Attribution: four maps over the picture, each with its PNG download.
    _section(at, "attribution")
    assert len(at.get("image")) >= 5
    names = [b.proto.label for b in at.get("download_button")]
    assert len(names) == 4
    # What a filter wants to see: the top-9 images with their regions, as one PNG.
    _section(at, "filters")
    assert at.button(key="inside_btn_max") is not None
    assert any(b.key == "inside_png_top" for b in at.get("download_button"))
    # Invariance: the probability-vs-shift curve, the change curve and the maps.
    _section(at, "invariance")
    assert len(at.get("plotly_chart")) >= 3
    # Receptive field: the clickable map, the theoretical and the effective field.
    _section(at, "receptive")
    assert len(at.get("plotly_chart")) >= 1
    assert len(at.get("download_button")) >= 2
    _section(at, "probe")
    assert at.button(key="inside_btn_probe") is not None
    body = _texts(at, "markdown", "caption", "subheader")
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]{6}", body)
        assert "What to notice" not in body


def test_the_sanity_check_adds_the_random_network_row(page: AppTest) -> None:
    _section(page, "attribution")
    before = len(page.get("download_button"))
    page.toggle(key="inside_attr_sanity").set_value(True).run()
    assert not page.exception
    assert len(page.get("download_button")) == before + 4
    captions = " ".join(c for image in page.get("image") for c in image.captions)
    assert captions.count("rank correlation with the trained network") == 4


def test_grad_cam_on_a_layer_without_maps_says_so(page: AppTest) -> None:
    _section(page, "attribution")
    layers = page.selectbox(key="inside_attr_layer").options
    page.selectbox(key="inside_attr_layer").set_value(len(layers) - 1).run()  # the last Linear
    assert not page.exception
    assert "Grad-CAM" in _texts(page, "warning")
    assert len(page.get("download_button")) == 3  # the three other maps are still there


def test_an_upload_of_another_size_and_colour_is_converted_and_said(page: AppTest) -> None:
    page.segmented_control(key="inside_picture_kind").set_value("upload").run()
    buffer = io.BytesIO()
    pixels = np.zeros((64, 48, 3), dtype=np.uint8)
    pixels[16:48, 12:36, 0] = 255  # a red rectangle
    Image.fromarray(pixels).save(buffer, format="PNG")
    page.file_uploader(key="inside_w_picture").set_value(
        ("red.png", buffer.getvalue(), "image/png")
    ).run()
    assert not page.exception, [e.value for e in page.exception]
    info = _texts(page, "info")
    assert "64x48" in info and "28x28" in info
    assert "converted to grey" in info
    assert len(page.metric) == 1


def test_an_upload_that_is_not_a_picture_is_refused(page: AppTest) -> None:
    page.segmented_control(key="inside_picture_kind").set_value("upload").run()
    page.file_uploader(key="inside_w_picture").set_value(
        ("fake.png", b"not a picture", "image/png")
    ).run()
    assert not page.exception
    assert page.error and not page.metric


def test_maximisation_runs_in_the_pool_and_stopping_keeps_the_picture(page: AppTest) -> None:
    _section(page, "filters")
    page.slider(key="inside_max_steps").set_value(MAX_STEPS).run()
    page.button(key="inside_btn_max").click().run()
    assert not page.exception
    job = page.session_state["inside_max"].job
    assert isinstance(job, EventLogJob)
    # hold it mid-way as soon as it runs: on a quiet machine the whole ascent takes about a
    # second, and could end before the Stop the page sends below arrives
    for _ in range(500):
        if job.status == "running" or not job.active:
            break
        job.join(0.02)
    job.pause()
    for _ in range(500):  # the worker is waiting at a checkpoint: nothing more will be done
        if job.blocked or not job.active:
            break
        job.join(0.02)
    page.button(key="inside_btn_max_stop").click().run()
    assert job.join(60)
    frames = job.events(MaximiseFrame)
    assert frames and frames[-1].stopped and frames[-1].step < MAX_STEPS
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    assert any(b.key == "inside_png_max" for b in page.get("download_button"))
    captions = " ".join(c for image in page.get("image") for c in image.captions)
    assert "the picture reached so far is kept" in captions


def test_the_linear_probe_fills_its_table(page: AppTest) -> None:
    _section(page, "probe")
    page.button(key="inside_btn_probe").click().run()
    job = page.session_state["inside_probe"].job
    assert job.join(300)
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    table = page.dataframe[0].value
    assert len(table) == 4
    assert len(page.get("plotly_chart")) == 2  # PCA and t-SNE


def test_a_checkpoint_file_is_a_network_to_look_into(trained_job: TrainingJob) -> None:
    at = _page("en")
    assert at.button(key="inside_btn_quick")  # no network yet
    raw = save_checkpoint(
        trained_job.model,  # type: ignore[arg-type]
        trained_job.net,
        class_names=trained_job.data.class_names,
        mean=trained_job.data.mean,
        std=trained_job.data.std,
        dataset=trained_job.data.name,
    )
    at.file_uploader(key="inside_w_ckpt").set_value(("tiny.zip", raw, "application/zip")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="inside_source").value.startswith("file:inside_loaded:")
    assert "5,958 parameters" in _texts(at, "caption")
    # the same weights: the same answer as the job's model on the same picture
    x = trained_job.data.val_x[0]
    with torch.no_grad():
        expected = torch.softmax(trained_job.model(x[None]), dim=1)[0].max().item()  # type: ignore[misc]
    assert f"{100 * expected:.1f}%" in at.metric[0].proto.delta
    _section(at, "attribution")
    assert len(at.get("download_button")) == 4


def test_a_corrupt_checkpoint_file_is_refused_with_a_message() -> None:
    at = _page("en")
    at.file_uploader(key="inside_w_ckpt").set_value(
        ("bad.zip", b"PK\x03\x04 no", "application/zip")
    )
    at.run()
    assert not at.exception
    assert at.error and at.button(key="inside_btn_quick")


def test_a_lab_run_with_kept_weights_is_a_network_to_look_into(trained_job: TrainingJob) -> None:
    model = trained_job.model
    assert model is not None
    record = RunRecord(
        name="kept run",
        net=trained_job.net,
        data_cfg=DataConfig(),
        cfg=trained_job.cfg,
        epochs=list(trained_job.epochs),
        model_state={k: v.clone() for k, v in model.state_dict().items()},
    )
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "zh"
    at.session_state["runs"] = [record]
    at.run()
    at.switch_page("pages/inside/page.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="inside_source").value.startswith("run:")
    assert len(at.metric) == 1
    _section(at, "receptive")
    assert len(at.get("plotly_chart")) == 1


def test_the_network_without_pooling_is_trained_and_drawn_next_to_the_trained_one(
    page: AppTest,
) -> None:
    _section(page, "invariance")
    page.button(key="inside_btn_variant").click().run()
    assert not page.exception, [e.value for e in page.exception]
    job = page.session_state["inside_variant"].job
    assert isinstance(job, TrainingJob)
    assert not any("MaxPool" in type(spec).__name__ for spec in job.net.layers)
    assert job.join(300)
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    specs = [json.loads(chart.proto.spec) for chart in page.get("plotly_chart")]
    curves = [s for s in specs if s["data"][0].get("mode") == "lines+markers"]
    assert len(curves) == 2  # the probability and the feature change against the shift
    for curve in curves:
        assert len(curve["data"]) == 2  # the trained network and the one without pooling
        shifts = curve["data"][1]["x"]  # plotly sends arrays as typed binary
        values = np.frombuffer(base64.b64decode(shifts["bdata"]), dtype=shifts["dtype"])
        assert values.tolist() == list(range(-8, 9))
