"""Agents' working hours (SUPPORT_HOURS): parsed once, asked «open now?» and «open when?».

The text is one or more ranges separated by commas, each a day or a span of days and a
span of time: `mon-fri 10:00-19:00`, `mon-sun 09:00-21:00`, `mon-fri 10:00-19:00, sat
11:00-15:00`. Days are mon tue wed thu fri sat sun (a span may wrap: `fri-mon`); a time
ends after it starts (24:00 is the end of a day). Empty: always open. Times are read in
the zone of the moment they are asked about (TIMEZONE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(
    r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$"
)
_EXAMPLE = "e.g. mon-fri 10:00-19:00"


class HoursError(ValueError):
    """SUPPORT_HOURS does not read; the message says which part and how it should look."""


@dataclass(frozen=True, slots=True)
class Span:
    """Open on `weekday` (0 = Monday) from `start` to `end` minutes after midnight."""

    weekday: int
    start: int
    end: int


def _minutes(text: str, *, part: str) -> int:
    hours, minutes = (int(x) for x in text.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise HoursError(f"has a time that does not exist: {text!r} in {part!r}")
    return hours * 60 + minutes


def _day(name: str, *, part: str) -> int:
    if name not in DAYS:
        raise HoursError(f"has an unknown day {name!r} in {part!r} (days: {' '.join(DAYS)})")
    return DAYS.index(name)


def _spans(part: str) -> list[Span]:
    match = _RANGE.match(part)
    if match is None:
        raise HoursError(f"does not read at {part!r} ({_EXAMPLE})")
    first = _day(match["first"], part=part)
    last = _day(match["last"], part=part) if match["last"] else first
    start = _minutes(match["start"], part=part)
    end = _minutes(match["end"], part=part)
    if end <= start:
        raise HoursError(f"must end after it starts in {part!r}")
    count = (last - first) % 7 + 1
    return [Span((first + i) % 7, start, end) for i in range(count)]


@dataclass(frozen=True)
class WorkingHours:
    """When agents work; no spans means always."""

    spans: tuple[Span, ...] = ()
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        spans: list[Span] = []
        normalised = " ".join(text.lower().split())
        if not normalised:
            return cls()
        for part in normalised.split(","):
            part = part.strip()
            if not part:
                raise HoursError(f"has an empty range ({_EXAMPLE})")
            spans.extend(_spans(part))
        return cls(tuple(spans), normalised)

    @property
    def always(self) -> bool:
        return not self.spans

    def is_open(self, moment: datetime) -> bool:
        if self.always:
            return True
        minute = moment.hour * 60 + moment.minute
        weekday = moment.weekday()
        return any(s.weekday == weekday and s.start <= minute < s.end for s in self.spans)

    def next_opening(self, moment: datetime) -> datetime | None:
        """The first moment at or after `moment` when agents work (None: always open)."""
        if self.always:
            return None
        if self.is_open(moment):
            return moment
        day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        minute = moment.hour * 60 + moment.minute
        for offset in range(8):
            date = (day + timedelta(days=offset)).date()
            starts = sorted(
                s.start
                for s in self.spans
                if s.weekday == date.weekday() and (offset or s.start > minute)
            )
            if starts:
                at = time(starts[0] // 60, starts[0] % 60)
                return datetime.combine(date, at, tzinfo=moment.tzinfo)
        raise AssertionError("a week always holds an opening")  # spans is not empty
