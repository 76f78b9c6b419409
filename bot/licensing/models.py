"""License domain values: what a customer claims and what the backend says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ClaimedStatus(StrEnum):
    """The status a pasted license text claims."""

    ACTIVE = "active"
    EXPIRED = "expired"
    DEMO = "demo"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Claim:
    """One license block found in a pasted text; a claim, not the truth."""

    request_id: str  # lower-case canonical UUID
    status: ClaimedStatus
    expires_on: date | None

    def to_json(self) -> dict[str, str | None]:
        return {
            "request_id": self.request_id,
            "status": self.status.value,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
        }


@dataclass(frozen=True, slots=True)
class LicenseCheck:
    """The backend's answer for one Request ID (the truth)."""

    request_id: str
    status: str  # "active" or "expired"
    license_id: str | None = None
    demo: bool = False
    expires_on: date | None = None
    bitrix_license_active: bool | None = None
    module_id: str | None = None
    module_name: str | None = None
    module_version: str | None = None
    site: str | None = None
    checked_at: datetime | None = None
    renew_url: str | None = None

    @property
    def license_key(self) -> str:
        """Stable identity of the license in a chat: license_id, else the Request ID."""
        return self.license_id or self.request_id

    def is_supported(self, today: date) -> bool:
        """Support is given while active and the last day (inclusive) has not passed."""
        if self.status != "active":
            return False
        return self.expires_on is None or self.expires_on >= today

    def days_left(self, today: date) -> int | None:
        """Days of support left counting today as the last possible one (0 = ends today)."""
        if self.expires_on is None:
            return None
        return (self.expires_on - today).days


@dataclass(frozen=True, slots=True)
class Found:
    """200: the backend knows this Request ID; `claim` is what was pasted (None if nothing)."""

    check: LicenseCheck
    claim: Claim | None = None

    @property
    def request_id(self) -> str:
        return self.check.request_id


@dataclass(frozen=True, slots=True)
class NotFound:
    """404: no such Request ID."""

    request_id: str


@dataclass(frozen=True, slots=True)
class Misconfigured:
    """401/403: the bot's backend credentials or URL are wrong; an operator problem."""

    request_id: str
    status_code: int
    detail: str


@dataclass(frozen=True, slots=True)
class Unavailable:
    """Transient: 429, 5xx, timeout, refused, malformed body, open circuit. Retry later.

    `rate_limited`: the backend answered 429, so it is up and keeping the contract.
    """

    request_id: str
    reason: str
    retry_after: float | None = None
    rate_limited: bool = False


CheckResult = Found | NotFound | Misconfigured | Unavailable
"""The one vocabulary for the result of checking a Request ID, from the backend to the chat."""

Delayed = Misconfigured | Unavailable
"""Results that leave a claim waiting on disk for another attempt."""
