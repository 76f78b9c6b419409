"""The fake Telegram Bot API, driven by a real aiogram Bot: it must answer like Telegram."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)

from tests import factories as f
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_html import HtmlParseError, parse_html


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    bot = tg.make_bot()
    yield bot
    # AiohttpSession.close() sleeps 0.25 s for TLS shutdown; plain HTTP needs none.
    if bot.session._session is not None:  # type: ignore[attr-defined]
        await bot.session._session.close()  # type: ignore[attr-defined]


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=d.title(), callback_data=d)] for d in data]
    )


async def pending_poll(tg: FakeTelegram) -> None:
    """Wait until a getUpdates request is being held open by the server."""
    await tg.wait_for(
        lambda: any(c.ok is None for c in tg.calls_to("getUpdates")), what="a pending poll"
    )


# --- plumbing ------------------------------------------------------------------------------


async def test_get_me_is_the_bot_of_the_token(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "license_test_bot", True)
    assert tg.url.startswith("http://127.0.0.1:")
    assert [c.method for c in tg.calls] == ["getMe"]
    assert tg.calls[0].ok is True


async def test_wrong_token_is_unauthorized(tg: FakeTelegram) -> None:
    stranger = FakeTelegram(token="999:OTHER")
    stranger.url = tg.url
    bot = stranger.make_bot()
    try:
        with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
            await bot.get_me()
    finally:
        await bot.session.close()


async def test_unknown_method_and_raw_json_requests(tg: FakeTelegram) -> None:
    async with aiohttp.ClientSession() as http:
        url = f"{tg.url}/bot{tg.token}"
        async with http.post(f"{url}/noSuchMethod", data={"a": "1"}) as resp:
            assert resp.status == 404
            assert await resp.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        # JSON bodies and odd method case work as with Telegram; "123" text stays text
        payload = {"chat_id": 42, "text": "123"}
        async with http.post(f"{url}/SENDMESSAGE", json=payload) as resp:
            body = await resp.json()
        async with http.post(f"{url}/sendMessage", data={"chat_id": "42", "text": "true"}):
            pass
    assert body["ok"] is True and body["result"]["text"] == "123"
    assert [m.text for m in tg.sent] == ["123", "true"]
    assert tg.calls[1].method == "sendMessage"


# --- getUpdates ----------------------------------------------------------------------------


async def test_long_poll_wakes_as_soon_as_an_update_is_pushed(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await pending_poll(tg)
    tg.send_text(f.private_chat(alice), alice, "hello")
    updates = await asyncio.wait_for(poll, timeout=3)  # far less than the 30 s poll
    assert [u.message.text for u in updates if u.message] == ["hello"]
    assert tg.confirmed_offset == 0  # nothing confirmed yet


async def test_poll_without_updates_returns_empty_at_timeout(bot: Bot) -> None:
    assert await bot.get_updates(timeout=1) == []


async def test_updates_stay_until_confirmed_by_offset(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    for text in ("one", "two", "three"):
        tg.send_text(chat, alice, text)
    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["one", "two", "three"]
    again = await bot.get_updates()  # not confirmed: a restarted bot gets them again
    assert [u.update_id for u in again] == [u.update_id for u in first]

    rest = await bot.get_updates(offset=first[1].update_id)
    assert [u.message.text for u in rest if u.message] == ["two", "three"]
    assert tg.confirmed_offset == first[1].update_id
    assert await bot.get_updates(offset=first[2].update_id + 1) == []
    assert tg.confirmed_offset == first[2].update_id + 1
    assert await bot.get_updates() == []  # confirmed ones are gone for good


async def test_limit_negative_offset_and_allowed_updates(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    for i in range(4):
        tg.send_text(chat, alice, f"m{i}")
    assert len(await bot.get_updates(limit=2)) == 2
    last = await bot.get_updates(offset=-1)
    assert [u.message.text for u in last if u.message] == ["m3"]

    msg = tg.send_text(chat, alice, "will be edited")
    tg.edit_text(chat, alice, msg["message_id"], "edited")
    got = await bot.get_updates(offset=last[0].update_id + 1, allowed_updates=["message"])
    assert [u.message.text for u in got if u.message] == ["will be edited"]
    assert all(u.edited_message is None for u in got)
    assert [u["edited_message"]["text"] for u in tg.filtered_updates] == ["edited"]


async def test_delete_webhook_can_drop_pending_updates(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    tg.send_text(f.private_chat(alice), alice, "lost")
    assert (await bot.get_webhook_info()).pending_update_count == 1
    assert await bot.delete_webhook() is True
    assert (await bot.get_webhook_info()).pending_update_count == 1
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == []


async def test_stop_ends_a_pending_long_poll() -> None:
    tg = FakeTelegram()
    await tg.start()
    bot = tg.make_bot()
    try:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await pending_poll(tg)
        await asyncio.wait_for(tg.stop(), timeout=3)
        assert await asyncio.wait_for(poll, timeout=3) == []
    finally:
        await bot.session.close()


async def test_restart_keeps_port_and_unconfirmed_updates(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    tg.send_text(f.private_chat(alice), alice, "queued")
    url = tg.url
    await tg.stop()
    with pytest.raises(TelegramNetworkError):
        await bot.get_me()
    await tg.start()
    assert tg.url == url
    assert [u.message.text for u in await bot.get_updates() if u.message] == ["queued"]


async def test_second_poller_terminates_the_first(tg: FakeTelegram, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await pending_poll(tg)
    second = asyncio.create_task(bot.get_updates(timeout=30))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await asyncio.wait_for(first, timeout=3)
    alice = f.user("Alice")
    tg.send_text(f.private_chat(alice), alice, "for the survivor")
    assert len(await asyncio.wait_for(second, timeout=3)) == 1


async def test_dropped_connection_is_a_network_error_then_polling_works(
    tg: FakeTelegram, bot: Bot
) -> None:
    tg.fail_get_updates_network()
    with pytest.raises(TelegramNetworkError):
        await bot.get_updates()
    alice = f.user("Alice")
    tg.send_text(f.private_chat(alice), alice, "after the outage")
    assert len(await bot.get_updates()) == 1


async def test_aiogram_polling_survives_a_dropped_poll(tg: FakeTelegram, bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(html.escape(message.text or ""), parse_mode="HTML")

    tg.fail_get_updates_network()
    polling = asyncio.create_task(
        dp.start_polling(bot, polling_timeout=1, handle_signals=False, close_bot_session=False)
    )
    try:
        alice = f.user("Alice")
        chat = f.private_chat(alice)
        tg.send_text(chat, alice, "a <b> & c")
        [reply] = await tg.wait_sent(chat["id"], 1, timeout=10)
        assert reply.plain_text == "a <b> & c"
        # the update is confirmed only by the next getUpdates, after it was handled
        await tg.wait_for(lambda: tg.confirmed_offset == 2)
        assert tg.calls_to("getUpdates")[0].description == "connection dropped"
    finally:
        await dp.stop_polling()
        await polling


# --- sendMessage and HTML ------------------------------------------------------------------


async def test_send_message_records_what_users_see(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    paste = tg.send_text(chat, alice, "Request ID: x")
    user_text = '<script>alert("x")</script> & Co'
    msg = await bot.send_message(
        chat["id"],
        f"<b>Лицензия</b> 📌 <i>{html.escape(user_text)}</i>",
        parse_mode="HTML",
        reply_parameters=ReplyParameters(message_id=paste["message_id"]),
        reply_markup=keyboard("recheck"),
        disable_notification=True,
    )
    assert msg.text == f"Лицензия 📌 {user_text}"
    assert msg.from_user is not None and msg.from_user.id == tg.bot_id
    assert msg.reply_to_message is not None
    assert msg.reply_to_message.message_id == paste["message_id"]
    assert msg.message_id == paste["message_id"] + 1  # ids are per chat, shared with users
    [sent] = tg.sent
    assert sent.plain_text == msg.text and sent.text.startswith("<b>Лицензия</b>")
    assert (sent.parse_mode, sent.reply_to_message_id) == ("HTML", paste["message_id"])
    assert sent.button_data == ["recheck"] and sent.disable_notification
    assert tg.messages_in(chat["id"]) == [sent] and tg.message(chat["id"], msg.message_id) == sent
    # 📌 is two UTF-16 code units: the italic entity starts after it at 12
    assert [(e.type, e.offset) for e in msg.entities or []] == [("bold", 0), ("italic", 12)]


async def test_html_errors_surface_as_bad_request(tg: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest) as raw_tag:
        await bot.send_message(1, "<script>alert(1)</script>", parse_mode="HTML")
    assert raw_tag.value.message == (
        'Bad Request: can\'t parse entities: Unsupported start tag "script" at byte offset 0'
    )
    with pytest.raises(TelegramBadRequest, match="Can't find end tag corresponding to start tag"):
        await bot.send_message(1, "<b>open", parse_mode="HTML")
    with pytest.raises(
        TelegramBadRequest, match=r"Unmatched end tag at byte offset 7, expected \"</i>\""
    ):
        await bot.send_message(1, "<b><i>x</b></i>", parse_mode="HTML")
    assert tg.sent == []
    assert [c.error_code for c in tg.calls] == [400, 400, 400]
    # without parse_mode the same text is just text
    msg = await bot.send_message(1, "<script>alert(1)</script>")
    assert msg.text == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x<3", "Unclosed start tag at byte offset 1"),
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br/" at byte offset 0'),
        ("ok</b>", "Unexpected end tag at byte offset 2"),
        ("<b>ok</b", "Unclosed end tag at byte offset 5"),
        ("<b>a<i>b</i>", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        ("<a =x>y</a>", 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href>y</a>", 'Expected equal sign in declaration of an attribute of the tag "a"'),
        ("AT&T", 'Character "&" at byte offset 2 must be escaped as "&amp;"'),
        ("a&nbsp;b", 'Unsupported HTML entity "&nbsp;" at byte offset 1'),
        ("ё<x>", 'Unsupported start tag "x" at byte offset 2'),  # offsets are in bytes
    ],
)
def test_invalid_html_is_rejected_with_telegram_wording(source: str, error: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert str(caught.value).startswith(error)


def test_valid_html_gives_text_and_entities() -> None:
    parsed = parse_html(
        "<b>bold <i>both</i></b> &lt;tag&gt; &amp; &quot;q&quot; &#8470; &#x1F4CC; "
        '<a href="https://example.ru/?a=1&amp;b=2">link</a> <code>c</code> '
        '<pre><code class="language-python">x = 1</code></pre> '
        '<tg-spoiler>s</tg-spoiler><span class="tg-spoiler">s</span> '
        "<blockquote expandable>q</blockquote> <u>u</u><s>s</s><del>d</del><ins>i</ins>"
        "<strong>s</strong><em>e</em><strike>s</strike> > ok"
    )
    assert parsed.text == 'bold both <tag> & "q" № 📌 link c x = 1 ss q usdises > ok'
    types = [e["type"] for e in parsed.entities]
    assert types[:3] == ["bold", "italic", "text_link"]
    assert parsed.entities[2]["url"] == "https://example.ru/?a=1&b=2"
    pre = next(e for e in parsed.entities if e["type"] == "pre")
    assert pre["language"] == "python" and "code" in types
    assert {"spoiler", "expandable_blockquote", "underline", "strikethrough"} <= set(types)


def test_lenient_mode_keeps_a_stray_ampersand_like_telegram() -> None:
    assert parse_html("AT&T &nbsp;", strict_ampersand=False).text == "AT&T &nbsp;"


async def test_length_and_empty_text_limits(tg: FakeTelegram, bot: Bot) -> None:
    ok = await bot.send_message(1, "<b>" + "я" * 4096 + "</b>", parse_mode="HTML")
    assert len(ok.text or "") == 4096  # tags do not count
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await bot.send_message(1, "x" * 4097)
    for empty in ("   \n", "<b></b>"):
        with pytest.raises(TelegramBadRequest, match="Bad Request: message text is empty"):
            await bot.send_message(1, empty, parse_mode="HTML")
    padded = await bot.send_message(1, "\n  <b>hi</b>  \n", parse_mode="HTML")
    assert padded.text == "hi" and padded.entities and padded.entities[0].offset == 0


async def test_reply_to_a_missing_message_and_bad_buttons(tg: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(5, "hi", reply_parameters=ReplyParameters(message_id=999))
    msg = await bot.send_message(
        5,
        "hi",
        reply_parameters=ReplyParameters(message_id=999, allow_sending_without_reply=True),
    )
    assert msg.reply_to_message is None
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(5, "hi", reply_markup=keyboard("x" * 65))


async def test_unseen_chats_get_their_type_from_the_id(tg: FakeTelegram, bot: Bot) -> None:
    assert (await bot.send_message(77, "a")).chat.type == "private"
    assert (await bot.send_message(-4001, "a")).chat.type == "group"
    assert (await bot.send_message(-1001234567890, "a")).chat.type == "supergroup"
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.get_chat(-555)


# --- edits, deletes, pins ------------------------------------------------------------------


async def test_edit_rules(tg: FakeTelegram, bot: Bot) -> None:
    msg = await bot.send_message(9, "<b>v1</b>", parse_mode="HTML", reply_markup=keyboard("a"))
    with pytest.raises(TelegramBadRequest, match="message is not modified: specified new"):
        await bot.edit_message_text(
            "<b>v1</b>",
            chat_id=9,
            message_id=msg.message_id,
            parse_mode="HTML",
            reply_markup=keyboard("a"),
        )
    # same text, different formatting is a change
    await bot.edit_message_text(
        "v1", chat_id=9, message_id=msg.message_id, reply_markup=keyboard("a")
    )
    # an edit without reply_markup removes the keyboard, as Telegram does
    edited = await bot.edit_message_text("v2", chat_id=9, message_id=msg.message_id)
    assert not isinstance(edited, bool) and edited.edit_date is not None
    current = tg.message(9, msg.message_id)
    assert current is not None and (current.plain_text, current.buttons) == ("v2", [])
    assert current.edit_count == 2 and len(tg.edits) == 2
    assert tg.sent[0].plain_text == "v1"  # `sent` keeps what was sent
    await bot.edit_message_reply_markup(
        chat_id=9, message_id=msg.message_id, reply_markup=keyboard("b")
    )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=9, message_id=msg.message_id, reply_markup=keyboard("b")
        )
    with pytest.raises(TelegramBadRequest, match="Bad Request: MESSAGE_TOO_LONG"):
        await bot.edit_message_text("x" * 5000, chat_id=9, message_id=msg.message_id)


async def test_user_deletes_the_pinned_message(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    theirs = tg.send_text(chat, alice, "mine")
    status = await bot.send_message(chat["id"], "status")
    assert await bot.pin_chat_message(chat["id"], status.message_id) is True
    assert tg.pinned[chat["id"]] == status.message_id
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=chat["id"], message_id=theirs["message_id"])

    tg.delete_message(chat["id"], status.message_id)
    assert tg.pinned[chat["id"]] is None
    assert tg.messages_in(chat["id"]) == [] and len(tg.sent) == 1
    with pytest.raises(TelegramBadRequest, match="Bad Request: message to edit not found"):
        await bot.edit_message_text("new", chat_id=chat["id"], message_id=status.message_id)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message to pin not found"):
        await bot.pin_chat_message(chat["id"], status.message_id)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message to delete not found"):
        await bot.delete_message(chat["id"], status.message_id)


async def test_pins_stack_and_unpin(tg: FakeTelegram, bot: Bot) -> None:
    one = await bot.send_message(3, "one")
    two = await bot.send_message(3, "two")
    await bot.pin_chat_message(3, one.message_id)
    await bot.pin_chat_message(3, two.message_id, disable_notification=True)
    assert tg.pinned[3] == two.message_id
    pinned = (await bot.get_chat(3)).pinned_message
    assert pinned is not None and pinned.message_id == two.message_id
    await bot.unpin_chat_message(3)
    assert tg.pinned[3] == one.message_id
    await bot.delete_message(3, one.message_id)
    assert tg.pinned[3] is None
    await bot.pin_chat_message(3, two.message_id)
    await bot.unpin_all_chat_messages(3)
    assert tg.pinned[3] is None


async def test_pin_rights_in_groups(tg: FakeTelegram, bot: Bot) -> None:
    room = f.supergroup("Shop")
    tg.set_chat(room, can_pin=False)
    status = await bot.send_message(room["id"], "status")
    with pytest.raises(TelegramBadRequest) as no_rights:
        await bot.pin_chat_message(room["id"], status.message_id)
    assert no_rights.value.message == (
        "Bad Request: not enough rights to manage pinned messages in the chat"
    )
    member = await bot.get_chat_member(room["id"], tg.bot_id)
    assert member.status == "administrator" and member.can_pin_messages is False

    plain_group = f.group("Old")
    tg.set_chat(plain_group, admin=False)
    msg = await bot.send_message(plain_group["id"], "status")
    with pytest.raises(TelegramBadRequest, match="not enough rights"):
        await bot.pin_chat_message(plain_group["id"], msg.message_id)
    assert (await bot.get_chat_member(plain_group["id"], tg.bot_id)).status == "member"

    tg.set_chat(room, can_pin=True)
    assert await bot.pin_chat_message(room["id"], status.message_id) is True
    alice = f.user("Alice")
    private = f.private_chat(alice)
    tg.set_chat(private, can_pin=False)  # private chats always allow pins
    mine = await bot.send_message(private["id"], "status")
    assert await bot.pin_chat_message(private["id"], mine.message_id) is True


async def test_promotion_update_changes_rights(tg: FakeTelegram, bot: Bot) -> None:
    room = f.supergroup("Shop")
    owner = f.user("Owner")
    tg.push_update(f.my_chat_member_update(room, owner, tg.bot_user, "left", "member"))
    msg = await bot.send_message(room["id"], "status")
    with pytest.raises(TelegramBadRequest, match="not enough rights"):
        await bot.pin_chat_message(room["id"], msg.message_id)
    tg.push_update(f.my_chat_member_update(room, owner, tg.bot_user, "member", "administrator"))
    assert await bot.pin_chat_message(room["id"], msg.message_id) is True
    tg.push_update(f.my_chat_member_update(room, owner, tg.bot_user, "administrator", "left"))
    with pytest.raises(TelegramForbiddenError, match="kicked from the supergroup chat"):
        await bot.send_message(room["id"], "still there?")
    updates = await bot.get_updates()
    assert [u.my_chat_member.new_chat_member.status for u in updates if u.my_chat_member] == [
        "member",
        "administrator",
        "left",
    ]


# --- blocked, migrated, injected faults ----------------------------------------------------


async def test_blocked_and_kicked_chats_answer_403(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    private = f.private_chat(alice)
    msg = await bot.send_message(private["id"], "hi")
    tg.block(private["id"])
    with pytest.raises(TelegramForbiddenError) as blocked:
        await bot.send_message(private["id"], "hi again")
    assert blocked.value.message == "Forbidden: bot was blocked by the user"
    with pytest.raises(TelegramForbiddenError):
        await bot.edit_message_text("x", chat_id=private["id"], message_id=msg.message_id)
    with pytest.raises(TelegramForbiddenError):
        await bot.pin_chat_message(private["id"], msg.message_id)

    room = f.group("Shop")
    tg.set_chat(room)
    tg.block(room["id"], notify=True)
    with pytest.raises(TelegramForbiddenError, match="bot was kicked from the group chat"):
        await bot.send_message(room["id"], "hi")
    tg.send_text(room, alice, "/license")  # a kicked bot does not see the group
    assert [m["text"] for m in tg.unseen] == ["/license"]
    [update] = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"

    tg.unblock(private["id"])
    assert (await bot.send_message(private["id"], "welcome back")).text == "welcome back"


async def test_migrated_group_answers_with_the_new_id(tg: FakeTelegram, bot: Bot) -> None:
    old = f.group("Shop")
    owner = f.user("Owner")
    tg.send_text(old, owner, "hello")
    new = tg.migrate(old["id"], -1009876543210, by=owner)
    assert new == {"id": -1009876543210, "type": "supergroup", "title": "Shop"}
    with pytest.raises(TelegramMigrateToChat) as moved:
        await bot.send_message(old["id"], "hi")
    assert moved.value.migrate_to_chat_id == -1009876543210
    assert "Bad Request: group chat was upgraded to a supergroup chat" in moved.value.message
    with pytest.raises(TelegramMigrateToChat):
        await bot.pin_chat_message(old["id"], 1)
    assert (await bot.send_message(new["id"], "hi")).chat.type == "supergroup"

    updates = await bot.get_updates()
    service = [u.message for u in updates if u.message][1:]
    assert [(m.chat.id, m.migrate_to_chat_id, m.migrate_from_chat_id) for m in service] == [
        (old["id"], new["id"], None),
        (new["id"], None, old["id"]),
    ]

    quiet = f.group("Quiet")
    tg.migrate(quiet["id"], -1001111111111, announce=False)
    assert len(await bot.get_updates(offset=updates[-1].update_id + 1)) == 0
    with pytest.raises(TelegramMigrateToChat):
        await bot.send_message(quiet["id"], "hi")


async def test_429_carries_retry_after(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 3",
        retry_after=3,
        times=2,
    )
    for _ in range(2):
        with pytest.raises(TelegramRetryAfter) as flood:
            await bot.send_message(1, "hi")
        assert flood.value.retry_after == 3
    assert (await bot.send_message(1, "hi")).text == "hi"
    assert [c.error_code for c in tg.calls] == [429, 429, None]


async def test_faults_can_target_one_chat_and_any_method(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next("sendMessage", error_code=500, description="Internal Server Error", chat_id=2)
    tg.fail_next("getUpdates", error_code=502, description="Bad Gateway")
    assert (await bot.send_message(1, "other chat")).text == "other chat"
    with pytest.raises(TelegramServerError, match="Internal Server Error"):
        await bot.send_message(2, "this chat")
    with pytest.raises(TelegramServerError, match="Bad Gateway"):
        await bot.get_updates()
    assert await bot.get_updates() == []


# --- buttons -------------------------------------------------------------------------------


async def test_button_press_and_answer(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    msg = await bot.send_message(chat["id"], "status", reply_markup=keyboard("recheck"))
    query_id = tg.press_button(chat, alice, msg.message_id, "recheck")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and (query.id, query.data) == (query_id, "recheck")
    assert query.message is not None and query.message.message_id == msg.message_id
    assert query.from_user.id == alice["id"]
    assert await bot.answer_callback_query(query_id, text="Проверяю…", show_alert=True)
    assert tg.callback_answers == [
        {"callback_query_id": query_id, "text": "Проверяю…", "show_alert": True}
    ]
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(AssertionError, match="has no button 'nope'"):
        tg.press_button(chat, alice, msg.message_id, "nope", check=True)
    # unchecked, anything can be pressed, even under a deleted message
    await bot.delete_message(chat["id"], msg.message_id)
    stale = tg.press_button(chat, alice, msg.message_id, "nope")
    [update] = await bot.get_updates(offset=update.update_id + 1)
    assert update.callback_query is not None and update.callback_query.id == stale
    assert isinstance(update.callback_query.message, InaccessibleMessage)


# --- what the bot can see ------------------------------------------------------------------


async def test_privacy_mode_in_groups_where_the_bot_is_not_admin(
    tg: FakeTelegram, bot: Bot
) -> None:
    room = f.supergroup("Shop")
    tg.set_chat(room, admin=False)
    alice = f.user("Alice")
    tg.send_text(room, alice, "just talking")
    tg.send_text(room, alice, "/license")
    tg.send_text(room, alice, "hey @license_test_bot look")
    answer = await bot.send_message(room["id"], "I am here")
    tg.send_text(room, alice, "thanks", reply_to_message=answer.message_id)
    tg.send_text(room, f.bot_user(), "/license")  # bots never see other bots
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == [
        "/license",
        "hey @license_test_bot look",
        "thanks",
    ]
    assert [m["text"] for m in tg.unseen] == ["just talking", "/license"]

    tg.set_chat(room)  # made admin: sees everything
    tg.send_text(room, alice, "just talking")
    assert len(await bot.get_updates(offset=updates[-1].update_id + 1)) == 1


# --- waiting -------------------------------------------------------------------------------


async def test_wait_sent_counts_messages_in_the_chat(tg: FakeTelegram, bot: Bot) -> None:
    async def bot_sends() -> None:
        for text in ("one", "two", "three"):
            await bot.send_message(4, text)

    task = asyncio.create_task(bot_sends())
    [first] = await tg.wait_sent(4, 1)
    assert first.plain_text == "one"
    assert [m.plain_text for m in await tg.wait_sent(4, 3)] == ["one", "two", "three"]
    await task
    assert len(tg.sent_to(4)) == 3


async def test_wait_for_timeout_explains_what_happened(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(8, "something else")
    with pytest.raises(AssertionError) as timeout:
        await tg.wait_for(lambda: tg.pinned.get(8), timeout=0.2, what="a pin in chat 8")
    report = str(timeout.value)
    assert "timed out after 0.2s waiting for a pin in chat 8" in report
    assert "sendMessage(chat_id=8, text='something else') -> ok" in report
    with pytest.raises(AssertionError, match="1 bot message"):
        await tg.wait_sent(9, 1, timeout=0.1)


async def test_wait_for_returns_the_value_when_state_changes(tg: FakeTelegram, bot: Bot) -> None:
    waiter = asyncio.create_task(tg.wait_for(lambda: tg.pinned.get(6), timeout=3))
    msg = await bot.send_message(6, "status")
    await bot.pin_chat_message(6, msg.message_id)
    assert await waiter == msg.message_id


# --- factories -----------------------------------------------------------------------------


def _valid(update: dict[str, Any]) -> Update:
    return Update.model_validate({"update_id": 1, **update})


def test_factories_make_valid_bot_api_objects() -> None:
    alice = f.user("Alice", username="alice", last_name="Smith")
    private = f.private_chat(alice)
    assert private["id"] == alice["id"] and private["username"] == "alice"
    group, sgroup, chan = f.group(), f.supergroup(username="shop"), f.channel()
    assert str(group["id"]).startswith("-") and not str(group["id"]).startswith("-100")
    assert str(sgroup["id"]).startswith("-100") and str(chan["id"]).startswith("-100")

    text = _valid(f.message_update(f.message(private, alice, "/license@license_test_bot hi")))
    assert text.message is not None and text.message.entities is not None
    assert text.message.entities[0].type == "bot_command"
    assert text.message.entities[0].length == len("/license@license_test_bot")
    photo = _valid(f.message_update(f.message(sgroup, alice, None, caption="Request ID")))
    assert photo.message is not None and photo.message.caption == "Request ID"
    assert photo.message.text is None and photo.message.photo
    for origin in (
        f.forwarded_from_user(alice),
        f.forwarded_from_hidden_user("Hidden"),
        f.forwarded_from_chat(sgroup),
        f.forwarded_from_channel(chan, 10),
    ):
        fwd = _valid(f.message_update(f.message(group, alice, "fwd", forward_origin=origin)))
        assert fwd.message is not None and fwd.message.forward_origin is not None
    original = f.message(group, alice, "before")
    edit = _valid(f.edited_message_update(f.edited(original, "after")))
    assert edit.edited_message is not None and edit.edited_message.edit_date is not None
    assert edit.edited_message.message_id == original["message_id"]
    post = _valid(f.channel_post_update(f.channel_post(chan, "news")))
    assert post.channel_post is not None and post.channel_post.from_user is None
    from_bot = _valid(f.message_update(f.message(group, f.bot_user(), "beep")))
    assert from_bot.message is not None and from_bot.message.from_user is not None
    assert from_bot.message.from_user.is_bot
    query = _valid(f.callback_query_update(f.callback_query(alice, original, "recheck")))
    assert query.callback_query is not None and query.callback_query.data == "recheck"
    bot_user = f.user("Bot", is_bot=True, username="license_test_bot")
    member = _valid(f.my_chat_member_update(sgroup, alice, bot_user, "member", "administrator"))
    assert member.my_chat_member is not None
    assert member.my_chat_member.new_chat_member.status == "administrator"
    to = _valid(f.message_update(f.migrate_to_message(group, alice, sgroup["id"])))
    back = _valid(f.message_update(f.migrate_from_message(sgroup, group["id"])))
    assert to.message is not None and to.message.migrate_to_chat_id == sgroup["id"]
    assert back.message is not None and back.message.migrate_from_chat_id == group["id"]


def test_message_ids_grow_per_chat() -> None:
    alice, bob = f.user(), f.user()
    a, b = f.private_chat(alice), f.private_chat(bob)
    first = f.message(a, alice, "1")["message_id"]
    assert f.message(b, bob, "1")["message_id"] == 1
    assert f.message(a, alice, "2")["message_id"] == first + 1
    f.message(a, alice, "by hand", message_id=first + 10)
    assert f.next_message_id(a["id"]) == first + 11
