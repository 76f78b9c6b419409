"""Telegram's flood limits and 429 handling, on a virtual clock: minutes of sends in no time."""

from __future__ import annotations

import asyncio
import itertools
import random
from typing import Any

import pytest
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import GetUpdates, SendMessage

from bot.outbound.throttle import (
    FloodControlMiddleware,
    FloodLimits,
    Priority,
    PriorityGate,
    SlidingWindow,
    background_sends,
)
from tests.support.virtual_time import run_virtual

GROUP = -1001234567890


def most_in_window(times: list[float], window: float) -> int:
    """The largest number of events inside any half-open window of `window` seconds."""
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def send_times(limits: FloodLimits, sends: list[tuple[str, int | None]]) -> list[float]:
    """Acquire for every (method, chat) at once, as concurrent senders would; when each went
    (each answered at once)."""
    loop = asyncio.get_running_loop()

    async def one(method: str, chat: int | None) -> float:
        await limits.acquire(method, chat)
        limits.done(method, chat)
        return loop.time()

    return list(await asyncio.gather(*(one(m, c) for m, c in sends)))


def test_one_chat_gets_a_message_at_most_every_1_05_seconds() -> None:
    times = sorted(run_virtual(send_times(FloodLimits(), [("sendMessage", 42)] * 6)))
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert times[0] == pytest.approx(0.0, abs=1e-3)
    assert all(gap >= 1.05 for gap in gaps), gaps
    assert times[-1] == pytest.approx(5 * 1.05, abs=1e-3)


def test_global_limit_is_28_in_any_window_and_the_whole_budget_is_used() -> None:
    sends = [("sendMessage", 1000 + i) for i in range(200)]  # 200 private chats
    times = run_virtual(send_times(FloodLimits(), sends))
    assert most_in_window(times, 1.0) <= 28
    assert sorted(times)[27] < 1e-3  # a burst of 28 goes at once
    assert max(times) == pytest.approx(7 * 1.0, abs=0.01)  # then 28 a second


class JitteryTelegram:
    """make_request: each request reaches Telegram at a random moment of its 0-0.6 s trip
    (a busy network or event loop bunches them); Telegram's clock is what counts."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.arrived: list[float] = []

    async def __call__(self, bot: Any, method: Any) -> str:
        loop = asyncio.get_running_loop()
        trip = self.rng.uniform(0.0, 0.6)
        reach = self.rng.uniform(0.0, trip)
        await asyncio.sleep(reach)
        self.arrived.append(loop.time())
        await asyncio.sleep(trip - reach)
        return "sent"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_telegram_never_sees_more_than_28_in_a_second_however_requests_travel(seed) -> None:
    telegram = JitteryTelegram(seed)
    middleware = FloodControlMiddleware(FloodLimits())

    async def burst() -> None:
        sends = [SendMessage(chat_id=1000 + i, text="hi") for i in range(150)]
        await asyncio.gather(*(middleware(telegram, None, m) for m in sends))  # type: ignore[arg-type]  # fakes

    run_virtual(burst())
    assert len(telegram.arrived) == 150
    assert most_in_window(telegram.arrived, 1.0) <= 28


def test_a_group_gets_at_most_19_a_minute() -> None:
    times = run_virtual(send_times(FloodLimits(), [("sendMessage", GROUP)] * 40))
    assert most_in_window(times, 60.0) <= 19
    assert most_in_window(times, 1.0) == 1  # and the per-chat interval holds in groups too
    # 19 a second apart, the 20th when the minute is over, and so on.
    assert max(times) == pytest.approx(120 + 1.05, abs=0.01)


def test_answers_go_first_and_background_work_gets_every_fifth_slot() -> None:
    async def scenario() -> list[str]:
        gate = PriorityGate(SlidingWindow(1, 1.0), background_share=5)
        order: list[str] = []

        async def one(kind: str, priority: Priority) -> None:
            await gate.acquire(priority)
            order.append(kind)

        tasks = [asyncio.create_task(one("bg", Priority.BACKGROUND)) for _ in range(4)]
        tasks += [asyncio.create_task(one("ans", Priority.INTERACTIVE)) for _ in range(12)]
        await asyncio.gather(*tasks)
        return order

    answers, bg = ["ans"] * 4, ["bg"]
    assert run_virtual(scenario()) == answers + bg + answers + bg + answers + bg + bg


def test_background_sends_are_marked_by_context() -> None:
    limits = FloodLimits()
    seen: list[Priority] = []
    acquire = limits.gate.acquire

    async def spy(priority: Priority) -> None:
        seen.append(priority)
        await acquire(priority)

    limits.gate.acquire = spy  # type: ignore[method-assign]  # a spy on the gate

    async def scenario() -> None:
        await limits.acquire("editMessageText", 5)
        with background_sends():
            await limits.acquire("editMessageText", 5)
        await limits.acquire("editMessageText", 5)

    run_virtual(scenario())
    assert seen == [Priority.INTERACTIVE, Priority.BACKGROUND, Priority.INTERACTIVE]


def test_a_cancelled_waiter_gives_its_place_to_the_next() -> None:
    async def scenario() -> float:
        gate = PriorityGate(SlidingWindow(1, 1.0))
        await gate.acquire(Priority.INTERACTIVE)
        waiting = asyncio.create_task(gate.acquire(Priority.INTERACTIVE))
        after = asyncio.create_task(gate.acquire(Priority.INTERACTIVE))
        await asyncio.sleep(0)
        waiting.cancel()
        await after
        return asyncio.get_running_loop().time()

    assert run_virtual(scenario()) == pytest.approx(1.0, abs=1e-3)


def test_edits_and_pins_count_globally_but_not_per_chat() -> None:
    sends = [("editMessageText", 42), ("pinChatMessage", 42), ("editMessageText", 42)]
    assert max(run_virtual(send_times(FloodLimits(), sends))) < 1e-3


def test_reads_are_never_held_back() -> None:
    limits = FloodLimits()
    busy = [("sendMessage", 1000 + i) for i in range(50)]

    async def scenario() -> list[float]:
        await send_times(limits, busy)  # the global bucket is full now
        return await send_times(limits, [("getUpdates", None), ("getChat", 42)] * 5)

    reads = run_virtual(scenario())
    assert max(reads) - min(reads) < 1e-3  # nothing waited


def test_time_scale_shrinks_every_period_alike() -> None:
    scale = 0.05
    chat = run_virtual(send_times(FloodLimits(time_scale=scale), [("sendMessage", 42)] * 3))
    assert max(chat) == pytest.approx(2 * 1.05 * scale, abs=1e-3)
    group = run_virtual(send_times(FloodLimits(time_scale=scale), [("sendMessage", GROUP)] * 21))
    assert most_in_window(group, 60 * scale) <= 19
    assert max(group) == pytest.approx((60 + 1.05) * scale, abs=1e-3)


def test_many_chats_are_remembered_up_to_a_bound() -> None:
    limits = FloodLimits(max_chats=3)
    run_virtual(send_times(limits, [("sendMessage", -i) for i in range(1, 6)]))
    assert len(limits._groups) == 3 and len(limits._next_send) == 3


class FlakyTelegram:
    """make_request for the middleware: answers 429 `refusals` times, then succeeds."""

    def __init__(self, refusals: int, retry_after: int) -> None:
        self.refusals = refusals
        self.retry_after = retry_after
        self.calls: list[float] = []

    async def __call__(self, bot: Any, method: Any) -> str:
        self.calls.append(asyncio.get_running_loop().time())
        if len(self.calls) <= self.refusals:
            raise TelegramRetryAfter(
                method=method, message="Too Many Requests", retry_after=self.retry_after
            )
        return "sent"


def call_middleware(telegram: FlakyTelegram, method: Any, **options: Any) -> str:
    middleware = FloodControlMiddleware(FloodLimits(), **options)
    return run_virtual(middleware(telegram, None, method))  # type: ignore[arg-type]  # fakes


def test_429_is_waited_out_then_the_request_is_retried() -> None:
    telegram = FlakyTelegram(refusals=2, retry_after=7)
    assert call_middleware(telegram, SendMessage(chat_id=42, text="hi")) == "sent"
    assert telegram.calls == pytest.approx([0.0, 7.0, 14.0], abs=1e-3)


def test_429_gives_up_after_max_retries() -> None:
    telegram = FlakyTelegram(refusals=10, retry_after=1)
    with pytest.raises(TelegramRetryAfter):
        call_middleware(telegram, GetUpdates(), max_retries=3)
    assert len(telegram.calls) == 4


class SlowTelegram:
    """make_request for the middleware: each request takes `seconds` to come back."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started: list[float] = []

    async def __call__(self, bot: Any, method: Any) -> str:
        self.started.append(asyncio.get_running_loop().time())
        await asyncio.sleep(self.seconds)
        return "sent"


def test_the_chat_interval_counts_from_the_end_of_a_slow_request() -> None:
    """Telegram may receive a delayed request late: the next one waits a full interval
    after the answer, so the gap Telegram sees is never shorter than 1.05 s."""
    telegram = SlowTelegram(seconds=0.5)
    middleware = FloodControlMiddleware(FloodLimits())

    async def two_sends() -> None:
        for text in ("one", "two"):
            await middleware(telegram, None, SendMessage(chat_id=42, text=text))  # type: ignore[arg-type]  # fakes

    run_virtual(two_sends())
    assert telegram.started == pytest.approx([0.0, 0.5 + 1.05], abs=1e-3)


def test_the_next_message_to_a_chat_waits_for_the_previous_answer() -> None:
    async def scenario() -> float:
        limits = FloodLimits()
        loop = asyncio.get_running_loop()
        await limits.acquire("sendMessage", 42)

        async def answered_late() -> None:
            await asyncio.sleep(3.0)  # a request three intervals on the way
            limits.done("sendMessage", 42)

        late = asyncio.create_task(answered_late())
        await limits.acquire("sendMessage", 42)
        went = loop.time()
        limits.done("sendMessage", 42)
        await late
        return went

    # Not at 1.05 s, while the first may still be on its way: a full interval after its answer.
    assert run_virtual(scenario()) == pytest.approx(3.0 + 1.05, abs=1e-3)
