"""The desk's durable outbox: what is to be relayed, in order per conversation."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from storage.db import Database
from storage.rows import now_text

TO_TOPIC = "to_topic"
TO_CUSTOMER = "to_customer"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One thing to deliver: a copy, an edit or a text, to the topic or to the customer."""

    customer_id: int
    direction: str
    kind: str
    source_chat_id: int | None = None
    source_message_id: int | None = None
    media_group_id: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    dedup: str | None = None
    ready_at: float = 0.0
    id: int = 0
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    """A message on the customer's side and its counterpart in the topic."""

    customer_id: int
    customer_message_id: int
    topic_message_id: int
    origin: str  # "customer" or "agent": whose message the other one is a copy of


def outbox_row(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        customer_id=row["customer_id"],
        direction=row["direction"],
        kind=row["kind"],
        source_chat_id=row["source_chat_id"],
        source_message_id=row["source_message_id"],
        media_group_id=row["media_group_id"],
        payload=json.loads(row["payload"]),
        dedup=row["dedup_key"],
        ready_at=row["ready_at"],
        attempts=row["attempts"],
    )


async def insert_item(conn: aiosqlite.Connection, item: OutboxItem) -> bool:
    """Add an item inside an open transaction; False when its dedup key was seen before."""
    cursor = await conn.execute(
        """INSERT OR IGNORE INTO outbox (customer_id, direction, kind, source_chat_id,
               source_message_id, media_group_id, payload, dedup_key, ready_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            item.customer_id,
            item.direction,
            item.kind,
            item.source_chat_id,
            item.source_message_id,
            item.media_group_id,
            json.dumps(item.payload, ensure_ascii=False),
            item.dedup,
            item.ready_at,
            now_text(),
        ),
    )
    return cursor.rowcount > 0


class OutboxStore:
    """Reads and writes of the outbox table."""

    db: Database

    async def outbox_add(self, item: OutboxItem) -> bool:
        """Queue an item; False when an item with its dedup key was queued before."""
        async with self.db.transaction() as conn:
            return await insert_item(conn, item)

    async def outbox_customers(self) -> list[int]:
        """Customers with something still to deliver."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                "SELECT DISTINCT customer_id FROM outbox WHERE delivered_at IS NULL"
            )
            rows = await cursor.fetchall()
        return [row[0] for row in rows]

    async def outbox_next(self, customer_id: int, limit: int) -> list[OutboxItem]:
        """The customer's undelivered items, oldest first."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                """SELECT * FROM outbox WHERE customer_id = ? AND delivered_at IS NULL
                   ORDER BY id LIMIT ?""",
                (customer_id, limit),
            )
            rows = await cursor.fetchall()
        return [outbox_row(row) for row in rows]

    async def outbox_pending(self) -> int:
        async with self.db.reading() as conn:
            cursor = await conn.execute("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL")
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def outbox_done(
        self,
        ids: Sequence[int],
        at: float,
        *,
        links: Sequence[Link] = (),
        error: str | None = None,
        then: Sequence[OutboxItem] = (),
    ) -> None:
        """Items delivered (or given up on, with `error`), their links and any follow-up
        items (a note that delivery failed), all in one transaction."""
        async with self.db.transaction() as conn:
            await conn.executemany(
                "UPDATE outbox SET delivered_at = ?, last_error = ? WHERE id = ?",
                [(at, error, item_id) for item_id in ids],
            )
            await conn.executemany(
                """INSERT OR REPLACE INTO message_links (customer_id, customer_message_id,
                       topic_message_id, origin) VALUES (?, ?, ?, ?)""",
                [
                    (k.customer_id, k.customer_message_id, k.topic_message_id, k.origin)
                    for k in links
                ],
            )
            for item in then:
                await insert_item(conn, item)

    async def outbox_retry(self, item_id: int, ready_at: float, error: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                """UPDATE outbox SET attempts = attempts + 1, ready_at = ?, last_error = ?
                   WHERE id = ?""",
                (ready_at, error[:500], item_id),
            )

    async def outbox_prune(self, before: float) -> int:
        """Forget delivered items older than `before` (their dedup keys with them)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?",
                (before,),
            )
        return cursor.rowcount
