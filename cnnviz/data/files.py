"""MNIST, Fashion-MNIST, KMNIST and CIFAR-10 from files on disk, downloaded only when asked.

Files are looked for in torchvision's layout under the data folder (``<root>/MNIST/raw/*.gz``,
``<root>/cifar-10-batches-py/``), then in known system folders (Debian's ``dataset-fashion-mnist``
package, ``$CNNVIZ_MNIST_DIR/MNIST/raw``). IDX files are parsed with NumPy after checking their
header (magic number, dimensions, length); CIFAR-10 batches are unpickled by an unpickler that only
accepts plain containers and NumPy arrays. With ``download=True`` the files torchvision would fetch
are streamed from torchvision's own mirror list with byte-level progress and checked against its
MD5 sums. Without files and without network a :class:`DataError` says which files to put where.

Lesson: the "Train live" page (real datasets).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import pickle
import tarfile
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from torchvision.datasets import CIFAR10, KMNIST, MNIST, FashionMNIST

from cnnviz.data.config import (
    DEFAULT_MAX_SAMPLES,
    DataConfig,
    DataError,
    Progress,
    RawImages,
    stratified_split,
)
from cnnviz.i18n import Message

__all__ = [
    "CIFAR10_CLASSES",
    "FASHION_CLASSES",
    "FASHION_SYSTEM_DIR",
    "dataset_folder",
    "expected_files",
    "load_real",
    "read_cifar_batch",
    "read_idx",
]


FASHION_SYSTEM_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_CLASSES: tuple[str, ...] = (
    "tshirt_top",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle_boot",
)
CIFAR10_CLASSES: tuple[str, ...] = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
_IDX_DATASETS: dict[str, type[MNIST]] = {
    "mnist": MNIST,
    "fashion-mnist": FashionMNIST,
    "kmnist": KMNIST,
}
_IDX_CLASSES: dict[str, tuple[str, ...]] = {
    "mnist": tuple(str(digit) for digit in range(10)),
    "fashion-mnist": FASHION_CLASSES,
    # KMNIST's classes are hiragana (torchvision romanises them: o, ki, su, tsu, na, ...).
    "kmnist": ("お", "き", "す", "つ", "な", "は", "ま", "や", "れ", "を"),
}
_SPLIT_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
_MAX_FILE_BYTES = 400 * 1024 * 1024  # the largest real file (CIFAR batch, MNIST images) is ~50 MB
_MAX_IDX_ITEMS = 1_000_000
_MAX_IDX_SIDE = 1024
_DOWNLOAD_TIMEOUT_S = 30.0
_CHUNK_BYTES = 1 << 16


def dataset_folder(name: str, root: str | os.PathLike[str]) -> Path:
    """Where torchvision keeps ``name`` under ``root``: ``<root>/MNIST/raw`` or
    ``<root>/cifar-10-batches-py``."""
    if name == "cifar10":
        return Path(root) / CIFAR10.base_folder
    return Path(root) / _IDX_DATASETS[name].__name__ / "raw"


def expected_files(name: str) -> tuple[str, ...]:
    """The file names a user must put into :func:`dataset_folder` to work offline."""
    if name == "cifar10":
        return (*(f"data_batch_{i}" for i in range(1, 6)), "test_batch", "batches.meta")
    return tuple(f"{stem}.gz" for pair in _SPLIT_FILES.values() for stem in pair)


def _read_bytes(path: Path) -> bytes:
    """The file's content, gunzipped when it ends in ``.gz``, refusing absurd sizes."""
    if path.stat().st_size > _MAX_FILE_BYTES:
        raise DataError("data.error.corrupt_file", file=str(path))
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as handle:
                data = handle.read(_MAX_FILE_BYTES + 1)
        else:
            data = path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise DataError("data.error.corrupt_file", file=str(path)) from exc
    if len(data) > _MAX_FILE_BYTES:
        raise DataError("data.error.corrupt_file", file=str(path))
    return data


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """An IDX file of unsigned bytes (magic ``0x0000080D`` with D dimensions), gzipped or not.

    Header: 2 zero bytes, type code ``0x08`` (ubyte), number of dimensions D, then D big-endian
    int32 sizes; the data follows. Returns a uint8 array of those sizes.
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08 or not 1 <= data[3] <= 4:
        raise DataError("data.error.corrupt_file", file=str(path))
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError("data.error.corrupt_file", file=str(path))
    dims = tuple(int(d) for d in np.frombuffer(data, dtype=">i4", count=ndim, offset=4))
    if dims[0] > _MAX_IDX_ITEMS or any(d < 1 or d > _MAX_IDX_SIDE for d in dims[1:]):
        raise DataError("data.error.corrupt_file", file=str(path))
    if len(data) != header + int(np.prod(dims, dtype=np.int64)):
        raise DataError("data.error.corrupt_file", file=str(path))
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims).copy()


class _ArrayUnpickler(pickle.Unpickler):
    """Loads only dicts, lists, strings, bytes, numbers and NumPy arrays (what CIFAR batches hold);
    any other global (a function, a class) is refused, so a crafted file cannot run code."""

    _ALLOWED = frozenset(
        {
            ("numpy.core.multiarray", "_reconstruct"),
            ("numpy._core.multiarray", "_reconstruct"),
            ("numpy", "ndarray"),
            ("numpy", "dtype"),
            ("numpy.core.multiarray", "scalar"),
            ("numpy._core.multiarray", "scalar"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused global {module}.{name}")


def read_cifar_batch(path: str | os.PathLike[str]) -> dict[str, Any]:
    """One CIFAR python batch (``data_batch_1``..., ``test_batch``, ``batches.meta``) as a dict
    with str keys. ``data``: ``(N, 3072)`` uint8 rows, R then G then B planes of 32x32."""
    path = Path(path)
    raw = _read_bytes(path)
    try:
        loaded = _ArrayUnpickler(io.BytesIO(raw), encoding="latin1").load()
    except Exception as exc:  # any unpickling failure means a broken or hostile file
        raise DataError("data.error.corrupt_file", file=str(path)) from exc
    if not isinstance(loaded, dict):
        raise DataError("data.error.corrupt_file", file=str(path))
    return {k.decode("latin1") if isinstance(k, bytes) else str(k): v for k, v in loaded.items()}


def _search_dirs(name: str, root: Path) -> list[tuple[Path, bool]]:
    """Folders to look in, each with whether it is a system copy (worth a note)."""
    dirs = [(dataset_folder(name, root), False)]
    if name == "mnist" and os.environ.get("CNNVIZ_MNIST_DIR"):
        dirs.append((dataset_folder(name, os.environ["CNNVIZ_MNIST_DIR"]), True))
    if name == "fashion-mnist":
        dirs.append((Path(FASHION_SYSTEM_DIR), True))
    return dirs


def _find(folder: Path, stem: str) -> Path | None:
    for candidate in (folder / stem, folder / f"{stem}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _find_idx_split(name: str, root: Path, split: str) -> tuple[Path, Path, bool] | None:
    images_stem, labels_stem = _SPLIT_FILES[split]
    for folder, is_system in _search_dirs(name, root):
        images, labels = _find(folder, images_stem), _find(folder, labels_stem)
        if images is not None and labels is not None:
            return images, labels, is_system
    return None


def _load_idx_split(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise DataError("data.error.corrupt_file", file=str(images_path))
    return images[:, None], labels.astype(np.int64)  # (N, 1, H, W), (N,)


def _missing(name: str, root: Path, *, download_failed: str | None = None) -> DataError:
    params: dict[str, Any] = {
        "dataset": name,
        "folder": str(dataset_folder(name, root).resolve()),
        "files": ", ".join(expected_files(name)),
        "install": (
            "Debian: sudo apt-get install dataset-fashion-mnist" if name == "fashion-mnist" else ""
        ),
    }
    if download_failed is not None:
        return DataError("data.error.download_failed", reason=download_failed, **params)
    return DataError("data.error.missing_offline", **params)


def _stream(url: str, target: Path, progress: Callable[[float], None]) -> None:
    """Download ``url`` to ``target`` (via a ``.part`` file), reporting the fraction received."""
    partial = target.with_name(target.name + ".part")
    with urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT_S) as response:
        total = int(response.headers.get("Content-Length") or 0)
        received = 0
        with partial.open("wb") as out:
            while chunk := response.read(_CHUNK_BYTES):
                out.write(chunk)
                received += len(chunk)
                if received > _MAX_FILE_BYTES:
                    raise OSError("file too large")
                progress(received / total if total else 0.0)
    partial.replace(target)


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _download_one(urls: list[str], target: Path, md5: str, report: Callable[[float], None]) -> None:
    """Try each mirror in turn; raise the last error if none gives a file with the right MD5."""
    error: Exception = OSError("no mirror")
    for url in urls:
        try:
            _stream(url, target, report)
        except (OSError, urllib.error.URLError, ValueError) as exc:
            error = exc
            continue
        if _md5(target) == md5:
            return
        target.unlink()
        error = OSError(f"checksum mismatch for {target.name}")
    raise error


def _download(name: str, root: Path, progress: Progress) -> None:
    """Fetch the files torchvision would download for ``name`` into ``root``."""
    try:
        if name == "cifar10":
            root.mkdir(parents=True, exist_ok=True)
            archive = root / CIFAR10.filename
            _download_one(
                [CIFAR10.url],
                archive,
                CIFAR10.tgz_md5,
                lambda f: progress(0.9 * f, "data.progress.downloading"),
            )
            progress(0.9, "data.progress.extracting")
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(root, filter="data")
            archive.unlink()
            return
        dataset = _IDX_DATASETS[name]
        folder = dataset_folder(name, root)
        folder.mkdir(parents=True, exist_ok=True)
        count = len(dataset.resources)
        for index, (filename, md5) in enumerate(dataset.resources):
            if (folder / filename).is_file() and _md5(folder / filename) == md5:
                continue

            def report(fraction: float, index: int = index) -> None:
                progress((index + fraction) / count, "data.progress.downloading")

            _download_one([m + filename for m in dataset.mirrors], folder / filename, md5, report)
    except (OSError, urllib.error.URLError, tarfile.TarError, ValueError) as exc:
        raise _missing(name, root, download_failed=str(exc) or type(exc).__name__) from exc


def _load_idx(name: str, root: Path, cfg: DataConfig, progress: Progress) -> RawImages:
    found_train = _find_idx_split(name, root, "train")
    found_test = _find_idx_split(name, root, "test")
    if found_train is None and cfg.download:
        _download(name, root, progress)
        found_train = _find_idx_split(name, root, "train")
        found_test = _find_idx_split(name, root, "test")
    notes: list[Message] = []
    test: tuple[Path, Path, bool] | None = None
    if found_train is not None:
        images_path, labels_path, is_system = found_train
        test = found_test
        if test is None:
            notes.append(Message.of("data.note.no_test_split", dataset=name))
    elif found_test is not None:
        images_path, labels_path, is_system = found_test
        notes.append(Message.of("data.note.test_split_only", dataset=name))
    else:
        raise _missing(name, root)
    if is_system:
        notes.append(Message.of("data.note.system_files", folder=str(images_path.parent)))
    progress(0.95, "data.progress.reading")
    classes = _IDX_CLASSES[name]
    images, labels = _load_idx_split(images_path, labels_path)
    _check_labels(labels, len(classes), labels_path)
    split_size = int(labels.shape[0]) if found_train is not None else None
    raw = RawImages(images, labels, classes, notes, split_size=split_size)
    if test is not None:
        raw.test_images, raw.test_labels = _load_idx_split(test[0], test[1])
        _check_labels(raw.test_labels, len(classes), test[1])
        if raw.test_images.shape[1:] != images.shape[1:]:
            raise DataError("data.error.corrupt_file", file=str(test[0]))
    return raw


def _check_labels(labels: np.ndarray, num_classes: int, path: Path) -> None:
    if labels.size and (int(labels.min()) < 0 or int(labels.max()) >= num_classes):
        raise DataError("data.error.corrupt_file", file=str(path))


def _load_cifar(root: Path, cfg: DataConfig, progress: Progress) -> RawImages:
    folder = dataset_folder("cifar10", root)
    train_files = [folder / f"data_batch_{i}" for i in range(1, 6)]
    test_file = folder / "test_batch"
    if not all(f.is_file() for f in train_files) and cfg.download:
        _download("cifar10", root, progress)
    notes: list[Message] = []
    has_train = all(f.is_file() for f in train_files)
    if has_train:
        files = train_files
        if not test_file.is_file():
            notes.append(Message.of("data.note.no_test_split", dataset="cifar10"))
    elif test_file.is_file():
        files = [test_file]
        notes.append(Message.of("data.note.test_split_only", dataset="cifar10"))
    else:
        raise _missing("cifar10", root)
    meta_path = folder / "batches.meta"
    classes = CIFAR10_CLASSES
    if meta_path.is_file():
        names = read_cifar_batch(meta_path).get("label_names")
        if isinstance(names, list) and len(names) == len(CIFAR10_CLASSES):
            classes = tuple(str(n) for n in names)
    images, labels = _read_cifar_files(files, len(classes), progress)
    raw = RawImages(images, labels, classes, notes)
    if has_train:
        raw.split_size = int(labels.shape[0])
        if test_file.is_file():
            raw.test_images, raw.test_labels = _read_cifar_files([test_file], len(classes), None)
    return raw


def _read_cifar_files(
    files: list[Path], num_classes: int, progress: Progress | None
) -> tuple[np.ndarray, np.ndarray]:
    """CIFAR python batches as ``(N, 3, 32, 32)`` uint8 images and ``(N,)`` labels, checked."""
    chunks: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    for index, path in enumerate(files):
        if progress is not None:
            progress(0.9 + 0.09 * index / len(files), "data.progress.reading")
        batch = read_cifar_batch(path)
        data, batch_labels = batch.get("data"), batch.get("labels")
        if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2:
            raise DataError("data.error.corrupt_file", file=str(path))
        if data.shape[1] != 3 * 32 * 32 or not isinstance(batch_labels, list):
            raise DataError("data.error.corrupt_file", file=str(path))
        if len(batch_labels) != data.shape[0]:
            raise DataError("data.error.corrupt_file", file=str(path))
        chunks.append(data.reshape(-1, 3, 32, 32))  # rows are R, G, B planes of 32x32
        labels.append(np.asarray(batch_labels, dtype=np.int64))
    all_labels = np.concatenate(labels)
    _check_labels(all_labels, num_classes, files[0])
    return np.concatenate(chunks), all_labels


def load_real(cfg: DataConfig, *, rng: np.random.Generator, progress: Progress) -> RawImages:
    """The images of ``cfg.name`` (one of MNIST, Fashion-MNIST, KMNIST, CIFAR-10), capped at
    ``cfg.max_samples`` (default 20,000) by a stratified, seeded subsample.

    Uses the training split (the caller splits it into training and validation sets) and keeps
    the official test split whole in ``test_images``/``test_labels`` (10,000 images for each of
    the four), to be measured once at the end of a run. When only the test split is on disk it
    is used as the training split and there is no test split; both cases are said in ``notes``.
    """
    root = Path(cfg.resolved_data_dir())
    progress(0.0, "data.progress.reading")
    if cfg.name == "cifar10":
        raw = _load_cifar(root, cfg, progress)
    else:
        raw = _load_idx(cfg.name, root, cfg, progress)
    cap = cfg.max_samples if cfg.max_samples is not None else DEFAULT_MAX_SAMPLES
    total = raw.labels.shape[0]
    if total > cap:
        keep, _ = stratified_split(raw.labels, 1.0 - cap / total, rng)
        raw.images, raw.labels = raw.images[keep], raw.labels[keep]
        raw.notes.append(Message.of("data.note.capped", used=int(keep.size), total=total))
    return raw
