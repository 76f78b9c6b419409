"""Plain rows read from storage; nothing here knows about Telegram."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.licensing.models import LicenseCheck


@dataclass(frozen=True, slots=True)
class ChatRecord:
    chat_id: int
    type: str
    title: str | None
    active: bool
    status_message_id: int | None
    pin_problem_notified: bool


@dataclass(frozen=True, slots=True)
class StoredLicense:
    chat_id: int
    check: LicenseCheck
    verified_at: datetime
    claimed_status: str | None
    claimed_expires_on: str | None
    added_by: int | None


@dataclass(frozen=True, slots=True)
class PendingCheck:
    id: int
    chat_id: int
    request_id: str
    claimed_status: str
    claimed_expires_on: str | None
    reply_to_message_id: int | None
    requested_by: int | None
    attempts: int
    next_attempt_at: float
    resolution: str | None
    last_error: str | None
