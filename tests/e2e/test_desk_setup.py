"""End to end: the desk's start-up check (forum, rights, ordinary group, unreachable chat),
the Alerts topic, and the digest posted into it."""

from __future__ import annotations

import logging

import pytest

from bot.clock import Clock
from tests import factories as f
from tests.support.clocks import morning_clock, move_to
from tests.support.forum import make_forum, topic_named, topics, wait_topic
from tests.support.widget import widget_text

SETUP_LOG = "bot.transport.desk_setup"


@pytest.fixture
def clock() -> Clock:
    return morning_clock()  # before 10:00: no digest until the test moves the clock


async def started(telegram, polls_before: int = 0) -> None:
    """The start-up check runs before the first getUpdates (of this bot: after
    `polls_before` earlier ones)."""
    await telegram.wait_for(
        lambda: len(telegram.calls_to("getUpdates")) > polls_before, what="polling"
    )


def desk_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == SETUP_LOG]


async def test_forum_with_every_right_gets_an_alerts_topic_once(
    telegram, start_bot, caplog, clock
):
    forum = make_forum(telegram)
    with caplog.at_level(logging.INFO, logger=SETUP_LOG):
        bot = await start_bot(support_chat_id=forum["id"])
        alerts = await wait_topic(telegram, forum["id"], lambda t: t.name == "Оповещения")
        await started(telegram)
    assert bot.app.dp["desk"].enabled
    assert any(line.startswith("support desk on: forum") for line in desk_lines(caplog))
    assert not any("lacks" in line for line in desk_lines(caplog))
    assert telegram.sent_to(forum["id"]) == []  # nothing to complain about
    for language in (None, "en"):
        key = {"scope": {"type": "chat", "chat_id": forum["id"]}, "language_code": language}
        menu = [c["command"] for c in telegram.commands[telegram.commands_key(key)]]
        assert menu[:2] == ["queue", "close"] and "ban" in menu
    await bot.stop()

    polls = len(telegram.calls_to("getUpdates"))
    again = await start_bot(support_chat_id=forum["id"])
    await started(telegram, polls)
    assert [t.thread_id for t in topics(telegram, forum["id"])] == [alerts.thread_id]
    move_to(clock, 0, 10)
    await again.app.scheduler.sweep()
    [digest] = telegram.sent_to(forum["id"])
    assert digest.message_thread_id == alerts.thread_id
    assert "С прошлой сводки оценок не было" in digest.plain_text


async def test_missing_rights_are_said_once_in_log_and_group(telegram, start_bot, caplog, clock):
    forum = make_forum(telegram, can_manage_topics=False, can_delete_messages=False)
    with caplog.at_level(logging.INFO, logger=SETUP_LOG):
        bot = await start_bot(support_chat_id=forum["id"])
        await started(telegram)
    [warning] = [line for line in desk_lines(caplog) if "lacks" in line]
    assert "can_manage_topics, can_delete_messages" in warning
    [told] = telegram.sent_to(forum["id"])
    assert "«Управление темами», «Удаление сообщений»" in told.plain_text
    assert "Закрепление" not in told.plain_text
    # No Alerts topic without the right: the digest goes to the General topic.
    assert topics(telegram, forum["id"]) == []
    move_to(clock, 0, 10)
    await bot.app.scheduler.sweep()
    assert telegram.sent_to(forum["id"])[-1].message_thread_id is None
    await bot.stop()

    polls = len(telegram.calls_to("getUpdates"))
    await start_bot(support_chat_id=forum["id"])
    await started(telegram, polls)
    assert len([m for m in telegram.sent_to(forum["id"]) if "не хватает" in m.plain_text]) == 1


async def test_ordinary_group_leaves_the_desk_off(telegram, start_bot, caplog):
    group = f.supergroup("Agents")
    telegram.set_chat(group)
    with caplog.at_level(logging.INFO, logger=SETUP_LOG):
        bot = await start_bot(support_chat_id=group["id"])
        await started(telegram)
    [line] = desk_lines(caplog)
    assert line.startswith(f"support desk off: SUPPORT_CHAT_ID {group['id']} «Agents» is an")
    assert "ordinary group, not a forum" in line and "Topics" in line
    assert not bot.app.dp["desk"].enabled
    customer = f.user("Анна")
    private = f.private_chat(customer)
    telegram.send_text(private, customer, "Здравствуйте, вопрос")
    [answer] = await telegram.wait_sent(private["id"], 1)
    assert "Я проверяю лицензии" in answer.plain_text  # the help, as without a desk


@pytest.mark.parametrize("chat", ["empty", "unreachable"])
async def test_no_desk_without_a_reachable_chat(telegram, start_bot, caplog, chat):
    overrides = {}
    if chat == "unreachable":
        forum = make_forum(telegram)
        telegram.block(forum["id"])
        overrides["support_chat_id"] = forum["id"]
    with caplog.at_level(logging.INFO, logger=SETUP_LOG):
        bot = await start_bot(**overrides)
        await started(telegram)
    [line] = desk_lines(caplog)
    if chat == "empty":
        assert line == "support desk off: SUPPORT_CHAT_ID is empty"
    else:
        assert line.startswith(f"support desk off: the support chat {forum['id']} cannot be")
    assert not any(r.exc_info for r in caplog.records)
    assert not bot.app.dp["desk"].enabled


async def test_deleted_alerts_topic_is_created_again(telegram, start_bot, clock):
    forum = make_forum(telegram)
    bot = await start_bot(support_chat_id=forum["id"])
    alerts = await wait_topic(telegram, forum["id"], lambda t: t.name == "Оповещения")
    telegram.delete_topic(forum["id"], alerts.thread_id)
    move_to(clock, 0, 10)
    await bot.app.scheduler.sweep()
    fresh = topic_named(telegram, forum["id"], "Оповещения")
    assert fresh is not None and fresh.thread_id != alerts.thread_id
    [digest] = telegram.sent_to(forum["id"])
    assert digest.message_thread_id == fresh.thread_id


async def test_operator_alert_goes_to_the_alerts_topic(telegram, backend, start_bot, clock):
    forum = make_forum(telegram)
    await start_bot(support_chat_id=forum["id"], license_api_token="wrong-token")
    alerts = await wait_topic(telegram, forum["id"], lambda t: t.name == "Оповещения")
    rid = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
    backend.add(rid, expires_on=clock.today())
    alice = f.user("Alice")
    telegram.send_text(f.private_chat(alice), alice, widget_text(rid, clock.today()))
    alert = await telegram.wait_for(
        lambda: [m for m in telegram.sent_to(forum["id"]) if "HTTP 401" in m.plain_text]
    )
    assert [m.message_thread_id for m in alert] == [alerts.thread_id]
