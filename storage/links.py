"""Which message in a customer's chat is which in their topic, so edits and replies follow."""

from __future__ import annotations

from storage.db import Database
from storage.outbox import Link


class LinkStore:
    """Reads of the message_links table (written with the delivery, in storage/outbox.py)."""

    db: Database

    async def topic_message_for(self, customer_id: int, customer_message_id: int) -> int | None:
        """The topic's counterpart of a message in the customer's chat."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                """SELECT topic_message_id FROM message_links
                   WHERE customer_id = ? AND customer_message_id = ?""",
                (customer_id, customer_message_id),
            )
            row = await cursor.fetchone()
        return int(row[0]) if row else None

    async def link_by_topic_message(self, topic_message_id: int) -> Link | None:
        """The customer-side counterpart of a message in the forum (newest if several)."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                """SELECT * FROM message_links WHERE topic_message_id = ?
                   ORDER BY customer_message_id DESC LIMIT 1""",
                (topic_message_id,),
            )
            row = await cursor.fetchone()
        if row is None:
            return None
        return Link(
            row["customer_id"], row["customer_message_id"], row["topic_message_id"], row["origin"]
        )
