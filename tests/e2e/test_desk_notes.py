"""End to end: what the bot tells a customer later, by itself, also shows in their topic —
the end of support, a renewal, the answer to a check that was delayed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import Clock
from tests.support.clocks import morning_clock, move_to
from tests.support.desk_tools import bot_says, customer_writes, start_desk
from tests.support.forum import wait_topic
from tests.support.widget import ru, widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"


@pytest.fixture
def clock() -> Clock:
    return morning_clock()


async def test_end_and_renewal_are_noted(telegram, backend, start_bot, clock):
    bot, forum = await start_desk(telegram, start_bot)
    expires = clock.today()
    backend.add(RID, expires_on=expires, license_id="L-5")
    _, private, topic = await customer_writes(telegram, forum, text=widget_text(RID, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(private["id"]))
    move_to(clock, 1, 10)
    await bot.app.scheduler.sweep()
    await bot_says(telegram, forum["id"], "закончилась", topic.thread_id)
    # The status board's refresh also refreshes the topic: its name shows the expiry.
    await wait_topic(
        telegram, forum["id"], lambda t: t.thread_id == topic.thread_id and t.name.startswith("⛔")
    )

    renewed = clock.today() + timedelta(days=365)
    backend.add(RID, expires_on=renewed, license_id="L-5")
    move_to(clock, 0, 10, 31)
    await bot.app.scheduler.sweep()
    await bot_says(telegram, private["id"], f"продлена до {ru(renewed)}")
    await bot_says(telegram, forum["id"], f"продлена до {ru(renewed)}", topic.thread_id)
    await wait_topic(
        telegram, forum["id"], lambda t: t.thread_id == topic.thread_id and t.name.startswith("✅")
    )


async def test_the_answer_to_a_delayed_check_is_noted(telegram, backend, start_bot, clock):
    _, forum = await start_desk(telegram, start_bot)
    expires = clock.today() + timedelta(days=60)
    backend.add(RID, expires_on=expires)
    backend.set_down(503)
    _, private, topic = await customer_writes(telegram, forum, text=widget_text(RID, expires))
    await bot_says(telegram, private["id"], "задерживается")
    backend.set_up()
    await telegram.wait_for(lambda: telegram.pinned.get(private["id"]), timeout=15)
    note = await bot_says(telegram, forum["id"], "отложенную проверку", topic.thread_id)
    assert "найдено 1 из 1" in note.plain_text
