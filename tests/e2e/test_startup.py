"""Start-up with Telegram unreachable: one log line per attempt, then up when it is reachable."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.config import SettingsError
from bot.transport.startup import backoff, wait_for_telegram
from tests import factories as f
from tests.fakes.telegram_api import FakeTelegram
from tests.support.processes import bot_env, spawn_bot

RETRY_LINE = "Telegram is unreachable"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Lines:
    """Collects a process's stderr lines as they come; wait for one that matches."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.lines: list[str] = []
        self._changed = asyncio.Condition()
        self.task = asyncio.create_task(self._read(stream))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        while line := await stream.readline():
            async with self._changed:
                self.lines.append(line.decode(errors="replace").rstrip("\n"))
                self._changed.notify_all()

    def matching(self, text: str) -> list[str]:
        return [line for line in self.lines if text in line]

    async def wait(self, text: str, count: int = 1, timeout: float = 30.0) -> list[str]:  # noqa: ASYNC109
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(
                lambda: len(self.matching(text)) >= count or self.task.done()
            )
        found = self.matching(text)
        assert len(found) >= count, "\n".join(self.lines[-30:])
        return found


async def test_waits_for_telegram_then_comes_up_and_stops_on_sigterm(
    backend, clock, tmp_path: Path
):
    port = free_port()
    telegram = FakeTelegram(port=port)
    telegram.url = f"http://127.0.0.1:{port}"  # where it will listen; nothing does yet
    proc = await spawn_bot(bot_env(telegram, backend, tmp_path / "bot.sqlite3", clock), tmp_path)
    assert proc.stderr is not None
    err = Lines(proc.stderr)
    try:
        retries = await err.wait(RETRY_LINE, count=2)
        assert "attempt 1" in retries[0] and "retrying in 1 s" in retries[0]
        assert "attempt 2" in retries[1] and "retrying in 2 s" in retries[1]
        assert proc.returncode is None  # still waiting, not dead

        await telegram.start()
        alice = f.user("Alice")
        chat = f.private_chat(alice)
        telegram.send_text(chat, alice, "/help")
        [answer] = await telegram.wait_sent(chat["id"], timeout=30)
        assert answer.plain_text
        await err.wait("Telegram is reachable")

        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=15) == 0
        await asyncio.wait_for(err.task, timeout=5)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        with contextlib.suppress(AssertionError):
            await telegram.stop()
    text = "\n".join(err.lines)
    assert "Traceback" not in text
    assert telegram.token not in text
    # One line per failed attempt, nothing else from the wait.
    assert all(line.count(RETRY_LINE) == 1 for line in err.matching(RETRY_LINE))


async def test_sigterm_while_waiting_stops_cleanly(backend, clock, tmp_path: Path):
    telegram = FakeTelegram()
    telegram.url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    proc = await spawn_bot(bot_env(telegram, backend, tmp_path / "bot.sqlite3", clock), tmp_path)
    assert proc.stderr is not None
    err = Lines(proc.stderr)
    try:
        await err.wait(RETRY_LINE)
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=15) == 0
        await asyncio.wait_for(err.task, timeout=5)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert "Traceback" not in "\n".join(err.lines)
    assert err.lines[-1].endswith("bot stopped")


async def test_a_url_that_is_not_a_bot_api_server_is_a_setting_error(telegram):
    # Telegram's own answer to a path it does not serve is 404 (so is a malformed token).
    bot = Bot(
        telegram.token,
        session=AiohttpSession(api=TelegramAPIServer.from_base(f"{telegram.url}/not-the-api")),
    )
    try:
        with pytest.raises(
            SettingsError, match="404 Not Found: check BOT_TOKEN and TELEGRAM_API_URL"
        ):
            await wait_for_telegram(bot, asyncio.Event())
    finally:
        await bot.session.close()
    assert telegram.calls == []


def test_backoff_doubles_from_one_second_to_a_minute():
    assert [backoff(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert backoff(10_000) == 60


async def test_server_errors_and_429_are_waited_out(telegram, caplog):
    telegram.fail_next("getMe", error_code=502, description="Bad Gateway")
    telegram.fail_next(
        "getMe", error_code=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    bot = telegram.make_bot()
    try:
        assert await wait_for_telegram(bot, asyncio.Event(), first=0.05) is True
    finally:
        await bot.session.close()
    assert [c.ok for c in telegram.calls_to("getMe")] == [False, False, True]
    waits = [r.getMessage() for r in caplog.records if RETRY_LINE in r.getMessage()]
    assert len(waits) == 2
    assert "attempt 1: TelegramServerError" in waits[0] and "retrying in 0.05 s" in waits[0]
    assert "attempt 2: TelegramRetryAfter" in waits[1] and "retrying in 1 s" in waits[1]
