"""Abuse: Request ID enumeration is capped per user and per chat; agents are exempt; a burst
of the same paste gets one answer, and «wait» is said once per window, not per message."""

from __future__ import annotations

import uuid
from datetime import timedelta

from bot.views import answers
from tests import factories as f
from tests.support.bots import AGENT_ID
from tests.support.catalog import in_russian
from tests.support.verdict import verdict
from tests.support.widget import widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
WAIT = in_russian(answers.rate_limited)


def ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def paste(request_ids: list[str]) -> str:
    return "\n".join(f"Request ID: {rid}" for rid in request_ids)


async def settle(telegram, chat, sender) -> list[str]:
    """Send /help after everything else and wait for its answer: updates of one chat are
    handled in order, so then every earlier one is done. Returns what the chat was told."""

    def helps() -> int:
        return sum(m.plain_text.startswith("Я проверяю") for m in telegram.sent_to(chat["id"]))

    before = helps()
    telegram.send_text(chat, sender, "/help")
    await telegram.wait_for(lambda: helps() > before, timeout=10, what="the answer to /help")
    return [
        m.plain_text
        for m in telegram.sent_to(chat["id"])
        if not m.plain_text.startswith("Я проверяю")
    ]


async def test_enumeration_by_one_customer_is_capped_and_told_once(
    telegram, backend, fast_bot, clock
):
    bot = await fast_bot()
    window = bot.app.settings.lookup_window_seconds
    guesser = f.user("Guesser")
    chat = f.private_chat(guesser)
    telegram.send_text(chat, guesser, paste(ids(10)))  # the whole budget in one message
    for request_id in ids(5):
        telegram.send_text(chat, guesser, paste([request_id]))
    told = await settle(telegram, chat, guesser)
    assert len(told) == 2 and told[0].count("не найден") == 10 and told[1] == WAIT
    assert len(backend.calls) == 10

    clock.advance(timedelta(seconds=window + 1))
    telegram.send_text(chat, guesser, paste(ids(1)))
    told = await settle(telegram, chat, guesser)
    assert "не найден" in told[-1] and len(backend.calls) == 11


async def test_twenty_different_pastes_in_a_second(telegram, backend, fast_bot):
    bot = await fast_bot()
    guesser = f.user("Guesser")
    chat = f.private_chat(guesser)
    for request_id in ids(20):
        telegram.send_text(chat, guesser, paste([request_id]))
    told = await settle(telegram, chat, guesser)
    limit = bot.app.settings.lookups_per_user
    assert [t for t in told if "не найден" in t] == told[:limit]
    assert told[limit:] == [WAIT]
    assert len(backend.calls) == limit


async def test_the_chat_has_a_limit_of_its_own_and_agents_are_exempt(telegram, backend, fast_bot):
    await fast_bot(lookups_per_user=10, lookups_per_chat=15)
    room = f.supergroup("Магазин")
    alice, bob, carol = f.user("Alice"), f.user("Bob"), f.user("Carol")
    telegram.send_text(room, alice, paste(ids(8)))
    telegram.send_text(room, bob, paste(ids(7)))
    telegram.send_text(room, carol, paste(ids(1)))
    telegram.send_text(room, carol, paste(ids(1)))
    agent = f.user("Agent", id=AGENT_ID)
    for _ in range(3):
        telegram.send_text(room, agent, paste(ids(10)))
    told = await settle(telegram, room, alice)
    assert [t.count("не найден") for t in told] == [8, 7, 0, 10, 10, 10]
    assert told[2] == WAIT
    assert len(backend.calls) == 8 + 7 + 30


async def test_the_same_paste_twenty_times_in_a_second_gets_one_answer(
    telegram, backend, fast_bot, db_path
):
    bot = await fast_bot()
    expires = bot.app.clock.today() + timedelta(days=60)
    backend.add(RID, expires_on=expires)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    sent = [telegram.send_text(chat, alice, widget_text(RID, expires)) for _ in range(20)]
    for msg in sent[:5]:  # and a few of them edited, the Request ID unchanged
        telegram.edit_text(chat, alice, msg["message_id"], "вот:\n" + widget_text(RID, expires))
    told = await settle(telegram, chat, alice)
    assert len(told) == 1  # the status, pinned, is the answer
    first_line = verdict("ru", expires, today=bot.app.clock.today())
    assert told[0].startswith(first_line)
    assert telegram.pinned[chat["id"]] == telegram.sent_to(chat["id"])[0].message_id
    assert backend.calls_for(RID) == 1


async def test_a_burst_over_the_limit_is_told_to_wait_once(telegram, backend, fast_bot):
    await fast_bot(lookups_per_user=2)
    guesser = f.user("Guesser")
    chat = f.private_chat(guesser)
    telegram.send_text(chat, guesser, paste(ids(2)))
    burst = paste(ids(3))
    for _ in range(20):
        telegram.send_text(chat, guesser, burst)
    told = await settle(telegram, chat, guesser)
    assert len(told) == 2 and told[1] == WAIT
    assert len(backend.calls) == 2
