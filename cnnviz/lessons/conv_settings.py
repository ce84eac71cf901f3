"""The convolution stepper's settings: what the sidebar (or a link, or a Build-page layer) chose.

* :class:`ConvSettings`: validated and frozen. Normal mode is ``nn.Conv2d`` (padding "valid",
  "same" or per side); transposed mode is ``nn.ConvTranspose2d`` (padding (h, w) and
  ``output_padding``).
* :data:`CONV_LIMITS`: the stepper's upper limits (the sidebar's widgets, a share link, and the
  filters a Build-page ConvTranspose2d is cut to).
* :data:`CONV_MODES`, :data:`CONV_SOURCES`, :data:`KERNEL_CHOICES`: the choices they check.

:mod:`cnnviz.lessons.conv_stepper` computes with them. Lesson: "Convolution stepper".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from cnnviz.lessons._checks import check_bool, check_choice, check_finite, check_int, check_pair
from cnnviz.lessons.kernels import KERNEL_NAMES
from cnnviz.net import Pair, Problem, SpecError
from cnnviz.ops import PaddingArg

__all__ = [
    "CONV_LIMITS",
    "CONV_MODES",
    "CONV_SOURCES",
    "KERNEL_CHOICES",
    "ConvLimits",
    "ConvMode",
    "ConvSettings",
]

ConvMode: TypeAlias = Literal["normal", "transposed"]
CONV_MODES: Final[tuple[ConvMode, ...]] = ("normal", "transposed")
#: Input sources the sidebar offers; "request" is added while a Build-page layer is loaded.
CONV_SOURCES: Final[tuple[str, ...]] = ("seed003", "random_int", "digit", "upload", "typed")
#: A filter's kernel: a named kernel, or "typed" (an editable grid that starts as the identity).
KERNEL_CHOICES: Final[tuple[str, ...]] = (*KERNEL_NAMES, "typed")


@dataclass(frozen=True)
class ConvLimits:
    """The convolution stepper's upper limits (a Build-page layer may exceed the widgets' ones
    and is cropped before it gets here; a link may not exceed them at all)."""

    size: int = 32
    channels: int = 3
    filters: int = 4
    kernel: int = 11
    stride: int = 4
    padding: int = 5
    dilation: int = 4
    output_padding: int = 3
    seed: int = 9999
    bias: float = 100.0


CONV_LIMITS: Final[ConvLimits] = ConvLimits()


def _check_padding(value: object, mode: ConvMode) -> PaddingArg:
    """Normal: "valid", "same" or (top, bottom, left, right); transposed: (h, w). All >= 0."""
    if mode == "transposed":
        return check_pair(value, "padding", 0)
    if isinstance(value, str):
        return "same" if check_choice(value, "padding", ("valid", "same")) == "same" else "valid"
    if not isinstance(value, (tuple, list)) or len(value) != 4:
        raise SpecError(Problem.make("bad_padding", field="padding", value=repr(value)))
    top, bottom, left, right = (check_int(v, "padding", 0) for v in value)
    return top, bottom, left, right


@dataclass(frozen=True)
class ConvSettings:
    """The convolution stepper's settings.

    ``shape`` is the input (channels, height, width); ``kernel_names`` holds one
    :data:`KERNEL_CHOICES` name per filter (empty for a Build-page layer, whose weights come with
    it); ``bias`` is every filter's bias, or None for no bias; ``flip`` computes the textbook
    convolution (kernel rotated 180°) instead of PyTorch's cross-correlation; ``upload`` holds the
    bytes of an uploaded picture. Cross-field problems (groups that do not divide the channels,
    "same" padding with a stride, a kernel larger than the padded input) are reported by
    :func:`groups_problem` and :func:`compute_conv`, not here.
    """

    mode: ConvMode = "normal"
    source: str = "seed003"
    shape: tuple[int, int, int] = (1, 5, 5)
    filters: int = 1
    kernel: Pair = (3, 3)
    kernel_names: tuple[str, ...] = ("vertical_edge",)
    stride: Pair = (1, 1)
    padding: PaddingArg = "same"
    output_padding: Pair = (0, 0)
    dilation: Pair = (1, 1)
    groups: int = 1
    bias: float | None = None
    flip: bool = False
    seed: int = 0
    upload: bytes | None = None

    def __post_init__(self) -> None:
        check_choice(self.mode, "mode", CONV_MODES)
        check_choice(self.source, "source", (*CONV_SOURCES, "request"))
        if not isinstance(self.shape, (tuple, list)) or len(self.shape) != 3:
            raise SpecError(
                Problem.make("step_bad_shape", field="shape", x=repr(self.shape), w="-")
            )
        values: dict[str, object] = {
            "shape": tuple(check_int(v, "shape", 1) for v in self.shape),
            "filters": check_int(self.filters, "filters", 1),
            "kernel": check_pair(self.kernel, "kernel", 1),
            "stride": check_pair(self.stride, "stride", 1),
            "padding": _check_padding(self.padding, self.mode),
            "output_padding": check_pair(self.output_padding, "output_padding", 0),
            "dilation": check_pair(self.dilation, "dilation", 1),
            "groups": check_int(self.groups, "groups", 1),
            "bias": None if self.bias is None else check_finite(self.bias, "bias"),
            "flip": check_bool(self.flip, "flip"),
            "seed": check_int(self.seed, "seed", 0),
            "kernel_names": tuple(
                check_choice(n, "kernel_names", KERNEL_CHOICES) for n in self.kernel_names
            ),
        }
        if self.source != "request" and len(self.kernel_names) != values["filters"]:
            raise SpecError(
                Problem.make(
                    "step_kernel_count",
                    field="kernel_names",
                    count=len(self.kernel_names),
                    filters=values["filters"],
                )
            )
        if self.upload is not None and not isinstance(self.upload, bytes):
            raise SpecError(
                Problem.make(
                    "step_bad_choice",
                    field="upload",
                    value=type(self.upload).__name__,
                    allowed="bytes",
                )
            )
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @property
    def transposed(self) -> bool:
        """Whether this is ``nn.ConvTranspose2d``."""
        return self.mode == "transposed"

    @property
    def transposed_padding(self) -> Pair:
        """The (h, w) padding of transposed mode (a SpecError in normal mode)."""
        return check_pair(self.padding, "padding", 0)
