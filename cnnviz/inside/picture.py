"""A learner's own picture (drawn or uploaded) as the network's input, saying what was changed.

The picture is resized (antialiased) to the network's input size and converted to its channel
count by :func:`cnnviz.train.image_to_input`; :func:`prepare_picture` also returns one note per
change, so the page can say "resized from 512x384 to 28x28" instead of changing it silently.

Lesson: the /inside page (the picture every section looks at).
"""

from __future__ import annotations

import numpy as np
import torch

from cnnviz.data import has_colour
from cnnviz.i18n import Message
from cnnviz.inside.network import InsideNet
from cnnviz.train import image_to_input

__all__ = ["picture_notes", "prepare_picture"]


def picture_notes(pixels: np.ndarray, input_shape: tuple[int, int, int]) -> list[Message]:
    """What turning ``pixels`` ((H, W), (H, W, 3) or (H, W, 4)) into an input of
    ``input_shape`` (C, H, W) changes: its size, and colour <-> grey."""
    channels, height, width = input_shape
    array = np.asarray(pixels)
    notes = []
    if tuple(array.shape[:2]) != (height, width):
        notes.append(
            Message.of(
                "inside.note.resized",
                found=f"{array.shape[0]}x{array.shape[1]}",
                size=f"{height}x{width}",
            )
        )
    rgb = array[..., :3] if array.ndim == 3 else array
    if rgb.dtype != np.uint8:
        rgb = np.clip(rgb.astype(np.float32), 0.0, 1.0) * 255  # a float picture in [0, 1]
    colour = array.ndim == 3 and array.shape[2] >= 3 and has_colour(np.ascontiguousarray(rgb))
    if channels == 1 and colour:
        notes.append(Message.of("inside.note.to_grey"))
    elif channels == 3 and not colour:
        notes.append(Message.of("inside.note.to_colour"))
    return notes


def prepare_picture(
    pixels: np.ndarray, inside: InsideNet, *, drawn: bool = False
) -> tuple[torch.Tensor, list[Message]]:
    """``pixels`` as a normalised input (C, H, W) of ``inside``'s network, and the notes of
    :func:`picture_notes`. A drawing on a grey network is framed like MNIST's digits."""
    channels, height, width = inside.input_shape
    x = image_to_input(
        pixels,
        (channels, height, width),
        inside.mean,
        inside.std,
        center_drawing=drawn and channels == 1,
    )
    return x, picture_notes(pixels, inside.input_shape)
