"""Save and load a trained network: the spec as JSON plus the weights as safetensors, in one zip.

A checkpoint file is a zip with exactly three entries:

- ``spec.json``: the network (``cnnviz.net.schema.net_to_json``: versioned, validated on load);
- ``weights.safetensors``: the ``state_dict`` tensors (safetensors holds raw tensors only: loading
  it never runs code, unlike a pickle; ``torch.load`` is not used at all);
- ``meta.json``: format name and version, class names, the normalisation ``mean``/``std`` and the
  dataset name, so "try it yourself" works after loading.

Loading checks the sizes first (zip bombs), reads both JSON entries through the app's one guarded
JSON reader (:mod:`cnnviz.safe_json`), then checks the spec, that every tensor name, shape and
dtype is exactly what ``build_model(spec)`` expects, and that the metadata fits the network: one
``mean``/``std`` value per input channel (or none), one class name per output (or none), finite
numbers everywhere (``std`` in ``[MIN_STD, MAX_NORM]``, weights without NaN or inf, BatchNorm
running variances not negative). Every failure is a :class:`CheckpointError` with a catalog key
(``train.checkpoint.error.*``) that says what is wrong, in English and Chinese.

Lesson: the "Train live" page (download / upload a trained network).
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from dataclasses import dataclass, field
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load, save
from torch import nn

from cnnviz import safe_json
from cnnviz.i18n import MessageError
from cnnviz.net import NetSpec, SpecError, build_model, infer, net_from_json, net_to_json

__all__ = [
    "FORMAT",
    "MAX_CHECKPOINT_BYTES",
    "VERSION",
    "Checkpoint",
    "CheckpointError",
    "load_checkpoint",
    "model_from_checkpoint",
    "save_checkpoint",
]

FORMAT = "cnnviz-checkpoint"
VERSION = 1
MAX_CHECKPOINT_BYTES = 300 * 1024 * 1024  # AlexNet's 61M float32 weights are ~245 MB
MAX_JSON_BYTES = 1024 * 1024
MAX_META_NESTING = 8  # meta.json nests 3 deep ({"extra": {...}}); 8 is plenty
MAX_CLASS_NAME_CHARS = 200
MIN_STD = 1e-6  # the data loaders replace a smaller std by 1 (a constant channel)
MAX_NORM = 1e3  # |mean| and std of pixels scaled to [0, 1] are far below this
ENTRIES = ("meta.json", "spec.json", "weights.safetensors")


class CheckpointError(MessageError):
    """A checkpoint that cannot be loaded; ``key`` is a catalog key, ``params`` fill it in."""


@dataclass
class Checkpoint:
    """A loaded checkpoint: the network, its weights and what is needed to feed it images."""

    net: NetSpec
    state_dict: dict[str, torch.Tensor]
    class_names: tuple[str, ...] = ()
    mean: tuple[float, ...] = ()
    std: tuple[float, ...] = ()
    dataset: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def save_checkpoint(
    model: nn.Module,
    net: NetSpec,
    *,
    class_names: tuple[str, ...] = (),
    mean: tuple[float, ...] = (),
    std: tuple[float, ...] = (),
    dataset: str = "",
    extra: dict[str, Any] | None = None,
) -> bytes:
    """The checkpoint zip of ``model`` (built from ``net``) as bytes, ready to download."""

    tensors = {
        name: tensor.detach().to("cpu").contiguous().clone()
        for name, tensor in model.state_dict().items()
    }
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "class_names": list(class_names),
        "mean": [float(v) for v in mean],
        "std": [float(v) for v in std],
        "dataset": dataset,
        "extra": extra or {},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta.json", json.dumps(meta, ensure_ascii=False, indent=1))
        archive.writestr("spec.json", net_to_json(net))
        archive.writestr("weights.safetensors", save(tensors))
    return buffer.getvalue()


def _read_entries(raw: bytes) -> dict[str, bytes]:
    if len(raw) > MAX_CHECKPOINT_BYTES:
        raise CheckpointError("train.checkpoint.error.too_big", maximum=MAX_CHECKPOINT_BYTES >> 20)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CheckpointError("train.checkpoint.error.not_zip") from exc
    with archive:
        infos = archive.infolist()
        names = sorted(info.filename for info in infos)
        if names != sorted(ENTRIES):
            raise CheckpointError(
                "train.checkpoint.error.entries",
                found=", ".join(names[:10]) or "-",
                expected=", ".join(ENTRIES),
            )
        entries = {}
        for info in infos:
            limit = (
                MAX_CHECKPOINT_BYTES if info.filename.endswith(".safetensors") else MAX_JSON_BYTES
            )
            if info.file_size > limit:
                raise CheckpointError(
                    "train.checkpoint.error.too_big", maximum=MAX_CHECKPOINT_BYTES >> 20
                )
            try:
                with archive.open(info) as handle:
                    data = handle.read(limit + 1)  # never trust the declared size alone
            except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
                raise CheckpointError("train.checkpoint.error.not_zip") from exc
            if len(data) > limit:
                raise CheckpointError(
                    "train.checkpoint.error.too_big", maximum=MAX_CHECKPOINT_BYTES >> 20
                )
            entries[info.filename] = data
    return entries


def _meta(raw: bytes) -> dict[str, Any]:
    """meta.json parsed (guarded) with the types of its fields checked; the values are checked
    against the network by :func:`_check_meta`."""
    try:
        meta = safe_json.loads(raw, max_bytes=MAX_JSON_BYTES, max_nesting=MAX_META_NESTING)
    except safe_json.JsonError as exc:
        if exc.problem.reason == "too_big":
            raise CheckpointError(
                "train.checkpoint.error.too_big", maximum=MAX_CHECKPOINT_BYTES >> 20
            ) from None
        if "is not a JSON number" in exc.problem.detail:  # NaN, Infinity: never a statistic
            raise CheckpointError("train.checkpoint.error.meta_not_finite") from None
        raise CheckpointError("train.checkpoint.error.meta") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError("train.checkpoint.error.meta")
    if meta.get("version") != VERSION:
        raise CheckpointError(
            "train.checkpoint.error.version", version=str(meta.get("version")), expected=VERSION
        )
    for name in ("class_names", "mean", "std"):
        value = meta.get(name, [])
        if not isinstance(value, list) or len(value) > 100_000:
            raise CheckpointError("train.checkpoint.error.meta")
    if not all(isinstance(c, str) for c in meta.get("class_names", [])):
        raise CheckpointError("train.checkpoint.error.meta")
    for name in ("mean", "std"):
        values = meta.get(name, [])
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            raise CheckpointError("train.checkpoint.error.meta")
    return meta


def _as_float(value: float) -> float:
    """``value`` as a float; inf for an integer too large for one (JSON allows 1e999 digits)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _check_meta(meta: dict[str, Any], net: NetSpec) -> None:
    """The metadata must fit the network it travels with (a hand-edited meta.json may not):
    ``mean``/``std`` have one value per input channel, ``class_names`` one name per output."""
    channels = int(net.input_shape[0])
    output = infer(net).output_shape
    if output is None or len(output) != 1:
        raise CheckpointError("train.checkpoint.error.not_classifier", shape=str(output))
    outputs = int(output[0])
    mean, std = meta.get("mean", []), meta.get("std", [])
    for name, values in (("mean", mean), ("std", std)):
        if values and len(values) != channels:
            raise CheckpointError(
                "train.checkpoint.error.norm_length",
                field=name,
                found=len(values),
                channels=channels,
            )
    if bool(mean) != bool(std):
        raise CheckpointError("train.checkpoint.error.norm_pair")
    for value in mean:
        if not abs(_as_float(value)) <= MAX_NORM:  # NaN fails too
            raise CheckpointError(
                "train.checkpoint.error.norm_value",
                field="mean",
                value=repr(value),
                low=-MAX_NORM,
                high=MAX_NORM,
            )
    for value in std:
        if not MIN_STD <= _as_float(value) <= MAX_NORM:
            raise CheckpointError(
                "train.checkpoint.error.norm_value",
                field="std",
                value=repr(value),
                low=MIN_STD,
                high=MAX_NORM,
            )
    names = meta.get("class_names", [])
    if names and len(names) != outputs:
        raise CheckpointError(
            "train.checkpoint.error.class_count", found=len(names), outputs=outputs
        )
    if any(not name.strip() or len(name) > MAX_CLASS_NAME_CHARS for name in names):
        raise CheckpointError("train.checkpoint.error.class_name", limit=MAX_CLASS_NAME_CHARS)


def _check_finite(tensors: dict[str, torch.Tensor]) -> None:
    """No NaN or inf in any floating tensor; BatchNorm's running variance is never negative
    (its square root divides the activations)."""
    for name, tensor in tensors.items():
        if not tensor.is_floating_point():
            continue
        if not bool(torch.isfinite(tensor).all()):
            raise CheckpointError("train.checkpoint.error.not_finite", name=name)
        if name.endswith("running_var") and bool((tensor < 0).any()):
            raise CheckpointError("train.checkpoint.error.negative_variance", name=name)


def load_checkpoint(raw: bytes) -> Checkpoint:
    """Parse and validate a checkpoint made by :func:`save_checkpoint` (never unpickles)."""

    entries = _read_entries(raw)
    meta = _meta(entries["meta.json"])
    try:
        net = net_from_json(entries["spec.json"])  # bytes: the guarded reader decodes them
    except SpecError as exc:
        raise CheckpointError("train.checkpoint.error.spec", error=str(exc)) from exc
    try:
        tensors = load(entries["weights.safetensors"])
    except (SafetensorError, ValueError, RuntimeError, OSError) as exc:
        raise CheckpointError("train.checkpoint.error.weights") from exc
    try:
        expected = build_model(net).state_dict()
    except SpecError as exc:
        raise CheckpointError("train.checkpoint.error.spec", error=str(exc)) from exc
    missing = sorted(set(expected) - set(tensors))
    unexpected = sorted(set(tensors) - set(expected))
    if missing or unexpected:
        raise CheckpointError(
            "train.checkpoint.error.names",
            missing=", ".join(missing[:5]) or "-",
            unexpected=", ".join(unexpected[:5]) or "-",
        )
    for name, reference in expected.items():
        tensor = tensors[name]
        if tuple(tensor.shape) != tuple(reference.shape) or tensor.dtype != reference.dtype:
            raise CheckpointError(
                "train.checkpoint.error.shape",
                name=name,
                found=f"{tuple(tensor.shape)} {tensor.dtype}",
                expected=f"{tuple(reference.shape)} {reference.dtype}",
            )
    _check_finite(tensors)
    _check_meta(meta, net)
    return Checkpoint(
        net=net,
        state_dict=tensors,
        class_names=tuple(meta.get("class_names", [])),
        mean=tuple(float(v) for v in meta.get("mean", [])),
        std=tuple(float(v) for v in meta.get("std", [])),
        dataset=str(meta.get("dataset", "")),
        extra=meta.get("extra", {}) if isinstance(meta.get("extra"), dict) else {},
    )


def model_from_checkpoint(checkpoint: Checkpoint) -> nn.Module:
    """Build the checkpoint's network and load its weights (strict: every name must match)."""

    model = build_model(checkpoint.net)
    model.load_state_dict(checkpoint.state_dict, strict=True)
    model.eval()
    return model
