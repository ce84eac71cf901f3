"""The one dataset cache of the server: every page loads its data through :func:`dataset`.
Not a page.

Dataset tensors are large and read-only, so one copy serves every session and every page
(``st.cache_resource``): the Train page and the Overfitting lab asking for the same
``DataConfig`` get the same bundle, never a second copy. An uploaded zip is keyed by the SHA-256
of its bytes, not by the bytes themselves. Never mutate a bundle: another learner may be
training on it.
"""

from __future__ import annotations

import dataclasses
import hashlib

import streamlit as st

from cnnviz.data import DataConfig, DatasetBundle, load_dataset

__all__ = ["MAX_DATASETS", "dataset", "upload_digest"]

#: Bundles kept at once, uploads included (the least recently used one is dropped first).
MAX_DATASETS = 8


def upload_digest(raw: bytes) -> str:
    """The SHA-256 of an uploaded file's bytes, as hex: its identity in the cache."""
    return hashlib.sha256(raw).hexdigest()


@st.cache_resource(max_entries=MAX_DATASETS, show_spinner=False)
def _cached(cfg: DataConfig, digest: str, _upload: bytes | None) -> DatasetBundle:
    """The bundle of ``cfg`` (plus the upload whose SHA-256 is ``digest``; "" for none)."""
    if _upload is None:
        return load_dataset(cfg)
    return load_dataset(dataclasses.replace(cfg, upload_zip=_upload))


def dataset(cfg: DataConfig, upload: bytes | None = None) -> DatasetBundle:
    """The dataset ``cfg`` describes, loaded once per server; ``upload`` is the zip of the
    learner's own images when ``cfg`` names an upload.

    Bytes in ``cfg.upload_zip`` count as ``upload``: the cache key holds their digest, never the
    bytes. Raises ``cnnviz.data.DataError`` (nothing is cached then).
    """
    if cfg.upload_zip is not None:
        upload, cfg = cfg.upload_zip, dataclasses.replace(cfg, upload_zip=None)
    digest = upload_digest(upload) if upload is not None else ""
    return _cached(cfg, digest, upload)
