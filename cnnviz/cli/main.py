"""The ``python -m cnnviz`` command line: ``summary`` (this module) and ``train`` (cli_train).

``python -m cnnviz summary PRESET_OR_JSON_FILE [--input C,H,W] [--json] [--lang en|zh]`` prints
the per-layer table (name, output shape, parameters, mult-adds) and the totals, or with ``--json``
one JSON document: ``{"name", "input_shape", "layers": [{"index", "name", "type", "output_shape",
"params", "mult_adds", "activation_bytes", "receptive_field"}], "output_shape", "total_params",
"total_mult_adds", "total_activation_bytes", "notes"}``. Exit code 0, or 2 with the problems
(each naming its layer and the fix) on stderr for a bad preset, file, shape or network.

Lesson: the "Build a CNN" page's shape table, for notebooks and scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from cnnviz.cli.prune import add_prune_parser
from cnnviz.cli.train import add_train_parser
from cnnviz.net import (
    MAX_DOCUMENT_BYTES,
    PRESETS,
    NetSpec,
    NetSummary,
    Problem,
    SpecError,
    infer,
    net_from_json,
    shape_text,
    with_input_shape,
)

__all__ = ["build_parser", "load_net", "main", "parse_input_shape", "run_summary", "summary_dict"]

EXIT_BAD_INPUT = 2


class _UsageError(Exception):
    """A bad command-line value; the message is shown as is."""


def parse_input_shape(text: str) -> tuple[int, int, int]:
    """``"3,32,32"`` (or ``3x32x32``) -> ``(3, 32, 32)``; raises SpecError for anything else."""
    parts = text.replace("x", ",").replace(" ", "").split(",")
    try:
        numbers = tuple(int(part) for part in parts)
    except ValueError:
        raise SpecError(Problem.make("bad_input_shape", field="--input", value=text)) from None
    if len(numbers) != 3:
        raise SpecError(Problem.make("bad_input_shape", field="--input", value=text))
    return numbers[0], numbers[1], numbers[2]


def load_net(target: str) -> NetSpec:
    """A preset name, or the path of a JSON file written by the Build page."""
    if target in PRESETS:
        return PRESETS[target]
    path = Path(target)
    if not path.is_file():
        raise _UsageError(
            f"{target!r} is neither a preset nor a JSON file. Presets: {', '.join(PRESETS)}."
        )
    with path.open("rb") as handle:
        data = handle.read(MAX_DOCUMENT_BYTES + 1)  # net_from_json reports "too big"
    return net_from_json(data)


def summary_dict(net: NetSpec, summary: NetSummary) -> dict[str, Any]:
    """The ``--json`` document for a network and its inferred summary."""
    return {
        "name": net.name,
        "input_shape": list(net.input_shape),
        "layers": [
            {
                "index": info.number,
                "name": info.label,
                "type": info.kind,
                "output_shape": list(info.output_shape) if info.output_shape else None,
                "params": info.params,
                "mult_adds": info.mult_adds,
                "activation_bytes": info.activation_bytes,
                "receptive_field": list(info.receptive_field) if info.receptive_field else None,
            }
            for info in summary.layers
        ],
        "output_shape": list(summary.output_shape) if summary.output_shape else None,
        "total_params": summary.total_params,
        "total_mult_adds": summary.total_mult_adds,
        "total_activation_bytes": summary.total_activation_bytes,
        "notes": [note.text("en") for note in summary.notes],
    }


def _table(net: NetSpec, summary: NetSummary, lang: str) -> str:
    header = ("#", "layer", "output shape", "params", "mult-adds")
    rows = [("0", "input", shape_text(net.input_shape), "", "")]
    rows += [
        (
            str(info.number),
            info.label,
            shape_text(info.output_shape),
            f"{info.params:,}",
            f"{info.mult_adds:,}",
        )
        for info in summary.layers
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(width) if i in (0, 3, 4) else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "-" * len(line(header))
    out = [line(header), rule, *(line(row) for row in rows), rule]
    rf = summary.receptive_field
    out += [
        f"total parameters:  {summary.total_params:,}",
        f"total mult-adds:   {summary.total_mult_adds:,}",
        f"activation memory: {summary.total_activation_bytes / 1e6:,.2f} MB per image (float32)",
        f"receptive field:   {shape_text(rf) if rf else '-'}",
    ]
    out += [f"note: {note.text(lang)}" for note in summary.notes]
    return "\n".join(out)


def run_summary(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """The ``summary`` subcommand; returns the exit code."""
    out = out or sys.stdout
    try:
        net = load_net(args.target)
        if args.input:
            net = with_input_shape(net, parse_input_shape(args.input))
    except _UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SpecError as error:
        for problem in error.problems:
            print(f"error: {problem.text(args.lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    summary = infer(net)
    if summary.problems:
        for problem in summary.problems:
            print(f"error: {problem.text(args.lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(summary_dict(net, summary), ensure_ascii=False), file=out)
    else:
        print(_table(net, summary, args.lang), file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """``cnnviz summary ...`` and, when ``cnnviz.cli.train`` is present, ``cnnviz train ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m cnnviz", description="cnnviz from the command line."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    summary = subparsers.add_parser(
        "summary",
        help="per-layer output shapes, parameters and mult-adds of a network",
        description="Print the shape table of a preset or a network JSON file.",
    )
    summary.add_argument("target", help=f"a preset ({', '.join(PRESETS)}) or a JSON file")
    summary.add_argument("--input", metavar="C,H,W", help="use this input shape instead")
    summary.add_argument("--json", action="store_true", help="print one JSON document")
    summary.add_argument("--lang", choices=("en", "zh"), default="en", help="message language")
    summary.set_defaults(func=run_summary)
    add_train_parser(subparsers)
    add_prune_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen subcommand; returns the exit code (argparse errors: 2)."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))
