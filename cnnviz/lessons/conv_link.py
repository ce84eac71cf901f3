"""The convolution stepper's quick settings and share link.

* :data:`CONV_LIMITS` (defined in :mod:`cnnviz.lessons.conv_stepper`, which a Build-page layer's
  filters are cut to): the stepper's upper limits (input size, channels, filters, kernel, stride,
  padding, ...), the same for the sidebar's widgets and for a link: a shared server trusts no
  browser, so :func:`decode_conv_link` re-checks every one of them.
* :data:`CONV_PRESETS`: the padding/stride pairs a lesson uses most ("p=1, s=2" halves the
  size); :func:`apply_preset` and :func:`matching_preset` go between them and the settings.
* :func:`same_stride_conflict` / :func:`explicit_same_padding`: PyTorch refuses
  ``padding="same"`` with a stride above 1; the one-click fix pads explicitly by what "same"
  pads (``d(k-1)`` per axis, the odd extra after) and keeps the stride.
* :func:`encode_conv_link` / :func:`decode_conv_link`: the stepper's state (settings, filter and
  output cell) as one URL token, ``base64url`` of compact JSON, read back through the guarded JSON
  reader and every check of :class:`ConvSettings`.

Lesson: "Convolution stepper".
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, replace
from typing import Any, Final

from cnnviz.lessons._checks import check_int
from cnnviz.lessons.conv_settings import CONV_LIMITS, ConvLimits, ConvSettings
from cnnviz.net import Problem, SpecError, same_padding
from cnnviz.ops import Padding4, PaddingArg
from cnnviz.safe_json import JsonError, loads

__all__ = [
    "CONV_LIMITS",
    "CONV_PRESETS",
    "LINKED_SOURCES",
    "ConvLimits",
    "ConvLink",
    "ConvPreset",
    "apply_preset",
    "conv_limit_problems",
    "decode_conv_link",
    "encode_conv_link",
    "explicit_same_padding",
    "matching_preset",
    "same_stride_conflict",
]


#: Input sources a link can carry (typed grids, uploads and Build-page layers stay in the session).
LINKED_SOURCES: Final[tuple[str, ...]] = ("seed003", "random_int", "digit")
LINK_VERSION: Final[int] = 1
MAX_LINK_CHARS: Final[int] = 2000
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class ConvPreset:
    """Padding ``p`` on every side and stride ``s`` on both axes."""

    padding: int
    stride: int

    @property
    def label(self) -> str:
        return f"p={self.padding}, s={self.stride}"


#: The pairs a lesson uses most: no padding; "same" for a 3x3 kernel; halve the size; stride 2.
CONV_PRESETS: Final[tuple[ConvPreset, ...]] = (
    ConvPreset(0, 1),
    ConvPreset(1, 1),
    ConvPreset(1, 2),
    ConvPreset(0, 2),
)


def _uniform_padding(settings: ConvSettings) -> int | None:
    """The padding every side gets, when it is one number (None for "same" or mixed sides)."""
    padding = settings.padding
    if settings.transposed:
        ph, pw = settings.transposed_padding
        return ph if ph == pw else None
    if padding == "valid":
        return 0
    if isinstance(padding, tuple) and len(set(padding)) == 1:
        return int(padding[0])
    return None


def matching_preset(settings: ConvSettings) -> ConvPreset | None:
    """The preset the settings are exactly at, if any."""
    stride = settings.stride[0] if settings.stride[0] == settings.stride[1] else None
    padding = _uniform_padding(settings)
    return next(
        (p for p in CONV_PRESETS if (p.padding, p.stride) == (padding, stride)),
        None,
    )


def apply_preset(settings: ConvSettings, preset: ConvPreset) -> ConvSettings:
    """``settings`` with the preset's padding (every side; 0 is "valid") and stride."""
    padding: PaddingArg
    if settings.transposed:
        padding = (preset.padding, preset.padding)
    elif preset.padding == 0:
        padding = "valid"
    else:
        padding = (preset.padding,) * 4
    return replace(settings, padding=padding, stride=(preset.stride, preset.stride))


def same_stride_conflict(settings: ConvSettings) -> bool:
    """True when ``padding="same"`` meets a stride above 1 (PyTorch refuses it)."""
    return not settings.transposed and settings.padding == "same" and max(settings.stride) > 1


def explicit_same_padding(settings: ConvSettings) -> Padding4:
    """(top, bottom, left, right): what ``padding="same"`` pads for this kernel and dilation."""
    (kh, kw), (dh, dw) = settings.kernel, settings.dilation
    top, bottom = same_padding(kh, dh)
    left, right = same_padding(kw, dw)
    return top, bottom, left, right


@dataclass(frozen=True)
class ConvLink:
    """What a link restores: the settings, the filter and the output cell (row-major index)."""

    settings: ConvSettings
    filter_index: int = 0
    position: int = 0


def conv_limit_problems(settings: ConvSettings) -> list[Problem]:
    """Every setting above :data:`CONV_LIMITS` (lower bounds are :class:`ConvSettings`' own)."""
    limits = CONV_LIMITS
    channels, height, width = settings.shape
    padding = settings.padding
    pads = _padding_list(padding)
    checks: list[tuple[str, float, float]] = [
        ("height", height, limits.size),
        ("width", width, limits.size),
        ("channels", channels, limits.channels),
        ("filters", settings.filters, limits.filters),
        ("groups", settings.groups, limits.channels),
        ("kernel", max(settings.kernel), limits.kernel),
        ("stride", max(settings.stride), limits.stride),
        ("padding", max(pads, default=0), limits.padding),
        ("dilation", max(settings.dilation), limits.dilation),
        ("output_padding", max(settings.output_padding), limits.output_padding),
        ("seed", settings.seed, limits.seed),
        ("bias", abs(settings.bias or 0.0), limits.bias),
    ]
    return [
        Problem.make("step_at_most", field=name, value=value, maximum=maximum)
        for name, value, maximum in checks
        if value > maximum
    ]


def encode_conv_link(settings: ConvSettings, filter_index: int = 0, position: int = 0) -> str:
    """The stepper's state as a URL-safe token (``base64url`` of compact JSON, no padding).

    A source a link cannot carry (typed grids, an upload, a Build-page layer) is sent as the
    source article's example ("seed003"); typed kernels come back as typed identity kernels.
    """
    s = settings
    source = s.source if s.source in LINKED_SOURCES else "seed003"
    names = list(s.kernel_names)
    if s.source == "request" or len(names) != s.filters:
        names = ["random"] * s.filters
    document: dict[str, Any] = {
        "v": LINK_VERSION,
        "mode": s.mode,
        "source": source,
        "shape": list(s.shape),
        "filters": s.filters,
        "kernel": list(s.kernel),
        "kernels": names,
        "stride": list(s.stride),
        "padding": s.padding if isinstance(s.padding, str) else _padding_list(s.padding),
        "output_padding": list(s.output_padding),
        "dilation": list(s.dilation),
        "groups": s.groups,
        "bias": s.bias,
        "flip": s.flip,
        "seed": s.seed,
        "at": [int(filter_index), int(position)],
    }
    raw = json.dumps(document, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


_FIELDS: Final[frozenset[str]] = frozenset(
    {
        "v",
        "mode",
        "source",
        "shape",
        "filters",
        "kernel",
        "kernels",
        "stride",
        "padding",
        "output_padding",
        "dilation",
        "groups",
        "bias",
        "flip",
        "seed",
        "at",
    }
)


def decode_conv_link(token: str) -> ConvLink:
    """The state in a link token; a :class:`SpecError` starting with ``bad_conv_link`` for
    anything else (wrong characters, not JSON, an unknown field, a value out of range)."""
    bad = Problem.make("bad_conv_link")
    if not isinstance(token, str) or not 0 < len(token) <= MAX_LINK_CHARS:
        raise SpecError(bad)
    if not _TOKEN.fullmatch(token):
        raise SpecError(bad)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        document = loads(raw, max_bytes=MAX_LINK_CHARS, max_nesting=3)
    except (binascii.Error, ValueError, JsonError):
        raise SpecError(bad) from None
    if not isinstance(document, dict) or document.get("v") != LINK_VERSION:
        raise SpecError(bad)
    unknown = sorted(set(document) - _FIELDS)
    if unknown:
        allowed = ", ".join(sorted(_FIELDS))
        fields = ", ".join(unknown)
        raise SpecError([bad, Problem.make("json_unknown_fields", fields=fields, allowed=allowed)])
    try:
        padding: Any = document.get("padding", "same")
        at = document.get("at", [0, 0])
        settings = ConvSettings(
            mode=document.get("mode", "normal"),
            source=document.get("source", "seed003"),
            shape=_pair_or_triple(document.get("shape", [1, 5, 5])),
            filters=document.get("filters", 1),
            kernel=_pair_or_triple(document.get("kernel", [3, 3])),
            kernel_names=tuple(document.get("kernels", ["vertical_edge"])),
            stride=_pair_or_triple(document.get("stride", [1, 1])),
            padding=_pair_or_triple(padding),
            output_padding=_pair_or_triple(document.get("output_padding", [0, 0])),
            dilation=_pair_or_triple(document.get("dilation", [1, 1])),
            groups=document.get("groups", 1),
            bias=document.get("bias"),
            flip=document.get("flip", False),
            seed=document.get("seed", 0),
        )
        if settings.source not in LINKED_SOURCES:
            raise SpecError(
                Problem.make(
                    "step_bad_choice",
                    field="source",
                    value=settings.source,
                    allowed=", ".join(LINKED_SOURCES),
                )
            )
        if not isinstance(at, list) or len(at) != 2:
            raise SpecError(Problem.make("not_int_pair", field="at", value=repr(at)))
        filter_index, position = check_int(at[0], "at", 0), check_int(at[1], "at", 0)
    except SpecError as error:
        raise SpecError([bad, *error.problems]) from None
    problems = conv_limit_problems(settings)
    if filter_index >= settings.filters:
        problems.append(
            Problem.make(
                "step_at_most", field="at", value=filter_index, maximum=settings.filters - 1
            )
        )
    if problems:
        raise SpecError([bad, *problems])
    return ConvLink(settings, filter_index, position)


def _padding_list(padding: PaddingArg) -> list[int]:
    """Padding as a list of numbers (empty for "valid"/"same")."""
    if isinstance(padding, str):
        return []
    if isinstance(padding, int):
        return [padding]
    return [int(v) for v in padding]


def _pair_or_triple(value: object) -> Any:
    """A JSON list as a tuple (ConvSettings checks its length and contents)."""
    return tuple(value) if isinstance(value, list) else value
