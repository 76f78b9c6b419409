"""The real OCR worker, with the network cut off, reads the generated widget pictures."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest

from bot.ocr.outcome import OcrKind
from bot.ocr.reader import OcrReader
from tests.support.disk import eventually
from tests.support.widget_images import FONT_PACKAGE, WidgetImage, font_path, widget_images

pytestmark = pytest.mark.skipif(
    font_path() is None, reason=f"no DejaVu/Liberation font: apt-get install {FONT_PACKAGE}"
)

# Every socket call fails in the worker: the engine must find its models inside the package.
NO_NETWORK = """
import runpy, socket

def refuse(*args, **kwargs):
    raise OSError("network disabled in this test")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
runpy.run_module("bot.ocr.worker", run_name="__main__", alter_sys=True)
"""
OFFLINE_WORKER = (sys.executable, "-c", NO_NETWORK)

# A sample of every kind of picture; the bench reads the whole set.
SAMPLE = (
    "page-png",
    "desktop-2560-file",
    "page-jpeg-87",
    "dark-telegram",
    "phone-wrap-dash",
    "phone-wrap-inside",
    "photo-tilt-minus-3",
    "decoys",
    "no-widget-decoys",
)


@pytest.fixture(scope="module")
def pictures() -> dict[str, WidgetImage]:
    return {image.name: image for image in widget_images()}


@pytest.fixture
async def reader() -> AsyncIterator[OcrReader]:
    ocr = OcrReader(command=OFFLINE_WORKER, image_timeout=60)
    yield ocr
    await ocr.close()


def test_the_guard_really_cuts_the_network_off() -> None:
    probe = NO_NETWORK.replace(
        'runpy.run_module("bot.ocr.worker", run_name="__main__", alter_sys=True)',
        'import urllib.request; urllib.request.urlopen("http://127.0.0.1:9", timeout=2)',
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "network disabled in this test" in done.stderr


async def test_offline_worker_reads_the_right_id_and_never_a_wrong_one(
    reader: OcrReader, pictures: dict[str, WidgetImage]
) -> None:
    wrong, missed = [], []
    for name in SAMPLE:
        image = pictures[name]
        outcome = await reader.read(image.data)
        got = outcome.request_ids
        if image.expected is None:
            assert outcome.kind is OcrKind.NO_ID, (name, outcome, reader.last_texts)
        elif got and got != [image.expected]:
            wrong.append((name, got, image.expected, reader.last_texts))
        elif not got:
            missed.append((name, outcome, reader.last_texts))
    assert wrong == []
    assert missed == []
    assert reader.worker_starts == 1


async def test_killing_the_worker_mid_picture_still_answers_the_customer(
    reader: OcrReader, pictures: dict[str, WidgetImage]
) -> None:
    image = pictures["page-png"]
    await reader.read(image.data)  # the worker is up and warm
    first_pid = reader.worker_pid
    assert first_pid is not None
    reading = asyncio.create_task(reader.read(image.data))
    await eventually(lambda: reader.busy, timeout=10)
    os.kill(first_pid, signal.SIGKILL)
    outcome = await reading
    assert outcome.request_ids == [image.expected]
    assert reader.worker_starts == 2
    assert reader.worker_pid not in (None, first_pid)
