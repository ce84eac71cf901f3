"""The run history of a session: typed records, how runs differ, CSV/JSON export, JSON import.

Pages keep runs in ``st.session_state["runs"]`` as plain dicts ``{"name", "net", "data_cfg",
"cfg", "epochs", "finished", "created", "model_state"}`` (+ optional ``"lab_setup"``,
``"scenario"``); :class:`RunRecord` is the typed view with ``from_dict``/``to_dict``. JSON export
keeps everything except the weights; :func:`import_json` validates every field (types, ranges,
unknown keys, sizes) and raises :class:`HistoryError` (a catalog key + parameters) on bad input.

Lesson: the "Overfitting lab" page (compare runs, export/import) and the "Train live" page.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import time
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from cnnviz.data import DataConfig
from cnnviz.i18n import t
from cnnviz.specs import (
    BatchNorm2dSpec,
    Conv2dSpec,
    Dropout2dSpec,
    DropoutSpec,
    LinearSpec,
    NetSpec,
    ResidualBlockSpec,
    SpecError,
)
from cnnviz.training import EpochEnd, Finished, TrainConfig

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "MAX_IMPORT_BYTES",
    "MAX_NAME_CHARS",
    "MAX_RUNS",
    "HistoryError",
    "RunRecord",
    "delete_run",
    "export_csv",
    "export_json",
    "import_json",
    "net_label",
    "rename_run",
    "run_settings",
    "settings_diff",
    "summary_rows",
    "unique_name",
]

EXPORT_FORMAT = "cnnviz-runs"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_RUNS = 200
MAX_EPOCHS_PER_RUN = 1000
MAX_NAME_CHARS = 60


class HistoryError(ValueError):
    """Bad history input a student can fix: ``key`` is a catalog key ``lab.error.*``."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``."""
        return t(self.key, lang, **self.params)


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
        """The typed record of a session dict (missing optional keys get defaults)."""
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
        """The session dict (live objects, not JSON)."""
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


def _records(runs: Sequence[RunRecord | Mapping[str, Any]]) -> list[RunRecord]:
    return [r if isinstance(r, RunRecord) else RunRecord.from_dict(r) for r in runs]


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


def run_settings(run: RunRecord | Mapping[str, Any]) -> dict[str, Any]:
    """The settings that define a run, flat and ordered: ``{setting id: value}``.

    Ids are catalog suffixes ``lab.set.<id>``; values are numbers, booleans, strings or None.
    """
    record = _records([run])[0]
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


def settings_diff(
    runs: Sequence[RunRecord | Mapping[str, Any]], lang: str = "en"
) -> dict[str, str]:
    """For each run name, the settings in which the runs differ, e.g. ``"dropout 0.5, wd 5e-4"``.

    Only settings whose values are not all equal appear; identical runs (or a single run) give "".
    """
    records = _records(runs)
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
    runs: Sequence[RunRecord | Mapping[str, Any]], diffs: Mapping[str, str], lang: str = "en"
) -> list[dict[str, Any]]:
    """One table row per run: verdict, final accuracies (%), best epoch, epochs, mean s/epoch,
    how it differs from the others (``settings_diff``), whether its weights are kept."""
    from cnnviz.diagnosis import diagnose

    rows = []
    for record in _records(runs):
        epochs = record.epochs
        d = diagnose(epochs)
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


def unique_name(runs: Sequence[RunRecord | Mapping[str, Any]], base: str) -> str:
    """``base``, or ``base (2)``, ``base (3)``... so that no two runs share a name."""
    taken = {r.name if isinstance(r, RunRecord) else r["name"] for r in runs}
    base = base.strip()[:MAX_NAME_CHARS] or "run"
    if base not in taken:
        return base
    number = 2
    while f"{base} ({number})" in taken:
        number += 1
    return f"{base} ({number})"


def rename_run(runs: list[dict[str, Any]], index: int, new_name: str) -> list[dict[str, Any]]:
    """A new list with run ``index`` renamed; the name must be non-empty, short and unused."""
    name = new_name.strip()
    if not 0 <= index < len(runs):
        raise HistoryError("lab.error.no_such_run", index=index + 1)
    if not name:
        raise HistoryError("lab.error.empty_name")
    if len(name) > MAX_NAME_CHARS:
        raise HistoryError("lab.error.long_name", maximum=MAX_NAME_CHARS)
    if any(run["name"] == name for i, run in enumerate(runs) if i != index):
        raise HistoryError("lab.error.duplicate_name", name=name)
    return [{**run, "name": name} if i == index else run for i, run in enumerate(runs)]


def delete_run(runs: list[dict[str, Any]], index: int) -> list[dict[str, Any]]:
    """A new list without run ``index``."""
    if not 0 <= index < len(runs):
        raise HistoryError("lab.error.no_such_run", index=index + 1)
    return [run for i, run in enumerate(runs) if i != index]


# ------------------------------------------------------------------------------------------- export

_CSV_EPOCH = (
    "epoch",
    "train_loss",
    "train_acc",
    "val_loss",
    "val_acc",
    "lr",
    "seconds",
    "images_per_second",
)


def export_csv(runs: Sequence[RunRecord | Mapping[str, Any]]) -> str:
    """One row per run per epoch: the run's name, its settings, then the epoch's numbers."""
    records = _records(runs)
    setting_keys = list(run_settings(records[0])) if records else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["run", *setting_keys, *_CSV_EPOCH])
    for record in records:
        settings = run_settings(record)
        prefix = [record.name, *("" if settings[k] is None else settings[k] for k in setting_keys)]
        for epoch in record.epochs:
            writer.writerow([*prefix, *(getattr(epoch, name) for name in _CSV_EPOCH)])
    return out.getvalue()


def _jsonable(value: Any) -> Any:
    """Dataclasses to dicts, tuples to lists, NaN/inf to None (JSON has no NaN)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _jsonable(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "upload_zip"
        }
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def export_json(runs: Sequence[RunRecord | Mapping[str, Any]]) -> str:
    """``{"format": "cnnviz-runs", "version": 1, "runs": [...]}``; weights are not included."""
    from cnnviz.schema import net_to_dict

    items = []
    for record in _records(runs):
        items.append(
            {
                "name": record.name,
                "created": record.created,
                "scenario": record.scenario,
                "lab_setup": _jsonable(record.lab_setup),
                "net": net_to_dict(record.net),
                "data_cfg": _jsonable(record.data_cfg),
                "cfg": _jsonable(record.cfg),
                "epochs": [_jsonable(e) for e in record.epochs],
                "finished": _jsonable(record.finished),
            }
        )
    document = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "runs": items}
    return json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)


# ------------------------------------------------------------------------------------------- import


def _type_name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


def _convert(value: Any, hint: Any, where: str) -> Any:
    """``value`` checked against the type ``hint`` (and converted: lists to tuples, None to NaN)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return _convert(value, option, where)
            except HistoryError:
                continue
        raise HistoryError("lab.error.field_type", where=where, expected=_type_name(hint))
    if dataclasses.is_dataclass(hint):
        return _dataclass(hint, value, where)
    if hint is float:
        if value is None:
            return math.nan  # NaN/inf were exported as null
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is str:
        if isinstance(value, str) and len(value) <= 10_000:
            return value
    elif origin is tuple and isinstance(value, list):
        (item,) = typing.get_args(hint)[:1]
        return tuple(_convert(v, item, f"{where}[{i}]") for i, v in enumerate(value))
    elif origin is dict and isinstance(value, dict):
        _, item = typing.get_args(hint)
        return {str(k): _convert(v, item, f"{where}.{k}") for k, v in value.items()}
    raise HistoryError("lab.error.field_type", where=where, expected=_type_name(hint))


def _dataclass(cls: Any, value: Any, where: str) -> Any:
    """An instance of dataclass ``cls`` from a JSON object: unknown keys and bad types rejected."""
    if not isinstance(value, dict):
        raise HistoryError("lab.error.field_type", where=where, expected="object")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init and f.name != "upload_zip"}
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise HistoryError("lab.error.unknown_field", where=where, field=", ".join(unknown))
    kwargs = {}
    for name, spec in fields.items():
        if name in value:
            kwargs[name] = _convert(value[name], hints[name], f"{where}.{name}")
        elif spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            raise HistoryError("lab.error.missing_field", where=where, field=name)
    try:
        return cls(**kwargs)
    except (SpecError, ValueError, TypeError) as exc:
        raise HistoryError("lab.error.bad_value", where=where, error=str(exc)) from None


def _run_from_json(item: Any, index: int) -> RunRecord:
    from cnnviz.schema import net_from_dict

    where = f"runs[{index}]"
    if not isinstance(item, dict):
        raise HistoryError("lab.error.field_type", where=where, expected="object")
    allowed = {"name", "created", "scenario", "lab_setup", "net", "data_cfg", "cfg", "epochs"}
    unknown = sorted(set(item) - allowed - {"finished"})
    if unknown:
        raise HistoryError("lab.error.unknown_field", where=where, field=", ".join(unknown))
    for name in ("name", "net", "data_cfg", "cfg", "epochs"):
        if name not in item:
            raise HistoryError("lab.error.missing_field", where=where, field=name)
    name = _convert(item["name"], str, f"{where}.name").strip()
    if not name or len(name) > MAX_NAME_CHARS:
        raise HistoryError("lab.error.long_name", maximum=MAX_NAME_CHARS)
    try:
        net = net_from_dict(item["net"])
    except SpecError as exc:
        raise HistoryError("lab.error.bad_value", where=f"{where}.net", error=str(exc)) from None
    epochs_raw = item["epochs"]
    if not isinstance(epochs_raw, list):
        raise HistoryError("lab.error.field_type", where=f"{where}.epochs", expected="list")
    if len(epochs_raw) > MAX_EPOCHS_PER_RUN:
        raise HistoryError(
            "lab.error.too_many", where=f"{where}.epochs", maximum=MAX_EPOCHS_PER_RUN
        )
    epochs = [_dataclass(EpochEnd, e, f"{where}.epochs[{i}]") for i, e in enumerate(epochs_raw)]
    finished = item.get("finished")
    lab_setup = item.get("lab_setup")
    if lab_setup is not None:
        from cnnviz.lab_setup import LabSetup

        if not isinstance(lab_setup, dict):
            raise HistoryError(
                "lab.error.field_type", where=f"{where}.lab_setup", expected="object"
            )
        try:
            lab_setup = LabSetup.from_dict(lab_setup).to_dict()
        except (ValueError, TypeError) as exc:
            raise HistoryError(
                "lab.error.bad_value", where=f"{where}.lab_setup", error=str(exc)
            ) from None
    scenario = item.get("scenario")
    return RunRecord(
        name=name,
        net=net,
        data_cfg=None
        if item["data_cfg"] is None
        else _dataclass(DataConfig, item["data_cfg"], f"{where}.data_cfg"),
        cfg=_dataclass(TrainConfig, item["cfg"], f"{where}.cfg"),
        epochs=epochs,
        finished=None if finished is None else _dataclass(Finished, finished, f"{where}.finished"),
        created=_convert(item.get("created", 0.0), float, f"{where}.created"),
        lab_setup=lab_setup,
        scenario=None if scenario is None else _convert(scenario, str, f"{where}.scenario"),
    )


def import_json(text: str | bytes) -> list[RunRecord]:
    """Runs read back from :func:`export_json` output, every field validated.

    Raises :class:`HistoryError`: too big, not JSON (with line and column), not a cnnviz runs
    file, another version, too many runs, or a field that is unknown, missing or of the wrong type.
    """
    if len(text) > MAX_IMPORT_BYTES:
        raise HistoryError("lab.error.too_big", maximum=MAX_IMPORT_BYTES // (1024 * 1024))
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise HistoryError("lab.error.not_utf8") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HistoryError("lab.error.not_json", line=exc.lineno, column=exc.colno) from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise HistoryError("lab.error.not_runs_file")
    if document.get("version") != EXPORT_VERSION:
        raise HistoryError(
            "lab.error.version", version=str(document.get("version")), expected=EXPORT_VERSION
        )
    runs = document.get("runs")
    if not isinstance(runs, list):
        raise HistoryError("lab.error.field_type", where="runs", expected="list")
    if len(runs) > MAX_RUNS:
        raise HistoryError("lab.error.too_many", where="runs", maximum=MAX_RUNS)
    return [_run_from_json(item, i) for i, item in enumerate(runs)]
