"""The training engine: a generator of events that the app, the CLI, notebooks and tests all drive.

``train(model, data, cfg)`` runs mini-batch gradient descent and *yields* what happened as small
frozen dataclasses (:mod:`cnnviz.train.events`, which gives their order).

One step: ``loss = CE(model(x), y; label_smoothing) + l1 * sum |w|``; ``loss.backward()``;
optional gradient clipping ``g <- g * min(1, clip / ||g||)``; ``optimizer.step()``; LR schedule.
It never prints, plots or sleeps; pausing happens inside ``control.checkpoint()`` (cnnviz.control).
Randomness (init, shuffling, dropout, augmentation) comes from per-run ``torch.Generator`` objects
seeded from ``cfg.seed``: the same seed gives the same events on the CPU even while other jobs train
in other threads.

Lesson: the "Train live" page (and the Overfitting lab, through :func:`fit`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.control import Control, JobStopped
from cnnviz.data import DatasetBundle, augment_batch, pca_colour_basis
from cnnviz.net import NetSpec, SpecError, build_model
from cnnviz.train.config import TrainConfig
from cnnviz.train.device import device_label, pick_device
from cnnviz.train.evaluation import final_evaluation
from cnnviz.train.events import (
    BatchEnd,
    Diverged,
    EpochEnd,
    Evaluated,
    Event,
    Finished,
    RunResult,
    Started,
)
from cnnviz.train.fitting import check_limits, fit_to_data
from cnnviz.train.optim import apply_init, make_optimizer, make_scheduler
from cnnviz.train.probe import param_groups, probe_input, take_snapshot

__all__ = ["batches_per_epoch", "cpu_state_dict", "fit", "train"]

_DIVERGE_FACTOR = 10.0  # smoothed loss above 10x the reference loss = exploding


# ----------------------------------------------------------------------------------------- events


# ------------------------------------------------------------------------------- model inspection


# --------------------------------------------------------------------------------- limits / fitting


# ------------------------------------------------------------------------------------ the loop


def batches_per_epoch(num_train: int, batch_size: int) -> int:
    """Optimizer steps in one epoch: ``ceil(N / min(B, N))``, at least 1 (the last batch may be
    smaller; nothing is dropped). The LR-schedule plot of the "Train live" page uses it too."""
    batch = min(batch_size, max(1, num_train))
    return max(1, math.ceil(num_train / max(1, batch)))


def cpu_state_dict(model: nn.Module) -> dict[str, torch.Tensor]:
    """A detached CPU copy of ``model.state_dict()`` (the weights a run keeps in the history)."""
    return {name: value.detach().to("cpu").clone() for name, value in model.state_dict().items()}


class _DivergenceWatch:
    """Flags a diverging run: a non-finite batch loss, or an exponential moving average of the
    batch loss (``ema <- 0.9 ema + 0.1 loss``) above ``10 x max(first batch loss, ln K)``
    (``ln K`` is the loss of a uniform guess over K classes). The average ignores one unlucky
    batch; the reference is the run's own start, so hard datasets are not flagged."""

    def __init__(self, num_classes: int) -> None:
        self.floor = math.log(max(num_classes, 2))
        self.reference: float | None = None
        self.ema: float | None = None

    def update(self, loss: float) -> str | None:
        """The catalog key explaining the divergence, or None while the run is healthy."""
        if not math.isfinite(loss):
            return "train.diverged.nan"
        if self.reference is None:
            self.reference = max(loss, self.floor)
        self.ema = loss if self.ema is None else 0.9 * self.ema + 0.1 * loss
        return "train.diverged.exploding" if self.ema > _DIVERGE_FACTOR * self.reference else None


class _Clock:
    """Seconds of active training: wall time minus the time spent paused."""

    def __init__(self, control: Control | None) -> None:
        self._start = time.perf_counter()
        self._control = control

    def __call__(self) -> float:
        paused = self._control.paused_seconds if self._control is not None else 0.0
        return time.perf_counter() - self._start - paused


def _to_device(x: torch.Tensor, device: torch.device) -> torch.Tensor:
    """Move a dataset tensor once: pinned + non-blocking to CUDA; a no-op on the CPU."""
    if device.type == "cuda":
        return x.pin_memory().to(device, non_blocking=True)
    return x.to(device)


def _generators(seed: int) -> dict[str, torch.Generator]:
    """Independent CPU random streams of one run (never the global RNG)."""
    names = ("init", "shuffle", "dropout", "augment")
    return {name: torch.Generator().manual_seed(seed * 4 + i) for i, name in enumerate(names)}


def _norms(groups: list[tuple[str, list[nn.Parameter]]], *, grads: bool) -> torch.Tensor:
    """Per group: ``sqrt(sum ||p||^2)`` of the parameters (or their gradients), one tensor (G,)."""
    values = []
    for _, params in groups:
        found = [p.grad if grads else p for p in params]
        tensors = [t.detach().float() for t in found if t is not None]
        if tensors:
            values.append(torch.linalg.vector_norm(torch.stack([t.norm() for t in tensors])))
        else:
            values.append(torch.zeros((), device=params[0].device))
    return torch.stack(values)


def _l1_penalty(model: nn.Module) -> torch.Tensor:
    """``sum |w|`` over the weight tensors (dim > 1: conv kernels, linear matrices; no biases)."""
    weights = [p.abs().sum() for p in model.parameters() if p.dim() > 1]
    return torch.stack(weights).sum() if weights else torch.zeros(())


def _probe_batch(
    probe: torch.Tensor | None, data: DatasetBundle, device: torch.device
) -> torch.Tensor | None:
    image = probe_input(data, probe)
    return image.to(device) if image is not None else None


def train(
    model: nn.Module,
    data: DatasetBundle,
    cfg: TrainConfig,
    *,
    control: Control | None = None,
    probe: torch.Tensor | None = None,
) -> Iterator[Event]:
    """Train ``model`` on ``data`` with ``cfg``, yielding events (see the module docstring).

    ``control`` (a :class:`cnnviz.control.Control`) is checked before every batch: it blocks while
    paused and raises ``JobStopped`` when stopped, which ends the run with
    ``Finished(reason="stopped")``. ``probe``: the image whose feature maps are snapshotted
    (default: the first validation image). Never raises for a diverging run: it yields
    ``Diverged`` then ``Finished(reason="diverged")``.

    Divergence rule: see :class:`_DivergenceWatch`. With ``cfg.early_stopping`` the weights of
    the best epoch are restored whenever the run ends early (early stopping, time limit, stop).
    Then, once, :func:`cnnviz.train.evaluation.final_evaluation` measures the final weights on
    the official test split (``Evaluated``), unless the run was stopped or diverged.
    """
    if cfg.num_threads is not None:
        torch.set_num_threads(cfg.num_threads)
    device = pick_device(cfg.device)
    gens = _generators(cfg.seed)
    apply_init(model, cfg.init, sigma=cfg.init_sigma, generator=gens["init"])
    model.to(device)
    set_generator = getattr(model, "set_generator", None)
    if callable(set_generator):
        dropout_gen = gens["dropout"]
        if device.type != "cpu":
            dropout_gen = torch.Generator(device=device).manual_seed(cfg.seed * 4 + 2)
        set_generator(dropout_gen)

    train_x, train_y = _to_device(data.train_x, device), _to_device(data.train_y, device)
    val_x, val_y = _to_device(data.val_x, device), _to_device(data.val_y, device)
    probe_x = _probe_batch(probe, data, device)
    num_train = int(train_y.shape[0])
    batch_size = min(cfg.batch_size, max(1, num_train))
    steps_per_epoch = batches_per_epoch(num_train, cfg.batch_size)
    total_steps = cfg.epochs * steps_per_epoch
    num_classes = data.num_classes

    optimizer = make_optimizer(model.parameters(), cfg)
    scheduler, per_batch = make_scheduler(optimizer, cfg, steps_per_epoch)
    use_amp = cfg.amp and device.type == "cuda"
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
    colour_basis = None
    if cfg.augment.enabled and cfg.augment.pca_colour > 0:  # AlexNet: the training set's PCA
        colour_basis = pca_colour_basis(data.train_x, data.mean, data.std)
    groups = param_groups(model)
    group_names = [name for name, _ in groups]
    # CUDA: read losses back in bursts (each .item() is a device sync); CPU: every batch is free.
    flush_every = 1 if device.type == "cpu" else max(1, min(cfg.snapshot_every, 25))
    norm_every = max(1, steps_per_epoch // 10)  # ~10 gradient-norm samples per epoch

    clock = _Clock(control)
    yield Started(device.type, device_label(device), total_steps, cfg.epochs)
    yield take_snapshot(model, probe_x, epoch=0, step=0)

    step = 0
    watch = _DivergenceWatch(num_classes)
    best_epoch: int | None = None
    best_val_loss: float | None = None
    best_state: dict[str, torch.Tensor] | None = None
    epochs_without_improvement = 0
    reason = "completed"

    def finish(why: str) -> Finished:
        if best_state is not None and why in ("early_stopping", "time_limit", "stopped"):
            model.load_state_dict(best_state)
        return Finished(why, best_epoch, best_val_loss, clock())

    try:
        for epoch in range(1, cfg.epochs + 1):
            epoch_start = clock()
            model.train()
            order = torch.randperm(num_train, generator=gens["shuffle"]).to(device)
            loss_sum = 0.0  # sum over the epoch of batch loss x batch size (Python floats)
            correct = torch.zeros((), device=device, dtype=torch.long)
            grad_sum = torch.zeros(len(groups), device=device)
            grad_samples = 0
            pending: list[tuple[int, int, torch.Tensor, float, int]] = []
            stop_reason: str | None = None
            for batch in range(1, steps_per_epoch + 1):
                if control is not None:
                    control.checkpoint()
                index = order[(batch - 1) * batch_size : batch * batch_size]
                xb, yb = train_x[index], train_y[index]  # (B, C, H, W), (B,)
                if cfg.augment.enabled:
                    xb = augment_batch(
                        xb,
                        cfg.augment,
                        gens["augment"],
                        mean=data.mean,
                        std=data.std,
                        colour_basis=colour_basis,
                    )
                with torch.autocast(device.type, dtype=torch.float16, enabled=use_amp):
                    logits = model(xb)  # (B, K)
                    loss = F.cross_entropy(logits, yb, label_smoothing=cfg.label_smoothing)
                objective = loss
                if cfg.l1 > 0:
                    objective = loss + cfg.l1 * _l1_penalty(model).to(loss.device)
                optimizer.zero_grad(set_to_none=True)
                scaler.scale(objective).backward()
                sample_norms = (batch - 1) % norm_every == 0
                if cfg.grad_clip is not None or sample_norms:
                    scaler.unscale_(optimizer)
                if sample_norms:
                    grad_sum += _norms(groups, grads=True)
                    grad_samples += 1
                if cfg.grad_clip is not None:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
                lr = float(optimizer.param_groups[0]["lr"])
                scaler.step(optimizer)
                scaler.update()
                if scheduler is not None and per_batch:
                    scheduler.step()
                step += 1
                correct += (logits.detach().argmax(dim=1) == yb).sum()
                pending.append((batch, step, loss.detach(), lr, len(index)))

                out_of_time = cfg.max_seconds is not None and clock() > cfg.max_seconds
                if len(pending) >= flush_every or batch == steps_per_epoch or out_of_time:
                    if len(pending) == 1:
                        values = [pending[0][2].item()]
                    else:
                        values = torch.stack([p[2].float() for p in pending]).tolist()
                    for (b, s, _, rate, size), value in zip(pending, values, strict=True):
                        loss_sum += value * size
                        yield BatchEnd(epoch, b, s, value, rate)
                        problem = watch.update(value)
                        if problem is not None:
                            yield Diverged(epoch, s, value, problem)
                            yield finish("diverged")
                            return
                    pending.clear()
                if step % cfg.snapshot_every == 0:
                    yield take_snapshot(model, probe_x, epoch, step)
                if out_of_time:
                    stop_reason = "time_limit"
                    break
            if stop_reason is not None:
                reason = stop_reason
                break

            if scheduler is not None and not per_batch:
                scheduler.step()
            train_seconds = clock() - epoch_start
            seen = num_train  # every training image once per epoch
            val_loss, val_correct = _evaluate_on_device(model, val_x, val_y, use_amp)
            val_acc = val_correct / max(1, int(val_y.shape[0]))
            if not math.isfinite(val_loss):
                yield Diverged(epoch, step, val_loss, "train.diverged.nan")
                reason = "diverged"
                break
            weight_norms = _norms(groups, grads=False).tolist()
            grad_norms = (grad_sum / max(1, grad_samples)).tolist()
            epoch_end = EpochEnd(
                epoch=epoch,
                train_loss=loss_sum / seen,
                train_acc=int(correct) / seen,
                val_loss=val_loss,
                val_acc=val_acc,
                lr=float(optimizer.param_groups[0]["lr"]),
                seconds=clock() - epoch_start,
                images_per_second=seen / max(train_seconds, 1e-9),
                grad_norms=dict(zip(group_names, grad_norms, strict=True)),
                weight_norms=dict(zip(group_names, weight_norms, strict=True)),
            )
            yield epoch_end
            yield take_snapshot(model, probe_x, epoch, step)
            if best_val_loss is None or val_loss < best_val_loss:
                best_epoch, best_val_loss = epoch, val_loss
                epochs_without_improvement = 0
                if cfg.early_stopping:
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                epochs_without_improvement += 1
                if cfg.early_stopping and epochs_without_improvement >= cfg.patience:
                    reason = "early_stopping"
                    break
    except JobStopped:
        reason = "stopped"
    final = finish(reason)  # restores the best weights first when the run ended early
    if reason not in ("stopped", "diverged"):
        try:
            evaluated = final_evaluation(model, data, cfg, control)
        except JobStopped:  # stopped while measuring: no half measurement
            evaluated = None
        if evaluated is not None:
            yield evaluated
    yield final


def _evaluate_on_device(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, use_amp: bool, batch_size: int = 512
) -> tuple[float, int]:
    """Mean cross-entropy (no smoothing) and the number of correct predictions, eval mode."""
    was_training = model.training
    model.eval()
    loss_sum = torch.zeros((), device=x.device)
    correct = torch.zeros((), device=x.device, dtype=torch.long)
    with torch.no_grad():
        for start in range(0, len(y), batch_size):
            xb, yb = x[start : start + batch_size], y[start : start + batch_size]
            with torch.autocast(x.device.type, dtype=torch.float16, enabled=use_amp):
                logits = model(xb)
            loss_sum += F.cross_entropy(logits.float(), yb, reduction="sum")
            correct += (logits.argmax(dim=1) == yb).sum()
    model.train(was_training)
    return float(loss_sum) / max(1, len(y)), int(correct)


def fit(
    net: NetSpec,
    data: DatasetBundle,
    cfg: TrainConfig,
    *,
    control: Control | None = None,
    on_event: Any = None,
) -> RunResult:
    """Build ``net`` (fitted to ``data`` by :func:`fit_to_data`, weights seeded with ``cfg.seed``)
    and train it to the end.

    Synchronous convenience for the CLI, the lab, notebooks and tests; ``on_event(event)`` sees
    every event. Raises :class:`SpecError` when :func:`check_limits` finds problems.
    """

    fitting = fit_to_data(net, data)
    net, data = fitting.net, fitting.data
    problems = check_limits(net, data, cfg)
    if problems:
        raise SpecError(problems)
    model = build_model(net, seed=cfg.seed)
    epochs: list[EpochEnd] = []
    diverged: Diverged | None = None
    evaluated: Evaluated | None = None
    finished: Finished | None = None
    for event in train(model, data, cfg, control=control):
        if on_event is not None:
            on_event(event)
        match event:
            case EpochEnd():
                epochs.append(event)
            case Diverged():
                diverged = event
            case Evaluated():
                evaluated = event
            case Finished():
                finished = event
    assert finished is not None  # train() always ends with Finished
    return RunResult(model, epochs, finished, diverged, evaluated)
