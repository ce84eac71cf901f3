"""One pruning, looked at closely: the method and sparsity widgets, then what changed per layer
and what it buys (sizes, the structured rebuild, export). Not a page.

Results are kept per source, method, norm and sparsity in the session (a small LRU), so moving
a slider back is instant; the source's model is only read (``prune_copy`` works on a copy).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import streamlit as st
import torch
from torch import nn

from cnnviz.compress import (
    MAX_SPARSITY,
    METHODS,
    LayerSparsity,
    PruneError,
    RebuildError,
    SizeReport,
    inference_ms,
    layer_sparsity,
    make_permanent,
    measured_sparsity,
    model_from_state,
    prunable_layers,
    prune_copy,
    pruned_filters,
    rebuild_structured,
    size_report,
)
from cnnviz.net import CNNModel, NetSpec, weight_values
from cnnviz.train import evaluate, save_checkpoint
from cnnviz.viz import layer_fraction_figure, pruned_filters_figure, weights_figure
from pages.prune.source import Source
from pages.shared.charts import CHART_CONFIG
from pages.shared.links import link_to_page, registered_pages
from pages.shared.session import lang, show_error, tr
from pages.shared.widgets import PERSIST

__all__ = ["SINGLE_DEFAULTS", "dense_accuracy", "single_ui", "source_model"]

SINGLE_DEFAULTS = {"prune_w_method": "global", "prune_w_norm": 1, "prune_w_sparsity": 50}
_CACHE = "prune_cache"
_CACHE_SIZE = 8


@dataclass(frozen=True, eq=False)
class Pruned:
    """One pruned copy and what the page shows about it."""

    model: nn.Module
    sparsity: float
    acc: float
    layers: list[LayerSparsity]
    size: SizeReport


def _cache() -> dict[tuple[object, ...], object]:
    return st.session_state.setdefault(_CACHE, {})


def _remember(key: tuple[object, ...], value: object) -> None:
    cache = _cache()
    cache[key] = value
    while len(cache) > _CACHE_SIZE:
        cache.pop(next(iter(cache)))


def source_model(source: Source) -> CNNModel:
    """The source network with its weights (built once per source, never pruned in place)."""
    key = ("model", source.key)
    model = _cache().get(key)
    if not isinstance(model, CNNModel):
        built = model_from_state(source.net, source.state)
        assert isinstance(built, CNNModel)
        model = built
        _remember(key, model)
    return model


def dense_accuracy(source: Source) -> float:
    """Validation accuracy of the unpruned network."""
    key = ("acc", source.key)
    acc = _cache().get(key)
    if not isinstance(acc, float):
        _, acc, _ = evaluate(source_model(source), source.data.val_x, source.data.val_y)
        _remember(key, acc)
    return acc


def _pruned(source: Source, method: str, amount: float, norm: int) -> Pruned:
    key = ("pruned", source.key, method, amount, norm)
    found = _cache().get(key)
    if isinstance(found, Pruned):
        return found
    model = prune_copy(source_model(source), method, amount, norm=norm)
    _, acc, _ = evaluate(model, source.data.val_x, source.data.val_y)
    result = Pruned(model, measured_sparsity(model), acc, layer_sparsity(model), size_report(model))
    _remember(key, result)
    return result


def _controls() -> tuple[str, float, int]:
    left, middle, right = st.columns([2, 1, 3])
    with left:
        method = st.radio(
            tr("prune.method.label"),
            METHODS,
            format_func=lambda m: tr(f"prune.method.{m}"),
            key="prune_w_method",
            persist_state=PERSIST,
        )
    with middle:
        norm = st.radio(
            tr("prune.norm.label"),
            (1, 2),
            format_func=lambda n: f"L{n}",
            key="prune_w_norm",
            persist_state=PERSIST,
            disabled=method != "structured",
        )
    with right:
        percent = st.slider(
            tr("prune.sparsity.label"),
            0,
            int(MAX_SPARSITY * 100),
            step=5,
            key="prune_w_sparsity",
            persist_state=PERSIST,
            help=tr("prune.sparsity.help"),
        )
        st.caption(tr(f"prune.method.{method}.how"))
    return str(method), percent / 100.0, int(norm)


def _metrics(source: Source, result: Pruned) -> None:
    dense = dense_accuracy(source)
    size = result.size
    cols = st.columns(4)
    cols[0].metric(tr("prune.metric.sparsity"), f"{100 * result.sparsity:.1f}%")
    cols[1].metric(
        tr("prune.metric.accuracy"),
        f"{100 * result.acc:.1f}%",
        delta=f"{100 * (result.acc - dense):+.1f}",
    )
    cols[2].metric(tr("prune.metric.params"), f"{size.params_nonzero:,} / {size.params_total:,}")
    cols[3].metric(
        tr("prune.metric.file"),
        f"{size.sparse_bytes / 1024:.1f} KB",
        delta=f"{100 * (size.sparse_bytes / size.dense_bytes - 1):+.0f}%",
        delta_color="inverse",
        help=tr("prune.metric.file_help", dense=f"{size.dense_bytes / 1024:.1f}"),
    )


def _per_layer(source: Source, result: Pruned, method: str) -> None:
    st.subheader(tr("prune.layers.title"))
    st.plotly_chart(
        layer_fraction_figure(result.layers, lang()), config=CHART_CONFIG, key="prune_c_layers"
    )
    st.caption(tr("prune.layers.why_global" if method == "global" else "prune.layers.why_other"))
    before = weight_values(source_model(source).state_dict())
    after = torch.cat([m.weight.detach().flatten() for _, m in prunable_layers(result.model)])
    groups = [(tr("prune.hist.before"), before), (tr("prune.hist.after"), after.double().numpy())]
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('prune.hist.title')}**")
        st.plotly_chart(weights_figure(groups, lang()), config=CHART_CONFIG, key="prune_c_hist")
    with right:
        st.markdown(f"**{tr('prune.filters.title')}**")
        convs = [m for _, m in prunable_layers(result.model) if isinstance(m, nn.Conv2d)]
        if convs:
            weights = convs[0].weight.detach()[:32, 0].numpy()
            dead = pruned_filters(result.model)[:32]
            st.plotly_chart(
                pruned_filters_figure(weights, dead, lang()),
                config=CHART_CONFIG,
                key="prune_c_filters",
            )
            st.caption(tr("prune.filters.caption", pruned=sum(dead), total=len(dead)))
        else:
            st.info(tr("prune.filters.none"))


def _checkpoint(model: nn.Module, net: NetSpec, source: Source) -> bytes:
    plain = make_permanent(copy.deepcopy(model))
    data = source.data
    return save_checkpoint(
        plain, net, class_names=data.class_names, mean=data.mean, std=data.std, dataset=data.name
    )


def _to_build(net: NetSpec) -> None:
    st.session_state["net"] = net
    st.session_state["prune_flash_build"] = True


def _rebuild(source: Source, result: Pruned) -> None:
    try:
        small, rebuilt = rebuild_structured(result.model, source.net)
    except RebuildError as exc:
        show_error(exc)
        return
    before = sum(p.numel() for p in source_model(source).parameters())
    after = sum(p.numel() for p in rebuilt.parameters())
    channels = [getattr(layer, "out_channels", None) for layer in small.layers]
    st.markdown(
        tr(
            "prune.rebuild.summary",
            before=f"{before:,}",
            after=f"{after:,}",
            channels=", ".join(str(c) for c in channels if c is not None),
        )
    )
    left, right = st.columns(2)
    if left.button(tr("prune.rebuild.time"), key="prune_b_time"):
        x = source.data.val_x[:64]
        dense_ms = inference_ms(source_model(source), x)
        small_ms = inference_ms(rebuilt, x)
        left.markdown(
            tr(
                "prune.rebuild.timed",
                dense=f"{dense_ms:.2f}",
                small=f"{small_ms:.2f}",
                ratio=f"{dense_ms / max(small_ms, 1e-9):.2f}",
            )
        )
    right.button(
        tr("prune.rebuild.to_build"), on_click=_to_build, args=(small,), key="prune_b_build"
    )
    if st.session_state.pop("prune_flash_build", False):
        right.success(tr("prune.rebuild.sent"))
        build = registered_pages().get("build")
        if build is not None:
            link_to_page(build, tr("prune.link.build"))
    right.download_button(
        tr("prune.export.small"),
        _checkpoint(rebuilt, small, source),
        file_name="pruned_small.zip",
        key="prune_d_small",
    )


def single_ui(source: Source) -> None:
    """Section 2 (one pruning, per layer) and section 3 (what it buys)."""
    method, amount, norm = _controls()
    try:
        result = _pruned(source, method, amount, norm)
    except PruneError as exc:
        show_error(exc)
        return
    _metrics(source, result)
    _per_layer(source, result, method)
    st.header(tr("prune.buys.title"))
    st.info(tr("prune.buys.dense_kernel"))
    size = result.size
    st.markdown(
        tr(
            "prune.buys.sizes",
            dense=f"{size.dense_bytes:,}",
            sparse=f"{size.sparse_bytes:,}",
            nonzero=f"{size.params_nonzero:,}",
            total=f"{size.params_total:,}",
        )
    )
    st.download_button(
        tr("prune.export.masked"),
        _checkpoint(result.model, source.net, source),
        file_name=f"pruned_{method}_{round(amount * 100)}.zip",
        key="prune_d_masked",
    )
    if method == "structured":
        st.subheader(tr("prune.rebuild.title"))
        _rebuild(source, result)
    else:
        st.caption(tr("prune.rebuild.only_structured"))
