"""Issue 9, item 21: the Chinese wording list, and the English facts of items 15-19, kept."""

from __future__ import annotations

import re

import pytest

from cnnviz.i18n import CATALOG

ZH = {key: value["zh"] for key, value in CATALOG.items()}
EN = {key: value["en"] for key, value in CATALOG.items()}


def _outside_code(text: str) -> str:
    """``text`` without its `code` spans (parameter names such as `padding=1` stay English)."""
    return re.sub(r"`[^`]*`", "", text)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("一次一个乘法地逐步演示", "逐个乘法地演示"),
        ("斜边", "纵深边"),
        ("治疗实验 1", "治好实验 1 的过拟合"),
        ("看见 L1 / L2", "L1/L2 可视化"),
        ("成员 种子 {seed}", "成员(种子 {seed})"),
        ("每隔三分之一训练", "每训练三分之一"),
        ("提前停止", "早停"),
        ("投影捷径", "投影快捷连接"),
    ],
)
def test_chinese_wording(old: str, new: str) -> None:
    assert not [key for key, text in ZH.items() if old in text]
    assert [key for key, text in ZH.items() if new in text]


def test_one_chinese_term_each() -> None:
    texts = list(ZH.values())
    assert not any("滑动统计量" in t for t in texts) and any("滑动平均统计量" in t for t in texts)
    assert not any("参数个数" in t for t in texts)  # 参数量 only
    assert not any("随机失活" in t for t in texts)  # Dropout only, as the source articles write
    lower = [
        key for key, t in ZH.items() if re.search(r"(?<![\w.])dropout(?![\w(=])", _outside_code(t))
    ]
    assert not lower, lower


def test_chinese_errors_use_the_widgets_terms_for_padding_and_stride() -> None:
    """The widgets say 填充/步幅: so do the messages (`code` and parameter names aside)."""
    found = [
        key
        for key, text in ZH.items()
        if re.search(r"(?<![\w_{])(padding|stride)(?![\w_=}])", _outside_code(text))
    ]
    assert not found, found


def test_english_facts_of_items_15_to_19() -> None:
    assert "sum of squared weights to the loss" not in EN["lab.remedy.weight_decay.why"]
    assert (
        "AdamW" in EN["lab.remedy.weight_decay"]
        and "(1 − lr × 0.05)" in EN["lab.remedy.weight_decay.why"]
    )
    assert "this is why AdamW exists" not in EN["lab.reg.setup"]
    assert "Loshchilov" in EN["lab.reg.setup"] and "regularised less" in EN["lab.reg.setup"]
    assert "symmetry" not in EN["train.hp.init_help"] + EN["train.init.zeros"]
    assert "nothing can learn" in EN["train.init.zeros"]
    assert (
        "double descent" not in EN["lab.sweep.after_flat"]
        and "双下降" not in ZH["lab.sweep.after_flat"]
    )
    assert "pulled toward 0" in EN["pool.padding_note_avg"]
    assert "(stride − 1) zeros" in EN["conv.transposed_explain"]
    assert "after each third of the run" in EN["train.schedule.step"]
