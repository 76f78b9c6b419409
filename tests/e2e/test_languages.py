"""End to end: Russian and English, chosen per person in private and per chat in groups."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories as f
from tests.support.bots import AGENT_ID
from tests.support.clocks import morning_clock, move_to
from tests.support.disk import rows
from tests.support.verdict import verdict
from tests.support.widget import en, ru, widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
RID2 = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"

# What each language must show; the words are the point here, so they are written out.
WORDS = {
    "en": {
        "answer": "Checked with the license server:",
        "line": "support until {date} — {days} days left",
        "title": "📌 Technical support in this chat",
        "updated": "Updated",
        "date": en,
    },
    "ru": {
        "answer": "Лицензия проверена на сервере лицензий:",
        "line": "поддержка до {date} — осталось {days} дней",
        "title": "📌 Техническая поддержка в этом чате",
        "updated": "Обновлено",
        "date": ru,
    },
}


def says(language: str, text: str, expires, days: int) -> bool:
    words = WORDS[language]
    line = words["line"].format(date=words["date"](expires), days=days)
    return line in text and (words["title"] in text or words["answer"] in text)


def language_of(db_path, chat_id: int) -> str | None:
    [(language,)] = rows(db_path, "SELECT language FROM chats WHERE chat_id = ?", chat_id)
    return language


@pytest.mark.parametrize(("code", "language"), [("en-US", "en"), ("ru", "ru"), (None, "ru")])
async def test_private_chat_speaks_the_persons_language(
    telegram, backend, start_bot, db_path, code, language
):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=120)
    backend.add(RID, expires_on=expires, license_id="L-1042")
    person = f.user("Alex", language_code=code)
    chat = f.private_chat(person)
    telegram.send_text(chat, person, widget_text(RID, expires))

    pinned_id = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    [status] = telegram.messages_in(chat["id"])  # the status itself is the answer
    assert status.reply_to_message_id is not None
    assert status.message_id == pinned_id
    first, second, *_ = status.plain_text.split("\n")
    assert first == verdict(language, expires, today=bot.app.clock.today())
    assert second == WORDS[language]["title"]
    assert says(language, status.plain_text, expires, 120)
    assert "МойСклад: Синхронизация товаров по API" in status.plain_text  # as the backend says
    assert language_of(db_path, chat["id"]) == language

    telegram.send_text(chat, person, "/license")
    [*_, shown] = await telegram.wait_sent(chat["id"], 2)
    assert says(language, shown.plain_text, expires, 120)
    assert WORDS[language]["updated"] in shown.plain_text


async def test_private_chat_follows_the_person_who_switches_telegram_to_english(
    telegram, backend, start_bot, db_path
):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=30)
    backend.add(RID, expires_on=expires)
    person = f.user("Alex", language_code="ru")
    chat = f.private_chat(person)
    telegram.send_text(chat, person, widget_text(RID, expires))
    pinned_id = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))

    person["language_code"] = "en"
    telegram.send_text(chat, person, "/license")
    [*_, shown] = await telegram.wait_sent(chat["id"], 2)
    assert says("en", shown.plain_text, expires, 30)
    assert language_of(db_path, chat["id"]) == "en"
    await bot.app.dp["board"].refresh(chat["id"])  # e.g. the daily refresh of the pin
    assert says("en", telegram.message(chat["id"], pinned_id).plain_text, expires, 30)


async def test_group_takes_the_first_sharers_language_and_an_agent_can_change_it(
    telegram, backend, start_bot, db_path
):
    bot = await start_bot()
    today = bot.app.clock.today()
    expires, expires2 = today + timedelta(days=40), today + timedelta(days=60)
    backend.add(RID, expires_on=expires)
    backend.add(RID2, expires_on=expires2, module_name="МойСклад: Гибкий обмен заказами по API")
    room = f.supergroup("Shop")
    telegram.set_chat(room, can_pin=True)
    ivan, john = f.user("Ivan", language_code="ru"), f.user("John", language_code="en")

    telegram.send_text(room, ivan, widget_text(RID, expires))
    pinned_id = await telegram.wait_for(lambda: telegram.pinned.get(room["id"]))
    assert says("ru", telegram.message(room["id"], pinned_id).plain_text, expires, 40)
    assert language_of(db_path, room["id"]) == "ru"

    # An English speaker later: the group keeps its language, for the reply and the pin.
    telegram.send_text(room, john, widget_text(RID2, expires2))
    [*_, reply] = await telegram.wait_sent(room["id"], 2)
    assert says("ru", reply.plain_text, expires2, 60)
    assert language_of(db_path, room["id"]) == "ru"

    agent = f.user("Agent", id=AGENT_ID, language_code="ru")
    telegram.send_text(room, agent, "/language en")
    await telegram.wait_for(
        lambda: "Technical support" in telegram.message(room["id"], pinned_id).plain_text
    )
    status = telegram.message(room["id"], pinned_id).plain_text
    assert says("en", status, expires, 40) and says("en", status, expires2, 60)
    assert telegram.pinned[room["id"]] == pinned_id  # edited in place, not sent anew
    assert "This chat now gets its messages in English." in [
        m.plain_text for m in telegram.sent_to(room["id"])
    ]
    assert language_of(db_path, room["id"]) == "en"

    await bot.stop()
    await start_bot()
    sent = len(telegram.sent_to(room["id"]))
    telegram.send_text(room, ivan, "/license")
    [*_, shown] = await telegram.wait_sent(room["id"], sent + 1)
    assert says("en", shown.plain_text, expires, 40)


async def test_a_group_first_shared_in_english_gets_english(telegram, backend, start_bot, db_path):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=40)
    backend.add(RID, expires_on=expires)
    room = f.supergroup("Shop")
    telegram.set_chat(room, can_pin=True)
    john = f.user("John", language_code="en-GB")
    telegram.send_text(room, john, "/help")  # before anyone shared: the sender's language
    [help_text] = await telegram.wait_sent(room["id"], 1)
    assert "Pin messages" in help_text.plain_text
    assert rows(db_path, "SELECT language FROM chats WHERE chat_id = ?", room["id"]) == []

    telegram.send_text(room, john, widget_text(RID, expires))
    pinned_id = await telegram.wait_for(lambda: telegram.pinned.get(room["id"]))
    assert says("en", telegram.message(room["id"], pinned_id).plain_text, expires, 40)
    assert language_of(db_path, room["id"]) == "en"

    ivan = f.user("Ivan", language_code="ru")
    telegram.send_text(room, ivan, "/license")
    [*_, shown] = await telegram.wait_sent(room["id"], 3)
    assert says("en", shown.plain_text, expires, 40)


async def test_language_command_is_for_agents_and_takes_ru_or_en(telegram, start_bot, db_path):
    await start_bot()
    room = f.supergroup("Shop")
    customer, agent = f.user("Ivan"), f.user("Agent", id=AGENT_ID)
    telegram.send_text(room, customer, "/language en")
    [refused] = await telegram.wait_sent(room["id"], 1)
    assert refused.plain_text == "Эта команда доступна только сотрудникам поддержки."
    for wrong in ("/language", "/language de", "/language en ru"):
        telegram.send_text(room, agent, wrong)
    answers = await telegram.wait_sent(room["id"], 4)
    assert [a.plain_text for a in answers[1:]] == [
        "Укажите язык чата: /language ru или /language en"
    ] * 3
    assert rows(db_path, "SELECT language FROM chats") == []

    telegram.send_text(room, agent, "/LANGUAGE EN")
    [*_, done] = await telegram.wait_sent(room["id"], 5)
    assert done.plain_text == "This chat now gets its messages in English."
    assert language_of(db_path, room["id"]) == "en"

    private = f.private_chat(agent)
    telegram.send_text(private, agent, "/language en")
    [note] = await telegram.wait_sent(private["id"], 1)
    assert "Telegram" in note.plain_text


async def test_delayed_answer_comes_later_in_the_chats_language(
    telegram, backend, start_bot, db_path
):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=50)
    backend.add(RID, expires_on=expires)
    backend.set_down(503)
    person = f.user("John", language_code="en")
    chat = f.private_chat(person)
    telegram.send_text(chat, person, widget_text(RID, expires))
    [delayed] = await telegram.wait_sent(chat["id"], 1)
    assert "is delayed" in delayed.plain_text
    await backend.wait_calls(RID, 2)
    backend.set_up()
    pinned_id = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]), timeout=10)
    answer = telegram.messages_in(chat["id"])[1]
    assert says("en", answer.plain_text, expires, 50)
    assert says("en", telegram.message(chat["id"], pinned_id).plain_text, expires, 50)


async def test_reminders_and_the_daily_pin_go_out_in_the_chats_language(
    telegram, backend, start_bot
):
    clock = morning_clock()
    bot = await start_bot(clock=clock)
    start = clock.today()
    expires = start + timedelta(days=15)
    backend.add(RID, expires_on=expires, renew_url="https://example.ru/renew/L-1")
    john = f.user("John", language_code="en")
    chat = f.private_chat(john)
    telegram.send_text(chat, john, widget_text(RID, expires))
    pinned_id = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))

    move_to(clock, 12, 10, 5, base=start)
    await bot.app.scheduler.sweep()
    reminder = telegram.sent_to(chat["id"])[-1]
    assert f"support under the license ends on {en(expires)} — 3 days left" in (
        reminder.plain_text
    )
    assert [b["text"] for b in reminder.buttons] == ["Renew: Синхронизация товаров по API"]
    pin = telegram.message(chat["id"], pinned_id).plain_text
    assert f"support until {en(expires)} — 3 days left" in pin


async def test_agents_chat_gets_alerts_and_digest_in_the_language_set_there(
    telegram, backend, start_bot
):
    clock = morning_clock()  # before the digest hour: nothing reaches the agents' chat yet
    agents_chat = f.supergroup("Support team")
    bot = await start_bot(
        clock=clock, license_api_token="wrong-token", support_chat_id=str(agents_chat["id"])
    )
    telegram.send_text(agents_chat, f.user("Agent", id=AGENT_ID), "/language en")
    [done] = await telegram.wait_sent(agents_chat["id"], 1)
    assert done.plain_text == "This chat now gets its messages in English."

    backend.add(RID, expires_on=clock.today() + timedelta(days=5))
    alice = f.user("Alice", language_code="ru")
    telegram.send_text(f.private_chat(alice), alice, widget_text(RID, clock.today()))
    [_, alert] = await telegram.wait_sent(agents_chat["id"], 2)
    assert "rejects the bot's requests (HTTP 401)" in alert.plain_text

    move_to(clock, 0, 10, 1)
    await bot.app.scheduler.send_digest()
    [*_, digest] = await telegram.wait_sent(agents_chat["id"], 3)
    assert digest.plain_text.startswith(f"📋 Licenses on {en(clock.today())}")


async def test_command_menus_in_russian_and_english(telegram, start_bot):
    await start_bot()

    def menu(language: str | None) -> list[dict[str, str]] | None:
        return telegram.commands.get(telegram.commands_key({"language_code": language}))

    await telegram.wait_for(lambda: menu("en"))
    assert menu(None) == [
        {"command": "license", "description": "Срок поддержки в этом чате"},
        {"command": "help", "description": "Как прислать информацию о лицензии"},
    ]
    assert [c["command"] for c in menu("en")] == ["license", "help"]
    assert menu("en")[0]["description"] == "Support term in this chat"
