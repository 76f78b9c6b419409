"""Handled updates leave the inbox in batches, not one DELETE each.

A crash before a handled update's delete lands replays it on the next start: an answered
update answered again, the inbox's at-least-once trade-off. What is at risk is bounded:
the updates handled in the last `delay` seconds (0.5 s by default), and never more than
those handled since the last poll batch, whose write deletes everything handled so far.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from storage.repository import Repository

logger = logging.getLogger(__name__)


class HandledUpdates:
    """Update ids handled but still on disk, deleted together a moment later."""

    def __init__(self, repo: Repository, delay: float = 0.5) -> None:
        self.repo = repo
        self.delay = delay
        self._ids: list[int] = []
        self._task: asyncio.Task[None] | None = None
        self._hurry = asyncio.Event()

    def add(self, update_id: int) -> None:
        """One more handled update; a delete is due within `delay` seconds."""
        self._ids.append(update_id)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._delete_soon(), name="inbox-delete")

    def take(self) -> list[int]:
        """The ids to delete with the next poll batch's write (`give_back` if it fails)."""
        ids, self._ids = self._ids, []
        return ids

    def give_back(self, ids: list[int]) -> None:
        self._ids.extend(ids)

    async def settle(self) -> None:
        """Delete every handled update now (shutdown)."""
        self._hurry.set()
        while self._task is not None and not self._task.done():
            await self._task
        await self._delete()
        self._hurry.clear()

    async def _delete_soon(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._hurry.wait(), self.delay)  # let more finish
        await self._delete()

    async def _delete(self) -> None:
        while self._ids:
            ids = self.take()
            try:
                await self.repo.inbox_done_many(ids)
            except Exception:  # still on disk: deleted with the next batch, else replayed
                logger.exception("could not delete %s handled update(s)", len(ids))
                self.give_back(ids)
                return
