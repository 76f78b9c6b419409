"""Updates taken from Telegram but not yet handled, and the polling offset."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import aiosqlite

from storage.db import Database
from storage.rows import now_text

CHUNK = 500  # ids per DELETE (SQLite allows 32766 parameters; kept well below)


def _delete_sql(count: int) -> str:
    return f"DELETE FROM inbox WHERE update_id IN ({', '.join('?' * count)})"


async def _delete(conn: aiosqlite.Connection, update_ids: Sequence[int]) -> None:
    for start in range(0, len(update_ids), CHUNK):
        chunk = update_ids[start : start + CHUNK]
        await conn.execute(_delete_sql(len(chunk)), tuple(chunk))


class InboxStore:
    """Reads and writes of the inbox and meta tables."""

    db: Database

    async def inbox_add(
        self, updates: Iterable[tuple[int, str]], next_offset: int, *, done: Sequence[int] = ()
    ) -> None:
        """A poll batch and the offset past it; `done`: handled updates deleted with it."""
        now = now_text()
        async with self.db.transaction() as conn:
            if done:
                await _delete(conn, done)
            await conn.executemany(
                "INSERT OR IGNORE INTO inbox (update_id, payload, received_at) VALUES (?, ?, ?)",
                [(update_id, payload, now) for update_id, payload in updates],
            )
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES ('offset', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(next_offset),),
            )

    async def inbox_pending(self) -> list[tuple[int, str, int]]:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                "SELECT update_id, payload, attempts FROM inbox ORDER BY update_id"
            )
            rows = await cursor.fetchall()
        return [(row[0], row[1], row[2]) for row in rows]

    async def inbox_attempt(self, update_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ?", (update_id,)
            )

    async def inbox_done(self, update_id: int) -> None:
        await self.db.write_one("DELETE FROM inbox WHERE update_id = ?", (update_id,))

    async def inbox_done_many(self, update_ids: Sequence[int]) -> None:
        """Handled updates off the inbox, in one statement (its own transaction)."""
        for start in range(0, len(update_ids), CHUNK):
            chunk = update_ids[start : start + CHUNK]
            await self.db.write_one(_delete_sql(len(chunk)), tuple(chunk))

    async def inbox_size(self) -> int:
        """Updates taken from Telegram and not yet handled."""
        async with self.db.reading() as conn, conn.execute("SELECT COUNT(*) FROM inbox") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def stored_offset(self) -> int | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute("SELECT value FROM meta WHERE key = 'offset'")
            row = await cursor.fetchone()
        return int(row[0]) if row else None
