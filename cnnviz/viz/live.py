"""The figures of a training job's live panel, rebuilt only when what they show has changed.

A student watching a run polls its job once a second. :class:`LiveFigures` does each poll's work
(:meth:`LiveFigures.live` for the panel beside Start, :meth:`LiveFigures.details` for the
slower section below) in proportion to what is new since the last poll: the loss curve only
after new batches, the feature maps and filters only for a new :class:`cnnviz.train.Snapshot`,
the per-epoch curves only after a new epoch, the probe image once. A poll in which nothing
changed rebuilds nothing and hands back the same figure objects, which the page's Streamlit
config sends as references to the browser's cached copy (``global.minCachedMessageSize``). Every
figure is cheap to send: curves thinned to a few hundred points (the raw loss by its min/max
envelope, so spikes survive; steps as integers, losses as float32), maps and filters one small
palette PNG each (:mod:`cnnviz.viz.pictures`).

The page draws these figures from a fragment, and the class benchmark polls through the same
object (``benchmarks/bench_class.py``).

Lesson: the "Train live" page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from cnnviz.data import class_label
from cnnviz.i18n import t
from cnnviz.jobs import JobSnapshot, TrainingJob
from cnnviz.train import Snapshot, probe_input
from cnnviz.viz.maps import display_image
from cnnviz.viz.pictures import filters_picture, map_columns, maps_picture, probe_picture
from cnnviz.viz.train import epoch_figure, loss_figure, norms_figure

__all__ = ["COMPACT_HEIGHT", "DetailView", "LiveFigures", "LiveView", "snapshot_pictures"]

COMPACT_HEIGHT = 250  # pixels: the loss curve and the maps beside Start


@dataclass(frozen=True, eq=False)
class LiveView:
    """One poll of the panel beside Start: the job's state, the loss curve (None before the
    first batch), the probe image and its first layer's feature maps (None before the first
    snapshot), and the names of the figures rebuilt by this poll."""

    snap: JobSnapshot
    loss: go.Figure | None
    probe: go.Figure | None
    maps: go.Figure | None
    rebuilt: frozenset[str]


@dataclass(frozen=True, eq=False)
class DetailView:
    """One poll of the section below the settings: per-epoch loss and accuracy, every layer's
    feature maps, the first layer's filters and the gradient norms."""

    snap: JobSnapshot
    epoch_loss: go.Figure | None
    epoch_acc: go.Figure | None
    grads: go.Figure | None
    maps: tuple[go.Figure, ...]
    filters: go.Figure | None
    rebuilt: frozenset[str]


def _layer_title(name: str, maps: np.ndarray, lang: str) -> str:
    count, height, width = maps.shape
    return t("train.viz.feature_maps_title", lang, name=name, count=count, h=height, w=width)


def snapshot_pictures(
    snapshot: Snapshot, lang: str = "en", *, height: int = 220
) -> tuple[tuple[go.Figure, ...], go.Figure | None]:
    """Every layer's feature maps of ``snapshot`` (one picture each) and its filters."""
    maps = tuple(
        maps_picture(values, _layer_title(name, values, lang), lang, height=height)
        for name, values in snapshot.feature_maps
    )
    filters = filters_picture(snapshot.filters, lang) if snapshot.filters is not None else None
    return maps, filters


class LiveFigures:
    """The live figures of ``job`` in ``lang``, each rebuilt only when its data changed.

    Safe to call from several threads (one lock); keep one per job and language (a page keeps
    it in the session).
    """

    def __init__(self, job: TrainingJob, lang: str = "en") -> None:
        self.job = job
        self.lang = lang
        self._lock = threading.Lock()
        self._loss_step = -1
        self._loss: go.Figure | None = None
        self._probe: go.Figure | None = None
        self._probe_done = False
        self._first: tuple[Snapshot | None, go.Figure | None] = (None, None)
        self._details_snapshot: Snapshot | None = None
        self._detail_maps: tuple[go.Figure, ...] = ()
        self._filters: go.Figure | None = None
        self._replayed: dict[int, tuple[Snapshot, go.Figure | None, go.Figure | None]] = {}
        self._epoch_count = -1
        self._epoch_figures: tuple[go.Figure | None, go.Figure | None, go.Figure | None] = (
            None,
            None,
            None,
        )

    def live(self) -> LiveView:
        """The panel beside Start for this poll (see the module docstring)."""
        snap = self.job.snapshot()
        rebuilt: set[str] = set()
        with self._lock:
            if snap.step != self._loss_step and len(snap.batches):
                self._loss = loss_figure(snap.batches, self.lang, height=COMPACT_HEIGHT)
                self._loss_step = snap.step
                rebuilt.add("loss")
            if not self._probe_done:
                self._probe = self._probe_figure()
                self._probe_done = True
                rebuilt.add("probe")
            shown, figure = self._first
            if snap.snapshot is not None and snap.snapshot is not shown:
                figure = self._first_maps(snap.snapshot)
                self._first = (snap.snapshot, figure)
                rebuilt.add("maps")
            return LiveView(snap, self._loss, self._probe, figure, frozenset(rebuilt))

    def details(self) -> DetailView:
        """The section below the settings for this poll."""
        snap = self.job.snapshot()
        rebuilt: set[str] = set()
        with self._lock:
            if snap.snapshot is not None and snap.snapshot is not self._details_snapshot:
                self._detail_maps, self._filters = snapshot_pictures(snap.snapshot, self.lang)
                self._details_snapshot = snap.snapshot
                rebuilt.add("maps")
            if len(snap.epochs) != self._epoch_count:
                self._epoch_count = len(snap.epochs)
                if snap.epochs:
                    self._epoch_figures = (
                        epoch_figure(snap.epochs, "loss", self.lang),
                        epoch_figure(snap.epochs, "acc", self.lang),
                        norms_figure(snap.epochs, "grad", self.lang),
                    )
                    rebuilt.add("epochs")
            loss, acc, grads = self._epoch_figures
            return DetailView(
                snap, loss, acc, grads, self._detail_maps, self._filters, frozenset(rebuilt)
            )

    def replay(self, snapshot: Snapshot) -> tuple[go.Figure | None, go.Figure | None]:
        """The panel's loss curve marked at ``snapshot``'s step and the first layer's maps of
        ``snapshot`` (one of the job's per-epoch snapshots), to replay a finished run."""
        snap = self.job.snapshot()
        with self._lock:
            kept = self._replayed.get(id(snapshot))
            if kept is None or kept[0] is not snapshot:
                loss = None
                if len(snap.batches):
                    loss = loss_figure(
                        snap.batches, self.lang, height=COMPACT_HEIGHT, marker=snapshot.step
                    )
                kept = (snapshot, loss, self._first_maps(snapshot))
                self._replayed[id(snapshot)] = kept
            return kept[1], kept[2]

    def _probe_figure(self) -> go.Figure | None:
        data = self.job.data
        image = probe_input(data, self.job.probe)
        if image is None:
            return None
        pixels = display_image(image[0].numpy(), data.mean, data.std)
        label = ""
        if self.job.probe is None and len(data.val_y):  # the first validation image
            label = class_label(data.class_names[int(data.val_y[0])], self.lang)
        return probe_picture(pixels, t("live.probe", self.lang), label=label, height=COMPACT_HEIGHT)

    def _first_maps(self, snapshot: Snapshot) -> go.Figure | None:
        if not snapshot.feature_maps:
            return None
        name, maps = snapshot.feature_maps[0]
        count, height, width = maps.shape
        columns = map_columns(count, height, width, aspect=2.0)
        title = t("live.maps_title", self.lang, name=name, count=count)
        return maps_picture(maps, title, self.lang, columns=columns, height=COMPACT_HEIGHT)
