"""End to end: the real bot long-polls the fake Telegram and asks the reference backend."""

from __future__ import annotations

from datetime import timedelta

from tests import factories as f
from tests.support.bots import AGENT_ID
from tests.support.disk import eventually, rows
from tests.support.widget import ru, widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
RID2 = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"


async def test_private_paste_gets_one_answer_one_pin_and_a_row(
    telegram, backend, start_bot, db_path
):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=120)
    backend.add(RID, expires_on=expires, license_id="L-1042")
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    paste = telegram.send_text(chat, alice, widget_text(RID, expires))

    pinned_id = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    [status] = telegram.messages_in(chat["id"])  # the answer is the status, pinned: 2 calls
    assert status.reply_to_message_id == paste["message_id"]
    assert status.plain_text.startswith(f"✅ Поддержка до {ru(expires)}")
    assert f"поддержка до {ru(expires)} — осталось 120 дней" in status.plain_text
    assert pinned_id == status.message_id
    assert [c.method for c in telegram.calls if c.chat_id == chat["id"]] == [
        "sendMessage",
        "pinChatMessage",
    ]
    assert "МойСклад: Синхронизация товаров по API" in status.plain_text
    assert f"до {ru(expires)} — осталось 120 дней" in status.plain_text
    assert rows(db_path, "SELECT chat_id, request_id, license_id, expires_on FROM licenses") == [
        (chat["id"], RID, "L-1042", expires.isoformat())
    ]
    await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM pending_checks") == [(0,)])


async def test_second_module_edits_the_same_pin(telegram, backend, start_bot):
    bot = await start_bot()
    today = bot.app.clock.today()
    backend.add(RID, expires_on=today + timedelta(days=30), license_id="L-1")
    backend.add(
        RID2,
        expires_on=today + timedelta(days=60),
        license_id="L-2",
        module_name="МойСклад: Гибкий обмен заказами по API",
    )
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, today + timedelta(days=30)))
    first_pin = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    telegram.send_text(chat, alice, "и второй модуль:\n" + widget_text(RID2, today))
    await telegram.wait_for(
        lambda: "Гибкий обмен" in telegram.message(chat["id"], first_pin).plain_text
    )
    status = telegram.message(chat["id"], first_pin).plain_text
    assert "Синхронизация товаров" in status and "Гибкий обмен заказами" in status
    assert telegram.pinned[chat["id"]] == first_pin
    # the claimed date (today) differs from the backend's: the answer says so politely
    answer = telegram.messages_in(chat["id"])[-1].plain_text
    assert f"указан срок до {ru(today)}" in answer
    assert f"до {ru(today + timedelta(days=60))}" in answer
    assert ru(today) not in status.split("Обновлено")[0]


async def test_group_status_survives_restart_and_agent_sees_details(telegram, backend, start_bot):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=45)
    backend.add(RID, expires_on=expires, license_id="L-7", site="shop.example.ru")
    owner = f.user("Owner")
    chat = f.supergroup("Магазин «Ромашка»")
    telegram.set_chat(chat, can_pin=True)
    telegram.send_text(chat, owner, "Добрый день!\n" + widget_text(RID, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    await bot.stop()

    await start_bot()
    agent = f.user("Agent", id=AGENT_ID)
    before = len(telegram.sent)
    telegram.send_text(chat, agent, "/license")
    await telegram.wait_for(lambda: len(telegram.sent) > before)
    reply = telegram.sent[-1]
    assert f"до {ru(expires)} — осталось 45 дней" in reply.plain_text
    assert RID in reply.plain_text and "shop.example.ru" in reply.plain_text
    assert any(b.get("callback_data", "").startswith("recheck") for b in reply.buttons)
    assert backend.calls_for(RID) == 1  # answered from storage, not the backend

    customer = f.user("Customer")
    telegram.send_text(chat, customer, "/license")
    await telegram.wait_for(lambda: len(telegram.sent) > before + 1)
    plain = telegram.sent[-1]
    assert f"до {ru(expires)}" in plain.plain_text
    assert RID not in plain.plain_text and "shop.example.ru" not in plain.plain_text
    assert plain.buttons == []


async def test_expired_license_gets_renewal_button_and_rule(telegram, backend, start_bot):
    bot = await start_bot()
    ended = bot.app.clock.today() - timedelta(days=3)
    backend.add(
        RID, status="expired", expires_on=ended, renew_url="https://example.ru/renew/L-1042"
    )
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, ended, status="expired"))
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    [status] = telegram.messages_in(chat["id"])
    answer = status  # the status itself answers a chat's first paste
    assert f"лицензия истекла {ru(ended)}" in answer.plain_text
    assert "только при активной лицензии 1С-Битрикс" in answer.plain_text
    assert [b["url"] for b in answer.buttons] == ["https://example.ru/renew/L-1042"]
    assert [b["url"] for b in status.buttons] == ["https://example.ru/renew/L-1042"]


async def test_active_claim_with_past_backend_date_is_expired(telegram, backend, start_bot):
    bot = await start_bot()
    today = bot.app.clock.today()
    backend.add(RID, status="active", expires_on=today - timedelta(days=1))
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, today + timedelta(days=300)))
    pinned = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    status, note = await telegram.wait_sent(chat["id"], 2)
    assert status.message_id == pinned and "лицензия истекла" in status.plain_text
    # what the pinned status does not say comes in a reply of its own
    assert "по данным сервера лицензий она не активна" in note.plain_text
    assert "по данным сервера лицензий" not in status.plain_text


async def test_demo_license_is_marked_demo(telegram, backend, start_bot):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=10)
    backend.add(RID, demo=True, expires_on=expires)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, expires, status="demo"))
    pinned = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    assert "(демо)" in telegram.message(chat["id"], pinned).plain_text


async def test_unknown_request_id_gets_clear_answer_and_no_pin(
    telegram, backend, start_bot, db_path
):
    bot = await start_bot()
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, bot.app.clock.today()))
    [answer] = await telegram.wait_sent(chat["id"], 1)
    assert "не найден на сервере лицензий" in answer.plain_text
    assert telegram.pinned.get(chat["id"]) is None
    assert rows(db_path, "SELECT COUNT(*) FROM licenses") == [(0,)]
    await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM pending_checks") == [(0,)])


async def test_caption_forward_and_edit_are_read(telegram, backend, start_bot):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=20)
    backend.add(RID, expires_on=expires)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, None, caption=widget_text(RID, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))

    bob = f.user("Bob")
    chat_b = f.private_chat(bob)
    telegram.send_text(
        chat_b, bob, widget_text(RID, expires), forward_origin=f.forwarded_from_user(alice)
    )
    await telegram.wait_for(lambda: telegram.pinned.get(chat_b["id"]))

    carol = f.user("Carol")
    chat_c = f.private_chat(carol)
    original = telegram.send_text(chat_c, carol, "сейчас пришлю")
    await telegram.wait_sent(chat_c["id"], 1)  # help for a message with no Request ID
    telegram.edit_text(chat_c, carol, original["message_id"], widget_text(RID, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(chat_c["id"]))


async def test_private_chat_without_request_id_gets_help_group_stays_quiet(
    telegram, backend, start_bot
):
    await start_bot()
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, "Здравствуйте, не работает обмен заказами")
    [help_msg] = await telegram.wait_sent(chat["id"], 1)
    assert "Скопировать информацию о лицензии" in help_msg.plain_text
    assert "с 3.2.0" in help_msg.plain_text and "обновите модуль" in help_msg.plain_text

    room = f.supergroup("Поддержка")
    telegram.send_text(room, alice, "Коллеги, добрый день, есть вопрос по обмену")
    telegram.send_text(room, alice, "/help")
    [group_help] = await telegram.wait_sent(room["id"], 1)
    assert "Закреплять сообщения" in group_help.plain_text
    assert len(telegram.messages_in(room["id"])) == 1  # nothing said to the conversation
