"""Storage against real SQLite files: migrations, verdicts, pending claims, inbox."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

from bot.licensing.models import Claim, ClaimedStatus, LicenseCheck
from storage.db import Database
from storage.migrations import MIGRATIONS
from tests.support.clocks import DEFAULT_DAY, DEFAULT_START

RID_A = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
RID_B = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
TODAY = DEFAULT_DAY
NOW = DEFAULT_START


def check(request_id: str = RID_A, **fields: object) -> LicenseCheck:
    base: dict[str, object] = {
        "request_id": request_id,
        "status": "active",
        "license_id": "L-1",
        "expires_on": TODAY + timedelta(days=30),
        "module_name": "МойСклад: Синхронизация",
    }
    base.update(fields)
    return LicenseCheck(**base)  # type: ignore[arg-type]


async def test_migrations_from_empty_and_rerun(tmp_path):
    path = tmp_path / "bot.sqlite3"
    db = Database(path)
    await db.connect()
    assert await db.schema_version() == len(MIGRATIONS)
    await db.close()
    again = Database(path)
    await again.connect()  # re-running migrations on a current file changes nothing
    assert await again.schema_version() == len(MIGRATIONS)
    await again.close()
    raw = sqlite3.connect(path)
    tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"chats", "licenses", "pending_checks", "inbox", "meta"} <= tables
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()


async def test_verdict_is_on_disk_and_new_request_id_replaces_old(repo, tmp_path):
    await repo.upsert_chat(-100, "supergroup", "Магазин")
    claim = Claim(RID_A, ClaimedStatus.ACTIVE, TODAY)
    await repo.record_found(-100, check(), claim, 7, NOW)
    await repo.record_found(
        -100, check(RID_B, expires_on=TODAY + timedelta(days=400)), None, 8, NOW
    )
    stored = await repo.licenses_for_chat(-100)
    assert len(stored) == 1  # same license_id: replaced, not added
    assert stored[0].check.request_id == RID_B
    assert stored[0].check.expires_on == TODAY + timedelta(days=400)
    assert stored[0].claimed_status == "active"  # the earlier claim is kept on a re-check
    raw = sqlite3.connect(tmp_path / "nested" / "bot.sqlite3")
    assert raw.execute("SELECT request_id FROM licenses").fetchall() == [(RID_B,)]
    raw.close()


async def test_license_known_by_request_id_gains_license_id(repo):
    await repo.upsert_chat(1, "private", "Иван")
    await repo.record_found(1, check(license_id=None), None, None, NOW)
    await repo.record_found(1, check(license_id="L-9"), None, None, NOW)
    stored = await repo.licenses_for_chat(1)
    assert [s.check.license_key for s in stored] == ["L-9"]


async def test_migrate_chat_moves_licenses_and_pending(repo):
    await repo.upsert_chat(-5, "group", "Группа")
    await repo.record_found(-5, check(), None, None, NOW)
    await repo.add_pending(-5, [Claim(RID_B, ClaimedStatus.ACTIVE, None)], 10, 1, 0.0)
    await repo.migrate_chat(-5, -1005)
    assert await repo.get_chat(-5) is None
    assert [s.check.request_id for s in await repo.licenses_for_chat(-1005)] == [RID_A]
    assert (await repo.get_pending(-1005, RID_B)) is not None
    await repo.migrate_chat(-5, -1005)  # the second service message is harmless


async def test_migrate_chat_merges_into_existing_new_chat(repo):
    await repo.upsert_chat(-6, "group", "Группа")
    await repo.upsert_chat(-1006, "supergroup", "Группа")
    await repo.record_found(-6, check(), None, None, NOW - timedelta(days=1))
    await repo.record_found(-6, check(RID_B, license_id="L-2"), None, None, NOW)
    newer = check(expires_on=TODAY + timedelta(days=99))
    await repo.record_found(-1006, newer, None, None, NOW)
    await repo.migrate_chat(-6, -1006)
    stored = {s.check.license_key: s.check for s in await repo.licenses_for_chat(-1006)}
    assert set(stored) == {"L-1", "L-2"}
    assert stored["L-1"].expires_on == TODAY + timedelta(days=99)


async def test_pending_lifecycle(repo):
    await repo.upsert_chat(2, "private", None)
    claims = [Claim(RID_A, ClaimedStatus.ACTIVE, TODAY), Claim(RID_B, ClaimedStatus.DEMO, None)]
    await repo.add_pending(2, claims, 55, 9, lease_until=1000.0)
    assert await repo.pending_count() == 2
    assert await repo.due_pending(999.0) == []
    await repo.reschedule_pending(2, RID_B, 1, 500.0, "timeout")
    due = await repo.due_pending(999.0)
    assert [(p.request_id, p.attempts, p.last_error) for p in due] == [(RID_B, 1, "timeout")]
    assert await repo.next_pending_due() == 500.0
    await repo.record_found(2, check(), claims[0], 9, NOW)
    await repo.acknowledge_pending(2, [RID_A, RID_B])  # RID_B unresolved: stays
    assert await repo.get_pending(2, RID_A) is None
    assert (await repo.get_pending(2, RID_B)).reply_to_message_id == 55
    assert await repo.pending_count() == 1
    await repo.set_chat_active(2, False)
    assert await repo.due_pending(999.0) == []  # no retries for a chat that blocked the bot


async def test_inbox_keeps_updates_and_offset(repo, tmp_path):
    await repo.inbox_add([(10, '{"update_id": 10}'), (11, '{"update_id": 11}')], 12)
    assert await repo.inbox_size() == 2
    await repo.db.ping()
    await repo.inbox_add([(11, '{"update_id": 11}')], 12)  # a repeat is ignored
    await repo.inbox_done(10)
    await repo.inbox_attempt(11)
    assert await repo.inbox_pending() == [(11, '{"update_id": 11}', 1)]
    assert await repo.stored_offset() == 12


async def test_concurrent_writes_do_not_interleave(repo):
    await repo.upsert_chat(3, "private", None)

    async def write(i: int) -> None:
        rid = f"00000000-0000-0000-0000-{i:012d}"
        await repo.record_found(3, check(rid, license_id=f"L-{i}"), None, None, NOW)

    await asyncio.gather(*(write(i) for i in range(50)))
    assert len(await repo.licenses_for_chat(3)) == 50


async def test_forget_and_lookup_across_chats(repo):
    for chat_id in (4, -44):
        await repo.upsert_chat(chat_id, "private" if chat_id > 0 else "group", f"chat {chat_id}")
        await repo.record_found(chat_id, check(), None, None, NOW)
    found = await repo.find_by_request_id(RID_A)
    assert sorted(chat.chat_id for _, chat in found) == [-44, 4]
    assert await repo.forget(4, RID_A) == 1
    assert await repo.forget(4, RID_A) == 0
    assert [chat.chat_id for _, chat in await repo.find_by_request_id(RID_A)] == [-44]
