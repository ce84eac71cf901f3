"""Making a network and a dataset fit each other, and the caps a shared server puts on a run.

:func:`fit_to_data` adapts the input shape, resizes images or sets the number of outputs, and says
which; :func:`check_limits` lists everything that stops a run before it starts.

Lesson: the "Train live" page ("your network was adapted to the data").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cnnviz.data import DatasetBundle, resize_bundle
from cnnviz.net import NetSpec, Problem, infer, validate, with_input_shape, with_num_classes
from cnnviz.train.config import TrainConfig

__all__ = [
    "MAX_ACTIVATION_BYTES",
    "MAX_DATASET_ELEMENTS",
    "Fitting",
    "check_limits",
    "fit_net_to_data",
    "fit_to_data",
]

MAX_DATASET_ELEMENTS = 64_000_000  # floats in train_x + val_x (256 MB): full MNIST fits


MAX_ACTIVATION_BYTES = 4 * 1024**3  # activations of one batch, forward + backward (~3x forward)


def fit_net_to_data(net: NetSpec, data: DatasetBundle) -> NetSpec:
    """``net`` with its input shape and number of outputs set to the dataset's (if they differ).

    Uses ``cnnviz.net.presets.with_input_shape`` / ``with_num_classes``; the result may be invalid
    (e.g. LeNet-5's 5x5 C5 layer does not fit 28x28 inputs): :func:`fit_to_data` handles that.
    """

    fitted = net
    if tuple(fitted.input_shape) != data.input_shape:
        fitted = with_input_shape(fitted, data.input_shape)
    if _num_outputs(fitted) != data.num_classes:
        fitted = with_num_classes(fitted, data.num_classes)
    return fitted


@dataclass(frozen=True)
class Fitting:
    """A network and a dataset made to fit each other. ``changes`` (what the page explains):
    "input" (the network's input shape became the images' shape), "resize" (the images were
    resized / converted to the network's input) and "classes" (the last Linear layer now outputs
    one score per class)."""

    net: NetSpec
    data: DatasetBundle
    changes: tuple[str, ...]


def fit_to_data(net: NetSpec, data: DatasetBundle) -> Fitting:
    """Fit ``net`` and ``data`` together: first try the network on the images as they are;
    if that network is invalid, keep the network's input and resize the images to it
    (``cnnviz.data.registry.resize_bundle``); then set the number of outputs to the number of classes."""

    changes: list[str] = []
    fitted = net
    if tuple(net.input_shape) != data.input_shape:
        candidate = with_input_shape(net, data.input_shape)
        if not validate(candidate):
            fitted = candidate
            changes.append("input")
        elif not validate(net) and net.input_shape[0] in (1, 3):
            data = resize_bundle(data, net.input_shape)
            changes.append("resize")
    if not validate(fitted) and _num_outputs(fitted) != data.num_classes:
        fitted = with_num_classes(fitted, data.num_classes)
        changes.append("classes")
    return Fitting(fitted, data, tuple(changes))


def _num_outputs(net: NetSpec) -> int | None:

    shape = infer(net).output_shape
    return int(shape[0]) if shape is not None and len(shape) == 1 else None


def check_limits(net: NetSpec, data: DatasetBundle, cfg: TrainConfig) -> list[Problem]:
    """Everything that stops a run before it starts, as problems a student can act on.

    The network must be valid (``cnnviz.net.shapes.validate``, which also caps its size), take the
    dataset's images and output one score per class; the dataset and one batch's activations
    (``~3 x forward bytes x batch``) must fit the shared server's caps.
    """

    summary = infer(net)
    problems = list(summary.problems)
    if problems:
        return problems
    if tuple(net.input_shape) != data.input_shape:
        problems.append(
            Problem.make(
                "train_input_mismatch",
                net=str(tuple(net.input_shape)),
                data=str(data.input_shape),
            )
        )
    outputs = summary.output_shape
    if outputs is None or len(outputs) != 1 or outputs[0] != data.num_classes:
        problems.append(
            Problem.make("train_classes_mismatch", net=str(outputs), classes=data.num_classes)
        )
    elements = data.train_x.numel() + data.val_x.numel()
    if elements > MAX_DATASET_ELEMENTS:
        problems.append(
            Problem.make(
                "train_dataset_too_big",
                images=len(data.train_y) + len(data.val_y),
                maximum=MAX_DATASET_ELEMENTS // max(1, math.prod(data.input_shape)),
            )
        )
    batch_bytes = 3 * summary.total_activation_bytes * cfg.batch_size
    if batch_bytes > MAX_ACTIVATION_BYTES:
        per_image = max(1, 3 * summary.total_activation_bytes)
        problems.append(
            Problem.make(
                "train_batch_too_big",
                batch_size=cfg.batch_size,
                maximum=max(1, MAX_ACTIVATION_BYTES // per_image),
            )
        )
    return problems
