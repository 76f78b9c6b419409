"""Pieces of running as a service: JSON log lines, forced shutdown, settings, health."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from typing import Any, cast

import pytest

from bot.config import Settings, read_settings
from bot.licensing.models import Misconfigured, NotFound, Unavailable
from bot.logs import JsonFormatter, RedactSecrets
from bot.metrics import Metrics, error_kind
from bot.runner import EXIT_FORCED, Shutdown
from bot.transport.polling import DurablePolling
from bot.transport.webhook import webhook_path

TOKEN = "123456:SECRET-TOKEN-VALUE"


def json_line(record: logging.LogRecord, secrets: list[str]) -> dict[str, object]:
    RedactSecrets(secrets).filter(record)
    return json.loads(JsonFormatter().format(record))


def test_json_line_carries_event_fields_and_no_secret() -> None:
    record = logging.LogRecord("bot.x", logging.INFO, __file__, 1, "token %s", (TOKEN,), None)
    record.chat_id, record.verdict, record.ms = -100123, "found", 42
    line = json_line(record, [TOKEN])
    assert line["message"] == "token [secret]"
    assert (line["chat_id"], line["verdict"], line["ms"]) == (-100123, "found", 42)
    assert line["level"] == "INFO" and line["logger"] == "bot.x"


def test_json_line_traceback_is_redacted_and_one_line() -> None:
    try:
        raise RuntimeError(f"failed with {TOKEN}")
    except RuntimeError:
        record = logging.LogRecord("bot", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    RedactSecrets([TOKEN]).filter(record)
    text = JsonFormatter().format(record)
    assert "\n" not in text and TOKEN not in text
    assert "RuntimeError: failed with [secret]" in json.loads(text)["exception"]


async def test_second_signal_forces_exit_at_once() -> None:
    codes: list[int] = []
    stop = asyncio.Event()
    shutdown = Shutdown(stop, force_after=60, exit_now=codes.append)
    shutdown("SIGTERM")
    assert stop.is_set() and codes == []
    shutdown("SIGTERM")
    assert codes == [EXIT_FORCED]
    shutdown.cancel()


async def test_a_stop_that_takes_too_long_is_forced() -> None:
    forced = asyncio.Event()
    shutdown = Shutdown(asyncio.Event(), force_after=0.01, exit_now=lambda code: forced.set())
    shutdown("SIGTERM")
    await asyncio.wait_for(forced.wait(), timeout=5)


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"webhook_url": "https://bot.example.com/hook"}, "WEBHOOK_SECRET is required"),
        ({"webhook_url": "http://bot.example.com/hook", "webhook_secret": "s"}, "WEBHOOK_URL"),
        ({"webhook_url": "https://b.example/h", "webhook_secret": "a b"}, "WEBHOOK_SECRET"),
        ({"metrics_listen": "9100"}, "METRICS_LISTEN must be host:port"),
        ({"log_format": "xml"}, "LOG_FORMAT"),
    ],
)
def test_service_settings_are_checked(overrides: dict[str, str], problem: str) -> None:
    settings, problems = read_settings(
        Settings,
        bot_token=TOKEN,
        license_api_url="http://127.0.0.1:9",
        _env_file=None,
        **overrides,
    )
    assert settings is None
    assert any(p.startswith(problem) for p in problems), problems


def test_webhook_path_comes_from_the_url() -> None:
    assert webhook_path("https://bot.example.com/telegram/hook/") == "/telegram/hook"
    assert webhook_path("https://bot.example.com") == "/webhook"


def test_backend_failures_have_short_kinds() -> None:
    rid = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
    assert error_kind(Unavailable(rid, "timed out: no complete answer within 20 s")) == "timeout"
    assert error_kind(Unavailable(rid, "cannot connect: refused")) == "connect"
    assert error_kind(Unavailable(rid, "backend unavailable (circuit open)")) == "circuit_open"
    assert error_kind(Misconfigured(rid, 401, "check the token")) == "http_401"
    assert error_kind(NotFound(rid)) is None


def test_each_app_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.pastes.inc()
    assert b"bot_pastes_total 1.0" in first.render()
    assert b"bot_pastes_total 0.0" in second.render()


def test_polling_is_unhealthy_until_answered_and_when_silent_too_long() -> None:
    polling = DurablePolling(cast(Any, None), cast(Any, None), cast(Any, None), poll_timeout=25)
    assert polling.problem(1000.0, 85) == "Telegram has not answered getUpdates yet"
    polling.last_answer = 990.0
    assert polling.problem(1000.0, 85) is None
    assert polling.problem(1100.0, 85) == "no getUpdates answer for 110 s"
