"""The OCR reader's promises: bad files answered clearly, a bounded queue, timeouts, restarts."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

from bot.config import Settings
from bot.ocr.images import open_checked
from bot.ocr.outcome import MAX_BYTES, OcrKind, OcrOutcome
from bot.ocr.reader import OcrReader
from tests.support.disk import eventually

RID = "3f2a9c1e-0b7d-4e5f-8a6b-1c2d3e4f5a6b"

# A stand-in worker that speaks the real protocol without the engine: b"slow" takes a while,
# b"die" exits without answering, b"die-once" does so only the first time (a marker file).
FAKE_WORKER = f"""
import json, os, sys, time
from bot.ocr.protocol import encode_json, read_frame
out = sys.stdout.buffer
out.write(encode_json({{"ready": True, "peak_rss_kb": 1}})); out.flush()
while (data := read_frame(sys.stdin.buffer)) is not None:
    if data == b"slow":
        time.sleep(2)
    if data == b"hang":
        time.sleep(60)
    if data == b"die" or (data == b"die-once" and not os.path.exists(sys.argv[1])):
        open(sys.argv[1], "w").close()
        os._exit(3)
    ids = [{{"id": "{RID}", "near_label": True}}]
    reply = {{"outcome": {{"kind": "ids", "ids": ids}}, "seconds": 0.1, "peak_rss_kb": 2}}
    out.write(encode_json(reply)); out.flush()
"""


@pytest.fixture
async def fake_reader(tmp_path: Path) -> AsyncIterator[OcrReader]:
    command = (sys.executable, "-c", FAKE_WORKER, str(tmp_path / "died"))
    reader = OcrReader(command=command, queue_size=1, image_timeout=5, idle_seconds=30)
    yield reader
    await reader.close()


def picture(fmt: str = "PNG", size: tuple[int, int] = (40, 20), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, fmt, **save)
    return out.getvalue()


def kind_of(result: Image.Image | OcrOutcome) -> OcrKind | str:
    return result.kind if isinstance(result, OcrOutcome) else "decoded"


def test_pictures_are_checked_before_they_are_decoded() -> None:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    animated = io.BytesIO()
    frames[0].save(animated, "GIF", save_all=True, append_images=frames[1:])
    huge = io.BytesIO()
    Image.new("1", (8000, 6000)).save(huge, "PNG")  # 48 megapixels in a few kilobytes
    assert kind_of(open_checked(picture("JPEG", quality=87))) == "decoded"
    assert kind_of(open_checked(picture("WEBP"))) == "decoded"
    assert kind_of(open_checked(b"%PDF-1.7 not a picture")) is OcrKind.NOT_IMAGE
    assert kind_of(open_checked(picture()[:60])) is OcrKind.NOT_IMAGE
    assert kind_of(open_checked(animated.getvalue())) is OcrKind.ANIMATED
    assert kind_of(open_checked(huge.getvalue())) is OcrKind.TOO_LARGE
    assert kind_of(open_checked(b"\0" * (MAX_BYTES + 1))) is OcrKind.TOO_LARGE


async def test_an_oversized_file_is_refused_without_starting_the_worker(
    fake_reader: OcrReader,
) -> None:
    outcome = await fake_reader.read(b"\xff" * (MAX_BYTES + 1))
    assert outcome.kind is OcrKind.TOO_LARGE
    assert fake_reader.worker_starts == 0


async def test_a_burst_waits_its_turn_and_beyond_the_bound_is_refused(
    fake_reader: OcrReader,
) -> None:
    first = asyncio.create_task(fake_reader.read(b"slow"))
    await eventually(lambda: fake_reader.busy)
    second = asyncio.create_task(fake_reader.read(b"next"))
    await eventually(lambda: fake_reader.queue_length == 1)
    third = await fake_reader.read(b"too many")
    assert third == OcrOutcome(OcrKind.FAILED, reason="busy")
    assert (await first).request_ids == [RID]
    assert (await second).request_ids == [RID]
    assert fake_reader.queue_length == 0
    assert fake_reader.worker_starts == 1


async def test_a_worker_that_dies_mid_picture_is_restarted_and_the_picture_read(
    fake_reader: OcrReader,
) -> None:
    outcome = await fake_reader.read(b"die-once")
    assert outcome.request_ids == [RID]
    assert fake_reader.worker_starts == 2


async def test_a_picture_that_kills_every_worker_gets_a_clear_failure(
    fake_reader: OcrReader,
) -> None:
    assert await fake_reader.read(b"die") == OcrOutcome(OcrKind.FAILED, reason="worker crashed")
    # The next customer is served by a fresh worker.
    assert (await fake_reader.read(b"fine")).request_ids == [RID]


async def test_a_stuck_picture_times_out_and_the_next_one_is_read(tmp_path: Path) -> None:
    command = (sys.executable, "-c", FAKE_WORKER, str(tmp_path / "died"))
    reader = OcrReader(command=command, image_timeout=1)
    try:
        assert await reader.read(b"hang") == OcrOutcome(OcrKind.FAILED, reason="timeout")
        assert (await reader.read(b"fine")).request_ids == [RID]
        assert reader.worker_starts == 2
    finally:
        await reader.close()


async def test_an_idle_worker_is_stopped_and_started_again_on_the_next_picture(
    tmp_path: Path,
) -> None:
    command = (sys.executable, "-c", FAKE_WORKER, str(tmp_path / "died"))
    reader = OcrReader(command=command, idle_seconds=0.2)
    try:
        await reader.read(b"one")
        await eventually(lambda: reader.worker_pid is None)
        assert (await reader.read(b"two")).request_ids == [RID]
        assert reader.worker_starts == 2
    finally:
        await reader.close()


async def test_closing_answers_the_picture_being_read_and_those_waiting(
    fake_reader: OcrReader,
) -> None:
    reading = asyncio.create_task(fake_reader.read(b"hang"))
    await eventually(lambda: fake_reader.busy)
    waiting = asyncio.create_task(fake_reader.read(b"next"))
    await eventually(lambda: fake_reader.queue_length == 1)
    await fake_reader.close()
    assert await reading == OcrOutcome(OcrKind.FAILED, reason="shutting down")
    assert await waiting == OcrOutcome(OcrKind.FAILED, reason="shutting down")
    assert fake_reader.worker_pid is None


async def test_a_worker_that_cannot_start_gives_a_clear_failure() -> None:
    reader = OcrReader(command=(sys.executable, "-c", "raise SystemExit(2)"))
    try:
        assert await reader.read(b"x") == OcrOutcome(OcrKind.FAILED, reason="worker crashed")
    finally:
        await reader.close()


def test_the_bot_side_loads_no_image_or_ocr_library() -> None:
    probe = (
        "import sys, bot.ocr.reader; "
        "print(sorted(m for m in ('PIL', 'numpy', 'cv2', 'onnxruntime', 'rapidocr') "
        "if m in sys.modules))"
    )
    command = [sys.executable, "-c", probe]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("value", "expected"), [("on", True), ("off", False), ("false", False)])
def test_the_ocr_setting_takes_on_and_off(value: str, expected: bool) -> None:
    settings = Settings(
        bot_token="1:abc", license_api_url="http://127.0.0.1:9", ocr=value, _env_file=None
    )
    assert settings.ocr is expected
