"""The step inspector: one optimizer's update at one step of a race, written out with its numbers.

Every number comes from the real optimizer: the point before the step and the gradient the step
used are the race's record (:class:`RaceResult`); the optimizer's state before and after the step
(``optimizer.state[theta]``: ``momentum_buffer``, ``sum``, ``square_avg``, ``exp_avg``,
``exp_avg_sq``, ``exp_inf``, ``mu_product``, ``step``) is read from that ``torch.optim`` object
re-run to this step (:func:`cnnviz.concepts.optimizers.replay`), and its settings are its
``param_groups[0]`` (lr, betas, eps, momentum...).
From them :func:`inspect_step` computes, with torch, the intermediate terms of the update as the
PyTorch documentation writes them (bias corrections, corrected moments, the step), and the point
that formula predicts; the tests check that the prediction is the optimizer's real new point.

Lesson: the "Optimizers" page (step inspector).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from cnnviz.concepts.learning_input import LearningInputError
from cnnviz.concepts.optimizers import RaceResult, replay

__all__ = ["StepDetail", "Term", "inspect_step"]

_DTYPE = torch.float64


@dataclass(frozen=True)
class Term:
    """One named quantity of an update: ``name`` is its symbol id (``g``, ``m``, ``m_hat``,
    ``bc1``...; the page writes the symbol and its name from the catalog ``opt.term.<name>``),
    ``values`` one number per coordinate (or one number for a scalar), ``source`` where it comes
    from: "state" (the optimizer's state), "grad" (the gradient it was given), "setting"
    (param_groups) or "formula" (computed here from the others)."""

    name: str
    values: tuple[float, ...]
    source: str


@dataclass(frozen=True)
class StepDetail:
    """Step ``step`` (1-based) of racer ``kind``: from ``before`` with gradient ``grad`` to
    ``after`` (the optimizer's real new point). ``terms`` in the order the update uses them;
    ``update`` is ``before - predicted`` (weight decay included), ``predicted`` the new point the
    formula gives."""

    kind: str
    step: int
    lr: float
    before: tuple[float, float]
    grad: tuple[float, float]
    terms: tuple[Term, ...]
    update: tuple[float, float]
    predicted: tuple[float, float]
    after: tuple[float, float]
    settings: dict[str, Any]

    def term(self, name: str) -> Term:
        """The term called ``name`` (KeyError if this optimizer has none)."""
        for term in self.terms:
            if term.name == name:
                return term
        raise KeyError(name)


def _previous(values: torch.Tensor | None, initial: float = 0.0) -> torch.Tensor:
    """A state before this step: its recorded value, or its initial value before step 1."""
    return values if values is not None else torch.full((2,), initial, dtype=_DTYPE)


def _vec(values: torch.Tensor) -> tuple[float, ...]:
    return tuple(float(v) for v in values.reshape(-1))


class _Builder:
    """Collects the terms of one step while the update is computed."""

    def __init__(self) -> None:
        self.terms: list[Term] = []

    def add(self, name: str, values: torch.Tensor | float, source: str) -> torch.Tensor:
        tensor = torch.as_tensor(values, dtype=_DTYPE)
        self.terms.append(Term(name, _vec(tensor), source))
        return tensor


def inspect_step(result: RaceResult, index: int, step: int) -> StepDetail:
    """Racer ``index``'s update at ``step`` (1..steps it ran), written out term by term.

    Raises :class:`LearningInputError` (``learn.error.inspect_step``) for a step the racer did
    not take (past the end of the race, or after it diverged).
    """
    racer = result.race.racers[index]
    taken = result.steps_run(index)
    if not (isinstance(step, int) and 1 <= step <= taken):
        raise LearningInputError("learn.error.inspect_step", step=str(step), last=taken)
    t = step - 1  # row of the records
    before = torch.as_tensor(result.positions[index, t], dtype=_DTYPE)
    after = torch.as_tensor(result.positions[index, step], dtype=_DTYPE)
    grad = torch.as_tensor(result.grads[index, t], dtype=_DTYPE)
    replayed = replay(result, index, step)  # the optimizer's state before and after this step
    hyper = result.hyper[index]
    lr = float(hyper["lr"])

    def state(name: str, row: int) -> torch.Tensor | None:
        """State ``name`` after step ``row + 1`` (``row`` is ``t`` or ``t - 1``); None before
        the optimizer created it."""
        return (replayed.after if row == t else replayed.before).get(name)

    b = _Builder()
    b.add("theta", before, "state")
    b.add("g", grad, "grad")
    b.add("lr", lr, "setting")
    count = step
    if "step" in replayed.after:  # the step count t that the optimizer itself keeps (== step)
        count = int(b.add("t", float(replayed.after["step"]), "state"))
    decay = torch.zeros(2, dtype=_DTYPE)
    match racer.kind:
        case "sgd":
            update = lr * grad
        case "momentum" | "nesterov":
            momentum = b.add("mu", float(hyper["momentum"]), "setting")
            b.add("tau", float(hyper["dampening"]), "setting")
            previous = state("momentum_buffer", t - 1)
            if previous is not None:
                b.add("b_prev", previous, "state")
            buffer = b.add("b", state("momentum_buffer", t), "state")  # type: ignore[arg-type]
            if racer.kind == "nesterov":
                direction = b.add("direction", grad + momentum * buffer, "formula")
                update = lr * direction
            else:
                update = lr * buffer
        case "adagrad":
            b.add("eps", float(hyper["eps"]), "setting")
            initial = float(hyper["initial_accumulator_value"])
            b.add("sum_prev", _previous(state("sum", t - 1), initial), "state")
            total = b.add("sum", state("sum", t), "state")  # type: ignore[arg-type]
            clr = b.add("clr", lr / (1 + (count - 1) * float(hyper["lr_decay"])), "formula")
            update = clr * grad / (total.sqrt() + float(hyper["eps"]))
        case "rmsprop":
            b.add("alpha", float(hyper["alpha"]), "setting")
            b.add("eps", float(hyper["eps"]), "setting")
            b.add("v_prev", _previous(state("square_avg", t - 1)), "state")
            square = b.add("v", state("square_avg", t), "state")  # type: ignore[arg-type]
            update = lr * grad / (square.sqrt() + float(hyper["eps"]))
        case "adam" | "adamw" | "nadam":
            update, decay = _adam_family(
                b, racer.kind, hyper, replayed.before, replayed.after, count, before, grad
            )
        case "adamax":
            beta1, beta2 = (float(v) for v in hyper["betas"])
            b.add("beta1", beta1, "setting")
            b.add("beta2", beta2, "setting")
            b.add("eps", float(hyper["eps"]), "setting")
            b.add("m_prev", _previous(state("exp_avg", t - 1)), "state")
            b.add("u_prev", _previous(state("exp_inf", t - 1)), "state")
            m = b.add("m", state("exp_avg", t), "state")  # type: ignore[arg-type]
            u = b.add("u", state("exp_inf", t), "state")  # type: ignore[arg-type]
            bc1 = b.add("bc1", 1 - beta1**count, "formula")
            update = lr * m / (bc1 * u)
    predicted = before - decay - update
    b.add("update", update + decay, "formula")
    return StepDetail(
        kind=racer.kind,
        step=step,
        lr=lr,
        before=(float(before[0]), float(before[1])),
        grad=(float(grad[0]), float(grad[1])),
        terms=tuple(b.terms),
        update=(float(update[0] + decay[0]), float(update[1] + decay[1])),
        predicted=(float(predicted[0]), float(predicted[1])),
        after=(float(after[0]), float(after[1])),
        settings=dict(hyper),
    )


def _adam_family(
    b: _Builder,
    kind: str,
    hyper: dict[str, Any],
    state_before: dict[str, torch.Tensor],
    state_after: dict[str, torch.Tensor],
    step: int,
    before: torch.Tensor,
    grad: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Adam, AdamW (decoupled decay first) and NAdam (momentum schedule mu_t): (update, decay)."""
    lr = float(hyper["lr"])
    beta1, beta2 = (float(v) for v in hyper["betas"])
    eps = float(hyper["eps"])
    b.add("beta1", beta1, "setting")
    b.add("beta2", beta2, "setting")
    b.add("eps", eps, "setting")
    decay = torch.zeros(2, dtype=_DTYPE)
    if kind == "adamw":
        wd = b.add("lambda", float(hyper["weight_decay"]), "setting")
        decay = b.add("decay", lr * wd * before, "formula")
    for name, key in (("m_prev", "exp_avg"), ("v_prev", "exp_avg_sq")):
        b.add(name, _previous(state_before.get(key)), "state")
    m = b.add("m", state_after["exp_avg"], "state")
    v = b.add("v", state_after["exp_avg_sq"], "state")
    bc2 = b.add("bc2", 1 - beta2**step, "formula")
    v_hat = b.add("v_hat", v / bc2, "formula")
    if kind == "nadam":
        psi = float(hyper["momentum_decay"])
        b.add("psi", psi, "setting")
        mu = b.add("mu_t", beta1 * (1 - 0.5 * 0.96 ** (step * psi)), "formula")
        mu_next = b.add("mu_next", beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * psi)), "formula")
        product = b.add("mu_product", float(state_after["mu_product"]), "state")
        m_hat = b.add(
            "m_hat",
            mu_next * m / (1 - product * mu_next) + (1 - mu) * grad / (1 - product),
            "formula",
        )
    else:
        bc1 = b.add("bc1", 1 - beta1**step, "formula")
        m_hat = b.add("m_hat", m / bc1, "formula")
    return lr * m_hat / (v_hat.sqrt() + eps), decay
