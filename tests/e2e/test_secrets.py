"""BOT_TOKEN and LICENSE_API_TOKEN never appear in logs, error messages or anything sent.

In-process, every log record at DEBUG (the bot's and its libraries') is searched while the
bot goes through faults that log errors with tracebacks; then the real process is searched:
its stderr at LOG_LEVEL=DEBUG, `python -m bot check` and settings errors.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta
from pathlib import Path

import pytest

from tests import factories as f
from tests.support.agents_chat import alerts_in, wait_alerts
from tests.support.bots import QUICK_BACKEND, FastBots
from tests.support.disk import eventually, rows
from tests.support.processes import START_TIMEOUT, process_env, spawn_bot
from tests.support.widget import widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
API_TOKEN = "backend-secret-token"  # conftest's backend accepts this one
SUPPORT_CHAT = -1009999999999


def secrets_of(telegram) -> list[str]:
    return [telegram.token, telegram.token.split(":", 1)[1], API_TOKEN]


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [secret for secret in secrets if secret in text]


async def test_logs_and_messages_never_show_the_tokens(
    telegram, backend, make_settings, caplog, db_path
):
    caplog.set_level(logging.DEBUG)
    bots = FastBots(make_settings)
    bot = await bots.start(backend_options=QUICK_BACKEND, support_chat_id=str(SUPPORT_CHAT))
    try:
        expires = bot.app.clock.today() + timedelta(days=30)
        backend.add(RID, expires_on=expires)
        backend.fault("401", times=2)  # the operator alert quotes the error, not the token
        telegram.fail_get_updates_network(1)
        alice = f.user("Alice")
        chat = f.private_chat(alice)
        telegram.fail_next(
            "sendMessage",
            error_code=400,
            chat_id=chat["id"],
            description="Bad Request: can't parse entities: boom",
        )
        telegram.send_text(chat, alice, widget_text(RID, expires))  # the answer fails: a traceback
        await wait_alerts(telegram, SUPPORT_CHAT, 1)
        telegram.send_text(chat, alice, "/help")
        await telegram.wait_for(lambda: len(telegram.sent_to(chat["id"])) >= 2)
        backend.set_down(503)  # the circuit opens: warnings, an alert
        other = f.private_chat(f.user("Bob"))
        telegram.send_text(other, f.user("Bob"), widget_text(RID, expires))
        await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM pending_checks") != [(0,)])
    finally:
        await bots.stop_all()
    assert any(r.levelno >= logging.ERROR and r.exc_info for r in caplog.records)
    secrets = secrets_of(telegram)
    assert leaks(caplog.text, secrets) == []
    for record in caplog.records:
        assert leaks(record.getMessage(), secrets) == [], record.name
    shown = [m.text for m in telegram.sent] + [str(a) for a in telegram.callback_answers]
    assert leaks("\n".join(shown), secrets) == []


def bot_env(telegram, backend, db_path: Path, **extra: str) -> dict[str, str]:
    values = {
        "BOT_TOKEN": telegram.token,
        "TELEGRAM_API_URL": telegram.url,
        "LICENSE_API_URL": backend.url,
        "LICENSE_API_TOKEN": API_TOKEN,
        "DATABASE_PATH": str(db_path),
        "SUPPORT_CHAT_ID": str(SUPPORT_CHAT),
        "LOG_LEVEL": "DEBUG",
    }
    return process_env(**{**values, **extra})


async def run(env: dict[str, str], cwd: Path, *args: str, stdin: bytes = b"") -> tuple[int, str]:
    proc = await spawn_bot(env, cwd, *args, stdin=True)
    out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=START_TIMEOUT)
    assert proc.returncode is not None
    return proc.returncode, out.decode() + err.decode()


async def test_the_process_stderr_never_shows_the_tokens(telegram, backend, tmp_path):
    db_path = tmp_path / "data" / "bot.sqlite3"
    backend.fault("401")  # errors logged with the backend's answer; the token must not be
    telegram.fail_get_updates_network(1)
    proc = await spawn_bot(bot_env(telegram, backend, db_path), tmp_path)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, f"Request ID: {RID}")
    await telegram.wait_for(lambda: alerts_in(telegram, SUPPORT_CHAT), timeout=START_TIMEOUT)
    await telegram.wait_for(lambda: telegram.sent_to(chat["id"]), timeout=10)
    proc.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=15)
    stderr = out.decode() + err.decode()
    assert proc.returncode == 0, stderr[-2000:]
    assert " DEBUG " in stderr and "misconfigured (HTTP 401)" in stderr
    assert leaks(stderr, secrets_of(telegram)) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_TOKEN", "no-colon-secret-value"),
        ("LICENSE_API_TOKEN", "secret with spaces"),
        ("LICENSE_API_URL", "http://user:secret-password@127.0.0.1:9"),
    ],
)
async def test_a_bad_secret_setting_is_named_not_shown(telegram, backend, tmp_path, name, value):
    env = bot_env(telegram, backend, tmp_path / "db.sqlite3", **{name: value})
    code, output = await run(env, tmp_path)
    assert code == 2
    assert output.strip().splitlines() == [output.strip()]
    assert output.startswith(f"configuration error: {name} ")
    assert value.split("@")[0].rsplit(":", 1)[-1] not in output and "secret" not in output


async def test_check_command_reports_a_rejected_token_without_it(telegram, backend, tmp_path):
    backend.fault("401")
    env = bot_env(telegram, backend, tmp_path / "db.sqlite3")
    code, output = await run(env, tmp_path, "check", stdin=f"Request ID: {RID}".encode())
    assert code == 1 and "misconfigured" in output and "HTTP 401" in output
    assert leaks(output, secrets_of(telegram)) == []
