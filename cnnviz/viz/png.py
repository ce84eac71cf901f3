"""The one PNG encoder of cnnviz: arrays of uint8 pixels to PNG file bytes (PIL).

Used by :mod:`cnnviz.viz.pictures` (the feature maps, filters and probe image that the "Train
live" page redraws while a run trains: every byte is sent to every watching student, so the
pictures are compressed as far as zlib goes) and by :mod:`cnnviz.viz.picture_files` (the PNG
downloads of the /inside page).

Lesson: the "Train live" page and the /inside page.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

__all__ = ["encode_png"]

_MODES = {2: "L", 3: "RGB", 4: "RGBA"}  # by the number of channels (2: no channel axis)


def encode_png(
    pixels: np.ndarray,
    *,
    palette: np.ndarray | None = None,
    transparent: int | None = None,
) -> bytes:
    """``pixels`` as PNG bytes: (H, W) gray, (H, W, 3) RGB or (H, W, 4) RGBA uint8; with
    ``palette`` ((K, 3) uint8), (H, W) palette indices, and ``transparent`` the index drawn
    transparent. Always the smallest file zlib makes (level 9, PIL's ``optimize``): these
    pictures are a few KB, so the extra compression costs well under a millisecond."""
    array = np.ascontiguousarray(pixels, dtype=np.uint8)
    if palette is not None:
        if array.ndim != 2:
            raise ValueError(f"palette indices must be (H, W), not {array.shape}")
        image = Image.fromarray(array, mode="P")
        image.putpalette(np.asarray(palette, dtype=np.uint8).ravel().tolist())
    else:
        channels = array.shape[2] if array.ndim == 3 else array.ndim
        if channels not in _MODES or array.ndim not in (2, 3):
            raise ValueError(f"pixels must be (H, W), (H, W, 3) or (H, W, 4), not {array.shape}")
        image = Image.fromarray(array, mode=_MODES[channels])
    options: dict[str, object] = {"optimize": True}
    if transparent is not None:
        options["transparency"] = transparent
    out = io.BytesIO()
    image.save(out, format="PNG", **options)
    return out.getvalue()
