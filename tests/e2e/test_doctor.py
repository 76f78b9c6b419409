"""`python -m bot doctor` against a healthy setup and against each broken part."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import Clock
from bot.doctor import diagnose, format_report
from bot.doctor_checks import FAIL, OK, WARN, Line
from storage.db import Database
from storage.migrations import MIGRATIONS
from tests import factories as f
from tests.support.clocks import TZ

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2030, 3, 10, 14, 5, tzinfo=TZ)


def by_name(lines: list[Line]) -> dict[str, Line]:
    return {line.name: line for line in lines}


async def make_database(path: Path) -> None:
    db = Database(path)
    await db.connect()
    await db.close()


@pytest.fixture
async def agents(telegram) -> dict:
    chat = f.supergroup("Agents")
    telegram.set_chat(chat)
    return chat


async def run(settings) -> list[Line]:
    return await diagnose(settings, clock=Clock(TZ, start=NOW), backend_options={"timeout": 2.0})


async def test_healthy_setup_is_all_ticks(make_settings, agents, db_path, telegram):
    await make_database(db_path)
    lines = await run(make_settings(support_chat_id=agents["id"]))
    report = format_report(lines)
    assert [line.mark for line in lines] == [OK] * len(lines), report
    checks = by_name(lines)
    assert set(checks) == {
        "time zone",
        "database",
        "Bot API server",
        "bot token",
        "support chat",
        "license backend",
    }
    assert checks["time zone"].text == "Europe/Moscow: now 2030-03-10 14:05 MSK (UTC+0300)"
    assert checks["bot token"].text == f"accepted: @{telegram.bot_username} (id {telegram.bot_id})"
    latest = len(MIGRATIONS)
    assert f"integrity ok, schema {latest} of {latest}; 0 chats (0 active), 0 licenses" in (
        checks["database"].text
    )
    assert "answered 404 for an unknown Request ID" in checks["license backend"].text
    assert checks["license backend"].text.endswith(" ms)")
    assert "administrator (pin, delete); not a forum: support desk off" in (
        checks["support chat"].text
    )
    assert report.endswith("no problems, 0 warning(s)\n")


async def test_bad_token(make_settings, db_path):
    await make_database(db_path)
    checks = by_name(await run(make_settings(bot_token="42:not-the-token")))
    assert checks["Bot API server"].mark == OK
    token = checks["bot token"]
    assert (token.mark, token.text) == (FAIL, "rejected by Telegram (401 Unauthorized)")
    assert "@BotFather" in (token.todo or "")
    assert "not-the-token" not in format_report(list(checks.values()))


async def test_telegram_unreachable(make_settings, telegram, db_path):
    await make_database(db_path)
    await telegram.stop()
    checks = by_name(await run(make_settings()))
    server = checks["Bot API server"]
    assert server.mark == FAIL and "unreachable" in server.text
    assert "bot token" not in checks


async def test_backend_rejects_the_token(make_settings, db_path):
    await make_database(db_path)
    checks = by_name(await run(make_settings(license_api_token="wrong-token")))
    backend = checks["license backend"]
    assert backend.mark == FAIL
    assert "token rejected (HTTP 401" in backend.text
    assert "LICENSE_API_TOKEN" in (backend.todo or "")
    assert "wrong-token" not in format_report(list(checks.values()))


async def test_backend_forbids(make_settings, backend, db_path):
    await make_database(db_path)
    backend.fault("403")
    backend_line = by_name(await run(make_settings()))["license backend"]
    assert backend_line.mark == FAIL and "token rejected (HTTP 403" in backend_line.text


async def test_backend_down(make_settings, backend, db_path):
    await make_database(db_path)
    settings = make_settings()
    await backend.stop()
    line = by_name(await run(settings))["license backend"]
    assert line.mark == FAIL
    assert f"{settings.license_api_url} unreachable: cannot connect" in line.text


async def test_backend_timeout_is_unreachable(make_settings, backend, db_path):
    await make_database(db_path)
    backend.fault("timeout")
    lines = await diagnose(
        make_settings(),
        clock=Clock(TZ, start=NOW),
        backend_options={"timeout": 0.3, "connect_timeout": 0.3},
    )
    line = by_name(lines)["license backend"]
    assert line.mark == FAIL and "unreachable: timeout" in line.text


async def test_backend_server_error(make_settings, backend, db_path):
    await make_database(db_path)
    backend.set_down(503)
    line = by_name(await run(make_settings()))["license backend"]
    assert line.mark == FAIL and "server error 503" in line.text


async def test_bot_not_a_member_of_the_support_chat(make_settings, db_path, telegram):
    await make_database(db_path)
    unknown = by_name(await run(make_settings(support_chat_id=-100777)))["support chat"]
    assert unknown.mark == FAIL
    assert unknown.text.startswith("-100777: the bot is not a member (")
    assert "SUPPORT_CHAT_ID" in (unknown.todo or "")

    kicked = f.supergroup("Agents")
    telegram.set_chat(kicked)
    telegram.block(kicked["id"])
    line = by_name(await run(make_settings(support_chat_id=kicked["id"])))["support chat"]
    assert line.mark == FAIL and "not a member" in line.text and "kicked" in line.text


async def test_support_chat_rights_and_forum(make_settings, db_path, telegram):
    await make_database(db_path)
    plain = f.supergroup("Agents")
    telegram.set_chat(plain, admin=False)
    line = by_name(await run(make_settings(support_chat_id=plain["id"])))["support chat"]
    assert line.mark == WARN and "member, not an administrator" in line.text

    forum = f.supergroup("Desk", is_forum=True)
    telegram.set_chat(forum)
    line = by_name(await run(make_settings(support_chat_id=forum["id"])))["support chat"]
    assert line.mark == WARN
    assert "a forum, but the bot may not manage topics" in line.text
    assert line.todo == "grant the bot «Manage topics»"


async def test_support_chat_not_set_is_a_warning(make_settings, db_path):
    await make_database(db_path)
    line = by_name(await run(make_settings()))["support chat"]
    assert line.mark == WARN and "SUPPORT_CHAT_ID is not set" in line.text


async def test_corrupt_database(make_settings, db_path):
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_bytes(b"this is not a database, just garbage\n" * 200)
    line = by_name(await run(make_settings()))["database"]
    assert line.mark == FAIL
    assert "cannot be read: file is not a database" in line.text
    assert db_path.read_bytes().startswith(b"this is not a database")  # untouched


async def test_missing_database_is_a_warning_and_not_created(make_settings, db_path):
    line = by_name(await run(make_settings()))["database"]
    assert line.mark == WARN and "no file at" in line.text
    assert not db_path.exists()


async def test_counts_what_is_stored(make_settings, db_path):
    await make_database(db_path)
    db = Database(db_path)
    await db.connect()
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO chats (chat_id, type, title, active, created_at, updated_at)"
            " VALUES (1, 'private', 'A', 1, '', ''), (2, 'private', 'B', 0, '', '')"
        )
        await conn.execute(
            "INSERT INTO inbox (update_id, payload, received_at) VALUES (7, '{}', '')"
        )
    # The bot keeps its connection (and a write transaction) open: doctor still reads.
    async with db.transaction():
        line = by_name(await run(make_settings()))["database"]
    await db.close()
    assert line.mark == OK
    assert "2 chats (1 active), 0 licenses, 0 pending checks, 1 queued updates" in line.text


def doctor_env(telegram, backend, db_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BOT_TOKEN", "LICENSE_API_URL", "SUPPORT_CHAT_ID", "LOG_LEVEL")
    }
    env.update(
        PYTHONPATH=str(ROOT),
        BOT_TOKEN=telegram.token,
        TELEGRAM_API_URL=telegram.url,
        LICENSE_API_URL=backend.url,
        LICENSE_API_TOKEN="backend-secret-token",
        DATABASE_PATH=str(db_path),
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v}


async def doctor(env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "doctor",
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_command_exits_zero_when_healthy(telegram, backend, agents, db_path, tmp_path):
    await make_database(db_path)
    env = doctor_env(telegram, backend, db_path, SUPPORT_CHAT_ID=str(agents["id"]))
    code, out, err = await doctor(env, tmp_path)
    assert (code, err) == (0, ""), out
    lines = out.splitlines()
    assert [line[0] for line in lines[:-1]] == [OK] * 7, out
    assert lines[0] == f"{OK} settings         every setting is present and valid"
    assert lines[-1] == "no problems, 0 warning(s)"
    assert telegram.token not in out and "backend-secret-token" not in out


async def test_command_exits_non_zero_on_failures(telegram, backend, db_path, tmp_path):
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_bytes(b"garbage" * 1000)
    env = doctor_env(telegram, backend, db_path, BOT_TOKEN="")
    code, out, err = await doctor(env, tmp_path)
    assert code == 1, out + err
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f"{FAIL} settings         BOT_TOKEN is required"
    assert lines[1].strip() == "→ set it in .env or the environment (see .env.example)"
    # Without a full set of settings the database and time zone are still checked.
    assert any(line.startswith(f"{OK} time zone") for line in lines)
    assert any(line.startswith(f"{FAIL} database") for line in lines)
    assert not any("Bot API server" in line for line in lines)
    assert lines[-1].startswith("2 problem(s)")
