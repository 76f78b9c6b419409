"""The bot as a real process, on a clock the test set (see tests.support.run_bot)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from bot.clock import Clock
from tests.fakes.license_backend import FakeLicenseBackend
from tests.fakes.telegram_api import FakeTelegram
from tests.support.clocks import DEFAULT_START
from tests.support.run_bot import clock_env

REPO = Path(__file__).resolve().parents[2]
# How long a test waits for a bot process to get going (or to end, when it cannot start).
# Importing aiogram takes 3-4 s alone and several times that on a loaded 2-core machine
# running four test workers; a hang still fails, just later.
START_TIMEOUT = 90.0
# `python -m bot` through the test launcher: the same entry point, the test's clock.
BOT_COMMAND = (sys.executable, "-m", "tests.support.run_bot")


def process_env(
    *, start: datetime = DEFAULT_START, drop: Iterable[str] = (), **values: str
) -> dict[str, str]:
    """This process's environment less `drop`, plus `values`, the repository on PYTHONPATH
    (after whatever was there, e.g. scripts/any-hour's) and the launched bot's clock."""
    dropped = {"BOT_TOKEN", "LICENSE_API_URL", *drop}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH"), str(REPO)) if p)
    env.update(clock_env(start))
    env.update(values)
    return env


def bot_env(
    telegram: FakeTelegram, backend: FakeLicenseBackend, db_path: Path, clock: Clock, **extra: str
) -> dict[str, str]:
    """The environment of a bot process serving the fakes, on the test's clock."""
    values = {
        "BOT_TOKEN": telegram.token,
        "TELEGRAM_API_URL": telegram.url,
        "LICENSE_API_URL": backend.url,
        "LICENSE_API_TOKEN": "backend-secret-token",
        "DATABASE_PATH": str(db_path),
    }
    return process_env(start=clock.now(), **{**values, **extra})


async def spawn_bot(
    env: dict[str, str], cwd: Path, *args: str, stdin: bool = False
) -> asyncio.subprocess.Process:
    """Start `python -m bot [args]` (through the launcher) with pipes for its output."""
    return await asyncio.create_subprocess_exec(
        *BOT_COMMAND,
        *args,
        env=env,
        cwd=cwd,
        stdin=asyncio.subprocess.PIPE if stdin else None,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
