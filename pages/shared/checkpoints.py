"""A checkpoint the learner uploads, read once per file: shared by the Train page's "Try it
yourself" and the /inside page's network picker. Not a page.

The file is validated by ``cnnviz.train.load_checkpoint`` (sizes, shapes, metadata against the
network); a bad one shows its message and keeps what was loaded before.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from cnnviz.train import CheckpointError, load_checkpoint, model_from_checkpoint
from pages.shared.session import lang

__all__ = ["uploaded_checkpoint"]


def uploaded_checkpoint(upload: Any, slot: str) -> tuple[dict[str, Any] | None, bool]:
    """The checkpoint in ``upload`` as ``{"file_id", "name", "model", "checkpoint"}``, kept in
    ``st.session_state[slot]``, and whether it was read just now (False: the same file as
    before, not read again). ``(None, False)`` when the file is refused (its message is shown)."""
    loaded = st.session_state.get(slot)
    if isinstance(loaded, dict) and loaded.get("file_id") == upload.file_id:
        return loaded, False
    try:
        checkpoint = load_checkpoint(upload.getvalue())
        model = model_from_checkpoint(checkpoint)
    except CheckpointError as exc:
        st.error(exc.text(lang()), icon="⚠️")
        return None, False
    loaded = {
        "file_id": upload.file_id,
        "name": checkpoint.net.name or upload.name,
        "model": model,
        "checkpoint": checkpoint,
    }
    st.session_state[slot] = loaded
    return loaded, True
