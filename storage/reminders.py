"""What the reminder scheduler reads and writes: due licenses, sent reminders, daily jobs."""

from __future__ import annotations

from datetime import date

from bot.licensing.records import StoredLicense
from storage.db import Database
from storage.rows import LICENSE_WITH_CHAT, license_row, now_text, term_key

DUE_LICENSES_SQL = f"""{LICENSE_WITH_CHAT}
    WHERE l.next_check_at <= ? AND c.active = 1
    ORDER BY l.next_check_at LIMIT ?"""
CHATS_TO_REFRESH_SQL = """
    SELECT chat_id FROM chats WHERE status_message_id IS NOT NULL
    AND refreshed_on < ? AND active = 1 LIMIT ?"""


class ReminderStore:
    """Reads in pages over indexes, so a sweep stays flat in memory at any size."""

    db: Database

    async def due_licenses(self, now: float, limit: int = 200) -> list[StoredLicense]:
        """Licenses of active chats whose next look is due, soonest first (by index)."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(DUE_LICENSES_SQL, (now, limit))
            rows = await cursor.fetchall()
        return [license_row(row) for row in rows]

    async def set_next_check(self, chat_id: int, license_key: str, at: float | None) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE licenses SET next_check_at = ? WHERE chat_id = ? AND license_key = ?",
                (at, chat_id, license_key),
            )

    async def claim_reminder(
        self, chat_id: int, license_key: str, term_end: date | None, kind: str
    ) -> bool:
        """Mark a reminder sent before sending it; False when it already was."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                """INSERT OR IGNORE INTO reminders_sent
                   (chat_id, license_key, term_end, kind, sent_at) VALUES (?, ?, ?, ?, ?)""",
                (chat_id, license_key, term_key(term_end), kind, now_text()),
            )
            return cursor.rowcount == 1

    async def release_reminder(
        self, chat_id: int, license_key: str, term_end: date | None, kind: str
    ) -> None:
        """The send failed for a passing reason: let the next sweep try again."""
        async with self.db.transaction() as conn:
            await conn.execute(
                """DELETE FROM reminders_sent WHERE chat_id = ? AND license_key = ?
                   AND term_end = ? AND kind = ?""",
                (chat_id, license_key, term_key(term_end), kind),
            )

    async def chats_to_refresh(self, today: date, limit: int = 200) -> list[int]:
        """Chats whose pinned status has not shown today's days-left yet."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(CHATS_TO_REFRESH_SQL, (today.isoformat(), limit))
            rows = await cursor.fetchall()
        return [row[0] for row in rows]

    async def mark_refreshed(self, chat_id: int, today: date) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE chats SET refreshed_on = ? WHERE chat_id = ?",
                (today.isoformat(), chat_id),
            )

    async def claim_daily(self, job: str, today: date) -> bool:
        """Once a day: True for the first caller on a local date, False afterwards."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute("SELECT value FROM meta WHERE key = ?", (job,))
            row = await cursor.fetchone()
            if row is not None and row[0] >= today.isoformat():
                return False
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (job, today.isoformat()),
            )
            return True
