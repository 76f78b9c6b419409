"""Recent backend answers: kept a minute, only definite ones, bounded in number."""

from __future__ import annotations

from bot.licensing.models import Found, LicenseCheck, NotFound, Unavailable
from bot.licensing.recent import RecentVerdicts

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_definite_answer_is_kept_for_its_ttl_then_dropped() -> None:
    ticks = Ticks()
    recent = RecentVerdicts(ticks, ttl=60)
    found = Found(LicenseCheck(RID, "active"))
    recent.put(found)
    ticks.now += 59.9
    assert recent.get(RID) == found
    ticks.now += 0.1
    assert recent.get(RID) is None
    assert len(recent) == 0


def test_not_found_is_kept_but_a_delayed_answer_is_not() -> None:
    recent = RecentVerdicts(Ticks())
    recent.put(Unavailable(RID, "server error 503"))
    assert recent.get(RID) is None
    recent.put(NotFound(RID))
    assert recent.get(RID) == NotFound(RID)


def test_the_oldest_entries_go_first_when_full() -> None:
    recent = RecentVerdicts(Ticks(), max_entries=3)
    ids = [f"00000000-0000-4000-8000-{i:012d}" for i in range(5)]
    for rid in ids:
        recent.put(NotFound(rid))
    assert len(recent) == 3
    assert recent.get(ids[0]) is None and recent.get(ids[1]) is None
    assert recent.get(ids[4]) == NotFound(ids[4])
