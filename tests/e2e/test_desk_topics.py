"""End to end: agents' commands in the forum — /license and /recheck in a topic, /close with
the rating that reaches the digest, closing by hand and reopening, /ban and /unban, /queue."""

from __future__ import annotations

from datetime import timedelta

from tests import factories as f
from tests.support.clocks import move_to
from tests.support.desk_tools import (
    bot_says,
    copied_texts,
    customer_writes,
    in_topic,
    said,
    start_desk,
)
from tests.support.disk import eventually, rows
from tests.support.forum import pinned_in_topic, wait_topic
from tests.support.widget import ru, widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
AGENT = f.user("Ольга")  # a member of the forum, not in SUPPORT_AGENT_IDS


async def test_license_and_recheck_in_a_customer_topic(telegram, backend, start_bot):
    bot, forum = await start_desk(telegram, start_bot)
    expires = bot.app.clock.today() + timedelta(days=30)
    backend.add(RID, expires_on=expires, license_id="L-7", site="shop.example.ru")
    _, private, topic = await customer_writes(telegram, forum, text=widget_text(RID, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(private["id"]))

    await in_topic(telegram, forum, AGENT, topic, "/license")
    shown = await bot_says(telegram, forum["id"], "L-7", topic.thread_id)
    assert RID in shown.plain_text and f"до {ru(expires)}" in shown.plain_text

    renewed = bot.app.clock.today() + timedelta(days=400)
    backend.add(RID, expires_on=renewed, license_id="L-7", site="shop.example.ru")
    await in_topic(telegram, forum, AGENT, topic, "/recheck")
    await bot_says(telegram, forum["id"], f"до {ru(renewed)}", topic.thread_id)
    await telegram.wait_for(
        lambda: (
            ru(renewed)
            in (pinned_in_topic(telegram, forum["id"], topic.thread_id) or {}).get("text", "")
        ),
        what="the card showing the renewal",
    )


async def test_close_rate_and_digest(telegram, start_bot, clock, db_path):
    bot, forum = await start_desk(telegram, start_bot)
    customer, private, topic = await customer_writes(telegram, forum)
    await in_topic(telegram, forum, AGENT, topic, "/close")
    await bot_says(telegram, forum["id"], "Обращение закрыто", topic.thread_id)
    await wait_topic(telegram, forum["id"], lambda t: t.thread_id == topic.thread_id and t.closed)
    closed = await bot_says(telegram, private["id"], "Обращение в поддержку закрыто")
    assert "просто напишите сюда" in closed.plain_text
    assert len(closed.button_data) == 5
    assert rows(db_path, "SELECT closed FROM conversations") == [(1,)]

    telegram.press_button(private, customer, closed.message_id, closed.button_data[3])
    await bot_says(telegram, forum["id"], "Клиент оценил обращение: 4 из 5", topic.thread_id)
    assert rows(db_path, "SELECT customer_id, score FROM ratings") == [(customer["id"], 4)]
    edited = telegram.message(private["id"], closed.message_id)
    assert edited.plain_text.endswith("Спасибо за оценку: ⭐⭐⭐⭐")
    assert edited.button_data == []
    telegram.press_button(private, customer, closed.message_id, closed.button_data[0])
    await telegram.wait_for(lambda: len(telegram.callback_answers) == 2)
    assert "уже оценили" in telegram.callback_answers[-1]["text"]
    telegram.press_button(private, customer, closed.message_id, "rate:99999:5")  # forged
    await telegram.wait_for(lambda: len(telegram.callback_answers) == 3)
    assert "уже нельзя оценить" in telegram.callback_answers[-1]["text"]
    assert rows(db_path, "SELECT score FROM ratings") == [(4,)]

    move_to(clock, 1, 10)
    await bot.app.scheduler.sweep()
    await bot_says(telegram, forum["id"], "С прошлой сводки 1 оценка, средняя 4.0 из 5.")


async def test_closing_by_hand_counts_and_the_customer_reopens(telegram, start_bot, db_path):
    _, forum = await start_desk(telegram, start_bot)
    customer, private, topic = await customer_writes(telegram, forum)
    telegram.close_topic(forum, AGENT, topic.thread_id)
    closed = await bot_says(telegram, private["id"], "Обращение в поддержку закрыто")
    assert len(closed.button_data) == 5
    telegram.send_text(private, customer, "Ещё вопрос")
    await wait_topic(
        telegram, forum["id"], lambda t: t.thread_id == topic.thread_id and not t.closed
    )
    await eventually(lambda: rows(db_path, "SELECT closed FROM conversations") == [(0,)])
    await telegram.wait_for(lambda: "Ещё вопрос" in copied_texts(telegram, forum["id"]))
    assert len(said(telegram, private["id"], "Обращение в поддержку закрыто")) == 1


async def test_reopening_by_hand_opens_the_conversation(telegram, start_bot, db_path):
    _, forum = await start_desk(telegram, start_bot)
    _, private, topic = await customer_writes(telegram, forum)
    telegram.close_topic(forum, AGENT, topic.thread_id)
    await bot_says(telegram, private["id"], "Обращение в поддержку закрыто")
    await eventually(lambda: rows(db_path, "SELECT closed FROM conversations") == [(1,)])
    telegram.reopen_topic(forum, AGENT, topic.thread_id)
    await eventually(lambda: rows(db_path, "SELECT closed FROM conversations") == [(0,)])


async def test_ban_relays_nothing_and_tells_nothing(telegram, start_bot):
    _, forum = await start_desk(telegram, start_bot)
    customer, private, topic = await customer_writes(telegram, forum, text="Первое")
    await telegram.wait_for(lambda: "Первое" in copied_texts(telegram, forum["id"]))
    await telegram.wait_sent(private["id"], 1)  # the one request for the license info
    told_before = len(telegram.sent_to(private["id"]))
    await in_topic(telegram, forum, AGENT, topic, "/ban")
    await bot_says(telegram, forum["id"], "Заблокирован", topic.thread_id)
    telegram.send_text(private, customer, "спам спам")
    await in_topic(telegram, forum, AGENT, topic, "/unban")
    await bot_says(telegram, forum["id"], "Разблокирован", topic.thread_id)
    telegram.send_text(private, customer, "Снова я")
    await telegram.wait_for(lambda: "Снова я" in copied_texts(telegram, forum["id"]))
    assert copied_texts(telegram, forum["id"], topic.thread_id) == ["Первое", "Снова я"]
    assert len(telegram.sent_to(private["id"])) == told_before


async def test_queue_lists_who_waits_longest_first(telegram, start_bot, clock):
    _, forum = await start_desk(telegram, start_bot)
    _, anna, anna_topic = await customer_writes(telegram, forum, "Анна")
    clock.advance(timedelta(minutes=5))
    await customer_writes(telegram, forum, "Борис")
    clock.advance(timedelta(minutes=5))
    await customer_writes(telegram, forum, "Вера")
    await in_topic(telegram, forum, AGENT, anna_topic, "Добрый день, смотрим")
    await telegram.wait_for(lambda: "Добрый день, смотрим" in copied_texts(telegram, anna["id"]))
    clock.advance(timedelta(minutes=2))

    telegram.send_text(forum, AGENT, "/queue")  # the General topic
    queue = await bot_says(telegram, forum["id"], "ждут ответа")
    lines = queue.plain_text.splitlines()[1:]
    assert len(lines) == 2 and "Анна" not in queue.plain_text
    assert "Борис" in lines[0] and "ждёт 7 минут" in lines[0]
    assert "Вера" in lines[1] and "ждёт 2 минуты" in lines[1]
    assert "❔" in lines[0]  # no license shared yet


async def test_topic_commands_outside_a_customer_topic(telegram, start_bot):
    _, forum = await start_desk(telegram, start_bot)
    for command in ("/close", "/license", "/ban"):
        before = len(said(telegram, forum["id"], "работает в теме клиента"))
        telegram.send_text(forum, AGENT, command)
        await telegram.wait_for(
            lambda b=before: len(said(telegram, forum["id"], "работает в теме клиента")) > b
        )


async def test_forum_members_are_agents_customers_are_not(telegram, start_bot):
    _, forum = await start_desk(telegram, start_bot)
    telegram.send_text(forum, AGENT, "/expiring")
    await bot_says(telegram, forum["id"], "14 дней")
    customer = f.user("Клиент")
    telegram.send_text(f.private_chat(customer), customer, "/expiring")
    await bot_says(telegram, customer["id"], "только сотрудникам поддержки")
