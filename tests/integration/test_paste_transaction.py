"""A paste is stored in one SQLite transaction: the chat row, the verdicts, the claims left."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import Clock
from bot.licensing.backend import LicenseBackend
from bot.licensing.models import Claim, ClaimedStatus, Found, NotFound, Unavailable
from bot.licensing.records import ChatSeen, Resolution
from bot.licensing.service import VerificationService
from storage.repository import Repository
from tests.fakes.license_backend import FakeLicenseBackend

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
RID2 = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
MISSING = "11111111-2222-4333-8444-555555555555"
TZ = ZoneInfo("Europe/Moscow")
CHAT = -1001234


@pytest.fixture
async def service(
    repo: Repository, backend: FakeLicenseBackend
) -> AsyncIterator[VerificationService]:
    clock = Clock(TZ, start=datetime(2030, 3, 4, 12, 0, tzinfo=TZ))
    client = LicenseBackend(backend.url, "backend-secret-token")
    yield VerificationService(repo, client, clock)
    await client.aclose()


async def statements(repo: Repository) -> list[str]:
    seen: list[str] = []
    await repo.db.conn.set_trace_callback(seen.append)
    return seen


def claim(rid: str) -> Claim:
    return Claim(rid, ClaimedStatus.ACTIVE, None)


async def test_a_paste_is_one_transaction_with_the_chat_row(service, repo, backend) -> None:
    backend.add(RID, expires_on=service.clock.today() + timedelta(days=40), license_id="L-1")
    seen = await statements(repo)
    chat = ChatSeen("supergroup", "Магазин", "en")

    [found, missing] = await service.verify(CHAT, [claim(RID), claim(MISSING)], 5, 9, chat)

    assert isinstance(found, Found) and isinstance(missing, NotFound)
    assert [s for s in seen if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE"]
    stored = await repo.get_chat(CHAT)
    assert stored is not None and stored.active and stored.title == "Магазин"
    assert await repo.chat_language(CHAT) == "en"
    licensed = await repo.license_in_chat(CHAT, RID)
    assert licensed is not None and licensed.check.license_id == "L-1"
    assert await repo.waiting_in_chat(CHAT) == []
    assert await repo.get_pending(CHAT, MISSING) is None


async def test_a_group_keeps_the_language_it_has(service, repo, backend) -> None:
    backend.add(RID, expires_on=service.clock.today() + timedelta(days=40))
    await service.verify(CHAT, [claim(RID)], 5, 9, ChatSeen("supergroup", "Shop", "ru"))
    await service.verify(CHAT, [claim(RID)], 6, 10, ChatSeen("supergroup", "Shop", "en"))
    assert await repo.chat_language(CHAT) == "ru"


async def test_an_unsettled_claim_waits_on_disk_and_an_answer_clears_it(
    service, repo, backend
) -> None:
    backend.set_down(503)
    chat = ChatSeen("private", None, "ru")
    [delayed] = await service.verify(7, [claim(RID2)], 7, 3, chat)
    assert isinstance(delayed, Unavailable)
    [waiting] = await repo.waiting_in_chat(7)
    assert (waiting.request_id, waiting.attempts, waiting.reply_to_message_id) == (RID2, 1, 3)

    backend.set_up()
    backend.add(RID2, expires_on=service.clock.today() + timedelta(days=40))
    service.clock.advance(timedelta(minutes=2))  # past the short memory of verdicts
    [found] = await service.verify(7, [claim(RID2)], 7, 4, chat)
    assert isinstance(found, Found)
    assert await repo.get_pending(7, RID2) is None


async def test_an_answer_that_failed_is_owed_to_the_retry_loop(service, repo, backend) -> None:
    backend.add(RID, expires_on=service.clock.today() + timedelta(days=40))
    claims = [claim(RID), claim(MISSING)]
    outcomes = await service.verify(8, claims, 8, 5, ChatSeen("private", None, "ru"))

    await service.owe_answers(8, claims, outcomes, 8, 5)

    found, missing = await repo.get_pending(8, RID), await repo.get_pending(8, MISSING)
    assert found is not None and found.resolution is Resolution.FOUND
    assert missing is not None and missing.resolution is Resolution.NOT_FOUND
    assert found.reply_to_message_id == 5
    lease_end = service.clock.timestamp() + service.lease_seconds
    assert found.next_attempt_at == pytest.approx(lease_end)
