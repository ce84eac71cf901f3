"""Pick the compute device: CUDA, then Apple MPS, then CPU, with an override; describe it.

Lesson: every page shows the device in use in the sidebar; the Train page trains on it.
"""

from __future__ import annotations

import torch

from cnnviz.i18n import t  # leaf module; imported here to keep device.py import-light

__all__ = ["DEVICE_CHOICES", "available_devices", "device_label", "pick_device"]

DEVICE_CHOICES: tuple[str, ...] = ("auto", "cuda", "mps", "cpu")


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def available_devices() -> list[str]:
    """Device kinds usable here, best first; ``cpu`` is always last."""
    found = []
    if torch.cuda.is_available():
        found.append("cuda")
    if _mps_available():
        found.append("mps")
    return [*found, "cpu"]


def pick_device(override: str | None = "auto") -> torch.device:
    """``auto`` (or None): CUDA, then MPS, then CPU. An unavailable override falls back to CPU."""
    if override in (None, "auto"):
        return torch.device(available_devices()[0])
    if override in available_devices():
        return torch.device(override)
    return torch.device("cpu")


def device_label(device: torch.device | str, lang: str = "en") -> str:
    """Human name of a device: the CUDA card's name, Apple MPS, or the CPU with its thread count."""

    device = torch.device(device)
    if device.type == "cuda":
        return t("device.cuda", lang, name=torch.cuda.get_device_name(device))
    if device.type == "mps":
        return t("device.mps", lang)
    threads = torch.get_num_threads()
    return t("device.cpu_one" if threads == 1 else "device.cpu", lang, threads=threads)
