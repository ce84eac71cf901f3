"""Shape inference and validation for a whole network, layer by layer.

For an input ``(C, H, W)`` and a :class:`~cnnviz.net.specs.NetSpec`, :func:`infer` computes every
layer's output shape, parameter count, multiply-adds, activation memory, receptive field and the
formulas with the user's numbers filled in (all from :mod:`cnnviz.net.arithmetic`). It reports every
problem it finds, each tied to its layer with a fix, and keeps going past an error where it can.

Lesson: the "Build a CNN" page (the table, the totals, the errors on each layer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cnnviz.net.labels import layer_label
from cnnviz.net.layer_shapes import Shape, infer_layer
from cnnviz.net.specs import LinearSpec, NetSpec, Pair, Problem, SpecError

__all__ = [
    "BYTES_PER_VALUE",
    "MAX_ACTIVATION_BYTES",
    "MAX_LAYERS",
    "MAX_PARAMS",
    "LayerInfo",
    "NetSummary",
    "infer",
    "infer_input_shapes",
    "validate",
]


#: Caps that keep one student's network from exhausting a shared classroom server.
MAX_PARAMS = 100_000_000
MAX_ACTIVATION_BYTES = 1_000_000_000  # activation memory for a batch of one (float32)
MAX_LAYERS = 300
BYTES_PER_VALUE = 4  # float32


@dataclass
class LayerInfo:
    """What one layer does to the tensor. Shapes exclude the batch dimension.

    ``input_shape``/``output_shape`` are ``(C, H, W)`` or ``(F,)`` after Flatten, or None when an
    earlier error makes them unknown. ``receptive_field`` and ``jump`` are ``(rows, cols)`` of input
    pixels (None after Flatten): the window of the input one output value sees, and the distance in
    input pixels between neighbouring outputs. ``activation_bytes`` is the float32 size of the
    output for a batch of one. The formulas, numbers filled in: ``shape_formulas`` (output size,
    ``floor((n + 2p - k) / s) + 1`` when dilation is 1), ``general_shape_formulas`` (the same in
    the general dilated form) and ``param_formulas`` (parameter count).
    """

    index: int
    label: str
    kind: str
    input_shape: Shape | None
    output_shape: Shape | None
    params: int = 0
    mult_adds: int = 0
    activation_bytes: int = 0
    receptive_field: Pair | None = None
    jump: Pair | None = None
    shape_formulas: list[str] = field(default_factory=list)
    general_shape_formulas: list[str] = field(default_factory=list)
    param_formulas: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def formulas(self) -> list[str]:
        """The output-size formulas (familiar form), then the parameter formulas."""
        return [*self.shape_formulas, *self.param_formulas]

    @property
    def number(self) -> int:
        """1-based layer number, as shown to students."""
        return self.index + 1

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class NetSummary:
    """The whole network: per-layer :class:`LayerInfo`, totals, and every problem (errors)."""

    input_shape: Shape
    layers: list[LayerInfo]
    total_params: int
    total_mult_adds: int
    total_activation_bytes: int
    output_shape: Shape | None
    problems: list[Problem]
    notes: list[Problem]
    receptive_field: Pair | None

    @property
    def ok(self) -> bool:
        """True when the network can be built (no errors; notes are fine)."""
        return not self.problems


def infer(net: NetSpec) -> NetSummary:
    """Infer every layer of ``net``; collect every error (``problems``) and warning (``notes``).

    Inference goes on past an error: a layer whose input shape is unknown still has its rank
    checked (Linear before Flatten, a conv after Flatten); Linear restarts the shape as (F,).
    """
    problems: list[Problem] = []
    notes: list[Problem] = []
    layers: list[LayerInfo] = []
    input_shape: Shape = tuple(net.input_shape)
    if not net.layers:
        problems.append(Problem.make("empty_net"))
    if len(net.layers) > MAX_LAYERS:
        problems.append(Problem.make("too_many_layers", count=len(net.layers), limit=MAX_LAYERS))
        return NetSummary(input_shape, [], 0, 0, 0, None, problems, notes, None)

    shape: Shape | None = input_shape
    flat = False
    rf: Pair | None = (1, 1)
    jump: Pair | None = (1, 1)
    last_rf: Pair | None = rf
    for index, spec in enumerate(net.layers):
        step = infer_layer(index, spec, shape, flat, rf, jump)
        info = LayerInfo(
            index=index,
            label=layer_label(spec),
            kind=spec.kind,
            input_shape=shape,
            output_shape=step.output,
            params=step.params,
            mult_adds=step.mult_adds,
            activation_bytes=(
                math.prod(step.output) * BYTES_PER_VALUE if step.output is not None else 0
            ),
            receptive_field=step.rf,
            jump=step.jump,
            shape_formulas=step.shape_formulas,
            general_shape_formulas=step.general_shape_formulas,
            param_formulas=step.param_formulas,
            notes=step.notes,
            problems=step.problems,
        )
        layers.append(info)
        problems.extend(step.problems)
        notes.extend(step.notes)
        shape, flat, rf, jump = step.output, step.flat, step.rf, step.jump
        if rf is not None:
            last_rf = rf

    total_params = sum(info.params for info in layers)
    total_bytes = sum(info.activation_bytes for info in layers)
    if total_params > MAX_PARAMS:
        biggest = max(layers, key=lambda info: info.params)
        problems.append(
            Problem.make(
                "too_many_params",
                total=f"{total_params:,}",
                limit=f"{MAX_PARAMS:,}",
                layer=biggest.number,
            )
        )
    if total_bytes > MAX_ACTIVATION_BYTES:
        biggest = max(layers, key=lambda info: info.activation_bytes)
        problems.append(
            Problem.make(
                "too_much_memory",
                megabytes=f"{total_bytes / 1e6:,.0f}",
                limit=f"{MAX_ACTIVATION_BYTES / 1e6:,.0f}",
                layer=biggest.number,
            )
        )
    if net.layers and not isinstance(net.layers[-1], LinearSpec):
        notes.append(Problem.make("last_not_linear", len(net.layers) - 1))
    return NetSummary(
        input_shape=input_shape,
        layers=layers,
        total_params=total_params,
        total_mult_adds=sum(info.mult_adds for info in layers),
        total_activation_bytes=total_bytes,
        output_shape=shape if layers else input_shape,
        problems=problems,
        notes=notes,
        receptive_field=last_rf,
    )


def validate(net: NetSpec) -> list[Problem]:
    """Every error in ``net`` (empty when it can be built); warnings are in ``infer(net).notes``."""
    return infer(net).problems


def infer_input_shapes(net: NetSpec) -> list[Shape]:
    """The input shape of every layer; raises :class:`SpecError` with every problem if invalid."""
    summary = infer(net)
    shapes = [info.input_shape for info in summary.layers]
    known = [shape for shape in shapes if shape is not None]
    if summary.problems or len(known) != len(shapes):
        raise SpecError(summary.problems)
    return known
