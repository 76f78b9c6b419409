"""The look-up quota for non-agents, on a time the test moves (LookupQuota's `now`)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from bot.handlers.quota import DUPLICATE_SECONDS, LookupQuota, SlidingWindow
from tests.support.clocks import fixed_clock

A, B = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a", "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"


class Now:
    """A time the test sets: seconds since some start."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def quota(
    per_user: int = 10, per_chat: int = 20, window: float = 600.0
) -> tuple[LookupQuota, Now]:
    now = Now()
    return LookupQuota(per_user, per_chat, window, now=now), now


def test_window_counts_events_for_the_last_window_seconds() -> None:
    window = SlidingWindow(limit=3, window=10.0)
    assert window.room("k", 0.0) == 3
    window.add("k", 0.0, 2)
    window.add("k", 4.0)
    assert window.room("k", 9.9) == 0
    assert window.room("k", 10.0) == 2  # the two at 0.0 are exactly one window old: gone
    assert window.room("k", 14.0) == 3
    assert window.room("other", 0.0) == 3


def test_window_forgets_the_least_recently_seen_keys_first() -> None:
    window = SlidingWindow(limit=1, window=60.0, max_keys=2)
    window.add("a", 0.0)
    window.add("b", 0.0)
    window.add("a", 1.0)  # a is recent again
    window.add("c", 2.0)  # one key too many: b goes
    assert window.room("b", 3.0) == 1
    assert window.room("a", 3.0) == 0 and window.room("c", 3.0) == 0


def test_a_user_gets_per_user_look_ups_per_window() -> None:
    q, now = quota(per_user=10, per_chat=100)
    assert q.take(chat_id=1, user_id=7, count=6)
    assert q.take(chat_id=2, user_id=7, count=4)  # the user's budget spans chats
    assert not q.take(chat_id=3, user_id=7, count=1)
    now.value += 600
    assert q.take(chat_id=3, user_id=7, count=10)


def test_a_chat_gets_per_chat_look_ups_whoever_asks() -> None:
    q, _ = quota(per_user=10, per_chat=15)
    assert q.take(chat_id=1, user_id=7, count=10)
    assert not q.take(chat_id=1, user_id=8, count=6)
    assert q.take(chat_id=1, user_id=8, count=5)
    assert not q.take(chat_id=1, user_id=None, count=1)  # an anonymous admin counts too
    assert q.take(chat_id=2, user_id=8, count=5)  # another chat has its own budget


def test_a_paste_that_does_not_fit_is_refused_whole_and_costs_nothing() -> None:
    q, _ = quota(per_user=10, per_chat=20)
    assert q.take(chat_id=1, user_id=7, count=8)
    assert not q.take(chat_id=1, user_id=7, count=3)
    assert q.take(chat_id=1, user_id=7, count=2)  # the refused 3 were not counted


def test_waiting_is_told_once_per_window_per_chat() -> None:
    q, now = quota(window=600.0)
    assert q.tell_limited(1) is True
    assert q.tell_limited(1) is False
    assert q.tell_limited(2) is True
    now.value += 599
    assert q.tell_limited(1) is False
    now.value += 1
    assert q.tell_limited(1) is True


def test_the_same_ids_again_in_the_same_chat_moments_later_are_a_repeat() -> None:
    q, now = quota()
    assert q.repeated(1, [A, B]) is False
    assert q.repeated(1, [B, A]) is True  # the same set, in any order
    assert q.repeated(1, [A]) is False  # a different set
    assert q.repeated(2, [A, B]) is False  # another chat
    now.value += DUPLICATE_SECONDS
    assert q.repeated(1, [A, B]) is False  # a minute later it is checked again


def test_a_forgotten_paste_may_come_again_at_once() -> None:
    q, _ = quota()
    assert q.repeated(1, [A]) is False
    q.forget(1, [A])
    assert q.repeated(1, [A]) is False


def test_from_settings_counts_on_the_bot_clock() -> None:
    clock = fixed_clock()
    settings = SimpleNamespace(lookups_per_user=2, lookups_per_chat=5, lookup_window_seconds=60)
    q = LookupQuota.from_settings(settings, clock)  # type: ignore[arg-type]  # the 3 fields used
    assert q.take(chat_id=1, user_id=7, count=2)
    assert not q.take(chat_id=1, user_id=7, count=1)
    clock.advance(timedelta(seconds=61))
    assert q.take(chat_id=1, user_id=7, count=2)
