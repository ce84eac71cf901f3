"""Why did the network say that? Four attribution maps for one image, all computed by captum.

- Saliency (Simonyan et al. 2014): the gradient of the class score with respect to the input,
  ``d z_k / d x``; shown as ``max_c |d z_k / d x_c|`` per pixel.
- Integrated Gradients (Sundararajan et al. 2017):
  ``(x - x0) * integral_0^1 d z_k(x0 + a (x - x0)) / d x da`` from the black picture ``x0``;
  shown as ``|sum_c IG_c|``.
- Grad-CAM (Selvaraju et al. 2017) on a layer's maps ``A``: ``ReLU(sum_c alpha_c A_c)`` with
  ``alpha_c`` the spatial mean of ``d z_k / d A_c``, upsampled to the input.
- Occlusion (Zeiler and Fergus 2014): the fall of ``z_k`` when a square window is painted black,
  averaged over the windows covering each pixel (signed: positive where covering hurts the class).

The sanity check of Adebayo et al. (2018), "Sanity Checks for Saliency Maps", runs the same
method on the same network with random weights (:func:`cnnviz.inside.randomised_model`): a
method that explains the network must give a different map; :func:`rank_correlation` measures
how similar two maps are.

Lesson: the /inside page, "Attribution".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from cnnviz.i18n import Message
from cnnviz.inside.network import InsideError, layer_output

__all__ = [
    "IG_STEPS",
    "METHODS",
    "SIGNED_METHODS",
    "Attributions",
    "attribute",
    "grad_cam",
    "integrated_gradients",
    "occlusion",
    "occlusion_window",
    "rank_correlation",
    "saliency",
]

#: The four methods, in the order the page shows them.
METHODS: tuple[str, ...] = ("saliency", "integrated_gradients", "grad_cam", "occlusion")
#: Methods whose map keeps its sign (the others show magnitudes).
SIGNED_METHODS: frozenset[str] = frozenset({"occlusion"})
#: Riemann/Gauss-Legendre steps of Integrated Gradients (one batch through the network).
IG_STEPS = 32


def _batch(x: torch.Tensor) -> torch.Tensor:
    """``(C, H, W)`` -> ``(1, C, H, W)``, detached, float32."""
    return x.detach().float().reshape(1, *x.shape[-3:]).clone()


def saliency(model: nn.Module, x: torch.Tensor, target: int) -> torch.Tensor:
    """``d z_target / d x`` for one image ``x`` (C, H, W), signed, by ``captum.attr.Saliency``."""
    from captum.attr import Saliency  # heavy import (matplotlib): only when a map is asked for

    grads = Saliency(model).attribute(_batch(x).requires_grad_(), target=target, abs=False)
    return grads[0].detach()


def integrated_gradients(
    model: nn.Module, x: torch.Tensor, target: int, baseline: torch.Tensor, steps: int = IG_STEPS
) -> torch.Tensor:
    """Integrated Gradients of ``z_target`` from ``baseline`` to ``x`` (both (C, H, W))."""
    from captum.attr import IntegratedGradients

    attributions = IntegratedGradients(model).attribute(
        _batch(x), baselines=_batch(baseline), target=target, n_steps=steps
    )
    return attributions[0].detach()


def _layer_module(model: nn.Module, index: int) -> nn.Module:
    layers = getattr(model, "layers", None)
    if not isinstance(layers, nn.ModuleList) or not 0 <= index < len(layers):
        raise InsideError("inside.error.layer", index=index + 1)
    return layers[index]


def grad_cam(model: nn.Module, layer_index: int, x: torch.Tensor, target: int) -> torch.Tensor:
    """Grad-CAM of ``z_target`` on layer ``layer_index``'s maps, upsampled (bilinear) to the
    input's ``(H, W)`` by ``captum.attr.LayerAttribution.interpolate``.

    Raises :class:`InsideError` when that layer's output is not a stack of maps larger than 1x1
    (a Flatten or Linear layer, or after global pooling): Grad-CAM would have no "where".
    """
    from captum.attr import LayerAttribution, LayerGradCam

    module = _layer_module(model, layer_index)
    with torch.no_grad():
        out = layer_output(model, layer_index, _batch(x))
    if out.dim() != 4 or out.shape[2] * out.shape[3] <= 1:
        shape = "x".join(str(int(d)) for d in out.shape[1:])
        raise InsideError("inside.error.gradcam_layer", layer=layer_index + 1, shape=shape)
    cam = LayerGradCam(model, module).attribute(_batch(x), target=target, relu_attributions=True)
    height, width = x.shape[-2:]
    upsampled = LayerAttribution.interpolate(cam, (height, width), interpolate_mode="bilinear")
    return upsampled[0, 0].detach()


def occlusion_window(size: int) -> tuple[int, int]:
    """``(window, stride)`` for an input ``size`` pixels wide: about a seventh of the picture
    (4 pixels at 28), moved by half a window."""
    window = max(2, round(size / 7))
    return window, max(1, window // 2)


def occlusion(
    model: nn.Module, x: torch.Tensor, target: int, baseline: torch.Tensor
) -> torch.Tensor:
    """``captum.attr.Occlusion``: the fall of ``z_target`` when a square of ``x`` (C, H, W) is
    replaced by ``baseline``, averaged over the windows covering each pixel; (H, W)."""
    from captum.attr import Occlusion

    channels, height, width = x.shape[-3:]
    window, stride = occlusion_window(min(height, width))
    attributions = Occlusion(model).attribute(
        _batch(x),
        sliding_window_shapes=(channels, window, window),
        strides=(channels, stride, stride),
        baselines=_batch(baseline),
        target=target,
        perturbations_per_eval=64,
    )
    return attributions[0].sum(dim=0).detach() / channels  # the same value in every channel


@dataclass(frozen=True, eq=False)
class Attributions:
    """The maps of one image for one class.

    ``maps``: method -> (H, W) float32 (magnitudes, except :data:`SIGNED_METHODS`);
    ``probabilities``: softmax (K,) of the image; ``gradcam_error``: why Grad-CAM has no map
    (the chosen layer has none), else None.
    """

    target: int
    probabilities: np.ndarray
    maps: dict[str, np.ndarray] = field(default_factory=dict)
    gradcam_error: Message | None = None


def attribute(
    model: nn.Module,
    x: torch.Tensor,
    target: int,
    layer_index: int,
    baseline: torch.Tensor,
    methods: tuple[str, ...] = METHODS,
) -> Attributions:
    """Every method in ``methods`` for the image ``x`` (C, H, W) and class ``target``, with
    Grad-CAM on layer ``layer_index``; ``baseline`` is the black picture (IG, occlusion)."""
    model.eval()
    with torch.no_grad():
        probabilities = torch.softmax(model(_batch(x)).float(), dim=1)[0].numpy()
    maps: dict[str, np.ndarray] = {}
    error: Message | None = None
    for method in methods:
        match method:
            case "saliency":
                grads = saliency(model, x, target)  # (C, H, W)
                value = grads.abs().amax(dim=0)
            case "integrated_gradients":
                value = integrated_gradients(model, x, target, baseline).sum(dim=0).abs()
            case "grad_cam":
                try:
                    value = grad_cam(model, layer_index, x, target)
                except InsideError as exc:
                    error = exc.message
                    continue
            case "occlusion":
                value = occlusion(model, x, target, baseline)
            case _:
                raise ValueError(f"unknown attribution method {method!r}")
        maps[method] = value.float().numpy().astype(np.float32)
    return Attributions(target, probabilities.astype(np.float32), maps, error)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean of their ranks), as ``scipy.stats.rankdata``."""
    flat = values.ravel()
    order = np.argsort(flat, kind="stable")
    ranks = np.empty(flat.size, dtype=np.float64)
    ranks[order] = np.arange(flat.size, dtype=np.float64)
    _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return sums[inverse] / counts[inverse]


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation of the magnitudes of two maps (Adebayo et al.'s measure of
    how alike two explanations are): 1 = the same order of importance, 0 = unrelated."""
    ra, rb = _ranks(np.abs(np.asarray(a))), _ranks(np.abs(np.asarray(b)))
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denominator = float(np.sqrt((ra * ra).sum() * (rb * rb).sum()))
    return float((ra * rb).sum() / denominator) if denominator > 0 else 0.0
