"""Claims waiting for the backend (or for their answer to be delivered)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.licensing.models import Claim
from bot.licensing.records import PendingCheck, Resolution, Waiting
from storage.batch import Writer
from storage.db import Database
from storage.rows import now_text, pending_row


async def write_waiting(
    conn: Writer,
    chat_id: int,
    waiting: list[Waiting],
    requested_by: int | None,
    reply_to: int | None,
    now: str,
) -> None:
    """Inside a transaction: claims kept for the retry loop (a re-paste renews the row)."""
    await conn.executemany(
        """INSERT INTO pending_checks (chat_id, request_id, claimed_status,
               claimed_expires_on, reply_to_message_id, requested_by, attempts,
               next_attempt_at, last_error, resolution, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (chat_id, request_id) DO UPDATE SET
               claimed_status = excluded.claimed_status,
               claimed_expires_on = excluded.claimed_expires_on,
               reply_to_message_id = excluded.reply_to_message_id,
               requested_by = excluded.requested_by, attempts = excluded.attempts,
               next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error,
               resolution = excluded.resolution""",
        [
            (
                chat_id,
                w.claim.request_id,
                w.claim.status.value,
                w.claim.expires_on.isoformat() if w.claim.expires_on else None,
                reply_to,
                requested_by,
                w.attempts,
                w.next_attempt_at,
                w.error[:500],
                w.resolution,
                now,
            )
            for w in waiting
        ],
    )


async def drop_pending(conn: Writer, chat_id: int, request_ids: list[str]) -> None:
    """Inside a transaction: claims answered now need no row."""
    await conn.executemany(
        "DELETE FROM pending_checks WHERE chat_id = ? AND request_id = ?",
        [(chat_id, request_id) for request_id in request_ids],
    )


class PendingStore:
    """Reads and writes of the pending_checks table."""

    db: Database

    async def add_pending(
        self,
        chat_id: int,
        claims: Iterable[Claim],
        reply_to_message_id: int | None,
        requested_by: int | None,
        lease_until: float,
    ) -> None:
        """Keep every claim on disk before asking the backend; a re-paste renews the lease."""
        now = now_text()
        async with self.db.transaction() as conn:
            await conn.executemany(
                """INSERT INTO pending_checks (chat_id, request_id, claimed_status,
                       claimed_expires_on, reply_to_message_id, requested_by,
                       next_attempt_at, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (chat_id, request_id) DO UPDATE SET
                       claimed_status = excluded.claimed_status,
                       claimed_expires_on = excluded.claimed_expires_on,
                       reply_to_message_id = excluded.reply_to_message_id,
                       requested_by = excluded.requested_by,
                       next_attempt_at = excluded.next_attempt_at, resolution = NULL""",
                [
                    (
                        chat_id,
                        claim.request_id,
                        claim.status.value,
                        claim.expires_on.isoformat() if claim.expires_on else None,
                        reply_to_message_id,
                        requested_by,
                        lease_until,
                        now,
                    )
                    for claim in claims
                ],
            )

    async def keep_waiting(
        self,
        chat_id: int,
        waiting: list[Waiting],
        *,
        requested_by: int | None,
        reply_to: int | None,
    ) -> None:
        """Claims for the retry loop: not settled, or settled and not yet told."""
        async with self.db.transaction() as conn:
            await write_waiting(conn, chat_id, waiting, requested_by, reply_to, now_text())

    async def resolve_pending(self, chat_id: int, request_id: str, resolution: Resolution) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE pending_checks SET resolution = ? WHERE chat_id = ? AND request_id = ?",
                (resolution, chat_id, request_id),
            )

    async def reschedule_pending(
        self, chat_id: int, request_id: str, attempts: int, next_attempt_at: float, error: str
    ) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                """UPDATE pending_checks SET attempts = ?, next_attempt_at = ?, last_error = ?
                   WHERE chat_id = ? AND request_id = ?""",
                (attempts, next_attempt_at, error[:500], chat_id, request_id),
            )

    async def acknowledge_pending(self, chat_id: int, request_ids: Iterable[str]) -> None:
        """The chat has been told; drop the answered claims."""
        async with self.db.transaction() as conn:
            await conn.executemany(
                "DELETE FROM pending_checks WHERE chat_id = ? AND request_id = ?"
                " AND resolution IS NOT NULL",
                [(chat_id, request_id) for request_id in request_ids],
            )

    async def get_pending(self, chat_id: int, request_id: str) -> PendingCheck | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                "SELECT * FROM pending_checks WHERE chat_id = ? AND request_id = ?",
                (chat_id, request_id),
            )
            row = await cursor.fetchone()
        return pending_row(row) if row else None

    async def waiting_in_chat(self, chat_id: int) -> list[PendingCheck]:
        """Claims of a chat still waiting for the backend (not yet resolved)."""
        async with self.db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT * FROM pending_checks WHERE chat_id = ? AND resolution IS NULL"
                " ORDER BY id",
                (chat_id,),
            )
        return [pending_row(row) for row in rows]

    async def due_pending(self, now: float, limit: int = 50) -> list[PendingCheck]:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                """SELECT p.* FROM pending_checks p JOIN chats c ON c.chat_id = p.chat_id
                   WHERE p.next_attempt_at <= ? AND c.active = 1
                   ORDER BY p.next_attempt_at LIMIT ?""",
                (now, limit),
            )
            rows = await cursor.fetchall()
        return [pending_row(row) for row in rows]

    async def pending_count(self) -> int:
        """Claims still waiting for the backend (not yet resolved)."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                "SELECT COUNT(*) FROM pending_checks WHERE resolution IS NULL"
            )
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def next_pending_due(self) -> float | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                """SELECT MIN(p.next_attempt_at) FROM pending_checks p
                   JOIN chats c ON c.chat_id = p.chat_id WHERE c.active = 1"""
            )
            row = await cursor.fetchone()
        return row[0] if row else None
