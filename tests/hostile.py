"""The hostile inputs of issue 9 as a corpus: every file is generated here, none is committed.

Each function returns the bytes a hostile (or unlucky) student would upload. The tests in
``tests/test_hostile_corpus.py`` feed them through the library and the pages and check that each
one ends in a precise message (never a traceback, never a silent wrong answer).
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from collections.abc import Callable

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load, save

from cnnviz.net import FlattenSpec, LinearSpec, NetSpec, build_model, get_preset
from cnnviz.train import save_checkpoint

__all__ = [
    "BAD_CHECKPOINTS",
    "DEEP_HISTORY",
    "ORIENTATION_NET",
    "bad_utf8_name_zip",
    "checkpoint",
    "class_zip",
    "encrypted_zip",
    "exif_rotated_jpeg",
    "orientation_checkpoint",
    "png16",
    "rewrite",
    "upright_picture",
]

#: Overfitting lab -> Compare runs -> import: 200,000 nested brackets (400 KB).
DEEP_HISTORY = ("[" * 200_000 + "]" * 200_000).encode()


# ----------------------------------------------------------------------------------- checkpoints


def rewrite(raw: bytes, **entries: bytes) -> bytes:
    """The checkpoint zip ``raw`` with some entries replaced."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            found[name] = archive.read(name)
    found.update(entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in found.items():
            archive.writestr(name, data)
    return out.getvalue()


def checkpoint(
    *,
    meta: dict[str, object] | None = None,
    meta_text: str | None = None,
    weights: Callable[[dict[str, torch.Tensor]], None] | None = None,
    preset: str = "tiny",
) -> bytes:
    """A checkpoint of ``preset`` (6 classes, 1 channel for "tiny") with meta.json fields
    replaced by ``meta`` (or the whole file by ``meta_text``) and tensors edited by ``weights``."""
    net = get_preset(preset)
    raw = save_checkpoint(
        build_model(net, seed=0),
        net,
        class_names=tuple("abcdef"),
        mean=(0.5,) * net.input_shape[0],
        std=(0.25,) * net.input_shape[0],
        dataset="shapes",
    )
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        saved_meta = json.loads(archive.read("meta.json"))
        tensors = load(archive.read("weights.safetensors"))
    replaced: dict[str, bytes] = {}
    if meta is not None or meta_text is not None:
        text = meta_text if meta_text is not None else json.dumps({**saved_meta, **meta})
        replaced["meta.json"] = text.encode()
    if weights is not None:
        weights(tensors)
        replaced["weights.safetensors"] = save(tensors)
    return rewrite(raw, **replaced) if replaced else raw


def _nan_weight(tensors: dict[str, torch.Tensor]) -> None:
    tensors["layers.0.weight"][0, 0, 0, 0] = float("nan")


def _inf_bias(tensors: dict[str, torch.Tensor]) -> None:
    tensors["layers.7.bias"][2] = float("inf")


def _negative_variance(tensors: dict[str, torch.Tensor]) -> None:
    name = next(k for k in tensors if k.endswith("running_var"))
    tensors[name][0] = -1.0


#: name -> (checkpoint bytes, the catalog key of the message that must refuse it)
BAD_CHECKPOINTS: dict[str, tuple[Callable[[], bytes], str]] = {
    "mean_5000_values": (
        lambda: checkpoint(meta={"mean": [0.5] * 5000, "std": [0.25] * 5000}),
        "train.checkpoint.error.norm_length",
    ),
    "std_3_values_for_1_channel": (
        lambda: checkpoint(meta={"std": [0.2, 0.2, 0.2]}),
        "train.checkpoint.error.norm_length",
    ),
    "mean_without_std": (
        lambda: checkpoint(meta={"std": []}),
        "train.checkpoint.error.norm_pair",
    ),
    "one_class_name_for_6_outputs": (
        lambda: checkpoint(meta={"class_names": ["only"]}),
        "train.checkpoint.error.class_count",
    ),
    "empty_class_name": (
        lambda: checkpoint(meta={"class_names": ["a", "b", "", "d", "e", "f"]}),
        "train.checkpoint.error.class_name",
    ),
    "std_nan": (
        lambda: checkpoint(meta_text=json.dumps({**_meta(), "std": [float("nan")]})),
        "train.checkpoint.error.meta_not_finite",
    ),
    "mean_infinity": (
        lambda: checkpoint(meta_text=json.dumps({**_meta(), "mean": [float("inf")]})),
        "train.checkpoint.error.meta_not_finite",
    ),
    "std_1e-308": (
        lambda: checkpoint(meta={"std": [1e-308]}),
        "train.checkpoint.error.norm_value",
    ),
    "std_negative": (
        lambda: checkpoint(meta={"std": [-0.5]}),
        "train.checkpoint.error.norm_value",
    ),
    "mean_1e400_digits": (
        lambda: checkpoint(
            meta_text=json.dumps(_meta()).replace('"mean": [0.5]', '"mean": [1' + "0" * 400 + "]")
        ),
        "train.checkpoint.error.norm_value",
    ),
    "nan_weight": (lambda: checkpoint(weights=_nan_weight), "train.checkpoint.error.not_finite"),
    "inf_bias": (lambda: checkpoint(weights=_inf_bias), "train.checkpoint.error.not_finite"),
    "negative_running_var": (
        lambda: checkpoint(preset="resnet-mini", weights=_negative_variance),
        "train.checkpoint.error.negative_variance",
    ),
}


def _meta() -> dict[str, object]:
    return {
        "format": "cnnviz-checkpoint",
        "version": 1,
        "class_names": list("abcdef"),
        "mean": [0.5],
        "std": [0.25],
        "dataset": "shapes",
        "extra": {},
    }


# -------------------------------------------------------------------------------- pictures


def upright_picture(size: int = 64) -> np.ndarray:
    """An (H, W, 3) uint8 picture whose orientation is obvious: the top half bright, the bottom
    half dark, and a bright square in the left half of the dark part (so no flip is ambiguous)."""
    picture = np.full((size, size, 3), 30, dtype=np.uint8)
    picture[: size // 2] = 230
    picture[size * 5 // 8 : size * 7 // 8, size // 8 : size * 3 // 8] = 230
    return picture


def exif_rotated_jpeg(size: int = 64) -> bytes:
    """A phone photo stored sideways: pixels rotated 90 degrees counter-clockwise and EXIF
    orientation 6 ("rotate 90 degrees clockwise to display"), so a viewer shows
    :func:`upright_picture`."""
    stored = Image.fromarray(upright_picture(size)).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    out = io.BytesIO()
    stored.save(out, format="JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def png16(width: int = 64, height: int = 16) -> bytes:
    """A 16-bit greyscale PNG: a left-to-right ramp from 0 to 65535 (``convert("L")`` clips it
    to pure white)."""
    ramp = np.linspace(0, 65535, width).round().astype(np.uint16)
    pixels = np.tile(ramp, (height, 1))
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")  # mode "I;16"
    return out.getvalue()


# ------------------------------------------------------------------------------------- zips


def class_zip(files: dict[str, bytes]) -> bytes:
    """A zip with the given member names and contents (stored, no compression)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _png(value: int) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.full((8, 8, 3), value, dtype=np.uint8)).save(out, format="PNG")
    return out.getvalue()


def _set_flag(raw: bytes, flag: int) -> bytes:
    """Set a general-purpose bit in every local and central header of a zip."""
    data = bytearray(raw)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) >= 0:
            (bits,) = struct.unpack_from("<H", data, found + offset)
            struct.pack_into("<H", data, found + offset, bits | flag)
            start = found + 4
    return bytes(data)


def encrypted_zip() -> bytes:
    """A zip of two class folders whose members are marked encrypted (as "zip -e" writes them)."""
    plain = class_zip({f"{c}/{i}.png": _png(40 * i) for c in ("cat", "dog") for i in range(3)})
    return _set_flag(plain, 0x1)


def bad_utf8_name_zip() -> bytes:
    """A zip whose member name is flagged UTF-8 (bit 11) but holds GBK bytes: the class folder
    "猫狗" as a Chinese Windows zip tool writes it, with a tool that also sets the UTF-8 flag."""
    gbk = "猫狗".encode("gbk")  # b"\xc3\xa8\xb9\xb7": not valid UTF-8
    placeholder = b"a" * len(gbk)
    plain = class_zip({f"{placeholder.decode()}/1.png": _png(10), "dog/1.png": _png(200)})
    assert plain.count(placeholder + b"/") == 2  # the local and the central header
    return _set_flag(plain.replace(placeholder + b"/", gbk + b"/"), 0x800)


#: The network that tells orientation apart: 1x8x8 -> Flatten -> Linear(4); class 0 "top" scores
#: bright top rows, 1 "bottom", 2 "left", 3 "right" bright columns (weights set by
#: :func:`orientation_checkpoint`).
ORIENTATION_NET = NetSpec(
    name="orientation",
    input_shape=(1, 8, 8),
    layers=(FlattenSpec(), LinearSpec(4)),
)


def orientation_checkpoint() -> bytes:
    """A checkpoint of :data:`ORIENTATION_NET` whose prediction says where the bright half is."""
    model = build_model(ORIENTATION_NET, seed=0)
    rows, cols = np.indices((8, 8))
    masks = [rows < 4, rows >= 4, cols < 4, cols >= 4]
    weight = np.stack([np.where(m, 1.0, -1.0).ravel() for m in masks]).astype(np.float32)
    state = model.state_dict()
    linear = next(k for k in state if k.endswith("weight"))
    state[linear] = torch.from_numpy(weight)
    state[linear.replace("weight", "bias")] = torch.zeros(4)
    model.load_state_dict(state)
    return save_checkpoint(
        model,
        ORIENTATION_NET,
        class_names=("top", "bottom", "left", "right"),
        mean=(0.5,),
        std=(0.5,),
        dataset="upload",
    )
