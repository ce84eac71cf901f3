"""cnnviz.data.upload: a zip of class folders, and every way an upload can be wrong."""

from __future__ import annotations

import io
import stat
import zipfile

import numpy as np
import pytest
import torch
from PIL import Image

import cnnviz.data.images as images
import cnnviz.data.upload as upload
from cnnviz.data import DataConfig, DataError, load_dataset, load_upload, note_text


def image_bytes(
    colour: tuple[int, int, int] | int, size: tuple[int, int] = (40, 30), fmt: str = "PNG"
) -> bytes:
    mode = "L" if isinstance(colour, int) else "RGB"
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format=fmt)  # type: ignore[arg-type]
    return buffer.getvalue()


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def two_classes(prefix: str = "", count: int = 3) -> dict[str, bytes]:
    entries = {f"{prefix}cat/{i}.png": image_bytes((200, 30, 30)) for i in range(count)}
    entries |= {
        f"{prefix}dog/{i}.jpg": image_bytes((30, 30, 200), fmt="JPEG") for i in range(count)
    }
    return entries


def error_key(data: bytes) -> str:
    with pytest.raises(DataError) as info:
        load_upload(data)
    assert info.value.text("zh") != info.value.text("en")
    return info.value.key


def test_class_folders_become_labels_and_images_are_resized() -> None:
    raw = load_upload(make_zip(two_classes()), image_size=32)
    assert raw.class_names == ("cat", "dog")
    assert raw.images.shape == (6, 3, 32, 32) and raw.images.dtype == np.uint8
    assert raw.labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert raw.images[0, :, 16, 16].tolist() == [200, 30, 30]  # a red cat
    assert raw.notes == []


def test_one_top_folder_and_archiver_junk_are_ignored() -> None:
    entries = two_classes("photos/")
    entries["__MACOSX/photos/cat/._0.png"] = b"junk"
    entries["photos/.DS_Store"] = b"junk"
    raw = load_upload(make_zip(entries))
    assert raw.class_names == ("cat", "dog") and raw.notes == []


def test_top_folder_with_a_stray_file_still_finds_the_classes() -> None:
    entries = two_classes("photos/")
    entries["photos/readme.txt"] = b"hello"
    raw = load_upload(make_zip(entries))
    assert raw.class_names == ("cat", "dog")
    assert [note_text(n) for n in raw.notes] == [
        "Ignored photos/readme.txt: only images inside a class folder are used (for example cat/1.png)."
    ]


def test_grayscale_upload_has_one_channel() -> None:
    entries = {f"a/{i}.png": image_bytes(30) for i in range(2)}
    entries |= {f"b/{i}.png": image_bytes(220) for i in range(2)}
    raw = load_upload(make_zip(entries), image_size=28)
    assert raw.images.shape == (4, 1, 28, 28)


def test_load_dataset_with_upload_gives_a_normalised_bundle() -> None:
    cfg = DataConfig(name="upload", upload_zip=make_zip(two_classes(count=5)), image_size=32)
    bundle = load_dataset(cfg)
    assert bundle.input_shape == (3, 32, 32)
    assert bundle.class_names == ("cat", "dog")
    assert bundle.train_x.shape[0] == 8 and bundle.val_x.shape[0] == 2
    assert torch.bincount(bundle.val_y).tolist() == [1, 1]


def test_corrupt_image_is_skipped_and_reported() -> None:
    entries = two_classes()
    entries["cat/broken.png"] = b"\x89PNG\r\n\x1a\n this is not really a png"
    entries["dog/truncated.jpg"] = image_bytes((1, 2, 3), fmt="JPEG")[:40]
    raw = load_upload(make_zip(entries))
    assert raw.images.shape[0] == 6
    texts = [note_text(note, "en") for note in raw.notes]
    assert any("cat/broken.png" in text for text in texts)
    assert any("dog/truncated.jpg" in text for text in texts)
    assert all(note.key == "data.note.undecodable" for note in raw.notes)


def test_other_files_are_ignored_with_a_note() -> None:
    entries = two_classes()
    entries["README.txt"] = b"hello"
    entries["cat/notes.txt"] = b"hello"
    raw = load_upload(make_zip(entries))
    assert raw.images.shape[0] == 6
    assert sum(note.key == "data.note.ignored_file" for note in raw.notes) == 2


def test_a_class_with_one_image_is_dropped_with_a_note() -> None:
    entries = two_classes()
    entries["bird/0.png"] = image_bytes((0, 255, 0))
    raw = load_upload(make_zip(entries))
    assert raw.class_names == ("cat", "dog")
    assert raw.notes[0].key == "data.note.class_dropped"


def test_image_with_too_many_pixels_is_not_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS", 40 * 30)  # the normal images fit
    entries = two_classes()
    entries["cat/huge.png"] = image_bytes((1, 1, 1), size=(100, 100))
    raw = load_upload(make_zip(entries))
    assert raw.images.shape[0] == 6
    assert any("cat/huge.png" in note_text(n) for n in raw.notes)


def test_single_class_is_rejected() -> None:
    entries = {f"cat/{i}.png": image_bytes((9, 9, 9)) for i in range(5)}
    assert error_key(make_zip(entries)) == "data.error.upload_need_two_classes"


def test_no_readable_images_is_rejected() -> None:
    entries = {"cat/a.png": b"garbage", "dog/b.png": b"garbage"}
    assert error_key(make_zip(entries)) == "data.error.upload_need_two_classes"


@pytest.mark.parametrize("name", ["../evil/x.png", "cat/../../x.png", "/etc/cat/x.png"])
def test_path_traversal_is_rejected(name: str) -> None:
    entries = two_classes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # ZipInfo() would strip a leading "/"; set the raw name
        archive.writestr(info, image_bytes((1, 1, 1)))
    assert error_key(buffer.getvalue()) == "data.error.upload_unsafe_path"


def test_windows_drive_path_is_rejected() -> None:
    entries = two_classes()
    entries["C:/cat/x.png"] = image_bytes((1, 1, 1))
    assert error_key(make_zip(entries)) == "data.error.upload_unsafe_path"


def test_symlink_is_rejected() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, data in two_classes().items():
            archive.writestr(entry, data)
        link = zipfile.ZipInfo("cat/link.png")
        link.create_system = 3  # Unix
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert error_key(buffer.getvalue()) == "data.error.upload_symlink"


def test_too_many_files_is_rejected() -> None:
    entries = {f"cat/{i}.png": b"" for i in range(upload.MAX_FILES + 1)}
    assert error_key(make_zip(entries)) == "data.error.upload_too_many_files"


def test_too_many_images_in_one_class_is_rejected() -> None:
    entries = {f"cat/{i}.png": b"" for i in range(upload.MAX_PER_CLASS + 1)}
    entries["dog/0.png"] = b""
    assert error_key(make_zip(entries)) == "data.error.upload_too_many_per_class"


def test_zip_bomb_is_rejected_by_declared_and_read_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = two_classes()
    entries["cat/zeros.png"] = b"\x00" * 200_000  # compresses to a few hundred bytes
    data = make_zip(entries)
    assert len(data) < 20_000
    monkeypatch.setattr(upload, "MAX_UNCOMPRESSED_BYTES", 100_000)
    assert error_key(data) == "data.error.upload_uncompressed_too_large"


def test_file_over_the_per_file_cap_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upload, "MAX_FILE_BYTES", 1000)
    entries = two_classes()
    entries["cat/big.png"] = image_bytes((5, 5, 5), size=(300, 300)) + b"\x00" * 5000
    assert error_key(make_zip(entries)) == "data.error.upload_file_too_large"


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip's central directory declares for ``name``."""
    patched = bytearray(data)
    position = patched.find(b"PK\x01\x02")
    while position != -1:
        name_length = int.from_bytes(patched[position + 28 : position + 30], "little")
        if patched[position + 46 : position + 46 + name_length] == name.encode():
            patched[position + 24 : position + 28] = size.to_bytes(4, "little")
            return bytes(patched)
        position = patched.find(b"PK\x01\x02", position + 4)
    raise AssertionError(name)


def test_sizes_in_the_zip_directory_are_not_trusted() -> None:
    """A member that declares 10 bytes but inflates to 50 kB is read only up to its declared
    size, fails its checksum, and is reported as unreadable; the other images still load."""
    entries = two_classes()
    entries["dog/liar.png"] = b"\x00" * 50_000
    data = _declare_size(make_zip(entries), "dog/liar.png", 10)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("dog/liar.png").file_size == 10
    raw = load_upload(data)
    assert raw.images.shape[0] == 6
    assert [note_text(n) for n in raw.notes] == [
        "Skipped dog/liar.png: it is not an image that can be read."
    ]


def test_oversized_zip_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upload, "MAX_ZIP_BYTES", 100)
    assert error_key(make_zip(two_classes())) == "data.error.upload_too_large"


def test_not_a_zip_and_empty_upload_are_rejected() -> None:
    assert error_key(b"this is not a zip file") == "data.error.upload_not_zip"
    assert error_key(b"") == "data.error.upload_missing"
