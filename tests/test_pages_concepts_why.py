"""The /activations, /losses and /regularize explorers under AppTest: their key outputs in English
and Chinese, bad input answered by a message with the last good state kept, the background runs
started from the page (thread runner) and drawn when they end."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _page(page: str, lang: str = "en", **state: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown] + [m.value for m in at.latex] + [c.value for c in at.caption]
    )
    return "\n".join(str(p) for p in parts)


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_activations_page_shows_the_bound_and_the_ratio(lang: str) -> None:
    at = _page("pages/activations/page.py", lang)
    text = _text(at)
    assert "0.25^{19}" in text  # sigmoid, depth 20: n = 19
    assert len(at.get("plotly_chart")) >= 4
    assert ("梯度" in text) if lang == "zh" else ("first layer's gradient" in text)


def test_depth_out_of_range_keeps_the_last_profile() -> None:
    at = _page("pages/activations/page.py")
    before = [m.value for m in at.markdown if "Measured with" in m.value]
    at.session_state["act_depth"] = 10_000
    at.run()
    assert not at.exception
    assert any("10000" in e and "2 to 50" in e for e in _errors(at))
    assert [m.value for m in at.markdown if "Measured with" in m.value] == before
    at.session_state["act_depth"] = 0
    at.run()
    assert any("choose 2 to 50" in e for e in _errors(at))


def test_residual_relu_at_depth_50() -> None:
    at = _page("pages/activations/page.py", act_depth=50, act_fn="relu", act_residual=True)
    assert "0.25^{49}" not in _text(at)  # the bound is for sigmoid only
    assert any("Measured with 50 layers" in m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_losses_page_opens_on_the_articles_cross_entropy(lang: str) -> None:
    at = _page("pages/losses/page.py", lang)
    latex = " ".join(m.value for m in at.latex)
    assert r"-\ln q_{4} = -\ln 0.0875 = 2.436" in latex
    assert len(at.dataframe) >= 2  # both catalogue tables
    # softmax, loss curves, Dice/SSIM images, metric: the sigmoid neurons' two charts come after
    # their background run (test_sigmoid_neurons_train_in_the_background)
    assert len(at.get("plotly_chart")) >= 4


def test_the_worked_example_logits_are_one_click_away() -> None:
    at = _page("pages/losses/page.py")
    at.button(key="loss_load_walk").click().run()
    assert not at.exception
    assert at.text_input(key="loss_text").value.startswith("7.061136")
    assert at.radio(key="loss_mode").value == "logits"
    assert "T = 1" in " ".join(m.value for m in at.latex)


@pytest.mark.parametrize(
    ("text", "target", "needle"),
    [
        ("1e4, 0, 1", 0, "within ±100"),
        ("nan, 1", 0, "NaN"),
        ("", 0, "at least one number"),
        ("1, 2, 3", 7, "numbered 0 to 2"),
        ("2, 1, 0.5, x", 0, "is not a number"),
    ],
)
def test_bad_logits_show_a_message_and_keep_the_last_state(
    text: str, target: int, needle: str
) -> None:
    at = _page("pages/losses/page.py")
    at.radio(key="loss_mode").set_value("logits").run()
    at.text_input(key="loss_text").set_value("2, 1, 0.5").run()
    at.number_input(key="loss_target").set_value(0).run()
    good = [m.value for m in at.latex]
    at.number_input(key="loss_target").set_value(target).run()
    at.text_input(key="loss_text").set_value(text).run()
    assert not at.exception
    assert any(needle in e for e in _errors(at)), _errors(at)
    assert any("last valid input" in c.value for c in at.caption)
    if target == 0:
        assert [m.value for m in at.latex] == good


def test_ragged_regression_vectors_are_refused() -> None:
    at = _page("pages/losses/page.py")
    at.text_input(key="loss_true").set_value("1, 2").run()
    assert any("same length" in e for e in _errors(at))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_regularize_page_shows_the_conventions(lang: str) -> None:
    at = _page("pages/regularize/page.py", lang)
    text = _text(at)
    assert "nn.LocalResponseNorm(5, alpha=0.0005)" in text
    assert "AlexNet" in text
    assert text.count("✅") >= 2  # both of the AlexNet preset's LRN layers are the paper's
    assert len(at.get("plotly_chart")) >= 4


def test_dropout_p_of_one_is_refused_and_the_mask_kept() -> None:
    at = _page("pages/regularize/page.py")
    sums = [m.value for m in at.markdown if "Σh" in m.value]
    at.number_input(key="reg_p").set_value(1.0).run()
    assert not at.exception
    assert any("p = 1" in e for e in _errors(at))
    assert [m.value for m in at.markdown if "Σh" in m.value] == sums
    at.number_input(key="reg_p").set_value(0.5).run()
    at.button(key="reg_resample").click().run()
    assert at.number_input(key="reg_seed").value == 1


def _wait(at: AppTest, slot: str, seconds: float = 240) -> None:
    job = at.session_state[slot].job
    deadline = time.monotonic() + seconds
    while job.active and time.monotonic() < deadline:
        job.heartbeat()
        time.sleep(0.5)
    assert not job.active, job.status


def test_background_runs_from_the_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedding run (/losses) and the dead-ReLU runs (/activations) start from their buttons,
    run in the background (threads here) and are drawn when they end."""
    monkeypatch.setenv("CNNVIZ_BACKEND", "thread")
    at = _page("pages/losses/page.py")
    at.button(key="loss_embed_start").click().run()
    assert not at.exception
    _wait(at, "loss_embed_job")
    at.run()
    assert not at.exception
    assert any(r"L = R + \alpha L_1" in m.value for m in at.latex)
    spec = json.dumps([c.proto.spec for c in at.get("plotly_chart")])
    assert "2-D embedding at step 200" in spec


def test_dead_relu_runs_from_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNNVIZ_BACKEND", "thread")
    at = _page("pages/activations/page.py", act_dead_rate=1.0)
    at.button(key="act_dead_start").click().run()
    assert not at.exception
    _wait(at, "act_dead_job")
    at.run()
    at.run()
    assert not at.exception
    spec = json.dumps([c.proto.spec for c in at.get("plotly_chart")])
    assert "lr 1: " in spec and "untrained" in spec


def test_sigmoid_neurons_train_in_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing trains in the script run: the page opens with the Train button, the click starts a
    background job, and when it ends both runs and their written-out gradients are drawn."""
    monkeypatch.setenv("CNNVIZ_BACKEND", "thread")
    at = _page("pages/losses/page.py")
    assert "loss_neuron_job" not in at.session_state
    assert not any(r"\sigma'(z)(a-y)" in m.value for m in at.latex)
    at.button(key="loss_neuron_start").click().run()
    assert not at.exception
    _wait(at, "loss_neuron_job")
    at.run()
    at.run()
    assert not at.exception
    assert any(r"\sigma'(z)(a-y) = 0.0177" in m.value for m in at.latex)
    assert any(r"\delta = \frac{\partial C}{\partial z} = a - y" in m.value for m in at.latex)
    at.slider(key="loss_w").set_value(1.0).run()
    assert any("trained with w = 2, b = 2" in c.value for c in at.caption)
