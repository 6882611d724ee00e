"""The test suite's own tools (tests/avif.py, tests/workers.py) do what the suite relies on."""

import threading
from io import BytesIO

import pytest
from PIL import Image as PILImage
from willow.image import Image as WillowImage

from tests import workers


def avif_of(picture, quality=61):
    output = BytesIO()
    WillowImage.open(BytesIO(picture)).save_as_avif(output, quality=quality)
    return output.getvalue()


def png(colour, size=(64, 40)):
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_avif_renditions_are_libavifs_bytes_and_encoded_once_per_picture_and_options(monkeypatch):
    encodings = []
    save = PILImage.Image.save

    def counting_save(image, fp, format=None, **params):  # noqa: A002 - Pillow's own parameter name
        if format == "AVIF":
            encodings.append(params)
        return save(image, fp, format, **params)

    reference = BytesIO()
    PILImage.open(BytesIO(png("teal"))).convert("RGB").save(reference, "AVIF", quality=61)
    monkeypatch.setattr(PILImage.Image, "save", counting_save)

    first = avif_of(png("teal"))
    assert first == reference.getvalue()
    assert avif_of(png("teal")) == first
    assert len(encodings) == 1
    # Other pixels, another size or another quality: encoded for real.
    assert avif_of(png("orange")) != first
    assert avif_of(png("teal", size=(32, 20))) != first
    assert avif_of(png("teal"), quality=30) != first
    assert len(encodings) == 4
    assert PILImage.open(BytesIO(first)).format == "AVIF"


def test_workers_get_their_own_redis_database(monkeypatch):
    monkeypatch.delenv("TEST_REDIS_DB", raising=False)
    urls = []
    for name in ("gw0", "gw1", "gw2"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", name)
        urls.append(workers.redis_url())
    assert urls == ["redis://127.0.0.1:6379/8", "redis://127.0.0.1:6379/9", "redis://127.0.0.1:6379/10"]
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw8")
    with pytest.raises(RuntimeError, match="fewer workers"):
        workers.redis_url()


def test_one_at_a_time_makes_processes_take_turns(tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "LOCKS", tmp_path)
    inside = []

    def second():
        with workers.one_at_a_time("probe"):
            inside.append("second")

    with workers.one_at_a_time("probe"):
        inside.append("first")
        other = threading.Thread(target=second)
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive(), "the second holder got in while the first held the lock"
    other.join(timeout=10)
    assert inside == ["first", "second"]
