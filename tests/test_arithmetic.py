"""Every formula in cnnviz.net.arithmetic against real PyTorch modules, plus Dumoulin & Visin's
15 relationships ("A guide to convolution arithmetic for deep learning", 2016), one test each."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from cnnviz.net import arithmetic as ar


def _conv_out(n: int, k: int, s: int = 1, p: int | str = 0, d: int = 1) -> int:
    conv = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d, bias=False)
    with torch.no_grad():
        return int(conv(torch.zeros(1, 1, n, n)).shape[-1])


def _pool_out(n: int, k: int, s: int, p: int = 0, d: int = 1, ceil: bool = False) -> int:
    pool = nn.MaxPool2d(k, s, p, dilation=d, ceil_mode=ceil)
    return int(pool(torch.zeros(1, 1, n, n)).shape[-1])


def _transposed_out(n: int, k: int, s: int = 1, p: int = 0, op: int = 0, d: int = 1) -> int:
    conv = nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op, dilation=d)
    with torch.no_grad():
        return int(conv(torch.zeros(1, 1, n, n)).shape[-1])


# ---------------------------------------------------------------- output sizes vs PyTorch

CONV_GRID = [
    (n, k, s, p, d)
    for n, k, s, p, d in itertools.product(
        (1, 2, 5, 7, 8, 13), (1, 2, 3, 5), (1, 2, 3), (0, 1, 2), (1, 2)
    )
    if n + 2 * p >= d * (k - 1) + 1
]


@pytest.mark.parametrize(("n", "k", "s", "p", "d"), CONV_GRID)
def test_conv_output_size_matches_conv2d(n: int, k: int, s: int, p: int, d: int) -> None:
    assert ar.conv_output_size(n, k, s, p, d) == _conv_out(n, k, s, p, d)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 40),
    k=st.integers(1, 7),
    s=st.integers(1, 4),
    pb=st.integers(0, 3),
    pa=st.integers(0, 3),
    d=st.integers(1, 3),
)
def test_conv_output_size_asym_matches_explicit_padding(
    n: int, k: int, s: int, pb: int, pa: int, d: int
) -> None:
    if n + pb + pa < d * (k - 1) + 1:
        assert ar.conv_output_size_asym(n, k, s, pb, pa, d) <= 0
        return
    x = nn.functional.pad(torch.zeros(1, 1, n, n), (pb, pa, pb, pa))
    expected = nn.functional.conv2d(x, torch.zeros(1, 1, k, k), stride=s, dilation=d).shape[-1]
    assert ar.conv_output_size_asym(n, k, s, pb, pa, d) == expected
    assert ar.conv_output_formula_asym(n, k, s, pb, pa, d).endswith(f"= {expected}")
    # the unreached rows are exactly what the padded input has beyond the last window
    last_window_end = (expected - 1) * s + d * (k - 1) + 1
    assert ar.unreached_asym(n, k, s, pb, pa, d) == n + pb + pa - last_window_end


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 40), k=st.integers(1, 7), s=st.integers(1, 4), d=st.integers(1, 3))
def test_conv_output_size_hypothesis(n: int, k: int, s: int, d: int) -> None:
    p = k // 2
    if n + 2 * p < d * (k - 1) + 1:
        assert ar.conv_output_size(n, k, s, p, d) <= 0
        with pytest.raises(RuntimeError):
            _conv_out(n, k, s, p, d)
    else:
        assert ar.conv_output_size(n, k, s, p, d) == _conv_out(n, k, s, p, d)


@pytest.mark.parametrize("ceil", [False, True])
@pytest.mark.parametrize(
    ("n", "k", "s", "p", "d"),
    [
        (n, k, s, p, d)
        for n, k, s, p, d in itertools.product(
            (2, 5, 6, 7, 13, 27, 55), (1, 2, 3), (1, 2, 3), (0, 1), (1, 2)
        )
        if p <= k // 2 and n + 2 * p >= d * (k - 1) + 1
    ],
)
def test_pool_output_size_matches_maxpool_and_ceil_mode(
    n: int, k: int, s: int, p: int, d: int, ceil: bool
) -> None:
    assert ar.pool_output_size(n, k, s, p, d, ceil) == _pool_out(n, k, s, p, d, ceil)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 30), k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 2))
def test_avg_pool_output_size_hypothesis(n: int, k: int, s: int, p: int) -> None:
    if p > k // 2 or n + 2 * p < k:
        return
    for ceil in (False, True):
        pool = nn.AvgPool2d(k, s, p, ceil_mode=ceil)
        assert (
            ar.pool_output_size(n, k, s, p, ceil_mode=ceil)
            == pool(torch.zeros(1, 1, n, n)).shape[-1]
        )


def test_pool_default_stride_is_the_kernel() -> None:
    assert ar.pool_output_size(24, 2) == 12 == _pool_out(24, 2, 2)
    assert ar.pool_output_size(9, 2) == 4  # floor: the 9th row is dropped


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 12),
    k=st.integers(1, 5),
    s=st.integers(1, 4),
    p=st.integers(0, 3),
    d=st.integers(1, 3),
    op=st.integers(0, 3),
)
def test_transposed_output_size_matches_convtranspose2d(
    n: int, k: int, s: int, p: int, d: int, op: int
) -> None:
    if op >= max(s, d) or ar.transposed_output_size(n, k, s, p, op, d) < 1:
        return  # PyTorch: output_padding must be smaller than stride or dilation
    assert ar.transposed_output_size(n, k, s, p, op, d) == _transposed_out(n, k, s, p, op, d)
    assert ar.transposed_output_formula(n, k, s, p, op, d).endswith(
        f"= {_transposed_out(n, k, s, p, op, d)}"
    )


def test_zero_inserted_size() -> None:
    """A stride-s transposed conv spreads n inputs to (n-1)s + 1 positions."""
    x = torch.zeros(1, 1, 1, 4)
    weight = torch.zeros(1, 1, 1, 1)
    spread = nn.functional.conv_transpose2d(x, weight, stride=(1, 3)).shape[-1]
    assert ar.zero_inserted_size(4, 3) == spread == 10
    assert ar.zero_inserted_formula(4, 2) == "(4-1)*2 + 1 = 7"


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
@pytest.mark.parametrize(("k", "d"), list(itertools.product(range(1, 8), (1, 2, 3))))
def test_same_padding_matches_pytorch_same(k: int, d: int) -> None:
    before, after = ar.same_padding(k, d)
    assert before + after == d * (k - 1)
    x = torch.randn(1, 1, 11, 11)
    weight = torch.randn(1, 1, k, k)
    same = nn.functional.conv2d(x, weight, padding="same", dilation=d)
    explicit = nn.functional.conv2d(
        nn.functional.pad(x, (before, after, before, after)), weight, dilation=d
    )
    assert same.shape[-2:] == (11, 11)
    assert torch.allclose(same, explicit, atol=1e-5)  # the extra row/col goes after


def test_unreached_counts_rows_no_window_covers() -> None:
    assert ar.unreached(9, 2, 2) == 1  # 9 pooled by 2: row 9 unused
    assert ar.unreached(28, 2, 2) == 0
    assert ar.unreached(227, 11, 4) == 0  # AlexNet conv1 tiles exactly
    assert ar.unreached(224, 11, 4) == 1  # ... which is why 224 is the wrong input size
    assert ar.unreached(13, 3, 2) == 0
    assert ar.unreached(2, 5, 1) == 0  # no window at all: nothing to report here


def test_effective_kernel() -> None:
    assert ar.effective_kernel(3, 1) == 3
    assert ar.effective_kernel(3, 2) == 5
    assert ar.effective_kernel(5, 3) == 13


# ---------------------------------------------------------------- parameters and mult-adds


@pytest.mark.parametrize(
    ("cin", "cout", "kernel", "groups", "bias"),
    [
        (1, 6, (5, 5), 1, True),
        (96, 256, (5, 5), 2, True),
        (3, 8, (3, 5), 1, False),
        (16, 16, (3, 3), 16, True),  # depthwise
        (8, 4, (1, 1), 4, False),
    ],
)
def test_conv_params_and_mult_adds(
    cin: int, cout: int, kernel: tuple[int, int], groups: int, bias: bool
) -> None:
    conv = nn.Conv2d(cin, cout, kernel, groups=groups, bias=bias)
    assert ar.conv_params(cin, cout, kernel, groups, bias) == sum(
        p.numel() for p in conv.parameters()
    )
    from torch.utils.flop_counter import FlopCounterMode

    x = torch.zeros(1, cin, 9, 11)
    with FlopCounterMode(display=False) as counter:
        out = conv(x)
    assert ar.conv_mult_adds(cin, cout, kernel, tuple(out.shape[-2:]), groups) == (
        counter.get_total_flops() // 2
    )


def test_conv_params_formula() -> None:
    assert ar.conv_params_formula(1, 6, (5, 5)) == "6 * (1*5*5) + 6 = 156"
    assert ar.conv_params_formula(96, 256, (5, 5), 2) == "256 * (96/2*5*5) + 256 = 307456"
    assert ar.conv_params_formula(16, 32, (3, 3), bias=False) == "32 * (16*3*3) = 4608"


@pytest.mark.parametrize(
    ("fin", "fout", "bias"), [(400, 120, True), (9216, 4096, True), (7, 3, False)]
)
def test_linear_params(fin: int, fout: int, bias: bool) -> None:
    layer = nn.Linear(fin, fout, bias=bias)
    assert ar.linear_params(fin, fout, bias) == sum(p.numel() for p in layer.parameters())
    expected = f"{fin} * {fout}{f' + {fout}' if bias else ''} = {ar.linear_params(fin, fout, bias)}"
    assert ar.linear_params_formula(fin, fout, bias) == expected


# ---------------------------------------------------------------- formula strings


def test_formula_strings_fill_in_the_numbers() -> None:
    # dilation 1: the familiar floor((n + 2p - k) / s) + 1
    assert ar.conv_output_formula(28, 5) == "floor((28 + 2*0 - 5) / 1) + 1 = 24"
    assert ar.conv_output_formula(227, 11, 4) == "floor((227 + 2*0 - 11) / 4) + 1 = 55"
    assert ar.pool_output_formula(24, 2, 2) == "floor((24 + 2*0 - 2) / 2) + 1 = 12"
    assert ar.transposed_output_formula(4, 3, 2, 1, 1) == "(4-1)*2 - 2*1 + 3 + 1 = 8"
    assert ar.conv_output_formula_asym(5, 3, 2, 1, 2) == "floor((5 + 1 + 2 - 3) / 2) + 1 = 3"
    assert ar.conv_output_formula_asym(5, 3, 1, 1, 1) == ar.conv_output_formula(5, 3, 1, 1)
    # the general (dilated) form, one click away on the pages, and always when d > 1
    assert (
        ar.conv_output_formula(28, 5, general=True)
        == "floor((28 + 2*0 - 1*(5-1) - 1) / 1) + 1 = 24"
    )
    assert ar.conv_output_formula(28, 3, 1, 0, 2) == "floor((28 + 2*0 - 2*(3-1) - 1) / 1) + 1 = 24"
    assert ar.pool_output_formula(24, 2, 2, general=True) == (
        "floor((24 + 2*0 - 1*(2-1) - 1) / 2) + 1 = 12"
    )
    assert ar.transposed_output_formula(4, 3, 2, 1, 1, general=True) == (
        "(4-1)*2 - 2*1 + 1*(3-1) + 1 + 1 = 8"
    )
    assert ar.transposed_output_formula(4, 3, 2, 1, 1, 2) == "(4-1)*2 - 2*1 + 2*(3-1) + 1 + 1 = 10"


def _evaluate(formula: str) -> tuple[int, int]:
    """(value of the left side, the stated result) of a filled-in formula string."""
    left, right = formula.rsplit(" = ", 1)
    value = eval(left, {"__builtins__": {}, "floor": math.floor})  # our own digits and + - * / ( )
    return int(value), int(right)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 40),
    k=st.integers(1, 7),
    s=st.integers(1, 4),
    pb=st.integers(0, 3),
    pa=st.integers(0, 3),
    d=st.integers(1, 3),
    general=st.booleans(),
)
def test_every_written_formula_computes_what_pytorch_gives(
    n: int, k: int, s: int, pb: int, pa: int, d: int, general: bool
) -> None:
    """Familiar or general, the numbers written in a formula compute its stated result, and that
    result is PyTorch's output size."""
    if n + pb + pa < d * (k - 1) + 1:
        return
    x = nn.functional.pad(torch.zeros(1, 1, n, n), (pb, pa, pb, pa))
    expected = nn.functional.conv2d(x, torch.zeros(1, 1, k, k), stride=s, dilation=d).shape[-1]
    formula = ar.conv_output_formula_asym(n, k, s, pb, pa, d, general)
    assert _evaluate(formula) == (expected, expected)
    assert ("*(" in formula) == (general or d > 1)  # the dilated form only when asked or needed
    if n >= k:
        pooled = nn.functional.max_pool2d(torch.zeros(1, 1, n, n), k, s, 0).shape[-1]
        assert _evaluate(ar.pool_output_formula(n, k, s, 0, general)) == (pooled, pooled)
    op = 0 if s == 1 and d == 1 else min(s, d) - 1
    if ar.transposed_output_size(n, k, s, pb, op, d) >= 1:
        out = _transposed_out(n, k, s, pb, op, d)
        assert _evaluate(ar.transposed_output_formula(n, k, s, pb, op, d, general)) == (out, out)


# ---------------------------------------------------------------- receptive fields


def _receptive_field(layers: list[tuple[int, int, int]]) -> list[int]:
    rf, jump, out = 1, 1, []
    for k, s, d in layers:
        rf, jump = ar.receptive_field_step(rf, jump, k, s, d)
        out.append(rf)
    return out


def test_receptive_field_of_known_stacks() -> None:
    # two 3x3 convs see 5x5; a 2x2 pool then adds 1 more input pixel; the next 3x3 adds 2 x 2
    assert _receptive_field([(3, 1, 1), (3, 1, 1), (2, 2, 1), (3, 1, 1)]) == [3, 5, 6, 10]
    # three 3x3 convs = one 7x7 (the VGG argument)
    assert _receptive_field([(3, 1, 1)] * 3) == [3, 5, 7]
    # dilation 2 makes one 3x3 see 5x5
    assert _receptive_field([(3, 1, 2)]) == [5]
    # AlexNet's conv/pool stack ends at 195 pixels
    alexnet = [
        (11, 4, 1),
        (3, 2, 1),
        (5, 1, 1),
        (3, 2, 1),
        (3, 1, 1),
        (3, 1, 1),
        (3, 1, 1),
        (3, 2, 1),
    ]
    assert _receptive_field(alexnet)[-1] == 195
    assert ar.receptive_field_step(5, 2, 3, 2) == (9, 4)


# ---------------------------------------------------------------- Dumoulin & Visin, relationships 1-15


def test_relationship_01_no_padding_unit_strides() -> None:
    """Relationship 1: s = 1, p = 0: o = (i - k) + 1."""
    for i, k in itertools.product(range(3, 10), range(1, 4)):
        assert ar.conv_output_size(i, k) == (i - k) + 1 == _conv_out(i, k)


def test_relationship_02_zero_padding_unit_strides() -> None:
    """Relationship 2: s = 1: o = (i - k) + 2p + 1."""
    for i, k, p in itertools.product(range(3, 9), range(1, 4), range(0, 3)):
        assert ar.conv_output_size(i, k, 1, p) == (i - k) + 2 * p + 1 == _conv_out(i, k, 1, p)


def test_relationship_03_half_padding() -> None:
    """Relationship 3 (half or "same" padding): k = 2n + 1, s = 1, p = floor(k/2): o = i."""
    for i, k in itertools.product(range(3, 9), (1, 3, 5, 7)):
        p = k // 2
        assert ar.conv_output_size(i, k, 1, p) == i == _conv_out(i, k, 1, p)
        assert ar.same_padding(k) == (p, p)


def test_relationship_04_full_padding() -> None:
    """Relationship 4 (full padding): s = 1, p = k - 1: o = i + (k - 1)."""
    for i, k in itertools.product(range(2, 8), range(1, 5)):
        p = k - 1
        assert ar.conv_output_size(i, k, 1, p) == i + (k - 1) == _conv_out(i, k, 1, p)


def test_relationship_05_no_padding_non_unit_strides() -> None:
    """Relationship 5: p = 0: o = floor((i - k) / s) + 1."""
    for i, k, s in itertools.product(range(3, 12), range(1, 4), range(2, 4)):
        assert ar.conv_output_size(i, k, s) == (i - k) // s + 1 == _conv_out(i, k, s)


def test_relationship_06_zero_padding_non_unit_strides() -> None:
    """Relationship 6 (the general case): o = floor((i + 2p - k) / s) + 1."""
    for i, k, s, p in itertools.product(range(3, 10), range(1, 4), range(2, 4), range(0, 3)):
        expected = (i + 2 * p - k) // s + 1
        assert ar.conv_output_size(i, k, s, p) == expected == _conv_out(i, k, s, p)


def test_relationship_07_pooling() -> None:
    """Relationship 7 (pooling): o = floor((i - k) / s) + 1."""
    for i, k, s in itertools.product(range(3, 12), range(1, 4), range(1, 4)):
        expected = (i - k) // s + 1
        assert ar.pool_output_size(i, k, s) == expected == _pool_out(i, k, s)
        assert nn.AvgPool2d(k, s)(torch.zeros(1, 1, i, i)).shape[-1] == expected


def test_relationship_08_transposed_no_padding_unit_strides() -> None:
    """Relationship 8: the transpose of (k, s = 1, p = 0) is a conv with k' = k, s' = s,
    p' = k - 1 on i' = o: o' = i' + (k - 1)."""
    for i_prime, k in itertools.product(range(2, 8), range(1, 5)):
        expected = i_prime + (k - 1)
        assert ar.transposed_output_size(i_prime, k) == expected == _transposed_out(i_prime, k)
        assert ar.conv_output_size(i_prime, k, 1, k - 1) == expected  # the equivalent direct conv


def test_relationship_09_transposed_zero_padding_unit_strides() -> None:
    """Relationship 9: the transpose of (k, s = 1, p) has p' = k - p - 1: o' = i' + (k - 1) - 2p."""
    for i_prime, k, p in itertools.product(range(3, 8), range(2, 5), range(0, 2)):
        if p > k - 1:
            continue
        expected = i_prime + (k - 1) - 2 * p
        assert ar.transposed_output_size(i_prime, k, 1, p) == expected
        assert _transposed_out(i_prime, k, 1, p) == expected
        assert ar.conv_output_size(i_prime, k, 1, k - p - 1) == expected


def test_relationship_10_transposed_half_padding() -> None:
    """Relationship 10: k = 2n + 1, s = 1, p = n: o' = i' (half padding is its own transpose)."""
    for i_prime, n in itertools.product(range(2, 9), range(0, 3)):
        k = 2 * n + 1
        assert (
            ar.transposed_output_size(i_prime, k, 1, n)
            == i_prime
            == _transposed_out(i_prime, k, 1, n)
        )


def test_relationship_11_transposed_full_padding() -> None:
    """Relationship 11: the transpose of (k, s = 1, p = k - 1) is a conv with p' = 0:
    o' = i' - (k - 1)."""
    for i_prime, k in itertools.product(range(5, 10), range(1, 5)):
        expected = i_prime - (k - 1)
        assert ar.transposed_output_size(i_prime, k, 1, k - 1) == expected
        assert _transposed_out(i_prime, k, 1, k - 1) == expected


def test_relationship_12_transposed_no_padding_non_unit_strides() -> None:
    """Relationship 12: the transpose of (k, s, p = 0) with s dividing i - k: o' = s(i' - 1) + k."""
    for i, k, s in itertools.product(range(3, 12), range(1, 4), range(2, 4)):
        if (i - k) % s:
            continue
        i_prime = ar.conv_output_size(i, k, s)
        assert ar.transposed_output_size(i_prime, k, s) == s * (i_prime - 1) + k == i
        assert _transposed_out(i_prime, k, s) == i


def test_relationship_13_transposed_zero_padding_non_unit_strides() -> None:
    """Relationship 13: the transpose of (k, s, p) with s dividing i + 2p - k:
    o' = s(i' - 1) + k - 2p."""
    for i, k, s, p in itertools.product(range(3, 12), range(2, 5), range(2, 4), range(1, 3)):
        if (i + 2 * p - k) % s or p > k - 1:
            continue
        i_prime = ar.conv_output_size(i, k, s, p)
        expected = s * (i_prime - 1) + k - 2 * p
        assert expected == i
        assert ar.transposed_output_size(i_prime, k, s, p) == expected
        assert _transposed_out(i_prime, k, s, p) == expected


def test_relationship_14_transposed_non_multiple() -> None:
    """Relationship 14: with a = (i + 2p - k) mod s, the transpose recovers i with a extra rows
    (PyTorch's output_padding = a): o' = s(i' - 1) + a + k - 2p."""
    seen_nonzero = False
    for i, k, s, p in itertools.product(range(4, 12), range(2, 5), range(2, 4), range(0, 2)):
        a = (i + 2 * p - k) % s
        if p > k - 1:
            continue
        seen_nonzero |= a > 0
        i_prime = ar.conv_output_size(i, k, s, p)
        assert a == ar.unreached(i, k, s, p)
        expected = s * (i_prime - 1) + a + k - 2 * p
        assert expected == i
        assert ar.transposed_output_size(i_prime, k, s, p, output_padding=a) == expected
        assert _transposed_out(i_prime, k, s, p, op=a) == expected
    assert seen_nonzero


def test_relationship_15_dilated() -> None:
    """Relationship 15 (dilated convolution): o = floor((i + 2p - k - (k - 1)(d - 1)) / s) + 1."""
    for i, k, s, p, d in itertools.product(
        range(7, 14), range(2, 4), range(1, 3), range(0, 2), range(1, 4)
    ):
        expected = (i + 2 * p - k - (k - 1) * (d - 1)) // s + 1
        if expected < 1:
            continue
        assert ar.conv_output_size(i, k, s, p, d) == expected == _conv_out(i, k, s, p, d)


def _torch_dropped(n: int, k: int, s: int, pb: int, pa: int, d: int) -> int:
    """Real input rows after the end of PyTorch's last window: torch gives the number of
    windows on the padded input, the last one ends at padded index ``(out - 1) s + d (k - 1)``,
    and the real rows end at ``pb + n - 1``."""
    out = _conv_out(n + pb + pa, k, s, 0, d)
    last_end = (out - 1) * s + d * (k - 1)
    return max(0, pb + n - 1 - last_end)


def test_dropped_pixels_counts_real_rows_only_against_pytorch() -> None:
    """Issue 9, item 11: an unreached row of zero padding is not a lost pixel."""
    checked = 0
    for n, k, s, pb, d in itertools.product(
        range(5, 14), range(1, 5), range(1, 4), range(3), (1, 2)
    ):
        for pa in {pb, pb + 1}:
            if d * (k - 1) + 1 > n + pb + pa or pb >= d * (k - 1) + 1:
                continue
            assert ar.dropped_pixels(n, k, s, pb, pa, d) == _torch_dropped(n, k, s, pb, pa, d)
            checked += 1
    assert checked > 500
    # ResNet's stem on 32x32: 3x3 conv stride 2 padding 1, max pool 3/2/1: only padding unreached
    assert ar.unreached(32, 3, 2, 1) == 1 and ar.dropped_pixels(32, 3, 2, 1, 1) == 0
    # the same layers without padding lose one real row
    assert ar.dropped_pixels(32, 3, 2, 0, 0) == 1
