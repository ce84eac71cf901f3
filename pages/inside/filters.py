"""/inside, section "What a filter wants to see": activation maximisation of one channel in the
background (``cnnviz.inside.MaximiseTask`` in an ``EventLogJob``, slot ``inside_max``; Stop keeps
the picture reached so far) and the nine validation pictures that excite the channel most, each
with the receptive field of its strongest cell. Never a page itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cnnviz.inside import (
    MAX_STEPS,
    TOP_K,
    InsideError,
    InsideNet,
    MaximiseFrame,
    MaximiseSettings,
    MaximiseTask,
    SpatialLayer,
    channel_maxima,
    field_box,
    spatial_layers,
    top_images,
)
from cnnviz.jobs import BackgroundJob, EventLogJob
from cnnviz.lessons import article_by_id, citation
from cnnviz.train import cpu_state_dict
from cnnviz.viz import ascent_figure, draw_box, picture_rgb, png_bytes, tile_pictures
from pages.inside.common import PAGE, class_labels, layer_choice, memo, notice, show_picture
from pages.inside.jobs import follow, job_meta, progress_line, stop_job
from pages.shared.charts import CHART_CONFIG
from pages.shared.flash import flash
from pages.shared.jobs import slot_job, start_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["filters_section"]

MAX_SLOT = "inside_max"
_DEFAULTS = {"inside_max_steps": 200, "inside_max_jitter": 2, "inside_max_blur": 0.5}


@dataclass(frozen=True)
class MaxMeta:
    """Which network and channel the job in ``inside_max`` maximises."""

    token: str
    layer_name: str
    settings: MaximiseSettings


def _start(token: str, inside: InsideNet, layer: SpatialLayer, channel: int) -> None:
    """Start button callback: maximise ``channel`` of ``layer`` in the background."""
    try:
        settings = MaximiseSettings(
            layer.index,
            channel,
            steps=int(st.session_state["inside_max_steps"]),
            jitter=int(st.session_state["inside_max_jitter"]),
            blur_sigma=float(st.session_state["inside_max_blur"]),
        )
    except InsideError as exc:  # a crafted value outside the sliders' range
        flash(PAGE, "error", exc.text(lang()))
        return
    task = MaximiseTask(inside.net, cpu_state_dict(inside.model), inside.mean, inside.std, settings)
    start_job(PAGE, MAX_SLOT, lambda: EventLogJob(task), MaxMeta(token, layer.name, settings))


def _max_panel(job: BackgroundJob) -> None:
    assert isinstance(job, EventLogJob)
    meta = job_meta(MAX_SLOT)
    progress_line(job)
    frames = job.events(MaximiseFrame)
    if not frames or not isinstance(meta, MaxMeta):
        return
    last = frames[-1]
    left, right = st.columns([1, 2])
    with left:
        caption = tr(
            "inside.max.caption",
            layer=meta.layer_name,
            channel=meta.settings.channel,
            step=last.step,
            total=last.total,
            value=f"{last.activation:.3f}",
        )
        if last.stopped:
            caption += " " + tr("inside.max.stopped", step=last.step)
        show_picture(
            picture_rgb(last.pixels), caption, "activation-maximisation.png", "inside_png_max"
        )
    right.plotly_chart(
        ascent_figure([f.step for f in frames], [f.activation for f in frames], lang()),
        width="stretch",
        config=CHART_CONFIG,
        key="inside_max_ascent",
    )


def _maximise_ui(token: str, inside: InsideNet, layer: SpatialLayer, channel: int) -> None:
    st.markdown(f"#### {tr('inside.max.title')}")
    st.caption(tr("inside.max.intro"))
    set_defaults(_DEFAULTS)
    with st.expander(tr("inside.max.settings")):
        cols = st.columns(3)
        cols[0].slider(
            tr("inside.max.steps"),
            20,
            MAX_STEPS,
            step=20,
            key="inside_max_steps",
            persist_state=PERSIST,
        )
        cols[1].slider(
            tr("inside.max.jitter"), 0, 8, key="inside_max_jitter", persist_state=PERSIST
        )
        cols[2].slider(
            tr("inside.max.blur"),
            0.0,
            3.0,
            step=0.1,
            key="inside_max_blur",
            persist_state=PERSIST,
        )
    job = slot_job(MAX_SLOT)
    active = job is not None and job.active
    cols = st.columns([1, 1, 4])
    cols[0].button(
        tr("inside.max.start"),
        type="primary",
        on_click=_start,
        args=(token, inside, layer, channel),
        disabled=active,
        key="inside_btn_max",
    )
    cols[1].button(
        tr("inside.max.stop"),
        on_click=stop_job,
        args=(MAX_SLOT,),
        disabled=not active,
        key="inside_btn_max_stop",
    )
    meta = job_meta(MAX_SLOT)
    if job is not None and isinstance(meta, MaxMeta) and meta.token == token:
        follow(MAX_SLOT, _max_panel, "inside_max_panel")


def _top_ui(token: str, inside: InsideNet, layer: SpatialLayer, channel: int) -> None:
    st.markdown(f"#### {tr('inside.top.title', k=TOP_K)}")
    data = inside.data
    if data is None:
        st.info(tr("inside.need_data"), icon="ℹ️")
        return
    maxima = memo(
        ("maxima", token, layer.index),
        lambda: channel_maxima(inside.model, layer.index, data.val_x),
    )
    labels = class_labels(inside)
    pictures, captions = [], []
    for index, value, row, col in top_images(maxima, channel):
        box = field_box(inside.net, layer.index, row, col)
        rgb = picture_rgb(inside.to_pixels(data.val_x[index]).numpy())
        pictures.append(draw_box(rgb, (box.top, box.left, box.bottom, box.right)))
        captions.append(
            tr("inside.top.caption", label=labels[int(data.val_y[index])], value=f"{value:.2f}")
        )
    st.caption(tr("inside.top.intro", count=min(len(data.val_y), maxima.values.shape[0])))
    per_row = 9 if len(pictures) > 6 else max(1, len(pictures))
    columns = st.columns(per_row)
    for i, (picture, caption) in enumerate(zip(pictures, captions, strict=True)):
        columns[i % per_row].image(picture, caption=caption, width="stretch")
    if pictures:
        st.download_button(
            tr("inside.download_all"),
            data=png_bytes(tile_pictures(pictures, 3), enlarge_to=None),
            file_name=f"top-{TOP_K}-layer{layer.index + 1}-channel{channel}.png",
            mime="image/png",
            key="inside_png_top",
            on_click="ignore",
            icon=":material/download:",
        )


def filters_section(token: str, inside: InsideNet) -> None:
    """Layer and channel, activation maximisation, the top images, what to notice."""
    st.subheader(tr("inside.filters.title"))
    layers = spatial_layers(inside.net)
    if not layers:
        st.warning(tr("inside.no_spatial"), icon="⚠️")
        return
    left, right = st.columns(2)
    with left:
        layer = layer_choice(tr("inside.filters.layer"), layers, "inside_filters_layer")
    with right:
        set_defaults({"inside_filters_channel": 0})
        if not 0 <= st.session_state["inside_filters_channel"] < layer.channels:
            st.session_state["inside_filters_channel"] = 0  # another layer: fewer channels
        channel = int(
            st.number_input(
                tr("inside.filters.channel", last=layer.channels - 1),
                0,
                layer.channels - 1,
                key="inside_filters_channel",
                persist_state=PERSIST,
            )
        )
    channel = min(max(channel, 0), layer.channels - 1)
    _maximise_ui(token, inside, layer, channel)
    _top_ui(token, inside, layer, channel)
    notice("inside.filters.notice", article=citation(article_by_id("a002"), lang()))
