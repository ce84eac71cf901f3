"""/losses: the catalogue (value and gradient of every loss), each loss against the true class's
probability, and Dice/SSIM on two small images. Not a page."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.concepts import (
    PREDICTIONS,
    TARGETS,
    ImageLosses,
    LossEntry,
    LossSettings,
    classification_catalogue,
    image_losses,
    loss_curves,
    parse_vector,
    regression_catalogue,
)
from cnnviz.viz import image_losses_figure, loss_curves_figure
from pages.shared.charts import CHART_CONFIG, STATIC_CONFIG
from pages.shared.explorer import last_good, notice
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["catalogue_section", "images_section"]


@st.cache_data(max_entries=256, show_spinner=False)
def _regression(pred: str, target: str, settings: LossSettings) -> tuple[LossEntry, ...]:
    return regression_catalogue(parse_vector(pred), parse_vector(target), settings)


@st.cache_data(max_entries=256, show_spinner=False)
def _classification(
    logits: tuple[float, ...], target: int, settings: LossSettings
) -> tuple[LossEntry, ...]:
    return classification_catalogue(logits, target, settings)


@st.cache_data(max_entries=64, show_spinner=False)
def _curves(classes: int, settings: LossSettings) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return loss_curves(classes, settings)


@st.cache_data(max_entries=128, show_spinner=False)
def _images(target: str, prediction: str, noise: float, seed: int) -> ImageLosses:
    return image_losses(target, prediction, noise=noise, seed=seed)


def _table(entries: tuple[LossEntry, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("loss.col.loss"): [tr(f"loss.name.{e.key}") for e in entries],
            tr("loss.col.value"): [f"{e.value:.4f}" for e in entries],
            tr("loss.col.grad"): [
                "[" + ", ".join(f"{g:+.3f}" for g in e.grad) + "]" for e in entries
            ],
            tr("loss.col.call"): [e.call for e in entries],
        }
    )


def _settings() -> LossSettings | None:
    set_defaults({"loss_delta": 1.0, "loss_margin": 1.0, "loss_gamma": 2.0, "loss_smoothing": 0.1})
    cols = st.columns(4)
    with cols[0]:
        delta = st.slider(
            tr("loss.cat.delta"), 0.1, 5.0, step=0.1, key="loss_delta", persist_state=PERSIST
        )
    with cols[1]:
        margin = st.slider(
            tr("loss.cat.margin"), 0.0, 5.0, step=0.1, key="loss_margin", persist_state=PERSIST
        )
    with cols[2]:
        gamma = st.slider(
            tr("loss.cat.gamma"), 0.0, 5.0, step=0.5, key="loss_gamma", persist_state=PERSIST
        )
    with cols[3]:
        smoothing = st.slider(
            tr("loss.cat.smoothing"),
            0.0,
            0.5,
            step=0.05,
            key="loss_smoothing",
            persist_state=PERSIST,
        )
    return last_good("loss_settings", lambda: LossSettings(delta, margin, gamma, smoothing))


def catalogue_section(logits: tuple[float, ...], target: int) -> None:
    """Every loss with its value and gradient, on the softmax section's logits and target and on
    typed regression predictions; then each loss as p(true class) goes from 0 to 1."""
    st.header(tr("loss.cat.title"))
    st.markdown(tr("loss.cat.intro", article=tr("why.article.cnn003")))
    settings = _settings()
    if settings is None:
        return
    st.subheader(tr("loss.cat.classification"))
    st.caption(
        tr("loss.cat.on_logits", logits=", ".join(f"{z:.4g}" for z in logits), target=target)
    )
    entries = last_good("loss_cls", lambda: _classification(logits, target, settings))
    if entries is not None:
        st.dataframe(_table(entries), hide_index=True)
    st.subheader(tr("loss.cat.regression"))
    set_defaults({"loss_pred": "2.5, 0.0, 2.0, 8.0", "loss_true": "3.0, -0.5, 2.0, 1.0"})
    col1, col2 = st.columns(2)
    with col1:
        pred = st.text_input(tr("loss.cat.pred"), key="loss_pred", persist_state=PERSIST)
    with col2:
        true = st.text_input(tr("loss.cat.true"), key="loss_true", persist_state=PERSIST)
    reg = last_good("loss_reg", lambda: _regression(str(pred), str(true), settings))
    if reg is not None:
        st.dataframe(_table(reg), hide_index=True)
    st.subheader(tr("loss.cat.curves"))
    p, curves = _curves(max(2, len(logits)), settings)
    st.plotly_chart(
        loss_curves_figure(p, curves, lang()), config=CHART_CONFIG, key="loss_curves_chart"
    )
    notice("loss.cat.notice")


def images_section() -> None:
    """Dice and SSIM (and MSE) between a target mask and a prediction the learner changes."""
    st.subheader(tr("loss.img.title"))
    st.markdown(tr("loss.img.intro", cnn003=tr("why.article.cnn003"), tcnn=tr("why.article.tcnn")))
    set_defaults(
        {
            "loss_img_target": "square",
            "loss_img_pred": "shifted",
            "loss_img_noise": 0.2,
            "loss_img_seed": 0,
        }
    )
    cols = st.columns(4)
    with cols[0]:
        target = st.selectbox(
            tr("loss.img.target"),
            list(TARGETS),
            key="loss_img_target",
            persist_state=PERSIST,
            format_func=lambda k: tr(f"loss.img.t.{k}"),
        )
    with cols[1]:
        prediction = st.selectbox(
            tr("loss.img.prediction"),
            list(PREDICTIONS),
            key="loss_img_pred",
            persist_state=PERSIST,
            format_func=lambda k: tr(f"loss.img.p.{k}"),
        )
    with cols[2]:
        noise = st.slider(
            tr("loss.img.noise"), 0.0, 1.0, step=0.05, key="loss_img_noise", persist_state=PERSIST
        )
    with cols[3]:
        seed = st.number_input(
            tr("loss.img.seed"), 0, 999, step=1, key="loss_img_seed", persist_state=PERSIST
        )
    result = last_good(
        "loss_img", lambda: _images(str(target), str(prediction), float(noise), int(seed))
    )
    if result is None:
        return
    st.plotly_chart(
        image_losses_figure(result, lang()), config=STATIC_CONFIG, key="loss_images_chart"
    )
    metrics = st.columns(3)
    metrics[0].metric(tr("loss.img.mse"), f"{result.mse:.4f}")
    metrics[1].metric(tr("loss.img.dice"), f"{result.dice:.4f}")
    metrics[2].metric(
        tr("loss.img.ssim"),
        f"{1 - result.ssim:.4f}",
        help=tr("loss.img.ssim_help", ssim=f"{result.ssim:.4f}"),
    )
    notice("loss.img.notice")
