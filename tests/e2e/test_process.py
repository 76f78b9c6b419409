"""`python -m bot` as a real process: clean SIGTERM, a clear settings error, crash recovery.

The processes run through tests.support.run_bot: `python -m bot` on the test's clock."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta

from tests import factories as f
from tests.support.disk import eventually, rows
from tests.support.processes import START_TIMEOUT, bot_env, process_env, spawn_bot
from tests.support.widget import ru, widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"


async def test_missing_setting_stops_with_one_clear_line(tmp_path):
    env = process_env(drop=["LICENSE_API_TOKEN"], LICENSE_API_URL="http://127.0.0.1:9")
    proc = await spawn_bot(env, tmp_path)
    _out, err = await asyncio.wait_for(proc.communicate(), timeout=START_TIMEOUT)
    assert proc.returncode == 2
    lines = err.decode().strip().splitlines()
    assert lines == ["configuration error: BOT_TOKEN is required"]


async def test_sigterm_stops_cleanly(telegram, backend, clock, tmp_path):
    db_path = tmp_path / "data" / "bot.sqlite3"
    proc = await spawn_bot(bot_env(telegram, backend, db_path, clock), tmp_path)
    await telegram.wait_for(lambda: telegram.calls_to("getUpdates"), timeout=START_TIMEOUT)
    proc.send_signal(signal.SIGTERM)
    _out, err = await asyncio.wait_for(proc.communicate(), timeout=15)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert b"Traceback" not in err
    assert telegram.token.encode() not in err
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]


async def test_paste_taken_but_unanswered_is_answered_after_crash(
    telegram, backend, start_bot, clock, tmp_path
):
    db_path = tmp_path / "data" / "bot.sqlite3"
    expires = clock.today() + timedelta(days=90)
    backend.add(RID, expires_on=expires)
    backend.fault("hold", request_id=RID)  # the first run never hears back
    proc = await spawn_bot(bot_env(telegram, backend, db_path, clock), tmp_path)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    update_id = telegram.push_update(
        f.message_update(f.message(chat, alice, widget_text(RID, expires)))
    )
    await backend.wait_calls(RID, 1, timeout=START_TIMEOUT)
    # Telegram has been told the update is done: only the bot's disk still has it.
    await telegram.wait_for(lambda: telegram.confirmed_offset > update_id, timeout=30)
    proc.kill()
    await proc.wait()
    assert telegram.sent_to(chat["id"]) == []

    backend.clear_faults()
    backend.release()
    await start_bot(database_path=db_path)
    pinned = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]), timeout=15)
    assert f"до {ru(expires)}" in telegram.message(chat["id"], pinned).plain_text
    [answer] = telegram.sent_to(chat["id"])  # the status, pinned, is the answer
    assert answer.message_id == pinned and answer.reply_to_message_id is not None
    await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)])


async def test_rejected_bot_token_stops_with_one_clear_line(telegram, backend, clock, tmp_path):
    db_path = tmp_path / "data" / "bot.sqlite3"
    env = bot_env(telegram, backend, db_path, clock, BOT_TOKEN="42:not-the-token-telegram-knows")
    proc = await spawn_bot(env, tmp_path)
    _out, err = await asyncio.wait_for(proc.communicate(), timeout=START_TIMEOUT)
    assert proc.returncode == 2
    assert err.decode().strip().splitlines()[-1] == (
        "configuration error: BOT_TOKEN was rejected by Telegram"
    )
    assert b"not-the-token" not in err
