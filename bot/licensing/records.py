"""What the license domain keeps on disk: verdicts held by chats and claims still waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.licensing.models import Claim, ClaimedStatus, LicenseCheck


class Resolution(StrEnum):
    """How a waiting claim was settled by the backend (before its answer reached the chat)."""

    FOUND = "found"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class StoredLicense:
    """A verdict a chat holds: the backend's answer as last checked, and what was pasted."""

    chat_id: int
    check: LicenseCheck
    verified_at: datetime
    claimed_status: str | None
    claimed_expires_on: str | None
    added_by: int | None


@dataclass(frozen=True, slots=True)
class PendingCheck:
    """A pasted claim on disk, waiting for the backend or for its answer to be delivered."""

    id: int
    chat_id: int
    request_id: str
    claimed_status: str
    claimed_expires_on: str | None
    reply_to_message_id: int | None
    requested_by: int | None
    attempts: int
    next_attempt_at: float
    resolution: Resolution | None
    last_error: str | None

    @property
    def claim(self) -> Claim:
        """The claim as it was pasted."""
        claimed = self.claimed_expires_on
        expires = date.fromisoformat(claimed) if claimed else None
        return Claim(self.request_id, ClaimedStatus(self.claimed_status), expires)


@dataclass(frozen=True, slots=True)
class ChatSeen:
    """A chat as a paste shows it, kept (and made active) with the paste's verdicts."""

    chat_type: str
    title: str | None
    language: str  # taken when the chat has none yet


@dataclass(frozen=True, slots=True)
class Verdict:
    """A verdict to store for a chat, with its reminder schedule."""

    check: LicenseCheck
    claim: Claim | None
    next_check_at: float | None
    covered_stage: str | None  # the reminder stage the answer itself covers


@dataclass(frozen=True, slots=True)
class Waiting:
    """A claim the backend did not settle: kept on disk for the retry loop."""

    claim: Claim
    attempts: int
    next_attempt_at: float
    error: str
    resolution: Resolution | None = None  # settled, but the chat was not told yet
