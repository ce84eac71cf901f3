"""The optimizer race against hand-driven torch.optim loops: every trajectory, every gradient, the
race's own optimizers are the real torch.optim classes, the written-out gradients against
autograd, the step inspector's numbers against the optimizer's own state, the 2/lambda_max
threshold, divergence, and bad input."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
import torch
from torch.optim.optimizer import register_optimizer_step_post_hook

from cnnviz.concepts import (
    ESCAPE,
    KINDS,
    STATE_KEYS,
    SURFACES,
    LearningInputError,
    Race,
    Racer,
    Surface,
    curvature,
    default_lr,
    inspect_step,
    parse_lr,
    race_noise,
    replay,
    run_race,
    step_size_report,
    surface_grid,
)
from cnnviz.viz import formula_rows

# The classes a learner would write by hand, with the race's settings (SGD's momentum 0.9).
HAND: dict[str, Callable[[torch.Tensor, float], torch.optim.Optimizer]] = {
    "sgd": lambda p, lr: torch.optim.SGD([p], lr=lr),
    "momentum": lambda p, lr: torch.optim.SGD([p], lr=lr, momentum=0.9),
    "nesterov": lambda p, lr: torch.optim.SGD([p], lr=lr, momentum=0.9, nesterov=True),
    "adagrad": lambda p, lr: torch.optim.Adagrad([p], lr=lr),
    "rmsprop": lambda p, lr: torch.optim.RMSprop([p], lr=lr),
    "adam": lambda p, lr: torch.optim.Adam([p], lr=lr),
    "adamw": lambda p, lr: torch.optim.AdamW([p], lr=lr),
    "adamax": lambda p, lr: torch.optim.Adamax([p], lr=lr),
    "nadam": lambda p, lr: torch.optim.NAdam([p], lr=lr),
}


def hand_loop(race: Race, kind: str, lr: float) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """A plain loop: loss, backward, the public optimizer.step(); returns the points (T+1, 2),
    the gradients (T, 2) and a copy of the optimizer's state after every step."""
    theta = torch.tensor(race.start, dtype=torch.float64, requires_grad=True)
    optimizer = HAND[kind](theta, lr)
    noise = race_noise(race)
    points, grads, states = [theta.detach().clone()], [], []
    for t in range(race.steps):
        optimizer.zero_grad()
        loss = race.surface.loss(theta) + theta @ noise[t]
        loss.backward()
        grads.append(theta.grad.detach().clone())
        optimizer.step()
        points.append(theta.detach().clone())
        states.append({k: v.clone() for k, v in optimizer.state[theta].items()})
    return torch.stack(points).numpy(), torch.stack(grads).numpy(), states


def full_race(surface: Surface, steps: int = 60, noise: float = 0.0) -> Race:
    racers = tuple(Racer(kind, default_lr(surface.kind, kind)) for kind in KINDS)
    return Race(surface, racers, surface.default_start, steps=steps, noise=noise, seed=3)


@pytest.mark.parametrize("kind", SURFACES)
@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_every_trajectory_equals_a_hand_driven_loop(kind: str, noise: float) -> None:
    race = full_race(Surface(kind), noise=noise)
    result = run_race(race)
    for k, racer in enumerate(race.racers):
        points, grads, _ = hand_loop(race, racer.kind, racer.lr)
        np.testing.assert_allclose(result.positions[k], points, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(result.grads[k], grads, rtol=1e-9, atol=1e-12)
        expected = race.surface.loss(torch.tensor(points)).numpy()
        np.testing.assert_allclose(result.losses[k], expected, rtol=1e-9, atol=1e-12)


def test_a_full_race_of_500_steps_equals_hand_driven_loops() -> None:
    race = full_race(Surface("rosenbrock"), steps=500, noise=0.3)  # the largest race, noisy
    result = run_race(race)
    assert all(stop is None for stop in result.stops)
    for k, racer in enumerate(race.racers):
        points, _, _ = hand_loop(race, racer.kind, racer.lr)
        np.testing.assert_allclose(result.positions[k], points, rtol=1e-9, atol=1e-12)


def test_the_race_steps_the_real_torch_optim_classes() -> None:
    race = full_race(Surface("rosenbrock"), steps=20)
    stepped: list[torch.optim.Optimizer] = []
    handle = register_optimizer_step_post_hook(
        lambda optimizer, args, kwargs: stepped.append(optimizer)
    )
    try:
        result = run_race(race)
    finally:
        handle.remove()
    # every step of every racer is one public step() of its own torch.optim object
    optimizers = list(dict.fromkeys(stepped))  # in the racers' order
    assert len(optimizers) == len(race.racers)
    theta = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    for k, (racer, optimizer) in enumerate(zip(race.racers, optimizers, strict=True)):
        assert stepped.count(optimizer) == race.steps
        hand = HAND[racer.kind](theta, racer.lr)
        assert type(optimizer) is type(hand)
        settings = {name: v for name, v in hand.param_groups[0].items() if name != "params"}
        assert result.hyper[k]["foreach"] is False  # the single-tensor implementation
        assert {**result.hyper[k], "foreach": None} == settings
        assert optimizer.param_groups[0]["params"][0].dtype == torch.float64


@pytest.mark.parametrize("kind", SURFACES)
def test_written_out_gradients_equal_autograd(kind: str) -> None:
    surface = Surface(kind, condition=7.0, curvature=3.0)
    rng = np.random.default_rng(0)
    (x0, x1), (y0, y1) = surface.x_range, surface.y_range
    points = np.stack([rng.uniform(x0, x1, 40), rng.uniform(y0, y1, 40)], axis=1)  # (40, 2)
    theta = torch.tensor(points, requires_grad=True)
    surface.loss(theta).sum().backward()
    assert theta.grad is not None
    np.testing.assert_allclose(surface.gradient(points), theta.grad.numpy(), rtol=1e-12, atol=1e-15)
    out = np.empty_like(points)
    assert surface.gradient(points, out=out) is out
    np.testing.assert_array_equal(out, surface.gradient(points))
    one = surface.gradient(points[3])  # a single point, shape (2,)
    np.testing.assert_array_equal(one, out[3])


def _assert_same_state(got: dict[str, torch.Tensor], expected: dict, label: str) -> None:
    assert set(got) == set(expected), label
    for name, value in expected.items():
        np.testing.assert_allclose(
            got[name].numpy(), value.double().numpy(), rtol=1e-9, atol=1e-12, err_msg=label
        )


@pytest.mark.parametrize("kind", KINDS)
def test_replayed_state_is_the_hand_driven_optimizers_state_at_every_step(kind: str) -> None:
    race = Race(
        Surface("beale"),
        (Racer(kind, default_lr("beale", kind)),),
        (-1.0, 2.5),
        steps=10,
        noise=0.2,
    )
    result = run_race(race)
    _, _, states = hand_loop(race, kind, race.racers[0].lr)
    for step in range(1, race.steps + 1):
        replayed = replay(result, 0, step)
        # the replay moves the optimizer to the race's own point, bit for bit
        assert replayed.point == tuple(result.positions[0, step])
        _assert_same_state(replayed.after, states[step - 1], f"after step {step}")
        assert set(replayed.after) == set(STATE_KEYS[kind])
        if step > 1:
            _assert_same_state(replayed.before, states[step - 2], f"before step {step}")
        else:  # nothing before the first step but Adagrad's initial sum
            assert set(replayed.before) <= {"step", "sum"}
    with pytest.raises(ValueError):
        replay(result, 0, race.steps + 1)


@pytest.mark.parametrize("kind", KINDS)
def test_inspector_numbers_are_the_optimizers_state(kind: str) -> None:
    surface = Surface("beale")
    race = Race(
        surface, (Racer(kind, default_lr("beale", kind)),), (-1.0, 2.5), steps=12, noise=0.2
    )
    result = run_race(race)
    _, grads, states = hand_loop(race, kind, race.racers[0].lr)
    names = {
        "momentum_buffer": "b",
        "sum": "sum",
        "square_avg": "v",
        "exp_avg": "m",
        "exp_avg_sq": "v",
        "exp_inf": "u",
        "mu_product": "mu_product",
        "step": "t",
    }
    for step in (1, 2, 12):
        detail = inspect_step(result, 0, step)
        np.testing.assert_allclose(detail.grad, grads[step - 1], rtol=1e-9, atol=1e-13)
        state = states[step - 1]
        for key, value in state.items():
            term = detail.term(names[key]).values
            np.testing.assert_allclose(
                term, value.reshape(-1).double().numpy(), rtol=1e-6, atol=1e-12
            )
        if step > 1 and kind in ("momentum", "nesterov"):
            previous = states[step - 2]["momentum_buffer"].numpy()
            np.testing.assert_allclose(detail.term("b_prev").values, previous, rtol=1e-9)
        # the formula written out predicts the optimizer's real new point
        np.testing.assert_allclose(detail.predicted, detail.after, rtol=1e-6, atol=1e-12)
        np.testing.assert_allclose(detail.after, result.positions[0, step], rtol=0, atol=0)
        rows = formula_rows(detail)
        assert rows and rows[-1].source == "position"
        assert all(r"\begin{aligned}" in row.latex for row in rows)


def test_adam_bias_corrections_use_the_optimizers_step_count() -> None:
    race = Race(Surface("bowl"), (Racer("adam", 0.05),), (-1.8, 1.6), steps=5)
    detail = inspect_step(run_race(race), 0, 5)
    assert detail.term("t").values == (5.0,)
    assert detail.term("bc1").values[0] == pytest.approx(1 - 0.9**5)
    assert detail.term("bc2").values[0] == pytest.approx(1 - 0.999**5)
    m_hat = np.asarray(detail.term("m").values) / (1 - 0.9**5)
    np.testing.assert_allclose(detail.term("m_hat").values, m_hat, rtol=1e-12)


def test_inspector_refuses_a_step_that_was_not_taken() -> None:
    result = run_race(Race(Surface("bowl"), (Racer("sgd", 0.1),), (1.0, 1.0), steps=5))
    for step in (0, 6):
        with pytest.raises(LearningInputError) as info:
            inspect_step(result, 0, step)
        assert info.value.key == "learn.error.inspect_step"


@pytest.mark.parametrize("condition", [1.0, 10.0, 100.0])
@pytest.mark.parametrize("lam_max", [0.5, 1.0, 4.0])
def test_sgd_threshold_two_over_lambda_max_holds_on_the_bowl(
    condition: float, lam_max: float
) -> None:
    surface = Surface("bowl", condition=condition, curvature=lam_max)
    bend = curvature(surface)
    assert bend.lambda_max == pytest.approx(lam_max)
    assert bend.eigenvalues[0] == pytest.approx(lam_max / condition)
    threshold = bend.sgd_threshold
    assert threshold == pytest.approx(2 / lam_max)
    below = step_size_report(surface, 0.95 * threshold, start=(1.5, 1.0), steps=300)
    above = step_size_report(surface, 1.05 * threshold, start=(1.5, 1.0), steps=300)
    # just below: the steep coordinate shrinks; just above: it grows until the run is stopped
    assert abs(below.result.positions[0, -1, 0]) < 1.5 * 1e-3
    assert below.verdict != "diverges"
    assert above.verdict == "diverges"
    taken = above.result.steps_run(0)
    assert abs(above.result.positions[0, taken, 0]) > 1.5
    # the per-step factor measured on the real run is the formula's 1 - lr * lambda_max
    for report in (below, above):
        assert report.measured_steep == pytest.approx(report.factor_steep, rel=1e-9)
        assert report.measured_flat == pytest.approx(report.factor_flat, rel=1e-9)


def test_a_diverging_racer_stops_where_it_diverged() -> None:
    surface = Surface("beale")
    race = Race(surface, (Racer("sgd", 0.5), Racer("adam", 0.01)), (-1.0, 2.5), steps=100)
    result = run_race(race)
    stop = result.stops[0]
    assert stop is not None and stop.reason in ("escaped", "nonfinite")
    assert np.isnan(result.positions[0, stop.step + 1 :]).all()
    if stop.reason == "escaped":
        assert np.abs(result.positions[0, stop.step]).max() > ESCAPE
    assert np.isfinite(result.positions[0, : stop.step]).all()
    assert result.stops[1] is None and np.isfinite(result.positions[1]).all()  # Adam is unaffected
    assert result.steps_run(0) == stop.step


def test_noise_is_seeded_and_changes_the_path() -> None:
    surface = Surface("saddle")
    racers = (Racer("sgd", 0.05),)
    quiet = run_race(Race(surface, racers, (-1.8, 0.001), steps=50))
    a = run_race(Race(surface, racers, (-1.8, 0.001), steps=50, noise=0.5, seed=1))
    b = run_race(Race(surface, racers, (-1.8, 0.001), steps=50, noise=0.5, seed=1))
    c = run_race(Race(surface, racers, (-1.8, 0.001), steps=50, noise=0.5, seed=2))
    np.testing.assert_array_equal(a.positions, b.positions)
    assert not np.allclose(a.positions, c.positions)
    assert not np.allclose(a.positions, quiet.positions)
    # the noise only tilts each step: the gradient is the full gradient plus the noise vector
    full = torch.func.grad(surface.loss)(torch.tensor(a.positions[0, 0]))
    np.testing.assert_allclose(a.grads[0, 0], full.numpy() + a.noise[0], rtol=1e-12)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("0", "learn.error.lr_zero"),
        ("-0.1", "learn.error.lr_negative"),
        ("1e6", "learn.error.lr_large"),
        ("nan", "learn.error.lr_nan"),
        ("inf", "learn.error.lr_nan"),
        ("fast", "learn.error.lr_text"),
        ("1e-9", "learn.error.lr_small"),
    ],
)
def test_bad_learning_rates_get_a_clear_message(text: str, key: str) -> None:
    with pytest.raises(LearningInputError) as info:
        parse_lr(text, name="Adam")
    assert info.value.key == key
    for lang in ("en", "zh"):
        assert "Adam" in info.value.text(lang)
    with pytest.raises(LearningInputError):
        Racer("adam", float("nan"))


def test_bad_race_settings_get_a_clear_message() -> None:
    surface = Surface("bowl")
    racer = (Racer("sgd", 0.1),)
    with pytest.raises(LearningInputError) as info:
        Race(surface, racer, (5.0, 0.0))
    assert info.value.key == "learn.error.start_outside"
    assert "5" in info.value.text("en") and "[-2, 2]" in info.value.text("zh")
    cases = [
        ({"racers": ()}, "learn.error.no_racer"),
        ({"racers": (Racer("sgd", 0.1), Racer("sgd", 0.2))}, "learn.error.racer_twice"),
        ({"steps": 0}, "learn.error.steps"),
        ({"steps": 501}, "learn.error.steps"),
        ({"noise": -1.0}, "learn.error.noise"),
        ({"noise": float("nan")}, "learn.error.noise"),
        ({"start": (math.nan, 0.0)}, "learn.error.start_nan"),
    ]
    for changes, key in cases:
        settings = {"surface": surface, "racers": racer, "start": (0.5, 0.5), **changes}
        with pytest.raises(LearningInputError) as info:
            Race(**settings)
        assert info.value.key == key
    with pytest.raises(LearningInputError):
        Surface("bowl", condition=0.5)
    with pytest.raises(LearningInputError):
        Surface("volcano")


def test_grid_and_curvature_come_from_the_surface() -> None:
    for kind in SURFACES:
        surface = Surface(kind)
        grid = surface_grid(surface, points=21)
        i, j = 7, 13
        point = torch.tensor([grid.x[j], grid.y[i]], dtype=torch.float64)
        assert grid.z[i, j] == pytest.approx(float(surface.loss(point)))
        for minimum in surface.minima[:1]:
            gradient = torch.func.grad(surface.loss)(torch.tensor(minimum, dtype=torch.float64))
            if kind != "wells":  # the wells' minimum sits near, not at, the well's centre
                assert float(gradient.norm()) < 1e-9
    rosen = curvature(Surface("rosenbrock"))
    np.testing.assert_allclose(rosen.hessian, [[802.0, -400.0], [-400.0, 200.0]])
