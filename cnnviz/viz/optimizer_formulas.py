"""The step inspector's formulas as LaTeX: each line of an optimizer's update in the PyTorch
documentation's notation, then the same line with the step's numbers, then its value.

Numbers come from :class:`cnnviz.concepts.StepDetail` (the real optimizer's state and the terms
computed from it); nothing is recomputed here. Vectors are written ``(x, y)``; every
operation on them is element-wise.

Lesson: the "Optimizers" page (step inspector).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from cnnviz.concepts import StepDetail

__all__ = ["FormulaRow", "formula_rows", "latex_number"]


@dataclass(frozen=True)
class FormulaRow:
    """One line of an update: ``latex`` is "formula = numbers = value"; ``source`` says where the
    value comes from: ``state:<name>`` (``optimizer.state[theta][name]``), ``grad`` (the gradient it was given),
    ``formula`` (computed from the lines above) or ``position`` (the optimizer's new point)."""

    latex: str
    source: str


def latex_number(value: float, digits: int = 4) -> str:
    """``value`` with ``digits`` significant digits, powers of ten written ``\\times 10^{k}``."""
    if math.isnan(value):
        return r"\mathrm{NaN}"
    if math.isinf(value):
        return r"-\infty" if value < 0 else r"\infty"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def _vec(values: Sequence[float]) -> str:
    if len(values) == 1:
        return latex_number(values[0])
    return r"\left(" + r",\ ".join(latex_number(v) for v in values) + r"\right)"


def _sq(values: Sequence[float]) -> str:
    return _vec(values) + "^2"


class _Lines:
    def __init__(self, detail: StepDetail) -> None:
        self.detail = detail
        self.rows: list[FormulaRow] = []

    def v(self, name: str) -> str:
        return _vec(self.detail.term(name).values)

    def n(self, name: str) -> str:
        return latex_number(self.detail.term(name).values[0])

    def add(self, formula: str, numbers: str, value: str, source: str) -> None:
        """One aligned block: the formula, then ``= numbers``, then ``= value``."""
        lhs, _, rhs = formula.partition(" = ")
        first = f"{lhs} &= {rhs}" if rhs else f"{lhs} &= {numbers}"
        rest = [numbers, value] if rhs else [value]
        body = r" \\ ".join([first, *(f"&= {part}" for part in rest)])
        self.rows.append(FormulaRow(rf"\begin{{aligned}} {body} \end{{aligned}}", source))

    def correction(self, name: str, beta: str) -> None:
        """A bias correction ``1 - beta^t`` with the optimizer's own step count t."""
        symbol = r"\beta_1" if beta == "beta1" else r"\beta_2"
        self.add(
            f"1 - {symbol}^t", f"1 - {self.n(beta)}^{{{self.n('t')}}}", self.n(name), "formula"
        )


def formula_rows(detail: StepDetail) -> list[FormulaRow]:
    """The update of ``detail.kind`` at ``detail.step`` as LaTeX lines with the step's numbers."""
    lines = _Lines(detail)
    v, n = lines.v, lines.n
    lr = n("lr")
    before = v("theta")
    after = _vec(detail.after)
    kind = detail.kind
    if kind == "sgd":
        lines.add(
            r"\theta_t = \theta_{t-1} - \gamma\, g_t",
            f"{before} - {lr} \\cdot {v('g')}",
            after,
            "position",
        )
    elif kind in ("momentum", "nesterov"):
        if detail.step == 1:
            lines.add(r"b_1 = g_1", v("g"), v("b"), "state:momentum_buffer")
        else:
            lines.add(
                r"b_t = \mu\, b_{t-1} + (1-\tau)\, g_t",
                f"{n('mu')} \\cdot {v('b_prev')} + (1-{n('tau')}) \\cdot {v('g')}",
                v("b"),
                "state:momentum_buffer",
            )
        if kind == "nesterov":
            lines.add(
                r"g_t + \mu\, b_t",
                f"{v('g')} + {n('mu')} \\cdot {v('b')}",
                v("direction"),
                "formula",
            )
            step_term = v("direction")
            formula = r"\theta_t = \theta_{t-1} - \gamma\,(g_t + \mu\, b_t)"
        else:
            step_term = v("b")
            formula = r"\theta_t = \theta_{t-1} - \gamma\, b_t"
        lines.add(formula, f"{before} - {lr} \\cdot {step_term}", after, "position")
    elif kind == "adagrad":
        lines.add(
            r"s_t = s_{t-1} + g_t^2",
            f"{v('sum_prev')} + {_sq(detail.term('g').values)}",
            v("sum"),
            "state:sum",
        )
        lines.add(
            r"\theta_t = \theta_{t-1} - \gamma\, \frac{g_t}{\sqrt{s_t} + \varepsilon}",
            f"{before} - {n('clr')} \\cdot \\frac{{{v('g')}}}{{\\sqrt{{{v('sum')}}} + {n('eps')}}}",
            after,
            "position",
        )
    elif kind == "rmsprop":
        lines.add(
            r"v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2",
            f"{n('alpha')} \\cdot {v('v_prev')} + (1-{n('alpha')}) \\cdot {_sq(detail.term('g').values)}",
            v("v"),
            "state:square_avg",
        )
        lines.add(
            r"\theta_t = \theta_{t-1} - \gamma\, \frac{g_t}{\sqrt{v_t} + \varepsilon}",
            f"{before} - {lr} \\cdot \\frac{{{v('g')}}}{{\\sqrt{{{v('v')}}} + {n('eps')}}}",
            after,
            "position",
        )
    elif kind == "adamax":
        _moment(lines, "exp_avg")
        lines.correction("bc1", "beta1")
        lines.add(
            r"u_t = \max(\beta_2\, u_{t-1},\ |g_t| + \varepsilon)",
            f"\\max({n('beta2')} \\cdot {v('u_prev')},\\ |{v('g')}| + {n('eps')})",
            v("u"),
            "state:exp_inf",
        )
        lines.add(
            r"\theta_t = \theta_{t-1} - \frac{\gamma\, m_t}{(1-\beta_1^t)\, u_t}",
            f"{before} - \\frac{{{lr} \\cdot {v('m')}}}{{{n('bc1')} \\cdot {v('u')}}}",
            after,
            "position",
        )
    else:
        _adam_rows(lines, detail)
    return lines.rows


def _moment(lines: _Lines, key: str) -> None:
    v, n = lines.v, lines.n
    lines.add(
        r"m_t = \beta_1\, m_{t-1} + (1-\beta_1)\, g_t",
        f"{n('beta1')} \\cdot {v('m_prev')} + (1-{n('beta1')}) \\cdot {v('g')}",
        v("m"),
        f"state:{key}",
    )


def _adam_rows(lines: _Lines, detail: StepDetail) -> None:
    """Adam, AdamW and NAdam."""
    v, n = lines.v, lines.n
    before = v("theta")
    start = before
    if detail.kind == "adamw":
        lines.add(
            r"\theta' = \theta_{t-1} - \gamma \lambda\, \theta_{t-1}",
            f"{before} - {n('lr')} \\cdot {n('lambda')} \\cdot {before}",
            _vec([a - b for a, b in zip(detail.before, detail.term("decay").values, strict=True)]),
            "formula",
        )
        start = r"\theta'"
    _moment(lines, "exp_avg")
    lines.add(
        r"v_t = \beta_2\, v_{t-1} + (1-\beta_2)\, g_t^2",
        f"{n('beta2')} \\cdot {v('v_prev')} + (1-{n('beta2')}) \\cdot {_sq(detail.term('g').values)}",
        v("v"),
        "state:exp_avg_sq",
    )
    if detail.kind == "nadam":
        lines.add(
            r"\mu_t = \beta_1 \left(1 - \tfrac{1}{2}\, 0.96^{t\psi}\right)",
            f"{n('beta1')} \\left(1 - \\tfrac{{1}}{{2}}\\, 0.96^{{{n('t')} \\cdot {n('psi')}}}\\right)",
            n("mu_t"),
            "formula",
        )
        lines.add(
            r"\textstyle\prod_{i \le t} \mu_i",
            r"\mu_1 \cdots \mu_t",
            n("mu_product"),
            "state:mu_product",
        )
        lines.add(
            r"\hat m_t = \frac{\mu_{t+1}\, m_t}{1 - \prod_{i \le t+1} \mu_i}"
            r" + \frac{(1-\mu_t)\, g_t}{1 - \prod_{i \le t} \mu_i}",
            f"\\frac{{{n('mu_next')} \\cdot {v('m')}}}{{1 - {n('mu_product')} \\cdot {n('mu_next')}}}"
            f" + \\frac{{(1-{n('mu_t')}) \\cdot {v('g')}}}{{1 - {n('mu_product')}}}",
            v("m_hat"),
            "formula",
        )
    else:
        lines.correction("bc1", "beta1")
        lines.add(
            r"\hat m_t = \frac{m_t}{1-\beta_1^t}",
            f"\\frac{{{v('m')}}}{{{n('bc1')}}}",
            v("m_hat"),
            "formula",
        )
    lines.correction("bc2", "beta2")
    lines.add(
        r"\hat v_t = \frac{v_t}{1-\beta_2^t}",
        f"\\frac{{{v('v')}}}{{{n('bc2')}}}",
        v("v_hat"),
        "formula",
    )
    lines.add(
        r"\theta_t = "
        + ("\\theta'" if start != before else r"\theta_{t-1}")
        + r" - \gamma\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}",
        f"{start if start == before else _vec([a - b for a, b in zip(detail.before, detail.term('decay').values, strict=True)])}"
        f" - {n('lr')} \\cdot \\frac{{{v('m_hat')}}}{{\\sqrt{{{v('v_hat')}}} + {n('eps')}}}",
        _vec(detail.after),
        "position",
    )
