"""The Optimizers, Learning rate and Initialisation pages under AppTest: both languages, bad input
kept out with a message, the inspector and He's formula filled in, and the background jobs: the
schedule runs join the run history, the range test sends its rate to the Train page, the symmetry
runs tell the story."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.concepts import Race
from cnnviz.net import get_preset
from cnnviz.train import LR_CHOICES, SCHEDULES

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SLOTS = ("opt_job", "lrate_schedules", "lrate_range", "lrate_batch", "init_job")


def _page(path: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest, *kinds: str) -> str:
    return " ".join(str(getattr(e, "value", "")) for kind in kinds for e in at.get(kind))


def _stop_jobs(at: AppTest) -> None:
    for slot in SLOTS:
        if slot in at.session_state:
            job = at.session_state[slot].job
            job.stop()
            job.join(60)


@pytest.fixture
def stopper() -> Iterator[list[AppTest]]:
    apps: list[AppTest] = []
    yield apps
    for at in apps:
        _stop_jobs(at)


# ------------------------------------------------------------------------------------ optimizers


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_optimizers_page_draws_the_race_and_the_inspector(lang: str) -> None:
    at = _page("pages/optimizers/page.py", lang)
    assert at.title[0].value == (
        "Optimizers on loss surfaces" if lang == "en" else "损失曲面上的优化器"
    )
    charts = at.get("plotly_chart")
    assert len(charts) >= 3  # race, step picture, step size
    race = json.loads(charts[0].proto.spec)
    assert race["frames"] and race["layout"]["sliders"]  # plays in the browser
    assert any(t.get("customdata") is not None for t in race["data"])  # the click layer
    assert at.latex and r"\theta_t" in at.latex[-1].value
    ended = _texts(at, "markdown")
    assert ("after 150 steps" if lang == "en" else "150 步后") in ended


def test_bad_learning_rates_and_start_points_keep_the_last_race() -> None:
    at = _page("pages/optimizers/page.py")
    good = at.session_state["opt_last_race"]
    assert isinstance(good, Race)
    for text, words in (
        ("0", "would never move"),
        ("-1", "is negative"),
        ("1e6", "is above 100"),
        ("nan", "not a number"),
        ("quick", "is not a learning rate"),
    ):
        at.text_input(key="opt_w_lr_sgd").set_value(text).run()
        assert not at.exception
        assert words in _texts(at, "error"), text
        assert "last race whose settings were valid" in _texts(at, "info")
        assert at.session_state["opt_last_race"] == good
        assert at.get("plotly_chart")  # the chart is still there
    at.text_input(key="opt_w_lr_sgd").set_value("0.3").run()
    assert not at.error
    at.number_input(key="opt_w_x0").set_value(7.5).run()
    assert "off the plotted range" in _texts(at, "error")


def test_a_racer_that_diverges_says_where_it_stopped() -> None:
    at = _page("pages/optimizers/page.py")
    at.text_input(key="opt_w_lr_sgd").set_value("5").run()
    warning = _texts(at, "warning")
    assert "SGD (lr 5) diverged" in warning and "stops there" in warning


def test_inspector_steps_and_conventions() -> None:
    at = _page("pages/optimizers/page.py")
    at.selectbox(key="opt_w_inspect").set_value("momentum").run()
    at.slider(key="opt_w_inspect_step").set_value(5).run()
    assert not at.exception
    latex = " ".join(e.value for e in at.latex)
    assert r"b_t &= \mu\, b_{t-1} + (1-\tau)\, g_t" in latex
    assert "momentum_buffer" in _texts(at, "caption")
    assert "Sutskever" in _texts(at, "markdown")
    assert "formula above gives" in _texts(at, "success")


def test_step_size_section_fills_in_the_threshold() -> None:
    at = _page("pages/optimizers/page.py")
    at.select_slider(key="opt_w_ss_curvature").set_value(4.0).run()
    at.slider(key="opt_w_ss_lr").set_value(0.6).run()
    text = _texts(at, "markdown")
    assert "2/λ_max = **0.5**" in text and "lr = 0.6 is above" in text
    assert "Diverged" in _texts(at, "error")
    at.slider(key="opt_w_ss_lr").set_value(0.45).run()
    assert "Converged" in _texts(at, "success")


def test_two_optimizers_train_on_the_shapes(stopper: list[AppTest]) -> None:
    at = _page("pages/optimizers/page.py")
    stopper.append(at)
    at.slider(key="opt_w_train_epochs").set_value(2).run()
    at.button(key="opt_train_start").click().run()
    assert not at.exception
    slot = at.session_state["opt_job"]
    assert slot.job.join(240)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    names = [r.name for r in at.session_state["runs"]]
    assert names == ["SGD, lr 0.03", "Adam, lr 0.003"]
    assert "start from exactly the same weights" in _texts(at, "markdown")


# ---------------------------------------------------------------------------------- learning rate


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_learning_rate_page_draws_every_schedule(lang: str) -> None:
    at = _page("pages/learning_rate/page.py", lang)
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert len(chart["data"]) == len(SCHEDULES)
    assert at.title[0].value == (
        "Learning rate and batch size" if lang == "en" else "学习率与批大小"
    )


def test_schedule_runs_join_the_run_history(stopper: list[AppTest]) -> None:
    at = _page("pages/learning_rate/page.py")
    stopper.append(at)
    at.slider(key="lrate_w_epochs").set_value(2).run()
    at.button(key="lrate_sched_start").click().run()
    assert not at.exception
    assert at.session_state["lrate_schedules"].job.join(600)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    runs = at.session_state["runs"]
    assert [r.cfg.schedule for r in runs] == list(SCHEDULES)
    assert all(len(r.epochs) == 2 and r.data_cfg is not None for r in runs)
    assert runs[0].name.startswith("Schedule: fixed")
    assert "Compare runs" in _texts(at, "markdown")


def test_range_test_sends_its_rate_to_the_train_page(stopper: list[AppTest]) -> None:
    at = _page("pages/learning_rate/page.py")
    stopper.append(at)
    at.button(key="lrate_range_start").click().run()
    assert at.session_state["lrate_range"].job.join(240)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Suggested range" in _texts(at, "markdown")
    at.button(key="lrate_range_use").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["train_w_lr"] in LR_CHOICES
    assert at.session_state["train_w_optimizer"] == "momentum"
    assert at.session_state["train_w_batch"] == 16
    assert at.title[0].value == "Train live"
    assert "Learning rate set to" in _texts(at, "info")


# ---------------------------------------------------------------------------------- initialisation


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_init_page_probes_the_stack(lang: str) -> None:
    at = _page("pages/init/page.py", lang)
    assert len(at.get("plotly_chart")) == 3
    at.radio(key="init_w_scheme").set_value("zeros").run()
    assert ("**Dead.**" if lang == "en" else "**完全静止。**") in _texts(at, "markdown")
    at.radio(key="init_w_activation").set_value("relu").run()
    at.radio(key="init_w_scheme").set_value("he").run()
    assert ("**Healthy.**" if lang == "en" else "**正常。**") in _texts(at, "markdown")


def test_he_formula_uses_the_build_pages_network() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["net"] = get_preset("alexnet2012")
    at.run()
    at.switch_page("pages/init/page.py")
    at.run()
    assert not at.exception
    text = _texts(at, "markdown")
    assert "n = C_in × k_h × k_w = 3 × 11 × 11 = 363" in text
    assert "2 / 363 = **0.00551**" in text
    at.selectbox(key="init_w_layer").set_value(1).run()
    # AlexNet's second conv is split in two groups (two GPUs): each filter sees 48 channels
    assert "n = (C_in / groups) × k_h × k_w = (96 / 2) × 5 × 5 = 1200" in _texts(at, "markdown")
    assert at.dataframe


def test_symmetry_runs_tell_the_story(stopper: list[AppTest]) -> None:
    at = _page("pages/init/page.py")
    stopper.append(at)
    at.button(key="init_sym_start").click().run()
    assert at.session_state["init_job"].job.join(600)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = _texts(at, "markdown")
    assert "every other weight and bias is still exactly 0" in text
    assert "are still identical" in text
    assert "learned different features" in text
