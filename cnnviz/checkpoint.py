"""Save and load a trained network: the spec as JSON plus the weights as safetensors, in one zip.

A checkpoint file is a zip with exactly three entries:

- ``spec.json``: the network (``cnnviz.schema.net_to_json``: versioned, validated on load);
- ``weights.safetensors``: the ``state_dict`` tensors (safetensors holds raw tensors only: loading
  it never runs code, unlike a pickle; ``torch.load`` is not used at all);
- ``meta.json``: format name and version, class names, the normalisation ``mean``/``std`` and the
  dataset name, so "try it yourself" works after loading.

Loading checks the sizes first (zip bombs), then the spec, then that every tensor name, shape and
dtype is exactly what ``build_model(spec)`` expects. Every failure is a :class:`CheckpointError`
with a catalog key (``train.checkpoint.error.*``).

Lesson: the "Train live" page (download / upload a trained network).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from cnnviz.specs import NetSpec, SpecError

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
ENTRIES = ("meta.json", "spec.json", "weights.safetensors")


class CheckpointError(ValueError):
    """A checkpoint that cannot be loaded; ``key`` is a catalog key, ``params`` fill it in."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}" if params else key)

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``."""
        from cnnviz.i18n import t

        return t(self.key, lang, **self.params)


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
    from safetensors.torch import save

    from cnnviz.schema import net_to_json

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
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError("train.checkpoint.error.meta") from exc
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
    if any(float(v) <= 0 for v in meta.get("std", [])):
        raise CheckpointError("train.checkpoint.error.meta")
    return meta


def load_checkpoint(raw: bytes) -> Checkpoint:
    """Parse and validate a checkpoint made by :func:`save_checkpoint` (never unpickles)."""
    from safetensors import SafetensorError
    from safetensors.torch import load

    from cnnviz.builder import build_model
    from cnnviz.schema import net_from_json

    entries = _read_entries(raw)
    meta = _meta(entries["meta.json"])
    try:
        net = net_from_json(entries["spec.json"].decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CheckpointError("train.checkpoint.error.spec", error="UTF-8") from exc
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
    from cnnviz.builder import build_model

    model = build_model(checkpoint.net)
    model.load_state_dict(checkpoint.state_dict, strict=True)
    model.eval()
    return model
