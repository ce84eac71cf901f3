"""The training engine: a generator of events that the app, the CLI, notebooks and tests all drive.

``train(model, data, cfg)`` runs mini-batch gradient descent and *yields* what happened as small
frozen dataclasses carrying Python floats and CPU NumPy arrays (never live tensors), in this order::

    Started
    Snapshot(step 0)                                  the probe image through the untrained net
    per batch:  BatchEnd [Snapshot every cfg.snapshot_every steps]
    per epoch:  EpochEnd, Snapshot
    Diverged (NaN or exploding loss), then Finished   or just Finished

One step: ``loss = CE(model(x), y; label_smoothing) + l1 * sum |w|``; ``loss.backward()``;
optional gradient clipping ``g <- g * min(1, clip / ||g||)``; ``optimizer.step()``; LR schedule.
It never prints, plots or sleeps; pausing happens inside ``control.checkpoint()`` (cnnviz.jobs).
Randomness (init, shuffling, dropout, augmentation) comes from per-run ``torch.Generator`` objects
seeded from ``cfg.seed``: the same seed gives the same events on the CPU even while other jobs train
in other threads.

Lesson: the "Train live" page (and the Overfitting lab, through :func:`fit`).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.data import AugmentConfig, DatasetBundle, augment_batch
from cnnviz.device import device_label, pick_device
from cnnviz.evaluation import (
    Misclassified,
    Prediction,
    confusion_matrix,
    confusion_matrix_from_labels,
    evaluate,
    image_to_input,
    layer_outputs,
    misclassified,
    named_layers,
    per_class_accuracy,
    predict_with_activations,
)
from cnnviz.optim import (
    EPOCH_SCHEDULES,
    INITS,
    OPTIMIZERS,
    SCHEDULES,
    apply_init,
    lr_curve,
    make_optimizer,
    make_scheduler,
)
from cnnviz.specs import NetSpec, Problem, SpecError

if TYPE_CHECKING:
    from cnnviz.jobs import JobControl

__all__ = [
    "DEVICES",
    "EPOCH_SCHEDULES",
    "INITS",
    "MAX_ACTIVATION_BYTES",
    "MAX_DATASET_ELEMENTS",
    "MAX_EPOCHS",
    "OPTIMIZERS",
    "SCHEDULES",
    "BatchEnd",
    "Diverged",
    "EpochEnd",
    "Event",
    "Finished",
    "Fitting",
    "Misclassified",
    "Prediction",
    "RunResult",
    "Snapshot",
    "Started",
    "TrainConfig",
    "batches_per_epoch",
    "check_limits",
    "confusion_matrix",
    "confusion_matrix_from_labels",
    "cpu_state_dict",
    "default_num_threads",
    "evaluate",
    "fit",
    "fit_net_to_data",
    "fit_to_data",
    "image_to_input",
    "lr_curve",
    "misclassified",
    "per_class_accuracy",
    "predict_with_activations",
    "train",
    "with_defaults_for_server",
]

MAX_EPOCHS = 100
MAX_DATASET_ELEMENTS = 64_000_000  # floats in train_x + val_x (256 MB): full MNIST fits
MAX_ACTIVATION_BYTES = 4 * 1024**3  # activations of one batch, forward + backward (~3x forward)
MAX_FEATURE_CHANNELS = 16  # channels kept per layer in a Snapshot
MAX_FEATURE_SIZE = 64  # feature maps larger than this are average-pooled down for display
MAX_FILTERS = 64
DEVICES: tuple[str, ...] = ("auto", "cuda", "mps", "cpu")
_DIVERGE_FACTOR = 10.0  # smoothed loss above 10x the reference loss = exploding


def default_num_threads() -> int:
    """Threads per training job on a shared server: half the cores, at least one."""
    return max(1, (os.cpu_count() or 2) // 2)


@dataclass(frozen=True)
class TrainConfig:
    """Every hyperparameter of one run. Frozen: pages and the run history keep it as a record.

    ``__post_init__`` rejects unknown choices and out-of-range numbers with a :class:`SpecError`
    (problem codes ``train_*`` in the ``train`` catalog area), so the CLI and URLs are safe too.
    """

    epochs: int = 5
    batch_size: int = 64
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.9
    weight_decay: float = 0.0
    l1: float = 0.0
    schedule: str = "fixed"
    label_smoothing: float = 0.0
    init: str = "default"
    init_sigma: float = 0.01
    grad_clip: float | None = None
    early_stopping: bool = False
    patience: int = 3
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    seed: int = 0
    device: str = "auto"
    amp: bool = False
    num_threads: int | None = None
    max_seconds: float | None = None
    snapshot_every: int = 20

    def __post_init__(self) -> None:
        problems = _config_problems(self)
        if problems:
            raise SpecError(problems)


def _config_problems(cfg: TrainConfig) -> list[Problem]:
    problems: list[Problem] = []

    def choice(name: str, allowed: tuple[str, ...] | list[str]) -> None:
        value = getattr(cfg, name)
        if value not in allowed:
            problems.append(
                Problem.make(
                    "train_bad_choice", field=name, value=repr(value), allowed=", ".join(allowed)
                )
            )

    def number(name: str, low: float, high: float, *, integer: bool = False) -> None:
        value = getattr(cfg, name)
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type or value != value:
            problems.append(Problem.make("train_not_number", field=name, value=repr(value)))
        elif not low <= value <= high:
            problems.append(
                Problem.make("train_out_of_range", field=name, value=value, low=low, high=high)
            )

    choice("optimizer", list(OPTIMIZERS))
    choice("schedule", list(SCHEDULES))
    choice("init", INITS)
    choice("device", DEVICES)
    number("epochs", 1, MAX_EPOCHS, integer=True)
    number("batch_size", 1, 4096, integer=True)
    number("lr", 1e-8, 1e4)
    number("momentum", 0.0, 0.999)
    number("weight_decay", 0.0, 1.0)
    number("l1", 0.0, 1.0)
    number("label_smoothing", 0.0, 0.99)
    number("init_sigma", 1e-6, 10.0)
    number("patience", 1, MAX_EPOCHS, integer=True)
    number("seed", 0, 2**31 - 1, integer=True)
    number("snapshot_every", 1, 100_000, integer=True)
    if cfg.grad_clip is not None:
        number("grad_clip", 1e-6, 1e6)
    if cfg.num_threads is not None:
        number("num_threads", 1, 256, integer=True)
    if cfg.max_seconds is not None:
        number("max_seconds", 0.1, 24 * 3600.0)
    if not isinstance(cfg.augment, AugmentConfig):
        problems.append(Problem.make("train_not_number", field="augment", value=repr(cfg.augment)))
    return problems


# ----------------------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Started:
    """Training begins on ``device`` ("cpu", "cuda", "mps"); ``total_batches = epochs * batches``."""

    device: str
    device_label: str
    total_batches: int
    epochs: int


@dataclass(frozen=True)
class BatchEnd:
    """One optimizer step done. ``epoch`` and ``batch`` count from 1; ``step`` is global (1..T).

    ``loss``: the batch's cross-entropy (with label smoothing, without the L1 penalty);
    ``lr``: the learning rate this step used.
    """

    epoch: int
    batch: int
    step: int
    loss: float
    lr: float


@dataclass(frozen=True)
class EpochEnd:
    """One epoch done. Train loss/accuracy are averaged over the epoch's batches (training mode,
    augmented); validation is measured after the epoch in eval mode. ``seconds`` covers the whole
    epoch with validation; ``images_per_second`` counts training images over training time.
    ``grad_norms``/``weight_norms``: per layer with parameters (``model.layer_names()``), the
    L2 norm ``sqrt(sum of squares)`` of its gradients (averaged over sampled batches) and weights.
    """

    epoch: int
    train_loss: float
    train_acc: float
    val_loss: float
    val_acc: float
    lr: float
    seconds: float
    images_per_second: float
    grad_norms: dict[str, float]
    weight_norms: dict[str, float]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The probe image's feature maps, one ``(name, (C, H, W) float32 array)`` per conv, pooling
    or residual layer (first 16 channels, at most 64x64), and the first conv's filters
    ``(out, in, kh, kw)`` (first 64), at global ``step`` (0 = before training)."""

    epoch: int
    step: int
    feature_maps: list[tuple[str, np.ndarray]]
    filters: np.ndarray | None


@dataclass(frozen=True)
class Diverged:
    """The loss became NaN/infinite or exploded; ``message_key`` explains and suggests a fix
    (catalog placeholders ``{loss}`` and ``{lr}``)."""

    epoch: int
    step: int
    loss: float
    message_key: str


@dataclass(frozen=True)
class Finished:
    """The run ended. ``reason``: "completed" | "early_stopping" | "stopped" | "time_limit" |
    "diverged". ``best_epoch``: the epoch with the lowest validation loss (None before any);
    with early stopping on, the model holds that epoch's weights after an early end."""

    reason: str
    best_epoch: int | None
    best_val_loss: float | None
    seconds: float


Event: TypeAlias = Started | BatchEnd | EpochEnd | Snapshot | Diverged | Finished


@dataclass
class RunResult:
    """What :func:`fit` returns: the trained model and the run's history."""

    model: nn.Module
    epochs: list[EpochEnd]
    finished: Finished
    diverged: Diverged | None = None


# ------------------------------------------------------------------------------- model inspection


def _param_groups(model: nn.Module) -> list[tuple[str, list[nn.Parameter]]]:
    groups = []
    for name, module in named_layers(model):
        params = [p for p in module.parameters() if p.requires_grad]
        if params:
            groups.append((name, params))
    return groups


_POOLS = (nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)


def _shows_maps(module: nn.Module) -> bool:
    """Conv layers, pooling layers and blocks that contain convs (residual blocks)."""
    if isinstance(module, (nn.Conv2d, *_POOLS)):
        return True
    return any(isinstance(sub, nn.Conv2d) for sub in module.modules())


def _first_conv(model: nn.Module) -> nn.Conv2d | None:
    return next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)


def _feature_maps(model: nn.Module, probe: torch.Tensor) -> list[tuple[str, np.ndarray]]:
    """The capped feature maps of ``probe`` (1, C, H, W) for every layer that shows maps."""
    maps = []
    for name, module, out in layer_outputs(model, probe):
        if out.dim() != 4 or out.shape[2] * out.shape[3] <= 1 or not _shows_maps(module):
            continue
        fmap = out[0, :MAX_FEATURE_CHANNELS].float()  # (C, H, W)
        if max(fmap.shape[1:]) > MAX_FEATURE_SIZE:
            fmap = F.adaptive_avg_pool2d(fmap, MAX_FEATURE_SIZE)
        maps.append((name, fmap.detach().cpu().numpy().astype(np.float32)))
    return maps


def _snapshot(model: nn.Module, probe: torch.Tensor | None, epoch: int, step: int) -> Snapshot:
    """Eval-mode forward of the probe (no dropout, BN running stats): no effect on training."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        maps = _feature_maps(model, probe) if probe is not None else []
        conv = _first_conv(model)
        filters = None
        if conv is not None:
            filters = conv.weight[:MAX_FILTERS].detach().float().cpu().numpy().astype(np.float32)
    model.train(was_training)
    return Snapshot(epoch=epoch, step=step, feature_maps=maps, filters=filters)


# --------------------------------------------------------------------------------- limits / fitting


def fit_net_to_data(net: NetSpec, data: DatasetBundle) -> NetSpec:
    """``net`` with its input shape and number of outputs set to the dataset's (if they differ).

    Uses ``cnnviz.presets.with_input_shape`` / ``with_num_classes``; the result may be invalid
    (e.g. LeNet-5's 5x5 C5 layer does not fit 28x28 inputs): :func:`fit_to_data` handles that.
    """
    from cnnviz.presets import with_input_shape, with_num_classes

    fitted = net
    if tuple(fitted.input_shape) != data.input_shape:
        fitted = with_input_shape(fitted, data.input_shape)
    if _num_outputs(fitted) != data.num_classes:
        fitted = with_num_classes(fitted, data.num_classes)
    return fitted


@dataclass(frozen=True)
class Fitting:
    """A network and a dataset made to fit each other. ``changes`` (what the page explains):
    "input" (the network's input shape became the images' shape), "resize" (the images were
    resized / converted to the network's input) and "classes" (the last Linear layer now outputs
    one score per class)."""

    net: NetSpec
    data: DatasetBundle
    changes: tuple[str, ...]


def fit_to_data(net: NetSpec, data: DatasetBundle) -> Fitting:
    """Fit ``net`` and ``data`` together: first try the network on the images as they are;
    if that network is invalid, keep the network's input and resize the images to it
    (``cnnviz.data.resize_bundle``); then set the number of outputs to the number of classes."""
    from cnnviz.data import resize_bundle
    from cnnviz.presets import with_input_shape, with_num_classes
    from cnnviz.shapes import validate

    changes: list[str] = []
    fitted = net
    if tuple(net.input_shape) != data.input_shape:
        candidate = with_input_shape(net, data.input_shape)
        if not validate(candidate):
            fitted = candidate
            changes.append("input")
        elif not validate(net) and net.input_shape[0] in (1, 3):
            data = resize_bundle(data, tuple(net.input_shape))  # type: ignore[arg-type]
            changes.append("resize")
    if not validate(fitted) and _num_outputs(fitted) != data.num_classes:
        fitted = with_num_classes(fitted, data.num_classes)
        changes.append("classes")
    return Fitting(fitted, data, tuple(changes))


def _num_outputs(net: NetSpec) -> int | None:
    from cnnviz.shapes import infer

    shape = infer(net).output_shape
    return int(shape[0]) if shape is not None and len(shape) == 1 else None


def check_limits(net: NetSpec, data: DatasetBundle, cfg: TrainConfig) -> list[Problem]:
    """Everything that stops a run before it starts, as problems a student can act on.

    The network must be valid (``cnnviz.shapes.validate``, which also caps its size), take the
    dataset's images and output one score per class; the dataset and one batch's activations
    (``~3 x forward bytes x batch``) must fit the shared server's caps.
    """
    from cnnviz.shapes import infer

    summary = infer(net)
    problems = list(summary.problems)
    if problems:
        return problems
    if tuple(net.input_shape) != data.input_shape:
        problems.append(
            Problem.make(
                "train_input_mismatch",
                net=str(tuple(net.input_shape)),
                data=str(data.input_shape),
            )
        )
    outputs = summary.output_shape
    if outputs is None or len(outputs) != 1 or outputs[0] != data.num_classes:
        problems.append(
            Problem.make("train_classes_mismatch", net=str(outputs), classes=data.num_classes)
        )
    elements = data.train_x.numel() + data.val_x.numel()
    if elements > MAX_DATASET_ELEMENTS:
        problems.append(
            Problem.make(
                "train_dataset_too_big",
                images=len(data.train_y) + len(data.val_y),
                maximum=MAX_DATASET_ELEMENTS // max(1, math.prod(data.input_shape)),
            )
        )
    batch_bytes = 3 * summary.total_activation_bytes * cfg.batch_size
    if batch_bytes > MAX_ACTIVATION_BYTES:
        per_image = max(1, 3 * summary.total_activation_bytes)
        problems.append(
            Problem.make(
                "train_batch_too_big",
                batch_size=cfg.batch_size,
                maximum=max(1, MAX_ACTIVATION_BYTES // per_image),
            )
        )
    return problems


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

    def __init__(self, control: JobControl | None) -> None:
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
        tensors = [p.grad if grads else p for p in params]
        tensors = [t.detach().float() for t in tensors if t is not None]
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
    if probe is None:
        probe = data.val_x[:1] if len(data.val_x) else data.train_x[:1]
    if probe.dim() == 3:
        probe = probe.unsqueeze(0)
    return probe[:1].to(device) if probe.numel() else None


def train(
    model: nn.Module,
    data: DatasetBundle,
    cfg: TrainConfig,
    *,
    control: JobControl | None = None,
    probe: torch.Tensor | None = None,
) -> Iterator[Event]:
    """Train ``model`` on ``data`` with ``cfg``, yielding events (see the module docstring).

    ``control`` (a ``cnnviz.jobs.JobControl``) is checked before every batch: it blocks while
    paused and raises ``JobStopped`` when stopped, which ends the run with
    ``Finished(reason="stopped")``. ``probe``: the image whose feature maps are snapshotted
    (default: the first validation image). Never raises for a diverging run: it yields
    ``Diverged`` then ``Finished(reason="diverged")``.

    Divergence rule: see :class:`_DivergenceWatch`. With ``cfg.early_stopping`` the weights of
    the best epoch are restored whenever the run ends early (early stopping, time limit, stop).
    """
    from cnnviz.jobs import JobStopped  # jobs imports this module

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
    groups = _param_groups(model)
    group_names = [name for name, _ in groups]
    # CUDA: read losses back in bursts (each .item() is a device sync); CPU: every batch is free.
    flush_every = 1 if device.type == "cpu" else max(1, min(cfg.snapshot_every, 25))
    norm_every = max(1, steps_per_epoch // 10)  # ~10 gradient-norm samples per epoch

    clock = _Clock(control)
    yield Started(device.type, device_label(device), total_steps, cfg.epochs)
    yield _snapshot(model, probe_x, epoch=0, step=0)

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
                        xb, cfg.augment, gens["augment"], mean=data.mean, std=data.std
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
                    yield _snapshot(model, probe_x, epoch, step)
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
            yield _snapshot(model, probe_x, epoch, step)
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
    yield finish(reason)


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
    control: JobControl | None = None,
    on_event: Any = None,
) -> RunResult:
    """Build ``net`` (fitted to ``data`` by :func:`fit_to_data`, weights seeded with ``cfg.seed``)
    and train it to the end.

    Synchronous convenience for the CLI, the lab, notebooks and tests; ``on_event(event)`` sees
    every event. Raises :class:`SpecError` when :func:`check_limits` finds problems.
    """
    from cnnviz.builder import build_model

    fitting = fit_to_data(net, data)
    net, data = fitting.net, fitting.data
    problems = check_limits(net, data, cfg)
    if problems:
        raise SpecError(problems)
    model = build_model(net, seed=cfg.seed)
    epochs: list[EpochEnd] = []
    diverged: Diverged | None = None
    finished: Finished | None = None
    for event in train(model, data, cfg, control=control):
        if on_event is not None:
            on_event(event)
        match event:
            case EpochEnd():
                epochs.append(event)
            case Diverged():
                diverged = event
            case Finished():
                finished = event
    assert finished is not None  # train() always ends with Finished
    return RunResult(model=model, epochs=epochs, finished=finished, diverged=diverged)


def with_defaults_for_server(cfg: TrainConfig, default_seconds: float) -> TrainConfig:
    """``cfg`` with a thread count and a time cap filled in for a shared server."""
    return replace(
        cfg,
        num_threads=cfg.num_threads or default_num_threads(),
        max_seconds=cfg.max_seconds if cfg.max_seconds is not None else default_seconds,
    )
