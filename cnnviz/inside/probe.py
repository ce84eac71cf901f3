"""CNN features + a linear classifier: how good are the features a trained network computes?

Take the features that reach a trained network's last Linear layer (its "penultimate layer",
:func:`cnnviz.inside.feature_index`) for every training and validation picture, and train a
linear support vector machine on them (scikit-learn's ``LinearSVC`` after ``StandardScaler``).
Compare it with the same SVM on the raw pixels, with the network's own Linear head, and with the
features of an untrained network of the same shape (the run's starting weights when its seed is
known): the trained features make the classes linearly separable, the pixels and the random
features much less so. The 2-D maps (PCA, t-SNE) show the classes as clusters.

Lesson: the /inside page, "CNN features + a linear classifier"; the article 「深度学习|卷积的平移
不变性公式,卷积减少参数的方法」 feeds a trained network's features to a multi-class SVM.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from cnnviz.control import Control
from cnnviz.data import DatasetBundle
from cnnviz.i18n import Message
from cnnviz.inside.network import feature_index, layer_output
from cnnviz.jobs import Progress
from cnnviz.net import NetSpec, build_model

__all__ = [
    "EMBEDDINGS",
    "MAX_PROBE_TRAIN",
    "MAX_PROBE_VAL",
    "PROBE_ROWS",
    "SVM_C",
    "Embedding",
    "ProbeRow",
    "ProbeTask",
    "embed",
    "extract_features",
    "probe_rows",
    "svm_fit",
]

#: Training and validation pictures the probe uses at most (the first ones).
MAX_PROBE_TRAIN = 4000
MAX_PROBE_VAL = 1000
#: The table's rows, in order.
PROBE_ROWS: tuple[str, ...] = ("pixels_svm", "untrained_svm", "cnn_svm", "cnn_head")
#: The SVM's C on standardised features: strong regularisation. With hundreds of features and a
#: few thousand pictures the classes are separable; a small C keeps a wide margin, generalises
#: better and converges in about a second (C = 1 takes minutes on raw pixels).
SVM_C = 0.001
#: The 2-D maps of the features.
EMBEDDINGS: tuple[str, ...] = ("pca", "tsne")


@dataclass(frozen=True)
class ProbeRow:
    """One line of the table: which classifier on which features (``key`` in
    :data:`PROBE_ROWS`), the feature count, the accuracies on the training and validation
    pictures, and the seconds it took (features and fitting)."""

    key: str
    features: int
    train_accuracy: float
    val_accuracy: float
    seconds: float


@dataclass(frozen=True, eq=False)
class Embedding:
    """The validation features in 2-D (``method`` in :data:`EMBEDDINGS`): ``points`` (N, 2),
    true ``labels`` (N,) and the network's ``predicted`` classes (N,)."""

    method: str
    points: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray


def extract_features(
    model: nn.Module, layer_index: int, x: torch.Tensor, batch_size: int = 512
) -> np.ndarray:
    """Layer ``layer_index``'s output for every picture of ``x``, flattened: (N, F) float32."""
    model.eval()
    chunks = []
    with torch.no_grad():
        for begin in range(0, len(x), batch_size):
            out = layer_output(model, layer_index, x[begin : begin + batch_size].float())
            chunks.append(out.flatten(1).numpy().astype(np.float32))
    return np.concatenate(chunks) if chunks else np.zeros((0, 0), np.float32)


def svm_fit(
    train_features: np.ndarray,
    train_labels: np.ndarray,
    val_features: np.ndarray,
    val_labels: np.ndarray,
    *,
    c: float = SVM_C,
    seed: int = 0,
) -> tuple[float, float, np.ndarray]:
    """``StandardScaler`` + ``LinearSVC(C=c)`` (one-vs-rest, squared hinge loss, solved in the
    dual) fitted on the training features: ``(train accuracy, validation accuracy, validation
    predictions)``."""
    from sklearn.exceptions import ConvergenceWarning  # heavy (scipy): only when the probe runs
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    classifier = make_pipeline(
        StandardScaler(), LinearSVC(C=c, dual=True, max_iter=1000, random_state=seed)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(train_features, train_labels)
    predicted = np.asarray(classifier.predict(val_features), dtype=np.int64)
    train_accuracy = float(np.mean(classifier.predict(train_features) == train_labels))
    return train_accuracy, float(np.mean(predicted == val_labels)), predicted


def _head_accuracy(model: nn.Module, x: torch.Tensor, y: np.ndarray) -> tuple[float, np.ndarray]:
    model.eval()
    with torch.no_grad():
        predicted = torch.cat(
            [model(x[b : b + 512].float()).argmax(dim=1) for b in range(0, len(x), 512)]
        ).numpy()
    return float(np.mean(predicted == y)), predicted.astype(np.int64)


def probe_rows(
    model: nn.Module,
    untrained: nn.Module,
    net: NetSpec,
    data: DatasetBundle,
    *,
    seed: int = 0,
) -> Iterator[ProbeRow | tuple[str, np.ndarray]]:
    """The table of :data:`PROBE_ROWS`, one :class:`ProbeRow` at a time, on at most
    :data:`MAX_PROBE_TRAIN` training and :data:`MAX_PROBE_VAL` validation pictures. Also yields
    ``("features", validation features)`` and ``("predicted", the network's predictions)`` for
    the 2-D maps."""
    layer = feature_index(net)
    train_x, val_x = data.train_x[:MAX_PROBE_TRAIN], data.val_x[:MAX_PROBE_VAL]
    train_y = data.train_y[:MAX_PROBE_TRAIN].numpy()
    val_y = data.val_y[:MAX_PROBE_VAL].numpy()
    for key in PROBE_ROWS:
        start = time.perf_counter()
        if key == "cnn_head":
            train_acc, _ = _head_accuracy(model, train_x, train_y)
            val_acc, predicted = _head_accuracy(model, val_x, val_y)
            yield ("predicted", predicted)
            features = extract_features(model, layer, val_x[:1]).shape[1]
        else:
            if key == "pixels_svm":
                train_f = train_x.flatten(1).numpy()
                val_f = val_x.flatten(1).numpy()
            else:
                source = model if key == "cnn_svm" else untrained
                train_f = extract_features(source, layer, train_x)
                val_f = extract_features(source, layer, val_x)
            train_acc, val_acc, _ = svm_fit(train_f, train_y, val_f, val_y, seed=seed)
            features = int(train_f.shape[1])
            if key == "cnn_svm":
                yield ("features", val_f)
        yield ProbeRow(key, features, train_acc, val_acc, time.perf_counter() - start)


def embed(features: np.ndarray, method: str, seed: int = 0) -> np.ndarray:
    """(N, F) features -> (N, 2) points: PCA after standardising, or t-SNE (perplexity
    ``min(30, (N - 1) / 3)``, PCA start, 500 iterations) from scikit-learn."""
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE
    from sklearn.preprocessing import StandardScaler

    count = len(features)
    if count < 3:
        return np.zeros((count, 2), np.float32)
    scaled = StandardScaler().fit_transform(features)
    if method == "pca":
        components = min(2, scaled.shape[1])
        points = PCA(n_components=components, random_state=seed).fit_transform(scaled)
        if components < 2:
            points = np.column_stack([points, np.zeros(count)])
    elif method == "tsne":
        perplexity = float(min(30.0, (count - 1) / 3))
        points = TSNE(
            n_components=2, perplexity=perplexity, init="pca", max_iter=500, random_state=seed
        ).fit_transform(scaled)
    else:
        raise ValueError(f"unknown embedding {method!r}")
    return np.asarray(points, dtype=np.float32)


@dataclass(frozen=True, eq=False)
class ProbeTask:
    """The linear probe as a picklable background task: the trained weights, the untrained
    network's seed and the data (already in the model's normalisation). Yields
    :class:`cnnviz.jobs.Progress`, every :class:`ProbeRow`, then every :class:`Embedding`."""

    net: NetSpec
    state: dict[str, torch.Tensor]
    data: DatasetBundle
    untrained_seed: int = 0

    def run(self, control: Control) -> Iterator[ProbeRow | Embedding | Progress]:
        """The table, then the 2-D maps; a checkpoint between steps."""
        model = build_model(self.net)
        model.load_state_dict(self.state)
        model.eval()
        untrained = build_model(self.net, seed=self.untrained_seed).eval()
        total = len(PROBE_ROWS) + len(EMBEDDINGS)
        done = 0
        yield Progress(0, total, Message.of("inside.probe.step.pixels_svm"))
        features = np.zeros((0, 0), np.float32)
        predicted = np.zeros(0, np.int64)
        rows = probe_rows(model, untrained, self.net, self.data, seed=self.untrained_seed)
        for item in rows:
            control.checkpoint()
            if isinstance(item, ProbeRow):
                done += 1
                yield item
                upcoming = (*PROBE_ROWS, *EMBEDDINGS)[min(done, total - 1)]
                yield Progress(done, total, Message.of(f"inside.probe.step.{upcoming}"))
            elif item[0] == "features":
                features = item[1]
            else:
                predicted = item[1]
        labels = self.data.val_y[:MAX_PROBE_VAL].numpy().astype(np.int64)
        for method in EMBEDDINGS:
            control.checkpoint()
            yield Embedding(method, embed(features, method), labels, predicted)
            done += 1
            if done < total:
                yield Progress(done, total, Message.of(f"inside.probe.step.{EMBEDDINGS[-1]}"))
        yield Progress(total, total)
