"""Networks the /inside tests share: the default network trained briefly on the shapes data (once
per test process), and small hand-made networks. Not a test module."""

from __future__ import annotations

from functools import lru_cache

import torch

from cnnviz.data import DataConfig, DatasetBundle, load_dataset
from cnnviz.net import CNNModel, NetSpec, get_preset
from cnnviz.train import TrainConfig, fit

__all__ = ["shapes", "trained_tiny"]


@lru_cache(maxsize=1)
def shapes() -> DatasetBundle:
    """The default shapes data (3,000 pictures: 2,400 to train, 600 to validate)."""
    return load_dataset(DataConfig())


@lru_cache(maxsize=1)
def trained_tiny() -> tuple[NetSpec, CNNModel]:
    """The default network after 6 epochs on :func:`shapes` (seconds on one thread)."""
    net = get_preset("tiny")
    torch.manual_seed(0)
    result = fit(net, shapes(), TrainConfig(epochs=6, seed=0))
    model = result.model
    assert isinstance(model, CNNModel)
    return net, model.eval()
