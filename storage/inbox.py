"""Updates taken from Telegram but not yet handled, and the polling offset."""

from __future__ import annotations

from collections.abc import Iterable

from storage.db import Database
from storage.rows import now_text


class InboxStore:
    """Reads and writes of the inbox and meta tables."""

    db: Database

    async def inbox_add(self, updates: Iterable[tuple[int, str]], next_offset: int) -> None:
        now = now_text()
        async with self.db.transaction() as conn:
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
