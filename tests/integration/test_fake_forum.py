"""The fake Telegram's forums, copies and reactions, driven by a real aiogram Bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import (
    BufferedInputFile,
    InputMediaDocument,
    InputMediaPhoto,
    ReactionTypeEmoji,
    ReplyParameters,
)

from tests import factories as f
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_state import ApiCall
from tests.support.forum import (
    bot_messages,
    copies_to,
    limit_violations,
    make_forum,
    pinned_in_topic,
    reactions_on,
    topic_messages,
    topic_named,
    topics,
    wait_in_topic,
    wait_topic,
    wait_topics,
)


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
    if bot.session._session is not None:  # type: ignore[attr-defined]
        await bot.session._session.close()  # type: ignore[attr-defined]


async def bad_request(call: Any) -> str:
    with pytest.raises(TelegramBadRequest) as caught:
        await call
    return caught.value.message


def updates_of(tg: FakeTelegram) -> list[dict[str, Any]]:
    return [u["message"] for u in tg._updates if "message" in u]


# --- topics --------------------------------------------------------------------------------


async def test_forum_chat_and_the_bots_rights(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg, can_delete_messages=False)
    chat = await bot.get_chat(forum["id"])
    assert chat.type == "supergroup" and chat.is_forum
    me = await bot.get_chat_member(forum["id"], tg.bot_id)
    assert me.status == "administrator"
    assert me.can_manage_topics and me.can_pin_messages  # type: ignore[union-attr]
    assert me.can_delete_messages is False  # type: ignore[union-attr]
    plain = f.supergroup()
    tg.set_chat(plain)
    assert (await bot.get_chat(plain["id"])).is_forum is None


async def test_create_topic_posts_the_service_message_that_starts_it(
    tg: FakeTelegram, bot: Bot
) -> None:
    forum = make_forum(tg)
    topic = await bot.create_forum_topic(forum["id"], "Alice — shop.ru", icon_color=0xFFD67E)
    assert topic.name == "Alice — shop.ru" and topic.icon_color == 0xFFD67E
    [first] = topic_messages(tg, forum["id"], topic.message_thread_id)
    assert first["message_id"] == topic.message_thread_id
    assert first["forum_topic_created"] == {"name": "Alice — shop.ru", "icon_color": 0xFFD67E}
    assert first["from"]["id"] == tg.bot_id and first["is_topic_message"]
    # The bot gets its own topic service messages, as Telegram sends them.
    assert updates_of(tg)[-1]["message_id"] == topic.message_thread_id
    [kept] = topics(tg, forum["id"])
    assert (kept.name, kept.closed, kept.deleted) == ("Alice — shop.ru", False, False)


async def test_topic_names_are_cleaned_and_cut_to_128(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)
    topic = await bot.create_forum_topic(forum["id"], "  " + "x" * 200)
    assert topic.name == "x" * 128
    assert "non-empty" in await bad_request(bot.create_forum_topic(forum["id"], "   "))


async def test_topic_errors_are_telegrams(tg: FakeTelegram, bot: Bot) -> None:
    plain = f.supergroup()
    tg.set_chat(plain)
    assert await bad_request(bot.create_forum_topic(plain["id"], "x")) == (
        "Bad Request: the chat is not a forum"
    )
    forum = make_forum(tg, can_manage_topics=False)
    assert await bad_request(bot.create_forum_topic(forum["id"], "x")) == (
        "Bad Request: not enough rights to create a topic"
    )
    forum = make_forum(tg)
    topic = await bot.create_forum_topic(forum["id"], "Bob")
    thread = topic.message_thread_id
    assert await bad_request(bot.edit_forum_topic(forum["id"], thread, name="Bob")) == (
        "Bad Request: TOPIC_NOT_MODIFIED"
    )
    assert await bot.close_forum_topic(forum["id"], thread)
    assert await bad_request(bot.close_forum_topic(forum["id"], thread)) == (
        "Bad Request: TOPIC_NOT_MODIFIED"
    )
    assert await bot.reopen_forum_topic(forum["id"], thread)
    assert await bad_request(bot.reopen_forum_topic(forum["id"], thread)) == (
        "Bad Request: TOPIC_NOT_MODIFIED"
    )
    assert await bad_request(bot.close_forum_topic(forum["id"], thread + 500)) == (
        "Bad Request: TOPIC_ID_INVALID"
    )


async def test_edit_close_reopen_post_their_service_messages(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)
    thread = (await bot.create_forum_topic(forum["id"], "⏳ Alice")).message_thread_id
    assert await bot.edit_forum_topic(forum["id"], thread, name="✅ Alice")
    assert await bot.close_forum_topic(forum["id"], thread)
    assert topics(tg, forum["id"])[0].closed
    assert await bot.reopen_forum_topic(forum["id"], thread)
    kinds = [
        next(k for k in m if k.startswith("forum_topic_"))
        for m in topic_messages(tg, forum["id"], thread)
    ]
    assert kinds == [
        "forum_topic_created",
        "forum_topic_edited",
        "forum_topic_closed",
        "forum_topic_reopened",
    ]
    assert topics(tg, forum["id"])[0].name == "✅ Alice"


async def test_rights_for_topics_the_bot_did_not_create(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg, can_manage_topics=False, can_delete_messages=False)
    agent = f.user("Agent")
    theirs = tg.create_topic(forum, agent, "Agents' room")
    assert await bad_request(bot.close_forum_topic(forum["id"], theirs)) == (
        "Bad Request: not enough rights to close or open the topic"
    )
    assert await bad_request(bot.edit_forum_topic(forum["id"], theirs, name="x")) == (
        "Bad Request: not enough rights to edit the topic"
    )
    assert await bad_request(bot.delete_forum_topic(forum["id"], theirs)) == (
        "Bad Request: not enough rights to delete the topic"
    )


async def test_delete_topic_removes_it_and_its_messages(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)
    thread = (await bot.create_forum_topic(forum["id"], "Carol")).message_thread_id
    sent = await bot.send_message(forum["id"], "card", message_thread_id=thread)
    assert await bot.delete_forum_topic(forum["id"], thread)
    assert topics(tg, forum["id"]) == []
    assert topics(tg, forum["id"], deleted=True)[0].deleted
    assert tg.message(forum["id"], sent.message_id) is None
    assert await bad_request(bot.send_message(forum["id"], "x", message_thread_id=thread)) == (
        "Bad Request: message thread not found"
    )
    assert await bad_request(bot.delete_forum_topic(forum["id"], thread)) == (
        "Bad Request: TOPIC_ID_INVALID"
    )


# --- sending into topics ---------------------------------------------------------------------


async def test_messages_in_a_topic_carry_the_thread(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)
    thread = (await bot.create_forum_topic(forum["id"], "Dave")).message_thread_id
    sent = await bot.send_message(
        forum["id"], "<b>card</b>", message_thread_id=thread, parse_mode="HTML"
    )
    assert sent.message_thread_id == thread and sent.is_topic_message
    assert sent.reply_to_message is not None  # Telegram: the topic's first message
    assert sent.reply_to_message.message_id == thread
    [card] = bot_messages(tg, forum["id"], thread)
    assert card.plain_text == "card" and card.message_thread_id == thread
    # A reply without message_thread_id goes to the replied message's topic.
    reply = await bot.send_message(
        forum["id"], "answer", reply_parameters=ReplyParameters(message_id=sent.message_id)
    )
    assert reply.message_thread_id == thread
    general = await bot.send_message(forum["id"], "in General")
    assert general.message_thread_id is None and not general.is_topic_message
    for missing in (1, thread + 100):
        assert await bad_request(
            bot.send_message(forum["id"], "x", message_thread_id=missing)
        ) == ("Bad Request: message thread not found")


async def test_closed_topics_take_messages_only_from_topic_managers(
    tg: FakeTelegram, bot: Bot
) -> None:
    forum = make_forum(tg)
    agent = f.user("Agent")
    theirs = tg.create_topic(forum, agent, "Agents")
    tg.close_topic(forum, agent, theirs)
    assert await bot.send_message(forum["id"], "still fine", message_thread_id=theirs)
    tg.set_chat(forum, rights={"can_manage_topics": False})
    assert await bad_request(bot.send_message(forum["id"], "x", message_thread_id=theirs)) == (
        "Bad Request: TOPIC_CLOSED"
    )


async def test_pins_in_a_topic(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)
    one = (await bot.create_forum_topic(forum["id"], "One")).message_thread_id
    two = (await bot.create_forum_topic(forum["id"], "Two")).message_thread_id
    card_one = await bot.send_message(forum["id"], "card one", message_thread_id=one)
    card_two = await bot.send_message(forum["id"], "card two", message_thread_id=two)
    await bot.pin_chat_message(forum["id"], card_one.message_id)
    await bot.pin_chat_message(forum["id"], card_two.message_id)
    pinned = pinned_in_topic(tg, forum["id"], one)
    assert pinned is not None and pinned["message_id"] == card_one.message_id
    services = [m for m in updates_of(tg) if "pinned_message" in m]
    assert [m["message_thread_id"] for m in services] == [one, two]
    assert services[0]["pinned_message"]["message_id"] == card_one.message_id
    await bot.unpin_all_forum_topic_messages(forum["id"], two)
    assert pinned_in_topic(tg, forum["id"], two) is None
    assert pinned_in_topic(tg, forum["id"], one) is not None


# --- people in forums ------------------------------------------------------------------------


async def test_an_agent_writes_replies_edits_closes_and_deletes(tg: FakeTelegram) -> None:
    forum = make_forum(tg)
    agent = f.user("Agent")
    thread = tg.create_topic(forum, agent, "Eve")
    hello = tg.send_text(forum, agent, "hi", message_thread_id=thread)
    assert hello["message_thread_id"] == thread and hello["is_topic_message"]
    assert hello["reply_to_message"]["message_id"] == thread
    answer = tg.send_text(forum, agent, "more", reply_to_message=hello["message_id"])
    assert answer["message_thread_id"] == thread
    assert answer["reply_to_message"]["message_id"] == hello["message_id"]
    edited = tg.edit_text(forum, agent, hello["message_id"], "hello")
    assert edited["message_thread_id"] == thread and edited["text"] == "hello"
    closed = tg.close_topic(forum, agent, thread)
    assert closed["forum_topic_closed"] == {} and closed["from"]["id"] == agent["id"]
    assert tg.reopen_topic(forum, agent, thread)["forum_topic_reopened"] == {}
    tg.delete_topic(forum["id"], thread)
    assert topic_messages(tg, forum["id"], thread) == []
    kinds = [next(k for k in u if k != "update_id") for u in tg._updates]
    assert kinds == ["message"] * 3 + ["edited_message"] + ["message"] * 2


async def test_album_in_private_arrives_as_separate_updates(tg: FakeTelegram) -> None:
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    album = tg.send_album(chat, alice, [b"one", b"two", b"three"], caption="screens")
    assert len({m["media_group_id"] for m in album}) == 1
    assert album[0]["caption"] == "screens" and "caption" not in album[1]
    assert [u["message"]["message_id"] for u in tg._updates] == [m["message_id"] for m in album]


async def test_unblock_sends_my_chat_member(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    tg.send_text(chat, alice, "hi")
    tg.block(alice["id"], notify=True)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(alice["id"], "x")
    tg.unblock(alice["id"], notify=True)
    member = tg._updates[-1]["my_chat_member"]
    assert member["old_chat_member"]["status"] == "kicked"
    assert member["new_chat_member"]["status"] == "member"
    assert await bot.send_message(alice["id"], "welcome back")


# --- copies ----------------------------------------------------------------------------------


async def test_copy_message_into_a_topic_and_back(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)
    alice = f.user("Alice")
    private = f.private_chat(alice)
    thread = (await bot.create_forum_topic(forum["id"], "Alice")).message_thread_id
    question = tg.send_text(private, alice, "Where is /license? @someone")
    copied = await bot.copy_message(
        forum["id"], private["id"], question["message_id"], message_thread_id=thread
    )
    [copy] = bot_messages(tg, forum["id"], thread)
    assert copy.message_id == copied.message_id
    assert copy.plain_text == question["text"] and copy.entities == question["entities"]
    assert copy.copied_from == (alice["id"], question["message_id"])
    agent = f.user("Agent")
    answer = tg.send_text(forum, agent, "Here", reply_to_message=copied.message_id)
    back = await bot.copy_message(
        private["id"],
        forum["id"],
        answer["message_id"],
        reply_parameters=ReplyParameters(message_id=question["message_id"]),
    )
    [record] = copies_to(tg, private["id"])
    assert (record.from_chat_id, record.from_message_id) == (forum["id"], answer["message_id"])
    assert record.reply_to_message_id == question["message_id"] and record.message_id == (
        back.message_id
    )
    [delivered] = tg.sent_to(private["id"])
    assert delivered.plain_text == "Here"


async def test_copy_keeps_media_and_takes_a_new_caption(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    private = f.private_chat(alice)
    forum = make_forum(tg)
    photo = tg.send_photo(private, alice, b"png", caption="the widget")
    voice_file = f.media_file("voice", duration=3)
    voice = tg.send_text(private, alice, None, voice=voice_file)
    first = await bot.copy_message(forum["id"], private["id"], photo["message_id"])
    second = await bot.copy_message(
        forum["id"], private["id"], voice["message_id"], caption="<b>voice</b>", parse_mode="HTML"
    )
    one = tg.chats[forum["id"]].messages[first.message_id]
    assert one["photo"] == photo["photo"] and one["caption"] == "the widget"
    two = tg.chats[forum["id"]].messages[second.message_id]
    assert two["voice"] == voice_file and two["caption"] == "voice"
    assert two["caption_entities"][0]["type"] == "bold"
    edited = await bot.edit_message_caption(
        chat_id=forum["id"], message_id=second.message_id, caption="voice, edited"
    )
    assert edited.caption == "voice, edited"  # type: ignore[union-attr]
    assert "not modified" in await bad_request(
        bot.edit_message_caption(
            chat_id=forum["id"], message_id=second.message_id, caption="voice, edited"
        )
    )
    assert "no text" in await bad_request(
        bot.edit_message_text("x", chat_id=forum["id"], message_id=second.message_id)
    )


async def test_copy_errors(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    private = f.private_chat(alice)
    forum = make_forum(tg)
    tg.send_text(private, alice, "hi")
    assert await bad_request(bot.copy_message(forum["id"], private["id"], 9999)) == (
        "Bad Request: message to copy not found"
    )
    thread = (await bot.create_forum_topic(forum["id"], "Alice")).message_thread_id
    assert await bad_request(bot.copy_message(alice["id"], forum["id"], thread)) == (
        "Bad Request: the message can't be copied"
    )
    quiz = tg.send_text(
        private,
        alice,
        None,
        poll={"id": "1", "question": "?", "options": [], "type": "quiz", "is_closed": False},
    )
    assert await bad_request(bot.copy_message(forum["id"], private["id"], quiz["message_id"])) == (
        "Bad Request: the message can't be copied"
    )
    agent = f.user("Agent")
    note = tg.send_text(forum, agent, "for you", message_thread_id=thread)
    tg.block(alice["id"])
    with pytest.raises(TelegramForbiddenError) as caught:
        await bot.copy_message(alice["id"], forum["id"], note["message_id"])
    assert caught.value.message == "Forbidden: bot was blocked by the user"


async def test_copy_messages_keeps_albums_and_skips_missing(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    private = f.private_chat(alice)
    forum = make_forum(tg)
    thread = (await bot.create_forum_topic(forum["id"], "Alice")).message_thread_id
    album = tg.send_album(private, alice, [b"1", b"2"], caption="two")
    text = tg.send_text(private, alice, "and text")
    ids = [album[0]["message_id"], album[1]["message_id"], text["message_id"] + 50]
    result = await bot.copy_messages(forum["id"], private["id"], ids, message_thread_id=thread)
    assert len(result) == 2
    copies = [tg.chats[forum["id"]].messages[r.message_id] for r in result]
    groups = {c["media_group_id"] for c in copies}
    assert len(groups) == 1 and groups != {album[0]["media_group_id"]}
    assert all(c["message_thread_id"] == thread for c in copies)
    assert [c.method for c in copies_to(tg, forum["id"])] == ["copyMessages"] * 2
    assert "strictly increasing" in await bad_request(
        bot.copy_messages(forum["id"], private["id"], [text["message_id"], album[0]["message_id"]])
    )


# --- reactions -------------------------------------------------------------------------------


async def test_reactions(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)
    agent = f.user("Agent")
    thread = tg.create_topic(forum, agent, "Frank")
    msg = tg.send_text(forum, agent, "answer", message_thread_id=thread)
    mid = msg["message_id"]
    assert await bot.set_message_reaction(forum["id"], mid, [ReactionTypeEmoji(emoji="👍")])
    assert reactions_on(tg, forum["id"], mid) == ["👍"]
    assert await bad_request(
        bot.set_message_reaction(forum["id"], mid, [ReactionTypeEmoji(emoji="✅")])
    ) == ("Bad Request: REACTION_INVALID")
    assert await bad_request(
        bot.set_message_reaction(
            forum["id"], mid, [ReactionTypeEmoji(emoji="👍"), ReactionTypeEmoji(emoji="🔥")]
        )
    ) == ("Bad Request: REACTIONS_TOO_MANY")
    assert await bad_request(
        bot.set_message_reaction(forum["id"], mid + 99, [ReactionTypeEmoji(emoji="👍")])
    ) == ("Bad Request: message to react not found")
    assert await bot.set_message_reaction(forum["id"], mid, [])
    assert reactions_on(tg, forum["id"], mid) == []


async def test_bot_sends_media_into_a_topic(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)
    thread = (await bot.create_forum_topic(forum["id"], "Grace")).message_thread_id
    upload = BufferedInputFile(b"\x89PNG...", filename="card.png")
    photo = await bot.send_photo(forum["id"], upload, caption="card", message_thread_id=thread)
    assert photo.photo and photo.caption == "card" and photo.message_thread_id == thread
    again = await bot.send_document(forum["id"], photo.photo[-1].file_id, message_thread_id=thread)
    assert again.document is not None
    assert "wrong file identifier" in await bad_request(bot.send_voice(forum["id"], "nope"))
    voice = await bot.send_voice(forum["id"], BufferedInputFile(b"ogg", "v.ogg"))
    assert voice.voice is not None and voice.voice.duration > 0
    text = await bot.send_message(forum["id"], "plain", message_thread_id=thread)
    assert "no caption" in await bad_request(
        bot.edit_message_caption(chat_id=forum["id"], message_id=text.message_id, caption="x")
    )
    assert [m.message_id for m in bot_messages(tg, forum["id"], thread)] == [
        photo.message_id,
        again.message_id,
        text.message_id,
    ]


async def test_every_kind_of_media_is_copied(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    private = f.private_chat(alice)
    forum = make_forum(tg)
    thread = (await bot.create_forum_topic(forum["id"], "Alice")).message_thread_id
    for kind in ("voice", "audio", "video", "video_note", "animation", "sticker", "document"):
        original = tg.send_media(private, alice, kind)
        copied = await bot.copy_message(
            forum["id"], private["id"], original["message_id"], message_thread_id=thread
        )
        copy = tg.chats[forum["id"]].messages[copied.message_id]
        assert copy[kind] == original[kind], kind
        assert copy["message_thread_id"] == thread
    assert len(copies_to(tg, forum["id"])) == 7


async def test_copies_into_a_deleted_topic_fail(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    private = f.private_chat(alice)
    forum = make_forum(tg)
    thread = (await bot.create_forum_topic(forum["id"], "Alice")).message_thread_id
    hello = tg.send_text(private, alice, "hello")
    tg.delete_topic(forum["id"], thread)
    for call in (
        bot.copy_message(
            forum["id"], private["id"], hello["message_id"], message_thread_id=thread
        ),
        bot.copy_messages(
            forum["id"], private["id"], [hello["message_id"]], message_thread_id=thread
        ),
    ):
        assert await bad_request(call) == "Bad Request: message thread not found"
    assert tg.copies == []


async def test_own_service_messages_can_be_kept_from_the_bot(tg: FakeTelegram, bot: Bot) -> None:
    tg.echo_own_service_messages = False
    forum = make_forum(tg)
    thread = (await bot.create_forum_topic(forum["id"], "Quiet")).message_thread_id
    await bot.close_forum_topic(forum["id"], thread)
    assert tg._updates == []
    assert len(topic_messages(tg, forum["id"], thread)) == 2


async def test_promotion_update_sets_the_bots_rights(tg: FakeTelegram, bot: Bot) -> None:
    forum = f.forum_chat()
    tg.set_chat(forum, admin=False)
    owner = f.user("Owner")
    tg.push_update(
        f.my_chat_member_update(
            forum, owner, tg.bot_user, "member", "administrator", can_manage_topics=True
        )
    )
    me = await bot.get_chat_member(forum["id"], tg.bot_id)
    assert me.status == "administrator" and me.can_manage_topics  # type: ignore[union-attr]
    assert await bot.create_forum_topic(forum["id"], "Now allowed")


# --- Telegram's limits, counted from the call log --------------------------------------------


def logged(tg: FakeTelegram, method: str, chat_id: int, at: float, result: Any = None) -> None:
    tg.calls.append(ApiCall(method, {"chat_id": chat_id}, at, ok=True, result=result))


def test_limit_violations_per_chat_and_per_group() -> None:
    tg = FakeTelegram()
    logged(tg, "sendMessage", 5, 0.0)
    logged(tg, "copyMessage", 5, 0.5)  # under 1 s after the previous one
    logged(tg, "sendMessage", 5, 2.0)
    for i in range(21):  # 21 messages to one group within 60 s, 2 s apart
        logged(tg, "copyMessage", -100123, 10.0 + 2 * i)
    report = limit_violations(tg)
    assert (report.per_chat, report.per_group, report.global_) == (1, 1, 0)
    assert report.total == 2 and report.details


def test_copy_messages_counts_each_message_towards_the_group() -> None:
    tg = FakeTelegram()
    ids = [{"message_id": i} for i in range(10)]
    logged(tg, "copyMessages", -100123, 0.0, ids)
    logged(tg, "copyMessages", -100123, 1.5, ids)
    logged(tg, "copyMessages", -100123, 3.0, ids[:1])
    report = limit_violations(tg)
    assert (report.per_chat, report.per_group) == (0, 1)


def test_limits_scale_and_the_global_window() -> None:
    tg = FakeTelegram()
    for i in range(31):  # 31 chats in 0.6 s: over 30 a second
        logged(tg, "sendMessage", 1000 + i, i * 0.02)
    tg.calls.append(ApiCall("sendMessage", {"chat_id": 1}, 0.1, ok=False, error_code=429))
    assert limit_violations(tg).global_ == 1
    assert limit_violations(tg, scale=0.05).global_ == 0  # a 50 ms window holds 3
    tg = FakeTelegram()
    logged(tg, "sendMessage", 7, 0.0)
    logged(tg, "sendMessage", 7, 0.06)
    assert limit_violations(tg, scale=0.05).per_chat == 0
    assert limit_violations(tg).per_chat == 1


async def test_who_is_a_member_of_the_forum(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)
    alice, agent, lead = f.user("Alice"), f.user("Agent"), f.user("Lead")
    tg.send_text(f.private_chat(alice), alice, "hi")  # a customer, known only in private
    assert (await bot.get_chat_member(forum["id"], alice["id"])).status == "left"
    assert (await bot.get_chat_member(alice["id"], alice["id"])).status == "member"
    thread = tg.create_topic(forum, agent, "Agents")
    tg.send_text(forum, agent, "hi all", message_thread_id=thread)
    assert (await bot.get_chat_member(forum["id"], agent["id"])).status == "member"
    tg.set_member(forum, lead, "creator")
    admins = await bot.get_chat_administrators(forum["id"])
    assert {a.user.id: a.status for a in admins} == {
        tg.bot_id: "administrator",
        lead["id"]: "creator",
    }
    tg.set_member(forum, agent, "kicked")
    assert (await bot.get_chat_member(forum["id"], agent["id"])).status == "kicked"
    assert "user not found" in await bad_request(bot.get_chat_member(forum["id"], 424242))


async def test_bot_sends_an_album_into_a_topic(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)
    thread = (await bot.create_forum_topic(forum["id"], "Album")).message_thread_id
    first = await bot.send_photo(forum["id"], BufferedInputFile(b"1", "1.png"))
    assert first.photo is not None
    album = await bot.send_media_group(
        forum["id"],
        [
            InputMediaPhoto(
                media=first.photo[-1].file_id, caption="<i>two</i>", parse_mode="HTML"
            ),
            InputMediaPhoto(media=BufferedInputFile(b"2", "2.png")),
        ],
        message_thread_id=thread,
    )
    assert len({m.media_group_id for m in album}) == 1 and album[0].media_group_id
    assert album[0].caption == "two" and all(m.message_thread_id == thread for m in album)
    assert "can't be sent in one media group" in await bad_request(
        bot.send_media_group(
            forum["id"],
            [
                InputMediaPhoto(media=first.photo[-1].file_id),
                InputMediaDocument(media=BufferedInputFile(b"3", "3.txt")),
            ],
        )
    )
    logged_album = [c for c in tg.calls if c.method == "sendMediaGroup" and c.ok]
    assert len(logged_album[0].result) == 2


async def test_a_file_id_from_a_message_can_be_sent_again(tg: FakeTelegram, bot: Bot) -> None:
    alice = f.user("Alice")
    private = f.private_chat(alice)
    voice = tg.send_text(private, alice, None, voice=f.media_file("voice"))
    again = await bot.send_voice(alice["id"], voice["voice"]["file_id"], caption="yours")
    assert again.voice is not None and again.caption == "yours"


async def test_waiting_helpers(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg)

    async def desk() -> None:
        topic = await bot.create_forum_topic(forum["id"], "⏳ Alice")
        await bot.send_message(forum["id"], "card", message_thread_id=topic.message_thread_id)
        await bot.close_forum_topic(forum["id"], topic.message_thread_id)

    task = asyncio.create_task(desk())
    [topic] = await wait_topics(tg, forum["id"])
    [card] = await wait_in_topic(tg, forum["id"], topic.thread_id)
    assert card.plain_text == "card"
    closed = await wait_topic(tg, forum["id"], lambda t: t.closed)
    assert closed.thread_id == topic.thread_id
    assert topic_named(tg, forum["id"], "Alice") is closed
    await task


async def test_deleting_others_messages_needs_the_right(tg: FakeTelegram, bot: Bot) -> None:
    forum = make_forum(tg, can_delete_messages=False)
    agent = f.user("Agent")
    thread = tg.create_topic(forum, agent, "Agents")
    note = tg.send_text(forum, agent, "oops", message_thread_id=thread)
    assert await bad_request(bot.delete_message(forum["id"], note["message_id"])) == (
        "Bad Request: message can't be deleted"
    )
    own = await bot.send_message(forum["id"], "mine", message_thread_id=thread)
    assert await bot.delete_message(forum["id"], own.message_id)
