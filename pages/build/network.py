"""Build page: the network as drafted now (specs, problems per layer, summary). Never a page.

``current_network`` turns the drafts into specs with ``cnnviz.net.schema.layer_from_dict``, infers the
shapes with ``cnnviz.net.shapes.infer`` and files every problem under the draft it belongs to;
``publish`` hands the network to the other pages (``"net"``) and to the share link.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from cnnviz.net import (
    DEFAULT_PRESET,
    PRESETS,
    LayerSpec,
    NetSpec,
    NetSummary,
    Problem,
    SpecError,
    encode_share,
    infer,
    layer_from_dict,
)

__all__ = ["Current", "current_network", "publish"]


@dataclasses.dataclass
class Current:
    """The network as drafted now: per-draft spec or problems, and the inferred summary."""

    specs: list[LayerSpec | None]
    layer_problems: list[list[Problem]]
    net_problems: list[Problem]
    notes: list[list[Problem]]
    net: NetSpec | None  # None while a layer's own settings are invalid
    summary: NetSummary
    summary_rows: list[int | None]  # draft index -> row in summary.layers (None: not inferred)

    @property
    def ok(self) -> bool:
        """True when every layer is valid and the network as a whole has no problem."""
        return self.net is not None and not self.net_problems and not any(self.layer_problems)


def current_network(drafts: list[dict[str, Any]], input_shape: tuple[int, int, int]) -> Current:
    """Specs, problems and the shape summary of ``drafts`` on an input of ``input_shape``.

    The network keeps the loaded preset's name and texts while it is unchanged; once edited it is
    renamed ``<name>-edited`` and loses the preset's description and source.
    """
    specs: list[LayerSpec | None] = []
    layer_problems: list[list[Problem]] = []
    for index, draft in enumerate(drafts):
        data = {k: v for k, v in draft.items() if k != "id"}
        try:
            specs.append(layer_from_dict(data, index))
            layer_problems.append([])
        except SpecError as error:
            specs.append(None)
            layer_problems.append(list(error.problems))
    kept = [i for i, spec in enumerate(specs) if spec is not None]
    meta = st.session_state.get("build_meta", {})
    layers = tuple(spec for spec in specs if spec is not None)
    unchanged = layers == meta.get("layers") and input_shape == meta.get("input_shape")
    base = meta.get("name") or "my-net"
    probe = NetSpec(
        input_shape,
        layers,
        name=base
        if unchanged or base.endswith("-edited") or base == "my-net"
        else f"{base}-edited",
        description=meta.get("description", "") if unchanged else "",
        source=meta.get("source", "") if unchanged else "",
        class_names=meta.get("class_names", ()),
    )
    summary = infer(probe)
    notes: list[list[Problem]] = [[] for _ in drafts]
    net_problems: list[Problem] = []
    rows: list[int | None] = [None] * len(drafts)
    for row, index in enumerate(kept):
        rows[index] = row
    # the summary counts only the valid layers: map its layer indices back to draft indices
    for problem in summary.problems:
        if problem.layer_index is None:
            net_problems.append(problem)
        else:
            index = kept[problem.layer_index]
            layer_problems[index].append(dataclasses.replace(problem, layer_index=index))
    for note in summary.notes:
        if note.layer_index is not None:
            index = kept[note.layer_index]
            notes[index].append(dataclasses.replace(note, layer_index=index))
    complete = len(kept) == len(drafts)
    return Current(
        specs, layer_problems, net_problems, notes, probe if complete else None, summary, rows
    )


def publish(current: Current) -> None:
    """A valid network becomes ``"net"`` (what Train trains) and the URL's ``?net=`` token.

    While the drafts have problems, ``"net"`` keeps the last valid network.
    """
    if current.ok and current.net is not None:
        if st.session_state.get("net") != current.net:
            st.session_state["net"] = current.net
        st.session_state["build_written"] = current.net
        token = encode_share(current.net)
        if st.query_params.get("net") != token:
            st.query_params["net"] = token
    else:
        st.session_state.setdefault("net", PRESETS[DEFAULT_PRESET])
