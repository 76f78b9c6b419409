"""Shared fixtures: a fake Telegram, a reference license backend, and the real bot between them."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.outbound.throttle import FloodLimits
from bot.transport.app import build_app
from tests.fakes.license_backend import FakeLicenseBackend
from tests.fakes.telegram_api import FakeTelegram
from tests.support.bots import AGENT_ID, QUICK_FLOOD_SCALE, FastBots, RunningBot
from tests.support.clocks import fixed_clock

TESTS = Path(__file__).resolve().parent
WORKERS = 4  # the e2e tests mostly wait: 4 workers beat 2 even on 2 cores


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject): WORKERS for the suite; none when only tests/unit is run, where
    starting workers (each imports aiogram) would cost more than the tests themselves."""
    unit = TESTS / "unit"
    paths = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    if paths and all(path == unit or unit in path.parents for path in paths):
        return 0
    return WORKERS


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def backend() -> AsyncIterator[FakeLicenseBackend]:
    fake = FakeLicenseBackend(token="backend-secret-token")
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bot.sqlite3"


@pytest.fixture
def clock() -> Clock:
    """The test's clock: every bot the test starts runs on it (restarts included).

    It starts at tests.support.clocks.DEFAULT_START; a module or test that needs another
    moment overrides this fixture or passes `clock=` to `start_bot` / `fast_bot`."""
    return fixed_clock()


@pytest.fixture
def make_settings(
    telegram: FakeTelegram, backend: FakeLicenseBackend, db_path: Path
) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "bot_token": telegram.token,
            "license_api_url": backend.url,
            "license_api_token": "backend-secret-token",
            "telegram_api_url": telegram.url,
            "database_path": db_path,
            "support_agent_ids": str(AGENT_ID),
            "_env_file": None,
        }
        values.update(overrides)
        return load_settings(Settings, **values)

    return make


@pytest.fixture
async def start_bot(
    make_settings: Callable[..., Settings], clock: Clock
) -> AsyncIterator[Callable[..., Awaitable[RunningBot]]]:
    """Start the real bot long-polling the fake Telegram, on the test's clock, with Telegram's
    flood limits sped up (QUICK_FLOOD_SCALE) unless `flood_limits` is given."""
    running: list[RunningBot] = []
    test_clock = clock

    async def start(
        *, clock: Clock | None = None, flood_limits: FloodLimits | None = None, **overrides: Any
    ) -> RunningBot:
        settings = make_settings(**overrides)
        app = await build_app(
            settings,
            clock=clock or test_clock,
            retry_base=0.2,
            poll_timeout=1,
            flood_limits=flood_limits or FloodLimits(time_scale=QUICK_FLOOD_SCALE),
        )
        bot = RunningBot(app)
        running.append(bot)
        return bot

    yield start
    for bot in running:
        if not bot.task.done():
            await bot.stop()
        with contextlib.suppress(asyncio.CancelledError):
            bot.task.result()


@pytest.fixture
async def fast_bot(
    make_settings: Callable[..., Settings], clock: Clock
) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """Start bots without flood limits (for tests that send a lot), stopped at the end."""
    bots = FastBots(make_settings, clock=clock)
    yield bots.start
    await bots.stop_all()
