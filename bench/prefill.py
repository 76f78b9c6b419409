"""A database with many licensed chats, written in bulk (as if they had pasted long ago)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.db import Database

FAR_FUTURE = 4_102_444_800.0  # 2100-01-01: no reminder falls due during the bench


async def prefill_chats(path: Path, chats: int) -> None:
    db = Database(path)
    await db.connect()  # the schema, with every migration
    await db.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO chats (chat_id, type, active, created_at, updated_at)"
            " VALUES (?, 'private', 1, '', '')",
            ((10_000_000 + i,) for i in range(chats)),
        )
        conn.executemany(
            """INSERT INTO licenses (chat_id, license_key, license_id, request_id, status,
                   expires_on, verified_at, created_at, next_check_at)
               VALUES (?, ?, ?, ?, 'active', '2100-01-01', '2026-01-01T00:00:00+00:00', '', ?)""",
            (
                (
                    10_000_000 + i,
                    f"L-{i}",
                    f"L-{i}",
                    f"aaaaaaaa-0000-4000-8000-{i:012d}",
                    FAR_FUTURE,
                )
                for i in range(chats)
            ),
        )
    conn.close()
