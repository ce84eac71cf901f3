"""One convolution-stepper step on a 32x32x3 input with 8 filters: server time and bytes sent.

One step = what the page does after a click: compute the ``ConvStep`` for the new output cell
(``conv_step``, which includes the whole NumPy conv) and build the stepper figure with its
animation frames (``viz_conv.conv_stepper_figure``). Also timed: serialising that figure to
JSON, which ``st.plotly_chart`` does before sending it. Baseline measured in the same run:
``F.conv2d`` on the same tensors. Target: one step under 100 ms.

Bytes: the figure JSON of one step is what every student's browser downloads after each click
(30 students share one classroom Wi-Fi). Reported next to two baselines from the same run: the
step's numbers alone (padded input, kernels, output map as compact JSON: what any view of the
step must convey) and the same figure without its animation frames. Target: under 100 KiB (it
was about 345 KiB before issue 9: 100 frames, every number also sent as text, plotly's template).

Run: ``.venv/bin/python benchmarks/bench_stepper.py [--repeats 15]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import plotly.io as pio
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnnviz.lessons import make_weights, sample_image
from cnnviz.ops import conv2d, conv_step
from cnnviz.viz import conv_stepper_figure, written_sum


def _median_ms(fn: Callable[[], object], repeats: int, clock: Callable[[], float]) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def _both(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median wall ms, median CPU ms of this process): on a shared machine the CPU time is the
    steadier number, the wall time is what a user waits."""
    return _median_ms(fn, repeats, time.perf_counter), _median_ms(fn, repeats, time.process_time)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    torch.set_num_threads(1)

    x = sample_image(3, 32, 32, "digit").astype(np.float64)  # (3, 32, 32)
    names = [
        "vertical_edge",
        "horizontal_edge",
        "sobel_x",
        "sobel_y",
        "laplacian",
        "random",
        "sharpen",
        "box_blur",
    ]
    w = make_weights(names, 3, 3, 3)  # (8, 3, 3, 3)
    bias = np.linspace(-1, 1, 8)
    positions = iter(range(10**9))

    def one_step() -> object:
        k = next(positions) % (32 * 32)
        step = conv_step(x, w, bias, 1, "same", 1, out_index=(3, k // 32, k % 32))
        written_sum(step, "channel", "bias", "total")
        return conv_stepper_figure(step, "en")

    def one_step_json() -> object:
        return pio.to_json(one_step(), validate=False)

    x_t, w_t, b_t = torch.tensor(x)[None], torch.tensor(w), torch.tensor(bias)

    def baseline() -> object:
        return F.conv2d(x_t, w_t, b_t, padding="same")

    step_ms, step_cpu = _both(one_step, args.repeats)
    json_ms, json_cpu = _both(one_step_json, args.repeats)
    base_ms, base_cpu = _both(baseline, args.repeats * 5)
    conv_ms, conv_cpu = _both(lambda: conv2d(x, w, bias, 1, "same"), args.repeats * 5)
    step = conv_step(x, w, bias, 1, "same", 1, out_index=(3, 5, 7))
    figure = conv_stepper_figure(step, "en")
    sent = len(pio.to_json(figure, validate=False))
    static = len(pio.to_json(conv_stepper_figure(step, "en", animate=False), validate=False))
    numbers = {
        "padded": step.padded.round(4).tolist(),
        "kernels": w.round(4).tolist(),
        "output": step.output[3].round(4).tolist(),
    }
    raw = len(json.dumps(numbers, separators=(",", ":")))
    frames = len(figure.to_dict().get("frames", []))
    print(f"input 3x32x32, 8 filters 3x3, same padding; {frames} animation frames")
    print(f"{'median of ' + str(args.repeats) + ' runs':42s} {'wall ms':>9s} {'CPU ms':>9s}")
    rows = [
        ("baseline F.conv2d (torch, 1 thread)", base_ms, base_cpu),
        ("NumPy conv2d (float64)", conv_ms, conv_cpu),
        ("one step: ConvStep + written sum + figure", step_ms, step_cpu),
        ("  ... plus JSON for st.plotly_chart", json_ms, json_cpu),
    ]
    for label, wall, cpu in rows:
        print(f"{label:42s} {wall:9.3f} {cpu:9.3f}   ({wall / base_ms:,.0f}x baseline wall)")
    print("bytes sent to the browser for one step (plotly.io.to_json, what st.plotly_chart sends)")
    for label, size in (
        ("baseline: the step's numbers alone (JSON)", raw),
        ("baseline: the figure without animation", static),
        ("one step: the animated stepper figure", sent),
    ):
        print(f"{label:42s} {size / 1024:9.1f} KiB   ({size / raw:.1f}x the numbers)")
    verdict_kib = "met" if sent < 100 * 1024 else "NOT met"
    print(f"target < 100 KiB per step: {sent / 1024:.1f} KiB ({verdict_kib})")

    def verdict(ms: float) -> str:
        return "met" if ms < 100 else "NOT met"

    print(
        f"target < 100 ms per step: wall {step_ms:.0f} ms ({verdict(step_ms)}),"
        f" CPU {step_cpu:.0f} ms ({verdict(step_cpu)})"
    )


if __name__ == "__main__":
    main()
