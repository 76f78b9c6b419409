"""Conversations of the support desk: who each customer is and where their topic is."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import aiosqlite

from storage.db import Database
from storage.outbox import OutboxItem, insert_item
from storage.records import Conversation
from storage.rows import conversation_row, now_text

UPSERT = """INSERT INTO conversations (customer_id, name, username, language, created_at,
        updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (customer_id) DO UPDATE SET name = excluded.name,
        username = excluded.username,
        language = COALESCE(excluded.language, conversations.language),
        updated_at = excluded.updated_at"""


class ConversationStore:
    """Reads and writes of the conversations table."""

    db: Database

    async def conversation(self, customer_id: int) -> Conversation | None:
        return await self._conversation_where("customer_id", customer_id)

    async def conversation_by_topic(self, topic_id: int) -> Conversation | None:
        return await self._conversation_where("topic_id", topic_id)

    async def _conversation_where(self, column: str, value: int) -> Conversation | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                f"SELECT * FROM conversations WHERE {column} = ?",  # a column name of ours
                (value,),
            )
            row = await cursor.fetchone()
        return conversation_row(row) if row else None

    async def ensure_conversation(
        self, customer_id: int, name: str, username: str | None, language: str | None
    ) -> Conversation:
        """Create the customer's conversation, or update who they are."""
        async with self.db.transaction() as conn:
            return await _upsert(conn, customer_id, name, username, language)

    async def relay_from_customer(
        self,
        item: OutboxItem,
        name: str,
        username: str | None,
        language: str | None,
        at: float | None,
    ) -> tuple[Conversation, bool]:
        """Who the customer is, that they wrote (`at`, None for an edit), and the item to relay,
        in one transaction. A closed conversation reopens (the item says so). Nothing is
        queued for a banned customer. True when the item was queued (not seen before)."""
        customer_id = item.customer_id
        async with self.db.transaction() as conn:
            conversation = await _upsert(conn, customer_id, name, username, language)
            if conversation.banned:
                return conversation, False
            if conversation.closed and at is not None:
                item = replace(item, payload={**item.payload, "reopen": True})
            queued = await insert_item(conn, item)
            if queued and at is not None:
                await conn.execute(
                    """UPDATE conversations SET closed = 0, last_customer_at = ?,
                           waiting_since = COALESCE(waiting_since, ?) WHERE customer_id = ?""",
                    (at, at, customer_id),
                )
        return conversation, queued

    async def set_closed(self, customer_id: int, closed: bool) -> None:
        await self._set(customer_id, closed=int(closed))

    async def customer_wrote(self, customer_id: int, at: float) -> None:
        """The customer wrote: they wait from now unless they were waiting already."""
        async with self.db.transaction() as conn:
            await conn.execute(
                """UPDATE conversations SET last_customer_at = ?,
                       waiting_since = COALESCE(waiting_since, ?), updated_at = ?
                   WHERE customer_id = ?""",
                (at, at, now_text(), customer_id),
            )

    async def agent_answered(self, customer_id: int, at: float) -> None:
        await self._set(customer_id, last_agent_at=at, waiting_since=None)

    async def set_blocked(self, customer_id: int, blocked: bool) -> None:
        await self._set(customer_id, blocked=int(blocked))

    async def set_topic(
        self,
        customer_id: int,
        topic_id: int | None,
        title: str | None,
        card_message_id: int | None,
    ) -> None:
        """A (new) topic for the customer; its name and pinned card (None: forget the topic)."""
        await self._set(
            customer_id,
            topic_id=topic_id,
            topic_title=title,
            card_message_id=card_message_id,
            card_text=None,
        )

    async def set_topic_title(self, customer_id: int, title: str) -> None:
        await self._set(customer_id, topic_title=title)

    async def set_card(self, customer_id: int, message_id: int | None, text: str | None) -> None:
        """The pinned card's message and the text it shows."""
        await self._set(customer_id, card_message_id=message_id, card_text=text)

    async def card_text(self, customer_id: int) -> str | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                "SELECT card_text FROM conversations WHERE customer_id = ?", (customer_id,)
            )
            row = await cursor.fetchone()
        return row[0] if row else None

    async def _set(self, customer_id: int, **values: Any) -> None:
        columns = ", ".join(f"{name} = ?" for name in values)
        async with self.db.transaction() as conn:
            await conn.execute(
                f"UPDATE conversations SET {columns}, updated_at = ? WHERE customer_id = ?",
                (*values.values(), now_text(), customer_id),
            )


async def _upsert(
    conn: aiosqlite.Connection,
    customer_id: int,
    name: str,
    username: str | None,
    language: str | None,
) -> Conversation:
    """Inside a transaction: create the conversation or update who the customer is; read it."""
    now = now_text()
    await conn.execute(UPSERT, (customer_id, name, username, language, now, now))
    cursor = await conn.execute(
        "SELECT * FROM conversations WHERE customer_id = ?", (customer_id,)
    )
    row = await cursor.fetchone()
    if row is None:
        raise RuntimeError(f"conversation {customer_id} vanished")
    return conversation_row(row)
