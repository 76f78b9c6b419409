"""The OCR worker process: `python -m bot.ocr.worker`, one picture at a time over stdin/stdout."""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import time
from typing import BinaryIO

from bot.licensing.ocr_text import boxes_holding, confirmed, read_request_ids, uuids_in
from bot.ocr.engine import DET_SIDE, Engine
from bot.ocr.images import open_checked
from bot.ocr.outcome import OcrKind, OcrOutcome, failed
from bot.ocr.protocol import encode_json, read_frame

logger = logging.getLogger(__name__)


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def read_picture(engine: Engine, data: bytes) -> tuple[OcrOutcome, list[str]]:
    """The outcome for one picture, and the lines of text seen (for debugging)."""
    image = open_checked(data)
    if isinstance(image, OcrOutcome):
        return image, []
    boxes = engine.recognise(image)
    reading = read_request_ids(boxes)
    texts = [box.text for box in boxes]
    if reading.ids:
        # A misread hex digit is still hex: only an ID that a second look agrees on is taken.
        second: set[str] = set()
        for read in reading.ids:
            second |= uuids_in(engine.reread(image, boxes_holding(read.request_id, boxes)))
        reading = confirmed(reading, second)
    if not reading.ids:
        return OcrOutcome(OcrKind.NO_ID), texts
    return OcrOutcome(OcrKind.IDS, reading.ids), texts


def serve(requests: BinaryIO, replies: BinaryIO, det_side: int = DET_SIDE) -> None:
    """Answer every framed picture on `requests` with one framed JSON reply, until end of input."""
    engine = Engine(det_side)
    engine.warm_up()
    replies.write(encode_json({"ready": True, "pid": os.getpid(), "peak_rss_kb": peak_rss_kb()}))
    replies.flush()
    while (data := read_frame(requests)) is not None:
        started, cpu = time.monotonic(), time.process_time()
        try:
            outcome, texts = read_picture(engine, data)
        except Exception as exc:  # the engine's errors are many; the bot gets a clear failure
            logger.exception("OCR failed on a %s-byte picture", len(data))
            outcome, texts = failed(f"engine error: {type(exc).__name__}"), []
        reply = {
            "outcome": outcome.to_wire(),
            "texts": texts,
            "seconds": round(time.monotonic() - started, 3),
            "cpu_seconds": round(time.process_time() - cpu, 3),
            "peak_rss_kb": peak_rss_kb(),
        }
        replies.write(encode_json(reply))
        replies.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description="OCR worker: framed pictures in, JSON out")
    parser.add_argument("--det-side", type=int, default=DET_SIDE)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # Our replies own stdout; anything a library prints goes to stderr instead.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # Lower priority: when both cores are busy, the bot's event loop goes first.
    os.nice(10)
    serve(sys.stdin.buffer, replies, args.det_side)


if __name__ == "__main__":
    main()
