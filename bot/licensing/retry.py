"""The retry loop: claims waiting on disk are re-checked with backoff and then answered."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from typing import Protocol

from bot.licensing.models import CheckResult, Delayed, Found, NotFound
from bot.licensing.records import PendingCheck, Resolution
from bot.licensing.service import VerificationService

logger = logging.getLogger(__name__)


class ClaimNotifier(Protocol):
    """Tells a chat what became known about claims it pasted earlier."""

    async def answer(
        self, chat_id: int, reply_to: int | None, results: list[CheckResult]
    ) -> None: ...


class RetryWorker:
    """Runs until cancelled; wakes when a claim is due or the service reports a new one."""

    def __init__(
        self, service: VerificationService, notifier: ClaimNotifier, *, idle_seconds: float = 30.0
    ) -> None:
        self.service = service
        self.repo = service.repo
        self.notifier = notifier
        self.idle_seconds = idle_seconds

    async def run(self) -> None:
        while True:
            await self.sweep()
            await self._sleep_until_due()

    async def sweep(self) -> int:
        """Handle every due claim once; returns how many chats were told something."""
        due = await self.repo.due_pending(self.service.clock.timestamp())
        by_chat: dict[int, list[PendingCheck]] = defaultdict(list)
        for pending in due:
            by_chat[pending.chat_id].append(pending)
        told = 0
        for chat_id, items in by_chat.items():
            results = [await self._resolve(item) for item in items]
            known: list[CheckResult] = [
                r for r in results if r is not None and not isinstance(r, Delayed)
            ]
            if not known:
                continue
            reply_to = items[0].reply_to_message_id
            try:
                await self.notifier.answer(chat_id, reply_to, known)
            except Exception:
                # The verdict is on disk; the answer is retried on the next sweep.
                logger.exception("could not deliver resolved checks to chat %s", chat_id)
                await self._retry_delivery(chat_id, items)
                continue
            await self.service.acknowledge(chat_id, known)
            told += 1
        return told

    async def _retry_delivery(self, chat_id: int, items: list[PendingCheck]) -> None:
        now = self.service.clock.timestamp()
        for item in items:
            delay = self.service.backoff(item.attempts + 1, None)
            await self.repo.reschedule_pending(
                chat_id, item.request_id, item.attempts + 1, now + delay, "delivery failed"
            )

    async def _resolve(self, pending: PendingCheck) -> CheckResult | None:
        if pending.resolution is Resolution.NOT_FOUND:
            return NotFound(pending.request_id)
        if pending.resolution is Resolution.FOUND:
            stored = await self.repo.license_in_chat(pending.chat_id, pending.request_id)
            if stored is None:  # forgotten meanwhile; nothing to say
                await self.repo.acknowledge_pending(pending.chat_id, [pending.request_id])
                return None
            return Found(stored.check, pending.claim)
        return await self.service.retry(pending)

    async def _sleep_until_due(self) -> None:
        self.service.pending_changed.clear()
        next_due = await self.repo.next_pending_due()
        wait = self.idle_seconds
        if next_due is not None:
            wait = min(wait, max(0.05, next_due - self.service.clock.timestamp()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.service.pending_changed.wait(), timeout=wait)
