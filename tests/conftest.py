"""Shared fixtures: a fake Telegram, a reference license backend, and the real bot between them."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.telegram.app import BotApp, build_app
from tests.fakes.license_backend import FakeLicenseBackend
from tests.fakes.telegram_api import FakeTelegram

AGENT_ID = 900001


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


class RunningBot:
    """The real bot app long-polling the fake Telegram in a background task."""

    def __init__(self, app: BotApp) -> None:
        self.app = app
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(app.run(self.stop_event))

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.wait_for(self.task, timeout=15)


@pytest.fixture
async def start_bot(
    make_settings: Callable[..., Settings],
) -> AsyncIterator[Callable[..., Awaitable[RunningBot]]]:
    running: list[RunningBot] = []

    async def start(*, clock: Clock | None = None, **overrides: Any) -> RunningBot:
        settings = make_settings(**overrides)
        app = await build_app(settings, clock=clock, retry_base=0.2, poll_timeout=1)
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
    make_settings: Callable[..., Settings],
) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """Start bots without flood limits (for tests that send a lot), stopped at the end."""
    from tests.fault_helpers import FastBots  # it builds on RunningBot above

    bots = FastBots(make_settings)
    yield bots.start
    await bots.stop_all()


def rows(db_path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Read the database file directly, as an operator would."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


async def eventually(predicate: Callable[[], Any], timeout: float = 5.0) -> Any:  # noqa: ASYNC109
    """Wait for a condition outside the fakes (a row on disk) by polling it, with a deadline."""
    async with asyncio.timeout(timeout):
        # The condition lives in a file another component writes: there is no event to await.
        while not (value := predicate()):  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    return value
