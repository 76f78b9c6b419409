"""Clocks that tests set: «now» is chosen by the test, never read off the machine.

Every bot a test starts gets a `Clock` that starts at an instant the test chose, or at
DEFAULT_START when it chose none. DEFAULT_START is 12:00 Moscow time on a Wednesday in
the middle of June:
- past REMINDER_HOUR (10:00), so the daily digest and due reminders go out as on any
  working day; tests that need the morning before them pass `morning_clock()`;
- twelve hours from midnight in Moscow and nine in UTC (09:00 UTC, the same date), so a
  test that runs for minutes never crosses a date in either zone;
- far from the end of a month and of a year, and Moscow has no daylight saving time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock

TZ = ZoneInfo("Europe/Moscow")  # the default TIMEZONE
DEFAULT_DAY = date(2026, 6, 17)
DEFAULT_START = datetime.combine(DEFAULT_DAY, time(12), tzinfo=TZ)


def fixed_clock(start: datetime = DEFAULT_START) -> Clock:
    """A clock in the vendor's zone that starts at `start` and then runs."""
    return Clock(TZ, start=start)


def morning_clock(hour: int = 9, day: date = DEFAULT_DAY) -> Clock:
    """A clock at `hour`:00 on `day` in the vendor's zone; tests move it forward."""
    return fixed_clock(datetime.combine(day, time(hour), tzinfo=TZ))


def move_to(
    clock: Clock, day_offset: int, hour: int, minute: int = 0, *, base: date | None = None
) -> None:
    """Move `clock` to hour:minute on the day `day_offset` days after `base` (its today)."""
    day = (base or clock.today()) + timedelta(days=day_offset)
    target = datetime.combine(day, time(hour, minute), tzinfo=TZ)
    clock.advance(target - clock.now())
