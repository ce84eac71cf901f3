"""After training: evaluation, confusion matrix, misclassified examples, and "try it yourself".

``evaluate`` gives the mean cross-entropy ``-1/N sum log softmax(z_i)[y_i]``, the accuracy and the
softmax probabilities; ``ten_crop_probabilities`` averages the softmax over AlexNet's ten views;
``final_evaluation`` measures a finished run once on the official test split; the confusion matrix counts ``M[true, predicted]``; per-class accuracy is
``M[k, k] / sum_j M[k, j]`` (recall). ``image_to_input`` turns a user's picture or a canvas drawing
into a normalised network input ``(x/255 - mean[c]) / std[c]``.

Lesson: the "Train live" page (after training) and the Overfitting lab.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.control import Control
from cnnviz.data import DatasetBundle, ten_crop_views
from cnnviz.net import infer
from cnnviz.train.config import TrainConfig
from cnnviz.train.events import EpochEnd, Evaluated

if TYPE_CHECKING:
    from cnnviz.net import NetSpec
    from cnnviz.train.checkpoint import Checkpoint

__all__ = [
    "Analysis",
    "Misclassified",
    "Prediction",
    "TrainedModel",
    "analyse",
    "best_validation_accuracy",
    "confusion_matrix",
    "confusion_matrix_from_labels",
    "evaluate",
    "final_evaluation",
    "image_to_input",
    "layer_outputs",
    "misclassified",
    "named_layers",
    "per_class_accuracy",
    "predict_with_activations",
    "ten_crop_probabilities",
    "trained_model_from_checkpoint",
    "trained_model_from_data",
]

MAX_ACTIVATION_CHANNELS = 16
MAX_ACTIVATION_SIZE = 64
MAX_VECTOR = 1024


def _device_of(model: nn.Module) -> torch.device:
    param = next(model.parameters(), None)
    return param.device if param is not None else torch.device("cpu")


def named_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """``(name, module)`` per layer: a CNNModel's ``layer_names()``, a Sequential's children."""
    layers = getattr(model, "layers", None)
    names_fn = getattr(model, "layer_names", None)
    if isinstance(layers, nn.ModuleList) and callable(names_fn):
        return list(zip(names_fn(), layers, strict=True))
    if isinstance(model, nn.Sequential):
        return [(f"{i + 1} {type(m).__name__}", m) for i, m in enumerate(model)]
    children = list(model.named_children())
    return children or [(type(model).__name__, model)]


def layer_outputs(model: nn.Module, x: torch.Tensor) -> list[tuple[str, nn.Module, torch.Tensor]]:
    """``(name, module, output)`` per layer for ``x`` (CNNModel: ``forward_with_activations``;
    Sequential: each child in turn; other modules: none)."""
    named = named_layers(model)
    forward_all = getattr(model, "forward_with_activations", None)
    if callable(forward_all):
        _, outputs = forward_all(x)
        return [(n, m, out) for (n, m), out in zip(named, outputs, strict=True)]
    if isinstance(model, nn.Sequential):
        found = []
        for name, module in named:
            x = module(x)
            found.append((name, module, x))
        return found
    return []


def _logits(model: nn.Module, x: torch.Tensor, batch_size: int) -> torch.Tensor:
    """Eval-mode logits for ``x`` (N, C, H, W) in chunks, on the CPU as float32 (N, K)."""
    device = _device_of(model)
    was_training = model.training
    model.eval()
    chunks = []
    with torch.no_grad():
        for start in range(0, len(x), batch_size):
            chunks.append(model(x[start : start + batch_size].to(device)).float().cpu())
    model.train(was_training)
    return torch.cat(chunks) if chunks else torch.zeros((0, 0))


def evaluate(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 256
) -> tuple[float, float, np.ndarray]:
    """``(mean cross-entropy, accuracy, probabilities (N, K) float32)`` in eval mode."""
    if len(y) == 0:
        return float("nan"), float("nan"), np.zeros((0, 0), dtype=np.float32)
    logits = _logits(model, x, batch_size)
    targets = y.cpu()
    loss = float(F.cross_entropy(logits, targets))
    acc = float((logits.argmax(dim=1) == targets).float().mean())
    probs = torch.softmax(logits, dim=1).numpy().astype(np.float32)
    return loss, acc, probs


def ten_crop_probabilities(
    model: nn.Module,
    x: torch.Tensor,
    padding: int,
    mean: tuple[float, ...],
    std: tuple[float, ...],
    *,
    batch_size: int = 256,
    control: Control | None = None,
) -> torch.Tensor:
    """AlexNet's test-time averaging: the softmax of the ten views of each image
    (:func:`cnnviz.data.ten_crop_views`, four corners and the centre of the image padded by
    ``padding``, and their mirror images), averaged: ``(N, K)`` float32 on the CPU."""
    device = _device_of(model)
    was_training = model.training
    model.eval()
    chunks = []
    with torch.no_grad():
        for start in range(0, len(x), batch_size):
            if control is not None:
                control.checkpoint()
            views = ten_crop_views(x[start : start + batch_size], padding, mean, std)
            ten, n = views.shape[:2]
            logits = model(views.flatten(0, 1).to(device)).float().cpu()  # (10 n, K)
            chunks.append(torch.softmax(logits, dim=1).view(ten, n, -1).mean(dim=0))
    model.train(was_training)
    return torch.cat(chunks) if chunks else torch.zeros((0, 0))


def final_evaluation(
    model: nn.Module, data: DatasetBundle, cfg: TrainConfig, control: Control | None = None
) -> Evaluated | None:
    """The one measurement at the end of a run: on the official test split when the data has
    one, else on the validation set when ten-crop evaluation is on, else None (nothing new to
    measure). Raises ``JobStopped`` when ``control`` is stopped meanwhile."""
    padding = cfg.augment.ten_crop_padding
    if data.test_x is not None and data.test_y is not None:
        split, x, y = "test", data.test_x, data.test_y
    elif padding is not None:
        split, x, y = "validation", data.val_x, data.val_y
    else:
        return None
    if len(y) == 0:
        return None
    logits = []
    for start in range(0, len(x), 512):
        if control is not None:
            control.checkpoint()
        logits.append(_logits(model, x[start : start + 512], 512))
    all_logits = torch.cat(logits)
    targets = y.cpu()
    loss = float(F.cross_entropy(all_logits, targets))
    accuracy = float((all_logits.argmax(dim=1) == targets).float().mean())
    ten_crop = None
    if padding is not None:
        probs = ten_crop_probabilities(model, x, padding, data.mean, data.std, control=control)
        ten_crop = float((probs.argmax(dim=1) == targets).float().mean())
    return Evaluated(split, len(y), accuracy, loss, ten_crop)


def best_validation_accuracy(epochs: list[EpochEnd] | tuple[EpochEnd, ...]) -> tuple[float, int]:
    """``(accuracy, epoch)`` of the epoch with the highest validation accuracy (the first one
    on a tie); ``(nan, 0)`` before any epoch."""
    if not epochs:
        return float("nan"), 0
    best = max(epochs, key=lambda e: (e.val_acc, -e.epoch))
    return best.val_acc, best.epoch


def confusion_matrix_from_labels(
    y_true: np.ndarray, y_pred: np.ndarray, num_classes: int
) -> np.ndarray:
    """``M[i, j]`` = number of images of true class i predicted as class j; (K, K) int64."""
    y_true = np.asarray(y_true, dtype=np.int64)
    y_pred = np.asarray(y_pred, dtype=np.int64)
    flat = y_true * num_classes + y_pred
    return np.bincount(flat, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def confusion_matrix(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, num_classes: int
) -> np.ndarray:
    """The model's confusion matrix on ``(x, y)``: rows = true class, columns = predicted."""
    _, _, probs = evaluate(model, x, y)
    predicted = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=np.int64)
    return confusion_matrix_from_labels(y.cpu().numpy(), predicted, num_classes)


def per_class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """``M[k, k] / sum_j M[k, j]`` per class (NaN for a class with no images)."""
    totals = matrix.sum(axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / totals, np.nan)


@dataclass(frozen=True)
class Misclassified:
    """A validation image the model got wrong: its index, true class, and top-3 (class, prob)."""

    index: int
    true_class: int
    predicted: int
    top3: tuple[tuple[int, float], ...]


def misclassified(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, k: int = 16
) -> list[Misclassified]:
    """Up to ``k`` wrong predictions, most confident mistakes first."""
    _, _, probs = evaluate(model, x, y)
    return _mistakes(probs, y.cpu().numpy(), k)


def _mistakes(probs: np.ndarray, truth: np.ndarray, k: int) -> list[Misclassified]:
    """Up to ``k`` rows of ``probs`` (N, K) whose argmax is not ``truth``, most confident first."""
    if len(probs) == 0:
        return []
    predicted = probs.argmax(axis=1)
    wrong = np.flatnonzero(predicted != truth)
    wrong = wrong[np.argsort(-probs[wrong, predicted[wrong]], kind="stable")][:k]
    found = []
    for index in wrong:
        order = np.argsort(-probs[index], kind="stable")[:3]
        found.append(
            Misclassified(
                index=int(index),
                true_class=int(truth[index]),
                predicted=int(predicted[index]),
                top3=tuple((int(c), float(probs[index, c])) for c in order),
            )
        )
    return found


@dataclass(frozen=True, eq=False)
class Analysis:
    """The finished model on the validation set: the confusion matrix ``M[true, predicted]``
    (K, K), the per-class accuracy ``M[k, k] / sum_j M[k, j]`` (K,) and the most confident
    mistakes."""

    matrix: np.ndarray
    per_class: np.ndarray
    wrong: list[Misclassified]


def analyse(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, num_classes: int, k: int = 12
) -> Analysis:
    """Confusion matrix, per-class accuracy and up to ``k`` mistakes from one eval-mode pass
    (same results as :func:`confusion_matrix`, :func:`per_class_accuracy` and
    :func:`misclassified`). Lesson: "Train live", after training."""
    _, _, probs = evaluate(model, x, y)
    truth = y.cpu().numpy()
    predicted = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=np.int64)
    matrix = confusion_matrix_from_labels(truth, predicted, num_classes)
    return Analysis(matrix, per_class_accuracy(matrix), _mistakes(probs, truth, k))


@dataclass(frozen=True, eq=False)
class Prediction:
    """Softmax probabilities (K,) and every layer's output for one image: ``(name, array)`` with
    ``(C, H, W)`` maps (first 16 channels, at most 64x64) or ``(F,)`` vectors (first 1024);
    ``shapes``: each layer's full output shape (without the batch dimension)."""

    probabilities: np.ndarray
    activations: list[tuple[str, np.ndarray]]
    shapes: list[tuple[int, ...]] = field(default_factory=list)

    @property
    def top_class(self) -> int:
        """The predicted class: ``argmax_k p_k``."""
        return int(np.argmax(self.probabilities))

    @property
    def sizes(self) -> list[int]:
        """Values in each layer's full output: ``C * H * W`` or ``F`` (before any capping)."""
        return [math.prod(shape) for shape in self.shapes]


def predict_with_activations(model: nn.Module, image: torch.Tensor) -> Prediction:
    """Run one normalised image ``(C, H, W)`` through the model in eval mode."""
    x = (image.unsqueeze(0) if image.dim() == 3 else image[:1]).to(_device_of(model))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        outputs = layer_outputs(model, x)
        logits = outputs[-1][2] if outputs else model(x)
        probs = torch.softmax(logits.float(), dim=1)[0].cpu().numpy().astype(np.float32)
        activations = []
        shapes = []
        for name, _module, out in outputs:
            shapes.append(tuple(int(d) for d in out.shape[1:]))
            value = out[0].float()
            if value.dim() == 3:  # (C, H, W)
                value = value[:MAX_ACTIVATION_CHANNELS]
                if max(value.shape[1:]) > MAX_ACTIVATION_SIZE:
                    value = F.adaptive_avg_pool2d(value, MAX_ACTIVATION_SIZE)
            else:
                value = value.flatten()[:MAX_VECTOR]
            activations.append((name, value.cpu().numpy().astype(np.float32)))
    model.train(was_training)
    return Prediction(probabilities=probs, activations=activations, shapes=shapes)


@dataclass(frozen=True, eq=False)
class TrainedModel:
    """A model ready for "try it yourself": its spec, class names and the normalisation
    ``(pixel - mean[c]) / std[c]`` its training images had."""

    model: nn.Module
    net: NetSpec
    class_names: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]


def trained_model_from_data(model: nn.Module, net: NetSpec, data: DatasetBundle) -> TrainedModel:
    """The model just trained on ``data`` (its classes and statistics)."""
    return TrainedModel(model, net, tuple(data.class_names), tuple(data.mean), tuple(data.std))


def trained_model_from_checkpoint(checkpoint: Checkpoint, model: nn.Module) -> TrainedModel:
    """A loaded checkpoint; missing class names become ``"0" .. "K-1"`` (K = the network's
    outputs) and a missing mean/std becomes 0.5 per channel (pixels in [0, 1] -> [-1, 1])."""

    net = checkpoint.net
    classes = checkpoint.class_names
    if not classes:
        output = infer(net).output_shape
        classes = tuple(str(i) for i in range(int(output[0]) if output else 0))
    channels = net.input_shape[0]
    mean = tuple(checkpoint.mean) or (0.5,) * channels
    std = tuple(checkpoint.std) or (0.5,) * channels
    return TrainedModel(model, net, tuple(classes), mean, std)


def _center_drawing(gray: np.ndarray) -> np.ndarray:
    """MNIST-style framing: crop the ink's bounding box, scale its longest side to 20/28 of the
    canvas keeping the aspect ratio, and paste it centred. ``gray``: (H, W) in [0, 1]."""
    ink = np.argwhere(gray > 0.05)
    if ink.size == 0:
        return gray
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0) + 1
    crop = torch.from_numpy(np.ascontiguousarray(gray[top:bottom, left:right]))[None, None]
    size = max(gray.shape)
    scale = (size * 20 / 28) / max(crop.shape[2:])
    new_h = max(1, round(crop.shape[2] * scale))
    new_w = max(1, round(crop.shape[3] * scale))
    resized = F.interpolate(crop.float(), size=(new_h, new_w), mode="bilinear", antialias=True)
    out = np.zeros((size, size), dtype=np.float32)
    y0, x0 = (size - new_h) // 2, (size - new_w) // 2
    out[y0 : y0 + new_h, x0 : x0 + new_w] = resized[0, 0].numpy()
    return out


def image_to_input(
    image: np.ndarray,
    input_shape: tuple[int, int, int],
    mean: tuple[float, ...],
    std: tuple[float, ...],
    *,
    center_drawing: bool = False,
) -> torch.Tensor:
    """A picture as a network input ``(C, H, W)``: ``(pixel/255 - mean[c]) / std[c]``.

    ``image``: (H, W) gray, (H, W, 3) RGB or (H, W, 4) RGBA (composited over black, as a canvas
    drawing is), uint8 or float in [0, 1]. Colour -> gray by luma ``0.299 R + 0.587 G + 0.114 B``;
    gray -> colour by repeating. Resized (antialiased) to the input's H x W. ``center_drawing``
    frames a drawn digit like MNIST does (see :func:`_center_drawing`).
    """
    channels, height, width = input_shape
    pixels = np.asarray(image)
    pixels = pixels.astype(np.float32) / 255.0 if pixels.dtype == np.uint8 else pixels
    pixels = np.clip(pixels.astype(np.float32), 0.0, 1.0)
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    if pixels.shape[2] == 4:
        pixels = pixels[:, :, :3] * pixels[:, :, 3:4]
    if channels == 1 and pixels.shape[2] == 3:
        pixels = pixels @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        pixels = pixels[:, :, None]
    if center_drawing and pixels.shape[2] == 1:
        pixels = _center_drawing(pixels[:, :, 0])[:, :, None]
    tensor = torch.from_numpy(np.ascontiguousarray(pixels)).permute(2, 0, 1)  # (c, h, w)
    if tensor.shape[0] == 1 and channels == 3:
        tensor = tensor.repeat(3, 1, 1)
    if tuple(tensor.shape[1:]) != (height, width):
        shrinking = height < tensor.shape[1] or width < tensor.shape[2]
        tensor = F.interpolate(
            tensor[None], size=(height, width), mode="bilinear", antialias=shrinking
        )[0].clamp(0.0, 1.0)
    mean_t = torch.tensor(mean, dtype=torch.float32).view(-1, 1, 1)
    std_t = torch.tensor(std, dtype=torch.float32).view(-1, 1, 1)
    return ((tensor - mean_t) / std_t).contiguous()
