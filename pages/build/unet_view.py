"""Build page, U-Net view: the U diagram, the verdict (or the mismatch at a concatenation and the
sizes that fit), totals, the table of every layer, the steppers and the way to /beyond. Never a
page.

The settings and session keys are in ``pages.build.unet_state``; the figure is
``cnnviz.viz.unet_diagram``; shapes and parameters come from ``cnnviz.net.infer_unet``; what a
stepper receives from ``cnnviz.lessons.unet_stepper_request``. While the sizes do not fit, the
totals and the table show the last U-Net whose sizes fit, with a note saying so. Widget keys:
``build_unet_diagram``, ``build_unet_propose_<size>``, ``build_unet_step_<name>``,
``build_unet_train``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from cnnviz.lessons import UNET_STEPPABLE_KINDS, request_target, unet_stepper_request
from cnnviz.net import (
    SpecError,
    UNetLayer,
    UNetSpec,
    conv_output_formula,
    infer_unet,
    nearest_valid_sizes,
    pool_output_formula,
    transposed_output_formula,
    unet_problems,
)
from cnnviz.train import MAX_SEGMENT_DEPTH, MAX_SEGMENT_SIZE, MIN_SEGMENT_SIZE, SegmentConfig
from cnnviz.viz import format_compact, unet_diagram
from pages.build.unet_state import last_good, on_propose
from pages.shared.charts import STATIC_CONFIG
from pages.shared.session import lang, tr
from pages.shared.unet_handoff import train_on_beyond

__all__ = ["TORCH_KINDS", "unet_view"]

#: PyTorch's name for each kind of U-Net row (language-neutral), next to the translated kind.
TORCH_KINDS = {
    "residual": "ResidualBlock",
    "maxpool": "MaxPool2d",
    "convtranspose": "ConvTranspose2d",
    "concat": "torch.cat",
    "conv1x1": "Conv2d 1x1",
}
_STEPPER_PAGES = {"conv": "pages/conv/page.py", "pool": "pages/pool/page.py"}


def _shape(shape: tuple[int, int, int]) -> str:
    return "×".join(str(n) for n in shape)


def _status(spec: UNetSpec) -> bool:
    """The verdict; for a size that does not fit, the problem and one button per proposed size.
    Returns whether the sizes fit."""
    problems = unet_problems(spec)
    if not problems:
        params = sum(row.params for row in infer_unet(spec))
        st.success(tr("build.unet.valid", params=f"{params:,}"), icon="✅")
        return True
    for problem in problems:  # the message names the input size itself: no "image_size:" prefix
        st.error(problem.message(lang()), icon="⚠️")
    sizes = [n for n in nearest_valid_sizes(spec.image_size, spec.total_stride) if n <= 256]
    for column, size in zip(st.columns(max(len(sizes), 1) + 2), sizes, strict=False):
        column.button(
            tr("build.unet.propose", size=size),
            key=f"build_unet_propose_{size}",
            on_click=on_propose,
            args=(size,),
            type="primary",
            width="stretch",
        )
    return False


def _metrics(spec: UNetSpec, rows: list[UNetLayer]) -> None:
    params = sum(row.params for row in rows)
    left, middle, right = st.columns(3)
    left.metric(
        tr("build.unet.metric_params"),
        format_compact(params),
        help=tr("build.metric_exact", exact=f"{params:,}"),
    )
    middle.metric(tr("build.unet.metric_output"), _shape(rows[-1].output_shape))
    right.metric(
        tr("build.unet.metric_stride"),
        f"{spec.depth} / {spec.total_stride}",
        help=tr("build.unet.metric_stride_help", depth=spec.depth, stride=spec.total_stride),
    )


def _formula(row: UNetLayer) -> str:
    """How the row's output size comes out, with its numbers (a concatenation: both maps)."""
    n = row.input_shape[1]
    if row.kind == "maxpool":
        return pool_output_formula(n, 2, 2)
    if row.kind == "convtranspose":
        return transposed_output_formula(n, 2, 2)
    if row.kind == "conv1x1":
        return conv_output_formula(n, 1)
    if row.kind == "concat" and row.skip_shape is not None:
        return tr(
            "build.unet.joins",
            up=_shape(row.input_shape),
            skip_from=row.skip_from or "",
            skip=_shape(row.skip_shape),
        )
    return ""


def _table(rows: list[UNetLayer]) -> pd.DataFrame:
    columns = ["name", "kind", "input", "output", "params", "formula"]
    data = [
        {
            "name": row.name,
            "kind": f"{tr(f'build.unet.kind.{row.kind}')} · {TORCH_KINDS[row.kind]}",
            "input": _shape(row.input_shape),
            "output": _shape(row.output_shape),
            "params": f"{row.params:,}",
            "formula": _formula(row).replace("*", "\\*"),
        }
        for row in rows
    ]
    return pd.DataFrame(data, columns=columns).rename(
        columns={key: tr(f"build.unet.col_{key}") for key in columns}
    )


def _open_stepper(spec: UNetSpec, row: UNetLayer) -> None:
    """Send layer ``row`` of the seeded U-Net and the map reaching it to its stepper."""
    try:
        request: dict[str, Any] = unet_stepper_request(spec, row.name, seed=0)
    except SpecError as error:
        for problem in error.problems:
            st.error(problem.text(lang()), icon="⚠️")
        return
    request["label"] = tr("build.unet.stepper_label", name=row.name, torch=TORCH_KINDS[row.kind])
    st.session_state["stepper_request"] = request
    target = request_target(request)  # the rule the stepper pages route requests by
    st.switch_page(_STEPPER_PAGES["pool" if target == "pool" else "conv"])


def _steppers(spec: UNetSpec, ok: bool) -> None:
    """One button per up-sampling layer, pool and the head."""
    st.markdown(f"**{tr('build.unet.steppers')}**", help=tr("build.unet.steppers_help"))
    rows = [row for row in infer_unet(spec) if row.kind in UNET_STEPPABLE_KINDS] if ok else []
    if not ok:
        st.caption(tr("build.unet.fix_first"))
        return
    per_line = 5
    for start in range(0, len(rows), per_line):
        for column, row in zip(st.columns(per_line), rows[start : start + per_line], strict=False):
            if column.button(
                f"{row.name} · {TORCH_KINDS[row.kind]}",
                key=f"build_unet_step_{row.name}",
                icon=":material/zoom_in:",
                width="stretch",
            ):
                _open_stepper(spec, row)


def _train_link(spec: UNetSpec, ok: bool) -> None:
    """The button that trains this U-Net on /beyond (within /beyond's limits)."""
    # /beyond's own checks (the server re-checks them when the run starts)
    fits = not replace(SegmentConfig(), image_size=spec.image_size, depth=spec.depth).problems()
    reason = tr("build.unet.fix_first") if not ok else None
    if ok and not fits:
        reason = tr(
            "build.unet.train_limits",
            low=MIN_SEGMENT_SIZE,
            size=MAX_SEGMENT_SIZE,
            depth=MAX_SEGMENT_DEPTH,
        )
    left, right = st.columns([2, 3], vertical_alignment="center")
    if left.button(
        tr("build.unet.train"),
        key="build_unet_train",
        icon=":material/model_training:",
        disabled=reason is not None,
        help=reason or tr("build.unet.train_help"),
        width="stretch",
    ):
        train_on_beyond(spec)
    beyond = SegmentConfig().net
    right.caption(
        (reason + " " if reason else "")
        + tr(
            "build.unet.train_fixed",
            channels=beyond.in_channels,
            classes=beyond.num_classes,
            base=beyond.base_channels,
        )
        + " "
        + tr("build.unet.not_trained_here")
    )


def unet_view(spec: UNetSpec) -> None:
    """Everything under the settings: diagram, verdict, totals, table, steppers, /beyond."""
    st.plotly_chart(
        unet_diagram(spec, lang()), width="stretch", config=STATIC_CONFIG, key="build_unet_diagram"
    )
    ok = _status(spec)
    st.caption(tr("build.unet.intro"))
    shown = spec if ok else last_good()
    if shown is None:
        st.info(tr("build.unet.no_valid_yet"), icon="ℹ️")
    else:
        if not ok:
            st.info(tr("build.unet.last_valid", size=shown.image_size, depth=shown.depth), icon="ℹ️")
        rows = infer_unet(shown)
        _metrics(shown, rows)
    _train_link(spec, ok)
    if shown is not None:
        st.subheader(tr("build.unet.table"))
        st.table(_table(infer_unet(shown)), hide_index=True)
    _steppers(spec, ok)
