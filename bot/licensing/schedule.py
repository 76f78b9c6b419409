"""When to remind and when to look again: pure functions of a license and the time.

Stages of a term, in order: one «before_N» per REMINDER_DAYS entry (N days before the
last day), «last_day», then «ended» (the day after the last day). A stage is due from
REMINDER_HOUR local time on its day. After a downtime only the current stage is due, so a
chat gets the most relevant reminder, never a burst of missed ones.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.licensing.models import LicenseCheck

REMINDER_HOUR = 10
# Business windows, in days: «ending soon» (renewal button, digest, the ⏳ mark) and
# «recently ended» (digest and /expiring list what ended within it).
ENDING_SOON_DAYS = 14
RECENTLY_ENDED_DAYS = 7
LAST_DAY = "last_day"
ENDED = "ended"
RENEWED = "renewed"
# After the end: every 30 minutes for a day (a renewal shows within 30 minutes),
# then daily for a month, then weekly.
FIRST_DAY_STEP = timedelta(minutes=30)
DAILY_FOR_DAYS = 31


def before(days: int) -> str:
    return f"before_{days}"


def thresholds(reminder_days: tuple[int, ...]) -> list[tuple[str, int]]:
    """(stage, days before the last day), earliest first; the last day is 0."""
    ordered = sorted({d for d in reminder_days if d > 0}, reverse=True)
    return [(before(d), d) for d in ordered] + [(LAST_DAY, 0)]


def current_stage(check: LicenseCheck, today: date, reminder_days: tuple[int, ...]) -> str | None:
    """The stage a license is in today, or None while no reminder is near."""
    if check.expires_on is None:
        return None if check.is_supported(today) else ENDED
    if not check.is_supported(today):
        return ENDED
    days_left = (check.expires_on - today).days
    stage = None
    for name, days in thresholds(reminder_days):
        if days_left <= days:
            stage = name
    return stage


def at_hour(day: date, now: datetime) -> datetime:
    return datetime.combine(day, time(REMINDER_HOUR), tzinfo=now.tzinfo)


def next_check_at(
    check: LicenseCheck, now: datetime, reminder_days: tuple[int, ...]
) -> float | None:
    """The next moment (epoch seconds) the scheduler should look at this license."""
    today = now.date()
    if check.expires_on is None and check.is_supported(today):
        return None
    if check.expires_on is not None and check.is_supported(today):
        for _name, days in thresholds(reminder_days):
            moment = at_hour(check.expires_on - timedelta(days=days), now)
            if moment > now:
                return moment.timestamp()
        return max(at_hour(check.expires_on + timedelta(days=1), now), now).timestamp()
    since = 1  # not supported for another reason (e.g. revoked): look daily
    if check.expires_on is not None and check.expires_on < today:
        since = (today - check.expires_on).days - 1
    if since < 1:
        return (now + FIRST_DAY_STEP).timestamp()
    step_days = 1 if since < DAILY_FOR_DAYS else 7
    return at_hour(today + timedelta(days=step_days), now).timestamp()


def renewed(old: LicenseCheck, fresh: LicenseCheck, today: date) -> bool:
    """The backend shows a later term than the stored one (or support is back)."""
    if not fresh.is_supported(today):
        return False
    if not old.is_supported(today):
        return True
    if old.expires_on is None or fresh.expires_on is None:
        return fresh.expires_on is None and old.expires_on is not None
    return fresh.expires_on > old.expires_on
