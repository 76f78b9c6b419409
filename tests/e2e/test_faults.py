"""End to end: a backend that is down, misconfigured; chats that migrate, block, lack rights."""

from __future__ import annotations

from datetime import timedelta

from tests import factories as f
from tests.support.agents_chat import wait_alerts
from tests.support.disk import eventually, rows
from tests.support.widget import ru, widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
RID2 = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
SUPPORT_CHAT = -1009999999999


async def test_backend_down_then_up_pins_without_second_paste(
    telegram, backend, start_bot, db_path
):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=50)
    backend.add(RID, expires_on=expires)
    backend.set_down(503)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    paste = telegram.send_text(chat, alice, widget_text(RID, expires))
    [delayed] = await telegram.wait_sent(chat["id"], 1)
    assert "задерживается" in delayed.plain_text
    assert "не найден" not in delayed.plain_text
    assert telegram.pinned.get(chat["id"]) is None
    assert rows(db_path, "SELECT request_id, claimed_expires_on FROM pending_checks") == [
        (RID, expires.isoformat())
    ]
    await backend.wait_calls(RID, 2)  # retried on its own, with backoff
    backend.set_up()
    pinned = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]), timeout=10)
    answer = telegram.messages_in(chat["id"])[1]
    assert answer.reply_to_message_id == paste["message_id"]
    assert f"поддержка до {ru(expires)}" in answer.plain_text
    assert f"до {ru(expires)}" in telegram.message(chat["id"], pinned).plain_text
    await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM pending_checks") == [(0,)])


async def test_pending_claim_survives_restart(telegram, backend, start_bot, db_path):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=50)
    backend.add(RID, expires_on=expires)
    backend.set_down(502)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, expires))
    await telegram.wait_sent(chat["id"], 1)
    await bot.stop()
    assert rows(db_path, "SELECT request_id FROM pending_checks") == [(RID,)]

    backend.set_up()
    await start_bot()
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]), timeout=10)


async def test_backend_auth_failure_alerts_operator_not_customer(telegram, backend, start_bot):
    bot = await start_bot(license_api_token="wrong-token", support_chat_id=str(SUPPORT_CHAT))
    backend.add(RID, expires_on=bot.app.clock.today() + timedelta(days=5))
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, bot.app.clock.today()))
    [answer] = await telegram.wait_sent(chat["id"], 1)
    assert "задерживается" in answer.plain_text and "не найден" not in answer.plain_text
    [alert] = await wait_alerts(telegram, SUPPORT_CHAT, 1)
    assert "HTTP 401" in alert.plain_text and "LICENSE_API_TOKEN" in alert.plain_text
    assert "wrong-token" not in alert.text


async def test_group_migration_keeps_licenses(telegram, backend, start_bot, db_path):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=70)
    backend.add(RID, expires_on=expires)
    owner = f.user("Owner")
    old = f.group("Магазин")
    telegram.send_text(old, owner, widget_text(RID, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(old["id"]))

    new = f.supergroup("Магазин")
    telegram.migrate(old["id"], new["id"])
    await telegram.wait_for(lambda: telegram.pinned.get(new["id"]))
    assert rows(db_path, "SELECT chat_id FROM licenses") == [(new["id"],)]
    assert rows(db_path, "SELECT chat_id, type FROM chats") == [(new["id"], "supergroup")]
    telegram.send_text(new, owner, "/license")
    await telegram.wait_for(
        lambda: any(
            "/license" not in m.plain_text and f"до {ru(expires)}" in m.plain_text
            for m in telegram.messages_in(new["id"])[1:]
        )
    )


async def test_send_to_migrated_group_follows_new_id(telegram, backend, start_bot, db_path):
    bot = await start_bot()
    expires = bot.app.clock.today() + timedelta(days=70)
    backend.add(RID, expires_on=expires)
    backend.set_down(503)
    owner = f.user("Owner")
    old = f.group("Магазин")
    telegram.send_text(old, owner, widget_text(RID, expires))
    await telegram.wait_sent(old["id"], 1)
    new_id = -1007777777777
    # Telegram would also deliver the service messages; here only the send error tells.
    telegram.migrate(old["id"], new_id, announce=False)
    backend.set_up()
    await telegram.wait_for(lambda: telegram.pinned.get(new_id), timeout=10)
    assert rows(db_path, "SELECT chat_id FROM licenses") == [(new_id,)]


async def test_pin_without_rights_is_explained_once(telegram, backend, start_bot, db_path):
    bot = await start_bot()
    today = bot.app.clock.today()
    backend.add(RID, expires_on=today + timedelta(days=30))
    backend.add(RID2, expires_on=today + timedelta(days=60), license_id="L-2")
    owner = f.user("Owner")
    room = f.supergroup("Магазин")
    telegram.set_chat(room, can_pin=False)
    telegram.send_text(room, owner, widget_text(RID, today))
    await telegram.wait_sent(room["id"], 3)  # answer, status, the one explanation
    # (the same paste again at once would be answered by the first answer: a second module)
    telegram.send_text(room, owner, widget_text(RID2, today))
    await telegram.wait_sent(room["id"], 4)  # a new answer; the status is edited in place
    texts = [m.plain_text for m in telegram.messages_in(room["id"])]
    assert sum("Закреплять сообщения" in t for t in texts) == 1
    assert telegram.pinned.get(room["id"]) is None
    assert rows(db_path, "SELECT COUNT(*) FROM licenses") == [(2,)]


async def test_deleted_status_is_sent_again_and_repinned(telegram, backend, start_bot):
    bot = await start_bot()
    today = bot.app.clock.today()
    backend.add(RID, expires_on=today + timedelta(days=30))
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, today))
    first = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    telegram.delete_message(chat["id"], first)
    telegram.send_text(chat, alice, widget_text(RID, today))
    second = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    assert second != first
    assert "Синхронизация товаров" in telegram.message(chat["id"], second).plain_text


async def test_blocked_chat_is_marked_inactive(telegram, backend, start_bot, db_path):
    bot = await start_bot()
    today = bot.app.clock.today()
    backend.add(RID, expires_on=today + timedelta(days=30))
    backend.set_down(503)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, today))
    await telegram.wait_sent(chat["id"], 1)
    telegram.block(chat["id"])
    backend.set_up()
    await eventually(
        lambda: rows(db_path, "SELECT active FROM chats WHERE chat_id = ?", chat["id"]) == [(0,)],
        timeout=10,
    )


async def test_bot_removed_from_group_marks_it_inactive(telegram, backend, start_bot, db_path):
    await start_bot()
    owner = f.user("Owner")
    room = f.supergroup("Магазин")
    me = {
        "id": telegram.bot_id,
        "is_bot": True,
        "first_name": "Bot",
        "username": telegram.bot_username,
    }
    telegram.push_update(f.my_chat_member_update(room, owner, me, "left", "administrator"))
    await eventually(
        lambda: rows(db_path, "SELECT active FROM chats WHERE chat_id = ?", room["id"]) == [(1,)]
    )
    telegram.push_update(f.my_chat_member_update(room, owner, me, "administrator", "kicked"))
    await eventually(
        lambda: rows(db_path, "SELECT active FROM chats WHERE chat_id = ?", room["id"]) == [(0,)]
    )


async def test_license_command_shows_a_check_still_waiting(telegram, backend, start_bot):
    bot = await start_bot()
    backend.add(RID, expires_on=bot.app.clock.today() + timedelta(days=50))
    backend.set_down(503)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, bot.app.clock.today()))
    await telegram.wait_sent(chat["id"], 1)
    telegram.send_text(chat, alice, "/license")
    [_, status] = await telegram.wait_sent(chat["id"], 2)
    assert f"Request ID {RID}: проверка задерживается" in status.plain_text
    assert "Пришлите текст" not in status.plain_text
