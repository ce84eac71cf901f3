"""The U-Net's exports: a versioned JSON document, a share-link token, and standalone PyTorch code.

A document is ``{"format": "cnnviz.unet", "schema_version": 1, "in_channels": 1, "num_classes":
7, "image_size": 32, "base_channels": 8, "depth": 2, "skips": true, "batch_norm": true}``: the
:class:`~cnnviz.net.unet.UNetSpec` fields, every one required. Reading is strict: another format
or version, unknown or missing keys, and wrong types are reported together as a
:class:`SpecError` (one :class:`Problem` each), then ``UNetSpec.__post_init__`` checks the ranges.
A document whose input size does not divide by the total stride is still read (the Build page
explains that mismatch with :func:`~cnnviz.net.unet.unet_problems`); :func:`unet_code` refuses it.

A share token is the compact JSON in base64url without padding, for the ``?unet=`` URL parameter.
Unlike the sequential network's token (:func:`cnnviz.net.encode_share`) it is not zlib-compressed:
the document is under 200 bytes, compression would save a few characters, and the decoder then
has no inflating to bound. The token length is capped at :data:`MAX_UNET_TOKEN_CHARS` and the
JSON goes through :mod:`cnnviz.safe_json`, so a hostile link costs bounded work.

:func:`unet_code` writes the same architecture as :class:`~cnnviz.net.unet.UNet`, with the same
attribute names (``encoders``, ``pool``, ``bottom``, ``ups``, ``decoders``, ``head``; residual
blocks with ``residual``, ``shortcut``, ``out_act``), so that a state dict of
:func:`~cnnviz.net.unet.build_unet` loads into it; every line of ``forward`` names its map's shape.

Lesson: the "Build a CNN" page (the U-Net's exports: PyTorch code, JSON, share link).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
import textwrap
from typing import Any

from cnnviz import safe_json
from cnnviz.net.schema import json_problem, json_type_name
from cnnviz.net.specs import Problem, SpecError
from cnnviz.net.unet import UNetLayer, UNetSpec, infer_unet

__all__ = [
    "MAX_UNET_DOCUMENT_BYTES",
    "MAX_UNET_TOKEN_CHARS",
    "UNET_FORMAT",
    "UNET_SCHEMA_VERSION",
    "decode_unet_link",
    "encode_unet_link",
    "unet_code",
    "unet_from_dict",
    "unet_from_json",
    "unet_to_dict",
    "unet_to_json",
]

UNET_FORMAT = "cnnviz.unet"
UNET_SCHEMA_VERSION = 1
# A document is ~170 bytes; 4 KB leaves room for pretty-printing and still refuses junk early.
MAX_UNET_DOCUMENT_BYTES = 4 * 1024
MAX_UNET_TOKEN_CHARS = 1024
_MAX_NESTING = 1  # one flat object

_HEADER = ("format", "schema_version")
_FIELDS: dict[str, str] = {  # field -> the JSON type it must have
    f.name: ("boolean" if f.type in ("bool", bool) else "integer")
    for f in dataclasses.fields(UNetSpec)
}
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_INDENT = " " * 4


# ------------------------------------------------------------------------------ JSON document


def unet_to_dict(spec: UNetSpec) -> dict[str, Any]:
    """The JSON-ready document for ``spec`` (format tag, version, then every field)."""
    data: dict[str, Any] = {"format": UNET_FORMAT, "schema_version": UNET_SCHEMA_VERSION}
    data.update(dataclasses.asdict(spec))
    return data


def unet_to_json(spec: UNetSpec, *, indent: int | None = 2) -> str:
    """``spec`` as a JSON document (pretty by default; ``indent=None`` for one compact line)."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(unet_to_dict(spec), indent=indent, separators=separators)


def _has_type(value: object, expected: str) -> bool:
    if expected == "boolean":
        return isinstance(value, bool)
    return isinstance(value, int) and not isinstance(value, bool)


def unet_from_dict(data: object) -> UNetSpec:
    """Validate a parsed document and build the :class:`UNetSpec`; SpecError lists every problem
    with the document's shape (format, version, unknown/missing keys, types), then the first
    range problem found by ``UNetSpec.__post_init__``."""
    if not isinstance(data, dict):
        raise SpecError(
            Problem.make(
                "json_wrong_type", field="document", expected="object", got=json_type_name(data)
            )
        )
    problems: list[Problem] = []
    unknown = sorted(str(key) for key in set(data) - set(_HEADER) - set(_FIELDS))
    if unknown:
        problems.append(
            Problem.make(
                "json_unknown_fields",
                fields=", ".join(unknown),
                allowed=", ".join([*_HEADER, *_FIELDS]),
            )
        )
    if data.get("format") != UNET_FORMAT:
        problems.append(
            Problem.make(
                "unet_format", field="format", value=repr(data.get("format")), expected=UNET_FORMAT
            )
        )
    version = data.get("schema_version")
    if version != UNET_SCHEMA_VERSION or isinstance(version, bool):
        problems.append(
            Problem.make(
                "json_schema_version",
                field="schema_version",
                value=repr(version),
                expected=UNET_SCHEMA_VERSION,
            )
        )
    for name, expected in _FIELDS.items():
        if name not in data:
            problems.append(Problem.make("json_missing_field", field=name))
        elif not _has_type(data[name], expected):
            problems.append(
                Problem.make(
                    "json_wrong_type", field=name, expected=expected, got=json_type_name(data[name])
                )
            )
    if problems:
        raise SpecError(problems)
    return UNetSpec(**{name: data[name] for name in _FIELDS})  # ranges: SpecError


def unet_from_json(text: str | bytes) -> UNetSpec:
    """Parse (through :mod:`cnnviz.safe_json`, at most 4 KB) and validate a U-Net document."""
    try:
        data = safe_json.loads(text, max_bytes=MAX_UNET_DOCUMENT_BYTES, max_nesting=_MAX_NESTING)
    except safe_json.JsonError as error:
        raise SpecError(
            json_problem(error.problem, MAX_UNET_DOCUMENT_BYTES, _MAX_NESTING)
        ) from None
    return unet_from_dict(data)


# ------------------------------------------------------------------------------ share link


def encode_unet_link(spec: UNetSpec) -> str:
    """A URL-safe token for ``?unet=``: base64url of the compact JSON document, no padding."""
    raw = unet_to_json(spec, indent=None).encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_unet_link(token: str) -> UNetSpec:
    """The U-Net in a share token; SpecError whose first problem is ``bad_unet_token``, followed,
    when the token decodes to a document, by that document's problems. Checks, in order: a
    string of 1 to :data:`MAX_UNET_TOKEN_CHARS` base64url characters, base64 that decodes, JSON
    (through :mod:`cnnviz.safe_json`), then every field (:func:`unet_from_dict`)."""
    bad = Problem.make("bad_unet_token")
    if not isinstance(token, str) or not 0 < len(token) <= MAX_UNET_TOKEN_CHARS:
        raise SpecError(bad)
    if not _TOKEN.fullmatch(token):
        raise SpecError(bad)
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise SpecError(bad) from None
    try:
        return unet_from_json(raw)
    except SpecError as error:
        raise SpecError([bad, *error.problems]) from None


# ------------------------------------------------------------------------------ PyTorch code


def _shape(shape: tuple[int, int, int]) -> str:
    """``(N, 8, 32, 32)``: a map's shape with the batch dimension in front."""
    return "(N, " + ", ".join(map(str, shape)) + ")"


def _block_call(in_channels: int, out_channels: int, batch_norm: bool) -> str:
    norm = "" if batch_norm else ", batch_norm=False"
    return f"ResidualBlock({in_channels}, {out_channels}{norm})"


_RESIDUAL_BLOCK = '''class ResidualBlock(nn.Module):
    """y = relu(F(x) + shortcut(x)), F = conv3x3 -> BN -> ReLU -> conv3x3 -> BN (He et al. 2016).

    The shortcut is x itself, or a 1x1 convolution (+ BN) when the channels change; with
    batch_norm=False the BN layers are left out and the convolutions get a bias.
    """

    def __init__(self, in_channels: int, out_channels: int, batch_norm: bool = True) -> None:
        super().__init__()
        bias = not batch_norm  # BatchNorm's shift makes a conv bias redundant

        def norm(channels: int) -> nn.Module:
            return nn.BatchNorm2d(channels) if batch_norm else nn.Identity()

        self.residual = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=bias),
            norm(out_channels),
            nn.ReLU(),
            nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=bias),
            norm(out_channels),
        )
        self.shortcut: nn.Module
        if in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, bias=bias), norm(out_channels)
            )
        else:
            self.shortcut = nn.Identity()
        self.out_act = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out_act(self.residual(x) + self.shortcut(x))
'''


def _init_lines(spec: UNetSpec, rows: dict[str, UNetLayer]) -> list[str]:
    """The ``__init__`` body: one line per module, with the shapes it maps."""
    bn = spec.batch_norm
    lines = ["super().__init__()", "self.encoders = nn.ModuleList(["]
    for level in range(1, spec.depth + 1):
        row = rows[f"enc{level}"]
        call = _block_call(row.input_shape[0], row.output_shape[0], bn)
        lines.append(f"{_INDENT}{call},  # enc{level}: {row.input_shape} -> {row.output_shape}")
    lines += [
        "])",
        "self.pool = nn.MaxPool2d(2, 2)  # halves H and W (floor(n / 2))",
    ]
    bottom = rows["bottom"]
    call = _block_call(bottom.input_shape[0], bottom.output_shape[0], bn)
    lines.append(f"self.bottom = {call}  # {bottom.input_shape} -> {bottom.output_shape}")
    lines.append("self.ups = nn.ModuleList([  # deepest level first; each doubles H and W")
    for level in range(spec.depth, 0, -1):
        row = rows[f"up{level}"]
        lines.append(
            f"{_INDENT}nn.ConvTranspose2d({row.input_shape[0]}, {row.output_shape[0]}, 2, "
            f"stride=2),  # up{level}: {row.input_shape} -> {row.output_shape}"
        )
    lines += ["])", "self.decoders = nn.ModuleList(["]
    for level in range(spec.depth, 0, -1):
        row = rows[f"dec{level}"]
        call = _block_call(row.input_shape[0], row.output_shape[0], bn)
        lines.append(f"{_INDENT}{call},  # dec{level}: {row.input_shape} -> {row.output_shape}")
    head = rows["head"]
    lines += [
        "])",
        f"self.head = nn.Conv2d({head.input_shape[0]}, {spec.num_classes}, 1)"
        f"  # one score per class and pixel: {head.output_shape}",
    ]
    return lines


def _forward_lines(spec: UNetSpec, rows: dict[str, UNetLayer]) -> list[str]:
    """The ``forward`` body, unrolled: one line per map with its shape."""
    size = spec.image_size
    lines = [f"# x: {_shape((spec.in_channels, size, size))}"]
    for level in range(1, spec.depth + 1):
        lines += [
            f"enc{level} = self.encoders[{level - 1}](x)  # {_shape(rows[f'enc{level}'].output_shape)}",
            f"x = self.pool(enc{level})  # {_shape(rows[f'pool{level}'].output_shape)}",
        ]
    lines.append(f"x = self.bottom(x)  # {_shape(rows['bottom'].output_shape)}")
    for position, level in enumerate(range(spec.depth, 0, -1)):
        lines.append(
            f"x = self.ups[{position}](x)  # up{level}: {_shape(rows[f'up{level}'].output_shape)}"
        )
        if spec.skips:
            cat = rows[f"cat{level}"]
            lines.append(
                f"x = torch.cat([x, enc{level}], dim=1)  # cat{level}, the skip from "
                f"enc{level}: {_shape(cat.output_shape)}"
            )
        lines.append(
            f"x = self.decoders[{position}](x)  # dec{level}: "
            f"{_shape(rows[f'dec{level}'].output_shape)}"
        )
    lines.append(f"return self.head(x)  # {_shape(rows['head'].output_shape)}: logits per pixel")
    return lines


def unet_code(spec: UNetSpec, class_name: str = "UNet") -> str:
    """A complete, runnable Python module defining ``class_name(nn.Module)`` for ``spec``: the
    architecture of :class:`~cnnviz.net.unet.UNet` unrolled for this depth, with each map's
    shape in a comment, a ``ResidualBlock`` class and a short usage under ``__main__``.

    Raises the :class:`SpecError` of :func:`~cnnviz.net.unet.build_unet` when the input size does
    not divide by the total stride.
    """
    if not class_name.isidentifier():
        raise ValueError(f"{class_name!r} is not a Python class name")
    layers = infer_unet(spec)  # SpecError (unet_problems) when the sizes do not fit
    rows = {row.name: row for row in layers}
    total = sum(row.params for row in layers)
    size = spec.image_size
    skips = "with skip connections" if spec.skips else "without skip connections"
    summary = textwrap.fill(
        f"Input ({spec.in_channels}, {size}, {size}) -> output ({spec.num_classes}, {size}, "
        f"{size}): one score per class and pixel. Depth {spec.depth} (total stride "
        f"{spec.total_stride}), {spec.base_channels} channels at the top level, doubling per "
        f"level; {total:,} parameters.",
        92,
    )
    doc = f'"""A U-Net {skips}, generated by cnnviz.\n\n{summary}\n"""'
    pieces = [
        doc,
        "",
        "import torch",
        "from torch import nn",
        "",
        "",
        _RESIDUAL_BLOCK,
        "",
        f"class {class_name}(nn.Module):",
        f'{_INDENT}"""Images {_shape((spec.in_channels, size, size))} to scores per pixel '
        f'{_shape((spec.num_classes, size, size))}."""',
        "",
        f"{_INDENT}def __init__(self) -> None:",
        *(f"{_INDENT * 2}{line}" for line in _init_lines(spec, rows)),
        "",
        f"{_INDENT}def forward(self, x: torch.Tensor) -> torch.Tensor:",
        *(f"{_INDENT * 2}{line}" for line in _forward_lines(spec, rows)),
        "",
        "",
        'if __name__ == "__main__":',
        f"{_INDENT}model = {class_name}().eval()",
        f'{_INDENT}print(sum(p.numel() for p in model.parameters()), "parameters")  # {total}',
        f"{_INDENT}images = torch.zeros(1, {spec.in_channels}, {size}, {size})",
        f"{_INDENT}with torch.no_grad():",
        f"{_INDENT * 2}scores = model(images)  # (1, {spec.num_classes}, {size}, {size})",
        f"{_INDENT}masks = scores.argmax(dim=1)  # (1, {size}, {size}): the class of each pixel",
        f"{_INDENT}print(scores.shape, masks.shape)",
    ]
    return "\n".join(pieces) + "\n"
