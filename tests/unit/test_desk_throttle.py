"""The desk's sends under the flood limits: copyMessages of N counts N in the group's minute."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram.methods import CopyMessages

from bot.outbound.throttle import CHAT_MESSAGE_METHODS, FloodControlMiddleware, FloodLimits
from tests.support.virtual_time import run_virtual

GROUP = -1001234567890


async def send(limits: FloodLimits, method: str, messages: int = 1) -> None:
    """One request to the group, answered at once: acquire(), then done() as the session does."""
    await limits.acquire(method, GROUP, messages)
    limits.done(method, GROUP, messages)


def test_the_desks_methods_count_per_chat() -> None:
    for method in ("copyMessages", "sendMediaGroup", "sendVoice", "sendVideo", "sendSticker"):
        assert method in CHAT_MESSAGE_METHODS


def test_a_copy_of_ten_messages_takes_ten_of_the_groups_nineteen() -> None:
    async def scenario() -> list[float]:
        limits = FloodLimits()
        loop = asyncio.get_running_loop()
        await send(limits, "copyMessages", 10)
        times = []
        for _ in range(10):
            await send(limits, "sendMessage")
            times.append(loop.time())
        return times

    times = run_virtual(scenario())
    assert times[8] == pytest.approx(9 * 1.05, abs=1e-3)  # 10 + 9 = 19 in the first minute
    assert times[9] == pytest.approx(60.0, abs=1e-3)  # the 20th when the copy's minute ends


def test_a_copy_larger_than_the_window_waits_for_an_empty_minute_not_forever() -> None:
    async def scenario() -> float:
        limits = FloodLimits()
        await send(limits, "sendMessage")
        await send(limits, "copyMessages", 50)
        return asyncio.get_running_loop().time()

    assert run_virtual(scenario()) == pytest.approx(60.0, abs=1e-3)


def test_the_middleware_counts_the_messages_of_copy_messages() -> None:
    seen: list[tuple[str, Any, int]] = []

    class Recording(FloodLimits):
        async def acquire(self, api_method: str, chat_id: Any, messages: int = 1) -> None:
            seen.append((api_method, chat_id, messages))

    async def scenario() -> None:
        middleware = FloodControlMiddleware(Recording())

        async def make_request(bot: Any, method: Any) -> Any:
            return []

        method = CopyMessages(chat_id=GROUP, from_chat_id=5, message_ids=[1, 2, 3])
        await middleware(make_request, None, method)  # type: ignore[arg-type]

    run_virtual(scenario())
    assert seen == [("copyMessages", GROUP, 3)]
