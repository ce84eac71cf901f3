"""Build page: where a network starts (preset, scratch, input shape) and the "add a layer" row.

Never a page. Widget keys: ``build_preset``, ``build_input_choice``, ``build_input_{c,h,w}``,
``build_new_kind``. ``format_func`` callbacks get the language bound when the widget is drawn
(AppTest calls them outside the script run, where the session's language is not available).
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from cnnviz.i18n import t
from cnnviz.presets import DEFAULT_PRESET, PRESETS
from cnnviz.specs import LAYER_TYPES, MAX_SPATIAL
from pages._build_state import (
    INPUT_CHOICES,
    TORCH_NAMES,
    on_add,
    on_load_preset,
    on_scratch,
    seed_widget,
)
from pages._ui import lang, tr

__all__ = ["add_layer_controls", "input_controls", "kind_label", "start_controls"]


def kind_label(kind: str, language: str | None = None) -> str:
    """PyTorch's name, then the translated kind: "Linear · fully connected"."""
    return f"{TORCH_NAMES[kind]} · {t(f'viz.net.kind.{kind}', language or lang())}"


def _preset_title(language: str, name: str) -> str:
    return t(f"preset.{name}.title", language)


def _input_choice_name(language: str, choice: str) -> str:
    return t("build.input_custom", language) if choice == "custom" else choice.replace("x", "×")


def input_controls() -> tuple[int, int, int]:
    """The input image: a common size or custom C, H, W; returns (C, H, W) and keeps it."""
    current = tuple(st.session_state["build_input"])
    if "build_input_choice" not in st.session_state:  # dropped while another page was shown
        matching = [k for k, v in INPUT_CHOICES.items() if v == current]
        st.session_state["build_input_choice"] = matching[0] if matching else "custom"
    choice = st.selectbox(
        tr("build.input"),
        options=list(INPUT_CHOICES),
        format_func=partial(_input_choice_name, lang()),
        key="build_input_choice",
        help=tr("build.input_help"),
    )
    shape = INPUT_CHOICES[choice]
    if shape is None:
        cols = st.columns(3)
        limits = {"c": 64, "h": MAX_SPATIAL, "w": MAX_SPATIAL}
        values = []
        for col, axis in zip(cols, "chw", strict=True):
            key = f"build_input_{axis}"
            seed_widget(key, dict(zip("chw", st.session_state["build_input"], strict=True))[axis])
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


def start_controls() -> None:
    """A famous network (with its description and source) to load, or an empty one."""
    with st.container(border=True):
        st.markdown(f"**{tr('build.start')}**")
        seed_widget(
            "build_preset", st.session_state.get("build_meta", {}).get("name", DEFAULT_PRESET)
        )
        if st.session_state["build_preset"] not in PRESETS:
            st.session_state["build_preset"] = DEFAULT_PRESET
        preset = st.selectbox(
            tr("build.preset"),
            options=list(PRESETS),
            format_func=partial(_preset_title, lang()),
            key="build_preset",
        )
        st.caption(tr(f"preset.{preset}.description"))
        st.caption(tr("build.source", source=PRESETS[preset].source))
        left, right = st.columns(2)
        with left:
            st.button(
                tr("build.load_preset"), on_click=on_load_preset, type="primary", width="stretch"
            )
        with right:
            st.button(tr("build.scratch"), on_click=on_scratch, width="stretch")


def add_layer_controls() -> None:
    """The kind of the next layer and the button that appends it."""
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        st.selectbox(
            tr("build.new_kind"),
            options=list(LAYER_TYPES),
            format_func=partial(kind_label, language=lang()),
            key="build_new_kind",
        )
    with right:
        st.button(
            tr("build.add_layer"),
            on_click=on_add,
            icon=":material/add:",
            type="primary",
            width="stretch",
        )
