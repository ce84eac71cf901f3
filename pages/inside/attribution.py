"""/inside, section "Attribution": saliency, Integrated Gradients, Grad-CAM and occlusion for the
chosen picture and class, with the sanity check on randomised weights. The maps come from
``cnnviz.inside.attribute`` (captum). Never a page itself.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.inside import (
    METHODS,
    SIGNED_METHODS,
    Attributions,
    InsideNet,
    attribute,
    occlusion_window,
    randomised_model,
    rank_correlation,
    spatial_layers,
)
from cnnviz.net import layer_label
from cnnviz.viz import heat_overlay
from pages.inside.common import class_labels, memo, notice, show_picture
from pages.inside.picture import Picture
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST, set_defaults

__all__ = ["attribution_section"]

_PREDICTED = -1


def _target_choice(inside: InsideNet, attributions_of_picture: Attributions) -> int:
    """The class to explain: the predicted one (default) or any other."""
    labels = class_labels(inside)
    probabilities = attributions_of_picture.probabilities
    best = int(probabilities.argmax())
    options = [_PREDICTED, *range(len(labels))]
    set_defaults({"inside_attr_class": _PREDICTED})
    if st.session_state["inside_attr_class"] not in options:
        st.session_state["inside_attr_class"] = _PREDICTED

    predicted = tr(
        "inside.attr.predicted", label=f"{labels[best]} ({100 * probabilities[best]:.1f}%)"
    )
    names = {
        option: predicted
        if option == _PREDICTED
        else f"{labels[option]} ({100 * probabilities[option]:.1f}%)"
        for option in options
    }

    chosen = st.selectbox(
        tr("inside.attr.class"),
        options,
        format_func=names.__getitem__,
        key="inside_attr_class",
        persist_state=PERSIST,
    )
    return best if chosen == _PREDICTED else int(chosen)


def _gradcam_layer(inside: InsideNet) -> int:
    """Every layer can be chosen; the default is the last one with feature maps. A layer
    without maps gets a clear message from ``cnnviz.inside.grad_cam``."""
    layers = inside.net.layers
    maps = spatial_layers(inside.net)
    default = maps[-1].index if maps else 0
    options = list(range(len(layers)))
    if st.session_state.get("inside_attr_layer") not in options:
        st.session_state["inside_attr_layer"] = default
    return int(
        st.selectbox(
            tr("inside.attr.layer"),
            options,
            format_func=lambda i: f"{i + 1} {layer_label(layers[i])}",
            key="inside_attr_layer",
            persist_state=PERSIST,
        )
    )


def _maps_row(
    inside: InsideNet,
    picture: Picture,
    result: Attributions,
    prefix: str,
    compare: Attributions | None,
) -> None:
    """The four maps over the picture, each with its PNG; ``compare`` adds the rank
    correlation with the trained network's map (sanity check row)."""
    columns = st.columns(len(METHODS))
    for column, method in zip(columns, METHODS, strict=True):
        with column:
            st.markdown(f"**{tr(f'inside.attr.method.{method}')}**")
            heat = result.maps.get(method)
            if heat is None:
                if result.gradcam_error is not None:
                    st.warning(result.gradcam_error.text(lang()), icon="⚠️")
                continue
            rgb = heat_overlay(picture.rgb, heat, signed=method in SIGNED_METHODS)
            caption = tr(f"inside.attr.caption.{method}")
            if compare is not None and method in compare.maps:
                rho = rank_correlation(heat, compare.maps[method])
                caption = tr("inside.attr.rank", rho=f"{rho:.2f}")
            show_picture(rgb, caption, f"{prefix}-{method}.png", f"inside_png_{prefix}_{method}")


def attribution_section(token: str, inside: InsideNet, picture: Picture) -> None:
    """Controls, the four maps (and the randomised network's), and what to notice."""
    st.subheader(tr("inside.attr.title"))
    st.caption(tr("inside.attr.intro"))
    baseline = inside.black()
    first = memo(
        ("attr-probs", token, picture.key),
        lambda: attribute(inside.model, picture.x, 0, 0, baseline, methods=()),
    )
    left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    with left:
        target = _target_choice(inside, first)
    with middle:
        layer = _gradcam_layer(inside)
    with right:
        sanity = st.toggle(
            tr("inside.attr.sanity"),
            key="inside_attr_sanity",
            help=tr("inside.attr.sanity_help"),
            persist_state=PERSIST,
        )
    result = memo(
        ("attr", token, picture.key, target, layer),
        lambda: attribute(inside.model, picture.x, target, layer, baseline),
    )
    labels = class_labels(inside)
    window, stride = occlusion_window(min(inside.input_shape[1:]))
    st.caption(tr("inside.attr.for_class", label=labels[target], window=window, stride=stride))
    _maps_row(inside, picture, result, "trained", None)
    if sanity:
        st.markdown(f"**{tr('inside.attr.random_title')}**")
        random_model = memo(("random-model", token), lambda: randomised_model(inside.net))
        randomised = memo(
            ("attr-random", token, picture.key, target, layer),
            lambda: attribute(random_model, picture.x, target, layer, baseline),
        )
        _maps_row(inside, picture, randomised, "random", result)
    notice("inside.attr.notice")
