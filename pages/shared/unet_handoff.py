"""The U-Net travels between the Build page's U-Net view and "Beyond classification". Not a page.

A lesson folder never imports another lesson, so the session keys both pages write live here:
the Build page's U-Net view is on when its famous-network picker (``build_preset``) holds
:data:`UNET_CHOICE`, and shows the :class:`cnnviz.net.UNetSpec` in ``build_unet``; /beyond's
segmentation settings are the widget keys ``beyond_w_size``, ``beyond_w_depth`` and
``beyond_w_skips``, defined here and used by ``pages/beyond/state.py``.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from cnnviz.net import UNetSpec
from pages.shared.widgets import set_values

__all__ = [
    "BEYOND_DEPTH",
    "BEYOND_PAGE",
    "BEYOND_SIZE",
    "BEYOND_SKIPS",
    "BUILD_PAGE",
    "BUILD_PRESET",
    "BUILD_UNET",
    "OPEN_UNET",
    "UNET_CHOICE",
    "show_on_build",
    "train_on_beyond",
]

BUILD_PAGE: Final = "pages/build/page.py"
BEYOND_PAGE: Final = "pages/beyond/page.py"
#: The famous-network picker's choice that shows the U-Net view (not a sequential preset).
UNET_CHOICE: Final = "unet"
BUILD_PRESET: Final = "build_preset"
BUILD_UNET: Final = "build_unet"
#: One-shot: the Build page opens its U-Net view on its next run (after its first-visit set-up,
#: which would otherwise pick its default network).
OPEN_UNET: Final = "build_open_unet"
BEYOND_SIZE: Final = "beyond_w_size"
BEYOND_DEPTH: Final = "beyond_w_depth"
BEYOND_SKIPS: Final = "beyond_w_skips"


def show_on_build(spec: UNetSpec) -> None:
    """Open the Build page's U-Net view on ``spec`` (the script stops here)."""
    set_values({BUILD_UNET: spec, OPEN_UNET: True})
    st.switch_page(BUILD_PAGE)


def train_on_beyond(spec: UNetSpec) -> None:
    """Set /beyond's segmentation settings to ``spec``'s size, depth and skips and open it (the
    script stops here). The caller checks /beyond's limits first; /beyond re-checks them."""
    set_values({BEYOND_SIZE: spec.image_size, BEYOND_DEPTH: spec.depth, BEYOND_SKIPS: spec.skips})
    st.switch_page(BEYOND_PAGE)
