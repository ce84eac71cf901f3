"""/losses library: softmax and the article's cross-entropy, every loss and gradient of the catalogue
against torch.nn.functional and closed forms, focal against references, Dice and SSIM against hand
computations, the sigmoid neuron against its formulas, metric losses, the embedding task, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torchvision.ops import sigmoid_focal_loss as torchvision_focal

from cnnviz.concepts import (
    CURVE_LOSSES,
    SEED001_PREDICTION,
    SEED001_TARGET,
    ConceptError,
    EmbeddingStep,
    EmbeddingTask,
    LossSettings,
    classification_catalogue,
    contrastive_loss,
    dice_loss,
    focal_loss,
    image_losses,
    logits_from_probabilities,
    loss_curves,
    metric_losses,
    parse_vector,
    probability_cross_entropy,
    regression_catalogue,
    sigmoid_focal_loss,
    softmax_explain,
    ssim,
    tcnn_parts,
    train_neuron,
    train_neurons,
)
from cnnviz.jobs import EventLogJob, WorkerPool

SETTINGS = LossSettings(delta=0.5, margin=1.0, gamma=2.0, smoothing=0.1)
LOGITS = (2.0, -1.0, 0.5, 0.0)


def test_the_articles_cross_entropy_is_2_436() -> None:
    result = probability_cross_entropy(SEED001_PREDICTION, SEED001_TARGET)
    assert round(result.loss, 3) == 2.436
    assert result.loss == pytest.approx(-math.log(0.0875))
    assert result.total == pytest.approx(0.9999)  # the article's q, rounded, sum to 0.9999
    # the logits ln q give the renormalised q: the same 2.436
    soft = softmax_explain(logits_from_probabilities(SEED001_PREDICTION), SEED001_TARGET)
    assert round(soft.loss, 3) == 2.436
    np.testing.assert_allclose(soft.probabilities, np.array(SEED001_PREDICTION) / 0.9999)


def test_softmax_temperature_and_gradient_against_autograd_formula() -> None:
    result = softmax_explain(LOGITS, 2, temperature=0.5)
    z = torch.tensor(LOGITS, dtype=torch.float64)
    p = F.softmax(z / 0.5, dim=0)
    np.testing.assert_allclose(result.probabilities, p.numpy())
    assert result.loss == pytest.approx(float(F.cross_entropy((z / 0.5)[None], torch.tensor([2]))))
    expected = (p - F.one_hot(torch.tensor(2), 4)) / 0.5
    np.testing.assert_allclose(result.grad, expected.numpy(), atol=1e-12)
    assert result.predicted == 0 and result.target_probability == pytest.approx(float(p[2]))


def test_huge_logits_are_refused_but_large_ones_are_stable() -> None:
    result = softmax_explain((100.0, -100.0, 0.0), 1)
    assert result.loss == pytest.approx(200.0)  # log-sum-exp: no overflow
    for bad in ((1e4, 0.0), (-1e4, 1.0)):
        with pytest.raises(ConceptError, match="within"):
            softmax_explain(bad, 0)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "why.input.empty"),
        ("1, nan, 2", "why.input.not_finite"),
        ("1, inf", "why.input.not_finite"),
        ("1, x", "why.input.not_number"),
        (",".join(["1"] * 40), "why.input.too_long"),
    ],
)
def test_bad_vectors_have_messages_in_both_languages(text: str, key: str) -> None:
    with pytest.raises(ConceptError) as error:
        parse_vector(text)
    assert error.value.key == key
    assert error.value.text("en") and error.value.text("zh") != error.value.text("en")


def test_target_outside_the_classes_and_bad_probabilities() -> None:
    with pytest.raises(ConceptError) as error:
        softmax_explain(LOGITS, 4)
    assert error.value.key == "why.input.bad_index"
    with pytest.raises(ConceptError):
        softmax_explain((1.0,), 0)  # one class is not a classification
    with pytest.raises(ConceptError) as error:
        probability_cross_entropy((0.5, 0.2), 0)
    assert error.value.key == "why.loss.bad_sum"
    with pytest.raises(ConceptError):
        probability_cross_entropy((1.0, 0.0), 0)  # ln 0


def test_regression_catalogue_values_and_gradients() -> None:
    pred, target = (0.5, 2.0, -1.0), (0.0, 0.0, -1.2)
    entries = {e.key: e for e in regression_catalogue(pred, target, SETTINGS)}
    d = np.array(pred) - np.array(target)
    assert entries["mse"].value == pytest.approx(np.mean(d**2))
    np.testing.assert_allclose(entries["mse"].grad, 2 * d / 3)
    assert entries["mae"].value == pytest.approx(np.mean(np.abs(d)))
    np.testing.assert_allclose(entries["mae"].grad, np.sign(d) / 3)
    beta = SETTINGS.delta
    smooth = np.where(np.abs(d) < beta, 0.5 * d**2 / beta, np.abs(d) - 0.5 * beta)
    assert entries["smooth_l1"].value == pytest.approx(smooth.mean())
    assert entries["huber"].value == pytest.approx(
        beta * smooth.mean()
    )  # huber = delta * smooth L1
    np.testing.assert_allclose(entries["huber"].grad, np.clip(d, -beta, beta) / 3)
    with pytest.raises(ConceptError) as error:
        regression_catalogue((1.0, 2.0), (1.0,), SETTINGS)
    assert error.value.key == "why.input.ragged"


def test_classification_catalogue_values_and_gradients() -> None:
    entries = {e.key: e for e in classification_catalogue(LOGITS, 1, SETTINGS)}
    z = torch.tensor(LOGITS, dtype=torch.float64)
    p = F.softmax(z, 0)
    onehot = F.one_hot(torch.tensor(1), 4).double()
    assert entries["ce"].value == pytest.approx(-math.log(float(p[1])))
    np.testing.assert_allclose(entries["ce"].grad, (p - onehot).numpy(), atol=1e-12)
    assert entries["nll"].value == pytest.approx(entries["ce"].value)
    np.testing.assert_allclose(entries["nll"].grad, entries["ce"].grad)
    s = torch.sigmoid(z)
    assert entries["bce_logits"].value == pytest.approx(
        float(-(onehot * s.log() + (1 - onehot) * (1 - s).log()).mean())
    )
    np.testing.assert_allclose(entries["bce_logits"].grad, ((s - onehot) / 4).numpy(), atol=1e-12)
    hinge = sum(max(0.0, 1 - LOGITS[1] + LOGITS[j]) for j in range(4) if j != 1) / 4
    assert entries["hinge"].value == pytest.approx(hinge)
    smooth = torch.full((4,), 0.1 / 4, dtype=torch.float64)
    smooth[1] += 0.9
    entropy = float(-(smooth * smooth.log()).sum())
    cross = float(-(smooth * F.log_softmax(z, 0)).sum())
    assert entries["kl"].value == pytest.approx(cross - entropy)  # KL = CE - H(p)
    focal = -((1 - float(p[1])) ** 2) * math.log(float(p[1]))
    assert entries["focal"].value == pytest.approx(focal)


def test_focal_loss_against_references() -> None:
    z = torch.randn(5, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    t = torch.tensor([0, 3, 1, 1, 2])
    assert float(focal_loss(z, t, 0.0)) == pytest.approx(float(F.cross_entropy(z, t)))
    log_p = F.log_softmax(z, 1)[torch.arange(5), t].numpy()
    reference = np.mean(-((1 - np.exp(log_p)) ** 1.5) * log_p)
    assert float(focal_loss(z, t, 1.5)) == pytest.approx(reference)
    z.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda x: focal_loss(x, t, 2.0), (z,))
    targets = (torch.rand(5, 4, generator=torch.Generator().manual_seed(2)) > 0.5).double()
    for alpha in (-1.0, 0.25):
        ours = sigmoid_focal_loss(z.detach(), targets, 2.0, alpha)
        theirs = torchvision_focal(z.detach(), targets, alpha=alpha, gamma=2.0, reduction="sum")
        assert float(ours) == pytest.approx(float(theirs))


def test_loss_curves_fall_as_the_true_class_gets_likely() -> None:
    p, curves = loss_curves(6, SETTINGS, points=99)
    assert set(curves) == set(CURVE_LOSSES) and p.shape == (99,)
    np.testing.assert_allclose(curves["ce"], -np.log(p))
    np.testing.assert_allclose(curves["bce_logits"], -np.log(p))
    rest = (1 - p) / 5
    np.testing.assert_allclose(curves["mse"], ((1 - p) ** 2 + 5 * rest**2) / 6)
    for key in ("mse", "mae", "ce", "focal"):
        assert np.all(np.diff(curves[key]) < 0), key
    assert curves["focal"][-1] < curves["ce"][-1]  # well-classified examples are down-weighted


def test_dice_and_ssim_against_hand_computations() -> None:
    g = torch.tensor([[0, 1], [1, 1]], dtype=torch.float64)
    pr = torch.tensor([[0.5, 1], [0, 1]], dtype=torch.float64)
    assert float(dice_loss(pr, g, eps=0.0)) == pytest.approx(1 - 2 * 2 / (2.5 + 3))
    x = torch.rand(5, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    y = torch.rand(5, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    value, ssim_map = ssim(x, y, window=5, sigma=None)  # one window: the global formula
    a, b = x.numpy().ravel(), y.numpy().ravel()
    c1, c2 = 0.01**2, 0.03**2
    cov = np.mean((a - a.mean()) * (b - b.mean()))
    by_hand = ((2 * a.mean() * b.mean() + c1) * (2 * cov + c2)) / (
        (a.mean() ** 2 + b.mean() ** 2 + c1) * (a.var() + b.var() + c2)
    )
    assert ssim_map.shape == (1, 1) and float(value) == pytest.approx(by_hand)
    assert float(ssim(x, x, window=3)[0]) == pytest.approx(1.0)


def test_image_losses_and_their_gradients() -> None:
    same = image_losses("square", "same")
    assert (
        same.mse == 0 and same.dice == pytest.approx(0, abs=1e-9) and same.ssim == pytest.approx(1)
    )
    inverted = image_losses("circle", "inverted")
    assert inverted.dice == pytest.approx(1, abs=1e-6) and inverted.ssim < 0
    shifted = image_losses("cross", "shifted")
    target = torch.tensor(shifted.target)
    pred = torch.tensor(shifted.prediction, requires_grad=True)
    dice_loss(pred, target).backward()
    np.testing.assert_allclose(shifted.dice_grad, pred.grad.numpy())  # type: ignore[union-attr]
    np.testing.assert_allclose(shifted.mse_grad, 2 * (shifted.prediction - shifted.target) / 144)


def test_one_optimizer_for_both_neurons_equals_two_runs() -> None:
    mse, ce = train_neurons(w=1.5, b=-0.5, lr=0.5, steps=40, y=0.2)
    for together, alone in (
        (mse, train_neuron("mse", w=1.5, b=-0.5, lr=0.5, steps=40, y=0.2)),
        (ce, train_neuron("ce", w=1.5, b=-0.5, lr=0.5, steps=40, y=0.2)),
    ):
        for field in ("w", "b", "z", "a", "loss", "delta", "grad_w", "grad_b", "sigma_prime"):
            np.testing.assert_allclose(getattr(together, field), getattr(alone, field), rtol=1e-12)


def test_sigmoid_neuron_mse_crawls_and_cross_entropy_does_not() -> None:
    mse, ce = train_neurons()
    z0 = 4.0
    s = 1 / (1 + math.exp(-z0))
    assert mse.delta[0] == pytest.approx(s * (1 - s) * s)  # sigma'(z)(a - y)
    assert ce.delta[0] == pytest.approx(s)  # (a - y)
    assert mse.sigma_prime[0] == pytest.approx(s * (1 - s))
    np.testing.assert_allclose(mse.delta, mse.sigma_prime * (mse.a - 0.0))
    assert ce.grad_w[0] == pytest.approx(ce.delta[0] * 1.0)  # x = 1
    assert mse.w[1] == pytest.approx(2.0 - 0.15 * mse.grad_w[0])  # torch.optim.SGD's step
    assert ce.a[50] < 0.1 and mse.a[50] > 0.9  # cross-entropy learns fast from a bad start
    assert len(mse.a) == 301


def test_metric_losses_against_hand_formulas() -> None:
    result = metric_losses((0.0, 0.0), (1.0, 0.0), (0.0, 0.5), margin=1.0)
    assert result.d_pos == pytest.approx(1.0, abs=1e-5) and result.d_neg == pytest.approx(
        0.5, abs=1e-5
    )
    assert result.triplet == pytest.approx(1.0 - 0.5 + 1.0, abs=1e-5)
    assert result.contrastive_pos == pytest.approx(1.0, abs=1e-5)
    assert result.contrastive_neg == pytest.approx(0.25, abs=1e-5)
    # triplet gradient: positive pulled towards the anchor, negative pushed away (unit vectors)
    np.testing.assert_allclose(result.triplet_grads[1], [1.0, 0.0], atol=1e-4)
    np.testing.assert_allclose(result.triplet_grads[2], [0.0, -1.0], atol=1e-4)
    np.testing.assert_allclose(result.contrastive_grads[1], [2.0, 0.0], atol=1e-4)  # d(d^2) = 2 d
    easy = metric_losses((0.0, 0.0), (0.1, 0.0), (5.0, 0.0), margin=1.0)
    assert easy.triplet == 0 and not easy.triplet_grads.any()
    d = torch.tensor([0.2, 2.0])
    assert contrastive_loss(d, torch.tensor([0.0, 0.0]), 1.0).tolist() == pytest.approx([0.64, 0.0])
    with pytest.raises(ConceptError):
        metric_losses((0.0, 0.0, 1.0), (1.0, 0.0), (0.0, 0.5))  # a 3-D point


def test_tcnn_parts() -> None:
    a = torch.tensor([[0.0, 0.0]])
    p = torch.tensor([[3.0, 4.0]])
    n = torch.tensor([[0.0, 1.0]])
    r, l1, l2 = tcnn_parts(torch.zeros(1, 6), torch.tensor([2]), a, p, n)
    assert float(r) == pytest.approx(math.log(6))
    assert float(l1) == pytest.approx(12.5)
    assert float(l2) == pytest.approx(0.5)  # the nearer of the two: the anchor


def test_embedding_task_learns_in_a_worker_process() -> None:
    task = EmbeddingTask(steps=30, every=10, batch=16, num_images=120, probe=60)
    pool = WorkerPool(1, threads=1)
    try:
        job = EventLogJob(task, runner=pool, heartbeat_timeout=None)
        job.start()
        assert job.join(120) and job.status == "finished", job.error_message
    finally:
        pool.close()
    steps = job.events(EmbeddingStep)
    assert [s.step for s in steps] == [0, 10, 20, 30]
    assert steps[0].points.shape == (60, 2) and steps[-1].triplet < steps[0].triplet
    assert steps[-1].loss == pytest.approx(steps[-1].triplet)
    tcnn = list(EmbeddingTask(objective="tcnn", steps=1, every=1, num_images=60).run(_NoStop()))
    first = tcnn[0]
    assert isinstance(first, EmbeddingStep)
    assert first.loss == pytest.approx(first.r + 0.1 * first.l1 - 0.001 * first.l2)
    assert first.tcnn == pytest.approx(first.loss)


class _NoStop:
    stop_requested = False

    def checkpoint(self) -> None:
        return None


def test_neuron_task_yields_the_runs_as_they_grow_and_ends_on_train_neurons() -> None:
    """The background task (what the /losses page runs) reports both runs every 25 steps; its
    last report is exactly train_neurons' result."""
    from cnnviz.concepts import NeuronPair, NeuronTask
    from cnnviz.jobs import Progress

    events = list(NeuronTask(w=2.0, b=2.0, lr=0.15, steps=100, every=25).run(_NoStop()))
    pairs = [e for e in events if isinstance(e, NeuronPair)]
    assert [p.step for p in pairs] == [0, 25, 50, 75, 100]
    assert [len(p.mse.loss) for p in pairs] == [1, 26, 51, 76, 101]
    assert isinstance(events[-1], Progress) and events[-1].fraction == 1.0
    mse, ce = train_neurons(w=2.0, b=2.0, lr=0.15, steps=100)
    for got, want in ((pairs[-1].mse, mse), (pairs[-1].ce, ce)):
        np.testing.assert_array_equal(got.loss, want.loss)
        np.testing.assert_array_equal(got.w, want.w)
        np.testing.assert_array_equal(got.sigma_prime, want.sigma_prime)
    # an early report is the start of the final run
    np.testing.assert_array_equal(pairs[1].ce.w, ce.w[:26])
