"""Lab setups, remedies, the guided scenarios (seeded, built-in data), sequences, sweeps, ensembles."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch
from torch import nn

from cnnviz.data import DataConfig, load_dataset
from cnnviz.jobs import PlannedRun, SequenceJob
from cnnviz.lab import (
    ENSEMBLE_MEMBERS,
    LAB_AUGMENT,
    MAX_SEED,
    NEAR_ZERO,
    SCENARIO_ORDER,
    SCENARIOS,
    SWEEP_BASE,
    SWEEP_WIDTHS,
    LabSetup,
    SweepPoint,
    apply_remedy,
    ensemble_compatible,
    ensemble_data,
    ensemble_plan,
    ensemble_result,
    lab_data_config,
    model_from_state,
    near_zero_share,
    offset_seed,
    regularisation_plan,
    same_validation_set,
    scenario_explanation,
    setup_configs,
    summarise_sweep,
    sweep_plan,
    sweep_points,
)
from cnnviz.net import DropoutSpec, SpecError, infer, scaled_net
from cnnviz.train import REMEDY_IDS, cpu_state_dict, diagnose, evaluate, fit


def run_setup(setup: LabSetup) -> tuple[float, str, float]:
    """Train a setup on one thread: (final val acc of the model, verdict, final train acc)."""
    net, data_cfg, cfg = setup_configs(setup)
    data = load_dataset(data_cfg)
    result = fit(net, data, dataclasses.replace(cfg, num_threads=1, device="cpu"))
    _, val_acc, _ = evaluate(result.model, data.val_x, data.val_y)
    return val_acc, diagnose(result.epochs).verdict, result.epochs[-1].train_acc


# ------------------------------------------------------------------------------------ setups


def test_lab_setup_validates_every_control() -> None:
    LabSetup()  # the defaults are valid
    for bad in (
        {"train_size": 5},
        {"train_size": 10_000},
        {"width": 0.0},
        {"depth": 9},
        {"dropout": 0.95},
        {"weight_decay": -1.0},
        {"lr": math.nan},
        {"epochs": 0},
        {"epochs": 2.5},
        {"augment": 1},
        {"train_size": True},
    ):
        with pytest.raises(ValueError):
            LabSetup(**bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="colour"):
        LabSetup.from_dict({"colour": 1})
    assert LabSetup.from_dict(LabSetup(width=2.0).to_dict()) == LabSetup(width=2.0)


def test_setup_configs_builds_the_lab_run() -> None:
    setup = LabSetup(
        train_size=200, label_noise=0.1, width=2.0, depth=3, dropout=0.5, weight_decay=5e-4,
        l1=1e-5, batch_norm=True, augment=True, early_stopping=True, epochs=12, lr=3e-3, seed=4,
    )  # fmt: skip
    net, data_cfg, cfg = setup_configs(setup)
    assert net == scaled_net((1, 28, 28), 6, width=2.0, depth=3, batch_norm=True, dropout=0.5)
    assert data_cfg == lab_data_config(200, 0.1)
    assert data_cfg.seed == 0 and data_cfg.name == "shapes"  # one fixed validation set
    assert (cfg.epochs, cfg.lr, cfg.weight_decay, cfg.l1, cfg.seed) == (12, 3e-3, 5e-4, 1e-5, 4)
    assert cfg.early_stopping and cfg.augment == LAB_AUGMENT
    assert cfg.optimizer == "adamw"  # decoupled weight decay; with weight decay 0 it is Adam
    assert not setup_configs(LabSetup())[2].augment.enabled
    data = load_dataset(data_cfg)
    assert len(data.train_y) == 200 and len(data.val_y) == 240


def test_every_remedy_is_implemented_and_pure() -> None:
    base = LabSetup(dropout=0.2, weight_decay=1e-3, l1=1e-4, width=2.0)
    for remedy in REMEDY_IDS:
        changed = apply_remedy(base, remedy)
        assert isinstance(changed, LabSetup)
    assert base == LabSetup(dropout=0.2, weight_decay=1e-3, l1=1e-4, width=2.0)
    with pytest.raises(ValueError, match="unknown remedy"):
        apply_remedy(base, "magic")


@pytest.mark.parametrize(
    ("remedy", "changes"),
    [
        ("more_data", {"train_size": 200}),
        ("augment", {"augment": True}),
        ("dropout", {"dropout": 0.5}),
        ("weight_decay", {"weight_decay": 0.05}),  # AdamW's decoupled decay
        ("l1", {"l1": 1e-4}),
        ("early_stop", {"early_stopping": True}),
        ("smaller", {"width": 0.5}),
        ("wider", {"width": 2.0}),
        ("deeper", {"depth": 3}),
        ("batch_norm", {"batch_norm": True}),
        ("longer", {"epochs": 60}),
        ("higher_lr", {"lr": 3e-3}),
        ("lower_lr", {"lr": 1e-4}),
        ("ensemble", {"seed": 1, "keep_weights": True}),
    ],
)
def test_each_remedy_changes_exactly_its_setting(remedy: str, changes: dict[str, object]) -> None:
    base = LabSetup()
    got = apply_remedy(base, remedy)
    assert got == dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_remedies_at_their_limit_change_nothing() -> None:
    top = LabSetup(train_size=960, width=8.0, depth=4, epochs=100, dropout=0.5, augment=True)
    for remedy in ("more_data", "wider", "deeper", "longer", "dropout", "augment"):
        assert apply_remedy(top, remedy) == top
    assert apply_remedy(LabSetup(width=0.125), "smaller") == LabSetup(width=0.125)
    assert apply_remedy(LabSetup(), "less_regularisation") == LabSetup()


def test_ensemble_remedy_and_member_seeds_wrap_at_the_largest_seed() -> None:
    assert offset_seed(4, 2) == 6 and offset_seed(MAX_SEED, 1) == 0
    top = LabSetup(seed=MAX_SEED)
    assert apply_remedy(top, "ensemble") == LabSetup(seed=0, keep_weights=True)
    assert [run.cfg.seed for run in ensemble_plan(top)] == [MAX_SEED, 0, 1]


def test_less_regularisation_weakens_every_penalty() -> None:
    strong = LabSetup(dropout=0.5, weight_decay=5e-2, l1=1e-3)
    weaker = apply_remedy(strong, "less_regularisation")
    assert weaker.dropout == 0.25 and weaker.weight_decay == pytest.approx(5e-3)
    assert weaker.l1 == pytest.approx(1e-4)
    assert apply_remedy(LabSetup(dropout=0.15, weight_decay=5e-6), "less_regularisation") == (
        LabSetup()
    )


def test_the_cure_is_scenario_one_plus_the_cures() -> None:
    assert sorted(SCENARIO_ORDER) == sorted(SCENARIOS) and SCENARIO_ORDER[0] == "overfit"
    overfit, cure = SCENARIOS["overfit"].setup, SCENARIOS["cure"].setup
    assert cure == dataclasses.replace(
        overfit, augment=True, dropout=0.5, weight_decay=0.05, early_stopping=True
    )
    assert SCENARIOS["underfit"].setup.train_size == overfit.train_size
    big = infer(setup_configs(overfit)[0]).total_params
    tiny = infer(setup_configs(SCENARIOS["underfit"].setup)[0]).total_params
    assert big > 100 * tiny


def test_lab_weight_decay_shrinks_every_weight_by_the_same_factor() -> None:
    """Issue 9, item 15: what the remedy's text says is what the lab's optimizer does. With a zero
    loss gradient, one lab step multiplies every weight by exactly 1 - lr * weight_decay
    (AdamW); Adam with an L2 penalty would instead move each weight by about lr, whatever its
    size (each weight's pull is divided by its own gradient scale)."""
    from cnnviz.train import make_optimizer

    setup = apply_remedy(LabSetup(), "weight_decay")
    _, _, cfg = setup_configs(setup)
    weights = torch.nn.Parameter(torch.tensor([1.0, -0.5, 0.01, 2.0]))
    before = weights.detach().clone()
    optimizer = make_optimizer([weights], cfg)
    weights.grad = torch.zeros_like(weights)
    optimizer.step()
    factor = 1 - cfg.lr * cfg.weight_decay
    torch.testing.assert_close(weights.detach(), before * factor, rtol=0, atol=1e-7)
    coupled = torch.nn.Parameter(before.clone())
    adam = torch.optim.Adam([coupled], lr=cfg.lr, weight_decay=cfg.weight_decay)
    coupled.grad = torch.zeros_like(coupled)
    adam.step()
    step = (before - coupled.detach()).abs()
    torch.testing.assert_close(
        step, torch.full_like(step, cfg.lr), rtol=1e-3, atol=0
    )  # not w-sized


def test_adamw_without_decay_is_adam_so_other_lab_runs_are_unchanged() -> None:
    torch.manual_seed(0)
    start = torch.randn(5)
    grads = [torch.randn(5) for _ in range(4)]
    results = []
    for optimizer_class in (torch.optim.Adam, torch.optim.AdamW):
        weights = torch.nn.Parameter(start.clone())
        optimizer = optimizer_class([weights], lr=1e-3, weight_decay=0.0)
        for grad in grads:
            weights.grad = grad.clone()
            optimizer.step()
        results.append(weights.detach())
    assert torch.equal(results[0], results[1])


# ------------------------------------------------------------------- scenarios on real training


def test_fast_scenarios_are_diagnosed_right() -> None:
    """Scenarios 1 and 2 with fewer epochs and a narrower big net: same verdicts in seconds."""
    overfit = dataclasses.replace(SCENARIOS["overfit"].setup, epochs=25, width=2.0)
    underfit = dataclasses.replace(SCENARIOS["underfit"].setup, epochs=25)
    overfit_val, verdict, train_acc = run_setup(overfit)
    assert verdict == "overfitting"
    assert train_acc > 0.9 and overfit_val < 0.8
    underfit_val, verdict, train_acc = run_setup(underfit)
    assert verdict == "underfitting"
    assert train_acc < 0.6 and underfit_val < overfit_val


@pytest.mark.slow
def test_full_scenarios_reproduce_with_fixed_seeds() -> None:
    overfit_val, verdict, _ = run_setup(SCENARIOS["overfit"].setup)
    assert verdict == SCENARIOS["overfit"].expected == "overfitting"
    _, verdict, _ = run_setup(SCENARIOS["underfit"].setup)
    assert verdict == SCENARIOS["underfit"].expected == "underfitting"
    cure_val, verdict, _ = run_setup(SCENARIOS["cure"].setup)
    assert verdict != "overfitting"
    assert cure_val >= overfit_val + 0.05  # visibly higher


# -------------------------------------------------------------------------------- sequences


def _tiny_plan(count: int) -> tuple[list[PlannedRun], object]:
    data = load_dataset(DataConfig(num_samples=120, train_size=40))
    runs = []
    for i in range(count):
        net, _, cfg = setup_configs(LabSetup(width=0.25, epochs=2, seed=i, train_size=40))
        runs.append(PlannedRun(f"r{i}", net, dataclasses.replace(cfg, num_threads=1), 0.25))
    return runs, data


def test_sequence_job_runs_everything_and_keeps_weights() -> None:
    runs, data = _tiny_plan(2)
    job = SequenceJob(runs, data, keep_weights=True, heartbeat_timeout=None)  # type: ignore[arg-type]
    assert job.snapshot().progress == 0.0
    job.start()
    assert job.join(120)
    snap = job.snapshot()
    assert snap.status == "finished" and snap.progress == 1.0 and snap.total == 2
    assert [o.label for o in snap.outcomes] == ["r0", "r1"]
    for outcome in snap.outcomes:
        assert len(outcome.epochs) == 2 and outcome.finished is not None
        assert 0.0 <= outcome.train_acc_eval <= 1.0 and outcome.model_state is not None
        model = model_from_state(runs[0].net, outcome.model_state)
        _, acc, _ = evaluate(model, data.val_x, data.val_y)  # type: ignore[attr-defined]
        assert acc == pytest.approx(outcome.val_acc_eval)
    assert snap.outcomes[0].params == infer(runs[0].net).total_params


def test_stopping_a_sequence_skips_the_remaining_runs() -> None:
    runs, data = _tiny_plan(3)
    job = SequenceJob(runs, data, heartbeat_timeout=None)  # type: ignore[arg-type]
    job.stop()  # before start: nothing runs
    job.start()
    assert job.join(30)
    assert job.snapshot().outcomes == ()
    job = SequenceJob(runs, data, heartbeat_timeout=None)  # type: ignore[arg-type]
    job.start()
    job.stop()
    assert job.join(60)
    assert len(job.snapshot().outcomes) <= 1


def test_sequence_job_rejects_a_net_that_does_not_fit_the_data() -> None:
    runs, data = _tiny_plan(1)
    bad = dataclasses.replace(runs[0], net=scaled_net((3, 32, 32), 6))
    with pytest.raises(SpecError):
        SequenceJob([bad], data)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        SequenceJob([], data)  # type: ignore[arg-type]


def test_sweep_and_regularisation_plans() -> None:
    plan = sweep_plan()
    assert [run.width for run in plan] == list(SWEEP_WIDTHS)
    params = [infer(run.net).total_params for run in plan]
    assert params == sorted(params) and params[-1] > 20 * params[0]
    assert {run.cfg.epochs for run in plan} == {SWEEP_BASE.epochs}
    labels = [run.label for run in regularisation_plan(LabSetup(weight_decay=1e-3))]
    assert labels == ["none", "l2", "l1"]
    none, l2, l1 = (run.cfg for run in regularisation_plan(LabSetup(weight_decay=1e-3)))
    assert (none.weight_decay, none.l1) == (0.0, 0.0)
    assert l2.weight_decay > 0 and l2.l1 == 0.0
    assert l1.l1 > 0 and l1.weight_decay == 0.0
    assert dataclasses.replace(l1, l1=0.0) == none
    assert none.optimizer == "momentum"  # plain SGD keeps L2 and L1 apart (see REG_BASE)


@pytest.mark.slow
def test_the_default_sweep_is_u_shaped() -> None:
    """Seed 0 (the page's sweep) is U-shaped; other seeds may not be (the page then says so)."""
    data = load_dataset(setup_configs(SWEEP_BASE)[1])
    plan = [
        dataclasses.replace(p, cfg=dataclasses.replace(p.cfg, num_threads=1)) for p in sweep_plan()
    ]
    job = SequenceJob(plan, data, heartbeat_timeout=None)
    job.start()
    assert job.join(600)
    summary = summarise_sweep(sweep_points(job.snapshot().outcomes))
    assert summary is not None and summary.u_shaped
    assert summary.largest_train_error < 0.05 < summary.best.val_error


def test_summarise_sweep_finds_the_u() -> None:
    def points(errors: list[float]) -> list[SweepPoint]:
        return [SweepPoint(2.0**i, 100 * 4**i, 0.0, e) for i, e in enumerate(errors)]

    u = summarise_sweep(points([0.6, 0.45, 0.40, 0.47, 0.50]))
    assert u is not None and u.u_shaped and u.best.val_error == 0.40
    assert u.left_error == 0.6 and u.right_error == 0.50
    flat = summarise_sweep(points([0.6, 0.45, 0.40, 0.41, 0.40]))
    assert flat is not None and not flat.u_shaped
    assert summarise_sweep(points([0.5, 0.4])) is None


def test_sweep_points_skip_unfinished_runs() -> None:
    runs, data = _tiny_plan(1)
    job = SequenceJob(runs, data, heartbeat_timeout=None)  # type: ignore[arg-type]
    job.start()
    job.join(60)
    (point,) = sweep_points(job.snapshot().outcomes)
    outcome = job.snapshot().outcomes[0]
    assert point.val_error == pytest.approx(1 - outcome.val_acc_eval)
    assert point.params == outcome.params


# --------------------------------------------------------------------------------- ensembles


class Fixed(nn.Module):
    """A 'model' that returns fixed logits, to check the ensemble arithmetic by hand."""

    def __init__(self, logits: torch.Tensor) -> None:
        super().__init__()
        self.logits = nn.Parameter(logits.clone(), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.logits[x[:, 0].long()]


def test_ensemble_averages_probabilities() -> None:
    y = torch.tensor([0, 1, 2])
    x = torch.arange(3).float().view(3, 1)
    a = Fixed(torch.tensor([[5.0, 0, 0], [0, 0, 5], [0, 0, 5]]))  # right, wrong, right
    b = Fixed(torch.tensor([[0.0, 5, 0], [0, 5, 0], [0, 0, 5]]))  # wrong, right, right
    c = Fixed(torch.tensor([[5.0, 0, 0], [0, 5, 0], [5, 0, 0]]))  # right, right, wrong
    result = ensemble_result([a, b, c], x, y)
    assert result.member_accs == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert result.ensemble_acc == 1.0  # every image has two right votes out of three
    probs = np.mean([torch.softmax(m.logits, 1).numpy() for m in (a, b, c)], axis=0)
    expected = -np.mean(np.log(probs[np.arange(3), y.numpy()]))
    assert result.ensemble_loss == pytest.approx(expected, rel=1e-5)
    single = ensemble_result([a], x, y)
    assert single.ensemble_acc == pytest.approx(single.member_accs[0])
    with pytest.raises(ValueError):
        ensemble_result([], x, y)


def test_ensemble_plan_trains_the_setup_with_consecutive_seeds() -> None:
    base = LabSetup(width=0.5, seed=7)
    plan = ensemble_plan(base)
    assert len(plan) == ENSEMBLE_MEMBERS
    assert [run.label for run in plan] == ["seed 7", "seed 8", "seed 9"]
    for offset, run in enumerate(plan):
        net, _, cfg = setup_configs(dataclasses.replace(base, seed=7 + offset))
        assert run.net == net and run.cfg == cfg and run.width == 0.5


def test_ensemble_result_member_summaries() -> None:
    y = torch.tensor([0, 1])
    x = torch.arange(2).float().view(2, 1)
    right = Fixed(torch.tensor([[5.0, 0], [0, 5]]))
    half = Fixed(torch.tensor([[5.0, 0], [5, 0]]))
    result = ensemble_result([right, half], x, y)
    assert result.best_member_acc == 1.0
    assert result.mean_member_acc == pytest.approx(0.75)


def test_ensemble_compatible_needs_one_shape_and_one_validation_set() -> None:
    small, _, _ = setup_configs(LabSetup(width=0.5))
    wide, _, _ = setup_configs(LabSetup(width=2.0, depth=3))
    lab = lab_data_config(100)
    assert ensemble_compatible([small, wide], [lab, lab_data_config(400, 0.2)])
    assert not ensemble_compatible([small, scaled_net((1, 28, 28), 10)], [lab, lab])
    assert not ensemble_compatible([small, scaled_net((3, 28, 28), 6)], [lab, lab])
    assert not ensemble_compatible([small, small], [lab, dataclasses.replace(lab, seed=3)])


def test_cpu_state_dict_is_detached_from_the_model() -> None:
    model = nn.Linear(3, 2)
    kept = cpu_state_dict(model)
    with torch.no_grad():
        model.weight.add_(1.0)
    assert set(kept) == {"weight", "bias"}
    assert torch.equal(kept["weight"] + 1.0, model.weight)


def test_near_zero_share() -> None:
    values = np.array([0.0, 5e-4, -5e-4, 2e-3, -1.0])
    assert near_zero_share(values) == pytest.approx(3 / 5)
    assert near_zero_share(values, tol=1e-5) == pytest.approx(1 / 5)
    assert near_zero_share(np.array([])) == 0.0
    assert NEAR_ZERO == 1e-3


def test_same_validation_set() -> None:
    base = lab_data_config(100)
    assert same_validation_set([base, lab_data_config(400, 0.3)])
    assert not same_validation_set([base, dataclasses.replace(base, seed=1)])
    assert not same_validation_set([base, DataConfig(name="mnist")])


def test_scaled_lab_net_has_dropout_only_when_asked() -> None:
    net, _, _ = setup_configs(LabSetup(dropout=0.0))
    assert not any(isinstance(layer, DropoutSpec) for layer in net.layers)
    net, _, _ = setup_configs(LabSetup(dropout=0.4))
    assert [layer.p for layer in net.layers if isinstance(layer, DropoutSpec)] == [0.4]


def test_scenario_explanations_fill_in_the_numbers() -> None:
    from cnnviz.train import Diagnosis

    def d(train: float, val: float) -> Diagnosis:
        return Diagnosis("overfitting", 12, train, val, 0.01, 1.3, train - val, 0.4, (), 0.9)

    setup = SCENARIOS["overfit"].setup
    text = scenario_explanation("overfit", d(1.0, 0.68), setup, 237_126)
    assert "100 images" in text and "68%" in text and "32-point gap" in text and "epoch 12" in text
    assert "44%" in text  # the rise 0.4 over the minimum 0.9
    cure = scenario_explanation("cure", d(0.86, 0.82), setup, 237_126, d(1.0, 0.68))
    assert "82% against 68%" in cure and "+14 points" in cure and "from 32 to 4" in cure
    alone = scenario_explanation("cure", d(0.86, 0.82), setup, 237_126, None, "zh")
    assert "运行实验 1 即可对比" in alone
    assert "237,126" in scenario_explanation("underfit", d(0.4, 0.3), setup, 237_126)


def test_lab_figures_carry_the_numbers() -> None:
    from cnnviz.viz import ensemble_figure, sweep_figure, weights_figure

    points = [SweepPoint(0.5, 1000, 0.3, 0.6), SweepPoint(1.0, 4000, 0.0, 0.4)]
    fig = sweep_figure(points, "en")
    train, val, best = fig.data
    assert list(train.y) == [30.0, 0.0] and list(val.y) == [60.0, 40.0]
    assert list(best.x) == [4000] and fig.layout.xaxis.type == "log"
    fig = ensemble_figure(["a", "b"], [0.7, 0.8], 0.85, "zh")
    assert list(fig.data[0].y) == pytest.approx([70.0, 80.0, 85.0])
    assert fig.data[0].x[-1] == "集成(平均)"
    values = np.array([0.0] * 50 + [0.1] * 50)
    fig = weights_figure([("L1", values)], "en", tol=1e-3)
    assert fig.data[0].name == "L1: 50% near zero"
    assert np.nansum(fig.data[0].y) == pytest.approx(100.0)


def test_ensemble_data_fits_images_to_the_members_input_and_checks_classes() -> None:
    from cnnviz.data import DataConfig, load_dataset
    from cnnviz.net import get_preset, with_num_classes

    data = load_dataset(DataConfig(num_samples=120, seed=3))  # (1, 28, 28), 6 classes
    lenet = with_num_classes(get_preset("lenet5"), data.num_classes)  # (1, 32, 32) input
    fitted = ensemble_data(data, lenet)
    assert fitted is not None
    assert fitted.input_shape == (1, 32, 32)
    assert fitted.val_x.shape[1:] == (1, 32, 32)
    assert torch.equal(fitted.val_y, data.val_y)
    assert ensemble_data(data, get_preset("lenet5")) is None  # 10 outputs, 6 classes
