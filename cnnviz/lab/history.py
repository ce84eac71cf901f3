"""The run history of a session: typed records, how runs differ, renaming and deleting.

A session's history is a list of :class:`RunRecord` (the pages keep it in
``st.session_state["runs"]``; the Train page and the lab both append to it). The helpers here are
pure: they read records, or return a new list. Export and import live in
:mod:`cnnviz.lab.history_io`.

Lesson: the "Overfitting lab" page (compare runs, export/import) and the "Train live" page.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from cnnviz.data import DataConfig
from cnnviz.i18n import MessageError, t
from cnnviz.net import (
    BatchNorm2dSpec,
    Conv2dSpec,
    Dropout2dSpec,
    DropoutSpec,
    LinearSpec,
    NetSpec,
    ResidualBlockSpec,
)
from cnnviz.train import EpochEnd, Finished, TrainConfig, diagnose

__all__ = [
    "MAX_NAME_CHARS",
    "HistoryError",
    "RunRecord",
    "delete_run",
    "net_label",
    "rename_run",
    "run_settings",
    "settings_diff",
    "summary_rows",
    "unique_name",
]

MAX_NAME_CHARS = 60


class HistoryError(MessageError):
    """Bad history input a student can fix: ``key`` is a catalog key ``lab.error.*``."""


@dataclass
class RunRecord:
    """One finished training run: what was trained, how, and the per-epoch curves.

    ``model_state`` (CPU tensors) is only kept when the user asked to keep weights; it is never
    exported. ``lab_setup`` is the lab's controls as a dict when the run came from the lab.
    """

    name: str
    net: NetSpec
    data_cfg: DataConfig | None  # None when a page could not say which data it trained on
    cfg: TrainConfig
    epochs: list[EpochEnd]
    finished: Finished | None = None
    created: float = field(default_factory=time.time)
    model_state: dict[str, torch.Tensor] | None = None
    lab_setup: dict[str, Any] | None = None
    scenario: str | None = None

    @staticmethod
    def from_dict(values: Mapping[str, Any]) -> RunRecord:
        """A record from a plain dict of its fields (missing optional keys get defaults)."""
        return RunRecord(
            name=str(values["name"]),
            net=values["net"],
            data_cfg=values["data_cfg"],
            cfg=values["cfg"],
            epochs=list(values.get("epochs") or []),
            finished=values.get("finished"),
            created=float(values.get("created") or 0.0),
            model_state=values.get("model_state"),
            lab_setup=values.get("lab_setup"),
            scenario=values.get("scenario"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The record's fields as a plain dict (live objects, not JSON: see ``export_json``)."""
        return {
            "name": self.name,
            "net": self.net,
            "data_cfg": self.data_cfg,
            "cfg": self.cfg,
            "epochs": list(self.epochs),
            "finished": self.finished,
            "created": self.created,
            "model_state": self.model_state,
            "lab_setup": self.lab_setup,
            "scenario": self.scenario,
        }


# --------------------------------------------------------------------------- settings and legends


def net_label(net: NetSpec) -> str:
    """A compact architecture text: conv channels then Linear widths, e.g. ``conv 8-16 | fc 32-6``."""
    convs = [
        str(layer.out_channels)
        for layer in net.layers
        if isinstance(layer, (Conv2dSpec, ResidualBlockSpec))
    ]
    linears = [str(layer.out_features) for layer in net.layers if isinstance(layer, LinearSpec)]
    parts = []
    if convs:
        parts.append("conv " + "-".join(convs))
    if linears:
        parts.append("fc " + "-".join(linears))
    return " | ".join(parts) or net.name or "-"


def _dropout(net: NetSpec) -> float:
    return max(
        (layer.p for layer in net.layers if isinstance(layer, (DropoutSpec, Dropout2dSpec))),
        default=0.0,
    )


def _batch_norm(net: NetSpec) -> bool:
    return any(
        isinstance(layer, BatchNorm2dSpec)
        or (isinstance(layer, ResidualBlockSpec) and layer.batch_norm)
        for layer in net.layers
    )


def run_settings(record: RunRecord) -> dict[str, Any]:
    """The settings that define a run, flat and ordered: ``{setting id: value}``.

    Ids are catalog suffixes ``lab.set.<id>``; values are numbers, booleans, strings or None.
    """
    data, cfg = record.data_cfg, record.cfg
    return {
        "dataset": data.name if data is not None else "-",
        "train_size": data.train_size if data is not None else None,
        "label_noise": data.label_noise if data is not None else 0.0,
        "net": net_label(record.net),
        "batch_norm": _batch_norm(record.net),
        "dropout": _dropout(record.net),
        "optimizer": cfg.optimizer,
        "lr": cfg.lr,
        "batch_size": cfg.batch_size,
        "epochs": cfg.epochs,
        "weight_decay": cfg.weight_decay,
        "l1": cfg.l1,
        "augment": cfg.augment.enabled,
        "early_stopping": cfg.early_stopping,
        "schedule": cfg.schedule,
        "label_smoothing": cfg.label_smoothing,
        "init": cfg.init,
        "seed": cfg.seed,
    }


def _fmt(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return t("lab.on" if value else "lab.off", lang)
    if value is None:
        return t("lab.all", lang)
    if isinstance(value, float):
        if value != 0 and abs(value) < 1e-2:
            mantissa, exponent = f"{value:.0e}".split("e")
            return f"{mantissa}e{int(exponent)}"
        return f"{value:g}"
    return str(value)


def settings_diff(records: Sequence[RunRecord], lang: str = "en") -> dict[str, str]:
    """For each run name, the settings in which the runs differ, e.g. ``"dropout 0.5, wd 5e-4"``.

    Only settings whose values are not all equal appear; identical runs (or a single run) give "".
    """
    settings = [run_settings(r) for r in records]
    if not settings:
        return {}
    differing = [key for key in settings[0] if len({repr(s[key]) for s in settings}) > 1]
    return {
        record.name: ", ".join(
            f"{t(f'lab.set.{key}', lang)} {_fmt(values[key], lang)}" for key in differing
        )
        for record, values in zip(records, settings, strict=True)
    }


def summary_rows(
    records: Sequence[RunRecord], diffs: Mapping[str, str], lang: str = "en"
) -> list[dict[str, Any]]:
    """One table row per run: verdict, final accuracies (%), best epoch, epochs, mean s/epoch,
    how it differs from the others (``settings_diff``), whether its weights are kept."""

    rows = []
    for record in records:
        epochs = record.epochs
        d = diagnose(
            epochs,
            early_stopping=record.cfg.early_stopping,
            stopped_early=record.finished is not None
            and record.finished.reason == "early_stopping",
        )
        seconds = [e.seconds for e in epochs if math.isfinite(e.seconds)]
        rows.append(
            {
                t("lab.col.name", lang): record.name,
                t("lab.col.verdict", lang): t(f"lab.verdict.{d.verdict.replace(' ', '_')}", lang),
                t("lab.col.train_acc", lang): round(100 * d.final_train_acc, 1),
                t("lab.col.val_acc", lang): round(100 * d.final_val_acc, 1),
                t("lab.col.best_epoch", lang): d.best_epoch,
                t("lab.col.epochs", lang): len(epochs),
                t("lab.col.seconds", lang): round(sum(seconds) / len(seconds), 2)
                if seconds
                else None,
                t("lab.col.settings", lang): diffs.get(record.name) or t("lab.same_settings", lang),
                t("lab.col.weights", lang): t(
                    "lab.yes" if record.model_state is not None else "lab.no", lang
                ),
            }
        )
    return rows


# ------------------------------------------------------------------------------------ rename/delete


def unique_name(records: Sequence[RunRecord], base: str) -> str:
    """``base``, or ``base (2)``, ``base (3)``... so that no two runs share a name."""
    taken = {r.name for r in records}
    base = base.strip()[:MAX_NAME_CHARS] or "run"
    if base not in taken:
        return base
    number = 2
    while f"{base} ({number})" in taken:
        number += 1
    return f"{base} ({number})"


def rename_run(records: Sequence[RunRecord], index: int, new_name: str) -> list[RunRecord]:
    """A new list with run ``index`` renamed (a new record; the old one is unchanged); the name
    must be non-empty, short and unused."""
    name = new_name.strip()
    if not 0 <= index < len(records):
        raise HistoryError("lab.error.no_such_run", index=index + 1)
    if not name:
        raise HistoryError("lab.error.empty_name")
    if len(name) > MAX_NAME_CHARS:
        raise HistoryError("lab.error.long_name", maximum=MAX_NAME_CHARS)
    if any(record.name == name for i, record in enumerate(records) if i != index):
        raise HistoryError("lab.error.duplicate_name", name=name)
    return [
        dataclasses.replace(record, name=name) if i == index else record
        for i, record in enumerate(records)
    ]


def delete_run(records: Sequence[RunRecord], index: int) -> list[RunRecord]:
    """A new list without run ``index``."""
    if not 0 <= index < len(records):
        raise HistoryError("lab.error.no_such_run", index=index + 1)
    return [record for i, record in enumerate(records) if i != index]
