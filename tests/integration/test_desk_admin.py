"""Desk admin storage on a real SQLite file: bans, the queue's order, once-only replies,
one rating per closing, and the digest's share of the ratings."""

from __future__ import annotations

from storage.repository import Repository


async def add_conversation(
    repo: Repository, customer_id: int, *, waiting_since: float | None = None, closed=False
) -> None:
    async with repo.db.transaction() as conn:
        await conn.execute(
            """INSERT INTO conversations (customer_id, name, topic_id, topic_title, closed,
                   waiting_since, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, '', '')""",
            (
                customer_id,
                f"Customer {customer_id}",
                customer_id * 10,
                f"❔ Customer {customer_id}",
                int(closed),
                waiting_since,
            ),
        )


async def test_queue_holds_open_unbanned_waiting_longest_first(repo: Repository) -> None:
    await add_conversation(repo, 1, waiting_since=300.0)
    await add_conversation(repo, 2, waiting_since=100.0)
    await add_conversation(repo, 3, waiting_since=200.0)
    await add_conversation(repo, 4)  # answered
    await add_conversation(repo, 5, waiting_since=50.0, closed=True)
    await add_conversation(repo, 6, waiting_since=10.0)
    assert await repo.set_banned(6, True)
    assert [c.customer_id for c in await repo.waiting_queue()] == [2, 3, 1]
    assert not await repo.set_banned(99, True)  # no such conversation


async def test_license_request_and_auto_reply_are_claimed_once(repo: Repository) -> None:
    await add_conversation(repo, 1)
    assert await repo.claim_license_request(1)
    assert not await repo.claim_license_request(1)
    assert not await repo.claim_license_request(2)
    gap = 12 * 3600.0
    assert await repo.claim_auto_reply(1, 1000.0, gap)
    assert not await repo.claim_auto_reply(1, 1000.0 + gap - 1, gap)
    assert await repo.claim_auto_reply(1, 1000.0 + gap, gap)


async def test_one_rating_per_latest_closing_and_digest_takes_each_once(
    repo: Repository,
) -> None:
    for customer_id in (1, 2, 3):
        await add_conversation(repo, customer_id)
    assert await repo.add_rating(1, 501, 5, "2026-06-17T09:00:00+00:00") == "unknown"
    await repo.set_closing(1, 501)
    assert await repo.add_rating(1, 501, 5, "2026-06-17T09:00:00+00:00") == "stored"
    assert await repo.add_rating(1, 501, 1, "2026-06-17T09:01:00+00:00") == "rated"
    assert await repo.add_rating(1, 502, 1, "2026-06-17T09:01:00+00:00") == "unknown"  # forged
    await repo.set_closing(1, 777)
    assert await repo.add_rating(1, 777, 4, "2026-06-17T09:02:00+00:00") == "stored"
    await repo.set_closing(2, 501)
    assert await repo.add_rating(2, 501, 2, "2026-06-17T09:03:00+00:00") == "stored"
    first = await repo.take_ratings_for_digest()
    assert (first.count, round(first.average or 0, 2)) == (3, 3.67)
    empty = await repo.take_ratings_for_digest()
    assert (empty.count, empty.average) == (0, None)
    await repo.set_closing(3, 900)
    assert await repo.add_rating(3, 900, 1, "2026-06-18T09:00:00+00:00") == "stored"
    assert (await repo.take_ratings_for_digest()).count == 1


async def test_meta_values(repo: Repository) -> None:
    assert await repo.meta_value("desk.x") is None
    await repo.set_meta_value("desk.x", "5")
    await repo.set_meta_value("desk.x", "6")
    assert await repo.meta_value("desk.x") == "6"
    await repo.set_meta_value("desk.x", None)
    assert await repo.meta_value("desk.x") is None
