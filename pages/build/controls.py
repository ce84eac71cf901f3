"""Build page: where a network starts (preset, scratch, input shape) and the "add a layer" row.

Never a page. Widget keys: ``build_preset``, ``build_input_choice`` and ``build_new_kind`` keep
their values across page switches (``persist_state``); ``build_input_{c,h,w}`` mirror
``build_input`` and are seeded from it whenever they appear. ``format_func`` callbacks get the
language bound when the widget is drawn (AppTest calls them outside the script run, where the
session's language is not available).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import streamlit as st

from cnnviz.i18n import t
from cnnviz.lessons import article_for_preset
from cnnviz.net import DEFAULT_PRESET, LAYER_TYPES, MAX_SPATIAL, PRESETS
from pages.build.article import article_notes
from pages.build.state import INPUT_CHOICES, TORCH_NAMES, on_add, on_load_preset, on_scratch
from pages.build.unet_state import leave_unet, on_unet_reset
from pages.shared.links import article_link, escape_markdown
from pages.shared.session import lang, tr
from pages.shared.unet_handoff import UNET_CHOICE
from pages.shared.widgets import PERSIST, set_defaults

__all__ = [
    "add_layer_controls",
    "input_controls",
    "kind_label",
    "preset_about",
    "start_controls",
]


def kind_label(kind: str, language: str | None = None) -> str:
    """PyTorch's name, then the translated kind: "Linear · fully connected"."""
    return f"{TORCH_NAMES[kind]} · {t(f'viz.net.kind.{kind}', language or lang())}"


def _preset_title(language: str, name: str) -> str:
    if name == UNET_CHOICE:
        return t("build.preset_unet", language)
    return t(f"preset.{name}.title", language)


def _on_load() -> None:
    """Load the picked famous network (the U-Net: back to its default settings)."""
    if st.session_state["build_preset"] == UNET_CHOICE:
        on_unet_reset()
    else:
        on_load_preset()


def _on_scratch() -> None:
    """An empty network, in the layer editor (leaving the U-Net view)."""
    if st.session_state["build_preset"] == UNET_CHOICE:
        leave_unet()
    on_scratch()


def _input_choice_name(language: str, choice: str) -> str:
    return t("build.input_custom", language) if choice == "custom" else choice.replace("x", "×")


def input_controls() -> tuple[int, int, int]:
    """The input image: a common size or custom C, H, W; returns (C, H, W) and keeps it."""
    current = tuple(st.session_state["build_input"])
    matching = [k for k, v in INPUT_CHOICES.items() if v == current]
    set_defaults({"build_input_choice": matching[0] if matching else "custom"})
    choice = st.selectbox(
        tr("build.input"),
        options=list(INPUT_CHOICES),
        format_func=partial(_input_choice_name, lang()),
        key="build_input_choice",
        persist_state=PERSIST,
        help=tr("build.input_help"),
    )
    shape = INPUT_CHOICES[choice]
    if shape is None:
        cols = st.columns(3)
        limits = {"c": 64, "h": MAX_SPATIAL, "w": MAX_SPATIAL}
        values = []
        for col, axis in zip(cols, "chw", strict=True):
            key = f"build_input_{axis}"
            set_defaults({key: dict(zip("chw", current, strict=True))[axis]})
            with col:
                values.append(
                    int(
                        st.number_input(
                            tr(f"build.input_{axis}"),
                            min_value=1,
                            max_value=limits[axis],
                            step=1,
                            key=key,
                        )
                    )
                )
        shape = (values[0], values[1], values[2])
    st.session_state["build_input"] = shape
    return shape


def start_controls(columns: Sequence[Any]) -> str:
    """A famous network to load, or an empty one: the picker, Load and Scratch in three
    ``columns`` of one row (so the diagram they drive sits right under them); returns the
    preset picked (its description: :func:`preset_about`), or ``UNET_CHOICE`` for the U-Net
    view (``pages.build.unet_state``)."""
    set_defaults(
        {"build_preset": st.session_state.get("build_meta", {}).get("name", DEFAULT_PRESET)}
    )
    choices = [*PRESETS, UNET_CHOICE]  # the U-Net is not sequential: its own view
    if st.session_state["build_preset"] not in choices:
        st.session_state["build_preset"] = DEFAULT_PRESET  # e.g. "my-net" from scratch
    picker, load, scratch = columns
    with picker:
        preset = st.selectbox(
            tr("build.preset"),
            options=choices,
            format_func=partial(_preset_title, lang()),
            key="build_preset",
            persist_state=PERSIST,
        )
    with load:
        st.button(tr("build.load_preset"), on_click=_on_load, type="primary", width="stretch")
    with scratch:
        st.button(tr("build.scratch"), on_click=_on_scratch, width="stretch")
    return str(preset)


def preset_about(preset: str) -> None:
    """The picked famous network's description and source (a preset taken from a source article
    links to it)."""
    article = article_for_preset(preset)
    about = f" · {article_link(article, tr('sources.about_article'))}" if article else ""
    st.caption(
        f"**{tr(f'preset.{preset}.title')}**: {tr(f'preset.{preset}.description')} "
        + tr("build.source", source=escape_markdown(PRESETS[preset].source))
        + about
    )
    article_notes(preset)


def add_layer_controls() -> None:
    """The kind of the next layer and the button that appends it."""
    set_defaults({"build_new_kind": next(iter(LAYER_TYPES))})
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        st.selectbox(
            tr("build.new_kind"),
            options=list(LAYER_TYPES),
            format_func=partial(kind_label, language=lang()),
            key="build_new_kind",
            persist_state=PERSIST,
        )
    with right:
        st.button(
            tr("build.add_layer"),
            on_click=on_add,
            icon=":material/add:",
            type="primary",
            width="stretch",
        )
