"""End to end: the bot added to a group explains its setup; removed, it goes quiet."""

from __future__ import annotations

from datetime import timedelta

from tests import factories as f
from tests.support.disk import eventually, rows
from tests.support.widget import widget_text


def me(telegram) -> dict:
    return {
        "id": telegram.bot_id,
        "is_bot": True,
        "first_name": "Bot",
        "username": telegram.bot_username,
    }


async def test_added_as_plain_member_asks_for_pin_rights(telegram, backend, start_bot):
    await start_bot()
    owner = f.user("Owner")
    room = f.supergroup("Магазин")
    telegram.push_update(f.my_chat_member_update(room, owner, me(telegram), "left", "member"))
    [hello] = await telegram.wait_sent(room["id"], 1)
    assert "Пришлите текст из блока лицензии" in hello.plain_text
    assert "администратором с правом «Закреплять сообщения»" in hello.plain_text


async def test_added_as_admin_just_says_hello_and_promotion_is_quiet(
    telegram, backend, start_bot, db_path
):
    await start_bot()
    owner = f.user("Owner")
    room = f.supergroup("Магазин")
    telegram.push_update(
        f.my_chat_member_update(room, owner, me(telegram), "left", "administrator")
    )
    [hello] = await telegram.wait_sent(room["id"], 1)
    assert "Закреплять" not in hello.plain_text
    telegram.push_update(
        f.my_chat_member_update(room, owner, me(telegram), "administrator", "member")
    )
    telegram.push_update(f.my_chat_member_update(room, owner, me(telegram), "member", "left"))
    await eventually(
        lambda: rows(db_path, "SELECT active FROM chats WHERE chat_id = ?", room["id"]) == [(0,)]
    )
    assert len(telegram.sent_to(room["id"])) == 1


async def test_promotion_to_admin_pins_the_waiting_status(telegram, backend, start_bot):
    bot = await start_bot()
    rid = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
    expires = bot.app.clock.today() + timedelta(days=30)
    backend.add(rid, expires_on=expires)
    owner = f.user("Owner")
    room = f.supergroup("Магазин")
    telegram.set_chat(room, can_pin=False)
    telegram.send_text(room, owner, widget_text(rid, expires))
    await telegram.wait_sent(room["id"], 2)  # the status as the answer, «дайте права»
    assert telegram.pinned.get(room["id"]) is None
    telegram.set_chat(room, can_pin=True)
    telegram.push_update(
        f.my_chat_member_update(room, owner, me(telegram), "member", "administrator")
    )
    pinned = await telegram.wait_for(lambda: telegram.pinned.get(room["id"]))
    assert "Техническая поддержка" in telegram.message(room["id"], pinned).plain_text
    assert len(telegram.sent_to(room["id"])) == 2  # pinned in place, nothing new said
