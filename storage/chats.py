"""Chats the bot serves: activity, the status message, group migrations."""

from __future__ import annotations

from datetime import date

from bot.licensing.records import ChatSeen
from storage.batch import Writer
from storage.chat_cache import UNKNOWN_CHAT, ChatLanguageCache, Known
from storage.db import Database
from storage.records import ChatRecord
from storage.rows import chat_row, now_text


async def write_chat(conn: Writer, chat_id: int, seen: ChatSeen, now: str) -> None:
    """Inside a transaction: the chat row as a paste shows it, active, with a language."""
    await conn.execute(
        """INSERT INTO chats (chat_id, type, title, active, language, created_at, updated_at)
           VALUES (?, ?, ?, 1, ?, ?, ?)
           ON CONFLICT (chat_id) DO UPDATE SET type = excluded.type, title = excluded.title,
               active = 1, language = COALESCE(chats.language, excluded.language),
               updated_at = excluded.updated_at""",
        (chat_id, seen.chat_type, seen.title, seen.language, now, now),
    )
    await _reactivate_licenses(conn, chat_id)


async def _reactivate_licenses(conn: Writer, chat_id: int) -> None:
    # Back after being blocked or removed: let the scheduler look at its licenses.
    await conn.execute(
        "UPDATE licenses SET next_check_at = 0 WHERE chat_id = ? AND next_check_at IS NULL"
        " AND expires_on IS NOT NULL",
        (chat_id,),
    )


class ChatStore:
    """Reads and writes of the chats table (and moving a chat's rows to a new id)."""

    db: Database
    chat_cache: ChatLanguageCache

    async def upsert_chat(self, chat_id: int, chat_type: str, title: str | None) -> None:
        now = now_text()
        async with self.db.transaction() as conn:
            await conn.execute(
                """INSERT INTO chats (chat_id, type, title, active, created_at, updated_at)
                   VALUES (?, ?, ?, 1, ?, ?)
                   ON CONFLICT (chat_id) DO UPDATE SET type = excluded.type,
                       title = excluded.title, active = 1, updated_at = excluded.updated_at""",
                (chat_id, chat_type, title, now, now),
            )
            await _reactivate_licenses(conn, chat_id)
        self.chat_cache.row_written(chat_id, None)

    async def get_chat(self, chat_id: int) -> ChatRecord | None:
        async with self.db.reading() as conn:
            rows = await conn.execute_fetchall("SELECT * FROM chats WHERE chat_id = ?", (chat_id,))
        return chat_row(next(iter(rows))) if rows else None

    async def set_chat_active(self, chat_id: int, active: bool) -> None:
        await self._update_chat(chat_id, "active", int(active))
        if not active:  # a gone chat gets no reminders until it comes back
            async with self.db.transaction() as conn:
                await conn.execute(
                    "UPDATE licenses SET next_check_at = NULL WHERE chat_id = ?", (chat_id,)
                )

    async def set_status_message(self, chat_id: int, message_id: int, shown_on: date) -> None:
        """A new status message shows the chat's licenses as of `shown_on`."""
        # Refreshed as it was sent: the daily refresh must not edit it again the same day.
        await self.db.write_one(
            """UPDATE chats SET status_message_id = ?, updated_at = ?, refreshed_on = ?
               WHERE chat_id = ?""",
            (message_id, now_text(), shown_on.isoformat(), chat_id),
        )

    async def chat_language(self, chat_id: int) -> str | None:
        """The chat's language, None if the chat is unknown or has none yet."""
        return (await self.chat_known_language(chat_id))[1]

    async def chat_known_language(self, chat_id: int) -> Known:
        """(the chat has a row, its language), from memory when the bot has seen it."""
        cached = self.chat_cache.get(chat_id)
        if cached is not None:
            return cached
        async with self.db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT language FROM chats WHERE chat_id = ?", (chat_id,)
            )
        row = next(iter(rows), None)
        known: Known = (True, row[0]) if row is not None else UNKNOWN_CHAT
        self.chat_cache.put(chat_id, known)
        return known

    async def set_chat_language(self, chat_id: int, language: str) -> None:
        """Set the language of a known chat (an unknown chat is left unknown)."""
        changed = await self._update_chat(chat_id, "language", language)
        self.chat_cache.put(chat_id, (True, language) if changed else UNKNOWN_CHAT)

    async def adopt_chat_language(self, chat_id: int, language: str) -> None:
        """Give a known chat this language unless it already has one."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE chats SET language = ?, updated_at = ? WHERE chat_id = ?"
                " AND language IS NULL",
                (language, now_text(), chat_id),
            )
        self.chat_cache.forget(chat_id)  # read again: the row may have had one already

    async def set_pin_problem_notified(self, chat_id: int, notified: bool) -> None:
        await self._update_chat(chat_id, "pin_problem_notified", int(notified))

    async def _update_chat(self, chat_id: int, column: str, value: object) -> int:
        return await self.db.write_one(
            f"UPDATE chats SET {column} = ?, updated_at = ? WHERE chat_id = ?",
            (value, now_text(), chat_id),
        )

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its licenses and pending checks follow the new id."""
        self.chat_cache.forget(old_id)
        self.chat_cache.forget(new_id)
        try:
            await self._migrate_chat(old_id, new_id)
        finally:
            self.chat_cache.forget(old_id)
            self.chat_cache.forget(new_id)

    async def _migrate_chat(self, old_id: int, new_id: int) -> None:
        async with self.db.transaction() as conn:
            cursor = await conn.execute("SELECT 1 FROM chats WHERE chat_id = ?", (old_id,))
            if await cursor.fetchone() is None:
                return
            cursor = await conn.execute("SELECT 1 FROM chats WHERE chat_id = ?", (new_id,))
            if await cursor.fetchone() is None:
                await conn.execute(
                    "UPDATE chats SET chat_id = ?, type = 'supergroup', status_message_id = NULL,"
                    " updated_at = ? WHERE chat_id = ?",
                    (new_id, now_text(), old_id),
                )
                return
            # Both exist (the new chat was seen first): merge, the newer verdict wins.
            await conn.execute(
                "UPDATE chats SET language = (SELECT language FROM chats WHERE chat_id = ?)"
                " WHERE chat_id = ? AND language IS NULL",
                (old_id, new_id),
            )
            await conn.execute(
                """DELETE FROM licenses WHERE chat_id = ? AND license_key IN (
                       SELECT o.license_key FROM licenses o JOIN licenses n
                         ON n.license_key = o.license_key AND n.chat_id = ?
                       WHERE o.chat_id = ? AND o.verified_at <= n.verified_at)""",
                (old_id, new_id, old_id),
            )
            await conn.execute(
                "DELETE FROM licenses WHERE chat_id = ? AND license_key IN"
                " (SELECT license_key FROM licenses WHERE chat_id = ?)",
                (new_id, old_id),
            )
            await conn.execute(
                "UPDATE licenses SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
            )
            await conn.execute(
                "UPDATE OR IGNORE pending_checks SET chat_id = ? WHERE chat_id = ?",
                (new_id, old_id),
            )
            await conn.execute("DELETE FROM chats WHERE chat_id = ?", (old_id,))
