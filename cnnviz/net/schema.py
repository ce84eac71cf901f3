"""One versioned JSON schema for a network: write, read (strictly), and compact share tokens.

A document is ``{"schema_version": 1, "input_shape": [C, H, W], "layers": [{"type": "conv2d",
"out_channels": 6, "kernel_size": [5, 5], ...}, ...], "name": ..., "description": ..., "source":
..., "class_names": [...]}``; layer fields are the spec dataclasses' fields (PyTorch's names).
Reading rejects, with a :class:`SpecError` naming the layer and field: malformed JSON (line and
column), another schema version, unknown layer types, unknown or missing fields, wrong types,
documents over 256 KB, nesting deeper than 10 and more than 300 layers. A share token is the
JSON compressed with zlib and encoded base64url, for the ``?net=`` URL parameter.

Lesson: the "Build a CNN" page (download/upload the JSON, share link); checkpoints store it.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
import zlib
from typing import Any

from cnnviz import safe_json
from cnnviz.net.shapes import MAX_LAYERS
from cnnviz.net.specs import LAYER_TYPES, LayerSpec, NetSpec, Problem, SpecError

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_NESTING",
    "MAX_TOKEN_CHARS",
    "SCHEMA_VERSION",
    "decode_share",
    "encode_share",
    "json_problem",
    "json_type_name",
    "layer_from_dict",
    "layer_to_dict",
    "net_from_dict",
    "net_from_json",
    "net_to_dict",
    "net_to_json",
]

SCHEMA_VERSION = 1
MAX_DOCUMENT_BYTES = 256 * 1024
MAX_NESTING = 10
MAX_TOKEN_CHARS = 64 * 1024

_NET_FIELDS = {"schema_version", "input_shape", "layers", "name", "description", "source"}
_NET_FIELDS |= {"class_names"}
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


def layer_to_dict(spec: LayerSpec) -> dict[str, Any]:
    """One layer as ``{"type": kind, field: value, ...}``; (h, w) pairs become lists."""
    data: dict[str, Any] = {"type": spec.kind}
    for f in dataclasses.fields(spec):
        value = getattr(spec, f.name)
        data[f.name] = list(value) if isinstance(value, tuple) else value
    return data


def net_to_dict(net: NetSpec) -> dict[str, Any]:
    """The JSON-ready document for ``net`` (lists, ints, floats, strings, booleans only)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": net.name,
        "description": net.description,
        "source": net.source,
        "class_names": list(net.class_names),
        "input_shape": list(net.input_shape),
        "layers": [layer_to_dict(layer) for layer in net.layers],
    }


def net_to_json(net: NetSpec, *, indent: int | None = 2) -> str:
    """``net`` as a JSON document (pretty by default; ``indent=None`` for one compact line)."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(net_to_dict(net), indent=indent, separators=separators, ensure_ascii=False)


def json_type_name(value: object) -> str:
    """JSON's name for the type of a parsed value ("integer", "array", ...), for messages."""
    return {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _wrong_type(field: str, expected: str, value: object, index: int | None = None) -> Problem:
    return Problem.make(
        "json_wrong_type", index, field, expected=expected, got=json_type_name(value)
    )


def _layer_from_dict(index: int | None, data: object) -> tuple[LayerSpec | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, [_wrong_type("layers", "object", data, index)]
    kind = data.get("type")
    if kind not in LAYER_TYPES:
        if kind is None:
            return None, [Problem.make("json_missing_field", index, "type")]
        return None, [
            Problem.make(
                "json_unknown_layer",
                index,
                "type",
                value=repr(kind),
                allowed=", ".join(LAYER_TYPES),
            )
        ]
    cls = LAYER_TYPES[kind]
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields) - {"type"})
    if unknown:
        return None, [
            Problem.make(
                "json_unknown_fields",
                index,
                None,
                fields=", ".join(unknown),
                allowed=", ".join(fields) or "-",
            )
        ]
    missing = [
        name
        for name, f in fields.items()
        if name not in data
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        return None, [Problem.make("json_missing_field", index, name) for name in missing]
    kwargs = {name: value for name, value in data.items() if name != "type"}
    try:
        return cls(**kwargs), []
    except SpecError as error:
        return None, [dataclasses.replace(p, layer_index=index) for p in error.problems]
    except TypeError:  # e.g. an unhashable value where the spec compares numbers
        return None, [Problem.make("json_bad_layer", index, None)]


def layer_from_dict(data: object, index: int | None = None) -> LayerSpec:
    """The spec for one layer document; SpecError (problems tied to ``index``) when invalid."""
    spec, problems = _layer_from_dict(index, data)
    if spec is None:
        raise SpecError(problems)
    return spec


def net_from_dict(data: object) -> NetSpec:
    """Validate a parsed document and build the :class:`NetSpec`; SpecError lists every problem.

    Checks the shape of the document only: cross-layer problems come from ``shapes.validate``.
    """
    if not isinstance(data, dict):
        raise SpecError(_wrong_type("document", "object", data))
    problems: list[Problem] = []
    unknown = sorted(set(data) - _NET_FIELDS)
    if unknown:
        problems.append(
            Problem.make(
                "json_unknown_fields",
                fields=", ".join(unknown),
                allowed=", ".join(sorted(_NET_FIELDS)),
            )
        )
    version = data.get("schema_version")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        problems.append(
            Problem.make(
                "json_schema_version",
                field="schema_version",
                value=repr(version),
                expected=SCHEMA_VERSION,
            )
        )
    for key in ("input_shape", "layers"):
        if key not in data:
            problems.append(Problem.make("json_missing_field", field=key))
    layers_data = data.get("layers", [])
    if not isinstance(layers_data, list):
        problems.append(_wrong_type("layers", "array", layers_data))
        layers_data = []
    if len(layers_data) > MAX_LAYERS:  # say so before reading thousands of layers
        problems.append(Problem.make("too_many_layers", count=len(layers_data), limit=MAX_LAYERS))
        raise SpecError(problems)
    text_fields: dict[str, str] = {}
    for key in ("name", "description", "source"):
        value = data.get(key, "")
        if isinstance(value, str):
            text_fields[key] = value
        else:
            problems.append(_wrong_type(key, "string", value))
    class_names = data.get("class_names", [])
    if not (isinstance(class_names, list) and all(isinstance(c, str) for c in class_names)):
        problems.append(_wrong_type("class_names", "array of strings", class_names))
        class_names = []
    layers: list[LayerSpec] = []
    for index, layer_data in enumerate(layers_data):
        spec, layer_problems = _layer_from_dict(index, layer_data)
        problems.extend(layer_problems)
        if spec is not None:
            layers.append(spec)
    net: NetSpec | None = None
    if "input_shape" in data:
        shape = data["input_shape"]
        try:
            net = NetSpec(
                input_shape=tuple(shape) if isinstance(shape, list) else shape,
                layers=tuple(layers),
                class_names=tuple(class_names),
                **text_fields,
            )
        except SpecError as error:
            problems.extend(error.problems)
    if problems or net is None:
        raise SpecError(problems)
    return net


def net_from_json(text: str | bytes) -> NetSpec:
    """Parse and validate a JSON document (as text or UTF-8 bytes); SpecError on any problem."""
    try:
        data = safe_json.loads(text, max_bytes=MAX_DOCUMENT_BYTES, max_nesting=MAX_NESTING)
    except safe_json.JsonError as error:
        raise SpecError(json_problem(error.problem)) from None
    return net_from_dict(data)


def json_problem(
    problem: safe_json.JsonProblem,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    max_nesting: int = MAX_NESTING,
) -> Problem:
    """The catalog's problem for a document the guarded JSON reader refused (the limits it was
    read with: a network's by default; the U-Net's document passes its own)."""
    match problem.reason:
        case "too_big":
            kilobytes = -(-problem.size // 1024)
            return Problem.make("json_too_big", kilobytes=kilobytes, limit=max_bytes // 1024)
        case "not_text":
            return Problem.make("json_not_text")
        case "too_deep":
            return Problem.make("json_too_deep", depth=problem.depth, limit=max_nesting)
    return Problem.make(
        "json_malformed", line=problem.line, column=problem.column, message=problem.detail
    )


def encode_share(net: NetSpec) -> str:
    """A compact URL-safe token: base64url(zlib(compact JSON)), no padding.

    The long ``description`` and ``source`` texts are left out to keep links short (the name,
    input, layers and class names travel); :func:`decode_share` returns them empty.
    """
    short = dataclasses.replace(net, description="", source="")
    raw = net_to_json(short, indent=None).encode("utf-8")
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


def decode_share(token: str) -> NetSpec:
    """The network in a share token; SpecError starting with ``bad_share_token``.

    Bounded work for hostile input: the token length is capped, decompression stops after
    :data:`MAX_DOCUMENT_BYTES`, and the result goes through :func:`net_from_json`, whose
    problems follow the first one when the token decodes to an invalid document.
    """
    bad = Problem.make("bad_share_token")
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_CHARS:
        raise SpecError(bad)
    if not _TOKEN.fullmatch(token):
        raise SpecError(bad)
    try:
        compressed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(compressed, MAX_DOCUMENT_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise SpecError(bad) from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise SpecError(bad)
    try:
        return net_from_json(raw)
    except SpecError as error:
        raise SpecError([bad, *error.problems]) from None
