"""SIGKILL with messages in the desk's outbox: after a restart each arrives once, in order."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import sys
from collections import Counter
from pathlib import Path

from tests import factories as f
from tests.support.disk import eventually, rows
from tests.support.forum import copies_to, make_forum, topics, wait_topics
from tests.support.processes import START_TIMEOUT, bot_env

CUSTOMERS = 3
EACH = 12
PENDING = "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL"
DELIVERED = "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL"


def count(db_path: Path, sql: str) -> int:
    """A count from the bot's database; 0 while it is not there or not migrated yet."""
    try:
        return int(rows(db_path, sql)[0][0]) if db_path.exists() else 0
    except sqlite3.OperationalError:
        return 0


async def desk_bot(env: dict[str, str], cwd: Path, log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.support.run_bot",  # the start-up check finds the forum
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=out,
        )


async def test_sigkill_with_a_full_outbox_delivers_everything_once(
    telegram, backend, clock, tmp_path
):
    forum = make_forum(telegram)
    db_path = tmp_path / "data" / "bot.sqlite3"
    # Slow limits first (a group's 19 a minute takes 15 s), so the outbox is full when killed.
    env = bot_env(
        telegram, backend, db_path, clock, SUPPORT_CHAT_ID=str(forum["id"]), LOG_LEVEL="INFO"
    )
    people = [f.user(f"Customer{i}") for i in range(CUSTOMERS)]
    chats = [f.private_chat(p) for p in people]
    sent: list[tuple[int, int]] = []
    proc = await desk_bot({**env, "BOT_TEST_FLOOD_SCALE": "0.25"}, tmp_path, tmp_path / "1.log")
    try:
        for n in range(EACH):
            for person, chat in zip(people, chats, strict=True):
                msg = telegram.send_text(chat, person, f"{person['first_name']} #{n}")
                sent.append((chat["id"], msg["message_id"]))
        await eventually(
            lambda: count(db_path, DELIVERED) >= 3 and count(db_path, PENDING) >= 10,
            timeout=START_TIMEOUT,
        )
    finally:
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
    assert rows(db_path, PENDING)[0][0] > 0

    proc = await desk_bot({**env, "BOT_TEST_FLOOD_SCALE": "0.05"}, tmp_path, tmp_path / "2.log")
    try:
        await eventually(lambda: rows(db_path, PENDING) == [(0,)], timeout=START_TIMEOUT)
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), timeout=20)
    assert proc.returncode == 0, (tmp_path / "2.log").read_text()[-2000:]

    await wait_topics(telegram, forum["id"], CUSTOMERS + 1)  # and the Alerts topic
    names = [t.name for t in topics(telegram, forum["id"], deleted=True)]
    assert names.count("Оповещения") == 1 and len(names) == CUSTOMERS + 1
    copied = [(c.from_chat_id, c.from_message_id) for c in copies_to(telegram, forum["id"])]
    assert Counter(copied) == Counter(sent)  # every message once
    for chat in chats:
        mine = [m for c, m in copied if c == chat["id"]]
        assert mine == sorted(mine)  # and in order
    for log in ("1.log", "2.log"):
        text = (tmp_path / log).read_text()
        assert "Traceback" not in text and " ERROR " not in text, text[-3000:]
