"""`python -m bot` as a process: SIGTERM finishes the running paste; a second one forces exit.

Logs are JSON here (LOG_FORMAT=json): every line must parse and none may hold a secret.
"""

from __future__ import annotations

import asyncio
import json
import signal
from datetime import timedelta
from typing import Any

from tests import factories as f
from tests.support.disk import rows
from tests.support.processes import bot_env, spawn_bot
from tests.support.widget import widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
WEBHOOK_SECRET = "never-logged-webhook-secret"


async def read_until(stream: asyncio.StreamReader, needle: str, lines: list[str]) -> None:
    """Collect stderr lines until one contains `needle` (the process is mid-way, not done)."""
    async with asyncio.timeout(30):
        while True:
            line = (await stream.readline()).decode()
            if not line:
                raise AssertionError(f"stderr ended before {needle!r}:\n" + "".join(lines))
            lines.append(line)
            if needle in line:
                return


async def held_paste(
    telegram, backend, clock, tmp_path, **env: str
) -> tuple[Any, dict[str, Any], Any]:
    """A bot process whose one paste waits on the backend; returns (process, chat, db)."""
    db_path = tmp_path / "data" / "bot.sqlite3"
    backend.add(RID, expires_on=clock.today() + timedelta(days=90))
    backend.fault("hold", request_id=RID)
    proc = await spawn_bot(bot_env(telegram, backend, db_path, clock, **env), tmp_path)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, clock.today() + timedelta(days=90)))
    await backend.wait_calls(RID, 1, timeout=30)
    return proc, chat, db_path


async def test_sigterm_finishes_the_running_paste_and_logs_json_lines(
    telegram, backend, clock, tmp_path
):
    proc, chat, db_path = await held_paste(
        telegram, backend, clock, tmp_path, LOG_FORMAT="json", WEBHOOK_SECRET=WEBHOOK_SECRET
    )
    assert proc.stderr is not None
    lines: list[str] = []
    proc.send_signal(signal.SIGTERM)
    await read_until(proc.stderr, "finishing 1 running update", lines)
    backend.release()  # the backend answers after the stop was asked for
    _out, rest = await asyncio.wait_for(proc.communicate(), timeout=15)
    lines += rest.decode().splitlines(keepends=True)

    assert proc.returncode == 0, "".join(lines)[-2000:]
    [answer] = telegram.sent_to(chat["id"])  # the status, pinned, is the answer
    assert answer.message_id == telegram.pinned.get(chat["id"])
    assert "Техническая поддержка в этом чате" in answer.plain_text
    assert rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)]
    events = [json.loads(line) for line in lines if line.strip()]  # every line parses
    [paste] = [e for e in events if e.get("verdict")]
    assert paste["chat_id"] == chat["id"]
    assert paste["request_id"] == RID[:8]
    assert paste["verdict"] == "found"
    assert isinstance(paste["ms"], int)
    assert {"time", "level", "logger", "message"} <= set(paste)
    text = "".join(lines)
    for secret in (telegram.token, "backend-secret-token", WEBHOOK_SECRET):
        assert secret not in text
    assert "Traceback" not in text


async def test_second_sigterm_forces_exit_and_leaves_the_update_on_disk(
    telegram, backend, clock, tmp_path
):
    proc, chat, db_path = await held_paste(telegram, backend, clock, tmp_path)
    assert proc.stderr is not None
    lines: list[str] = []
    proc.send_signal(signal.SIGTERM)
    await read_until(proc.stderr, "finishing 1 running update", lines)
    proc.send_signal(signal.SIGTERM)
    _out, rest = await asyncio.wait_for(proc.communicate(), timeout=3)

    assert proc.returncode == 1
    assert "forced exit (second SIGTERM)" in rest.decode()
    assert telegram.sent_to(chat["id"]) == []
    assert len(rows(db_path, "SELECT update_id FROM inbox")) == 1  # answered after a restart
    backend.release()
