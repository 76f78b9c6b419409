"""The loads the bench puts on a bot: bursts of pastes and /license, a steady stream."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from bench.harness import BotProcess, Stage, request_id, until, widget
from bench.metrics import Call

EXPIRES = "2030-08-07"
People = list[tuple[dict[str, Any], dict[str, Any]]]


@dataclass(frozen=True)
class Run:
    """One load: how long it took, the bot's CPU seconds, and the calls it made."""

    count: int
    seconds: float
    cpu: float
    calls: list[Call]

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def calls_since(stage: Stage, first: int, chats: set[int]) -> list[Call]:
    return [
        Call(c.method, c.chat_id, c.at)
        for c in stage.telegram.calls[first:]
        if c.chat_id in chats and c.ok
    ]


def pins_in(stage: Stage, first: int, chats: set[int]) -> int:
    return sum(
        1
        for c in stage.telegram.calls[first:]
        if c.method == "pinChatMessage" and c.ok and c.chat_id in chats
    )


async def paste_burst(
    stage: Stage,
    bot: BotProcess,
    people: People,
    *,
    same_id: str | None = None,
) -> Run:
    """Every customer pastes at once (a new Request ID each, or `same_id`); done when every
    chat has its pin."""
    chats = {chat["id"] for chat, _ in people}
    first, cpu = len(stage.telegram.calls), bot.cpu_seconds()
    started = time.monotonic()
    rids = [same_id or request_id(i + 1) for i in range(len(people))]
    for rid in set(rids):
        stage.backend.add(rid, expires_on=EXPIRES, license_id=f"L-{rid[-6:]}")
    for (chat, user), rid in zip(people, rids, strict=True):
        stage.telegram.send_text(chat, user, widget(rid))
    await until(lambda: pins_in(stage, first, chats) >= len(people), 600)
    seconds = time.monotonic() - started
    return Run(len(people), seconds, bot.cpu_seconds() - cpu, calls_since(stage, first, chats))


async def license_burst(stage: Stage, bot: BotProcess, people: People) -> Run:
    """Every customer types /license at once; done when every chat has its answer."""
    chats = {chat["id"] for chat, _ in people}
    first, cpu = len(stage.telegram.calls), bot.cpu_seconds()
    started = time.monotonic()
    for chat, user in people:
        stage.telegram.send_text(chat, user, "/license")

    def answered() -> bool:
        return len(calls_since(stage, first, chats)) >= len(people)

    await until(answered, 600)
    seconds = time.monotonic() - started
    return Run(len(people), seconds, bot.cpu_seconds() - cpu, calls_since(stage, first, chats))


async def steady(stage: Stage, people: People, per_second: float) -> list[float]:
    """Pastes at a steady rate; each one's milliseconds from sent to pinned."""
    pushed: dict[int, float] = {}
    first = len(stage.telegram.calls)
    start = time.monotonic()
    for i, (chat, user) in enumerate(people):
        await asyncio.sleep(max(0.0, start + i / per_second - time.monotonic()))
        rid = request_id(50_000 + i)
        stage.backend.add(rid, expires_on=EXPIRES)
        pushed[chat["id"]] = time.monotonic()
        stage.telegram.send_text(chat, user, widget(rid))
    await until(lambda: pins_in(stage, first, set(pushed)) >= len(pushed), 120)
    pinned = {
        c.chat_id: c.at
        for c in stage.telegram.calls[first:]
        if c.method == "pinChatMessage" and c.ok and c.chat_id in pushed
    }
    return [(pinned[chat_id] - at) * 1000 for chat_id, at in pushed.items()]
