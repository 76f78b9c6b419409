"""Chats, verified licenses and pending checks on disk."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, date, datetime

from bot.licensing.models import Claim, LicenseCheck
from storage.db import Database
from storage.records import ChatRecord, PendingCheck, StoredLicense

RESOLVED_FOUND = "found"
RESOLVED_NOT_FOUND = "not_found"


def _now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _license(row: sqlite3.Row) -> StoredLicense:
    check = LicenseCheck(
        request_id=row["request_id"],
        status=row["status"],
        license_id=row["license_id"],
        demo=bool(row["demo"]),
        expires_on=_date(row["expires_on"]),
        bitrix_license_active=_bool(row["bitrix_license_active"]),
        module_id=row["module_id"],
        module_name=row["module_name"],
        module_version=row["module_version"],
        site=row["site"],
        checked_at=_datetime(row["checked_at"]),
        renew_url=row["renew_url"],
    )
    return StoredLicense(
        chat_id=row["chat_id"],
        check=check,
        verified_at=datetime.fromisoformat(row["verified_at"]),
        claimed_status=row["claimed_status"],
        claimed_expires_on=row["claimed_expires_on"],
        added_by=row["added_by"],
    )


def _chat(row: sqlite3.Row) -> ChatRecord:
    return ChatRecord(
        chat_id=row["chat_id"],
        type=row["type"],
        title=row["title"],
        active=bool(row["active"]),
        status_message_id=row["status_message_id"],
        pin_problem_notified=bool(row["pin_problem_notified"]),
    )


def _pending(row: sqlite3.Row) -> PendingCheck:
    return PendingCheck(**{key: row[key] for key in row.keys() if key != "created_at"})  # noqa: SIM118


class Repository:
    """Every read and write the bot makes; each write is one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- chats -----------------------------------------------------------------
    async def upsert_chat(self, chat_id: int, chat_type: str, title: str | None) -> None:
        now = _now_text()
        async with self.db.transaction() as conn:
            await conn.execute(
                """INSERT INTO chats (chat_id, type, title, active, created_at, updated_at)
                   VALUES (?, ?, ?, 1, ?, ?)
                   ON CONFLICT (chat_id) DO UPDATE SET type = excluded.type,
                       title = excluded.title, active = 1, updated_at = excluded.updated_at""",
                (chat_id, chat_type, title, now, now),
            )

    async def get_chat(self, chat_id: int) -> ChatRecord | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute("SELECT * FROM chats WHERE chat_id = ?", (chat_id,))
            row = await cursor.fetchone()
        return _chat(row) if row else None

    async def set_chat_active(self, chat_id: int, active: bool) -> None:
        await self._update_chat(chat_id, "active", int(active))

    async def set_status_message(self, chat_id: int, message_id: int | None) -> None:
        await self._update_chat(chat_id, "status_message_id", message_id)

    async def set_pin_problem_notified(self, chat_id: int, notified: bool) -> None:
        await self._update_chat(chat_id, "pin_problem_notified", int(notified))

    async def _update_chat(self, chat_id: int, column: str, value: object) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                f"UPDATE chats SET {column} = ?, updated_at = ? WHERE chat_id = ?",
                (value, _now_text(), chat_id),
            )

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its licenses and pending checks follow the new id."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute("SELECT 1 FROM chats WHERE chat_id = ?", (old_id,))
            if await cursor.fetchone() is None:
                return
            cursor = await conn.execute("SELECT 1 FROM chats WHERE chat_id = ?", (new_id,))
            if await cursor.fetchone() is None:
                await conn.execute(
                    "UPDATE chats SET chat_id = ?, type = 'supergroup', status_message_id = NULL,"
                    " updated_at = ? WHERE chat_id = ?",
                    (new_id, _now_text(), old_id),
                )
                return
            # Both exist (the new chat was seen first): merge, the newer verdict wins.
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

    # --- licenses --------------------------------------------------------------
    async def record_found(
        self,
        chat_id: int,
        check: LicenseCheck,
        claim: Claim | None,
        added_by: int | None,
        verified_at: datetime,
    ) -> None:
        """Store the backend's verdict and mark the pending claim answered, atomically."""
        now = _now_text()
        async with self.db.transaction() as conn:
            # A license known so far by its Request ID may now carry a license_id.
            await conn.execute(
                "DELETE FROM licenses WHERE chat_id = ? AND request_id = ? AND license_key != ?",
                (chat_id, check.request_id, check.license_key),
            )
            await conn.execute(
                """INSERT INTO licenses (chat_id, license_key, request_id, license_id, status,
                       demo, expires_on, bitrix_license_active, module_id, module_name,
                       module_version, site, renew_url, checked_at, verified_at,
                       claimed_status, claimed_expires_on, added_by, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
                       added_by = COALESCE(excluded.added_by, added_by)""",
                (
                    chat_id,
                    check.license_key,
                    check.request_id,
                    check.license_id,
                    check.status,
                    int(check.demo),
                    check.expires_on.isoformat() if check.expires_on else None,
                    None if check.bitrix_license_active is None
                    else int(check.bitrix_license_active),
                    check.module_id,
                    check.module_name,
                    check.module_version,
                    check.site,
                    check.renew_url,
                    check.checked_at.isoformat() if check.checked_at else None,
                    verified_at.astimezone(UTC).isoformat(timespec="seconds"),
                    claim.status.value if claim else None,
                    claim.expires_on.isoformat() if claim and claim.expires_on else None,
                    added_by,
                    now,
                ),
            )
            await conn.execute(
                "UPDATE pending_checks SET resolution = ? WHERE chat_id = ? AND request_id = ?",
                (RESOLVED_FOUND, chat_id, check.request_id),
            )

    async def licenses_for_chat(self, chat_id: int) -> list[StoredLicense]:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                "SELECT * FROM licenses WHERE chat_id = ?"
                " ORDER BY COALESCE(module_name, ''), expires_on, id",
                (chat_id,),
            )
            rows = await cursor.fetchall()
        return [_license(row) for row in rows]

    async def license_in_chat(self, chat_id: int, request_id: str) -> StoredLicense | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                "SELECT * FROM licenses WHERE chat_id = ? AND request_id = ?",
                (chat_id, request_id),
            )
            row = await cursor.fetchone()
        return _license(row) if row else None

    async def find_by_request_id(self, request_id: str) -> list[tuple[StoredLicense, ChatRecord]]:
        """Every chat holding this Request ID (or the license it belongs to)."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                """SELECT l.*, c.type AS c_type, c.title AS c_title, c.active AS c_active,
                          c.status_message_id AS c_status, c.pin_problem_notified AS c_pin
                   FROM licenses l JOIN chats c ON c.chat_id = l.chat_id
                   WHERE l.request_id = ? OR l.license_key IN
                       (SELECT license_key FROM licenses WHERE request_id = ?)
                   ORDER BY l.verified_at DESC""",
                (request_id, request_id),
            )
            rows = await cursor.fetchall()
        return [(_license(row), _joined_chat(row)) for row in rows]

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
                """SELECT l.*, c.type AS c_type, c.title AS c_title, c.active AS c_active,
                          c.status_message_id AS c_status, c.pin_problem_notified AS c_pin
                   FROM licenses l JOIN chats c ON c.chat_id = l.chat_id
                   WHERE l.expires_on BETWEEN ? AND ? AND c.active = 1
                   ORDER BY l.expires_on, l.chat_id LIMIT 200""",
                (first.isoformat(), last.isoformat()),
            )
            rows = await cursor.fetchall()
        return [(_license(row), _joined_chat(row)) for row in rows]

    # --- pending checks --------------------------------------------------------
    async def add_pending(
        self,
        chat_id: int,
        claims: Iterable[Claim],
        reply_to_message_id: int | None,
        requested_by: int | None,
        lease_until: float,
    ) -> None:
        """Keep every claim on disk before asking the backend; a re-paste renews the lease."""
        now = _now_text()
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

    async def resolve_pending(self, chat_id: int, request_id: str, resolution: str) -> None:
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
        return _pending(row) if row else None

    async def due_pending(self, now: float, limit: int = 50) -> list[PendingCheck]:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                """SELECT p.* FROM pending_checks p JOIN chats c ON c.chat_id = p.chat_id
                   WHERE p.next_attempt_at <= ? AND c.active = 1
                   ORDER BY p.next_attempt_at LIMIT ?""",
                (now, limit),
            )
            rows = await cursor.fetchall()
        return [_pending(row) for row in rows]

    async def next_pending_due(self) -> float | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                """SELECT MIN(p.next_attempt_at) FROM pending_checks p
                   JOIN chats c ON c.chat_id = p.chat_id WHERE c.active = 1"""
            )
            row = await cursor.fetchone()
        return row[0] if row else None

    # --- inbox: updates taken from Telegram but not yet handled ----------------
    async def inbox_add(self, updates: Iterable[tuple[int, str]], next_offset: int) -> None:
        now = _now_text()
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
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM inbox WHERE update_id = ?", (update_id,))

    async def stored_offset(self) -> int | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute("SELECT value FROM meta WHERE key = 'offset'")
            row = await cursor.fetchone()
        return int(row[0]) if row else None


def _joined_chat(row: sqlite3.Row) -> ChatRecord:
    return ChatRecord(
        chat_id=row["chat_id"],
        type=row["c_type"],
        title=row["c_title"],
        active=bool(row["c_active"]),
        status_message_id=row["c_status"],
        pin_problem_notified=bool(row["c_pin"]),
    )
