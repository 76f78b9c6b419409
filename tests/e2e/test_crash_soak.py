"""Storage durability: the bot under a stream of pastes is killed with SIGKILL, again and again.

After every kill the database passes PRAGMA integrity_check and every chat that was shown
«Лицензия проверена» (or its status) still has that license on disk. At the end a clean
`python -m bot` answers every paste ever sent (nothing lost), and shuts down on SIGTERM.

Each round is a real process. Importing aiogram costs seconds per start, so the rounds are
forked from a parent that has imported the bot once and then runs `bot.__main__.main()`
in each child, exactly as `python -m bot` does; the final run is `python -m bot` itself.
All of them go through tests.support.run_bot: the test's clock, and Telegram's flood limits
20 times faster (this test is about the disk, not the limits).
CRASH_ROUNDS (default 20) sets the number of kills; CRASH_SEED the random moments.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
import uuid
from datetime import timedelta
from pathlib import Path

from storage.db import Database
from storage.repository import Repository
from tests import factories as f
from tests.support.bots import QUICK_FLOOD_SCALE, FastBots
from tests.support.disk import eventually, rows
from tests.support.processes import START_TIMEOUT, process_env, spawn_bot
from tests.support.widget import widget_text

ROUNDS = int(os.environ.get("CRASH_ROUNDS", "20"))
SEED = int(os.environ.get("CRASH_SEED", "7"))
ANSWERED = "Лицензия проверена"
STATUS = "Техническая поддержка в этом чате"  # a chat's first paste is answered by its status

ZYGOTE = """
import os, sys, traceback
from tests.support.run_bot import install_clock, install_flood_scale
install_clock(os.environ)  # the test's clock, as `python -m tests.support.run_bot` sets it
install_flood_scale(os.environ)
import bot.runner, bot.transport.app  # the slow imports, once
from bot.__main__ import main

for line in sys.stdin:
    command, _, arg = line.strip().partition(" ")
    if command == "spawn":
        pid = os.fork()
        if pid == 0:
            log = os.open(arg, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            os.dup2(log, 1)
            os.dup2(log, 2)
            try:
                code = main(["run"])
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stderr.flush()
            os._exit(code)
        print(pid, flush=True)
    elif command == "reap":
        print(os.waitpid(int(arg), 0)[1], flush=True)
"""


class Zygote:
    """A Python process with the bot imported that forks a fresh bot process on request."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, env: dict[str, str], cwd: Path) -> Zygote:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            ZYGOTE,
            env=env,
            cwd=cwd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        return cls(proc)

    async def _ask(self, line: str) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line.encode() + b"\n")
        await self.proc.stdin.drain()
        answer = await asyncio.wait_for(self.proc.stdout.readline(), timeout=60)
        return int(answer)

    async def spawn(self, log: Path) -> int:
        return await self._ask(f"spawn {log}")

    async def reap(self, pid: int) -> int:
        return await self._ask(f"reap {pid}")

    async def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        await asyncio.wait_for(self.proc.wait(), timeout=10)


def bot_env(telegram, backend, db_path: Path, clock) -> dict[str, str]:
    return process_env(
        start=clock.now(),
        BOT_TOKEN=telegram.token,
        TELEGRAM_API_URL=telegram.url,
        LICENSE_API_URL=backend.url,
        LICENSE_API_TOKEN="backend-secret-token",
        DATABASE_PATH=str(db_path),
        LOG_LEVEL="INFO",
        BOT_TEST_FLOOD_SCALE=str(QUICK_FLOOD_SCALE),
    )


class Customers:
    """Customers pasting their licenses; what each was shown and what the disk holds.

    Every paste is a license of its own, named «Модуль <first 8 of its Request ID>» by the
    backend, so that an answer tells which license it verified."""

    def __init__(self, telegram, backend, expires) -> None:
        self.telegram = telegram
        self.backend = backend
        self.expires = expires
        self.chats: dict[int, tuple[dict, dict]] = {}  # chat id -> chat, user
        self.pasted: list[tuple[int, str]] = []  # chat id, request id

    def paste(self, rng: random.Random) -> None:
        rid = str(uuid.uuid4())
        self.backend.add(
            rid,
            expires_on=self.expires,
            license_id=f"L-{rid[:8]}",
            module_name=f"Модуль {rid[:8]}",
        )
        if self.chats and rng.random() < 0.25:  # a customer adds a module
            chat, user = rng.choice(list(self.chats.values()))
        else:
            user = f.user("Клиент")
            chat = f.group("Магазин") if rng.random() < 0.3 else f.private_chat(user)
            self.chats[chat["id"]] = (chat, user)
        self.pasted.append((chat["id"], rid))
        self.telegram.send_text(chat, user, widget_text(rid, self.expires))

    def answered(self) -> list[tuple[int, str]]:
        """(chat, Request ID) of every license the bot told its chat it verified."""
        return [
            (chat_id, rid)
            for chat_id, rid in self.pasted
            if any(
                (m.plain_text.startswith(ANSWERED) or STATUS in m.plain_text)
                and f"Модуль {rid[:8]}" in m.plain_text
                for m in self.telegram.sent_to(chat_id)
            )
        ]

    def all_answered(self) -> bool:
        return len(self.answered()) == len(self.pasted)

    def check_disk(self, db_path: Path) -> None:
        assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]
        on_disk = set(rows(db_path, "SELECT chat_id, request_id FROM licenses"))
        missing = [answered for answered in self.answered() if answered not in on_disk]
        assert missing == [], "told «verified» but not on disk"


async def kill_at_a_random_moment(
    telegram, customers, rng: random.Random, round_no: int, polls_before: int, calls_before: int
) -> None:
    """Every fifth round dies while starting (before or at its first request); the others
    once polling, at a random request after a few pastes came in."""
    if round_no % 5 == 4:
        if rng.random() < 0.5:
            await telegram.wait_for(lambda: len(telegram.calls) > calls_before, timeout=30)
        return
    await telegram.wait_for(
        lambda: len(telegram.calls_to("getUpdates")) > polls_before,
        timeout=30,
        what="the new process polling",
    )
    pastes = rng.randint(2, 6)
    for _ in range(pastes):
        customers.paste(rng)
    start = len(telegram.calls)
    target = start + rng.randint(0, 2 * pastes)  # every paste makes at least two requests
    await telegram.wait_for(lambda: len(telegram.calls) >= target, timeout=30)


async def test_sigkill_at_random_moments_loses_nothing(telegram, backend, clock, tmp_path):
    rng = random.Random(SEED)
    db_path = tmp_path / "data" / "bot.sqlite3"
    env = bot_env(telegram, backend, db_path, clock)
    expires = clock.today() + timedelta(days=90)
    customers = Customers(telegram, backend, expires)
    zygote = await Zygote.start(env, tmp_path)
    logs = []
    try:
        for round_no in range(ROUNDS):
            polls, calls = len(telegram.calls_to("getUpdates")), len(telegram.calls)
            logs.append(tmp_path / f"round-{round_no}.log")
            pid = await zygote.spawn(logs[-1])
            await kill_at_a_random_moment(telegram, customers, rng, round_no, polls, calls)
            os.kill(pid, signal.SIGKILL)
            status = await zygote.reap(pid)
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            if db_path.exists():
                customers.check_disk(db_path)
    finally:
        await zygote.close()

    # A clean start, as in production: every paste ever sent gets its answer.
    proc = await spawn_bot(env, tmp_path)
    try:
        await telegram.wait_for(
            customers.all_answered, timeout=START_TIMEOUT, what="every paste answered"
        )
        await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)], 30)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(proc.communicate(), timeout=20)
    assert proc.returncode == 0, err.decode()[-2000:]
    customers.check_disk(db_path)
    for chat_id, rid in customers.pasted:
        pinned = telegram.pinned.get(chat_id)
        assert pinned is not None
        assert f"Модуль {rid[:8]}" in telegram.message(chat_id, pinned).plain_text
    assert len(customers.pasted) >= ROUNDS
    for log in [*logs, None]:
        if log is not None and not log.exists():
            continue
        text = err.decode() if log is None else log.read_text()
        assert "Traceback" not in text and " ERROR " not in text, text[-3000:]


async def test_a_busy_database_is_waited_for_not_reported(tmp_path, caplog):
    """Another writer holds the database: the bot's transaction retries, then succeeds."""
    path = tmp_path / "bot.sqlite3"
    db = Database(path)
    await db.connect()
    await db.conn.execute("PRAGMA busy_timeout = 0")  # give up at once, so our retry shows
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        write = asyncio.create_task(_insert_meta(db))
        await eventually(lambda: "database busy, retrying" in caplog.text)
    finally:
        other.execute("ROLLBACK")
        other.close()
    await asyncio.wait_for(write, timeout=5)
    await db.close()
    assert rows(path, "SELECT value FROM meta WHERE key = 'probe'") == [("ok",)]


async def _insert_meta(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO meta (key, value) VALUES ('probe', 'ok')")


async def test_an_unreadable_inbox_row_does_not_stop_the_start(
    telegram, backend, make_settings, db_path, caplog
):
    db = Database(db_path)
    await db.connect()
    await Repository(db).inbox_add([(999, '{"update_id": 999, "message": {"text"')], 1)
    await db.close()
    bots = FastBots(make_settings)
    try:
        await bots.start()
        alice = f.user("Alice")
        chat = f.private_chat(alice)
        telegram.send_text(chat, alice, "/help")
        await telegram.wait_sent(chat["id"], 1)
    finally:
        await bots.stop_all()
    assert "dropping update 999: the inbox copy is unreadable" in caplog.text
    assert rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)]
