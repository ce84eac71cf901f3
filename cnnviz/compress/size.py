"""What pruning buys in storage: parameters and file size, dense against sparse, measured.

The dense file is the ``safetensors`` encoding of every tensor of the ``state_dict`` (what a
cnnviz checkpoint stores). The sparse file stores each tensor as a bit mask of its non-zeros
(``numpy.packbits``: 1 bit per value) plus the non-zero values (float32), also as safetensors:
``n/8 + 4*nnz`` bytes instead of ``4*n``. Both are measured by encoding, not estimated. A sparse
file is smaller than the dense one only once more than 1/32 of the values are zero.

Lesson: the pruning lab (page /prune), "what it buys".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from safetensors.torch import save
from torch import nn

__all__ = ["SizeReport", "size_report", "sparse_encoding"]


@dataclass(frozen=True)
class SizeReport:
    """Parameters (all of them, biases included) and measured file sizes in bytes."""

    params_total: int
    params_nonzero: int
    dense_bytes: int
    sparse_bytes: int


def _dense_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """Every parameter and buffer with masks applied, under its plain name."""
    state: dict[str, torch.Tensor] = {}
    for module_name, module in model.named_modules():
        prefix = f"{module_name}." if module_name else ""
        names = [n for n, _ in module.named_parameters(recurse=False)]
        names += [n for n, _ in module.named_buffers(recurse=False) if not n.endswith("_mask")]
        for name in names:
            plain = name.removesuffix("_orig")
            value = getattr(module, plain)
            state[prefix + plain] = value.detach().to("cpu").contiguous().clone()
    return state


def sparse_encoding(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Each float tensor as ``name.mask`` (packed bits of ``value != 0``) and ``name.values``;
    integer buffers kept as they are."""
    encoded: dict[str, torch.Tensor] = {}
    for name, tensor in state.items():
        if not tensor.is_floating_point():
            encoded[name] = tensor
            continue
        flat = tensor.flatten()
        nonzero = flat != 0
        encoded[f"{name}.mask"] = torch.from_numpy(np.packbits(nonzero.numpy()))
        encoded[f"{name}.values"] = flat[nonzero].contiguous()
    return encoded


def size_report(model: nn.Module) -> SizeReport:
    """Parameter counts and measured dense / sparse file sizes of ``model`` (masks applied)."""
    state = _dense_state(model)
    params = [state[name.removesuffix("_orig")] for name, _ in model.named_parameters() if name]
    total = sum(p.numel() for p in params)
    nonzero = sum(int((p != 0).sum()) for p in params)
    return SizeReport(
        params_total=total,
        params_nonzero=nonzero,
        dense_bytes=len(save(state)),
        sparse_bytes=len(save(sparse_encoding(state))),
    )
