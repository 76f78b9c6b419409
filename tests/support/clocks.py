"""Clocks that tests set: «now» is chosen by the test, never read off the machine."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock

TZ = ZoneInfo("Europe/Moscow")


def morning_clock(hour: int = 9) -> Clock:
    """A clock at `hour`:00 today in the vendor's zone; tests move it forward."""
    today = datetime.now(TZ).date()
    return Clock(TZ, start=datetime.combine(today, time(hour), tzinfo=TZ))


def move_to(
    clock: Clock, day_offset: int, hour: int, minute: int = 0, *, base: date | None = None
) -> None:
    """Move `clock` to hour:minute on the day `day_offset` days after `base` (its today)."""
    day = (base or clock.today()) + timedelta(days=day_offset)
    target = datetime.combine(day, time(hour, minute), tzinfo=TZ)
    clock.advance(target - clock.now())
