"""Checkpoints: a round trip keeps every weight and prediction; tampered or foreign files are refused."""

from __future__ import annotations

import io
import json
import pickle
import zipfile

import pytest
import torch
from safetensors.torch import load, save

from cnnviz.net import build_model, get_preset, infer
from cnnviz.train import CheckpointError, load_checkpoint, model_from_checkpoint, save_checkpoint


def _saved(preset: str = "tiny") -> tuple[torch.nn.Module, bytes]:
    """A checkpoint whose metadata fits the preset: one class name per output, one mean/std
    value per input channel (anything else is refused, see tests/test_hostile_corpus.py)."""
    net = get_preset(preset)
    model = build_model(net, seed=3)
    raw = save_checkpoint(
        model,
        net,
        class_names=_names(preset),
        mean=(0.2,) * net.input_shape[0],
        std=(0.3,) * net.input_shape[0],
        dataset="shapes",
    )
    return model, raw


def _names(preset: str) -> tuple[str, ...]:
    outputs = infer(get_preset(preset)).output_shape
    assert outputs is not None
    return tuple("abcdefghijklmnop"[: outputs[0]])


def _rewrite(raw: bytes, **replace: bytes) -> bytes:
    """The same zip with some entries replaced (or added)."""
    entries = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            entries[name] = archive.read(name)
    entries.update(replace)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _entry(raw: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return archive.read(name)


@pytest.mark.parametrize("preset", ["tiny", "lenet5", "resnet-mini"])
def test_round_trip_keeps_weights_and_predictions(preset: str) -> None:
    model, raw = _saved(preset)
    checkpoint = load_checkpoint(raw)
    assert checkpoint.net == get_preset(preset)
    channels = get_preset(preset).input_shape[0]
    assert checkpoint.class_names == _names(preset)
    assert checkpoint.mean == (0.2,) * channels and checkpoint.std == (0.3,) * channels
    assert checkpoint.dataset == "shapes"
    loaded = model_from_checkpoint(checkpoint)
    for (name, a), (_, b) in zip(
        model.state_dict().items(), loaded.state_dict().items(), strict=True
    ):
        assert torch.equal(a, b), name
    x = torch.randn(2, *get_preset(preset).input_shape)
    model.eval()
    assert torch.equal(model(x), loaded(x))


def test_the_file_holds_json_and_safetensors_only() -> None:
    _, raw = _saved()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert sorted(archive.namelist()) == ["meta.json", "spec.json", "weights.safetensors"]
    meta = json.loads(_entry(raw, "meta.json"))
    assert meta["format"] == "cnnviz-checkpoint" and meta["version"] == 1
    tensors = load(_entry(raw, "weights.safetensors"))
    assert set(tensors) == set(build_model(get_preset("tiny")).state_dict())


def test_tampered_weight_shape_is_rejected() -> None:
    _, raw = _saved()
    tensors = load(_entry(raw, "weights.safetensors"))
    tensors["layers.0.weight"] = torch.zeros(9, 1, 3, 3)
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(_rewrite(raw, **{"weights.safetensors": save(tensors)}))
    assert err.value.key == "train.checkpoint.error.shape"
    assert "layers.0.weight" in err.value.text("en")


def test_tampered_spec_no_longer_matches_the_weights() -> None:
    _, raw = _saved()
    spec = json.loads(_entry(raw, "spec.json"))
    spec_text = json.dumps(spec).replace('"out_channels": 8', '"out_channels": 9', 1)
    assert spec_text != json.dumps(spec)
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(_rewrite(raw, **{"spec.json": spec_text.encode()}))
    assert err.value.key == "train.checkpoint.error.shape"


def test_missing_or_extra_tensors_and_wrong_dtype_are_rejected() -> None:
    _, raw = _saved()
    tensors = load(_entry(raw, "weights.safetensors"))
    fewer = {k: v for k, v in tensors.items() if k != "layers.0.bias"}
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(_rewrite(raw, **{"weights.safetensors": save(fewer)}))
    assert err.value.key == "train.checkpoint.error.names"
    doubled = {**tensors, "layers.0.weight": tensors["layers.0.weight"].double()}
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(_rewrite(raw, **{"weights.safetensors": save(doubled)}))
    assert err.value.key == "train.checkpoint.error.shape"


class _Exploit:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("pickle code ran",))


def test_pickles_and_garbage_are_never_loaded(capsys: pytest.CaptureFixture[str]) -> None:
    _, raw = _saved()
    pickled = pickle.dumps({"layers.0.weight": _Exploit()})
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(_rewrite(raw, **{"weights.safetensors": pickled}))
    assert err.value.key == "train.checkpoint.error.weights"
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(_rewrite(raw, **{"evil.pkl": pickled}))
    assert err.value.key == "train.checkpoint.error.entries"
    torch_file = io.BytesIO()
    torch.save(build_model(get_preset("tiny")).state_dict(), torch_file)
    with pytest.raises(CheckpointError):
        load_checkpoint(torch_file.getvalue())  # a torch.save file is a zip with other entries
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(b"garbage")
    assert err.value.key == "train.checkpoint.error.not_zip"
    assert "pickle code ran" not in capsys.readouterr().out


def test_bad_meta_version_and_spec_are_rejected() -> None:
    _, raw = _saved()
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(_rewrite(raw, **{"meta.json": b"{not json"}))
    assert err.value.key == "train.checkpoint.error.meta"
    meta = json.loads(_entry(raw, "meta.json"))
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(
            _rewrite(raw, **{"meta.json": json.dumps({**meta, "version": 99}).encode()})
        )
    assert err.value.key == "train.checkpoint.error.version"
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(_rewrite(raw, **{"meta.json": json.dumps({**meta, "std": [0]}).encode()}))
    assert err.value.key == "train.checkpoint.error.norm_value"
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(_rewrite(raw, **{"meta.json": json.dumps({**meta, "std": "x"}).encode()}))
    assert err.value.key == "train.checkpoint.error.meta"
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(_rewrite(raw, **{"spec.json": b'{"schema_version": 1, "layers": "x"}'}))
    assert err.value.key == "train.checkpoint.error.spec"
    assert err.value.text("zh").startswith("检查点中保存的网络无效")


def test_a_zip_bomb_entry_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import cnnviz.train.checkpoint as checkpoint

    _, raw = _saved()
    bomb = _rewrite(raw, **{"spec.json": b" " * 200_000 + _entry(raw, "spec.json")})
    monkeypatch.setattr(checkpoint, "MAX_JSON_BYTES", 100_000)
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(bomb)
    assert err.value.key == "train.checkpoint.error.too_big"
    monkeypatch.setattr(checkpoint, "MAX_CHECKPOINT_BYTES", 100)
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(raw)
    assert err.value.key == "train.checkpoint.error.too_big"
