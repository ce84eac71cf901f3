"""Run history: settings_diff legends, CSV/JSON export, a validated JSON import round trip."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import pytest
import torch

from cnnviz.data import AugmentConfig, DataConfig
from cnnviz.lab import (
    MAX_NAME_CHARS,
    HistoryError,
    LabSetup,
    RunRecord,
    delete_run,
    export_csv,
    export_json,
    import_json,
    net_label,
    rename_run,
    run_settings,
    settings_diff,
    summary_rows,
    unique_name,
)
from cnnviz.net import get_preset, scaled_net
from cnnviz.train import EpochEnd, Finished, TrainConfig


def epochs(count: int, *, nan_last: bool = False) -> list[EpochEnd]:
    out = []
    for i in range(count):
        val_loss = math.nan if nan_last and i == count - 1 else 1.0 / (i + 1)
        out.append(
            EpochEnd(
                epoch=i + 1,
                train_loss=1.0 / (i + 2),
                train_acc=0.5 + 0.1 * i,
                val_loss=val_loss,
                val_acc=0.45 + 0.1 * i,
                lr=1e-3,
                seconds=0.25 * (i + 1),
                images_per_second=400.0,
                grad_norms={"1 Conv2d 8@3x3": 0.5},
                weight_norms={"1 Conv2d 8@3x3": 2.0},
            )
        )
    return out


def run(name: str, **changes: Any) -> RunRecord:
    """A run record as the Train page and the lab store it in the session."""
    cfg = TrainConfig(
        epochs=3,
        weight_decay=changes.pop("weight_decay", 0.0),
        augment=AugmentConfig(enabled=changes.pop("augment", False), flip=True),
        seed=changes.pop("seed", 0),
    )
    net = scaled_net((1, 28, 28), 6, dropout=changes.pop("dropout", 0.0))
    data_cfg = DataConfig(train_size=changes.pop("train_size", 100), num_samples=1200)
    fields: dict[str, Any] = {
        "name": name,
        "net": net,
        "data_cfg": data_cfg,
        "cfg": cfg,
        "epochs": epochs(3),
        "finished": Finished("completed", 3, 1 / 3, 0.75),
        "created": 1_700_000_000.0,
        "model_state": None,
    }
    return RunRecord(**{**fields, **changes})


def test_settings_diff_names_only_what_differs() -> None:
    runs = [run("a"), run("b", dropout=0.5, weight_decay=5e-4), run("c", augment=True)]
    diff = settings_diff(runs)
    assert diff["a"] == "dropout 0, wd 0, augment off"
    assert diff["b"] == "dropout 0.5, wd 5e-4, augment off"
    assert diff["c"] == "dropout 0, wd 0, augment on"
    zh = settings_diff(runs, "zh")
    assert zh["b"] == "Dropout 0.5, 权重衰减 5e-4, 增强 关"  # one Chinese term (issue 9)


def test_settings_diff_of_identical_or_single_runs_is_empty() -> None:
    assert settings_diff([run("a")]) == {"a": ""}
    assert settings_diff([run("a"), run("b")]) == {"a": "", "b": ""}
    assert settings_diff([]) == {}


def test_settings_diff_with_train_size_all_and_net() -> None:
    other = run("b", data_cfg=DataConfig(train_size=None), net=get_preset("tiny"))
    diff = settings_diff([run("a"), other])
    assert "n all" in diff["b"] and "n 100" in diff["a"]
    assert "net conv 8-16 | fc 6" in diff["b"]


def test_net_label() -> None:
    assert net_label(scaled_net((1, 28, 28), 6, width=2.0)) == "conv 16-32 | fc 64-6"


def test_run_settings_reads_dropout_and_batch_norm_from_the_net() -> None:
    settings = run_settings(run("a", dropout=0.3))
    assert settings["dropout"] == 0.3 and settings["batch_norm"] is False
    assert settings["train_size"] == 100 and settings["augment"] is False


def test_record_dict_round_trip() -> None:
    original = run("a", lab_setup=LabSetup().to_dict(), scenario="overfit").to_dict()
    record = RunRecord.from_dict(original)
    assert record.scenario == "overfit" and record.lab_setup == LabSetup().to_dict()
    assert record.to_dict() == {**original, "epochs": original["epochs"]}


def test_export_csv_has_one_row_per_run_per_epoch() -> None:
    text = export_csv([run("a"), run("b, with a comma", weight_decay=5e-4)])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 6
    assert [r["run"] for r in rows] == ["a"] * 3 + ["b, with a comma"] * 3
    assert rows[0]["epoch"] == "1" and float(rows[2]["val_loss"]) == pytest.approx(1 / 3)
    assert rows[3]["weight_decay"] == "0.0005" and rows[0]["train_size"] == "100"
    assert float(rows[1]["seconds"]) == pytest.approx(0.5)


def test_json_round_trip_keeps_everything_but_the_weights() -> None:
    first = run("a", lab_setup=LabSetup(dropout=0.5).to_dict(), scenario="overfit")
    first.model_state = {"layers.0.weight": torch.ones(2)}
    second = run("b", dropout=0.5, weight_decay=5e-4, augment=True, seed=7)
    second.epochs = epochs(4, nan_last=True)
    second.finished = Finished("diverged", 3, 0.25, 1.0)
    text = export_json([first, second])
    document = json.loads(text)  # strict JSON: NaN was written as null
    assert document["format"] == "cnnviz-runs" and "model_state" not in document["runs"][0]
    back = import_json(text)
    assert [r.name for r in back] == ["a", "b"]
    for record, source in zip(back, [first, second], strict=True):
        assert record.net == source.net
        assert record.data_cfg == source.data_cfg
        assert record.cfg == source.cfg
        assert record.finished == source.finished
        assert record.created == source.created
        assert record.model_state is None
        assert len(record.epochs) == len(source.epochs)
        for got, want in zip(record.epochs, source.epochs, strict=True):
            for name in ("train_loss", "train_acc", "val_acc", "seconds", "grad_norms"):
                assert getattr(got, name) == getattr(want, name)
    assert math.isnan(back[1].epochs[-1].val_loss)
    assert back[0].lab_setup == LabSetup(dropout=0.5).to_dict() and back[0].scenario == "overfit"
    assert export_json(back) == text  # a second round trip changes nothing


def _document(**run_changes: Any) -> dict[str, Any]:
    document = json.loads(export_json([run("a")]))
    document["runs"][0].update(run_changes)
    return document


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("not json {", "lab.error.not_json"),
        ("[1, 2]", "lab.error.not_runs_file"),
        (json.dumps({"format": "cnnviz-runs", "version": 99, "runs": []}), "lab.error.version"),
        (json.dumps({"format": "cnnviz-runs", "version": 1, "runs": {}}), "lab.error.field_type"),
        (json.dumps(_document(extra=1)), "lab.error.unknown_field"),
        (json.dumps(_document(epochs="many")), "lab.error.field_type"),
        (json.dumps(_document(name="")), "lab.error.long_name"),
        (json.dumps(_document(name="x" * (MAX_NAME_CHARS + 1))), "lab.error.long_name"),
        (json.dumps(_document(net={"schema_version": 1})), "lab.error.bad_value"),
        (json.dumps(_document(lab_setup={"width": 99.0})), "lab.error.bad_value"),
        (json.dumps(_document(lab_setup={"colour": 1})), "lab.error.bad_value"),
    ],
)
def test_import_rejects_bad_documents_with_a_clear_key(text: str, key: str) -> None:
    with pytest.raises(HistoryError) as info:
        import_json(text)
    assert info.value.key == key
    assert info.value.text("zh")  # translated


def test_import_rejects_wrong_types_unknown_and_missing_fields_inside_configs() -> None:
    document = _document()
    document["runs"][0]["cfg"]["lr"] = "fast"
    with pytest.raises(HistoryError, match=r"runs\[0\]\.cfg\.lr"):
        import_json(json.dumps(document))
    document = _document()
    document["runs"][0]["cfg"]["lr"] = -1.0  # TrainConfig's own range check
    with pytest.raises(HistoryError, match=r"runs\[0\]\.cfg: .*range"):
        import_json(json.dumps(document))
    document = _document()
    document["runs"][0]["data_cfg"]["colour"] = True
    with pytest.raises(HistoryError, match="colour"):
        import_json(json.dumps(document))
    document = _document()
    del document["runs"][0]["epochs"][0]["val_acc"]
    with pytest.raises(HistoryError, match="val_acc"):
        import_json(json.dumps(document))
    document = _document()
    document["runs"][0]["epochs"][0]["epoch"] = True  # a bool is not an int here
    with pytest.raises(HistoryError):
        import_json(json.dumps(document))


def test_import_rejects_oversized_and_binary_input() -> None:
    with pytest.raises(HistoryError) as info:
        import_json(b" " * (5 * 1024 * 1024 + 1))
    assert info.value.key == "lab.error.too_big"
    with pytest.raises(HistoryError) as info:
        import_json(b"\xff\xfe\x00")
    assert info.value.key == "lab.error.not_utf8"


def test_unique_name_rename_and_delete() -> None:
    runs = [run("a"), run("b")]
    assert unique_name(runs, "a") == "a (2)"
    assert unique_name([*runs, run("a (2)")], "a") == "a (3)"
    assert unique_name(runs, "c") == "c"
    renamed = rename_run(runs, 1, "  best so far ")
    assert [r.name for r in renamed] == ["a", "best so far"]
    assert [r.name for r in runs] == ["a", "b"]  # pure: the input list is unchanged
    for bad, key in (("", "lab.error.empty_name"), ("a", "lab.error.duplicate_name")):
        with pytest.raises(HistoryError) as info:
            rename_run(runs, 1, bad)
        assert info.value.key == key
    with pytest.raises(HistoryError):
        rename_run(runs, 5, "x")
    assert [r.name for r in delete_run(runs, 0)] == ["b"]
    with pytest.raises(HistoryError):
        delete_run(runs, 2)


def test_summary_rows_in_both_languages() -> None:
    runs = [run("a"), run("b", weight_decay=5e-4)]
    rows = summary_rows(runs, settings_diff(runs), "en")
    assert [r["Run"] for r in rows] == ["a", "b"]
    assert rows[1]["Differs in"] == "wd 5e-4" and rows[0]["s / epoch"] == 0.5
    assert rows[0]["Val. acc. (%)"] == 65.0 and rows[0]["Epochs"] == 3
    assert rows[0]["Weights kept"] == "no"
    zh = summary_rows(runs, settings_diff(runs, "zh"), "zh")
    assert zh[0]["运行"] == "a" and zh[0]["已保留权重"] == "否"
    assert summary_rows([run("a")], {}, "en")[0]["Differs in"] == "same settings"


def test_a_run_without_a_data_config_still_compares_and_round_trips() -> None:
    orphan = run("orphan", data_cfg=None)
    assert settings_diff([run("a"), orphan])["orphan"] == "data -, n all"
    assert len(list(csv.DictReader(io.StringIO(export_csv([orphan]))))) == 3
    (back,) = import_json(export_json([orphan]))
    assert back.data_cfg is None and back.name == "orphan"
