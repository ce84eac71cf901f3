"""The seed-003 worked example: a 5x5 input through conv, ReLU, pooling, dense and softmax, every
matrix computed by ``cnnviz.lessons.walkthrough`` and shown, with the article's mistakes pointed out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.lessons import ARTICLE_CONV1_FIRST_PASS, Walkthrough, article_by_id, run_walkthrough
from cnnviz.net import Conv2dSpec, MaxPool2dSpec, pool_output_formula
from cnnviz.ops import conv_step
from cnnviz.viz import format_number, grid_figure, softmax_figure, written_sum
from pages.shared.charts import STATIC_CONFIG
from pages.shared.links import article_link
from pages.shared.session import lang, tr, use_router

use_router()


@st.cache_resource
def _walkthrough() -> Walkthrough:
    """Pure and immutable: computed once per process."""
    return run_walkthrough()


def _grid(
    values: np.ndarray, title_key: str, key: str, max_px: float = 200, **kwargs: object
) -> None:
    st.plotly_chart(
        grid_figure(values, tr(title_key), lang=lang(), max_px=max_px, **kwargs),  # type: ignore[arg-type]
        width="stretch",
        config=STATIC_CONFIG,
        key=key,
    )


def _shape(values: np.ndarray) -> str:
    return " x ".join(str(v) for v in values.shape)


def _formula(walk: Walkthrough, key: str) -> str:
    return next(stage.formula for stage in walk.stages if stage.key == key)


def _open_in_stepper(
    layer: Conv2dSpec | MaxPool2dSpec, x: np.ndarray, weights: np.ndarray | None, label: str
) -> None:
    request = {"layer": layer, "input": x, "label": label, "source": "walkthrough"}
    if weights is not None:
        request["weights"] = weights
    st.session_state["stepper_request"] = request
    st.switch_page("pages/conv/page.py" if isinstance(layer, Conv2dSpec) else "pages/pool/page.py")


walk = _walkthrough()
st.title(tr("walk.title"))
conv_mistakes = [m for m in walk.mistakes if m.stage == "conv1"]
# one caption, not a box: on a projector the tabs and each tab's matrices fit under it
st.caption(
    tr("walk.intro", article=article_link(article_by_id("a003")))
    + " 🔎 "
    + tr("walk.summary", count=len(walk.mistakes), conv=len(conv_mistakes))
)

tabs = st.tabs(
    [
        tr("walk.tab_input"),
        tr("walk.tab_conv1"),
        tr("walk.tab_pool1"),
        tr("walk.tab_conv2"),
        tr("walk.tab_dense"),
        tr("walk.tab_softmax"),
        tr("walk.tab_mistakes"),
    ]
)

with tabs[0]:
    text, col1, col2 = st.columns([1, 1, 1.1])  # one projector screen: the words beside the grids
    text.markdown(tr("walk.input_text"))
    with col1:
        _grid(walk.input, "walk.stage.input", "walk_input", max_px=150)
        st.caption(tr("walk.shape", shape=_shape(walk.input)))
    with col2:
        _grid(
            walk.padded1,
            "walk.stage.padded1",
            "walk_padded1",
            max_px=175,
            padding_mask=np.pad(np.zeros((5, 5), bool), 1, constant_values=True),
            row_offset=1,
            col_offset=1,
        )
        st.caption(tr("walk.shape", shape=_shape(walk.padded1)) + " · " + _formula(walk, "padded1"))

with tabs[1]:
    # the three matrices and the position's written sum side by side: one projector screen
    col1, col2, col3, col4 = st.columns([1.05, 0.65, 1.05, 1.6])
    with col1:
        _grid(
            walk.padded1,
            "walk.stage.padded1",
            "walk_conv1_in",
            max_px=165,
            padding_mask=np.pad(np.zeros((5, 5), bool), 1, constant_values=True),
            row_offset=1,
            col_offset=1,
        )
    with col2:
        _grid(walk.kernel1, "walk.kernel1", "walk_kernel1", max_px=90)
    with col3:
        wrong = [tuple(int(v) for v in m.where.strip("()").split(", ")) for m in conv_mistakes]
        _grid(
            walk.conv1,
            "walk.stage.conv1",
            "walk_conv1",
            max_px=150,
            highlight=wrong,
            highlight_label=tr("walk.wrong_in_article"),
        )
    with col4:
        index = st.select_slider(
            tr("walk.check_position"),
            options=list(range(25)),
            value=10,  # (2, 0): the article's first pass says -9
            format_func=lambda k: f"({k // 5}, {k % 5})",
            key="walk_position",
        )
        position = divmod(int(index), 5)
        step = conv_step(
            walk.input[None], walk.kernel1[None, None], None, 1, "same", 1, out_index=(0, *position)
        )
        words = tr("conv.word_channel"), tr("conv.word_bias"), tr("conv.word_total")
        st.code(written_sum(step, *words)[0], language=None, wrap_lines=True)
        said = ARTICLE_CONV1_FIRST_PASS.get(position)
        if said is not None and said != step.total:
            st.error(
                tr(
                    "walk.article_said",
                    value=format_number(said),
                    correct=format_number(step.total),
                ),
                icon="⚠️",
            )
        elif said is not None:
            st.success(tr("walk.article_agrees", value=format_number(said)), icon="✅")
    st.markdown(tr("walk.conv1_text"))
    st.code(f"H_out = W_out = {_formula(walk, 'conv1')}", language=None)
    if st.button(tr("walk.open_conv"), key="walk_open_conv"):
        _open_in_stepper(
            Conv2dSpec(1, 3, padding="same", bias=False),
            walk.input[None],
            walk.kernel1[None, None],
            tr("walk.label_conv1"),
        )

with tabs[2]:
    st.markdown(tr("walk.pool1_text"))
    col1, col2, col3 = st.columns(3)
    with col1:
        _grid(walk.conv1, "walk.stage.conv1", "walk_conv1_again")
    with col2:
        dropped = [(4, c) for c in range(5)] + [(r, 4) for r in range(4)]
        _grid(
            walk.relu1,
            "walk.stage.relu1",
            "walk_relu1",
            highlight=dropped,
            highlight_label=tr("walk.dropped"),
        )
    with col3:
        _grid(walk.pool1, "walk.stage.pool1", "walk_pool1", max_px=150)
    st.code(f"H_out = W_out = {pool_output_formula(5, 2, 2)}", language=None)
    st.info(tr("walk.dropped_text", rows=walk.dropped_by_pool1[0]), icon="✂️")
    if st.button(tr("walk.open_pool"), key="walk_open_pool"):
        _open_in_stepper(MaxPool2dSpec(2), walk.relu1[None], None, tr("walk.label_pool1"))

with tabs[3]:
    st.markdown(tr("walk.conv2_text"))
    cols = st.columns(5)
    pad2 = np.pad(np.zeros((2, 2), bool), 1, constant_values=True)
    with cols[0]:
        _grid(
            walk.padded2,
            "walk.stage.padded2",
            "walk_padded2",
            max_px=180,
            padding_mask=pad2,
            row_offset=1,
            col_offset=1,
        )
    with cols[1]:
        _grid(walk.kernel2, "walk.kernel2", "walk_kernel2", max_px=150)
    with cols[2]:
        _grid(walk.conv2, "walk.stage.conv2", "walk_conv2", max_px=120)
    with cols[3]:
        _grid(walk.relu2, "walk.stage.relu2", "walk_relu2", max_px=120)
    with cols[4]:
        _grid(walk.pool2, "walk.stage.pool2", "walk_pool2", max_px=60)
    st.code(
        f"{tr('walk.stage.conv2')}: H_out = W_out = {_formula(walk, 'conv2')}\n"
        f"{tr('walk.stage.pool2')}: H_out = W_out = {_formula(walk, 'pool2')}",
        language=None,
        wrap_lines=True,
    )

with tabs[4]:
    st.markdown(tr("walk.dense_text"))
    flat = format_number(walk.flat[0])
    lines = [
        f"z{k} = {format_number(walk.dense_weight[k, 0])} × {flat} + {format_number(walk.dense_bias[k])} = {walk.logits[k]:.7g}"
        for k in range(3)
    ]
    st.code("\n".join(lines), language=None)
    st.caption(tr("walk.dense_params", formula=_formula(walk, "logits")))
    st.dataframe(
        pd.DataFrame(
            {
                tr("walk.col_neuron"): [0, 1, 2],
                tr("walk.col_weight"): walk.dense_weight[:, 0],
                tr("walk.col_logit"): walk.logits,
            }
        ),
        hide_index=True,
    )

with tabs[5]:
    st.markdown(tr("walk.softmax_text"))
    exps = np.exp(walk.logits - walk.logits.max())
    lines = [
        f"exp(z{k} - max z) = exp({walk.logits[k] - walk.logits.max():.6f}) = {exps[k]:.6g}"
        for k in range(3)
    ]
    lines.append(f"sum = {exps.sum():.6g}")
    lines += [
        f"p{k} = {exps[k]:.6g} / {exps.sum():.6g} = {walk.probabilities[k]:.6f}" for k in range(3)
    ]
    st.code("\n".join(lines), language=None)
    st.plotly_chart(
        softmax_figure(
            [tr("walk.class_n", k=k) for k in range(3)],
            walk.probabilities,
            tr("walk.stage.probabilities"),
            lang(),
        ),
        width="stretch",
        config=STATIC_CONFIG,
        key="walk_probs",
    )
    st.markdown(tr("walk.predicted", k=walk.predicted))
    for mistake in walk.mistakes:
        if mistake.stage == "probabilities":
            st.error(
                tr("walk.softmax_wrong", article=mistake.article, correct=mistake.correct), icon="⚠️"
            )
    st.markdown(tr("walk.checks_title"))
    for check in walk.checks:
        icon = "✅" if check.passed else "❌"
        st.markdown(f"{icon} {tr(f'walk.check.{check.key}')} — `{check.detail}`")

with tabs[6]:
    st.markdown(tr("walk.mistakes_text"))
    st.dataframe(
        pd.DataFrame(
            {
                tr("walk.col_step"): [tr(f"walk.stage.{m.stage}") for m in walk.mistakes],
                tr("walk.col_where"): [m.where for m in walk.mistakes],
                tr("walk.col_article"): [m.article for m in walk.mistakes],
                tr("walk.col_correct"): [m.correct for m in walk.mistakes],
                tr("walk.col_why"): [tr(m.note) for m in walk.mistakes],
            }
        ),
        hide_index=True,
        width="stretch",
    )
