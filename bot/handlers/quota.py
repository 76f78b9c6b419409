"""Abuse limits for non-agents: backend look-ups per user and per chat, and repeated pastes.

A look-up is one Request ID sent to the license backend. Request ID enumeration would need
many of them, so a non-agent gets LOOKUPS_PER_USER (and the chat LOOKUPS_PER_CHAT) in any
LOOKUP_WINDOW_SECONDS; a paste that does not fit is refused as a whole, and the chat is told
to wait once per window, not once per message. The same Request IDs pasted again into the
same chat within DUPLICATE_SECONDS are answered once (the first answer covers them).
Everything is kept in memory: a restart forgives, which is fine for a rate limit.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterable

from bot.clock import Clock
from bot.config import Settings

DUPLICATE_SECONDS = 60.0
MAX_KEYS = 50_000  # users/chats remembered; the least recently seen are forgotten first


class SlidingWindow:
    """Counts events per key over the last `window` seconds, up to `limit` each."""

    def __init__(self, limit: int, window: float, *, max_keys: int = MAX_KEYS) -> None:
        self.limit = limit
        self.window = window
        self._events: OrderedDict[Hashable, deque[float]] = OrderedDict()
        self._max_keys = max_keys

    def room(self, key: Hashable, now: float) -> int:
        """How many more events `key` may have now."""
        events = self._events.get(key)
        if events is None:
            return self.limit
        while events and events[0] <= now - self.window:
            events.popleft()
        return max(0, self.limit - len(events))

    def add(self, key: Hashable, now: float, count: int = 1) -> None:
        events = self._events.get(key)
        if events is None:
            events = self._events[key] = deque()
            if len(self._events) > self._max_keys:
                self._events.popitem(last=False)
        else:
            self._events.move_to_end(key)
        events.extend([now] * count)


class LookupQuota:
    """What a non-agent may make the bot ask the backend (agents never get here)."""

    def __init__(
        self,
        per_user: int,
        per_chat: int,
        window_seconds: float,
        *,
        now: Callable[[], float],
        duplicate_seconds: float = DUPLICATE_SECONDS,
    ) -> None:
        self.window_seconds = window_seconds
        self.duplicate_seconds = duplicate_seconds
        self._now = now
        self._users = SlidingWindow(per_user, window_seconds)
        self._chats = SlidingWindow(per_chat, window_seconds)
        self._told = SlidingWindow(1, window_seconds)
        self._recent: OrderedDict[tuple[int, frozenset[str]], float] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock) -> LookupQuota:
        return cls(
            settings.lookups_per_user,
            settings.lookups_per_chat,
            settings.lookup_window_seconds,
            now=clock.timestamp,
        )

    def repeated(self, chat_id: int, request_ids: Iterable[str]) -> bool:
        """True if these Request IDs were taken in this chat moments ago; else remembers them."""
        now = self._now()
        while self._recent:
            oldest_key, oldest = next(iter(self._recent.items()))
            if now - oldest < self.duplicate_seconds:
                break
            del self._recent[oldest_key]
        key = (chat_id, frozenset(request_ids))
        if key in self._recent:
            return True
        self._recent[key] = now
        if len(self._recent) > MAX_KEYS:
            self._recent.popitem(last=False)
        return False

    def forget(self, chat_id: int, request_ids: Iterable[str]) -> None:
        """The paste was not answered after all: the same text may come again at once."""
        self._recent.pop((chat_id, frozenset(request_ids)), None)

    def take(self, chat_id: int, user_id: int | None, count: int) -> bool:
        """Count `count` look-ups against the user and the chat if both have room for them."""
        now = self._now()
        if self._chats.room(chat_id, now) < count:
            return False
        if user_id is not None and self._users.room(user_id, now) < count:
            return False
        self._chats.add(chat_id, now, count)
        if user_id is not None:
            self._users.add(user_id, now, count)
        return True

    def tell_limited(self, chat_id: int) -> bool:
        """True at most once per window per chat: when to say «wait» rather than stay quiet."""
        now = self._now()
        if self._told.room(chat_id, now) == 0:
            return False
        self._told.add(chat_id, now)
        return True
