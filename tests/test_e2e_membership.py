"""End to end: the bot added to a group explains its setup; removed, it goes quiet."""

from __future__ import annotations

from tests import factories as f
from tests.conftest import eventually, rows


def me(telegram) -> dict:
    return {"id": telegram.bot_id, "is_bot": True, "first_name": "Bot",
            "username": telegram.bot_username}


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
