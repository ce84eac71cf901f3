"""Pooling stepper: the output-size formulas with the numbers filled in, and the PyTorch line.

Never a page. The formulas, the truncated rows/columns and the code come from
``cnnviz.lessons.PoolStepper``; this module only writes them out.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import PoolStepper
from pages.shared.session import tr

__all__ = ["formulas"]


def formulas(stepper: PoolStepper) -> None:
    """Output size, what floor() cuts off, overlapping and padding notes, ``nn.MaxPool2d(...)``."""
    settings = stepper.settings
    st.subheader(tr("conv.formula_title"))
    st.code("\n".join(stepper.output_formulas()), language=None, wrap_lines=True)
    rows, cols = stepper.unreached()
    if rows or cols:
        parts = [tr("conv.trunc_rows", n=rows)] if rows else []
        parts += [tr("conv.trunc_cols", n=cols)] if cols else []
        lost = "conv.truncation_pixels" if any(stepper.dropped()) else "conv.truncation_padding"
        what = tr("conv.trunc_and").join(parts)
        st.warning(f"{tr('conv.truncation', what=what)} {tr(lost)}", icon="✂️")
    if settings.overlapping:
        st.markdown(tr("pool.overlapping_note"))
    st.markdown(tr(f"pool.padding_note_{settings.kind}"))
    st.code(settings.pytorch_code(), language="python", wrap_lines=True)
