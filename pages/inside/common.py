"""What every section of the /inside page shares: the session memo of computed results, pictures
with their PNG download, the layer choice, class labels and the "what to notice" box.

Widget and state keys start with ``inside_``. Results are per learner (their network lives in
their session), so they are memoised in ``st.session_state`` (never ``st.cache_data``, which
every user shares), keyed by the network's key, and only the last :data:`MEMO_ENTRIES` are kept.
Never a page itself.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import numpy as np
import streamlit as st
import torch

from cnnviz.data import class_label
from cnnviz.i18n import t
from cnnviz.inside import InsideNet, SpatialLayer
from cnnviz.viz import enlarge, png_bytes
from pages.shared.links import link_to_page, registered_pages
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = [
    "MEMO_ENTRIES",
    "PAGE",
    "class_labels",
    "formatter",
    "layer_choice",
    "memo",
    "notice",
    "page_link",
    "show_picture",
    "tensor_key",
]

#: The page name for flash messages (``pages.shared.flash``).
PAGE = "inside"
#: Results kept per session (attribution maps, maxima, fields, curves...).
MEMO_ENTRIES = 24
SHOWN_PX = 168  # pictures on the page (the PNG download is larger)

T = TypeVar("T")


def memo(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per ``key`` in this session (least recently used dropped first)."""
    cache: OrderedDict[tuple[Hashable, ...], Any] = st.session_state.setdefault(
        "inside_memo", OrderedDict()
    )
    if key in cache:
        cache.move_to_end(key)
        return cache[key]  # type: ignore[no-any-return]
    value = compute()
    cache[key] = value
    while len(cache) > MEMO_ENTRIES:
        cache.popitem(last=False)
    return value


def tensor_key(x: torch.Tensor) -> str:
    """A short fingerprint of a picture, for memo keys."""
    return hashlib.blake2b(x.detach().numpy().tobytes(), digest_size=8).hexdigest()


def class_labels(inside: InsideNet) -> list[str]:
    """The network's class names for display, translated where the catalog knows them."""
    return [class_label(name, lang()) for name in inside.class_names]


def show_picture(
    rgb: np.ndarray, caption: str, file_name: str, key: str, *, width: int = SHOWN_PX
) -> None:
    """A picture (H, W, 3) uint8, enlarged with square pixels, and its PNG download button."""
    st.image(enlarge(rgb, width), caption=caption, width=width)
    st.download_button(
        tr("inside.download"),
        data=png_bytes(rgb),
        file_name=file_name,
        mime="image/png",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def layer_choice(
    label: str, layers: Sequence[SpatialLayer], key: str, default: int | None = None
) -> SpatialLayer:
    """A select box over ``layers`` (by index into ``net.layers``); a stale choice (another
    network) falls back to ``default`` (a layer index) or the last layer."""
    indices = [layer.index for layer in layers]
    fallback = default if default in indices else indices[-1]
    if st.session_state.get(key) not in indices:
        st.session_state[key] = fallback
    names = {layer.index: layer.name for layer in layers}
    chosen = st.selectbox(
        label, indices, format_func=names.__getitem__, key=key, persist_state=PERSIST
    )
    return next(layer for layer in layers if layer.index == chosen)


def formatter(prefix: str) -> Callable[[Any], str]:
    """``option -> catalog text of prefix + option`` in this run's language (captured now: a
    format function may be called outside the script run)."""
    code = lang()
    return lambda option: t(f"{prefix}{option}", code)


def notice(key: str, **params: Any) -> None:
    """The section's "what to notice" text, in a box of its own."""
    with st.container(border=True):
        st.markdown(f"**{tr('inside.notice')}** " + tr(key, **params))


def page_link(url_path: str, label: str) -> None:
    """A link to the app's page registered at ``url_path`` (nothing when it is not registered)."""
    page = registered_pages().get(url_path)
    if page is not None:
        link_to_page(page, label)
