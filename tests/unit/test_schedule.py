"""The reminder schedule as pure functions of a license and the time."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.licensing.models import LicenseCheck
from bot.licensing.schedule import current_stage, next_check_at, thresholds

TZ = ZoneInfo("Europe/Moscow")
DAYS = (14, 3, 1)
NOW = datetime(2030, 3, 12, 12, 0, tzinfo=TZ)  # any moment after 10:00 local time
TODAY = NOW.date()


def lic(days_left: int | None, status: str = "active") -> LicenseCheck:
    expires = None if days_left is None else TODAY + timedelta(days=days_left)
    return LicenseCheck("24c5934b-7b86-48bd-a1d6-5bfb6950c17a", status, expires_on=expires)


def at(days: int, hour: int = 10, minute: int = 0) -> float:
    moment = datetime.combine(TODAY + timedelta(days=days), time(hour, minute), tzinfo=TZ)
    return moment.timestamp()


def test_thresholds_are_ordered_and_deduplicated():
    assert thresholds((1, 14, 3, 3)) == [
        ("before_14", 14),
        ("before_3", 3),
        ("before_1", 1),
        ("last_day", 0),
    ]


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [
        (40, None),
        (15, None),
        (14, "before_14"),
        (10, "before_14"),
        (4, "before_14"),
        (3, "before_3"),
        (2, "before_3"),
        (1, "before_1"),
        (0, "last_day"),
        (-1, "ended"),
        (-400, "ended"),
        (None, None),
    ],
)
def test_current_stage(days_left, stage):
    assert current_stage(lic(days_left), TODAY, DAYS) == stage


def test_expired_status_is_ended_whatever_the_date():
    assert current_stage(lic(100, "expired"), TODAY, DAYS) == "ended"
    assert current_stage(lic(None, "expired"), TODAY, DAYS) == "ended"


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (40, at(26)),  # the 14-day reminder, at 10:00 local
        (14, at(11)),  # 12:00 today is past today's 10:00: next is the 3-day one
        (3, at(2)),
        (1, at(1)),  # the last day
        (0, at(1)),  # today is the last day, past 10:00: the end notice tomorrow
    ],
)
def test_next_check_while_supported(days_left, expected):
    assert next_check_at(lic(days_left), NOW, DAYS) == expected


def test_next_check_after_the_end_slows_down():
    half_hour = (NOW + timedelta(minutes=30)).timestamp()
    assert next_check_at(lic(-1), NOW, DAYS) == half_hour  # first day after the end
    assert next_check_at(lic(-2), NOW, DAYS) == at(1)  # then daily for a month
    assert next_check_at(lic(-31), NOW, DAYS) == at(1)
    assert next_check_at(lic(-40), NOW, DAYS) == at(7)  # then weekly
    assert next_check_at(lic(30, "expired"), NOW, DAYS) == at(1)


def test_no_end_date_needs_no_schedule():
    assert next_check_at(lic(None), NOW, DAYS) is None


def test_before_reminder_hour_today_is_still_ahead():
    early = NOW.replace(hour=8)
    assert next_check_at(lic(3), early, DAYS) == at(0)
