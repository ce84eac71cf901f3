"""Train page, "try it yourself": draw a digit or upload a picture; see the prediction and every
layer's output, for the model just trained or a loaded checkpoint. Never a page itself.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.data import ImageError, decode_image
from cnnviz.jobs import TrainingJob
from cnnviz.net import shape_text
from cnnviz.train import (
    TrainedModel,
    image_to_input,
    predict_with_activations,
    trained_model_from_checkpoint,
    trained_model_from_data,
)
from cnnviz.viz import PALETTE, activation_figure, display_image, probability_figure
from pages.shared.charts import CHART_CONFIG
from pages.shared.session import lang, tr
from pages.train.common import class_labels, formatter

__all__ = ["try_it_yourself"]


def _sources(job: TrainingJob | None) -> dict[str, TrainedModel]:
    """The models to try: ``"job"`` (the finished run) and ``"loaded"`` (an uploaded checkpoint)."""
    sources: dict[str, TrainedModel] = {}
    if job is not None and job.model is not None and job.epochs and job.finished is not None:
        sources["job"] = trained_model_from_data(job.model, job.net, job.data)
    loaded = st.session_state.get("train_loaded")
    if loaded is not None:
        sources["loaded"] = trained_model_from_checkpoint(loaded["checkpoint"], loaded["model"])
    return sources


def _picture_ui() -> tuple[np.ndarray | None, bool]:
    """A canvas drawing or an uploaded picture: ``(pixels or None, drawn on the canvas)``."""
    image: np.ndarray | None = None
    drawn = False
    draw_tab, upload_tab = st.tabs([tr("train.try.draw"), tr("train.try.upload")])
    with draw_tab:
        st.caption(tr("train.try.draw_help"))
        st.space("medium")  # room for the canvas toolbar, which floats above the canvas
        try:
            from streamlit_drawable_canvas import st_canvas

            result = st_canvas(
                stroke_width=18,
                stroke_color=PALETTE.canvas_ink,
                background_color=PALETTE.canvas_background,
                height=280,
                width=280,
                drawing_mode="freedraw",
                return_image_data=True,
                key="train_canvas",
            )
            data = result.image_data
            if data is not None and np.asarray(data)[..., :3].max() > 0:
                image, drawn = np.asarray(data), True
        except Exception:  # the canvas component needs a browser session
            st.caption(tr("train.try.canvas_unavailable"))
    with upload_tab:
        picture = st.file_uploader(
            tr("train.try.upload_label"),
            type=["png", "jpg", "jpeg", "bmp", "gif"],
            key="train_w_picture",
        )
        if picture is not None:
            try:
                image, drawn = decode_image(picture.getvalue()), False
            except ImageError as exc:
                st.error(exc.text(lang()), icon="⚠️")
    return image, drawn


def try_it_yourself(job: TrainingJob | None) -> None:
    """Draw a digit or upload a picture; see the prediction and every layer's output."""
    sources = _sources(job)
    st.header(tr("train.try.title"))
    if not sources:
        st.info(tr("train.try.need_model"))
        return
    choice = next(iter(sources))
    if len(sources) > 1:
        choice = st.radio(
            tr("train.try.which"),
            list(sources),
            horizontal=True,
            format_func=formatter("train.try.source."),
            key="train_w_try_src",
        )
    source = sources[choice]
    net = source.net
    image, drawn = _picture_ui()
    if image is None:
        return
    x = image_to_input(
        image,
        net.input_shape,
        source.mean,
        source.std,
        center_drawing=drawn and net.input_shape[0] == 1,
    )
    prediction = predict_with_activations(source.model, x)
    labels = class_labels(source.class_names)
    left, right = st.columns([1, 2])
    with left:
        st.image(
            display_image(x.numpy(), source.mean, source.std),
            width=160,
            clamp=True,
            caption=tr("train.try.as_seen", shape=shape_text(net.input_shape)),
        )
        best = prediction.top_class
        st.metric(tr("train.try.prediction"), labels[best])
        st.caption(
            tr("train.try.confidence", percent=f"{100 * prediction.probabilities[best]:.1f}")
        )
    right.plotly_chart(
        probability_figure(prediction.probabilities, labels, lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="train_try_probs",
    )
    with st.expander(tr("train.try.layers"), expanded=True):
        layers = list(zip(prediction.activations, prediction.sizes, strict=False))
        for row in range(0, len(layers), 2):
            cols = st.columns(2)
            for col, ((name, value), total) in zip(cols, layers[row : row + 2], strict=False):
                col.plotly_chart(
                    activation_figure(name, value, lang(), total=total),
                    width="stretch",
                    config=CHART_CONFIG,
                    key=f"train_try_act_{name}",
                )
