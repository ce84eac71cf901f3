"""A lab scenario described the same way wherever it appears: its setup (training images, width,
depth, parameters, epochs) and what to look for. Never a page.

Used by the lab's scenario cards (``pages/lab/experiment.py``) and the lesson's scenario step
(``pages/teach/explore.py``).
"""

from __future__ import annotations

import streamlit as st

from cnnviz.net import NetSummary, infer
from cnnviz.teach import scenario_state
from pages.shared.session import tr

__all__ = ["scenario_setup"]


def scenario_setup(scenario_id: str) -> NetSummary:
    """The caption with the scenario's setup, then "Look for" and what to look for; returns the
    shapes of the network it trains (for a diagram)."""
    setup, net = scenario_state(scenario_id)
    summary = infer(net)
    st.caption(
        tr(
            "lab.scenario.setup",
            n=setup.train_size,
            width=f"{setup.width:g}",
            depth=setup.depth,
            params=f"{summary.total_params:,}",
            epochs=setup.epochs,
        )
    )
    st.markdown(f"**{tr('lab.scenario.look_for')}**")
    st.markdown(tr(f"lab.scenario.{scenario_id}.before", n=setup.train_size))
    return summary
