"""The race's NumPy update rules against the real torch.optim optimizers: every optimizer on every
surface from several start points, with and without weight decay; every point and every state
tensor step by step, and the surfaces' written-out gradients against autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnviz.concepts import KINDS, SURFACES, Surface, default_lr, optimizer_for
from cnnviz.concepts.update_rules import RULES, new_state, settings_of
from cnnviz.train import build_optimizer

STEPS = 80


def _starts(surface: Surface) -> list[tuple[float, float]]:
    (x0, x1), (y0, y1) = surface.x_range, surface.y_range
    return [
        surface.default_start,
        (x0 + 0.3 * (x1 - x0), y0 + 0.8 * (y1 - y0)),
        (x0 + 0.9 * (x1 - x0), y0 + 0.15 * (y1 - y0)),
    ]


def _compare(kind: str, surface: Surface, start: tuple[float, float], wd: float | None) -> int:
    """Drive torch.optim (autograd gradient, public step()) and the NumPy rule side by side;
    returns the number of steps compared."""
    lr = default_lr(surface.kind, kind)
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = build_optimizer(kind, [theta], lr=lr, momentum=0.9, weight_decay=wd)
    settings = settings_of(kind, optimizer)
    rule, state = RULES[kind], new_state(kind)
    point = np.array(start)
    for t in range(STEPS):
        optimizer.zero_grad()
        surface.loss(theta).backward()
        assert theta.grad is not None
        grad = np.array(surface.gradient(float(point[0]), float(point[1])))
        np.testing.assert_allclose(grad, theta.grad.numpy(), rtol=1e-6, atol=1e-9)
        optimizer.step()
        point = rule(point, grad, state, settings)
        expected = theta.detach().numpy()
        if not np.isfinite(expected).all() or np.abs(expected).max() > 1e6:
            return t  # diverged: the race stops here (tested in test_concepts_race.py)
        np.testing.assert_allclose(point, expected, rtol=1e-6, atol=1e-9, err_msg=f"step {t + 1}")
        for name, value in optimizer.state[theta].items():
            np.testing.assert_allclose(
                np.asarray(state[name], dtype=np.float64),
                value.double().numpy(),
                rtol=1e-6,
                atol=1e-12,
                err_msg=f"{name} after step {t + 1}",
            )
        assert set(state) == set(optimizer.state[theta])
    return STEPS


@pytest.mark.parametrize("surface_kind", SURFACES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("wd", [None, 0.1])
def test_every_rule_follows_torch_optim_step_by_step(
    kind: str, surface_kind: str, wd: float | None
) -> None:
    surface = Surface(surface_kind, condition=20.0)
    compared = [_compare(kind, surface, start, wd) for start in _starts(surface)]
    assert max(compared) == STEPS  # at least one start runs the whole way without diverging


@pytest.mark.parametrize("surface_kind", SURFACES)
def test_written_out_gradients_equal_autograd(surface_kind: str) -> None:
    surface = Surface(surface_kind, condition=7.0, curvature=3.0)
    rng = np.random.default_rng(0)
    (x0, x1), (y0, y1) = surface.x_range, surface.y_range
    for x, y in zip(rng.uniform(x0, x1, 20), rng.uniform(y0, y1, 20), strict=True):
        theta = torch.tensor([x, y], dtype=torch.float64, requires_grad=True)
        surface.loss(theta).backward()
        assert theta.grad is not None
        np.testing.assert_allclose(surface.gradient(x, y), theta.grad.numpy(), rtol=1e-12)
        assert surface.loss_np(np.array([x, y])) == pytest.approx(
            float(surface.loss(theta.detach()))
        )


def test_settings_come_from_the_real_optimizer() -> None:
    theta = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    adamw = settings_of("adamw", optimizer_for("adamw", [theta], 0.01))
    assert adamw["weight_decay"] == 0.01 and adamw["decoupled_weight_decay"] is True
    assert settings_of("momentum", optimizer_for("momentum", [theta], 0.01))["momentum"] == 0.9
    centered = torch.optim.RMSprop([theta], lr=0.01, centered=True)
    with pytest.raises(ValueError, match="centered"):
        settings_of("rmsprop", centered)
