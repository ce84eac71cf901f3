"""Convolution stepper: the input values and the kernels, from samples, an upload or typed grids.

Never a page. Bad values (a typo in a grid, an unreadable upload, groups that do not divide the
channels) are added to the caller's ``problems`` list and give ``None``; typed grids start from a
base fixed per shape (``conv_typed_bases``) so edits accumulate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.data import ImageError
from cnnviz.lessons import (
    ConvSettings,
    conv_weights,
    groups_problem,
    image_patch,
    named_kernel,
    parse_grid,
    sample_image,
)
from cnnviz.net import Problem, SpecError
from cnnviz.viz import format_number
from pages.shared.session import lang, tr

__all__ = ["input_values", "kernel_weights"]


def _grid_editor(key: str, base: np.ndarray) -> pd.DataFrame:
    """An editable grid of text cells (so a typo reaches us and can be reported, not blocked)."""
    frame = pd.DataFrame(
        [[format_number(v) for v in row] for row in base],
        columns=[str(j) for j in range(base.shape[1])],
    )
    return st.data_editor(frame, key=key, hide_index=False, width="content")


def _typed_base(name: str, shape: tuple[int, ...], fallback: np.ndarray) -> np.ndarray:
    """The starting values of a typed grid, fixed per shape so edits accumulate on a stable base."""
    bases = st.session_state.setdefault("conv_typed_bases", {})
    key = (name, shape)
    if key not in bases:
        bases[key] = np.asarray(fallback, dtype=np.float64).reshape(shape)
    return bases[key]


def input_values(settings: ConvSettings, problems: list[Problem]) -> np.ndarray | None:
    """The input (C, H, W) from the chosen source; None (and maybe problems) if there is none."""
    channels, height, width = settings.shape
    source = settings.source
    try:
        if source == "request":
            return st.session_state["conv_request"].input.astype(np.float64)
        if source in ("seed003", "random_int", "digit"):
            return sample_image(channels, height, width, source, settings.seed).astype(np.float64)
        if source == "upload":
            if settings.upload is None:
                st.info(tr("conv.upload_first"), icon="⬅️")
                st.session_state["conv_waiting"] = True
                return None
            return image_patch(settings.upload, channels, height, width).astype(np.float64)
        # typed: one editable grid per channel
        fallback = sample_image(channels, height, width, "seed003")
        base = _typed_base("input", (channels, height, width), fallback)
        with st.expander(tr("conv.typed_input"), expanded=True):
            st.caption(tr("conv.typed_help"))
            cols = st.columns(channels)
            grids = []
            for c, col in enumerate(cols):
                with col:
                    st.markdown(tr("conv.channel_label", c=c))
                    edited = _grid_editor(f"conv_typed_{c}_{height}x{width}", base[c])
                    grids.append(parse_grid(edited.to_numpy().tolist()))
        return np.stack(grids)
    except SpecError as error:
        problems.extend(error.problems)
        return None
    except ImageError as error:
        st.error(error.text(lang()), icon="⚠️")
        return None


def kernel_weights(settings: ConvSettings, problems: list[Problem]) -> np.ndarray | None:
    """Conv weights (F, C/groups, kh, kw) from the kernel choices (or the request), typed edits
    included; None (and a problem) when the groups do not divide the channels."""
    problem = groups_problem(settings)
    if problem is not None:
        problems.append(problem)
        return None
    weights = conv_weights(settings, st.session_state.get("conv_request"))
    if settings.source == "request":
        return weights
    channels, groups = settings.shape[0], settings.groups
    kh, kw = settings.kernel
    names = settings.kernel_names
    typed = [f for f, n in enumerate(names) if n == "typed"]
    if typed:
        with st.expander(tr("conv.typed_kernels"), expanded=True):
            st.caption(tr("conv.typed_help"))
            for f in typed:
                cols = st.columns(channels // groups)
                for c, col in enumerate(cols):
                    with col:
                        st.markdown(tr("conv.kernel_channel_label", f=f, c=c))
                        base = _typed_base(
                            f"kernel{f}_{c}", (kh, kw), named_kernel("identity", kh, kw).values
                        )
                        edited = _grid_editor(f"conv_kernel_typed_{f}_{c}_{kh}x{kw}", base)
                        try:
                            weights[f, c] = parse_grid(edited.to_numpy().tolist())
                        except SpecError as error:
                            problems.extend(error.problems)
    return weights
