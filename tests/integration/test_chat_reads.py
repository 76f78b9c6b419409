"""The combined reads and the in-memory chat languages agree with what is on disk."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from bot.licensing.models import Claim, ClaimedStatus, LicenseCheck
from bot.licensing.records import ChatSeen, Verdict
from storage.chat_cache import ChatLanguageCache
from tests.support.clocks import DEFAULT_DAY, DEFAULT_START

RID_A = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
RID_B = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
RID_C = "11111111-2222-4333-8444-555555555555"


def check(request_id: str, license_id: str, module: str) -> LicenseCheck:
    return LicenseCheck(
        request_id=request_id,
        status="active",
        license_id=license_id,
        expires_on=DEFAULT_DAY + timedelta(days=30),
        module_name=module,
    )


async def test_chat_with_licenses_is_get_chat_and_licenses_for_chat(repo):
    assert await repo.chat_with_licenses(5) == (None, [])
    await repo.upsert_chat(5, "private", "Иван")
    assert await repo.chat_with_licenses(5) == (await repo.get_chat(5), [])
    await repo.record_found(5, check(RID_A, "L-1", "Склад"), None, None, DEFAULT_START)
    await repo.record_found(5, check(RID_B, "L-2", "Агент"), None, None, DEFAULT_START)
    await repo.set_status_message(5, 77, DEFAULT_DAY)
    chat, licenses = await repo.chat_with_licenses(5)
    assert chat == await repo.get_chat(5)
    assert chat is not None and chat.chat_id == 5 and chat.status_message_id == 77
    assert licenses == await repo.licenses_for_chat(5)
    assert [s.check.module_name for s in licenses] == ["Агент", "Склад"]


async def test_licenses_and_waiting_in_one_read(repo):
    assert await repo.licenses_and_waiting(6) == ([], [])
    await repo.upsert_chat(6, "private", None)
    claims = [Claim(RID_B, ClaimedStatus.ACTIVE, None), Claim(RID_C, ClaimedStatus.DEMO, None)]
    await repo.add_pending(6, claims, 10, 1, 0.0)
    assert await repo.licenses_and_waiting(6) == ([], [RID_B, RID_C])
    await repo.record_found(6, check(RID_A, "L-1", "Склад"), None, None, DEFAULT_START)
    licenses, waiting = await repo.licenses_and_waiting(6)
    assert licenses == await repo.licenses_for_chat(6)
    assert waiting == [p.request_id for p in await repo.waiting_in_chat(6)] == [RID_B, RID_C]


def on_disk(repo, chat_id: int) -> str | None:
    raw = sqlite3.connect(repo.db.path)
    try:
        rows = raw.execute("SELECT language FROM chats WHERE chat_id = ?", (chat_id,)).fetchall()
    finally:
        raw.close()
    return rows[0][0] if rows else None


async def test_cached_languages_follow_every_write(repo):
    assert await repo.chat_known_language(7) == (False, None)  # cached as unknown
    await repo.set_chat_language(7, "en")  # an unknown chat stays unknown
    assert await repo.chat_known_language(7) == (False, None)
    seen = ChatSeen("private", "Alex", "en")
    await repo.record_paste(
        7, seen, [], [], [], requested_by=1, reply_to=None, verified_at=DEFAULT_START
    )
    assert await repo.chat_known_language(7) == (True, "en") and on_disk(repo, 7) == "en"
    await repo.record_paste(  # a group keeps its first language; so does a private chat row
        7,
        ChatSeen("private", "Alex", "ru"),
        [],
        [],
        [],
        requested_by=1,
        reply_to=None,
        verified_at=DEFAULT_START,
    )
    assert await repo.chat_language(7) == "en" == on_disk(repo, 7)
    await repo.set_chat_language(7, "ru")
    assert await repo.chat_language(7) == "ru" == on_disk(repo, 7)

    await repo.upsert_chat(-8, "group", "Группа")
    assert await repo.chat_known_language(-8) == (True, None)
    await repo.adopt_chat_language(-8, "en")
    await repo.adopt_chat_language(-8, "ru")
    assert await repo.chat_language(-8) == "en" == on_disk(repo, -8)
    await repo.migrate_chat(-8, -1008)
    assert await repo.chat_known_language(-8) == (False, None)
    assert await repo.chat_language(-1008) == "en" == on_disk(repo, -1008)


async def test_a_verdict_with_a_chat_row_fills_an_unknown_cached_chat(repo):
    assert await repo.chat_language(9) is None
    verdict = Verdict(check(RID_A, "L-1", "Склад"), None, None, None)
    await repo.record_paste(
        9,
        ChatSeen("private", None, "en"),
        [verdict],
        [],
        [],
        requested_by=1,
        reply_to=None,
        verified_at=DEFAULT_START,
    )
    assert await repo.chat_known_language(9) == (True, "en")


def test_the_cache_is_bounded_and_drops_the_least_recently_used():
    cache = ChatLanguageCache(size=2)
    cache.put(1, (True, "ru"))
    cache.put(2, (True, "en"))
    assert cache.get(1) == (True, "ru")  # 1 is now the most recent
    cache.put(3, (False, None))
    assert len(cache) == 2 and cache.get(2) is None and cache.get(1) == (True, "ru")
