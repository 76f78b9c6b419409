"""The desk under load: a burst of customers' messages is paced, never dropped or reordered."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.support.bots import QUICK_FLOOD_SCALE
from tests.support.desk_relay import Desk, Start
from tests.support.forum import limit_violations, topic_named

CUSTOMERS = 4
EACH = 15


@pytest.fixture
def desk(telegram, start_bot: Start) -> Desk:
    return Desk(telegram, start_bot)


async def test_sixty_messages_of_four_customers_arrive_in_order_within_the_limits(
    desk: Desk, telegram
):
    await desk.start()
    people = [f.user(f"Customer{i}") for i in range(CUSTOMERS)]
    chats = [f.private_chat(p) for p in people]
    for n in range(EACH):  # interleaved, all at once: far more than 20 a minute for the group
        for person, chat in zip(people, chats, strict=True):
            telegram.send_text(chat, person, f"{person['first_name']} #{n}")

    await desk.wait_topics(CUSTOMERS, timeout=20)

    def all_copied() -> bool:
        return sum(len(desk.copies_in(t.thread_id)) for t in desk.topics()) == 60

    await telegram.wait_for(all_copied, timeout=60)
    for person in people:
        topic = topic_named(telegram, desk.id, person["first_name"])
        assert topic is not None
        name = person["first_name"]
        assert desk.copies_in(topic.thread_id) == [f"{name} #{n}" for n in range(EACH)]
    report = limit_violations(telegram, scale=QUICK_FLOOD_SCALE)
    assert report.total == 0, report.details
    assert len(desk.topics(deleted=True)) == CUSTOMERS
