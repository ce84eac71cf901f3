"""The seed-003 worked example: every intermediate against a real PyTorch network, and the mistakes."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from cnnviz.i18n import CATALOG
from cnnviz.lessons import ARTICLE_CONV1_FIRST_PASS, ARTICLE_LOGITS, DENSE_WEIGHT, run_walkthrough

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def torch_intermediates() -> dict[str, np.ndarray]:
    """The article's network, built from real nn modules with its stated weights."""
    conv1 = nn.Conv2d(1, 1, 3, padding="same", bias=False).double()
    conv2 = nn.Conv2d(1, 1, 3, padding="same", bias=False).double()
    dense = nn.Linear(1, 3).double()
    with torch.no_grad():
        conv1.weight.copy_(torch.tensor([[1.0, 0, -1]] * 3)[None, None])
        conv2.weight.copy_(torch.tensor([[1.0, 1, 1], [0, 0, 0], [-1, -1, -1]])[None, None])
        dense.weight.copy_(torch.tensor(DENSE_WEIGHT))
        dense.bias.zero_()
    x = torch.tensor(
        [[0, 1, 2, 1, 0], [1, 2, 3, 2, 1], [2, 3, 4, 3, 2], [1, 2, 3, 2, 1], [0, 1, 2, 1, 0]],
        dtype=torch.float64,
    )[None, None]
    out: dict[str, np.ndarray] = {}
    with torch.no_grad():
        h = conv1(x)
        out["conv1"] = h
        h = torch.relu(h)
        out["relu1"] = h
        h = nn.MaxPool2d(2)(h)
        out["pool1"] = h
        h = conv2(h)
        out["conv2"] = h
        h = torch.relu(h)
        out["relu2"] = h
        h = nn.MaxPool2d(2)(h)
        out["pool2"] = h
        h = nn.Flatten()(h)
        out["flat"] = h
        h = dense(h)
        out["logits"] = h
        out["probabilities"] = torch.softmax(h, dim=1)
    # drop the batch axis, and the channel axis of the (1, 1, H, W) maps
    return {k: (v[0, 0] if v.ndim == 4 else v[0]).numpy() for k, v in out.items()}


@pytest.mark.parametrize(
    "name",
    ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flat", "logits", "probabilities"],
)
def test_every_intermediate_matches_pytorch(
    name: str, torch_intermediates: dict[str, np.ndarray]
) -> None:
    ours = getattr(run_walkthrough(), name)
    expected = torch_intermediates[name]
    assert ours.shape == expected.shape, name
    np.testing.assert_allclose(ours, expected, atol=1e-12)


def test_known_values() -> None:
    walk = run_walkthrough()
    assert walk.conv1.tolist() == [
        [-3, -4, 0, 4, 3],
        [-6, -6, 0, 6, 6],
        [-7, -6, 0, 6, 7],
        [-6, -6, 0, 6, 6],
        [-3, -4, 0, 4, 3],
    ]
    assert walk.pool1.tolist() == [[0, 6], [0, 6]]
    assert walk.conv2.tolist() == [[-6, -6], [6, 6]]
    assert walk.pool2.tolist() == [[6]]
    assert walk.padded1.shape == (7, 7) and walk.padded2.shape == (4, 4)
    np.testing.assert_allclose(walk.probabilities, [0.2726888, 0.0000496467, 0.7272616], atol=1e-6)
    assert walk.predicted == 2
    assert walk.dropped_by_pool1 == (1, 1)  # 5x5 -> 2x2: row 4 and column 4 (with the 7) are lost


def test_article_mistakes_are_exactly_the_wrong_numbers() -> None:
    walk = run_walkthrough()
    conv_mistakes = {m.where: (m.article, m.correct) for m in walk.mistakes if m.stage == "conv1"}
    assert conv_mistakes == {
        "(0, 1)": ("-5", "-4"),
        "(1, 4)": ("5", "6"),
        "(2, 0)": ("-9", "-7"),
        "(2, 1)": ("-4", "-6"),
        "(2, 2)": ("2", "0"),
        "(2, 4)": ("6", "7"),
    }
    # every other first-pass value is right
    for (i, j), said in ARTICLE_CONV1_FIRST_PASS.items():
        if f"({i}, {j})" not in conv_mistakes:
            assert walk.conv1[i, j] == said
    softmax = [m for m in walk.mistakes if m.stage == "probabilities"]
    assert len(softmax) == 1
    assert softmax[0].article.startswith("[0.52099") and "-0.114" in softmax[0].article
    assert softmax[0].correct.startswith("[0.272689")
    for mistake in walk.mistakes:
        assert mistake.note in CATALOG


def test_checks() -> None:
    checks = {c.key: c.passed for c in run_walkthrough().checks}
    assert checks == {
        "probs_positive": True,
        "probs_sum": True,
        "order_kept": True,
        "same_size": True,
        "article_probs_positive": False,  # the article has a negative "probability"
        "article_map_right": True,  # its final conv-1 map (second pass) is right
        "article_logits_right": True,
    }
    for check in run_walkthrough().checks:
        assert f"walk.check.{check.key}" in CATALOG


def test_article_logits_are_the_dense_layer_times_six() -> None:
    walk = run_walkthrough()
    np.testing.assert_allclose(walk.logits, ARTICLE_LOGITS, atol=1e-6)
    np.testing.assert_allclose(walk.logits, 6 * DENSE_WEIGHT[:, 0])


def test_stages_carry_formulas_and_catalog_names() -> None:
    walk = run_walkthrough()
    formulas = {s.key: s.formula for s in walk.stages}
    assert formulas["conv1"].endswith("= 5")
    assert formulas["pool1"] == "floor((5 + 2*0 - 2) / 2) + 1 = 2"
    assert formulas["pool2"].endswith("= 1")
    assert formulas["logits"] == "1 * 3 + 3 = 6"
    for stage in walk.stages:
        assert f"walk.stage.{stage.key}" in CATALOG


def test_the_alexnet_articles_counts_against_pytorch() -> None:
    """Issue 9, item 20: the article 「卷积神经网络 (AlexNet)」 gets conv1 and the output layer
    wrong (it drops their biases) and orders conv1/conv2 conv -> ReLU -> pool -> LRN."""
    from torch import nn

    from cnnviz.lessons import ARTICLE_BLOCK_ORDER, article_checks, block_order

    checks = {c.layer: c for c in article_checks()}
    assert [name for name, c in checks.items() if not c.ok] == ["conv1", "output"]
    assert checks["conv1"].correct == sum(p.numel() for p in nn.Conv2d(3, 96, 11).parameters())
    assert checks["output"].correct == sum(p.numel() for p in nn.Linear(4096, 1000).parameters())
    assert (checks["conv1"].missing, checks["output"].missing) == (96, 1000)  # the biases
    assert checks["conv1"].formula == "96 * (3*11*11) + 96 = 34944"
    assert sum(c.correct for c in checks.values()) == 60_965_224  # the preset's total
    assert ARTICLE_BLOCK_ORDER == ("conv", "relu", "pool", "lrn")
    assert block_order(block=1) == block_order(block=2) == ("conv", "relu", "lrn", "pool")
