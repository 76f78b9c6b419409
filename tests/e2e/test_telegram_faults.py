"""Telegram faults: 429 waits and retries, 403 marks the chat inactive, a lost status message
is re-sent and re-pinned, «not modified» is no error, polling survives network trouble.

(Pins without rights and migrated chats: tests/test_e2e_faults.py.)
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from aiogram.exceptions import ClientDecodeError

from bot.views import notices
from tests import factories as f
from tests.fakes.telegram_api import CONFLICT
from tests.support.catalog import in_russian
from tests.support.disk import eventually, rows
from tests.support.verdict import verdict
from tests.support.widget import widget_text

ERROR_GENERIC = in_russian(notices.error_generic)

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
RID2 = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"


@pytest.fixture
def errors(caplog):
    """ERROR records logged during the test (none is expected)."""
    caplog.set_level(logging.WARNING)
    return lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def licensed_chat(telegram, backend, bot, chat, days=30):
    expires = bot.app.clock.today() + timedelta(days=days)
    backend.add(RID, expires_on=expires)
    user = f.user("Owner")
    telegram.send_text(chat, user, widget_text(RID, expires))
    pinned = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    return user, pinned


@pytest.mark.parametrize("method", ["sendMessage", "pinChatMessage"])
async def test_429_is_waited_out_and_retried(telegram, backend, fast_bot, errors, method):
    bot = await fast_bot()
    chat = f.private_chat(f.user("Alice"))
    telegram.fail_next(
        method,
        error_code=429,
        description="Too Many Requests: retry after 1",
        retry_after=1,
        chat_id=chat["id"],
    )
    await licensed_chat(telegram, backend, bot, chat)
    calls = [c for c in telegram.calls_to(method) if c.chat_id == chat["id"]]
    assert [c.error_code for c in calls][:2] == [429, None]
    [status] = telegram.sent_to(chat["id"])  # the status, pinned, is the answer
    assert status.reply_to_message_id is not None
    today = bot.app.clock.today()
    first_line = verdict("ru", today + timedelta(days=30), today=today)
    assert status.plain_text.startswith(first_line)
    assert telegram.pinned[chat["id"]] == status.message_id
    assert errors() == []


async def paste_held_at_the_backend(telegram, backend, bot):
    """A customer's paste whose backend check is in flight (held until backend.release())."""
    expires = bot.app.clock.today() + timedelta(days=30)
    backend.add(RID, expires_on=expires)
    backend.fault("hold", request_id=RID, times=1)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    paste = telegram.send_text(chat, alice, widget_text(RID, expires))
    await backend.wait_calls(RID, 1)
    return alice, chat, paste


async def test_blocked_while_checking_marks_the_chat_inactive_until_it_returns(
    telegram, backend, fast_bot, db_path, errors
):
    alice, chat, _paste = await paste_held_at_the_backend(telegram, backend, await fast_bot())
    telegram.block(chat["id"])
    backend.release()
    await eventually(
        lambda: rows(db_path, "SELECT active FROM chats WHERE chat_id = ?", chat["id"]) == [(0,)]
    )
    assert telegram.sent_to(chat["id"]) == []
    assert rows(db_path, "SELECT request_id FROM licenses") == [(RID,)]  # kept for its return

    telegram.unblock(chat["id"])  # Telegram tells the bot the user is back
    me = telegram.bot_user
    telegram.push_update(f.my_chat_member_update(chat, alice, me, "kicked", "member"))
    pinned = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    assert "Синхронизация товаров" in telegram.message(chat["id"], pinned).plain_text
    assert rows(db_path, "SELECT active FROM chats WHERE chat_id = ?", chat["id"]) == [(1,)]
    assert errors() == []


async def test_kicked_from_a_group_marks_it_inactive(telegram, backend, fast_bot, db_path):
    bot = await fast_bot()
    room = f.supergroup("Магазин")
    await licensed_chat(telegram, backend, bot, room)
    telegram.fail_next(
        "sendMessage",
        error_code=403,
        chat_id=room["id"],
        description="Forbidden: bot was kicked from the supergroup chat",
    )
    telegram.send_text(room, f.user("Owner"), "/help")
    await eventually(
        lambda: rows(db_path, "SELECT active FROM chats WHERE chat_id = ?", room["id"]) == [(0,)]
    )


async def test_status_message_gone_is_sent_again_and_pinned(telegram, backend, fast_bot, errors):
    bot = await fast_bot()
    chat = f.private_chat(f.user("Alice"))
    owner, first = await licensed_chat(telegram, backend, bot, chat)
    backend.add(RID2, expires_on=bot.app.clock.today() + timedelta(days=90), license_id="L-2")
    telegram.fail_next(
        "editMessageText",
        error_code=400,
        chat_id=chat["id"],
        description="Bad Request: message to edit not found",
    )
    telegram.send_text(chat, owner, widget_text(RID2, bot.app.clock.today()))
    second = await telegram.wait_for(
        lambda: telegram.pinned.get(chat["id"]) != first and telegram.pinned.get(chat["id"])
    )
    status = telegram.message(chat["id"], second).plain_text
    # The verdict (the license ending soonest), then both modules' lines.
    today = bot.app.clock.today()
    assert status.startswith(verdict("ru", today + timedelta(days=30), today=today))
    assert "Синхронизация товаров" in status and status.count("\n\n✅") == 2
    assert errors() == []


async def test_not_modified_is_no_error(telegram, backend, fast_bot, errors):
    bot = await fast_bot()
    chat = f.private_chat(f.user("Alice"))
    owner, pinned = await licensed_chat(telegram, backend, bot, chat)
    edits = len(telegram.calls_to("editMessageText"))
    telegram.send_text(chat, owner, widget_text(RID, bot.app.clock.today()))  # the same again
    await telegram.wait_for(lambda: len(telegram.calls_to("editMessageText")) > edits)
    telegram.send_text(chat, owner, "/help")
    await telegram.wait_sent(chat["id"], 2)  # the status (the first answer), the help
    assert "message is not modified" in telegram.calls_to("editMessageText")[-1].description
    assert telegram.pinned[chat["id"]] == pinned
    assert ERROR_GENERIC not in [m.plain_text for m in telegram.sent_to(chat["id"])]
    assert errors() == []


async def test_the_paste_deleted_before_the_answer_still_gets_it(telegram, backend, fast_bot):
    _alice, chat, paste = await paste_held_at_the_backend(telegram, backend, await fast_bot())
    telegram.delete_message(chat["id"], paste["message_id"])
    backend.release()
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    answer = telegram.sent_to(chat["id"])[0]
    assert "Техническая поддержка в этом чате" in answer.plain_text  # the status answers
    assert answer.reply_to_message_id is None


async def test_polling_survives_network_errors_5xx_429_and_a_conflict(telegram, backend, fast_bot):
    bot = await fast_bot()
    await telegram.wait_for(lambda: telegram.calls_to("getUpdates"))
    telegram.fail_get_updates_network(2)
    for code, description in ((502, "Bad Gateway"), (409, CONFLICT)):
        telegram.fail_next("getUpdates", error_code=code, description=description)
    telegram.fail_next(
        "getUpdates", error_code=429, retry_after=1, description="Too Many Requests: retry after 1"
    )
    await telegram.wait_for(
        lambda: len([c for c in telegram.calls_to("getUpdates") if not c.ok]) == 5, timeout=10
    )
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, "/help")
    [answer] = await telegram.wait_sent(chat["id"], 1, timeout=10)
    assert answer.plain_text.startswith("Я проверяю")
    assert not bot.task.done()


async def test_polling_survives_a_garbage_answer(telegram, backend, fast_bot, monkeypatch):
    """A proxy in front of the Bot API may answer with an HTML error page."""
    bot = await fast_bot()
    real = bot.app.bot.get_updates
    garbage = [ClientDecodeError("Failed to decode object", ValueError("<html>"), "<html>")]

    async def get_updates(**kwargs):
        if garbage:
            raise garbage.pop()
        return await real(**kwargs)

    monkeypatch.setattr(bot.app.bot, "get_updates", get_updates)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, "/help")
    await telegram.wait_sent(chat["id"], 1, timeout=10)
    assert garbage == [] and not bot.task.done()
