"""/inside, section "Translation invariance": shift the picture by k pixels; the conv maps shift
with it (equivariance: the table and the maps shifted back), the features and the prediction
change little (invariance: the curves), and the same network trained without pooling or with
pooling of stride 1 (a ``TrainingJob`` in slot ``inside_variant``) shows what pooling adds.
Never a page itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cnnviz.inside import (
    AXES,
    MAX_PIXEL_SHIFT,
    VARIANTS,
    EquivarianceRow,
    InsideError,
    InsideNet,
    equivariance,
    feature_index,
    invariance_curve,
    pooling_variant,
    shift_images,
    spatial_layers,
)
from cnnviz.jobs import BackgroundJob, TrainingJob
from cnnviz.lessons import article_by_id, citation
from cnnviz.net import SpecError
from cnnviz.train import TrainConfig
from cnnviz.viz import invariance_figure, picture_rgb, shift_maps_figure
from pages.inside.common import (
    PAGE,
    class_labels,
    formatter,
    layer_choice,
    memo,
    notice,
    page_link,
    show_picture,
)
from pages.inside.jobs import follow, job_meta, progress_line
from pages.inside.picture import Picture
from pages.shared.charts import CHART_CONFIG
from pages.shared.flash import flash
from pages.shared.jobs import slot_job, start_job
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["invariance_section"]

VARIANT_SLOT = "inside_variant"


@dataclass(frozen=True)
class VariantMeta:
    """Which network the comparison in ``inside_variant`` was trained for, and how."""

    token: str
    variant: str


def _start_variant(token: str, inside: InsideNet, variant: str) -> None:
    """Train the same network with its pooling changed, on the same data and settings."""
    if inside.data is None:
        flash(PAGE, "error", tr("inside.need_data"))
        return
    try:
        net = pooling_variant(inside.net, variant)
    except InsideError as exc:
        flash(PAGE, "error", exc.text(lang()))
        return
    except SpecError as exc:
        for problem in exc.problems:
            flash(PAGE, "error", problem.text(lang()))
        return
    data = inside.data
    cfg = inside.cfg or TrainConfig(epochs=8)
    start_job(
        PAGE,
        VARIANT_SLOT,
        lambda: TrainingJob(net, data, cfg, heartbeat_timeout=60.0),
        VariantMeta(token, variant),
    )


def _variant_model(token: str) -> TrainingJob | None:
    job = slot_job(VARIANT_SLOT)
    meta = job_meta(VARIANT_SLOT)
    if not isinstance(job, TrainingJob) or not isinstance(meta, VariantMeta):
        return None
    if meta.token != token or job.active or job.model is None:
        return None
    return job


def _table(rows: list[EquivarianceRow]) -> list[dict[str, object]]:
    return [
        {
            tr("inside.inv.col.layer"): row.layer.name,
            tr("inside.inv.col.jump"): max(row.layer.jump),
            tr("inside.inv.col.cells"): f"{row.cells:g}",
            tr("inside.inv.col.exact"): tr("inside.yes") if row.exact else tr("inside.no"),
            tr("inside.inv.col.compared"): row.compared,
            tr("inside.inv.col.difference"): (
                "-" if row.difference != row.difference else f"{100 * row.difference:.2f}%"
            ),
        }
        for row in rows
    ]


def _curves(token: str, inside: InsideNet, picture: Picture, axis: str, shift: int) -> None:
    fill = inside.black()
    features = feature_index(inside.net)
    curve = memo(
        ("curve", token, picture.key, axis),
        lambda: invariance_curve(inside.model, features, picture.x, axis, fill),
    )
    labels = class_labels(inside)
    probability = [(tr("inside.inv.trained"), curve.probability)]
    change = [(tr("inside.inv.trained"), curve.feature_change)]
    variant_job = _variant_model(token)
    if variant_job is not None and variant_job.model is not None:
        meta = job_meta(VARIANT_SLOT)
        variant_net = variant_job.net
        variant = memo(
            ("curve-variant", token, id(variant_job), picture.key, axis, curve.target),
            lambda: invariance_curve(
                variant_job.model,  # type: ignore[arg-type]
                feature_index(variant_net),
                picture.x,
                axis,
                fill,
                target=curve.target,
            ),
        )
        name = tr(f"inside.inv.variant.{meta.variant}")
        probability.append((name, variant.probability))
        change.append((name, variant.feature_change))
    left, right = st.columns(2)
    left.plotly_chart(
        invariance_figure(
            curve.shifts,
            probability,
            tr("inside.inv.prob_title", label=labels[curve.target]),
            tr("inside.inv.prob_axis"),
            lang(),
            current=shift,
        ),
        width="stretch",
        config=CHART_CONFIG,
        key="inside_inv_prob",
    )
    right.plotly_chart(
        invariance_figure(
            curve.shifts,
            change,
            tr("inside.inv.change_title"),
            tr("inside.inv.change_axis"),
            lang(),
            current=shift,
        ),
        width="stretch",
        config=CHART_CONFIG,
        key="inside_inv_change",
    )


def _variant_ui(token: str, inside: InsideNet) -> None:
    set_defaults({"inside_inv_variant": VARIANTS[0]})
    job = slot_job(VARIANT_SLOT)
    busy = job is not None and job.active
    cols = st.columns([2, 1], vertical_alignment="bottom")
    variant = cols[0].radio(
        tr("inside.inv.variant"),
        VARIANTS,
        format_func=formatter("inside.inv.variant."),
        horizontal=True,
        key="inside_inv_variant",
        persist_state=PERSIST,
    )
    cols[1].button(
        tr("inside.inv.train_variant"),
        on_click=_start_variant,
        args=(token, inside, variant),
        disabled=busy or inside.data is None,
        key="inside_btn_variant",
        help=tr("inside.inv.train_variant_help"),
    )
    meta = job_meta(VARIANT_SLOT)
    if isinstance(meta, VariantMeta) and meta.token == token:

        def panel(current: BackgroundJob) -> None:
            progress_line(current)

        follow(VARIANT_SLOT, panel, "inside_variant_panel")


def invariance_section(token: str, inside: InsideNet, picture: Picture) -> None:
    """The shift, the equivariance table and maps, the invariance curves, what to notice."""
    st.subheader(tr("inside.inv.title"))
    layers = spatial_layers(inside.net)
    if not layers:
        st.warning(tr("inside.no_spatial"), icon="⚠️")
        return
    set_defaults({"inside_inv_shift": 4, "inside_inv_axis": AXES[0]})
    cols = st.columns([3, 2], vertical_alignment="bottom")
    shift = int(
        cols[0].slider(
            tr("inside.inv.shift"),
            -MAX_PIXEL_SHIFT,
            MAX_PIXEL_SHIFT,
            key="inside_inv_shift",
            persist_state=PERSIST,
        )
    )
    axis = cols[1].radio(
        tr("inside.inv.axis"),
        AXES,
        format_func=formatter("inside.inv.axis."),
        horizontal=True,
        key="inside_inv_axis",
        persist_state=PERSIST,
    )
    jumps = ", ".join(f"{layer.name}: {max(layer.jump)}" for layer in layers)
    st.caption(tr("inside.inv.intro", jumps=jumps))
    fill = inside.black()
    rows = memo(
        ("equi", token, picture.key, shift, axis),
        lambda: equivariance(inside.model, inside.net, layers, picture.x, shift, axis, fill),
    )
    left, right = st.columns([1, 3])
    with left:
        shifted = shift_images(picture.x, shift, axis, fill)
        show_picture(
            picture_rgb(inside.to_pixels(shifted).numpy()),
            tr("inside.inv.shifted_caption", shift=shift),
            f"shifted-{shift}.png",
            "inside_png_shifted",
        )
    with right:
        st.dataframe(_table(rows), hide_index=True, width="stretch")
    shown = layer_choice(tr("inside.inv.map_layer"), layers, "inside_inv_layer", layers[0].index)
    row = next(r for r in rows if r.layer.index == shown.index)
    st.plotly_chart(
        shift_maps_figure(
            row.original,
            row.shifted,
            row.shifted_back_difference,
            tr("inside.inv.maps_title", layer=row.layer.name, cells=f"{row.cells:g}"),
            lang(),
        ),
        width="stretch",
        config=CHART_CONFIG,
        key="inside_inv_maps",
    )
    try:
        _curves(token, inside, picture, axis, shift)
    except InsideError as exc:
        st.info(exc.text(lang()), icon="ℹ️")
    _variant_ui(token, inside)
    notice("inside.inv.notice", article=citation(article_by_id("a001"), lang()))
    page_link("build", tr("inside.inv.build_link"))
