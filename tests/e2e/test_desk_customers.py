"""End to end: what customers get from the desk besides the agents' answers — the license
request once, the working-hours reply at most once per 12 hours — and the notes agents see
in the topic: a reminder the customer got, the customer blocking and unblocking the bot."""

from __future__ import annotations

from datetime import timedelta

from tests.support.clocks import move_to
from tests.support.desk_tools import bot_says, copied_texts, customer_writes, said, start_desk
from tests.support.disk import eventually, rows
from tests.support.widget import ru, widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
ASKED = "пришлите, пожалуйста, и информацию о лицензии"
AFTER_HOURS = "Сейчас сотрудники поддержки не работают"
HELP = "Я проверяю лицензии"


async def help_then(telegram, private, customer) -> list[str]:
    """/help is answered after every earlier message of the chat was handled: then the bot's
    private messages are final. Returns their texts, the answers to /help left out."""
    before = len(telegram.sent_to(private["id"]))
    telegram.send_text(private, customer, "/help")
    await telegram.wait_sent(private["id"], before + 1)
    texts = [m.plain_text for m in telegram.sent_to(private["id"])]
    return [text for text in texts if not text.startswith(HELP)]


async def test_license_is_asked_for_once(telegram, start_bot):
    _, forum = await start_desk(telegram, start_bot)
    customer, private, _ = await customer_writes(telegram, forum, text="Не работает обмен")
    asked = await bot_says(telegram, private["id"], ASKED)
    assert "Спасибо, ваше сообщение передано в поддержку." in asked.plain_text
    assert "Скопировать информацию о лицензии" in asked.plain_text
    telegram.send_text(private, customer, "Алло?")
    told = await help_then(telegram, private, customer)
    assert len(told) == 1 and ASKED in told[0]
    await telegram.wait_for(lambda: "Алло?" in copied_texts(telegram, forum["id"]))


async def test_a_customer_with_a_license_is_not_asked(telegram, backend, start_bot):
    bot, forum = await start_desk(telegram, start_bot)
    expires = bot.app.clock.today() + timedelta(days=90)
    backend.add(RID, expires_on=expires)
    customer, private, _ = await customer_writes(telegram, forum, text=widget_text(RID, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(private["id"]))
    telegram.send_text(private, customer, "Вопрос по настройке")
    told = await help_then(telegram, private, customer)
    assert not any(ASKED in text for text in told)


async def test_after_hours_reply_at_most_once_in_12_hours(telegram, start_bot, clock):
    # Wednesday 20:00 Moscow time: agents are off until Thursday 10:00.
    move_to(clock, 0, 20)
    _, forum = await start_desk(telegram, start_bot, support_hours="mon-fri 10:00-19:00")
    customer, private, _ = await customer_writes(telegram, forum, text="Срочно!")
    reply = await bot_says(telegram, private["id"], AFTER_HOURS)
    tomorrow = ru(clock.today() + timedelta(days=1))
    assert f"они ответят с {tomorrow} в 10:00 (UTC+3)" in reply.plain_text
    assert ASKED in reply.plain_text  # the license request rides along, once
    telegram.send_text(private, customer, "Есть кто?")
    assert len(await help_then(telegram, private, customer)) == 1

    clock.advance(timedelta(hours=11, minutes=50))  # Thursday 07:50: within 12 hours
    telegram.send_text(private, customer, "Доброе утро")
    assert len(await help_then(telegram, private, customer)) == 1
    clock.advance(timedelta(minutes=15))  # 08:05: 12 hours passed, still before opening
    telegram.send_text(private, customer, "Вы тут?")
    told = await help_then(telegram, private, customer)
    assert len(told) == 2 and AFTER_HOURS in told[1] and ASKED not in told[1]
    assert f"с {tomorrow} в 10:00" in told[1]
    move_to(clock, 0, 10, 30)  # open: the bot stays quiet
    telegram.send_text(private, customer, "Ау")
    assert len(await help_then(telegram, private, customer)) == 2


async def test_reminder_shows_as_a_note_in_the_topic(telegram, backend, start_bot, clock):
    bot, forum = await start_desk(telegram, start_bot)
    expires = clock.today() + timedelta(days=4)
    backend.add(RID, expires_on=expires, license_id="L-9")
    _, private, topic = await customer_writes(telegram, forum, text=widget_text(RID, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(private["id"]))
    move_to(clock, 1, 10)  # three days left: the reminder is due
    await bot.app.scheduler.sweep()
    await bot_says(telegram, private["id"], "осталось 3 дня")
    note = await bot_says(telegram, forum["id"], "Клиенту напомнили", topic.thread_id)
    assert f"заканчивается {ru(expires)}" in note.plain_text


async def test_blocking_and_unblocking_are_noted(telegram, start_bot, db_path):
    _, forum = await start_desk(telegram, start_bot)
    _, private, topic = await customer_writes(telegram, forum)
    telegram.block(private["id"], notify=True)
    await bot_says(telegram, forum["id"], "Клиент заблокировал бота", topic.thread_id)
    await eventually(lambda: rows(db_path, "SELECT blocked FROM conversations") == [(1,)])
    telegram.unblock(private["id"], notify=True)
    await bot_says(telegram, forum["id"], "Клиент разблокировал бота", topic.thread_id)
    await eventually(lambda: rows(db_path, "SELECT blocked FROM conversations") == [(0,)])
    assert len(said(telegram, forum["id"], "заблокировал бота", topic.thread_id)) == 1
