"""Benchmark: the reminder scheduler's due-license query at 10,000 and 100,000 licensed chats.

Run: .venv/bin/python bench/reminders_bench.py [--sizes 10000,100000] [--due 0.05]

For each size it builds a real SQLite file (one license per chat, a share of them due),
times one page query (median of 21, plain sqlite3) with and without its index, then
sweeps every due license page by page through the Repository (aiosqlite), moving each
one's schedule forward as the scheduler does: median time per page, total sweep time,
and the Python memory peak during the sweep (tracemalloc, which slows it down).
Flat means: per-page time and peak memory stay about the same while the table grows
tenfold.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from storage.db import Database
from storage.reminders import DUE_LICENSES_SQL
from storage.repository import Repository

PAGE = 200
NOW = 1_000_000.0


def populate(path: Path, size: int, due_share: float) -> int:
    """Bulk-insert `size` chats with one license each; returns how many are due."""
    conn = sqlite3.connect(path)
    expires = (date.today() + timedelta(days=3)).isoformat()
    due_every = max(1, round(1 / due_share))
    with conn:
        conn.executemany(
            "INSERT INTO chats (chat_id, type, active, created_at, updated_at)"
            " VALUES (?, 'private', 1, '', '')",
            ((i,) for i in range(1, size + 1)),
        )
        conn.executemany(
            """INSERT INTO licenses (chat_id, license_key, license_id, request_id, status,
                   expires_on, verified_at, created_at, next_check_at)
               VALUES (?, ?, ?, ?, 'active', ?, '2026-01-01T00:00:00+00:00', '', ?)""",
            (
                (
                    i,
                    f"L-{i}",
                    f"L-{i}",
                    f"00000000-0000-4000-8000-{i:012d}",
                    expires,
                    NOW - i if i % due_every == 0 else NOW + 86_400 + i,
                )
                for i in range(1, size + 1)
            ),
        )
    due = conn.execute("SELECT COUNT(*) FROM licenses WHERE next_check_at <= ?", (NOW,))
    count = due.fetchone()[0]
    conn.close()
    return count


def page_query_ms(path: Path, *, indexed: bool, runs: int = 21) -> float:
    """Median time of one page query; `+ 0` on the column defeats its index."""
    sql = DUE_LICENSES_SQL
    if not indexed:
        sql = sql.replace("l.next_check_at", "l.next_check_at + 0")
    conn = sqlite3.connect(path)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        conn.execute(sql, (NOW, PAGE)).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return sorted(times)[runs // 2]


async def sweep(path: Path) -> tuple[int, int, float, float, int]:
    db = Database(path)
    await db.connect()
    repo = Repository(db)
    pages = handled = 0
    page_times: list[float] = []
    tracemalloc.start()
    started = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        page = await repo.due_licenses(NOW, PAGE)
        page_times.append(time.perf_counter() - t0)
        if not page:
            break
        for stored in page:
            await repo.set_next_check(stored.chat_id, stored.check.license_key, NOW + 86_400)
        pages += 1
        handled += len(page)
    total = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    await db.close()
    median_page_ms = sorted(page_times)[len(page_times) // 2] * 1000
    return pages, handled, median_page_ms, total, peak


async def run(sizes: list[int], due_share: float) -> None:
    print(
        f"{'chats':>8} {'due':>6} {'query ms':>9} {'no-index ms':>12} {'pages':>6} "
        f"{'page ms':>8} {'sweep s':>8} {'peak KiB':>9}"
    )
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.sqlite3"
            db = Database(path)
            await db.connect()  # creates the schema with every migration
            await db.close()
            due = populate(path, size, due_share)
            fast = page_query_ms(path, indexed=True)
            slow = page_query_ms(path, indexed=False)
            pages, handled, page_ms, total, peak = await sweep(path)
            assert handled == due, (handled, due)
            print(
                f"{size:>8} {due:>6} {fast:>9.2f} {slow:>12.2f} {pages:>6} "
                f"{page_ms:>8.2f} {total:>8.2f} {peak / 1024:>9.0f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--due", type=float, default=0.05, help="share of licenses due now")
    args = parser.parse_args()
    asyncio.run(run([int(s) for s in args.sizes.split(",")], args.due))


if __name__ == "__main__":
    main()
