"""``nn.ConvTranspose2d`` as a spec: the U-Net's up-sampling layer.

Not a layer of the sequential builder (its schema has no ``convtranspose2d``):
:mod:`cnnviz.net.unet` uses it for its up-sampling layers, and the convolution stepper opens it in
its transposed mode. Checked like the other specs of :mod:`cnnviz.net.specs`.

Lessons: "Build a CNN" (the U-Net view), "Convolution stepper" (transposed mode).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from cnnviz.net.specs import MAX_CHANNELS, MAX_KERNEL, Pair, Problem, SpecError, _int, _pair, _set

__all__ = ["ConvTranspose2dSpec"]


@dataclass(frozen=True)
class ConvTranspose2dSpec:
    """``nn.ConvTranspose2d``: ``out = (n-1)s - 2p + d(k-1) + output_padding + 1`` per axis.

    Not a layer of the sequential builder (its schema has no ``convtranspose2d``): the U-Net's
    up-sampling layers (:mod:`cnnviz.net.unet`) use it, and the convolution stepper opens it in
    its transposed mode. Its weights are ``(C_in, out_channels, kh, kw)``, PyTorch's layout.
    """

    kind: ClassVar[str] = "convtranspose2d"
    out_channels: int
    kernel_size: Pair = (2, 2)
    stride: Pair = (2, 2)
    padding: Pair = (0, 0)
    output_padding: Pair = (0, 0)
    dilation: Pair = (1, 1)
    bias: bool = True

    def __post_init__(self) -> None:
        _int(self.out_channels, "out_channels", 1, MAX_CHANNELS)
        _set(self, "kernel_size", _pair(self.kernel_size, "kernel_size", 1, MAX_KERNEL))
        _set(self, "stride", _pair(self.stride, "stride", 1, MAX_KERNEL))
        _set(self, "padding", _pair(self.padding, "padding", 0, MAX_KERNEL))
        _set(self, "output_padding", _pair(self.output_padding, "output_padding", 0, MAX_KERNEL))
        _set(self, "dilation", _pair(self.dilation, "dilation", 1, MAX_KERNEL))
        for extra, stride, dilation in zip(
            self.output_padding, self.stride, self.dilation, strict=True
        ):
            if extra >= max(stride, dilation):  # PyTorch's own rule
                raise SpecError(
                    Problem.make(
                        "out_of_range",
                        field="output_padding",
                        value=extra,
                        minimum=0,
                        maximum=max(stride, dilation) - 1,
                    )
                )
        if not isinstance(self.bias, bool):
            raise SpecError(Problem.make("not_bool", field="bias", value=repr(self.bias)))
