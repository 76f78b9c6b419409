"""Figures that need no bot running: the due-reminder query and the parser."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, widget
from bench.reminders_bench import page_query_ms, populate
from bot.licensing.parser import parse_claims
from storage.db import Database


async def sweep_ms(chats: int) -> float:
    """Median time of one due-reminder page query with `chats` licensed chats (5% due)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sweep.sqlite3"
        db = Database(path)
        await db.connect()  # the schema, with every migration
        await db.close()
        populate(path, chats, 0.05)
        return page_query_ms(path, indexed=True)


def parse_figures(runs: int = 5) -> tuple[float, float]:
    """(median seconds of `python -m bot parse` on one paste, parses per second in-process)."""
    text = widget("24c5934b-7b86-48bd-a1d6-5bfb6950c17a") + "\nСпасибо!"
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "parse"],
            input=text.encode(),
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        times.append(time.perf_counter() - started)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < 1.0:
        parse_claims(text)
        count += 1
    return sorted(times)[runs // 2], count / (time.perf_counter() - started)
