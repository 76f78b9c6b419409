"""Verified licenses per chat: the backend's verdicts, as last checked."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.licensing.models import Claim, LicenseCheck
from bot.licensing.records import ChatSeen, Resolution, StoredLicense, Verdict, Waiting
from storage.batch import Batch, Writer
from storage.chat_cache import ChatLanguageCache
from storage.chats import write_chat
from storage.db import Database
from storage.pending import drop_pending, write_waiting
from storage.records import ChatRecord
from storage.rows import LICENSE_WITH_CHAT, joined_chat, license_row, now_text, term_key


async def write_verdict(
    conn: Writer,
    chat_id: int,
    v: Verdict,
    added_by: int | None,
    verified_at: datetime,
    now: str,
) -> None:
    """Inside a transaction: the backend's verdict for a chat, with its reminder schedule."""
    # A license known so far by its Request ID may now carry a license_id.
    await conn.execute(
        "DELETE FROM licenses WHERE chat_id = ? AND request_id = ? AND license_key != ?",
        (chat_id, v.check.request_id, v.check.license_key),
    )
    await conn.execute(
        """INSERT INTO licenses (chat_id, license_key, request_id, license_id, status,
               demo, expires_on, bitrix_license_active, module_id, module_name,
               module_version, site, renew_url, checked_at, verified_at,
               claimed_status, claimed_expires_on, added_by, created_at,
               next_check_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (chat_id, license_key) DO UPDATE SET
               request_id = excluded.request_id, license_id = excluded.license_id,
               status = excluded.status, demo = excluded.demo,
               expires_on = excluded.expires_on,
               bitrix_license_active = excluded.bitrix_license_active,
               module_id = excluded.module_id, module_name = excluded.module_name,
               module_version = excluded.module_version, site = excluded.site,
               renew_url = excluded.renew_url, checked_at = excluded.checked_at,
               verified_at = excluded.verified_at,
               claimed_status = COALESCE(excluded.claimed_status, claimed_status),
               claimed_expires_on = CASE WHEN excluded.claimed_status IS NULL
                   THEN claimed_expires_on ELSE excluded.claimed_expires_on END,
               added_by = COALESCE(excluded.added_by, added_by),
               next_check_at = excluded.next_check_at""",
        (
            chat_id,
            v.check.license_key,
            v.check.request_id,
            v.check.license_id,
            v.check.status,
            int(v.check.demo),
            v.check.expires_on.isoformat() if v.check.expires_on else None,
            None if v.check.bitrix_license_active is None else int(v.check.bitrix_license_active),
            v.check.module_id,
            v.check.module_name,
            v.check.module_version,
            v.check.site,
            v.check.renew_url,
            v.check.checked_at.isoformat() if v.check.checked_at else None,
            verified_at.astimezone(UTC).isoformat(timespec="seconds"),
            v.claim.status.value if v.claim else None,
            v.claim.expires_on.isoformat() if v.claim and v.claim.expires_on else None,
            added_by,
            now,
            v.next_check_at,
        ),
    )
    if v.covered_stage is not None:
        await conn.execute(
            """INSERT OR IGNORE INTO reminders_sent
               (chat_id, license_key, term_end, kind, sent_at) VALUES (?, ?, ?, ?, ?)""",
            (chat_id, v.check.license_key, term_key(v.check.expires_on), v.covered_stage, now),
        )


class LicenseStore:
    """Reads and writes of the licenses table."""

    db: Database
    chat_cache: ChatLanguageCache

    async def record_found(
        self,
        chat_id: int,
        check: LicenseCheck,
        claim: Claim | None,
        added_by: int | None,
        verified_at: datetime,
        *,
        next_check_at: float | None = None,
        covered_stage: str | None = None,
    ) -> None:
        """Store the backend's verdict and mark the pending claim answered, atomically.

        `covered_stage`: the reminder stage the answer itself covers (the customer was just
        told the term), so the scheduler does not repeat it.
        """
        now = now_text()
        verdict = Verdict(check, claim, next_check_at, covered_stage)
        async with self.db.transaction() as conn:
            await write_verdict(conn, chat_id, verdict, added_by, verified_at, now)
            await conn.execute(
                "UPDATE pending_checks SET resolution = ? WHERE chat_id = ? AND request_id = ?",
                (Resolution.FOUND, chat_id, check.request_id),
            )

    async def record_paste(
        self,
        chat_id: int,
        chat: ChatSeen | None,
        verdicts: list[Verdict],
        answered: list[str],
        waiting: list[Waiting],
        *,
        requested_by: int | None,
        reply_to: int | None,
        verified_at: datetime,
    ) -> None:
        """What one paste settled, in one transaction: the chat row (when given), the
        verdicts, answered claims off the retry list, unsettled ones on it.

        Nothing is written before the backend answers: a crash before this is covered by
        the update inbox, which hands the paste over again.
        """
        now = now_text()
        batch = Batch()  # one hop to SQLite's thread for the whole transaction
        if chat is not None:
            await write_chat(batch, chat_id, chat, now)
        if answered:
            await drop_pending(batch, chat_id, answered)
        for verdict in verdicts:
            await write_verdict(batch, chat_id, verdict, requested_by, verified_at, now)
        if waiting:
            await write_waiting(batch, chat_id, waiting, requested_by, reply_to, now)
        if batch:
            await self.db.write_batch(batch)
        if chat is not None:
            self.chat_cache.row_written(chat_id, chat.language)

    async def licenses_for_chat(self, chat_id: int) -> list[StoredLicense]:
        async with self.db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT * FROM licenses WHERE chat_id = ?"
                " ORDER BY COALESCE(module_name, ''), expires_on, id",
                (chat_id,),
            )
        return [license_row(row) for row in rows]

    async def license_in_chat(self, chat_id: int, request_id: str) -> StoredLicense | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                "SELECT * FROM licenses WHERE chat_id = ? AND request_id = ?",
                (chat_id, request_id),
            )
            row = await cursor.fetchone()
        return license_row(row) if row else None

    async def find_by_request_id(self, request_id: str) -> list[tuple[StoredLicense, ChatRecord]]:
        """Every chat holding this Request ID (or the license it belongs to)."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                f"""{LICENSE_WITH_CHAT}
                   WHERE l.request_id = ? OR l.license_key IN
                       (SELECT license_key FROM licenses WHERE request_id = ?)
                   ORDER BY l.verified_at DESC""",
                (request_id, request_id),
            )
            rows = await cursor.fetchall()
        return [(license_row(row), joined_chat(row)) for row in rows]

    async def forget(self, chat_id: int, request_id: str) -> int:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM licenses WHERE chat_id = ? AND request_id = ?", (chat_id, request_id)
            )
            await conn.execute(
                "DELETE FROM pending_checks WHERE chat_id = ? AND request_id = ?",
                (chat_id, request_id),
            )
            return cursor.rowcount

    async def expiring_between(
        self, first: date, last: date
    ) -> list[tuple[StoredLicense, ChatRecord]]:
        """Licenses whose last day lies in [first, last], soonest first, in active chats."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                f"""{LICENSE_WITH_CHAT}
                   WHERE l.expires_on BETWEEN ? AND ? AND c.active = 1
                   ORDER BY l.expires_on, l.chat_id LIMIT 200""",
                (first.isoformat(), last.isoformat()),
            )
            rows = await cursor.fetchall()
        return [(license_row(row), joined_chat(row)) for row in rows]
