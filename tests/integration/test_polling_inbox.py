"""Durable polling over a real SQLite inbox, with a scripted getUpdates and dispatcher.

What it promises: a batch is on disk (with the next offset) before any handler runs; an
update leaves the inbox only when its handler is done; the inbox is replayed on start;
one chat's updates run in order while chats run side by side."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from typing import Any

import pytest
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import GetUpdates
from aiogram.types import Update

from bot.transport.inbox import MAX_ATTEMPTS, UpdateInbox
from bot.transport.polling import MAX_POLL_DELAY, DurablePolling
from storage.repository import Repository
from tests import factories as f
from tests.support.disk import eventually, rows


class ScriptedTelegram:
    """getUpdates answers the batches a test queued, then long-polls until stopped."""

    def __init__(self) -> None:
        self.batches: asyncio.Queue[list[Update]] = asyncio.Queue()
        self.offsets: list[int | None] = []

    def queue(self, *raws: dict[str, Any]) -> list[int]:
        updates = [Update.model_validate(raw) for raw in raws]
        self.batches.put_nowait(updates)
        return [u.update_id for u in updates]

    async def get_updates(self, offset: int | None = None, **_: Any) -> list[Update]:
        self.offsets.append(offset)
        return await self.batches.get()


class GatedDispatcher:
    """feed_update waits for the test to open the update's gate; records start and end."""

    def __init__(self) -> None:
        self.gates: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.started: list[int] = []
        self.finished: list[int] = []
        self.crash: set[int] = set()

    def open(self, *update_ids: int) -> None:
        for update_id in update_ids:
            self.gates[update_id].set()

    def resolve_used_update_types(self) -> list[str]:
        return ["message"]

    async def feed_update(self, bot: Any, update: Update) -> None:
        self.started.append(update.update_id)
        await self.gates[update.update_id].wait()
        if update.update_id in self.crash:
            raise RuntimeError("handler crashed")
        self.finished.append(update.update_id)


def update(update_id: int, chat: dict[str, Any], text: str = "hi") -> dict[str, Any]:
    return {"update_id": update_id, **f.message_update(f.message(chat, f.user(), text))}


@pytest.fixture
def parts(repo) -> tuple[ScriptedTelegram, GatedDispatcher, DurablePolling]:
    telegram, dp = ScriptedTelegram(), GatedDispatcher()
    inbox = UpdateInbox(telegram, dp, repo, drain_seconds=0.2)  # type: ignore[arg-type]
    polling = DurablePolling(telegram, dp, inbox)  # type: ignore[arg-type]
    return telegram, dp, polling


async def started(polling: DurablePolling, stop: asyncio.Event) -> asyncio.Task[None]:
    """Polling as the app starts it: the inbox replayed (it is empty here), then live."""
    await polling.inbox.replay()
    return asyncio.create_task(polling.run(stop))


def inbox(repo: Repository) -> list[int]:
    return [r[0] for r in rows(repo.db.path, "SELECT update_id FROM inbox ORDER BY update_id")]


async def test_a_batch_is_on_disk_before_its_handlers_run(repo, parts) -> None:
    telegram, dp, polling = parts
    chat_a, chat_b = f.private_chat(f.user()), f.private_chat(f.user())
    ids = telegram.queue(update(10, chat_a), update(11, chat_b))
    stop = asyncio.Event()
    running = await started(polling, stop)
    await eventually(lambda: len(dp.started) == 2)
    assert inbox(repo) == ids
    assert await repo.stored_offset() == 12
    dp.open(10)
    await eventually(lambda: inbox(repo) == [11])  # leaves the inbox once handled
    dp.open(11)
    await eventually(lambda: inbox(repo) == [])
    stop.set()
    await asyncio.wait_for(running, 5)


async def test_one_chat_in_order_chats_side_by_side(repo, parts) -> None:
    telegram, dp, polling = parts
    chat_a, chat_b = f.private_chat(f.user()), f.private_chat(f.user())
    telegram.queue(update(1, chat_a), update(2, chat_a), update(3, chat_b))
    stop = asyncio.Event()
    running = await started(polling, stop)
    await eventually(lambda: sorted(dp.started) == [1, 3])  # 2 waits for 1; b does not
    dp.open(3)
    await eventually(lambda: dp.finished == [3])
    assert 2 not in dp.started
    dp.open(1, 2)
    await eventually(lambda: dp.finished == [3, 1, 2])
    stop.set()
    await asyncio.wait_for(running, 5)


async def test_polling_resumes_from_the_stored_offset(repo, parts) -> None:
    telegram, _dp, polling = parts
    await repo.inbox_add([], 42)
    stop = asyncio.Event()
    running = await started(polling, stop)
    await eventually(lambda: telegram.offsets)
    assert telegram.offsets == [42]
    stop.set()
    await asyncio.wait_for(running, 5)


async def test_the_inbox_is_replayed_on_start(repo, parts, caplog) -> None:
    _telegram, dp, polling = parts
    chat = f.private_chat(f.user())
    await repo.inbox_add(
        [
            (5, json.dumps(update(5, chat))),
            (6, json.dumps(update(6, chat))),
            (7, '{"update_id": 7, "message": {"text"'),  # cut short: can never be handled
        ],
        8,
    )
    for _ in range(MAX_ATTEMPTS):  # update 6 crashed the bot this often already
        await repo.inbox_attempt(6)
    dp.open(5)
    assert await polling.inbox.replay() == 1
    assert dp.finished == [5] and 6 not in dp.started
    assert inbox(repo) == []
    assert "dropping update 6 after 3 failed attempts" in caplog.text
    assert "dropping update 7: the inbox copy is unreadable" in caplog.text


async def test_a_replayed_update_counts_an_attempt(repo, parts) -> None:
    _telegram, dp, polling = parts
    await repo.inbox_add([(5, json.dumps(update(5, f.private_chat(f.user()))))], 6)
    replay = asyncio.create_task(polling.inbox.replay())
    await eventually(lambda: dp.started == [5])
    assert [attempts for _, _, attempts in await repo.inbox_pending()] == [1]
    dp.open(5)
    await asyncio.wait_for(replay, 5)


async def test_a_crashing_handler_does_not_keep_its_update(repo, parts, caplog) -> None:
    telegram, dp, polling = parts
    telegram.queue(update(20, f.private_chat(f.user())))
    dp.crash.add(20)
    dp.open(20)
    stop = asyncio.Event()
    running = await started(polling, stop)
    await eventually(lambda: "update 20 failed outside the error handlers" in caplog.text)
    await eventually(lambda: inbox(repo) == [])
    stop.set()
    await asyncio.wait_for(running, 5)


async def test_stopping_leaves_a_slow_update_for_the_next_start(repo, parts) -> None:
    telegram, dp, polling = parts
    telegram.queue(update(30, f.private_chat(f.user())))
    stop = asyncio.Event()
    running = await started(polling, stop)
    await eventually(lambda: dp.started == [30])
    stop.set()  # the handler outlives drain_seconds
    await asyncio.wait_for(running, 5)
    assert inbox(repo) == [30]


def test_poll_delay_backs_off_and_follows_retry_after(parts) -> None:
    _telegram, _dp, polling = parts
    network = TelegramNetworkError(method=GetUpdates(), message="connection reset")
    delays = [polling.poll_delay(network, n) for n in range(1, 12)]
    assert delays[:4] == [0.5, 1.0, 2.0, 4.0]
    assert delays[-1] == MAX_POLL_DELAY
    flood = TelegramRetryAfter(method=GetUpdates(), message="Too Many Requests", retry_after=7)
    assert polling.poll_delay(flood, 1) == 7
    slow = TelegramRetryAfter(method=GetUpdates(), message="Too Many Requests", retry_after=3600)
    assert polling.poll_delay(slow, 1) == MAX_POLL_DELAY
