"""`python -m tests.support.run_bot [run|parse|check]`: `python -m bot` on a clock the test set.

The bot as a process reads «now» off the machine. Process tests run it through this
launcher instead, with BOT_TEST_CLOCK_START (an ISO 8601 instant with its offset) in the
environment: every `bot.clock.Clock` made without a start — the app's in `build_app`, the
`check` command's — starts at that instant and then runs. Everything else is the real
entry point, `bot.__main__.main`: settings, logging, signals, exit codes. Production
settings have no clock setting; only this test launcher does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

import bot.clock

CLOCK_START_ENV = "BOT_TEST_CLOCK_START"
FLOOD_SCALE_ENV = "BOT_TEST_FLOOD_SCALE"


class StartedClock(bot.clock.Clock):
    """A Clock whose default start is the test's instant instead of the machine's now."""

    default_start: datetime | None = None

    def __init__(self, tz: tzinfo, *, start: datetime | None = None) -> None:
        super().__init__(tz, start=start or self.default_start)


def clock_env(start: datetime) -> dict[str, str]:
    """The environment that starts a launched bot's clock at `start`."""
    return {CLOCK_START_ENV: start.isoformat()}


def install_clock(environ: Mapping[str, str]) -> datetime:
    """Make clocks made without a start begin at the instant in the environment.

    Must run before the bot's modules are imported (they bind `Clock` when imported)."""
    value = environ.get(CLOCK_START_ENV)
    if not value:
        raise SystemExit(f"{CLOCK_START_ENV} is required (an ISO 8601 instant with offset)")
    start = datetime.fromisoformat(value)
    if start.tzinfo is None:
        raise SystemExit(f"{CLOCK_START_ENV} needs a UTC offset: {value!r}")
    early = [name for name in sys.modules if name.startswith("bot.") and name != "bot.clock"]
    if early:
        raise RuntimeError(f"install_clock() must come before importing {sorted(early)}")
    StartedClock.default_start = start
    bot.clock.Clock = StartedClock  # type: ignore[misc]  # the one seam of this launcher
    return start


def install_flood_scale(environ: Mapping[str, str]) -> None:
    """With BOT_TEST_FLOOD_SCALE set, Telegram's flood limits run that many times faster."""
    value = environ.get(FLOOD_SCALE_ENV)
    if not value:
        return
    from bot.outbound import throttle

    class ScaledFloodLimits(throttle.FloodLimits):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("time_scale", float(value))
            super().__init__(**kwargs)

    # FloodControlMiddleware builds its FloodLimits() when the bot is created.
    throttle.FloodLimits = ScaledFloodLimits  # type: ignore[misc]  # a test-only speed-up


def main(argv: list[str] | None = None) -> int:
    install_clock(os.environ)
    install_flood_scale(os.environ)
    from bot.__main__ import main as bot_main

    return bot_main(argv)


if __name__ == "__main__":
    sys.exit(main())
