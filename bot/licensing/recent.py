"""Backend answers kept for a short while, so that a burst of pastes of one ID asks once."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from bot.licensing.models import CheckResult, Found, NotFound

FRESH_SECONDS = 60.0
MAX_ENTRIES = 10_000


class RecentVerdicts:
    """Found and NotFound answers by Request ID, each for `ttl` seconds; bounded in size.

    Only definite answers are kept: a delayed check must be asked again.
    """

    def __init__(
        self,
        now: Callable[[], float],
        *,
        ttl: float = FRESH_SECONDS,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self._now = now
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, Found | NotFound]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, request_id: str) -> Found | NotFound | None:
        entry = self._entries.get(request_id)
        if entry is None:
            return None
        kept_until, result = entry
        if self._now() >= kept_until:
            del self._entries[request_id]
            return None
        return result

    def put(self, result: CheckResult) -> None:
        if not isinstance(result, Found | NotFound):
            return
        self._entries[result.request_id] = (self._now() + self.ttl, result)
        self._entries.move_to_end(result.request_id)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
