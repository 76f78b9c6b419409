"""Figures from the fake server's own log of calls: rates, peaks and limit violations."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.outbound.throttle import CHAT_MESSAGE_METHODS, WRITE_PREFIXES

TELEGRAM_PER_SECOND = 30
TELEGRAM_PER_GROUP_MINUTE = 20
TELEGRAM_CHAT_INTERVAL = 1.0


@dataclass(frozen=True)
class Call:
    method: str
    chat_id: int | None
    at: float


def writes(calls: Sequence[Call]) -> list[Call]:
    return [c for c in calls if c.method.startswith(WRITE_PREFIXES)]


def max_in_window(times: Sequence[float], window: float) -> int:
    """The most events in any window of `window` seconds."""
    ordered = sorted(times)
    best = start = 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def sustained_rate(times: Sequence[float]) -> float:
    """Events per second between the first and the last (0 for fewer than two)."""
    if len(times) < 2:
        return 0.0
    span = max(times) - min(times)
    return (len(times) - 1) / span if span > 0 else 0.0


@dataclass(frozen=True)
class Violations:
    global_: int
    per_chat: int
    per_group: int

    @property
    def total(self) -> int:
        return self.global_ + self.per_chat + self.per_group


def violations(calls: Sequence[Call]) -> Violations:
    """Windows over Telegram's limits, by the server's clock.

    Global: each write that makes a 1-second window hold more than 30. Per chat: two
    messages to one chat less than a second apart. Per group: each message that makes a
    60-second window of one group hold more than 20.
    """
    times = sorted(c.at for c in writes(calls))
    over_global = 0
    start = 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        over_global += end - start + 1 > TELEGRAM_PER_SECOND
    by_chat: defaultdict[int, list[float]] = defaultdict(list)
    for c in calls:
        if c.method in CHAT_MESSAGE_METHODS and c.chat_id is not None:
            by_chat[c.chat_id].append(c.at)
    per_chat = per_group = 0
    for chat_id, sent in by_chat.items():
        sent.sort()
        per_chat += sum(b - a < TELEGRAM_CHAT_INTERVAL for a, b in itertools.pairwise(sent))
        if chat_id < 0:
            start = 0
            for end, at in enumerate(sent):
                while at - sent[start] >= 60.0:
                    start += 1
                per_group += end - start + 1 > TELEGRAM_PER_GROUP_MINUTE
    return Violations(over_global, per_chat, per_group)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
