"""An injectable clock: «today» is always taken in the vendor's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo


class Clock:
    """Wall-clock time in one zone; tests move it with `advance` instead of sleeping."""

    def __init__(self, tz: tzinfo, *, start: datetime | None = None) -> None:
        self.tz = tz
        self._offset = timedelta(0)
        if start is not None:
            self._offset = start.astimezone(UTC) - datetime.now(UTC)

    def now(self) -> datetime:
        return (datetime.now(UTC) + self._offset).astimezone(self.tz)

    def today(self) -> date:
        return self.now().date()

    def timestamp(self) -> float:
        """Seconds since the epoch on this clock (for schedules stored on disk)."""
        return self.now().timestamp()

    def advance(self, delta: timedelta) -> None:
        self._offset += delta
