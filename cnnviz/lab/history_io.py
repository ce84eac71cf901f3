"""A run history written out and read back: CSV and JSON export, strictly validated JSON import.

JSON export keeps everything but the weights; :func:`import_json` reads through the app one guarded
JSON reader (:mod:`cnnviz.safe_json`) and checks every field (types, ranges, unknown keys, sizes),
raising :class:`HistoryError` (a catalog key and its parameters) on bad input.

Lesson: the "Overfitting lab" page (export / import runs).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from cnnviz import safe_json
from cnnviz.data import DataConfig
from cnnviz.lab.history import MAX_NAME_CHARS, HistoryError, RunRecord, run_settings
from cnnviz.lab.setup import LabSetup
from cnnviz.net import SpecError, net_from_dict, net_to_dict
from cnnviz.train import EpochEnd, Finished, TrainConfig

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "MAX_IMPORT_BYTES",
    "MAX_RUNS",
    "export_csv",
    "export_json",
    "import_json",
]

EXPORT_FORMAT = "cnnviz-runs"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_NESTING = 16  # a history nests 7 deep (runs, run, net, layers, layer, kernel); 16 is plenty
MAX_RUNS = 200
MAX_EPOCHS_PER_RUN = 1000

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


def export_csv(records: Sequence[RunRecord]) -> str:
    """One row per run per epoch: the run's name, its settings, then the epoch's numbers."""
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


def export_json(records: Sequence[RunRecord]) -> str:
    """``{"format": "cnnviz-runs", "version": 1, "runs": [...]}``; weights are not included."""
    items = []
    for record in records:
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


def _json_error(problem: safe_json.JsonProblem) -> HistoryError:
    match problem.reason:
        case "too_big":
            return HistoryError("lab.error.too_big", maximum=MAX_IMPORT_BYTES // (1024 * 1024))
        case "not_text":
            return HistoryError("lab.error.not_utf8")
        case "too_deep":
            return HistoryError("lab.error.too_deep", depth=problem.depth, limit=MAX_NESTING)
    return HistoryError("lab.error.not_json", line=problem.line, column=problem.column)


def import_json(text: str | bytes) -> list[RunRecord]:
    """Runs read back from :func:`export_json` output, every field validated.

    Raises :class:`HistoryError`: too big, nested too deep, not JSON (with line and column), not a
    cnnviz runs
    file, another version, too many runs, or a field that is unknown, missing or of the wrong type.
    """
    try:
        document = safe_json.loads(text, max_bytes=MAX_IMPORT_BYTES, max_nesting=MAX_NESTING)
    except safe_json.JsonError as error:
        raise _json_error(error.problem) from None
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
