"""What the license domain needs from storage, declared here and implemented by storage/."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from bot.licensing.models import Claim, LicenseCheck
from bot.licensing.records import (
    ChatSeen,
    PendingCheck,
    Resolution,
    StoredLicense,
    Verdict,
    Waiting,
)


class LicenseRepository(Protocol):
    """Claims waiting on disk, verdicts per chat, and which reminders went out."""

    async def add_pending(
        self,
        chat_id: int,
        claims: Iterable[Claim],
        reply_to_message_id: int | None,
        requested_by: int | None,
        lease_until: float,
    ) -> None: ...

    async def resolve_pending(
        self, chat_id: int, request_id: str, resolution: Resolution
    ) -> None: ...

    async def reschedule_pending(
        self, chat_id: int, request_id: str, attempts: int, next_attempt_at: float, error: str
    ) -> None: ...

    async def acknowledge_pending(self, chat_id: int, request_ids: Iterable[str]) -> None: ...

    async def due_pending(self, now: float, limit: int = 50) -> list[PendingCheck]: ...

    async def next_pending_due(self) -> float | None: ...

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
    ) -> None: ...

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
    ) -> None: ...

    async def keep_waiting(
        self,
        chat_id: int,
        waiting: list[Waiting],
        *,
        requested_by: int | None,
        reply_to: int | None,
    ) -> None: ...

    async def license_in_chat(self, chat_id: int, request_id: str) -> StoredLicense | None: ...

    async def due_licenses(self, now: float, limit: int = 200) -> list[StoredLicense]: ...

    async def set_next_check(self, chat_id: int, license_key: str, at: float | None) -> None: ...

    async def claim_reminder(
        self, chat_id: int, license_key: str, term_end: date | None, kind: str
    ) -> bool: ...

    async def release_reminder(
        self, chat_id: int, license_key: str, term_end: date | None, kind: str
    ) -> None: ...

    async def claim_daily(self, job: str, today: date) -> bool: ...
