"""What users saved with an earlier version still loads, unchanged.

The files in ``tests/fixtures/v1/`` were written by cnnviz before its package restructure (commit
79cb616): every preset as network JSON, every preset as a share token, a trained checkpoint of the
default network with its logits on a fixed input, and a run history with a Train run and a lab run.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import torch

from cnnviz.data import AugmentConfig
from cnnviz.lab import export_json, import_json
from cnnviz.net import (
    PRESETS,
    LocalResponseNormSpec,
    NetSpec,
    decode_share,
    encode_share,
    net_from_json,
    net_to_json,
)
from cnnviz.train import load_checkpoint, model_from_checkpoint

FIXTURES = Path(__file__).parent / "fixtures" / "v1"


def _as_saved(name: str) -> NetSpec:
    """The preset as v1 saved it. Since then, AlexNet's LRN layers are the paper's (PyTorch's
    alpha=5e-4, which divides alpha by the window of 5); v1 saved alpha=1e-4, and a saved copy
    keeps what it saved."""
    net = PRESETS[name]
    if name != "alexnet2012":
        return net
    layers = tuple(
        dataclasses.replace(layer, alpha=1e-4)
        if isinstance(layer, LocalResponseNormSpec)
        else layer
        for layer in net.layers
    )
    return dataclasses.replace(net, layers=layers)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_network_json_of_every_preset_loads_and_writes_back_identically(name: str) -> None:
    saved = json.loads((FIXTURES / "presets.json").read_text(encoding="utf-8"))[name]
    net = net_from_json(json.dumps(saved))
    # the same network as when the fixtures were written; its description and source texts
    # may be reworded since
    texts = {"description": "", "source": ""}
    assert dataclasses.replace(net, **texts) == dataclasses.replace(_as_saved(name), **texts)
    assert json.loads(net_to_json(net)) == saved


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_share_token_of_every_preset_decodes_and_encodes_identically(name: str) -> None:
    token = json.loads((FIXTURES / "share_tokens.json").read_text(encoding="utf-8"))[name]
    net = decode_share(token)
    # share links leave the long description and source texts out (see encode_share)
    assert net == dataclasses.replace(_as_saved(name), description="", source="")
    assert encode_share(net) == token


def test_checkpoint_loads_and_predicts_the_same_logits() -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    checkpoint = load_checkpoint((FIXTURES / "tiny_shapes.cnnviz.zip").read_bytes())
    assert checkpoint.dataset == "shapes"
    assert len(checkpoint.class_names) == 6
    assert len(checkpoint.mean) == len(checkpoint.std) == 1
    model = model_from_checkpoint(checkpoint).eval()
    shape = checkpoint.net.input_shape
    x = torch.linspace(-1, 1, steps=shape[0] * shape[1] * shape[2]).reshape(1, *shape)
    with torch.no_grad():
        logits = model(x)[0]
    torch.testing.assert_close(
        logits, torch.tensor(expected["checkpoint_logits_on_linspace"]), rtol=1e-5, atol=1e-6
    )


def test_run_history_imports_both_runs_and_exports_the_same_json() -> None:
    text = (FIXTURES / "history.json").read_text(encoding="utf-8")
    runs = import_json(text)
    assert [run.name for run in runs] == ["run 1", "lab run"]
    assert len(runs[0].epochs) == json.loads((FIXTURES / "expected.json").read_text())["epochs"]
    assert runs[0].data_cfg is not None and runs[0].data_cfg.num_samples == 300
    assert runs[1].scenario == "overfit"
    assert runs[1].lab_setup is not None and runs[1].lab_setup["dropout"] == 0.25
    assert runs[1].cfg.augment.enabled and runs[1].cfg.early_stopping
    # written back the same, plus the augmentation options added since (issue 9, item 23) at
    # their defaults, which is what an old run did
    added = {"pca_colour": 0.0, "crop_padding": 0, "ten_crop": False}
    defaults = dataclasses.asdict(AugmentConfig())
    assert {key: defaults[key] for key in added} == added
    expected = json.loads(text)
    for run in expected["runs"]:
        assert not added.keys() & run["cfg"]["augment"].keys()
        run["cfg"]["augment"].update(added)
    assert json.loads(export_json(runs)) == expected
