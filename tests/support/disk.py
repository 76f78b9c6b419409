"""Reading what the bot left on disk, as an operator would, and waiting for it to appear."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any


def rows(db_path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Read the database file directly, as an operator would."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


async def eventually(predicate: Callable[[], Any], timeout: float = 15.0) -> Any:  # noqa: ASYNC109
    """Wait for a condition outside the fakes (a row on disk) by polling it, with a deadline."""
    async with asyncio.timeout(timeout):
        # The condition lives in a file another component writes: there is no event to await.
        while not (value := predicate()):  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    return value
