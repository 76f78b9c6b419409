"""`python -m bot doctor`: one line per thing the bot depends on, ✓ / ! / ✗ and what to do."""

from __future__ import annotations

import asyncio
from typing import Any, TextIO

from bot.clock import Clock
from bot.config import Settings, StoreSettings, read_settings
from bot.doctor_checks import (
    FAIL,
    OK,
    WARN,
    Line,
    check_backend,
    check_support_chat,
    check_telegram,
)
from bot.doctor_db import check_database
from bot.logs import configure_logging

NAME_WIDTH = 16


def time_zone_line(settings: Settings | StoreSettings, clock: Clock | None = None) -> Line:
    now = (clock or Clock(settings.tz)).now()
    return Line(OK, "time zone", f"{settings.timezone}: now {now:%Y-%m-%d %H:%M %Z (UTC%z)}")


async def check_services(
    settings: Settings, backend_options: dict[str, Any] | None = None
) -> list[Line]:
    """Telegram (server, token, support chat) and the license backend."""
    from bot.transport.app import create_bot

    bot = create_bot(settings)
    try:
        lines, me = await check_telegram(bot, settings.telegram_api_url)
        chat_id = settings.support_chat_id
        if chat_id is None:
            lines.append(
                Line(
                    WARN,
                    "support chat",
                    "SUPPORT_CHAT_ID is not set: no operator alerts or digests; support desk off",
                    "set it to the agents' group id to get them",
                )
            )
        elif me is None:
            lines.append(Line(WARN, "support chat", f"{chat_id}: not checked (see above)"))
        else:
            lines.append(await check_support_chat(bot, me, chat_id))
    finally:
        await bot.session.close()
    options = backend_options or {"timeout": 5.0, "connect_timeout": 5.0}
    lines.append(await check_backend(settings.license_api_url, settings.backend_token, **options))
    return lines


async def diagnose(
    settings: Settings | StoreSettings,
    *,
    clock: Clock | None = None,
    backend_options: dict[str, Any] | None = None,
) -> list[Line]:
    """Every check the settings allow: only time zone and database without a full Settings."""
    lines = [time_zone_line(settings, clock), check_database(settings.database_path)]
    if isinstance(settings, Settings):
        lines += await check_services(settings, backend_options)
    return lines


def format_report(lines: list[Line]) -> str:
    out = []
    for line in lines:
        out.append(f"{line.mark} {line.name:<{NAME_WIDTH}} {line.text}")
        if line.todo:
            out.append(f"  {'':<{NAME_WIDTH}} → {line.todo}")
    failures = sum(line.mark == FAIL for line in lines)
    warnings = sum(line.mark == WARN for line in lines)
    if failures:
        out.append(f"{failures} problem(s), {warnings} warning(s): the bot will not work as is")
    else:
        out.append(f"no problems, {warnings} warning(s)")
    return "\n".join(out) + "\n"


def doctor_command(stdout: TextIO, **overrides: Any) -> int:
    """Print the report; 1 if anything failed, else 0."""
    settings, problems = read_settings(Settings, **overrides)
    lines: list[Line] = []
    target: Settings | StoreSettings | None = settings
    if settings is not None:
        secrets = [settings.bot_token.get_secret_value(), settings.backend_token]
        lines.append(Line(OK, "settings", "every setting is present and valid"))
    else:
        secrets = []
        todo = "set it in .env or the environment (see .env.example)"
        lines += [Line(FAIL, "settings", problem, todo) for problem in problems]
        target, _ = read_settings(StoreSettings, **overrides)
    # Libraries stay quiet unless LOG_LEVEL asks for more; secrets are redacted either way.
    configure_logging(secrets=secrets, level="CRITICAL")
    if target is not None:
        lines += asyncio.run(diagnose(target))
    stdout.write(format_report(lines))
    stdout.flush()
    return 1 if any(line.mark == FAIL for line in lines) else 0
