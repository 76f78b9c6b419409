"""What a chat's status is drawn from, each in one read (one hop to SQLite's thread)."""

from __future__ import annotations

import dataclasses

from bot.licensing.records import StoredLicense
from storage.db import Database
from storage.records import ChatRecord
from storage.rows import chat_row, license_row

_ORDER = "ORDER BY COALESCE(l.module_name, ''), l.expires_on, l.id"  # as licenses_for_chat
SEPARATOR = "\x1f"  # between the waiting Request IDs (no Request ID holds it)

# The chat and its licenses: one row per license, or one with NULL license columns.
CHAT_WITH_LICENSES = f"""SELECT c.type AS c_type, c.title AS c_title, c.active AS c_active,
           c.status_message_id AS c_status_message_id,
           c.pin_problem_notified AS c_pin_problem_notified, l.*
    FROM chats c LEFT JOIN licenses l ON l.chat_id = c.chat_id
    WHERE c.chat_id = ? {_ORDER}"""

# The licenses and, on every row, the claims still waiting for the backend (oldest first).
LICENSES_AND_WAITING = f"""SELECT w.waiting AS w_waiting, l.*
    FROM (SELECT group_concat(request_id, char(31)) AS waiting FROM
             (SELECT request_id FROM pending_checks
              WHERE chat_id = ? AND resolution IS NULL ORDER BY id)) w
    LEFT JOIN licenses l ON l.chat_id = ? {_ORDER}"""


class ChatStatusStore:
    """Combined reads for the status board and /license."""

    db: Database

    async def chat_with_licenses(
        self, chat_id: int
    ) -> tuple[ChatRecord | None, list[StoredLicense]]:
        """The chat (None if unknown) and its licenses, as get_chat + licenses_for_chat."""
        async with self.db.reading() as conn:
            rows = list(await conn.execute_fetchall(CHAT_WITH_LICENSES, (chat_id,)))
        if not rows:
            return None, []
        chat = dataclasses.replace(chat_row(rows[0], prefix="c_"), chat_id=chat_id)
        return chat, [license_row(row) for row in rows if row["id"] is not None]

    async def licenses_and_waiting(self, chat_id: int) -> tuple[list[StoredLicense], list[str]]:
        """The chat's licenses, and the Request IDs of its claims still waiting."""
        async with self.db.reading() as conn:
            rows = list(await conn.execute_fetchall(LICENSES_AND_WAITING, (chat_id, chat_id)))
        waiting = rows[0]["w_waiting"] if rows else None
        licenses = [license_row(row) for row in rows if row["id"] is not None]
        return licenses, waiting.split(SEPARATOR) if waiting else []
