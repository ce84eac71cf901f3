"""Device selection: CUDA, then MPS, then CPU; overrides; labels."""

from __future__ import annotations

import pytest
import torch

from cnnviz.train import available_devices, device_label, pick_device
from cnnviz.train import device as device_module


def test_cpu_is_always_available_and_last() -> None:
    devices = available_devices()
    assert devices[-1] == "cpu"


def test_auto_picks_the_best_available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert pick_device("auto").type == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device_module, "_mps_available", lambda: True)
    assert pick_device(None).type == "mps"
    monkeypatch.setattr(device_module, "_mps_available", lambda: False)
    assert pick_device("auto").type == "cpu"


def test_unavailable_override_falls_back_to_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device_module, "_mps_available", lambda: False)
    assert pick_device("cuda").type == "cpu"
    assert pick_device("mps").type == "cpu"
    assert pick_device("cpu").type == "cpu"


def test_labels_name_the_device(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    assert device_label("cpu") == "CPU (2 threads)"
    assert device_label("cpu", "zh") == "CPU(2 个线程)"
    monkeypatch.setattr(torch, "get_num_threads", lambda: 1)
    assert device_label("cpu") == "CPU (1 thread)"
    assert device_label("mps") == "Apple MPS (Metal)"
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda device=None: "NVIDIA H100")
    assert device_label("cuda") == "CUDA: NVIDIA H100"
    assert device_label("cuda", "zh") == "CUDA:NVIDIA H100"
