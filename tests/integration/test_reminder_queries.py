"""The scheduler's queries use their indexes and read in pages (real SQLite file)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from bot.licensing.models import LicenseCheck
from storage.reminders import CHATS_TO_REFRESH_SQL, DUE_LICENSES_SQL
from tests.support.clocks import DEFAULT_DAY, DEFAULT_START


def plan(path, sql: str, *args: object) -> str:
    conn = sqlite3.connect(path)
    try:
        return " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, args))
    finally:
        conn.close()


async def test_due_and_refresh_queries_search_their_indexes(repo):
    path = repo.db.path
    assert "SEARCH l USING INDEX licenses_by_next_check" in plan(path, DUE_LICENSES_SQL, 1.0, 9)
    assert "SEARCH chats USING INDEX chats_by_refresh" in plan(
        path, CHATS_TO_REFRESH_SQL, "2030-01-01", 9
    )


async def test_due_licenses_come_in_pages_soonest_first_active_chats_only(repo):
    today = DEFAULT_DAY
    for chat_id in range(1, 8):
        await repo.upsert_chat(chat_id, "private", None)
        check = LicenseCheck(
            f"00000000-0000-0000-0000-{chat_id:012d}",
            "active",
            license_id=f"L-{chat_id}",
            expires_on=today + timedelta(days=3),
        )
        await repo.record_found(
            chat_id, check, None, None, DEFAULT_START, next_check_at=float(100 - chat_id)
        )
    await repo.set_chat_active(7, False)
    page = await repo.due_licenses(now=100.0, limit=3)
    assert [stored.chat_id for stored in page] == [6, 5, 4]
    for stored in page:
        await repo.set_next_check(stored.chat_id, stored.check.license_key, 500.0)
    assert [stored.chat_id for stored in await repo.due_licenses(100.0, 3)] == [3, 2, 1]
    await repo.set_chat_active(7, True)  # back: its license is looked at again
    await repo.upsert_chat(7, "private", None)
    assert 7 in [stored.chat_id for stored in await repo.due_licenses(100.0, 10)]


async def test_reminder_claimed_once_per_term_and_kind(repo):
    await repo.upsert_chat(1, "private", None)
    end = DEFAULT_DAY
    assert await repo.claim_reminder(1, "L-1", end, "before_3") is True
    assert await repo.claim_reminder(1, "L-1", end, "before_3") is False
    assert await repo.claim_reminder(1, "L-1", end + timedelta(days=365), "before_3") is True
    await repo.release_reminder(1, "L-1", end, "before_3")
    assert await repo.claim_reminder(1, "L-1", end, "before_3") is True
    assert await repo.claim_daily("digest", end) is True
    assert await repo.claim_daily("digest", end) is False
    assert await repo.claim_daily("digest", end + timedelta(days=1)) is True
