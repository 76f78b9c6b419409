"""The support desk's relay: customers' private messages to their topic, agents' back.

Customer → topic is a message middleware on the Dispatcher (private chats), not a first
router that raises SkipHandler: it must queue the message before any handler runs and
whatever they do (paste, help, a failing handler), and it also runs after them — a paste
that stored a license is followed by a refresh of the topic's name and card. A router
would see only what reaches it and could not act after the paste was answered.

Agent → customer is a router placed before the others: a non-command message from a person
in a customer's topic is queued for the customer and goes nowhere else (`!` notes too).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Dispatcher, Router
from aiogram.filters import BaseFilter
from aiogram.types import Message, TelegramObject

from bot.handlers.filters import PERSON_CONTENT, FromPerson
from bot.licensing.parser import parse_claims
from bot.outbound.desk import SupportDesk
from bot.outbound.outbox import Outbox
from storage.records import Conversation
from storage.repository import Repository

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

NOTE_MARK = "!"


def is_command(message: Message) -> bool:
    return (message.text or "").startswith("/")


def _from_person(message: Message) -> bool:
    sender = message.from_user
    return sender is not None and not sender.is_bot and not message.is_automatic_forward


class CustomerRelay(BaseMiddleware):
    """Queues every private message of a customer (and its edits) for their topic."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        desk: SupportDesk | None = data.get("desk")
        outbox: Outbox | None = data.get("outbox")
        if not (
            isinstance(event, Message)
            and desk is not None
            and outbox is not None
            and desk.enabled
            and event.chat.type == "private"
            and _from_person(event)
            and event.content_type in PERSON_CONTENT
            and not is_command(event)
        ):
            return await handler(event, data)
        await outbox.from_customer(event)
        with outbox.handling(event.chat.id):
            result = await handler(event, data)
        text = event.text or event.caption
        if text and parse_claims(text):  # a paste: the card and name may change
            key = f"r:{event.chat.id}:{event.message_id}:{event.edit_date or 0}"
            await outbox.refresh_later(event.chat.id, dedup=key)
        return result

    def setup(self, dp: Dispatcher) -> None:
        dp.message.outer_middleware(self)
        dp.edited_message.outer_middleware(self)


class InCustomerTopic(BaseFilter):
    """A person's non-command message in a customer's topic of the desk's forum."""

    async def __call__(
        self, message: Message, desk: SupportDesk, repo: Repository
    ) -> bool | dict[str, Any]:
        thread = message.message_thread_id
        if not desk.is_forum_chat(message.chat.id) or thread is None:
            return False
        if not message.is_topic_message or message.content_type not in PERSON_CONTENT:
            return False
        if is_command(message):
            return False
        conversation = await repo.conversation_by_topic(thread)
        return {"conversation": conversation} if conversation is not None else False


async def on_agent_message(message: Message, outbox: Outbox, conversation: Conversation) -> None:
    """Receives an agent's message (or edit) in a customer's topic: relayed to them."""
    text = message.text or message.caption or ""
    if text.startswith(NOTE_MARK):
        return  # an internal note for colleagues
    await outbox.from_agent(message, conversation)


def get_router() -> Router:
    router = Router(name="desk_relay")
    router.message.filter(FromPerson())
    router.edited_message.filter(FromPerson())
    router.message.register(on_agent_message, InCustomerTopic())
    router.edited_message.register(on_agent_message, InCustomerTopic())
    return router
