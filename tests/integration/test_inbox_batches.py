"""Handled updates leave the inbox in batches: a moment later, or with the next poll batch,
and all of them on a stop; never one handled less than a poll batch ago is at risk more."""

from __future__ import annotations

import asyncio

from bot.transport.inbox import UpdateInbox
from bot.transport.polling import DurablePolling
from tests import factories as f
from tests.integration.test_polling_inbox import (
    GatedDispatcher,
    ScriptedTelegram,
    inbox,
    started,
    update,
)
from tests.support.disk import eventually


def parts(repo, delay: float) -> tuple[ScriptedTelegram, GatedDispatcher, DurablePolling]:
    telegram, dp = ScriptedTelegram(), GatedDispatcher()
    box = UpdateInbox(telegram, dp, repo, drain_seconds=0.2)  # type: ignore[arg-type]
    box.handled.delay = delay
    return telegram, dp, DurablePolling(telegram, dp, box)  # type: ignore[arg-type]


async def test_updates_handled_together_leave_the_disk_together(repo) -> None:
    telegram, dp, polling = parts(repo, 0.05)
    chats = [f.private_chat(f.user()) for _ in range(3)]
    ids = telegram.queue(*(update(40 + n, chat) for n, chat in enumerate(chats)))
    stop = asyncio.Event()
    running = await started(polling, stop)
    await eventually(lambda: len(dp.started) == 3)
    assert inbox(repo) == ids
    dp.open(*ids)
    await eventually(lambda: inbox(repo) == [])
    stop.set()
    await asyncio.wait_for(running, 5)


async def test_the_next_poll_batch_deletes_what_was_handled_before_it(repo) -> None:
    telegram, dp, polling = parts(repo, 3600.0)  # no timed delete within the test
    first = telegram.queue(update(50, f.private_chat(f.user())))
    dp.open(*first)
    stop = asyncio.Event()
    running = await started(polling, stop)
    await eventually(lambda: dp.finished == first)
    second = telegram.queue(update(51, f.private_chat(f.user())))
    await eventually(lambda: inbox(repo) == second)  # written with 51, in one transaction
    dp.open(*second)
    await eventually(lambda: dp.finished == first + second)
    stop.set()
    await asyncio.wait_for(running, 5)
    assert inbox(repo) == second  # handled, its delete not yet due
    await polling.inbox.drain()  # as the app stops
    assert inbox(repo) == []
