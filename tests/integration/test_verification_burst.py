"""A burst of chats pasting one Request ID asks the backend once or twice, not once a chat."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import Clock
from bot.licensing.backend import LicenseBackend
from bot.licensing.models import Claim, ClaimedStatus, Found
from bot.licensing.service import VerificationService
from storage.db import Database
from storage.repository import Repository
from tests.fakes.license_backend import FakeLicenseBackend

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
TZ = ZoneInfo("Europe/Moscow")


@pytest.fixture
async def service(
    tmp_path: Path, backend: FakeLicenseBackend
) -> AsyncIterator[VerificationService]:
    db = Database(tmp_path / "bot.sqlite3")
    await db.connect()
    clock = Clock(TZ, start=datetime(2030, 3, 4, 12, 0, tzinfo=TZ))
    client = LicenseBackend(backend.url, "backend-secret-token")
    yield VerificationService(Repository(db), client, clock)
    await client.aclose()
    await db.close()


async def test_hundred_chats_pasting_one_id_cause_at_most_two_backend_calls(
    service: VerificationService, backend: FakeLicenseBackend
) -> None:
    today = service.clock.today()
    backend.add(RID, expires_on=today + timedelta(days=40), license_id="L-1")
    repo = service.repo
    assert isinstance(repo, Repository)
    for chat_id in range(1, 101):
        await repo.upsert_chat(chat_id, "private", None)
    claim = Claim(RID, ClaimedStatus.ACTIVE, today + timedelta(days=40))

    results = await asyncio.gather(
        *(service.verify(chat_id, [claim], chat_id, 1) for chat_id in range(1, 101))
    )

    assert all(isinstance(r[0], Found) for r in results)
    assert backend.calls_for(RID) <= 2
    for chat_id in (1, 50, 100):
        stored = await repo.license_in_chat(chat_id, RID)
        assert stored is not None and stored.check.license_id == "L-1"


async def test_a_recheck_asks_again_and_a_minute_later_a_paste_does_too(
    service: VerificationService, backend: FakeLicenseBackend
) -> None:
    today = service.clock.today()
    backend.add(RID, expires_on=today + timedelta(days=40))
    repo = service.repo
    assert isinstance(repo, Repository)
    await repo.upsert_chat(1, "private", None)
    claim = Claim(RID, ClaimedStatus.ACTIVE, None)
    await service.verify(1, [claim], 1, 1)
    await service.verify(1, [claim], 1, 2)
    assert backend.calls_for(RID) == 1

    backend.add(RID, expires_on=today + timedelta(days=400))  # renewed meanwhile
    [rechecked] = await service.recheck(1, [RID])
    assert isinstance(rechecked, Found) and rechecked.check.expires_on == today + timedelta(400)
    assert backend.calls_for(RID) == 2

    service.clock.advance(timedelta(seconds=61))
    await service.verify(1, [claim], 1, 3)
    assert backend.calls_for(RID) == 3
