"""The update rules of the nine ``torch.optim`` optimizers, one step on one point, in NumPy float64.

Why not call ``torch.optim`` in the race: a race is up to 9 optimizers x 500 steps = 4,500
``optimizer.step()`` calls inside one script run, and on a 2-element tensor each call costs
30-120 microseconds of Python dispatch, more than the 300 ms the race may take. The same update
written with NumPy on a 2-vector costs a few microseconds. These are the formulas the step
inspector writes out (PyTorch's documented algorithms, in the order of operations of its
single-tensor implementations, so the numbers agree to rounding); ``torch.optim`` stays the
reference: ``tests/test_concepts_update_rules.py`` drives every rule and the real optimizer side
by side on every surface, with and without weight decay, and compares every point and every
state tensor step by step.

A rule reads its settings from the real optimizer's ``param_groups[0]`` (:func:`settings_of`),
so every default (betas, eps, momentum, AdamW's decay) is PyTorch's, and keeps the state that
``optimizer.state[param]`` keeps, under the same names (``momentum_buffer``, ``sum``,
``square_avg``, ``exp_avg``, ``exp_avg_sq``, ``exp_inf``, ``mu_product``, ``step``).

Lesson: the "Optimizers" page (the race, the step inspector).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import numpy as np
import torch

__all__ = ["RULES", "Rule", "new_state", "settings_of"]

#: ``rule(theta, grad, state, settings) -> new theta``; updates ``state`` (a dict) in place.
Rule = Callable[[np.ndarray, np.ndarray, dict[str, Any], dict[str, Any]], np.ndarray]


def settings_of(kind: str, optimizer: torch.optim.Optimizer) -> dict[str, Any]:
    """The settings of ``optimizer`` (``param_groups[0]`` without ``params``), checked to be
    ones the rule of ``kind`` implements; ValueError otherwise (a setting the race never uses)."""
    settings = {k: v for k, v in optimizer.param_groups[0].items() if k != "params"}
    for name in ("maximize", "amsgrad", "centered"):
        if settings.get(name, False):
            raise ValueError(f"{kind}: {name}=True is not implemented")
    if settings.get("dampening", 0.0) != 0.0 or settings.get("lr_decay", 0.0) != 0.0:
        raise ValueError(f"{kind}: dampening and lr_decay must be 0")
    if settings.get("initial_accumulator_value", 0.0) != 0.0:
        raise ValueError(f"{kind}: initial_accumulator_value must be 0")
    if kind == "rmsprop" and settings.get("momentum", 0.0) != 0.0:
        raise ValueError("rmsprop: momentum must be 0")
    if kind == "nadam" and settings.get("decoupled_weight_decay", False):
        raise ValueError("nadam: decoupled_weight_decay is not implemented")
    return settings


def new_state(kind: str) -> dict[str, Any]:
    """The state before the first step: the step count 0, moments 0 (SGD's momentum buffer
    starts as the first gradient; NAdam's ``mu_product`` as 1)."""
    zeros = np.zeros(2)
    match kind:
        case "sgd" | "momentum" | "nesterov":
            return {}
        case "adagrad":
            return {"step": 0.0, "sum": zeros}
        case "rmsprop":
            return {"step": 0.0, "square_avg": zeros}
        case "adamax":
            return {"step": 0.0, "exp_avg": zeros, "exp_inf": zeros}
        case "nadam":
            return {"step": 0.0, "mu_product": 1.0, "exp_avg": zeros, "exp_avg_sq": zeros}
    return {"step": 0.0, "exp_avg": zeros, "exp_avg_sq": zeros}


def _decayed(theta: np.ndarray, grad: np.ndarray, h: dict[str, Any]) -> np.ndarray:
    """L2 weight decay: ``g + wd * theta`` (the gradient of ``wd/2 |theta|^2`` added)."""
    wd = h["weight_decay"]
    return grad + wd * theta if wd != 0 else grad


def _sgd(
    theta: np.ndarray, grad: np.ndarray, state: dict[str, Any], h: dict[str, Any]
) -> np.ndarray:
    """SGD, with PyTorch's momentum form ``b = mu b + g`` (first ``b = g``) and Nesterov's
    ``g + mu b``; the step is ``theta - lr * (b or g)``."""
    g = _decayed(theta, grad, h)
    momentum = h["momentum"]
    if momentum != 0:
        buf = state.get("momentum_buffer")
        buf = g.copy() if buf is None else buf * momentum + g
        state["momentum_buffer"] = buf
        g = g + momentum * buf if h["nesterov"] else buf
    return theta - h["lr"] * g


def _adagrad(
    theta: np.ndarray, grad: np.ndarray, state: dict[str, Any], h: dict[str, Any]
) -> np.ndarray:
    """Adagrad: ``s = s + g^2``, ``theta - lr * g / (sqrt(s) + eps)``."""
    state["step"] += 1.0
    g = _decayed(theta, grad, h)
    state["sum"] = state["sum"] + g * g
    return theta - h["lr"] * (g / (np.sqrt(state["sum"]) + h["eps"]))


def _rmsprop(
    theta: np.ndarray, grad: np.ndarray, state: dict[str, Any], h: dict[str, Any]
) -> np.ndarray:
    """RMSprop: ``v = alpha v + (1 - alpha) g^2``, ``theta - lr * g / (sqrt(v) + eps)``."""
    state["step"] += 1.0
    g = _decayed(theta, grad, h)
    alpha = h["alpha"]
    state["square_avg"] = state["square_avg"] * alpha + (1 - alpha) * (g * g)
    return theta - h["lr"] * (g / (np.sqrt(state["square_avg"]) + h["eps"]))


def _moments(g: np.ndarray, state: dict[str, Any], beta1: float, beta2: float) -> None:
    """``m = beta1 m + (1 - beta1) g`` (as PyTorch's ``lerp``: ``m + (1 - beta1)(g - m)``) and
    ``v = beta2 v + (1 - beta2) g^2``."""
    m = state["exp_avg"]
    state["exp_avg"] = m + (1 - beta1) * (g - m)
    state["exp_avg_sq"] = state["exp_avg_sq"] * beta2 + (1 - beta2) * (g * g)


def _adam(
    theta: np.ndarray, grad: np.ndarray, state: dict[str, Any], h: dict[str, Any]
) -> np.ndarray:
    """Adam (AdamW when ``decoupled_weight_decay``: ``theta (1 - lr wd)`` first, no L2 term):
    ``theta - lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps)``, ``bc_i = 1 - beta_i^t``."""
    state["step"] += 1.0
    t = state["step"]
    lr, wd = h["lr"], h["weight_decay"]
    beta1, beta2 = h["betas"]
    if wd != 0 and h.get("decoupled_weight_decay", False):
        theta = theta * (1 - lr * wd)
        g = grad
    else:
        g = _decayed(theta, grad, h)
    _moments(g, state, beta1, beta2)
    step_size = lr / (1 - beta1**t)
    denom = np.sqrt(state["exp_avg_sq"]) / (1 - beta2**t) ** 0.5 + h["eps"]
    return theta - step_size * (state["exp_avg"] / denom)


def _adamax(
    theta: np.ndarray, grad: np.ndarray, state: dict[str, Any], h: dict[str, Any]
) -> np.ndarray:
    """Adamax: ``u = max(beta2 u, |g| + eps)``, ``theta - lr / (1 - beta1^t) * m / u``."""
    state["step"] += 1.0
    t = state["step"]
    beta1, beta2 = h["betas"]
    g = _decayed(theta, grad, h)
    m = state["exp_avg"]
    state["exp_avg"] = m + (1 - beta1) * (g - m)
    state["exp_inf"] = np.maximum(state["exp_inf"] * beta2, np.abs(g) + h["eps"])
    return theta - (h["lr"] / (1 - beta1**t)) * (state["exp_avg"] / state["exp_inf"])


def _nadam(
    theta: np.ndarray, grad: np.ndarray, state: dict[str, Any], h: dict[str, Any]
) -> np.ndarray:
    """NAdam with PyTorch's momentum schedule ``mu_t = beta1 (1 - 0.5 * 0.96^(t psi))``:
    ``theta - lr (1 - mu_t) / (1 - prod mu) g / d - lr mu_{t+1} / (1 - prod mu mu_{t+1}) m / d``,
    ``d = sqrt(v / bc2) + eps``. PyTorch keeps ``prod mu`` (``mu_product``) in float32; so does
    this rule, to stay on the same numbers."""
    state["step"] += 1.0
    t = state["step"]
    lr, psi = h["lr"], h["momentum_decay"]
    beta1, beta2 = h["betas"]
    g = _decayed(theta, grad, h)
    mu = beta1 * (1.0 - 0.5 * (0.96 ** (t * psi)))
    mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * psi)))
    product = float(np.float32(state["mu_product"]) * np.float32(mu))
    state["mu_product"] = product
    _moments(g, state, beta1, beta2)
    denom = np.sqrt(state["exp_avg_sq"] / (1 - beta2**t)) + h["eps"]
    theta = theta + (-lr * (1.0 - mu) / (1.0 - product)) * (g / denom)
    return theta + ((-lr * mu_next) / (1.0 - product * mu_next)) * (state["exp_avg"] / denom)


#: The rule of every optimizer id (``cnnviz.train.OPTIMIZERS``).
RULES: Final[dict[str, Rule]] = {
    "sgd": _sgd,
    "momentum": _sgd,
    "nesterov": _sgd,
    "adagrad": _adagrad,
    "rmsprop": _rmsprop,
    "adam": _adam,
    "adamw": _adam,
    "adamax": _adamax,
    "nadam": _nadam,
}
