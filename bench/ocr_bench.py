"""Benchmark: the OCR worker on the generated widget pictures.

Run: .venv/bin/python bench/ocr_bench.py [--seeds 11,12,13] [--hard 30] [--show]
                                   [--det-side 1280]

Renders the pictures of tests/support/widget_images.py, reads each one through the real
OcrReader (one worker process, as the bot runs it) and prints per picture the verdict
(right / WRONG / none) against its ground truth and the worker's seconds; then the counts,
the median and p95 seconds per picture (worker start and model loading excluded; they are
printed apart) and the worker's peak resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.ocr.engine import DET_SIDE
from bot.ocr.outcome import OcrKind
from bot.ocr.reader import WORKER_COMMAND, OcrReader
from tests.support.widget_images import hard_photos, widget_images


def verdict(expected: str | None, got: list[str]) -> str:
    if not got:
        return "none" if expected is not None else "right"
    return "right" if got == [expected] else "WRONG"


async def run(seeds: list[int], show: bool, det_side: int, hard: int) -> None:
    images = [image for seed in seeds for image in widget_images(seed)]
    images += hard_photos(count=hard)
    reader = OcrReader(command=(*WORKER_COMMAND, "--det-side", str(det_side)))
    started = time.monotonic()
    await reader.read(images[0].data)  # start the worker and load the models
    print(f"worker start and first picture: {time.monotonic() - started:.2f}s")
    counts = {"right": 0, "WRONG": 0, "none": 0}
    seconds: list[float] = []
    cpu: list[float] = []
    for image in images:
        outcome = await reader.read(image.data)
        got = outcome.request_ids if outcome.kind is OcrKind.IDS else []
        mark = verdict(image.expected, got)
        counts[mark] += 1
        seconds.append(reader.last_seconds)
        cpu.append(reader.last_cpu_seconds)
        print(
            f"{image.name:22} {mark:5} {reader.last_seconds:6.2f}s "
            f"cpu {reader.last_cpu_seconds:5.2f}s {len(image.data):>8} B"
        )
        if show or mark != "right":
            print("    expected", image.expected, "got", got, "kind", outcome.kind.value)
            print("    texts", reader.last_texts)
    await reader.close()
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"pictures {len(seconds)}: right {counts['right']}, WRONG {counts['WRONG']}, "
        f"none {counts['none']}"
    )
    print(
        f"seconds per picture: median {statistics.median(seconds):.2f}, p95 {p95:.2f}, "
        f"max {ordered[-1]:.2f}"
    )
    print(
        f"worker CPU seconds per picture: median {statistics.median(cpu):.2f}, max {max(cpu):.2f}"
    )
    peak = reader.peak_rss_kb / 1024
    print(f"worker peak RSS: {peak:.0f} MiB; worker starts {reader.worker_starts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="11", help="comma-separated; each seed, new IDs")
    parser.add_argument(
        "--show", action="store_true", help="print the text seen for every picture"
    )
    parser.add_argument("--det-side", type=int, default=DET_SIDE)
    parser.add_argument("--hard", type=int, default=0, help="add this many degraded photos")
    args = parser.parse_args()
    asyncio.run(
        run(
            [int(seed) for seed in args.seeds.split(",") if seed],
            args.show,
            args.det_side,
            args.hard,
        )
    )


if __name__ == "__main__":
    main()
