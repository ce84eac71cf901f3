"""cnnviz.data.files: IDX and CIFAR-10 files written by the test, offline errors, downloads
from a local file:// mirror. The network is blocked for the whole module."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import pickle
import socket
import urllib.error
from pathlib import Path

import numpy as np
import pytest
import torch
from torchvision.datasets import KMNIST
from torchvision.datasets.mnist import read_image_file, read_label_file

import cnnviz.data.files as tv
from cnnviz.data import (
    DataConfig,
    DataError,
    load_dataset,
    load_real,
    note_text,
    read_cifar_batch,
    read_idx,
    resize_bundle,
)

REAL_MNIST = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a socket fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tests must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.delenv("CNNVIZ_MNIST_DIR", raising=False)
    monkeypatch.setattr(tv, "FASHION_SYSTEM_DIR", "/nonexistent/fashion-mnist")


def write_idx(path: Path, array: np.ndarray, *, compress: bool = True) -> Path:
    """Real IDX format: 0x00 0x00 0x08 ndim, big-endian int32 sizes, then the bytes."""
    header = bytes([0, 0, 0x08, array.ndim]) + np.asarray(array.shape, dtype=">i4").tobytes()
    payload = header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress:
        path = path.with_name(path.name + ".gz")
        with gzip.open(path, "wb") as handle:
            handle.write(payload)
    else:
        path.write_bytes(payload)
    return path


def digits(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % 10).astype(np.uint8)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    return images, labels


def write_mnist_layout(folder: Path, *, train: int | None = 100, test: int | None = 50) -> None:
    if train is not None:
        images, labels = digits(train, 0)
        write_idx(folder / "train-images-idx3-ubyte", images)
        write_idx(folder / "train-labels-idx1-ubyte", labels)
    if test is not None:
        images, labels = digits(test, 1)
        write_idx(folder / "t10k-images-idx3-ubyte", images)
        write_idx(folder / "t10k-labels-idx1-ubyte", labels)


def test_read_idx_matches_torchvision_reader(tmp_path: Path) -> None:
    images, labels = digits(30, 0)
    image_path = write_idx(tmp_path / "images", images, compress=False)
    label_path = write_idx(tmp_path / "labels", labels, compress=False)
    assert np.array_equal(read_idx(image_path), read_image_file(str(image_path)).numpy())
    assert np.array_equal(read_idx(label_path), read_label_file(str(label_path)).numpy())
    gz_path = write_idx(tmp_path / "images2", images)
    assert np.array_equal(read_idx(gz_path), images)


@pytest.mark.parametrize(
    "payload",
    [
        b"\x00\x00\x09\x03" + b"\x00" * 20,  # not unsigned bytes
        bytes([0, 0, 8, 3]) + np.array([2, 28, 28], dtype=">i4").tobytes() + b"\x00" * 10,  # short
        b"\x00\x00",  # truncated header
    ],
)
def test_corrupt_idx_is_a_data_error(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "bad"
    path.write_bytes(payload)
    with pytest.raises(DataError) as info:
        read_idx(path)
    assert info.value.key == "data.error.corrupt_file"
    broken_gz = tmp_path / "bad.gz"
    broken_gz.write_bytes(b"not gzip at all")
    with pytest.raises(DataError):
        read_idx(broken_gz)


def test_mnist_from_torchvision_layout(tmp_path: Path) -> None:
    write_mnist_layout(tmp_path / "MNIST" / "raw")
    bundle = load_dataset(DataConfig(name="mnist", data_dir=str(tmp_path)))
    assert bundle.input_shape == (1, 28, 28)
    assert bundle.train_x.shape[0] + bundle.val_x.shape[0] == 100  # the train split is used
    assert bundle.class_names == tuple("0123456789")
    assert torch.bincount(bundle.val_y).tolist() == [2] * 10
    assert bundle.notes == []
    # The pixels are the file's bytes / 255, normalised.
    images, _ = digits(100, 0)
    assert bundle.mean[0] == pytest.approx(images.mean() / 255, abs=0.01)


def test_only_test_split_is_used_and_noted(tmp_path: Path) -> None:
    write_mnist_layout(tmp_path / "KMNIST" / "raw", train=None)
    bundle = load_dataset(DataConfig(name="kmnist", data_dir=str(tmp_path)))
    assert bundle.train_x.shape[0] + bundle.val_x.shape[0] == 50
    assert bundle.notes[0].key == "data.note.test_split_only"
    assert "kmnist" in note_text(bundle.notes[0], "zh")
    assert bundle.class_names[0] == "お"


def test_max_samples_caps_with_a_stratified_sample(tmp_path: Path) -> None:
    write_mnist_layout(tmp_path / "MNIST" / "raw")
    cfg = DataConfig(name="mnist", data_dir=str(tmp_path), max_samples=40)
    raw = load_real(cfg, rng=np.random.default_rng(0), progress=lambda f, m: None)
    assert raw.labels.shape[0] == 40
    assert np.bincount(raw.labels).tolist() == [4] * 10
    assert raw.notes[-1].key == "data.note.capped"


def test_mnist_dir_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_mnist_layout(tmp_path / "elsewhere" / "MNIST" / "raw", train=None)
    monkeypatch.setenv("CNNVIZ_MNIST_DIR", str(tmp_path / "elsewhere"))
    bundle = load_dataset(DataConfig(name="mnist", data_dir=str(tmp_path / "empty")))
    assert any(n.key == "data.note.system_files" for n in bundle.notes)


def test_fashion_mnist_from_the_debian_package_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_mnist_layout(tmp_path / "debian")
    monkeypatch.setattr(tv, "FASHION_SYSTEM_DIR", str(tmp_path / "debian"))
    bundle = load_dataset(DataConfig(name="fashion-mnist", data_dir=str(tmp_path / "data")))
    assert bundle.class_names[0] == "tshirt_top" and bundle.num_classes == 10
    assert any(str(tmp_path / "debian") in note_text(n) for n in bundle.notes)


@pytest.mark.parametrize("name", ["mnist", "fashion-mnist", "kmnist", "cifar10"])
def test_missing_offline_says_which_files_go_where(tmp_path: Path, name: str) -> None:
    with pytest.raises(DataError) as info:
        load_dataset(DataConfig(name=name, data_dir=str(tmp_path)))
    error = info.value
    assert error.key == "data.error.missing_offline"
    for lang in ("en", "zh"):
        text = error.text(lang)
        assert str(tmp_path.resolve()) in text
        assert ("data_batch_1" if name == "cifar10" else "train-images-idx3-ubyte.gz") in text
        assert ("apt-get install dataset-fashion-mnist" in text) == (name == "fashion-mnist")


def _serve_kmnist_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, good_md5: bool = True
) -> None:
    """A local file:// mirror for KMNIST with the test's own files and their MD5 sums."""
    mirror = tmp_path / "mirror"
    write_mnist_layout(mirror, train=60, test=20)
    resources = []
    for filename, _ in KMNIST.resources:
        digest = hashlib.md5((mirror / filename).read_bytes()).hexdigest()
        resources.append((filename, digest if good_md5 else "0" * 32))
    monkeypatch.setattr(KMNIST, "mirrors", [mirror.as_uri() + "/"])
    monkeypatch.setattr(KMNIST, "resources", resources)


def test_download_reports_progress_and_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve_kmnist_from(tmp_path, monkeypatch)
    calls: list[tuple[float, str]] = []
    cfg = DataConfig(name="kmnist", data_dir=str(tmp_path / "data"), download=True)
    bundle = load_dataset(cfg, progress=lambda f, m: calls.append((f, m)))
    assert bundle.train_x.shape[0] + bundle.val_x.shape[0] == 60
    assert (tmp_path / "data" / "KMNIST" / "raw" / "train-images-idx3-ubyte.gz").is_file()
    fractions = [f for f, m in calls if m == "data.progress.downloading"]
    assert fractions and fractions == sorted(fractions)
    assert fractions[0] >= 0.0 and fractions[-1] <= 1.0
    assert calls[-1] == (1.0, "data.progress.done")
    # Without download=True a missing dataset is never fetched.
    with pytest.raises(DataError):
        load_dataset(DataConfig(name="kmnist", data_dir=str(tmp_path / "other")))
    assert not (tmp_path / "other").exists()


def test_download_checksum_mismatch_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve_kmnist_from(tmp_path, monkeypatch, good_md5=False)
    cfg = DataConfig(name="kmnist", data_dir=str(tmp_path / "data"), download=True)
    with pytest.raises(DataError) as info:
        load_dataset(cfg)
    assert info.value.key == "data.error.download_failed"
    assert "checksum" in info.value.params["reason"]
    assert not list((tmp_path / "data" / "KMNIST" / "raw").glob("*.gz"))


def test_download_without_network_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(*args: object, **kwargs: object) -> None:
        raise urllib.error.URLError("no route to host")

    monkeypatch.setattr(tv.urllib.request, "urlopen", offline)
    cfg = DataConfig(name="mnist", data_dir=str(tmp_path), download=True)
    with pytest.raises(DataError) as info:
        load_dataset(cfg)
    assert info.value.key == "data.error.download_failed"
    assert "no route to host" in info.value.text("zh")
    assert "train-images-idx3-ubyte.gz" in info.value.text("en")


def _write_cifar(folder: Path, per_batch: int = 20) -> np.ndarray:
    """The python-pickle layout torchvision downloads; returns the training images written."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    written = []
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        images = rng.integers(0, 256, (per_batch, 3, 32, 32), dtype=np.uint8)
        batch = {
            "batch_label": name,
            "labels": [int(i % 10) for i in range(per_batch)],
            "data": images.reshape(per_batch, 3072),  # rows: R plane, G plane, B plane
            "filenames": [f"{name}_{i}.png" for i in range(per_batch)],
        }
        (folder / name).write_bytes(pickle.dumps(batch))
        if name != "test_batch":
            written.append(images)
    names = [
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
    ]
    meta = {"label_names": names, "num_cases_per_batch": per_batch, "num_vis": 3072}
    (folder / "batches.meta").write_bytes(pickle.dumps(meta))
    return np.concatenate(written)


def test_cifar10_from_python_batches(tmp_path: Path) -> None:
    written = _write_cifar(tmp_path / "cifar-10-batches-py")
    cfg = DataConfig(name="cifar10", data_dir=str(tmp_path))
    raw = load_real(cfg, rng=np.random.default_rng(0), progress=lambda f, m: None)
    assert raw.images.shape == (100, 3, 32, 32)
    assert np.array_equal(raw.images, written)
    assert raw.class_names[3] == "cat"
    bundle = load_dataset(cfg)
    assert bundle.input_shape == (3, 32, 32) and bundle.num_classes == 10
    assert len(bundle.mean) == 3


def test_official_test_split_is_kept_whole_and_normalised_like_training(tmp_path: Path) -> None:
    """Issue 9, item 22: train and validate on the training split (seeded split), keep the
    official test split apart, whole, normalised with the training statistics."""
    write_mnist_layout(tmp_path / "MNIST" / "raw", train=100, test=50)
    cfg = DataConfig(name="mnist", data_dir=str(tmp_path), max_samples=40, seed=3)
    bundle = load_dataset(cfg)
    assert bundle.test_x is not None and bundle.test_y is not None
    assert bundle.test_x.shape == (50, 1, 28, 28)  # the cap applies to the training split only
    assert len(bundle.train_y) + len(bundle.val_y) == 40 and bundle.split_size == 100
    test_images, test_labels = digits(50, 1)
    pixels = bundle.denormalise(bundle.test_x)[:, 0]
    assert torch.allclose(pixels, torch.from_numpy(test_images).float() / 255, atol=1e-5)
    assert bundle.test_y.tolist() == test_labels.tolist()
    again = load_dataset(cfg)  # the validation split is seeded
    assert torch.equal(again.val_y, bundle.val_y) and torch.equal(again.val_x, bundle.val_x)
    other = load_dataset(dataclasses.replace(cfg, seed=4))
    assert not torch.equal(other.val_x, bundle.val_x)
    assert torch.equal(other.test_y, bundle.test_y)  # the test split never moves
    resized = resize_bundle(bundle, (1, 32, 32))
    assert resized.test_x is not None and resized.test_x.shape == (50, 1, 32, 32)


def test_without_an_official_test_split_the_bundle_says_so(tmp_path: Path) -> None:
    write_mnist_layout(tmp_path / "MNIST" / "raw", test=None)
    bundle = load_dataset(DataConfig(name="mnist", data_dir=str(tmp_path)))
    assert bundle.test_x is None and bundle.split_size == 100
    assert [n.key for n in bundle.notes] == ["data.note.no_test_split"]
    write_mnist_layout(tmp_path / "KMNIST" / "raw", train=None)
    only_test = load_dataset(DataConfig(name="kmnist", data_dir=str(tmp_path)))
    assert only_test.test_x is None and only_test.split_size is None  # it became the train split
    shapes = load_dataset(DataConfig())
    assert shapes.test_x is None and shapes.split_size is None  # built-in shapes: no test split


def test_cifar10_test_batch_is_the_test_split(tmp_path: Path) -> None:
    _write_cifar(tmp_path / "cifar-10-batches-py")
    bundle = load_dataset(DataConfig(name="cifar10", data_dir=str(tmp_path)))
    assert bundle.test_x is not None and bundle.test_x.shape == (20, 3, 32, 32)
    assert bundle.split_size == 100 and len(bundle.train_y) + len(bundle.val_y) == 100


class _Hostile:
    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (os.getcwd, ())


def test_cifar_reader_refuses_code_in_pickles(tmp_path: Path) -> None:
    path = tmp_path / "data_batch_1"
    path.write_bytes(pickle.dumps({"data": _Hostile()}))
    with pytest.raises(DataError) as info:
        read_cifar_batch(path)
    assert info.value.key == "data.error.corrupt_file"


def test_cifar_with_wrong_shapes_is_a_data_error(tmp_path: Path) -> None:
    folder = tmp_path / "cifar-10-batches-py"
    _write_cifar(folder)
    bad = {"data": np.zeros((4, 100), dtype=np.uint8), "labels": [0, 1, 2, 3]}
    (folder / "data_batch_3").write_bytes(pickle.dumps(bad))
    with pytest.raises(DataError) as info:
        load_dataset(DataConfig(name="cifar10", data_dir=str(tmp_path)))
    assert info.value.key == "data.error.corrupt_file"


@pytest.mark.slow
@pytest.mark.skipif(not (REAL_MNIST / "MNIST" / "raw").is_dir(), reason="shared MNIST not present")
def test_real_mnist_test_split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNNVIZ_MNIST_DIR", str(REAL_MNIST))
    bundle = load_dataset(DataConfig(name="mnist", data_dir="/nonexistent", val_fraction=0.2))
    assert bundle.train_x.shape == (8000, 1, 28, 28) and bundle.val_x.shape == (2000, 1, 28, 28)
    assert bundle.mean[0] == pytest.approx(0.1325, abs=0.002)  # MNIST test-split pixel mean
    assert any(n.key == "data.note.test_split_only" for n in bundle.notes)
