"""SUPPORT_HOURS: what reads, what is refused with a clear reason, and when agents open."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.hours import HoursError, WorkingHours

TZ = ZoneInfo("Europe/Moscow")
WEEKDAYS = WorkingHours.parse("mon-fri 10:00-19:00")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """`day` of June 2026: the 15th is a Monday."""
    return datetime(2026, 6, day, hour, minute, tzinfo=TZ)


def test_empty_is_always_open() -> None:
    hours = WorkingHours.parse("  ")
    assert hours.always and hours.is_open(at(20, 3)) and hours.next_opening(at(20, 3)) is None


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (at(15, 10), True),
        (at(15, 9, 59), False),
        (at(19, 18, 59), True),
        (at(19, 19), False),
        (at(20, 12), False),  # Saturday
    ],
)
def test_weekday_hours(moment: datetime, open_: bool) -> None:
    assert WEEKDAYS.is_open(moment) is open_


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (at(15, 8), at(15, 10)),  # Monday morning: today
        (at(15, 12), at(15, 12)),  # open now
        (at(15, 20), at(16, 10)),  # Monday evening: tomorrow
        (at(19, 19, 30), at(22, 10)),  # Friday evening: Monday
        (at(21, 23, 59), at(22, 10)),  # Sunday night
    ],
)
def test_next_opening(moment: datetime, opening: datetime) -> None:
    assert WEEKDAYS.next_opening(moment) == opening


def test_several_ranges_and_a_wrapping_span() -> None:
    hours = WorkingHours.parse("Mon-Fri 10:00-19:00, sat 11:00-15:00,sun 12:00-24:00")
    assert hours.text == "mon-fri 10:00-19:00, sat 11:00-15:00,sun 12:00-24:00"
    assert hours.next_opening(at(19, 20)) == at(20, 11)
    assert hours.is_open(at(21, 23, 59))
    wrapping = WorkingHours.parse("fri-mon 09:00-21:00")
    assert wrapping.is_open(at(22, 9)) and not wrapping.is_open(at(16, 12))
    assert WorkingHours.parse("mon-sun 09:00-21:00").next_opening(at(17, 22)) == at(18, 9)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("mon-fri 10-19", "does not read at 'mon-fri 10-19'"),
        ("mon-fry 10:00-19:00", "unknown day 'fry'"),
        ("mon-fri 19:00-10:00", "must end after it starts"),
        ("mon-fri 10:00-25:00", "a time that does not exist: '25:00'"),
        ("mon-fri 10:00-19:00,", "an empty range"),
        ("always", "does not read"),
    ],
)
def test_malformed_hours_say_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(HoursError, match=reason.replace("(", r"\(")):
        WorkingHours.parse(text)


def test_a_malformed_setting_stops_start_up_naming_it() -> None:
    from bot.config import Settings, SettingsError, load_settings

    with pytest.raises(SettingsError) as caught:
        load_settings(
            Settings,
            bot_token="1:abc",
            license_api_url="http://backend.example",
            support_hours="weekdays 10:00-19:00",
            _env_file=None,
        )
    assert str(caught.value).startswith("configuration error: SUPPORT_HOURS does not read")
