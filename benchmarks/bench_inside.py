"""Server time of the /inside page's computations on networks of up to 100k parameters at 28x28.

Timed, each against a baseline measured in the same run on the same network and data:

- attribution for one image: the four maps of ``cnnviz.inside.attribute`` (saliency, Integrated
  Gradients with 32 steps, Grad-CAM on the last map layer, occlusion), what the page computes
  when a picture, a class or the layer changes. Baseline: one forward and backward pass for the
  input gradient (``torch.autograd.grad``). Target: under 1 s.
- the invariance curve: ``invariance_curve`` (17 shifted pictures, one batch) plus the
  equivariance table of every map layer at k = 4, for the trained network and for the same
  network with its pooling removed. Baseline: one forward pass of the 17 pictures. Target: 2 s.
- the linear-probe table: ``probe_rows`` on the shapes data (2,400 training pictures, 600
  validation pictures): LinearSVC on raw pixels, on an untrained network's features and on the
  trained network's, and the network's own head. Baseline: the forward passes that extract the
  features. Target: under 10 s (the page runs it in the job pool with progress anyway).
- a click on a feature-map cell: the effective receptive field of the centre cell of the last
  map layer over 256 validation pictures (``effective_field``). Baseline: one forward and
  backward pass of those pictures. Target: an interaction's 100 ms.

The networks are the default ``tiny`` preset trained for 2 epochs, and the lab's family
(``scaled_net``) at about 27k and 61k parameters (random weights: the time does not depend on
them, except the SVM's iterations).

Each line prints the median wall time and the median CPU time of this process; the verdict uses
the CPU time, because on a shared machine the wall time also counts other people's work (on an
idle 2-core machine with one torch thread the two agree).

Run: ``.venv/bin/python benchmarks/bench_inside.py [--repeats 5] [--threads 1]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnnviz.data import DataConfig, load_dataset
from cnnviz.inside import (
    ERF_IMAGES,
    effective_field,
    equivariance,
    feature_index,
    inside_net,
    invariance_curve,
    pooling_variant,
    probe_rows,
    spatial_layers,
)
from cnnviz.inside import attribute as attribute_maps
from cnnviz.net import NetSpec, build_model, get_preset, infer, scaled_net
from cnnviz.train import TrainConfig, fit

TARGETS_S = {"attribution": 1.0, "invariance": 2.0, "probe": 10.0, "click": 0.1}


def _median_s(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds of this process): on a shared machine the CPU
    time is the steadier number, the wall time is what a user waits."""
    fn()  # warm-up (imports, captum's and scikit-learn's first calls)
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _line(
    name: str, seconds: tuple[float, float], baseline: tuple[float, float], target: float
) -> None:
    (wall, cpu), (base_wall, base_cpu) = seconds, baseline
    verdict = "ok" if cpu < target else "OVER"
    print(
        f"  {name:<12} wall {1000 * wall:8.1f} ms  cpu {1000 * cpu:8.1f} ms   "
        f"baseline wall {1000 * base_wall:7.1f} ms  cpu {1000 * base_cpu:7.1f} ms   "
        f"ratio (cpu) {cpu / max(base_cpu, 1e-6):6.1f}x   target (cpu) < {target:g} s: {verdict}"
    )


def bench(name: str, net: NetSpec, model: torch.nn.Module, repeats: int) -> None:
    data = load_dataset(DataConfig())
    inside, _ = inside_net(model, net, data.class_names, data.mean, data.std, data=data)
    x = data.val_x[0]
    black = inside.black()
    maps = spatial_layers(net)
    features = feature_index(net)
    print(f"{name}: {inside.num_parameters:,} parameters, input {inside.input_shape}")

    def gradient() -> object:
        batch = x[None].clone().requires_grad_()
        return torch.autograd.grad(model(batch)[0, 0], batch)

    attribution = _median_s(
        lambda: attribute_maps(model, x, 0, maps[-1].index, black), max(1, repeats)
    )
    _line("attribution", attribution, _median_s(gradient, repeats * 5), TARGETS_S["attribution"])

    images = data.val_x[:ERF_IMAGES]

    def click() -> object:
        layer = maps[-1]
        return effective_field(model, layer.index, 0, layer.height // 2, layer.width // 2, images)

    def batch_gradient() -> object:
        batch = images.clone().requires_grad_()
        return torch.autograd.grad(model(batch)[:, 0].sum(), batch)

    _line(
        "rf click",
        _median_s(click, repeats),
        _median_s(batch_gradient, repeats),
        TARGETS_S["click"],
    )

    variant_net = pooling_variant(net, "no_pooling")
    variant = build_model(variant_net, seed=0).eval()
    variant_maps = spatial_layers(variant_net)

    def curves() -> object:
        curve = invariance_curve(model, features, x, "horizontal", black)
        table = equivariance(model, net, maps, x, 4, "horizontal", black)
        other = invariance_curve(
            variant, feature_index(variant_net), x, "horizontal", black, target=curve.target
        )
        return (
            curve,
            table,
            other,
            equivariance(variant, variant_net, variant_maps, x, 4, "horizontal", black),
        )

    batch = torch.stack([x] * 17)

    def forward() -> object:
        with torch.no_grad():
            return model(batch)

    _line(
        "invariance",
        _median_s(curves, repeats),
        _median_s(forward, repeats * 5),
        TARGETS_S["invariance"],
    )

    untrained = build_model(net, seed=1).eval()

    def probe() -> object:
        return list(probe_rows(model, untrained, net, data))

    def extract() -> object:
        with torch.no_grad():
            return model(data.train_x), model(data.val_x)

    probe_s = _median_s(probe, max(1, repeats // 2))
    _line("probe table", probe_s, _median_s(extract, repeats), TARGETS_S["probe"])
    rows = [r for r in probe_rows(model, untrained, net, data) if not isinstance(r, tuple)]
    print(
        "    " + ", ".join(f"{r.key} {100 * r.val_accuracy:.1f}% ({r.seconds:.2f} s)" for r in rows)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (a job gets 1-2)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    data = load_dataset(DataConfig())
    tiny = get_preset("tiny")
    trained = fit(tiny, data, TrainConfig(epochs=2, seed=0)).model.eval()
    bench("tiny (trained 2 epochs)", tiny, trained, args.repeats)
    for width, depth in ((1.0, 2), (2.0, 3)):
        net = scaled_net(tuple(data.input_shape), data.num_classes, width=width, depth=depth)
        assert infer(net).total_params <= 100_000
        bench(
            f"scaled_net width {width} depth {depth}",
            net,
            build_model(net, seed=0).eval(),
            args.repeats,
        )


if __name__ == "__main__":
    main()
