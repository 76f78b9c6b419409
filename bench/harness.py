"""The bench's stage: the fake Bot API server and license backend in this process, the bot
under test in a subprocess whose CPU time and memory are read from /proc."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests import factories as f
from tests.fakes.license_backend import FakeLicenseBackend
from tests.fakes.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
BACKEND_TOKEN = "bench-backend-token"
TICKS = os.sysconf("SC_CLK_TCK")


class Stage:
    """Both fakes, started and stopped together."""

    def __init__(self) -> None:
        self.telegram = FakeTelegram()
        self.backend = FakeLicenseBackend(token=BACKEND_TOKEN)

    async def __aenter__(self) -> Stage:
        await self.telegram.start()
        await self.backend.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.backend.stop()
        await self.telegram.stop()

    def env(self, db_path: Path) -> dict[str, str]:
        return {
            **os.environ,
            "BOT_TOKEN": self.telegram.token,
            "TELEGRAM_API_URL": self.telegram.url,
            "LICENSE_API_URL": self.backend.url,
            "LICENSE_API_TOKEN": BACKEND_TOKEN,
            "DATABASE_PATH": str(db_path),
            "LOG_LEVEL": "WARNING",
            "SUPPORT_AGENT_IDS": "",
            "SUPPORT_CHAT_ID": "",
            # Each bench chat pastes once; the abuse quota is not what is measured.
            "LOOKUPS_PER_CHAT": "1000",
            "LOOKUPS_PER_USER": "1000",
        }


class BotProcess:
    """A bot in a subprocess; CPU seconds and RSS come from /proc/<pid>."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.args = args
        self.env = env
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self, telegram: FakeTelegram) -> None:
        polls = len(telegram.calls_to("getUpdates"))
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *self.args,
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        await until(lambda: len(telegram.calls_to("getUpdates")) > polls, 60)

    def cpu_seconds(self) -> float:
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime

    def rss_mb(self) -> float:
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), 20)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()


async def until(predicate: Callable[[], Any], timeout: float) -> None:  # noqa: ASYNC109
    """Wait for a condition on the fakes' state, polling it (this is a bench, not a test)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the bot under test did not get there in time")
        await asyncio.sleep(0.01)


def widget(request_id: str, expires: str = "07.08.2030") -> str:
    return f"Лицензия модуля активна. Срок активности до {expires}\nRequest ID: {request_id}"


def request_id(i: int) -> str:
    return f"00000000-0000-4000-8000-{i:012d}"


def customers(n: int, name: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """n customers, each in a private chat with the bot: (chat, user)."""
    people = [f.user(f"{name}{i}", language_code="ru") for i in range(n)]
    return [(f.private_chat(user), user) for user in people]
