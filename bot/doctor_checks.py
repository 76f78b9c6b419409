"""The checks behind `python -m bot doctor`: each returns report lines, never raises."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramUnauthorizedError,
)
from aiogram.types import ChatMemberAdministrator, ChatMemberOwner, User

from bot.licensing.backend import LicenseBackend
from bot.licensing.models import Found, Misconfigured, NotFound

OK, WARN, FAIL = "✓", "!", "✗"
# A Request ID no license can have: the backend must answer 404 for it.
NO_SUCH_REQUEST_ID = "00000000-0000-4000-8000-000000000000"
TELEGRAM_TIMEOUT = 10
# How LicenseBackend names the failures where no HTTP answer came back at all.
_UNREACHABLE = ("cannot connect", "connect timeout", "timeout", "timed out", "connection error")


@dataclass(frozen=True)
class Line:
    """One line of the report: a mark, what was checked, what was seen, what to do."""

    mark: str
    name: str
    text: str
    todo: str | None = None


def _ms(started: float) -> str:
    return f"{(time.monotonic() - started) * 1000:.0f} ms"


async def check_telegram(bot: Bot, api_url: str) -> tuple[list[Line], User | None]:
    """getMe: is the Bot API server there, and does it accept the token?"""
    started = time.monotonic()
    server = "Bot API server"
    try:
        me = await bot.get_me(request_timeout=TELEGRAM_TIMEOUT)
    except TelegramUnauthorizedError:
        return [
            Line(OK, server, f"{api_url} answered ({_ms(started)})"),
            Line(
                FAIL,
                "bot token",
                "rejected by Telegram (401 Unauthorized)",
                "copy the token from @BotFather into BOT_TOKEN",
            ),
        ], None
    except TelegramNetworkError as exc:
        todo = "check TELEGRAM_API_URL, DNS, the firewall or proxy; the bot waits for it"
        return [Line(FAIL, server, f"{api_url} unreachable: {_short(exc)}", todo)], None
    except TelegramAPIError as exc:
        todo = "is TELEGRAM_API_URL a Bot API server? is BOT_TOKEN complete?"
        return [Line(FAIL, server, f"{api_url} answered: {_short(exc)}", todo)], None
    return [
        Line(OK, server, f"{api_url} answered ({_ms(started)})"),
        Line(OK, "bot token", f"accepted: @{me.username} (id {me.id})"),
    ], me


async def check_backend(url: str, token: str | None, **options: Any) -> Line:
    """A Request ID that cannot exist must come back 404: the URL and token are right."""
    name = "license backend"
    started = time.monotonic()
    async with LicenseBackend(url, token, failure_threshold=1000, **options) as backend:
        result = await backend.check(NO_SUCH_REQUEST_ID)
    took = _ms(started)
    if isinstance(result, NotFound):
        return Line(
            OK, name, f"{url} answered 404 for an unknown Request ID, as it should ({took})"
        )
    if isinstance(result, Misconfigured):
        return Line(
            FAIL,
            name,
            f"{url}: token rejected (HTTP {result.status_code}, {took})",
            "check LICENSE_API_TOKEN, and that LICENSE_API_URL is the API's base URL",
        )
    if isinstance(result, Found):
        return Line(
            FAIL,
            name,
            f"{url} answered 200 for a Request ID that cannot exist ({took})",
            "LICENSE_API_URL must be the base URL of GET {url}/checks/{request_id}",
        )
    if result.rate_limited:
        return Line(WARN, name, f"{url}: rate limited (429, {took}); it is up", None)
    if result.reason.startswith(_UNREACHABLE):
        what = f"{url} unreachable: {result.reason} ({took})"
        return Line(FAIL, name, what, "check LICENSE_API_URL and that the backend is up")
    return Line(
        FAIL,
        name,
        f"{url}: {result.reason} ({took})",
        "the backend is not answering by the contract: ask its operators",
    )


async def check_support_chat(bot: Bot, me: User, chat_id: int) -> Line:
    """Is the bot in SUPPORT_CHAT_ID, with which rights; is it a forum (the support desk)?"""
    name = "support chat"
    todo = "add the bot to that group as an administrator, or correct SUPPORT_CHAT_ID"
    try:
        chat = await bot.get_chat(chat_id, request_timeout=TELEGRAM_TIMEOUT)
        member = await bot.get_chat_member(chat_id, me.id, request_timeout=TELEGRAM_TIMEOUT)
    except TelegramNetworkError as exc:
        return Line(FAIL, name, f"{chat_id}: could not ask Telegram ({_short(exc)})", None)
    except (TelegramBadRequest, TelegramForbiddenError) as exc:
        return Line(FAIL, name, f"{chat_id}: the bot is not a member ({_short(exc)})", todo)
    except TelegramAPIError as exc:
        return Line(FAIL, name, f"{chat_id}: Telegram answered {_short(exc)}", None)
    title = f"{chat_id} «{chat.title or chat.full_name}»"
    if chat.type == "private":
        return Line(WARN, name, f"{title} is a private chat: support desk off", None)
    if member.status in ("left", "kicked"):
        return Line(FAIL, name, f"{title}: the bot is not a member ({member.status})", todo)
    desk = "support desk will be on" if chat.is_forum else "not a forum: support desk off"
    if not isinstance(member, ChatMemberAdministrator | ChatMemberOwner):
        return Line(
            WARN,
            name,
            f"{title}: member, not an administrator (it cannot pin); {desk}",
            "make the bot an administrator with «Pin messages»",
        )
    rights = _rights(member)
    if "pin" not in rights:
        return Line(WARN, name, f"{title}: administrator without the pin right; {desk}", None)
    if chat.is_forum and "manage topics" not in rights:
        return Line(
            WARN,
            name,
            f"{title}: administrator ({', '.join(rights)}); a forum, but the bot may not "
            "manage topics: the support desk cannot open them",
            "grant the bot «Manage topics»",
        )
    return Line(OK, name, f"{title}: administrator ({', '.join(rights)}); {desk}")


def _rights(member: ChatMemberAdministrator | ChatMemberOwner) -> list[str]:
    if isinstance(member, ChatMemberOwner):
        return ["owner"]
    wanted = {"pin": member.can_pin_messages, "delete": member.can_delete_messages}
    wanted["manage topics"] = bool(member.can_manage_topics)
    return [right for right, granted in wanted.items() if granted]


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split()).removeprefix("HTTP Client says - ")
    return text[:160]
