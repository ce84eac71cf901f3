"""Convolution stepper: the input values and the kernels, from samples, an upload or typed grids.

Never a page. Bad values (a typo in a grid, an unreadable upload, groups that do not divide the
channels) are added to the caller's ``problems`` list and give ``None``; typed grids start from a
base fixed per shape (``conv_typed_bases``) so edits accumulate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.kernels import make_weights, named_kernel
from cnnviz.samples import image_patch, parse_grid, sample_image
from cnnviz.specs import Problem, SpecError
from cnnviz.viz_theme import format_number
from pages._ui import tr

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


def input_values(cfg: dict[str, Any], problems: list[Problem]) -> np.ndarray | None:
    """The input (C, H, W) from the chosen source; None (and maybe problems) if there is none."""
    channels, height, width = cfg["shape"]
    source = cfg["source"]
    try:
        if source == "request":
            return st.session_state["conv_request"]["input"].astype(np.float64)
        if source in ("seed003", "random_int", "digit"):
            return sample_image(channels, height, width, source, cfg["seed"]).astype(np.float64)
        if source == "upload":
            if cfg["upload"] is None:
                st.info(tr("conv.upload_first"), icon="⬅️")
                st.session_state["conv_waiting"] = True
                return None
            return image_patch(cfg["upload"].getvalue(), channels, height, width).astype(np.float64)
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


def kernel_weights(cfg: dict[str, Any], problems: list[Problem]) -> np.ndarray | None:
    """Conv weights (F, C/groups, kh, kw) from the kernel choices (or the request)."""
    channels = cfg["shape"][0]
    kh, kw = cfg["kernel"]
    groups = cfg["groups"]
    if channels % groups:
        problems.append(
            Problem.make(
                "step_groups_mismatch",
                field="groups",
                groups=groups,
                in_channels=channels,
                out_channels=cfg["filters"],
            )
        )
        return None
    if cfg["source"] == "request":
        request = st.session_state["conv_request"]
        given = request["weights"]
        expected = (cfg["filters"], channels // groups, kh, kw)
        if given is not None and given.shape == expected:
            return given
        return make_weights(["random"] * cfg["filters"], channels, kh, kw, seed=0, groups=groups)
    names = cfg["kernel_names"]
    weights = make_weights(
        [n if n != "typed" else "identity" for n in names],
        channels,
        kh,
        kw,
        seed=cfg["seed"],
        groups=groups,
    )
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
