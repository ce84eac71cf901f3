"""NumPy reference ops that the step-through views render: conv, transposed conv, pooling, dense.

Everything runs in float64 and follows PyTorch's definitions exactly (tests compare with
``torch.nn.functional``): ``conv2d`` is a cross-correlation, ``padding="same"`` puts the odd extra
row/column after, ``avg_pool2d`` counts padding cells (``count_include_pad=True``), ``max_pool2d``
picks the first maximum in row-major window order. Output sizes come from :mod:`cnnviz.arithmetic`.

Array layouts: an input is ``(C, H, W)`` (one image, no batch axis); conv weights are
``(F, C/groups, kh, kw)``; transposed-conv weights are ``(C_in, F, kh, kw)`` as in PyTorch.
Padding for conv is ``(top, bottom, left, right)``, an int, an ``(h, w)`` pair, ``"same"`` or
``"valid"``. User-facing failures raise :class:`cnnviz.specs.SpecError` with a problem a learner can act
on (e.g. an empty output).

This module only re-exports, so ``from cnnviz import ops; ops.conv2d(...)`` keeps working. The ops
live in :mod:`cnnviz.ops_padding` (padding arguments), :mod:`cnnviz.ops_conv` (conv, its step),
:mod:`cnnviz.ops_transposed` (transposed conv), :mod:`cnnviz.ops_pool` (pooling forward, backward,
step) and :mod:`cnnviz.ops_dense` (ReLU, dense, softmax); new code imports from those.

Lessons: "Convolution stepper", "Pooling stepper", "Worked example".
"""

from __future__ import annotations

from cnnviz.ops_conv import ConvStep, conv2d, conv_step, flip_kernel
from cnnviz.ops_dense import dense, relu, softmax
from cnnviz.ops_padding import Padding4, PaddingArg, pad2d, resolve_padding
from cnnviz.ops_pool import (
    PoolStep,
    avg_pool2d,
    avg_pool2d_backward,
    global_avg_pool,
    max_pool2d,
    max_pool2d_backward,
    pool_backward_autograd,
    pool_step,
    pool_windows_coverage,
)
from cnnviz.ops_transposed import (
    TransposedInput,
    conv_transpose2d,
    conv_transpose_step,
    transposed_as_conv_weight,
    transposed_input,
)

__all__ = [
    "ConvStep",
    "Padding4",
    "PaddingArg",
    "PoolStep",
    "TransposedInput",
    "avg_pool2d",
    "avg_pool2d_backward",
    "conv2d",
    "conv_step",
    "conv_transpose2d",
    "conv_transpose_step",
    "dense",
    "flip_kernel",
    "global_avg_pool",
    "max_pool2d",
    "max_pool2d_backward",
    "pad2d",
    "pool_backward_autograd",
    "pool_step",
    "pool_windows_coverage",
    "relu",
    "resolve_padding",
    "softmax",
    "transposed_as_conv_weight",
    "transposed_input",
]
