"""The desk's storage: conversations, the outbox (order, dedup, delivery) and message links."""

from __future__ import annotations

from storage.outbox import TO_CUSTOMER, TO_TOPIC, Link, OutboxItem
from tests.support.disk import rows


def copy(customer_id: int, message_id: int, **kw: object) -> OutboxItem:
    return OutboxItem(
        customer_id,
        TO_TOPIC,
        "copy",
        source_chat_id=customer_id,
        source_message_id=message_id,
        dedup=f"c:{customer_id}:{message_id}",
        **kw,  # type: ignore[arg-type]
    )


async def test_a_conversation_is_created_then_updated(repo):
    first = await repo.ensure_conversation(7, "Alice", "alice", "en")
    assert (first.name, first.username, first.language, first.topic_id) == (
        "Alice",
        "alice",
        "en",
        None,
    )
    again = await repo.ensure_conversation(7, "Alice B", None, None)
    assert (again.name, again.username, again.language) == ("Alice B", None, "en")
    await repo.set_topic(7, 55, "❔ Alice B", 56)
    assert (await repo.conversation_by_topic(55)).customer_id == 7
    assert await repo.conversation_by_topic(56) is None


async def test_waiting_since_is_kept_until_an_agent_answers(repo):
    await repo.ensure_conversation(7, "Alice", None, None)
    await repo.customer_wrote(7, 100.0)
    await repo.customer_wrote(7, 200.0)
    conversation = await repo.conversation(7)
    assert (conversation.waiting_since, conversation.last_customer_at) == (100.0, 200.0)
    await repo.agent_answered(7, 300.0)
    conversation = await repo.conversation(7)
    assert (conversation.waiting_since, conversation.last_agent_at) == (None, 300.0)


async def test_flags(repo):
    await repo.ensure_conversation(7, "Alice", None, None)
    await repo.set_closed(7, True)
    await repo.set_blocked(7, True)
    conversation = await repo.conversation(7)
    assert conversation.closed and conversation.blocked and not conversation.banned


async def test_relay_from_customer_is_one_write_and_deduplicated(repo, tmp_path):
    conversation, queued = await repo.relay_from_customer(copy(7, 1), "Alice", None, "ru", 50.0)
    assert queued and conversation.name == "Alice"
    _, again = await repo.relay_from_customer(copy(7, 1), "Alice", None, "ru", 51.0)
    assert not again  # a replayed update is relayed once
    assert [i.source_message_id for i in await repo.outbox_next(7, 10)] == [1]
    assert (await repo.conversation(7)).waiting_since == 50.0


async def test_a_closed_conversation_reopens_and_a_banned_one_is_not_relayed(repo, tmp_path):
    await repo.ensure_conversation(7, "Alice", None, None)
    await repo.set_closed(7, True)
    await repo.relay_from_customer(copy(7, 1), "Alice", None, None, 50.0)
    assert (await repo.outbox_next(7, 1))[0].payload == {"reopen": True}
    assert not (await repo.conversation(7)).closed
    db = repo.db.path
    assert rows(db, "SELECT banned FROM conversations") == [(0,)]
    async with repo.db.transaction() as conn:
        await conn.execute("UPDATE conversations SET banned = 1")
    _, queued = await repo.relay_from_customer(copy(7, 2), "Alice", None, None, 60.0)
    assert not queued
    assert [i.source_message_id for i in await repo.outbox_next(7, 10)] == [1]


async def test_delivery_marks_done_with_links_and_follow_ups_in_order(repo):
    for message_id in (1, 2, 3):
        await repo.outbox_add(copy(7, message_id))
    await repo.outbox_add(copy(8, 1))
    assert sorted(await repo.outbox_customers()) == [7, 8]
    first, second, _third = await repo.outbox_next(7, 10)
    note = OutboxItem(7, TO_TOPIC, "note", payload={"text": "hi"})
    await repo.outbox_done(
        [first.id, second.id],
        10.0,
        links=[Link(7, 1, 101, "customer"), Link(7, 2, 102, "customer")],
        then=[note],
    )
    left = await repo.outbox_next(7, 10)
    assert [(i.kind, i.source_message_id) for i in left] == [("copy", 3), ("note", None)]
    assert await repo.topic_message_for(7, 2) == 102
    assert await repo.link_by_topic_message(101) == Link(7, 1, 101, "customer")
    assert not await repo.outbox_add(copy(7, 1))  # delivered, still known
    assert await repo.outbox_pending() == 3


async def test_retry_and_prune(repo):
    await repo.outbox_add(OutboxItem(7, TO_CUSTOMER, "text", payload={"t": 1}, dedup="x"))
    (item,) = await repo.outbox_next(7, 1)
    await repo.outbox_retry(item.id, 99.0, "boom")
    (item,) = await repo.outbox_next(7, 1)
    assert (item.attempts, item.ready_at) == (1, 99.0)
    await repo.outbox_done([item.id], 5.0)
    assert await repo.outbox_prune(before=4.0) == 0
    assert await repo.outbox_prune(before=6.0) == 1
    assert await repo.outbox_add(OutboxItem(7, TO_CUSTOMER, "text", dedup="x"))
