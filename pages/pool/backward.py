"""Pooling stepper: the backward pass, where the upstream gradient goes. Never a page.

``show_backward`` takes dL/dy from the sidebar's choice (falling back to all ones when a typed
cell is not a number), asks ``cnnviz.lessons.pool_backward`` to route it (max: to the arg-max;
average: an equal share to every window cell) and draws it as one full-width row, input, dL/dy,
dL/dx, driven by the same Back / Next as the forward pass; then the routing in words and PyTorch
autograd's verdict.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.lessons import PoolSettings, PoolStepper, article_by_id, pool_backward
from cnnviz.net import Problem
from cnnviz.ops import PoolStep
from cnnviz.viz import format_number, pool_backward_figure
from pages.pool.inputs import upstream_values
from pages.shared.charts import STATIC_CONFIG
from pages.shared.links import article_link
from pages.shared.session import lang, show_problems, tr

__all__ = ["show_backward"]


def show_backward(stepper: PoolStepper, step: PoolStep, settings: PoolSettings) -> None:
    """The backward row for output cell ``step``, the routing in words and the autograd check.

    ``settings`` are the sidebar's current ones (the upstream gradient's source); the geometry is
    ``stepper``'s (the last valid one).
    """
    problems: list[Problem] = []
    grad = upstream_values(settings, stepper.out_hw, problems)
    if grad is None:
        show_problems(problems)
        grad = np.ones(stepper.out_hw)
        st.warning(tr("pool.grad_fallback"), icon="↩️")
    _, i, j = step.out_index
    result = pool_backward(stepper, grad, (i, j))
    st.plotly_chart(
        pool_backward_figure(result.grad_out, result.grad_in, result.step, lang()),
        width="stretch",
        config=STATIC_CONFIG,
        key="pool_backward",
    )
    g = format_number(result.gradient)
    if result.winner is not None:
        r, c = result.winner
        st.markdown(tr("pool.route_max", i=i, j=j, g=g, r=r, c=c))
    else:
        share = format_number(result.share)
        st.markdown(tr("pool.route_avg", i=i, j=j, g=g, n=result.window_size, share=share))
    st.markdown(tr(f"pool.backward_rule_{result.kind}"))
    if result.matches_autograd:
        st.success(tr("pool.autograd_ok"), icon="✅")
    else:  # never expected; shown rather than hidden
        st.error(tr("pool.autograd_bad"), icon="❌")
    if result.kind == "max":
        st.info(tr("pool.seed002_note", article=article_link(article_by_id("a002"))), icon="📝")
