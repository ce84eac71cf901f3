"""NumPy reference implementations of the operations the steppers show number by number:
padding, convolution, transposed convolution, pooling (and their backward passes), dense
layers. Every op is tested against ``torch.nn.functional`` and autograd.

Lessons: "Convolution stepper", "Pooling stepper", "Worked example".
"""

from __future__ import annotations

from cnnviz.ops.conv import ConvStep, conv2d, conv_step, flip_kernel
from cnnviz.ops.dense import dense, relu, softmax
from cnnviz.ops.padding import Padding4, PaddingArg, Pair, pad2d, resolve_padding
from cnnviz.ops.pool import (
    PoolKind,
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
from cnnviz.ops.transposed import (
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
    "Pair",
    "PoolKind",
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
