"""Convolution arithmetic: output sizes, padding, receptive fields, parameter counts.

One source of truth for every formula in the app: the Build page, the steppers, the builder and the
tests all call these functions. Each ``*_formula`` function returns the formula with the user's
numbers filled in. With dilation 1 it is the familiar form, ``floor((28 + 2*0 - 5) / 1) + 1 = 24``
(``floor((n + 2p - k) / s) + 1``); ``general=True``, or any dilation above 1, gives the general
dilated form ``floor((28 + 2*0 - 1*(5-1) - 1) / 1) + 1 = 24`` (``floor((n + 2p - d(k-1) - 1)/s) + 1``),
which the pages keep one click away.

Reference: Dumoulin & Visin, "A guide to convolution arithmetic for deep learning" (2016), and the
shape formulas in the PyTorch docs of ``nn.Conv2d``, ``nn.MaxPool2d``, ``nn.ConvTranspose2d``.
Lessons: "Build a CNN", "Convolution stepper", "Pooling stepper".
"""

from __future__ import annotations

__all__ = [
    "conv_mult_adds",
    "conv_output_formula",
    "conv_output_formula_asym",
    "conv_output_size",
    "conv_output_size_asym",
    "conv_params",
    "conv_params_formula",
    "dropped_pixels",
    "effective_kernel",
    "linear_params",
    "linear_params_formula",
    "pool_output_formula",
    "pool_output_size",
    "receptive_field_step",
    "same_padding",
    "transposed_output_formula",
    "transposed_output_size",
    "unreached",
    "unreached_asym",
    "zero_inserted_formula",
    "zero_inserted_size",
]


def effective_kernel(kernel_size: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: ``d*(k-1) + 1``."""
    return dilation * (kernel_size - 1) + 1


def conv_output_size(
    n: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> int:
    """``floor((n + 2p - d(k-1) - 1) / s) + 1``; may be <= 0 when the kernel does not fit."""
    return (n + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1


def conv_output_size_asym(
    n: int, kernel_size: int, stride: int, pad_before: int, pad_after: int, dilation: int = 1
) -> int:
    """Output size with different padding before/after: ``floor((n + pb + pa - d(k-1) - 1)/s) + 1``."""
    return (n + pad_before + pad_after - dilation * (kernel_size - 1) - 1) // stride + 1


def unreached(n: int, kernel_size: int, stride: int, padding: int = 0, dilation: int = 1) -> int:
    """Rows/columns at the end of the padded input that no window covers (floor truncation).

    ``(n + 2p - d(k-1) - 1) mod s``; zero when the windows tile the padded input exactly.
    """
    span = n + 2 * padding - dilation * (kernel_size - 1) - 1
    return span % stride if span >= 0 else 0


def dropped_pixels(
    n: int, kernel_size: int, stride: int, pad_before: int, pad_after: int, dilation: int = 1
) -> int:
    """Real input rows/columns (not padding) at the end that no window covers: what floor
    truncation loses. ``max(0, span mod s - pad_after)`` with ``span = n + pb + pa - d(k-1) - 1``:
    the unreached rows of the padded input (:func:`unreached_asym`) minus the zero padding among
    them. ResNet's stem (3x3 conv, stride 2, padding 1 on 32) leaves one padding row unreached
    and loses no pixel; the same conv without padding loses one."""
    return max(
        0, unreached_asym(n, kernel_size, stride, pad_before, pad_after, dilation) - pad_after
    )


def same_padding(kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """Padding (before, after) that PyTorch's ``padding="same"`` uses (stride 1).

    Total ``d*(k-1)``; when odd, the extra row/column goes after (bottom/right), as in PyTorch.
    """
    total = dilation * (kernel_size - 1)
    return total // 2, total - total // 2


def pool_output_size(
    n: int,
    kernel_size: int,
    stride: int | None = None,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Pooling output size: the conv formula, with PyTorch's ``ceil_mode`` rule."""
    stride = kernel_size if stride is None else stride
    span = n + 2 * padding - dilation * (kernel_size - 1) - 1
    if not ceil_mode:
        return span // stride + 1
    out = -(-span // stride) + 1
    # PyTorch: the last window must start inside the input or the left padding.
    if (out - 1) * stride >= n + padding:
        out -= 1
    return out


def transposed_output_size(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> int:
    """``(n - 1)s - 2p + d(k-1) + output_padding + 1`` (``nn.ConvTranspose2d``)."""
    return (n - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1


def conv_params(
    in_channels: int,
    out_channels: int,
    kernel_size: tuple[int, int],
    groups: int = 1,
    bias: bool = True,
) -> int:
    """``out * (in/groups * kh * kw) + out`` (the last term only with bias)."""
    kh, kw = kernel_size
    return out_channels * (in_channels // groups) * kh * kw + (out_channels if bias else 0)


def conv_mult_adds(
    in_channels: int,
    out_channels: int,
    kernel_size: tuple[int, int],
    output_hw: tuple[int, int],
    groups: int = 1,
) -> int:
    """Multiply-adds of a conv: every output value costs ``in/groups * kh * kw`` of them."""
    kh, kw = kernel_size
    return out_channels * output_hw[0] * output_hw[1] * (in_channels // groups) * kh * kw


def linear_params(in_features: int, out_features: int, bias: bool = True) -> int:
    """``in * out + out`` (the last term only with bias)."""
    return in_features * out_features + (out_features if bias else 0)


def receptive_field_step(
    rf: int, jump: int, kernel_size: int, stride: int, dilation: int = 1
) -> tuple[int, int]:
    """One layer of the receptive-field recurrence.

    ``r_out = r_in + (d(k-1)+1 - 1) * j_in`` and ``j_out = j_in * s``, where ``j`` is the distance in
    input pixels between neighbouring outputs. Start from ``(1, 1)`` at the input.
    """
    return rf + (effective_kernel(kernel_size, dilation) - 1) * jump, jump * stride


def _window_term(kernel_size: int, dilation: int, general: bool) -> str:
    """What the window takes off the padded size: ``k`` or, in general, ``d*(k-1) - 1``."""
    if dilation == 1 and not general:
        return f"{kernel_size}"
    return f"{dilation}*({kernel_size}-1) - 1"


def conv_output_formula(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    general: bool = False,
) -> str:
    """E.g. ``floor((28 + 2*0 - 5) / 1) + 1 = 24``; the dilated form
    ``floor((28 + 2*0 - 1*(5-1) - 1) / 1) + 1 = 24`` when ``general`` or ``dilation > 1``."""
    out = conv_output_size(n, kernel_size, stride, padding, dilation)
    window = _window_term(kernel_size, dilation, general)
    return f"floor(({n} + 2*{padding} - {window}) / {stride}) + 1 = {out}"


def pool_output_formula(
    n: int, kernel_size: int, stride: int, padding: int = 0, general: bool = False
) -> str:
    """E.g. ``floor((24 + 2*0 - 2) / 2) + 1 = 12`` (``general``: ``- 1*(2-1) - 1``)."""
    out = pool_output_size(n, kernel_size, stride, padding)
    window = _window_term(kernel_size, 1, general)
    return f"floor(({n} + 2*{padding} - {window}) / {stride}) + 1 = {out}"


def transposed_output_formula(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
    general: bool = False,
) -> str:
    """E.g. ``(4-1)*2 - 2*1 + 3 + 1 = 8`` (``(n-1)s - 2p + k + output_padding``); the dilated
    form ``(4-1)*2 - 2*1 + 1*(3-1) + 1 + 1 = 8`` when ``general`` or ``dilation > 1``."""
    out = transposed_output_size(n, kernel_size, stride, padding, output_padding, dilation)
    if dilation == 1 and not general:
        return f"({n}-1)*{stride} - 2*{padding} + {kernel_size} + {output_padding} = {out}"
    return (
        f"({n}-1)*{stride} - 2*{padding} + {dilation}*({kernel_size}-1) + {output_padding} + 1"
        f" = {out}"
    )


def conv_params_formula(
    in_channels: int,
    out_channels: int,
    kernel_size: tuple[int, int],
    groups: int = 1,
    bias: bool = True,
) -> str:
    """E.g. ``6 * (1*5*5) + 6 = 156``; with groups ``96 * (48/2... )`` is shown as ``in/groups``."""
    kh, kw = kernel_size
    per_filter = f"{in_channels}*{kh}*{kw}" if groups == 1 else f"{in_channels}/{groups}*{kh}*{kw}"
    total = conv_params(in_channels, out_channels, kernel_size, groups, bias)
    bias_term = f" + {out_channels}" if bias else ""
    return f"{out_channels} * ({per_filter}){bias_term} = {total}"


def linear_params_formula(in_features: int, out_features: int, bias: bool = True) -> str:
    """E.g. ``400 * 120 + 120 = 48120``."""
    total = linear_params(in_features, out_features, bias)
    bias_term = f" + {out_features}" if bias else ""
    return f"{in_features} * {out_features}{bias_term} = {total}"


# Added for the convolution stepper (per-side padding and transposed-conv zero insertion).


def unreached_asym(
    n: int, kernel_size: int, stride: int, pad_before: int, pad_after: int, dilation: int = 1
) -> int:
    """:func:`unreached` with different padding before/after: ``(n + pb + pa - d(k-1) - 1) mod s``."""
    span = n + pad_before + pad_after - dilation * (kernel_size - 1) - 1
    return span % stride if span >= 0 else 0


def conv_output_formula_asym(
    n: int,
    kernel_size: int,
    stride: int,
    pad_before: int,
    pad_after: int,
    dilation: int = 1,
    general: bool = False,
) -> str:
    """E.g. ``floor((5 + 1 + 2 - 3) / 2) + 1 = 3`` (padding before + after); equal padding is
    written ``2*p`` as in :func:`conv_output_formula`; ``general`` as there."""
    if pad_before == pad_after:
        return conv_output_formula(n, kernel_size, stride, pad_before, dilation, general)
    out = conv_output_size_asym(n, kernel_size, stride, pad_before, pad_after, dilation)
    window = _window_term(kernel_size, dilation, general)
    return f"floor(({n} + {pad_before} + {pad_after} - {window}) / {stride}) + 1 = {out}"


def zero_inserted_size(n: int, stride: int) -> int:
    """A transposed conv first puts ``s - 1`` zeros between inputs: ``(n - 1)s + 1`` values."""
    return (n - 1) * stride + 1


def zero_inserted_formula(n: int, stride: int) -> str:
    """E.g. ``(4-1)*2 + 1 = 7``."""
    return f"({n}-1)*{stride} + 1 = {zero_inserted_size(n, stride)}"
