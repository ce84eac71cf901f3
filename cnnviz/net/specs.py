"""Layer specifications: frozen, hashable dataclasses that describe a CNN as data.

Field names follow PyTorch (``out_channels``, ``kernel_size``, ``stride``, ``padding``...).
Derived values (``in_channels``, ``in_features``) are never stored: shape inference computes them.
Each spec checks its own fields in ``__post_init__`` and raises :class:`SpecError` with a
:class:`Problem` a student can act on; cross-layer problems come from ``cnnviz.net.shapes.validate``.

Lesson: the "Build a CNN" page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeAlias

from cnnviz.i18n import t

__all__ = [
    "ACTIVATIONS",
    "LAYER_TYPES",
    "MAX_CHANNELS",
    "MAX_FEATURES",
    "MAX_KERNEL",
    "MAX_SPATIAL",
    "ActivationSpec",
    "AvgPool2dSpec",
    "BatchNorm2dSpec",
    "Conv2dSpec",
    "Dropout2dSpec",
    "DropoutSpec",
    "FlattenSpec",
    "GlobalAvgPoolSpec",
    "LayerSpec",
    "LinearSpec",
    "LocalResponseNormSpec",
    "MaxPool2dSpec",
    "NetSpec",
    "Pair",
    "Pool2dSpec",
    "Problem",
    "ResidualBlockSpec",
    "SpecError",
]

Pair: TypeAlias = tuple[int, int]
PaddingMode: TypeAlias = Literal["valid", "same"]

ACTIVATIONS: tuple[str, ...] = (
    "relu",
    "leaky_relu",
    "prelu",
    "elu",
    "selu",
    "gelu",
    "sigmoid",
    "tanh",
    "softplus",
)

# Caps that keep one student's typo from exhausting a shared classroom server.
MAX_CHANNELS = 4096
MAX_KERNEL = 64
MAX_FEATURES = 1 << 16
MAX_SPATIAL = 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a network, tied to the layer (0-based index, None = whole net) and field.

    ``code`` is a message key in the i18n catalog (``problem.<code>``); ``params`` fill its
    placeholders. ``text(lang)`` renders it in English or Chinese.
    """

    code: str
    layer_index: int | None = None
    field: str | None = None
    params: tuple[tuple[str, Any], ...] = ()

    @staticmethod
    def make(
        code: str, layer_index: int | None = None, field: str | None = None, **params: Any
    ) -> Problem:
        return Problem(code, layer_index, field, tuple(sorted(params.items())))

    def param_dict(self) -> dict[str, Any]:
        return dict(self.params)

    def message(self, lang: str = "en") -> str:
        """The message alone, in ``lang``: for a page whose message already names what it is
        about (the U-Net's input size), where a ``field:`` prefix would show a code name."""
        return t(f"problem.{self.code}", lang, **self.param_dict())

    def text(self, lang: str = "en") -> str:
        """ "Layer 3 (field): message" in ``lang`` (just the message for the whole network)."""
        body = self.message(lang)
        if self.layer_index is None:
            return body if self.field is None else f"{self.field}: {body}"
        where = t("problem.where_layer", lang, number=self.layer_index + 1)
        if self.field:
            where = f"{where} ({self.field})"
        return f"{where}: {body}"

    def __str__(self) -> str:
        return self.text("en")


class SpecError(ValueError):
    """Raised for invalid specs; carries every :class:`Problem` found."""

    def __init__(self, problems: Problem | list[Problem]) -> None:
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else problems
        super().__init__("; ".join(p.text("en") for p in self.problems))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _pair(value: object, name: str, minimum: int, maximum: int) -> Pair:
    """Normalise an int or a 2-sequence of ints to ``(h, w)``, checking each is in range."""
    pair: tuple[int, int]
    if isinstance(value, int) and _is_int(value):
        pair = (value, value)
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(map(_is_int, value)):
        pair = (int(value[0]), int(value[1]))
    else:
        raise SpecError(Problem.make("not_int_pair", field=name, value=repr(value)))
    for v in pair:
        if not minimum <= v <= maximum:
            raise SpecError(
                Problem.make("out_of_range", field=name, value=v, minimum=minimum, maximum=maximum)
            )
    return pair


def _int(value: object, name: str, minimum: int, maximum: int) -> int:
    if not isinstance(value, int) or not _is_int(value):
        raise SpecError(Problem.make("not_int", field=name, value=repr(value)))
    if not minimum <= value <= maximum:
        raise SpecError(
            Problem.make("out_of_range", field=name, value=value, minimum=minimum, maximum=maximum)
        )
    return value


def _float(value: object, name: str, minimum: float, maximum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise SpecError(Problem.make("not_number", field=name, value=repr(value)))
    if not minimum <= value <= maximum:
        raise SpecError(
            Problem.make("out_of_range", field=name, value=value, minimum=minimum, maximum=maximum)
        )
    return float(value)


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Conv2dSpec:
    """``nn.Conv2d``: ``out = floor((n + 2p - d(k-1) - 1) / s) + 1`` per spatial axis."""

    kind: ClassVar[str] = "conv2d"
    out_channels: int
    kernel_size: Pair = (3, 3)
    stride: Pair = (1, 1)
    padding: Pair | PaddingMode = (0, 0)
    dilation: Pair = (1, 1)
    groups: int = 1
    bias: bool = True

    def __post_init__(self) -> None:
        _int(self.out_channels, "out_channels", 1, MAX_CHANNELS)
        _set(self, "kernel_size", _pair(self.kernel_size, "kernel_size", 1, MAX_KERNEL))
        _set(self, "stride", _pair(self.stride, "stride", 1, MAX_KERNEL))
        _set(self, "dilation", _pair(self.dilation, "dilation", 1, MAX_KERNEL))
        if isinstance(self.padding, str):
            if self.padding not in ("valid", "same"):
                raise SpecError(Problem.make("bad_padding", field="padding", value=self.padding))
            if self.padding == "same" and self.stride != (1, 1):
                raise SpecError(Problem.make("same_with_stride", field="padding"))
        else:
            _set(self, "padding", _pair(self.padding, "padding", 0, MAX_KERNEL))
        _int(self.groups, "groups", 1, MAX_CHANNELS)
        if self.out_channels % self.groups:
            raise SpecError(
                Problem.make(
                    "groups_out",
                    field="groups",
                    groups=self.groups,
                    out_channels=self.out_channels,
                )
            )
        if not isinstance(self.bias, bool):
            raise SpecError(Problem.make("not_bool", field="bias", value=repr(self.bias)))


@dataclass(frozen=True)
class Pool2dSpec:
    """What max and average pooling share: a window, a stride (default: the window, so windows
    tile; smaller strides overlap) and zero padding of at most half the window per side."""

    kernel_size: Pair = (2, 2)
    stride: Pair | None = None
    padding: Pair = (0, 0)

    def __post_init__(self) -> None:
        _set(self, "kernel_size", _pair(self.kernel_size, "kernel_size", 1, MAX_KERNEL))
        stride = self.kernel_size if self.stride is None else self.stride
        _set(self, "stride", _pair(stride, "stride", 1, MAX_KERNEL))
        _set(self, "padding", _pair(self.padding, "padding", 0, MAX_KERNEL))
        for pad, k in zip(self.padding, self.kernel_size, strict=True):
            if pad > k // 2:
                # PyTorch's own rule: "pad should be at most half of effective kernel size".
                raise SpecError(
                    Problem.make("pool_pad_half", field="padding", padding=pad, kernel=k)
                )

    @property
    def stride_hw(self) -> Pair:
        """The stride as ``(h, w)`` (``__post_init__`` fills a missing stride with the kernel)."""
        return self.stride if self.stride is not None else self.kernel_size


@dataclass(frozen=True)
class MaxPool2dSpec(Pool2dSpec):
    """``nn.MaxPool2d``; ``stride`` defaults to ``kernel_size`` (stride < kernel = overlapping)."""

    kind: ClassVar[str] = "maxpool2d"


@dataclass(frozen=True)
class AvgPool2dSpec(Pool2dSpec):
    """``nn.AvgPool2d`` (``count_include_pad=True``, PyTorch's default)."""

    kind: ClassVar[str] = "avgpool2d"


@dataclass(frozen=True)
class GlobalAvgPoolSpec:
    """``nn.AdaptiveAvgPool2d(1)``: each channel's mean; output (C, 1, 1)."""

    kind: ClassVar[str] = "global_avg_pool"


@dataclass(frozen=True)
class BatchNorm2dSpec:
    """``nn.BatchNorm2d``: per channel, normalise then scale (gamma) and shift (beta): 2C params."""

    kind: ClassVar[str] = "batchnorm2d"
    eps: float = 1e-5
    momentum: float = 0.1

    def __post_init__(self) -> None:
        _float(self.eps, "eps", 1e-12, 1.0)
        _float(self.momentum, "momentum", 0.0, 1.0)


@dataclass(frozen=True)
class LocalResponseNormSpec:
    """``nn.LocalResponseNorm`` in PyTorch's convention, which divides ``alpha`` by ``size``:
    ``b = a / (k + alpha/n * sum a^2)^beta``. The defaults are AlexNet's layer (the paper's
    n=5, alpha=1e-4, beta=0.75, k=2), so its alpha is ``alpha=5e-4`` here; no params."""

    kind: ClassVar[str] = "lrn"
    size: int = 5
    alpha: float = 5e-4
    beta: float = 0.75
    k: float = 2.0

    def __post_init__(self) -> None:
        _int(self.size, "size", 1, 64)
        _float(self.alpha, "alpha", 0.0, 10.0)
        _float(self.beta, "beta", 0.0, 10.0)
        _float(self.k, "k", 0.0, 100.0)


@dataclass(frozen=True)
class ActivationSpec:
    """An element-wise activation; ``function`` is one of :data:`ACTIVATIONS`.

    ``negative_slope`` is used by leaky_relu only; PReLU learns one slope (1 parameter).
    """

    kind: ClassVar[str] = "activation"
    function: str = "relu"
    negative_slope: float = 0.01

    def __post_init__(self) -> None:
        if self.function not in ACTIVATIONS:
            raise SpecError(
                Problem.make(
                    "bad_activation",
                    field="function",
                    value=repr(self.function),
                    allowed=", ".join(ACTIVATIONS),
                )
            )
        _float(self.negative_slope, "negative_slope", 0.0, 1.0)


@dataclass(frozen=True)
class DropoutSpec:
    """``nn.Dropout(p)``: in training zero each value with probability p, scale the rest by 1/(1-p)."""

    kind: ClassVar[str] = "dropout"
    p: float = 0.5

    def __post_init__(self) -> None:
        _float(self.p, "p", 0.0, 0.99)


@dataclass(frozen=True)
class Dropout2dSpec:
    """``nn.Dropout2d(p)``: drop whole feature maps (channels) with probability p."""

    kind: ClassVar[str] = "dropout2d"
    p: float = 0.5

    def __post_init__(self) -> None:
        _float(self.p, "p", 0.0, 0.99)


@dataclass(frozen=True)
class FlattenSpec:
    """``nn.Flatten()``: (C, H, W) -> (C*H*W,)."""

    kind: ClassVar[str] = "flatten"


@dataclass(frozen=True)
class LinearSpec:
    """``nn.Linear``: ``in_features * out_features + out_features`` params (with bias)."""

    kind: ClassVar[str] = "linear"
    out_features: int
    bias: bool = True

    def __post_init__(self) -> None:
        _int(self.out_features, "out_features", 1, MAX_FEATURES)
        if not isinstance(self.bias, bool):
            raise SpecError(Problem.make("not_bool", field="bias", value=repr(self.bias)))


@dataclass(frozen=True)
class ResidualBlockSpec:
    """A ResNet block: ``y = act(F(x) + shortcut(x))``.

    Basic: F = conv3x3(stride) -> BN -> act -> conv3x3 -> BN.
    Bottleneck: F = conv1x1 (out/4) -> BN -> act -> conv3x3(stride) -> BN -> act -> conv1x1 (out) -> BN.
    The shortcut is the identity when shapes match, else a 1x1 conv (stride) + BN projection.
    """

    kind: ClassVar[str] = "residual"
    out_channels: int
    stride: int = 1
    bottleneck: bool = False
    batch_norm: bool = True
    activation: str = "relu"

    def __post_init__(self) -> None:
        _int(self.out_channels, "out_channels", 1, MAX_CHANNELS)
        _int(self.stride, "stride", 1, 4)
        if self.bottleneck and self.out_channels % 4:
            raise SpecError(
                Problem.make(
                    "bottleneck_channels", field="out_channels", out_channels=self.out_channels
                )
            )
        if self.activation not in ACTIVATIONS:
            raise SpecError(
                Problem.make(
                    "bad_activation",
                    field="activation",
                    value=repr(self.activation),
                    allowed=", ".join(ACTIVATIONS),
                )
            )
        for name in ("bottleneck", "batch_norm"):
            if not isinstance(getattr(self, name), bool):
                raise SpecError(
                    Problem.make("not_bool", field=name, value=repr(getattr(self, name)))
                )


LayerSpec: TypeAlias = (
    Conv2dSpec
    | MaxPool2dSpec
    | AvgPool2dSpec
    | GlobalAvgPoolSpec
    | BatchNorm2dSpec
    | LocalResponseNormSpec
    | ActivationSpec
    | DropoutSpec
    | Dropout2dSpec
    | FlattenSpec
    | LinearSpec
    | ResidualBlockSpec
)

#: kind string -> spec class, in the order the Build page offers them.
LAYER_TYPES: dict[str, type] = {
    cls.kind: cls
    for cls in (
        Conv2dSpec,
        MaxPool2dSpec,
        AvgPool2dSpec,
        GlobalAvgPoolSpec,
        BatchNorm2dSpec,
        LocalResponseNormSpec,
        ActivationSpec,
        DropoutSpec,
        Dropout2dSpec,
        FlattenSpec,
        LinearSpec,
        ResidualBlockSpec,
    )
}


@dataclass(frozen=True)
class NetSpec:
    """A whole network: an input shape ``(C, H, W)`` and a sequence of layers.

    ``name`` is a preset key or free text; ``description``/``source`` document presets.
    """

    input_shape: tuple[int, int, int]
    layers: tuple[LayerSpec, ...] = ()
    name: str = ""
    description: str = ""
    source: str = ""
    class_names: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        shape = self.input_shape
        if not (
            isinstance(shape, (tuple, list)) and len(shape) == 3 and all(_is_int(v) for v in shape)
        ):
            raise SpecError(Problem.make("bad_input_shape", field="input_shape", value=repr(shape)))
        _int(shape[0], "input_shape", 1, 64)
        _int(shape[1], "input_shape", 1, MAX_SPATIAL)
        _int(shape[2], "input_shape", 1, MAX_SPATIAL)
        _set(self, "input_shape", tuple(shape))
        _set(self, "layers", tuple(self.layers))
        _set(self, "class_names", tuple(self.class_names))
