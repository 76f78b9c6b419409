"""What the support desk keeps besides the relay: bans, the queue, once-only replies,
ratings, and the desk's own settings in meta (the Alerts topic, the rights reported)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storage.db import Database
from storage.records import Conversation
from storage.rows import conversation_row, now_text

LAST_DIGESTED_RATING = "desk.last_digested_rating"


@dataclass(frozen=True, slots=True)
class RatingSummary:
    """Ratings given in a period: how many and their average (None when there are none)."""

    count: int
    average: float | None


class DeskAdminStore:
    """Reads and writes for the agents' and customers' tools around the relay."""

    db: Database

    async def meta_value(self, key: str) -> str | None:
        async with self.db.reading() as conn:
            cursor = await conn.execute("SELECT value FROM meta WHERE key = ?", (key,))
            row = await cursor.fetchone()
        return row[0] if row else None

    async def set_meta_value(self, key: str, value: str | None) -> None:
        """Store `value` under `key`; None deletes the key."""
        async with self.db.transaction() as conn:
            if value is None:
                await conn.execute("DELETE FROM meta WHERE key = ?", (key,))
                return
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    async def set_banned(self, customer_id: int, banned: bool) -> bool:
        """Ban or unban a customer; False when there is no such conversation."""
        return await self._flag(customer_id, "banned = ?", (int(banned),))

    async def claim_license_request(self, customer_id: int) -> bool:
        """True once per customer: the first caller may ask them for their license info."""
        return await self._flag(customer_id, "asked_license = 1", (), "asked_license = 0")

    async def claim_auto_reply(self, customer_id: int, at: float, gap: float) -> bool:
        """True when no auto-reply went to this customer within `gap` seconds before `at`
        (and records `at` as the last one); False otherwise."""
        return await self._flag(
            customer_id,
            "auto_reply_at = ?",
            (at,),
            "(auto_reply_at IS NULL OR auto_reply_at <= ?)",
            (at - gap,),
        )

    async def _flag(
        self,
        customer_id: int,
        assignment: str,
        values: tuple[object, ...],
        condition: str = "1",
        condition_values: tuple[object, ...] = (),
    ) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE conversations SET {assignment}, updated_at = ?"  # fixed fragments
                f" WHERE customer_id = ? AND {condition}",
                (*values, now_text(), customer_id, *condition_values),
            )
            return cursor.rowcount == 1

    async def waiting_queue(self, limit: int = 50) -> list[Conversation]:
        """Open conversations whose customer wrote last, the longest wait first."""
        async with self.db.reading() as conn:
            cursor = await conn.execute(
                """SELECT * FROM conversations
                   WHERE waiting_since IS NOT NULL AND closed = 0 AND banned = 0
                   ORDER BY waiting_since, customer_id LIMIT ?""",
                (limit,),
            )
            rows = await cursor.fetchall()
        return [conversation_row(row) for row in rows]

    async def set_closing(self, customer_id: int, closing: int) -> None:
        """The conversation was closed by the forum message `closing`: it may be rated."""
        await self._flag(customer_id, "last_closing = ?", (closing,))

    async def add_rating(
        self, customer_id: int, closing: int, score: int, at: str
    ) -> Literal["stored", "rated", "unknown"]:
        """Store a rating of the customer's latest closing: "rated" when it was rated
        already, "unknown" when `closing` is not their latest (an old or forged button)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT 1 FROM conversations WHERE customer_id = ? AND last_closing = ?",
                (customer_id, closing),
            )
            if await cursor.fetchone() is None:
                return "unknown"
            cursor = await conn.execute(
                "INSERT INTO ratings (customer_id, closing, score, rated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (customer_id, closing) DO NOTHING",
                (customer_id, closing, score, at),
            )
            return "stored" if cursor.rowcount == 1 else "rated"

    async def take_ratings_for_digest(self) -> RatingSummary:
        """Ratings given since the previous digest; the next digest starts after them."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT value FROM meta WHERE key = ?", (LAST_DIGESTED_RATING,)
            )
            row = await cursor.fetchone()
            after = int(row[0]) if row else 0
            cursor = await conn.execute(
                "SELECT COUNT(*), AVG(score), MAX(id) FROM ratings WHERE id > ?", (after,)
            )
            count, average, last = await cursor.fetchone() or (0, None, None)
            if last is not None:
                await conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (LAST_DIGESTED_RATING, str(last)),
                )
        return RatingSummary(int(count), float(average) if average is not None else None)
