"""The bot's own membership: added, promoted, removed, and groups upgraded to supergroups."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ChatMemberUpdated, Message

from bot.outbound.delivery import Delivery
from bot.outbound.desk_notes import DeskNotes
from bot.outbound.status_board import StatusBoard
from bot.transport.updates import chat_title
from bot.views.help import group_welcome
from storage.repository import Repository

logger = logging.getLogger(__name__)

GONE_STATUSES = frozenset({"kicked", "left"})
GROUP_TYPES = frozenset({"group", "supergroup"})


async def on_my_chat_member(
    event: ChatMemberUpdated,
    repo: Repository,
    board: StatusBoard,
    delivery: Delivery,
    user_language: str,
    desk_notes: DeskNotes,
) -> None:
    """Receives a change of the bot's own membership in a chat."""
    chat = event.chat
    status = event.new_chat_member.status
    if chat.type == "private" and (status in GONE_STATUSES) != (
        event.old_chat_member.status in GONE_STATUSES
    ):
        await desk_notes.blocked(chat.id, status in GONE_STATUSES)  # noted in their topic
    if status in GONE_STATUSES:
        logger.info("bot removed from chat %s (%s)", chat.id, status)
        await repo.set_chat_active(chat.id, False)
        return
    await repo.upsert_chat(chat.id, chat.type, chat_title(chat))
    if chat.type == "private":
        await repo.adopt_chat_language(chat.id, user_language)
    was_outside = event.old_chat_member.status in GONE_STATUSES
    if was_outside and chat.type in GROUP_TYPES:
        await delivery.send(chat.id, group_welcome(can_pin=_can_pin(event)))
    # Came back or was promoted: the status may now be pinnable.
    await board.refresh(chat.id)


def _can_pin(event: ChatMemberUpdated) -> bool:
    member = event.new_chat_member
    return member.status == "administrator" and bool(getattr(member, "can_pin_messages", False))


async def on_migration_message(message: Message, repo: Repository, board: StatusBoard) -> None:
    """Receives the service message of a group upgraded to a supergroup (either side)."""
    if message.migrate_to_chat_id:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    else:
        old_id, new_id = message.migrate_from_chat_id or 0, message.chat.id
    logger.info("chat %s migrated to %s", old_id, new_id)
    await repo.migrate_chat(old_id, new_id)
    await board.refresh(new_id)


async def is_migration(message: Message) -> bool:
    """A group's move to a supergroup. Async on purpose: aiogram runs a sync filter (a magic
    F filter too) in a worker thread, and this one sees every message."""
    return bool(message.migrate_to_chat_id or message.migrate_from_chat_id)


def get_router() -> Router:
    router = Router(name="membership")
    router.my_chat_member.register(on_my_chat_member)
    router.message.register(on_migration_message, is_migration)
    return router
