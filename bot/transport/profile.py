"""The bot's profile in Telegram: command menus per scope and language, and descriptions."""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.config import Settings
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from bot.views.help import (
    agent_command_menu,
    bot_description,
    bot_short_description,
    command_menu,
)

logger = logging.getLogger(__name__)

Scope = BotCommandScopeDefault | BotCommandScopeChat
Menu = Callable[[], list[tuple[str, str]]]


def menu_in(i18n: Translator, language: str, menu: Menu = command_menu) -> list[BotCommand]:
    with i18n.speaking(language):
        return [BotCommand(command=name, description=text) for name, text in menu()]


def menu_scopes(settings: Settings) -> list[tuple[Scope, Menu]]:
    """Customers everywhere; agents in their private chats and in the support chat."""
    scopes: list[tuple[Scope, Menu]] = [(BotCommandScopeDefault(), command_menu)]
    chats = sorted(settings.support_agent_ids)
    if settings.support_chat_id is not None and settings.support_chat_id not in chats:
        chats.append(settings.support_chat_id)
    scopes += [(BotCommandScopeChat(chat_id=chat_id), agent_command_menu) for chat_id in chats]
    return scopes


def scope_name(scope: Scope) -> str:
    return f"chat {scope.chat_id}" if isinstance(scope, BotCommandScopeChat) else "everyone"


def language_code(language: str) -> str | None:
    """Russian is everyone's default; other languages are set for apps in that language."""
    return None if language == DEFAULT_LANGUAGE else language


async def set_command_menus(bot: Bot, i18n: Translator, settings: Settings) -> None:
    for scope, menu in menu_scopes(settings):
        for language in LANGUAGES:
            try:
                await bot.set_my_commands(
                    menu_in(i18n, language, menu),
                    scope=scope,
                    language_code=language_code(language),
                )
            except TelegramAPIError as exc:
                # An agent who never opened the bot has no chat yet: the rest still get menus.
                logger.warning(
                    "could not set the %s command menu for %s: %s",
                    language,
                    scope_name(scope),
                    exc,
                )


async def set_descriptions(bot: Bot, i18n: Translator) -> None:
    for language in LANGUAGES:
        with i18n.speaking(language):
            description, short = bot_description(), bot_short_description()
        code = language_code(language)
        try:
            await bot.set_my_description(description, language_code=code)
            await bot.set_my_short_description(short, language_code=code)
        except TelegramAPIError as exc:
            logger.warning("could not set the %s description: %s", language, exc)


async def set_profile(bot: Bot, i18n: Translator, settings: Settings) -> None:
    """Menus and descriptions at start-up; a failure is logged and the bot runs on."""
    await set_command_menus(bot, i18n, settings)
    await set_descriptions(bot, i18n)
