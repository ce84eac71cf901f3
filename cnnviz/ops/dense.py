"""NumPy reference ReLU, dense layer and softmax: the rest of a small CNN after conv and pooling.

``relu(x) = max(0, x)``; ``dense(x) = W x + b`` (``nn.Linear``, ``W`` of shape
``(out_features, in_features)``); ``softmax(z)_k = exp(z_k) / sum_j exp(z_j)``, shifted by
``max z`` so large logits do not overflow. Float64; tests compare with PyTorch.

Lesson: "Worked example".
"""

from __future__ import annotations

import numpy as np

__all__ = ["dense", "relu", "softmax"]


def relu(x: np.ndarray) -> np.ndarray:
    """``max(0, x)`` element-wise."""
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


def softmax(z: np.ndarray) -> np.ndarray:
    """``exp(z_k) / sum_j exp(z_j)``, computed as ``exp(z - max z)`` so large logits do not overflow."""
    z = np.asarray(z, dtype=np.float64)
    shifted = np.exp(z - z.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def dense(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """``nn.Linear``: ``y = W x + b`` with ``W`` of shape (out_features, in_features)."""
    y = np.asarray(weight, dtype=np.float64) @ np.asarray(x, dtype=np.float64).ravel()
    return y if bias is None else y + np.asarray(bias, dtype=np.float64)
