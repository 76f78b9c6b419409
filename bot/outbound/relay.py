"""Delivers the desk's outbox items: copies, edits and texts, to the topic or the customer.

`Courier.deliver` takes the oldest undelivered items of one customer, delivers the first
(or a batch of consecutive plain copies in one copyMessages call), and marks them delivered
together with their message links in one transaction. What Telegram refuses for good is
marked done with the reason and, where someone should know, followed by a note.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup, MessageEntity, ReactionTypeEmoji, ReplyParameters

from bot.i18n import ChatLanguages, person_language
from bot.outbound.desk import SupportDesk
from bot.outbound.topics import TopicKeeper, not_modified, thread_gone
from bot.views import desk_relay as texts
from storage.outbox import TO_CUSTOMER, TO_TOPIC, Link, OutboxItem
from storage.repository import Repository

logger = logging.getLogger(__name__)
T = TypeVar("T")

COPY = "copy"
EDIT = "edit"
NOTE = "note"  # a text by the bot in the topic
TEXT = "text"  # a text by the bot to the customer
REFRESH = "refresh"  # the topic's name and card, after a paste
MAX_BATCH = 10  # copies per copyMessages call (an album is never split); counts 10 of 19/min
REACTION = "👍"


@dataclass
class Outcome:
    """What became of the delivered items: links to keep, follow-ups, why given up."""

    links: list[Link] = field(default_factory=list)
    then: list[OutboxItem] = field(default_factory=list)
    error: str | None = None
    reactions: list[int] = field(default_factory=list)  # agents' messages to mark delivered


def batch_of(items: list[OutboxItem]) -> list[OutboxItem]:
    """The head, or the consecutive plain copies from it that can travel in one call."""
    head = items[0]
    if head.kind != COPY or head.payload.get("reply_to") or head.payload.get("reopen"):
        return [head]
    batch = [head]
    for item in items[1:]:
        plain = item.kind == COPY and not item.payload.get("reply_to")
        if not plain or item.direction != head.direction:
            break
        if item.source_message_id is None or batch[-1].source_message_id is None:
            break
        if item.source_message_id <= batch[-1].source_message_id:
            break
        batch.append(item)
    if len(batch) > MAX_BATCH:
        batch = batch[:MAX_BATCH]
        group = batch[-1].media_group_id
        if group is not None and items[len(batch)].media_group_id == group:
            # Never split an album: stop before it (unless it is all there is).
            whole = [i for i in batch if i.media_group_id != group]
            batch = whole or batch
    return batch


class Courier:
    """Delivers one item (or batch) of a customer's outbox."""

    def __init__(
        self,
        bot: Bot,
        repo: Repository,
        desk: SupportDesk,
        topics: TopicKeeper,
        languages: ChatLanguages,
    ) -> None:
        self.bot = bot
        self.repo = repo
        self.desk = desk
        self.topics = topics
        self.languages = languages

    async def deliver(self, items: list[OutboxItem]) -> list[OutboxItem]:
        """Deliver the head (or a batch) and mark it done; returns what was delivered.

        Transient failures (network, 5xx, 429 after the session's retries) raise."""
        batch = batch_of(items)
        head = batch[0]
        if head.direction == TO_TOPIC:
            outcome = await self._to_topic(batch)
        else:
            outcome = await self._to_customer(batch)
        await self.repo.outbox_done(
            [item.id for item in batch],
            time.time(),
            links=outcome.links,
            error=outcome.error,
            then=outcome.then,
        )
        for message_id in outcome.reactions:
            await self._react(message_id)
        return batch

    # --- customer → topic -------------------------------------------------------------

    async def _to_topic(self, batch: list[OutboxItem]) -> Outcome:
        head = batch[0]
        customer_id = head.customer_id
        if head.payload.get("reopen"):
            await self.topics.reopen(customer_id)
        if head.kind == REFRESH:
            await self.topics.refresh(customer_id)
            return Outcome()
        if head.kind == NOTE:
            await self._in_topic(
                customer_id,
                lambda topic: self.bot.send_message(
                    self.chat_id, head.payload["text"], message_thread_id=topic
                ),
            )
            return Outcome()
        if head.kind == EDIT:
            return await self._edit_in_topic(head)
        return await self._copy_to_topic(batch)

    async def _copy_to_topic(self, batch: list[OutboxItem]) -> Outcome:
        head = batch[0]
        customer_id = head.customer_id
        sources = [item.source_message_id or 0 for item in batch]
        try:
            if len(batch) == 1:
                reply = await self._topic_reply(head)
                copied = await self._in_topic(
                    customer_id,
                    lambda topic: self.bot.copy_message(
                        self.chat_id,
                        customer_id,
                        sources[0],
                        message_thread_id=topic,
                        reply_parameters=reply,
                    ),
                )
                ids = [copied.message_id]
            else:
                many = await self._in_topic(
                    customer_id,
                    lambda topic: self.bot.copy_messages(
                        self.chat_id, customer_id, sources, message_thread_id=topic
                    ),
                )
                ids = [m.message_id for m in many]
        except TelegramBadRequest as exc:
            logger.warning("customer %s: message not copied: %s", customer_id, exc.message)
            if "to copy not found" in exc.message.lower():  # deleted before it was copied
                return Outcome(error=exc.message)
            return Outcome(then=[await self._tell_not_copied(head)], error=exc.message)
        if len(ids) != len(sources):  # Telegram skipped what it cannot copy
            logger.warning("customer %s: %s of %s copied", customer_id, len(ids), len(sources))
            return Outcome(then=[await self._tell_not_copied(head)], error="some not copied")
        links = [Link(customer_id, s, t, "customer") for s, t in zip(sources, ids, strict=True)]
        return Outcome(links=links)

    async def _topic_reply(self, item: OutboxItem) -> ReplyParameters | None:
        """A reply to the bot's copy of an agent's message replies to the agent's original."""
        reply_to = item.payload.get("reply_to")
        if not reply_to:
            return None
        target = await self.repo.topic_message_for(item.customer_id, int(reply_to))
        if target is None:
            return None
        return ReplyParameters(message_id=target, allow_sending_without_reply=True)

    async def _edit_in_topic(self, item: OutboxItem) -> Outcome:
        target = await self.repo.topic_message_for(item.customer_id, item.source_message_id or 0)
        if target is None:
            return Outcome(error="the edited message has no copy")
        try:
            await self._edit(self.chat_id, target, item.payload)
        except TelegramBadRequest as exc:  # text <-> media, or the copy was deleted
            logger.info("customer %s: copy not edited: %s", item.customer_id, exc.message)
            text = item.payload.get("text") or item.payload.get("caption") or ""
            async with self.languages.speaking_to(self.chat_id):
                note = texts.customer_edited(text)
            await self._in_topic(
                item.customer_id,
                lambda topic: self.bot.send_message(
                    self.chat_id,
                    note,
                    message_thread_id=topic,
                    reply_parameters=ReplyParameters(
                        message_id=target, allow_sending_without_reply=True
                    ),
                ),
            )
        return Outcome()

    async def _in_topic(self, customer_id: int, send: Callable[[int], Awaitable[T]]) -> T:
        """Send into the customer's topic; a deleted topic is recreated and sent to again."""
        topic = await self.topics.topic_for(customer_id)
        try:
            return await send(topic)
        except TelegramBadRequest as exc:
            if not thread_gone(exc):
                raise
        topic = await self.topics.recreate(customer_id, topic)
        return await send(topic)

    async def _tell_not_copied(self, item: OutboxItem) -> OutboxItem:
        with self.languages.translator.speaking(await self._customer_language(item.customer_id)):
            text = texts.not_copied()
        return OutboxItem(item.customer_id, TO_CUSTOMER, TEXT, payload={"text": text})

    # --- agent → customer -------------------------------------------------------------

    async def _to_customer(self, batch: list[OutboxItem]) -> Outcome:
        head = batch[0]
        customer_id = head.customer_id
        try:
            if head.kind == TEXT:
                markup = head.payload.get("markup")
                await self.bot.send_message(
                    customer_id,
                    head.payload["text"],
                    reply_markup=InlineKeyboardMarkup.model_validate(markup) if markup else None,
                )
                return Outcome()
            if head.kind == EDIT:
                return await self._edit_for_customer(head)
            return await self._copy_to_customer(batch)
        except TelegramForbiddenError as exc:
            return await self._unreachable(head, exc.message)
        except TelegramBadRequest as exc:
            if "chat not found" in exc.message.lower():
                return await self._unreachable(head, exc.message)
            if head.kind == TEXT:
                raise
            logger.warning("customer %s: not delivered: %s", customer_id, exc.message)
            async with self.languages.speaking_to(self.chat_id):
                note = texts.not_delivered(exc.message)
            return Outcome(then=[self._note(customer_id, note)], error=exc.message)

    async def _copy_to_customer(self, batch: list[OutboxItem]) -> Outcome:
        head = batch[0]
        customer_id = head.customer_id
        sources = [item.source_message_id or 0 for item in batch]
        if len(batch) == 1:
            reply = None
            if head.payload.get("reply_to"):
                link = await self.repo.link_by_topic_message(int(head.payload["reply_to"]))
                if link is not None and link.customer_id == customer_id:
                    reply = ReplyParameters(
                        message_id=link.customer_message_id, allow_sending_without_reply=True
                    )
            copied = await self.bot.copy_message(
                customer_id, self.chat_id, sources[0], reply_parameters=reply
            )
            ids = [copied.message_id]
        else:
            many = await self.bot.copy_messages(customer_id, self.chat_id, sources)
            ids = [m.message_id for m in many]
        if len(ids) != len(sources):
            logger.warning("customer %s: %s of %s copied", customer_id, len(ids), len(sources))
            return Outcome(reactions=[], error="some not copied")
        links = [Link(customer_id, c, a, "agent") for a, c in zip(sources, ids, strict=True)]
        return Outcome(links=links, reactions=sources)

    async def _edit_for_customer(self, item: OutboxItem) -> Outcome:
        link = await self.repo.link_by_topic_message(item.source_message_id or 0)
        if link is None or link.customer_id != item.customer_id:
            return Outcome(error="the edited message has no copy")
        try:
            await self._edit(item.customer_id, link.customer_message_id, item.payload)
        except TelegramBadRequest as exc:
            if "not found" in exc.message.lower() and "chat" in exc.message.lower():
                raise
            text = item.payload.get("text") or item.payload.get("caption") or ""
            language = await self._customer_language(item.customer_id)
            with self.languages.translator.speaking(language):
                note = texts.agent_edited(text)
            await self.bot.send_message(
                item.customer_id,
                note,
                reply_parameters=ReplyParameters(
                    message_id=link.customer_message_id, allow_sending_without_reply=True
                ),
            )
        return Outcome()

    async def _unreachable(self, item: OutboxItem, reason: str) -> Outcome:
        logger.info("customer %s cannot be reached: %s", item.customer_id, reason)
        await self.repo.set_blocked(item.customer_id, True)
        if item.kind == TEXT:
            return Outcome(error=reason)  # the bot's own text: nobody is waiting on it
        async with self.languages.speaking_to(self.chat_id):
            note = texts.not_delivered_blocked()
        return Outcome(then=[self._note(item.customer_id, note)], error=reason)

    # --- shared -----------------------------------------------------------------------

    @property
    def chat_id(self) -> int:
        return self.topics.chat_id

    async def _edit(self, chat_id: int, message_id: int, payload: dict[str, Any]) -> None:
        """Edit a copy to the new text (or caption), with the original's formatting."""
        entities = [MessageEntity.model_validate(e) for e in payload.get("entities") or []]
        try:
            if "text" in payload:
                await self.bot.edit_message_text(
                    payload["text"],
                    chat_id=chat_id,
                    message_id=message_id,
                    entities=entities or None,
                    parse_mode=None,
                )
            else:
                await self.bot.edit_message_caption(
                    chat_id=chat_id,
                    message_id=message_id,
                    caption=payload.get("caption"),
                    caption_entities=entities or None,
                    parse_mode=None,
                )
        except TelegramBadRequest as exc:
            if not not_modified(exc):
                raise

    async def _react(self, message_id: int) -> None:
        try:
            await self.bot.set_message_reaction(
                self.chat_id, message_id, reaction=[ReactionTypeEmoji(emoji=REACTION)]
            )
        except TelegramBadRequest as exc:  # reactions off in the forum: delivery still stands
            logger.warning("no reaction on message %s: %s", message_id, exc.message)

    def _note(self, customer_id: int, text: str) -> OutboxItem:
        return OutboxItem(customer_id, TO_TOPIC, NOTE, payload={"text": text})

    async def _customer_language(self, customer_id: int) -> str:
        conversation = await self.repo.conversation(customer_id)
        return person_language(conversation.language if conversation else None)
