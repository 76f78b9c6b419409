"""Small adapters that feed metrics and the per-paste log line without touching the domain."""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from bot.licensing.models import CheckResult, Claim, LicenseCheck
from bot.licensing.records import ChatSeen
from bot.licensing.service import VerificationService
from bot.metrics import Metrics, outcome
from bot.outbound.reminders import ReminderSender

logger = logging.getLogger(__name__)


def short_id(request_id: str) -> str:
    """A Request ID as logs show it: its first 8 characters are enough to find it."""
    return request_id[:8]


class ObservedVerification(VerificationService):
    """VerificationService that counts pastes and verdicts and logs one line per verdict."""

    def __init__(self, *args: Any, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metrics = metrics

    async def verify(
        self,
        chat_id: int,
        claims: list[Claim],
        requested_by: int | None,
        reply_to: int | None,
        chat: ChatSeen | None = None,
    ) -> list[CheckResult]:
        started = time.perf_counter()
        results = await super().verify(chat_id, claims, requested_by, reply_to, chat)
        ms = round((time.perf_counter() - started) * 1000)
        self.metrics.pastes.inc()
        for result in results:
            verdict = outcome(result)
            self.metrics.verdicts.labels(verdict).inc()
            rid = short_id(result.request_id)
            logger.info(
                "paste in chat %s: %s is %s (%d ms)",
                chat_id,
                rid,
                verdict,
                ms,
                extra={"chat_id": chat_id, "request_id": rid, "verdict": verdict, "ms": ms},
            )
        return results


class CountedReminderSender(ReminderSender):
    """ReminderSender that counts the reminders that reached a chat."""

    def __init__(self, *args: Any, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metrics = metrics

    async def remind(
        self, chat_id: int, check: LicenseCheck, stage: str, today: date
    ) -> int | None:
        sent = await super().remind(chat_id, check, stage, today)
        if sent is not None:
            self.metrics.reminders.inc()
        return sent
