"""Your own images: a zip of class folders (``cat/x.png``, ``dog/y.jpg``, optionally under one top
folder), checked like any untrusted upload, decoded with Pillow and resized to a square.

Checks, each failing with its own :class:`DataError` key: the zip's size, the number of files,
the total uncompressed size declared and actually read (zip bombs), absolute paths, ``..`` and
symbolic links (path tricks), password-protected members, names that claim UTF-8 but are not,
images per class, pixels per image (before decoding), at least two classes with two or more
images each. Files Pillow cannot decode are skipped and listed in ``notes``. Names written
without the UTF-8 flag (older tools; Chinese Windows writes GBK) are read as UTF-8 when all of
them are valid UTF-8, else as GB18030, else as the zip standard's CP437.

Lesson: the "Train live" page ("train on your own images").
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import PurePosixPath

import numpy as np

from cnnviz.data.config import DataError, Progress, RawImages
from cnnviz.data.images import ImageError, decode_image, fit_image, has_colour
from cnnviz.i18n import Message

__all__ = [
    "IMAGE_EXTENSIONS",
    "MAX_FILES",
    "MAX_PER_CLASS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_ZIP_BYTES",
    "legacy_name_encoding",
    "load_upload",
]


MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 2000
MAX_PER_CLASS = 1000
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"})
_SYSTEM_JUNK = frozenset({".ds_store", "thumbs.db", "desktop.ini"})


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)  # 3 = Unix


_UTF8_FLAG = 0x800  # general-purpose bit 11: the name is UTF-8
_ENCRYPTED_FLAG = 0x1


def legacy_name_encoding(archive: zipfile.ZipFile) -> str | None:
    """How the names written without the UTF-8 flag are encoded, when not the zip standard's
    CP437 (which ``zipfile`` assumes): ``"utf-8"`` (many tools omit the flag), else
    ``"gb18030"`` (Chinese Windows writes GBK) when every such name decodes that way; None to
    keep CP437. One encoding for the whole archive: the tool that wrote it used one."""
    raw = [
        info.filename.encode("cp437")  # zipfile decoded them as CP437, which is reversible
        for info in archive.infolist()
        if not info.flag_bits & _UTF8_FLAG and not info.filename.isascii()
    ]
    if not raw:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            for name in raw:
                name.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _safe_parts(info: zipfile.ZipInfo) -> tuple[str, ...]:
    """The path components of a member, refusing absolute paths, drive letters, ``..`` and links."""
    name = info.filename
    if _is_symlink(info):
        raise DataError("data.error.upload_symlink", file=name)
    normalised = name.replace("\\", "/")
    parts = PurePosixPath(normalised).parts
    absolute = normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":")
    if absolute or any(part in ("..", "") for part in parts) or "\x00" in name:
        raise DataError("data.error.upload_unsafe_path", file=name)
    return tuple(part for part in parts if part != ".")


def _is_junk(parts: tuple[str, ...]) -> bool:
    """Folders and files that archivers add (``__MACOSX/``, ``.DS_Store``, hidden files)."""
    return any(part.startswith(".") or part == "__MACOSX" for part in parts) or (
        parts[-1].lower() in _SYSTEM_JUNK
    )


def _members(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """Checked file members (directories and junk left out) with their path components."""
    infos = archive.infolist()
    if len(infos) > MAX_FILES:
        raise DataError("data.error.upload_too_many_files", count=len(infos), limit=MAX_FILES)
    files: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
    declared = 0
    for info in infos:
        parts = _safe_parts(info)
        if info.is_dir() or not parts or _is_junk(parts):
            continue
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise DataError("data.error.upload_encrypted", file="/".join(parts))
        declared += info.file_size
        if declared > MAX_UNCOMPRESSED_BYTES:
            limit = MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
            raise DataError("data.error.upload_uncompressed_too_large", limit_mb=limit)
        files.append((info, parts))
    return files


def _strip_top_folder(
    files: list[tuple[zipfile.ZipInfo, tuple[str, ...]]],
) -> list[tuple[zipfile.ZipInfo, tuple[str, ...]]]:
    """``top/cat/x.png`` -> ``cat/x.png`` when every file sits under the same single top folder."""
    tops = {parts[0] for _, parts in files}
    if len(tops) == 1 and any(len(parts) >= 3 for _, parts in files):
        return [(info, parts[1:]) for info, parts in files]
    return files


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """The member's bytes, reading at most the per-file and the remaining total budget (the sizes
    in a zip's directory can lie)."""
    limit = min(MAX_FILE_BYTES, budget[0])
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > MAX_FILE_BYTES:
        limit_mb = round(MAX_FILE_BYTES / (1024 * 1024), 1)
        raise DataError("data.error.upload_file_too_large", file=info.filename, limit_mb=limit_mb)
    if len(data) > limit:
        limit_mb = MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
        raise DataError("data.error.upload_uncompressed_too_large", limit_mb=limit_mb)
    budget[0] -= len(data)
    return data


def _decode(data: bytes, size: int) -> tuple[np.ndarray, bool] | None:
    """A ``(size, size, 3)`` uint8 picture (centre-cropped to square, then resized) and whether it
    is colour; None when it cannot be decoded or has too many pixels (the caller notes it)."""
    try:
        rgb = decode_image(data)
    except ImageError:
        return None
    fitted = fit_image(rgb, size, size)
    return fitted, has_colour(fitted)


def _channels(rgb: np.ndarray, colour: bool) -> np.ndarray:
    """(S, S, 3) uint8 as (3, S, S), or as (1, S, S) luma ``0.299 R + 0.587 G + 0.114 B``."""
    if colour:
        return rgb.transpose(2, 0, 1)
    gray = rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return np.clip(gray.round(), 0, 255).astype(np.uint8)[None]


def load_upload(
    upload_zip: bytes | None, *, image_size: int = 32, progress: Progress | None = None
) -> RawImages:
    """Decode a zip of class folders into ``(N, C, S, S)`` uint8 images (C = 3 when any image has
    colour, else 1) and labels indexing the sorted class-folder names."""
    report: Progress = progress or (lambda fraction, message: None)
    if not upload_zip:
        raise DataError("data.error.upload_missing")
    if len(upload_zip) > MAX_ZIP_BYTES:
        raise DataError(
            "data.error.upload_too_large",
            size_mb=round(len(upload_zip) / (1024 * 1024), 1),
            limit_mb=MAX_ZIP_BYTES // (1024 * 1024),
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload_zip))
        encoding = legacy_name_encoding(archive)
        if encoding is not None:  # read the names again, as their author wrote them
            archive.close()
            archive = zipfile.ZipFile(io.BytesIO(upload_zip), metadata_encoding=encoding)
    except UnicodeDecodeError as exc:  # a name flagged UTF-8 that is not (zipfile reads it so)
        raw = exc.object if isinstance(exc.object, bytes) else b""
        shown = raw.decode("utf-8", "replace")[:80] or "?"
        raise DataError("data.error.upload_bad_name", file=shown) from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError("data.error.upload_not_zip") from exc
    notes: list[Message] = []
    with archive:
        files = _strip_top_folder(_members(archive))
        by_class: dict[str, list[tuple[zipfile.ZipInfo, tuple[str, ...]]]] = {}
        for info, parts in files:
            if len(parts) < 2 or PurePosixPath(parts[-1]).suffix.lower() not in IMAGE_EXTENSIONS:
                notes.append(Message.of("data.note.ignored_file", file=info.filename))
                continue
            by_class.setdefault(parts[0], []).append((info, parts))
        for name, members in by_class.items():
            if len(members) > MAX_PER_CLASS:
                raise DataError(
                    "data.error.upload_too_many_per_class",
                    name=name,
                    count=len(members),
                    limit=MAX_PER_CLASS,
                )
        decoded: dict[str, list[tuple[np.ndarray, bool]]] = {}
        total = sum(len(members) for members in by_class.values())
        budget = [MAX_UNCOMPRESSED_BYTES]
        done = 0
        for name in sorted(by_class):
            for info, _ in by_class[name]:
                try:
                    data = _read_member(archive, info, budget)
                except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
                    data = b""  # a damaged member (bad CRC, encrypted) counts as undecodable
                result = _decode(data, image_size) if data else None
                if result is None:
                    notes.append(Message.of("data.note.undecodable", file=info.filename))
                else:
                    decoded.setdefault(name, []).append(result)
                done += 1
                if done % 25 == 0 or done == total:
                    report(done / max(total, 1), "data.progress.decoding")
    for name in sorted(decoded):
        if len(decoded[name]) < 2:
            notes.append(Message.of("data.note.class_dropped", name=name, count=len(decoded[name])))
            del decoded[name]
    if len(decoded) < 2:
        raise DataError("data.error.upload_need_two_classes", found=len(decoded))
    class_names = tuple(sorted(decoded))
    colour = any(is_colour for name in class_names for _, is_colour in decoded[name])
    images: list[np.ndarray] = []
    labels: list[int] = []
    for label, name in enumerate(class_names):
        for image, _ in decoded[name]:
            images.append(_channels(image, colour))  # (C, S, S)
            labels.append(label)
    return RawImages(np.stack(images), np.asarray(labels, dtype=np.int64), class_names, notes)
