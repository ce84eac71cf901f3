"""Pooling stepper: the input values and the upstream gradient, from samples, the request or grids.

Never a page. Bad values (a typo in a typed grid) are added to the caller's ``problems`` list and
give ``None``; typed grids start from a base fixed per shape (``pool_typed_bases``) so edits
accumulate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.lessons import PoolSettings, parse_grid, sample_image, upstream_gradient
from cnnviz.net import Pair, Problem, SpecError
from cnnviz.viz import format_number
from pages.shared.session import tr

__all__ = ["input_values", "upstream_values"]


def _typed_grid(name: str, base: np.ndarray, label: str) -> np.ndarray:
    """An editable text grid; raises SpecError for cells that are not numbers."""
    bases = st.session_state.setdefault("pool_typed_bases", {})
    start = bases.setdefault((name, base.shape), np.asarray(base, dtype=np.float64))
    frame = pd.DataFrame(
        [[format_number(v) for v in row] for row in start],
        columns=[str(j) for j in range(start.shape[1])],
    )
    st.markdown(label)
    edited = st.data_editor(frame, key=f"pool_typed_{name}_{start.shape[0]}x{start.shape[1]}")
    return parse_grid(edited.to_numpy().tolist())


def input_values(settings: PoolSettings, problems: list[Problem]) -> np.ndarray | None:
    """The input (C, H, W) from the chosen source; None (and problems) for a bad typed cell."""
    height, width = settings.shape
    try:
        if settings.source == "request":
            return st.session_state["pool_request"].input.astype(np.float64)
        if settings.source == "typed":
            base = sample_image(1, height, width, "random_int", 0)[0]
            with st.expander(tr("conv.typed_input"), expanded=True):
                st.caption(tr("conv.typed_help"))
                return _typed_grid("input", base, tr("conv.channel_label", c=0))[None]
        return sample_image(1, height, width, settings.source, settings.seed).astype(np.float64)
    except SpecError as error:
        problems.extend(error.problems)
        return None


def upstream_values(
    settings: PoolSettings, out_hw: Pair, problems: list[Problem]
) -> np.ndarray | None:
    """dL/dy (H_out, W_out): seeded, all ones, or typed in a grid (None and problems for a typo)."""
    base = upstream_gradient(settings.grad_source, out_hw, settings.grad_seed)
    if settings.grad_source != "typed":
        return base
    try:
        with st.expander(tr("pool.typed_grad"), expanded=True):
            return _typed_grid("grad", base, tr("pool.upstream"))
    except SpecError as error:
        problems.extend(error.problems)
        return None
