"""The Build page's server time after one edit of AlexNet, against the "PyTorch way" in the same run.

After every edit the page re-infers the network and re-renders: the table rows, the block diagram,
the parameter chart, and the exports (PyTorch code, JSON, share token). This script times

1. ``infer`` alone,
2. the table and the diagram (what the issue's 50 ms target is about): infer + rows + figure,
3. everything the page recomputes after an edit (2 + parameter chart + code + JSON + token),

each after changing conv1's filters (96 -> 64 -> 96 ...), and a baseline measured in the same run:
getting the shapes "the PyTorch way", by building AlexNet with ``cnnviz.net.builder`` (no torchvision)
and running a zero image through it (build + forward, and forward alone).

Run: ``.venv/bin/python benchmarks/bench_build.py [--runs 30] [--threads 1]``
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cnnviz.net import (
    PRESETS,
    NetSpec,
    NetSummary,
    build_model,
    encode_share,
    infer,
    net_to_json,
    to_pytorch_code,
)
from cnnviz.viz import network_diagram, params_bar

TARGET_MS = 50.0


def edited(net: NetSpec, step: int) -> NetSpec:
    """``net`` with conv1's filters changed (a new spec each time, so nothing is cached)."""
    layers = list(net.layers)
    layers[0] = dataclasses.replace(layers[0], out_channels=64 if step % 2 else 96)  # type: ignore[type-var]
    return dataclasses.replace(net, layers=tuple(layers))


def table_rows(summary: NetSummary) -> pd.DataFrame:
    """The rows the page's st.dataframe shows (same columns and formatting work)."""
    rows = [
        {
            "number": str(info.number),
            "layer": info.label,
            "shape": "×".join(map(str, info.output_shape or ())),
            "params": info.params,
            "mult_adds": info.mult_adds,
            "formula": "   ·   ".join(info.formulas),
        }
        for info in summary.layers
    ]
    return pd.DataFrame(rows)


def median_ms(runs: int, work: Callable[[int], object]) -> float:
    times = []
    for step in range(runs):
        start = time.perf_counter()
        work(step)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1, help="torch threads for the baseline")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    alexnet = PRESETS["alexnet2012"]

    def infer_only(step: int) -> None:
        infer(edited(alexnet, step))

    def table_and_diagram(step: int) -> None:
        summary = infer(edited(alexnet, step))
        table_rows(summary)
        network_diagram(summary, "en").to_dict()  # to_dict: what st.plotly_chart serialises

    def whole_page(step: int) -> None:
        net = edited(alexnet, step)
        summary = infer(net)
        table_rows(summary)
        network_diagram(summary, "en").to_dict()
        params_bar(summary, "en").to_dict()
        to_pytorch_code(net)
        net_to_json(net)
        encode_share(net)

    def pytorch_build_and_forward(step: int) -> None:
        model = build_model(edited(alexnet, step)).eval()
        with torch.no_grad():
            model(torch.zeros(1, 3, 227, 227))

    model = build_model(alexnet).eval()

    def pytorch_forward_only(step: int) -> None:
        with torch.no_grad():
            model(torch.zeros(1, 3, 227, 227))

    table_and_diagram(0)  # warm up imports and plotly validators
    whole_page(0)
    results = {
        "infer only": median_ms(args.runs, infer_only),
        "infer + table rows + diagram": median_ms(args.runs, table_and_diagram),
        "whole page recompute": median_ms(args.runs, whole_page),
    }
    baseline_runs = max(3, args.runs // 6)
    baseline_build = median_ms(baseline_runs, pytorch_build_and_forward)
    baseline_forward = median_ms(baseline_runs, pytorch_forward_only)

    print(f"AlexNet 2012 (23 layers), one edit per run, median of {args.runs} runs")
    for name, ms in results.items():
        print(
            f"  {name:<30} {ms:8.1f} ms   "
            f"x{baseline_build / ms:,.0f} faster than build+forward, "
            f"x{baseline_forward / ms:,.1f} than forward alone"
        )
    print(
        f"  baseline: build_model + forward {baseline_build:8.1f} ms, "
        f"forward of a built model {baseline_forward:.1f} ms "
        f"(median of {baseline_runs}, {args.threads} torch thread(s))"
    )
    verdict = "meets" if results["infer + table rows + diagram"] < TARGET_MS else "MISSES"
    print(f"target: table + diagram under {TARGET_MS:.0f} ms of server time: {verdict}")


if __name__ == "__main__":
    main()
