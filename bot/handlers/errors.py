"""Errors from any handler, handled in one place: log, tidy up, tell the user briefly."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramMigrateToChat,
)
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.outbound.delivery import Delivery
from bot.transport.updates import update_chat_id
from bot.views.notices import error_generic

logger = logging.getLogger(__name__)


async def on_forbidden(event: ErrorEvent, delivery: Delivery) -> None:
    """Receives 403 from Telegram: the bot was blocked or removed from the chat."""
    chat_id = update_chat_id(event.update)
    if chat_id is not None:
        await delivery.chat_gone(chat_id, str(event.exception))


async def on_send_to_migrated_chat(event: ErrorEvent, delivery: Delivery) -> None:
    """Receives a send to a group that became a supergroup."""
    chat_id = update_chat_id(event.update)
    exc = event.exception
    if chat_id is not None and isinstance(exc, TelegramMigrateToChat):
        await delivery.chat_migrated(chat_id, exc.migrate_to_chat_id)


async def on_any_error(event: ErrorEvent, delivery: Delivery) -> None:
    """Receives any other failure: logs it and tells a private chat (or a button) to retry."""
    logger.error(
        "update %s failed: %s",
        event.update.update_id,
        event.exception,
        exc_info=(type(event.exception), event.exception, event.exception.__traceback__),
    )
    update = event.update
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(error_generic(), show_alert=True)
        except TelegramAPIError as exc:  # e.g. the query was answered before the failure
            logger.warning("could not answer the button press: %s", exc)
        return
    message = update.message or update.edited_message
    if message is None or message.chat.type != "private":
        return
    try:
        await delivery.send(message.chat.id, error_generic())
    except TelegramAPIError as exc:
        logger.warning("could not report the failure to chat %s: %s", message.chat.id, exc)


def get_router() -> Router:
    router = Router(name="errors")
    router.error.register(on_forbidden, ExceptionTypeFilter(TelegramForbiddenError))
    router.error.register(on_send_to_migrated_chat, ExceptionTypeFilter(TelegramMigrateToChat))
    router.error.register(on_any_error)
    return router
