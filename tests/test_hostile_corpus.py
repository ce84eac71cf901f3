"""Issue 9's hostile inputs (``tests/hostile.py``, generated, never committed): each one is refused
with a precise message in both languages, or decoded right, through the library and the pages."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from cnnviz.data import DataError, decode_image, load_upload
from cnnviz.lab import HistoryError, import_json
from cnnviz.lessons import image_patch
from cnnviz.train import (
    CheckpointError,
    load_checkpoint,
    model_from_checkpoint,
    trained_model_from_checkpoint,
)
from tests import hostile

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _open(page: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, key: str, name: str, data: bytes, mime: str) -> None:
    uploader = next(u for u in at.get("file_uploader") if u.key == key)
    uploader.set_value((name, data, mime))
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _texts(at: AppTest, kind: str) -> str:
    return " ".join(str(e.value) for e in at.get(kind))


def _upright_gray(size: int) -> np.ndarray:
    """The corpus picture as the network sees it: luma in [0, 1], resized by area averaging."""
    picture = Image.fromarray(hostile.upright_picture()).resize((size, size), Image.Resampling.BOX)
    rgb = np.asarray(picture, dtype=np.float32) / 255.0
    return rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


# ------------------------------------------------------------------ items 1, 2, 4: checkpoints


@pytest.mark.parametrize("name", sorted(hostile.BAD_CHECKPOINTS))
def test_every_bad_checkpoint_is_refused_with_its_own_message(name: str) -> None:
    make, key = hostile.BAD_CHECKPOINTS[name]
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(make())
    assert err.value.key == key
    english, chinese = err.value.text("en"), err.value.text("zh")
    assert english != chinese and "{" not in english + chinese


def test_the_good_checkpoint_of_the_corpus_loads() -> None:
    checkpoint = load_checkpoint(hostile.checkpoint())
    trained = trained_model_from_checkpoint(checkpoint, model_from_checkpoint(checkpoint))
    assert trained.class_names == tuple("abcdef") and trained.std == (0.25,)


def test_meta_json_is_read_by_the_guarded_reader() -> None:
    deep = hostile.checkpoint(meta_text="[" * 50_000 + "]" * 50_000)
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(deep)  # json.loads would raise RecursionError here
    assert err.value.key == "train.checkpoint.error.meta"


@pytest.mark.parametrize("name", ["mean_5000_values", "one_class_name_for_6_outputs"])
def test_train_page_refuses_the_checkpoint_then_try_it_stays_calm(name: str) -> None:
    """Issue 9's reproduction: load the checkpoint, then upload a picture to Try it."""
    at = _open("pages/train/page.py")
    make, key = hostile.BAD_CHECKPOINTS[name]
    _upload(at, "train_w_ckpt", "bad.zip", make(), "application/zip")
    assert "train_loaded" not in at.session_state
    message = CheckpointError(key).text("en").split("{")[0]
    assert message in _texts(at, "error")
    # no model was loaded, so Try it asks for one instead of predicting with bad metadata
    assert "Train a network (or load one)" in _texts(at, "info")
    assert all(u.key != "train_w_picture" for u in at.get("file_uploader"))


# ---------------------------------------------------------------- item 3: deep run history


def test_deep_history_is_refused_by_the_library() -> None:
    assert len(hostile.DEEP_HISTORY) == 400_000
    with pytest.raises(HistoryError) as err:
        import_json(hostile.DEEP_HISTORY)
    assert err.value.key == "lab.error.too_deep"
    assert "200000" in err.value.text("en").replace(",", "")


def test_deep_history_is_refused_by_the_lab_page() -> None:
    at = _open("pages/lab/page.py")
    _upload(at, "lab_upload", "runs.json", hostile.DEEP_HISTORY, "application/json")
    assert HistoryError("lab.error.too_deep", depth=200000, limit=16).text("en") in _texts(
        at, "error"
    )
    assert at.session_state["runs"] == []


# ------------------------------------------------------------------- items 5 and 6: pictures


def test_exif_orientation_6_is_decoded_upright() -> None:
    decoded = decode_image(hostile.exif_rotated_jpeg()).astype(float)
    expected = hostile.upright_picture().astype(float)
    assert np.abs(decoded - expected).mean() < 3  # JPEG noise only
    # ignoring the tag would give the bright half on the right
    stored = np.asarray(Image.open(io.BytesIO(hostile.exif_rotated_jpeg())).convert("RGB"))
    assert np.abs(stored.astype(float) - expected).mean() > 50


def test_the_stepper_patch_of_a_phone_photo_is_upright() -> None:
    patch = image_patch(hostile.exif_rotated_jpeg(), 1, 8, 8)  # (1, 8, 8)
    np.testing.assert_allclose(patch[0], _upright_gray(8), atol=0.03)


def test_a_zip_of_phone_photos_trains_on_upright_pictures() -> None:
    photo = hostile.exif_rotated_jpeg()
    files = {f"{c}/{i}.jpg": photo for c in ("up", "same") for i in range(2)}
    raw = load_upload(hostile.class_zip(files), image_size=32)
    assert raw.images.shape == (4, 1, 32, 32)
    np.testing.assert_allclose(raw.images[0, 0] / 255.0, _upright_gray(32), atol=0.03)


def test_try_it_classifies_the_photo_upright() -> None:
    """The orientation network says where the bright half is: "top" only if Try it turned the
    photo upright (ignoring the tag would put it on the right)."""
    at = _open("pages/train/page.py")
    _upload(at, "train_w_ckpt", "orientation.zip", hostile.orientation_checkpoint(), "x/zip")
    assert "train_loaded" in at.session_state
    _upload(at, "train_w_picture", "photo.jpg", hostile.exif_rotated_jpeg(), "image/jpeg")
    assert [m.value for m in at.metric] == ["top"]


def test_a_16_bit_png_is_scaled_not_saturated() -> None:
    data = hostile.png16()
    assert Image.open(io.BytesIO(data)).mode.startswith("I;16")
    row = decode_image(data)[0, :, 0].astype(int)  # the 0..65535 ramp
    expected = np.linspace(0, 255, row.size)
    assert np.abs(row - expected).max() <= 1
    patch = image_patch(data, 1, 4, 16)[0, 0]  # the ramp in 16 steps, black to white
    assert np.all(np.diff(patch) > 0.05) and patch[0] < 0.05 and patch[-1] > 0.95
    square = hostile.png16(32, 32)  # zip uploads are cropped square
    raw = load_upload(hostile.class_zip({f"{c}/{i}.png": square for c in "ab" for i in range(2)}))
    assert 0 < raw.images.mean() < 255 and raw.images.min() < 20 and raw.images.max() > 235


# ---------------------------------------------------------------------------- item 8: zips


def test_an_encrypted_zip_says_it_is_encrypted() -> None:
    with pytest.raises(DataError) as err:
        load_upload(hostile.encrypted_zip())
    assert err.value.key == "data.error.upload_encrypted"
    assert "cat/0.png" in err.value.text("en") and "密码" in err.value.text("zh")


def test_a_name_flagged_utf8_that_is_not_says_so() -> None:
    with pytest.raises(DataError) as err:
        load_upload(hostile.bad_utf8_name_zip())
    assert err.value.key == "data.error.upload_bad_name"
    assert "UTF-8" in err.value.text("en") and "UTF-8" in err.value.text("zh")


def test_unflagged_gbk_folder_names_are_read_as_chinese() -> None:
    """Chinese Windows zip tools write GBK names without the UTF-8 flag."""
    files = {}
    for placeholder, value in (("aa", 30), ("bb", 220)):
        for i in range(2):
            picture = io.BytesIO()
            Image.new("L", (8, 8), value).save(picture, format="PNG")
            files[f"{placeholder}/{i}.png"] = picture.getvalue()
    data = hostile.class_zip(files)  # ASCII names: no UTF-8 flag
    for placeholder, folder in ((b"aa/", "猫"), (b"bb/", "狗")):
        data = data.replace(placeholder, folder.encode("gbk") + b"/")  # 2 bytes each: same length
    raw = load_upload(data)
    assert raw.class_names == ("狗", "猫") and raw.labels.tolist() == [0, 0, 1, 1]


# ------------------------------------------------------------------ item 7: the data folder


def test_a_crafted_data_folder_is_ignored_on_a_shared_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``/etc/../root/.ssh`` sent as the folder widget's value: never used, never echoed."""
    server = tmp_path / "server-data"
    monkeypatch.setenv("CNNVIZ_DATA_DIR", str(server))
    monkeypatch.delenv("CNNVIZ_SINGLE_USER", raising=False)
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["train_w_folder"] = "/etc/../root/.ssh"
    at.session_state["train_w_dataset"] = "mnist"
    at.run()
    at.switch_page("pages/train/page.py")
    at.run()
    assert not at.exception
    shown = " ".join(str(e.value) for kind in ("error", "caption", "info") for e in at.get(kind))
    assert "$CNNVIZ_DATA_DIR/MNIST/raw" in shown
    assert "/root" not in shown and ".ssh" not in shown and str(tmp_path) not in shown
    assert not server.exists()  # nothing was created without a download


def test_public_messages_hide_every_absolute_path() -> None:
    from cnnviz.data import public_message
    from cnnviz.i18n import Message

    message = Message.of(
        "data.error.download_failed",
        dataset="mnist",
        reason="[Errno 13] Permission denied: '/root/.ssh/MNIST' (https://x.org/a/b)",
        folder="/srv/cnnviz/data/MNIST/raw",
        files="train-images-idx3-ubyte.gz",
        install="",
    )
    for lang in ("en", "zh"):
        text = public_message(message, "/srv/cnnviz/data").text(lang)
        assert "$CNNVIZ_DATA_DIR/MNIST/raw" in text and "'…/MNIST'" in text
        assert "/srv" not in text and "/root" not in text and "https://x.org/a/b" in text
    relative = Message.of("data.error.corrupt_file", file="data/MNIST/raw/t10k.gz")
    assert "$CNNVIZ_DATA_DIR/MNIST/raw/t10k.gz" in public_message(relative, "./data").text("en")
