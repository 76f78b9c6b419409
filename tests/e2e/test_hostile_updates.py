"""Odd commands, forged buttons, and updates the bot must ignore: none of them crashes it."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from aiogram.types import Update

from bot.transport.updates import update_chat_id
from bot.views import notices
from tests import factories as f
from tests.support.bots import AGENT_ID, DirectBot, fast_app
from tests.support.catalog import in_russian
from tests.support.widget import widget_text

AGENTS_ONLY = in_russian(notices.agents_only)
BAD_REQUEST_ID = in_russian(notices.bad_request_id)
CALLBACK_AGENTS_ONLY = in_russian(notices.button_agents_only)
CALLBACK_FOREIGN = in_russian(notices.button_foreign)
ERROR_GENERIC = in_russian(notices.error_generic)
EXPIRING_USAGE = in_russian(notices.expiring_usage)
FORGET_USAGE = in_russian(notices.forget_usage)
RECHECK_NONE = in_russian(notices.recheck_none)

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
UNKNOWN = "0b7c4d2e-1f3a-4b5c-9d8e-6f7a8b9c0d1e"

# (command, how the answer to a customer starts, how the answer to an agent starts)
COMMANDS = [
    ("/start", "Я проверяю", "Я проверяю"),
    ("/start some-deep-link-payload", "Я проверяю", "Я проверяю"),
    ("/help me please <b>&", "Я проверяю", "Я проверяю"),
    ("/license", "📌", "📌"),
    ("/license@license_test_bot", "📌", "📌"),
    (f"/license {RID}", AGENTS_ONLY, "🔎"),
    (f"/license {RID} extra words", AGENTS_ONLY, BAD_REQUEST_ID),
    ("/license not-a-uuid", AGENTS_ONLY, BAD_REQUEST_ID),
    ("/license <b>&amp;</b>", AGENTS_ONLY, BAD_REQUEST_ID),
    ("/license " + "x" * 4000, AGENTS_ONLY, BAD_REQUEST_ID),
    ("/license '; DROP TABLE licenses; --", AGENTS_ONLY, BAD_REQUEST_ID),
    ("/recheck", AGENTS_ONLY, RECHECK_NONE),
    ("/recheck now please", AGENTS_ONLY, RECHECK_NONE),
    ("/forget", AGENTS_ONLY, FORGET_USAGE),
    ("/forget <b>", AGENTS_ONLY, BAD_REQUEST_ID),
    (f"/forget {RID} {RID}", AGENTS_ONLY, BAD_REQUEST_ID),
    (f"/forget {UNKNOWN}", AGENTS_ONLY, "В этом чате нет лицензии"),
    ("/expiring", AGENTS_ONLY, "Ничего не заканчивается"),
    ("/expiring 0", AGENTS_ONLY, EXPIRING_USAGE),
    ("/expiring -5", AGENTS_ONLY, EXPIRING_USAGE),
    ("/expiring ²", AGENTS_ONLY, EXPIRING_USAGE),
    ("/expiring ٣", AGENTS_ONLY, "Ничего не заканчивается"),
    ("/expiring 99999999999999999999999", AGENTS_ONLY, EXPIRING_USAGE),
    ("/expiring 7 14", AGENTS_ONLY, EXPIRING_USAGE),
    ("/expiring soon", AGENTS_ONLY, EXPIRING_USAGE),
]


@pytest.fixture
async def direct(telegram, backend, make_settings, clock):
    bot = DirectBot(await fast_app(make_settings(), clock=clock), telegram)
    backend.add(RID, expires_on=bot.app.clock.today() + timedelta(days=40))
    yield bot
    await bot.close()


@pytest.mark.parametrize("agent", [False, True], ids=["customer", "agent"])
async def test_commands_with_odd_arguments_get_one_short_answer(telegram, direct, caplog, agent):
    caplog.set_level(logging.ERROR)
    sender = f.user("Agent", id=AGENT_ID) if agent else f.user("Клиент")
    rooms = []
    for command, *answers in COMMANDS:
        room = f.supergroup("Магазин")
        rooms.append((room, command, answers[agent]))
        await direct.feed(f.message_update(f.message(room, sender, command)))
    for room, command, expected in rooms:
        sent = telegram.sent_to(room["id"])
        assert len(sent) == 1, (command, [m.plain_text for m in sent])
        shown = sent[0].plain_text
        assert len(shown) < 2000 and shown != ERROR_GENERIC, command
        assert shown.startswith(expected), (command, shown)
    assert [r.getMessage() for r in caplog.records] == []


async def test_commands_for_another_bot_or_in_unknown_forms_are_quiet_in_groups(telegram, direct):
    room = f.supergroup("Магазин")
    quiet = ("/license@other_bot", "/unknown", "/", "//license", "/ license")
    for text in quiet:
        await direct.feed(f.message_update(f.message(room, f.user(), text)))
    assert telegram.sent_to(room["id"]) == []


@pytest.mark.parametrize(
    "data",
    [
        "recheck:abc",
        "recheck:",
        "recheck",
        "recheck:1:2",
        "recheck:1.5",
        "x" * 64,
        "recheck:99999999999999999999999",
        "другое:1",
        "recheck:<b>",
        "",
    ],
)
async def test_tampered_button_data_gets_a_short_answer(telegram, direct, caplog, data):
    caplog.set_level(logging.ERROR)
    room = f.supergroup("Магазин")
    for presser in (f.user("Клиент"), f.user("Agent", id=AGENT_ID)):
        msg = f.message(room, presser, "кнопка")
        await direct.feed(f.callback_query_update(f.callback_query(presser, msg, data)))
    answers = [a["text"] for a in telegram.callback_answers]
    assert len(answers) == 2 and all(len(a) < 200 for a in answers), answers
    assert ERROR_GENERIC not in answers
    assert telegram.sent_to(room["id"]) == []
    assert [r.getMessage() for r in caplog.records] == []


async def test_recheck_button_acts_only_on_its_own_chat_and_only_for_agents(
    telegram, backend, direct, db_path
):
    owner, agent = f.user("Owner"), f.user("Agent", id=AGENT_ID)
    room = f.supergroup("Ромашка")
    expires = direct.app.clock.today() + timedelta(days=40)
    await direct.feed(f.message_update(f.message(room, owner, widget_text(RID, expires))))
    other = f.supergroup("Чужой")
    for chat, presser in ((other, agent), (room, owner), (other, owner)):
        msg = f.message(chat, presser, "кнопка")
        data = f"recheck:{room['id']}"
        await direct.feed(f.callback_query_update(f.callback_query(presser, msg, data)))
    assert [a["text"] for a in telegram.callback_answers] == [
        CALLBACK_FOREIGN,
        CALLBACK_AGENTS_ONLY,
        CALLBACK_AGENTS_ONLY,
    ]
    assert backend.calls_for(RID) == 1
    assert telegram.sent_to(other["id"]) == []
    inline = f.callback_query(agent, f.message(room, agent, "x"), f"recheck:{room['id']}")
    del inline["message"]
    inline["inline_message_id"] = "AAAA"
    await direct.feed(f.callback_query_update(inline))
    assert telegram.callback_answers[-1]["text"] == CALLBACK_FOREIGN
    assert backend.calls_for(RID) == 1


async def test_other_bots_channels_service_messages_and_unknown_updates_are_ignored(
    telegram, backend, direct, caplog
):
    caplog.set_level(logging.ERROR)
    expires = direct.app.clock.today() + timedelta(days=40)
    paste = widget_text(RID, expires)
    other_bot = f.bot_user()
    private = f.private_chat(f.user("Клиент"))
    room = f.supergroup("Магазин")
    channel = f.channel("Новости")
    person = f.user("Клиент")
    updates = [
        f.message_update(f.message(room, other_bot, paste)),
        f.message_update(f.message(room, other_bot, "/license")),
        f.message_update(f.message(private, other_bot, paste)),
        f.channel_post_update(f.channel_post(channel, paste)),
        {"edited_channel_post": f.channel_post(channel, paste)},
        f.message_update(
            f.message(
                room,
                {"id": 777000, "is_bot": False, "first_name": "Telegram"},
                paste,
                sender_chat=channel,
                is_automatic_forward=True,
            )
        ),
        f.message_update(f.message(room, person, None, new_chat_members=[person])),
        f.message_update(f.message(room, person, None, left_chat_member=person)),
        f.message_update(f.message(room, person, None, new_chat_title="<b>&")),
        f.message_update(
            f.message(private, person, None, pinned_message=f.message(private, person, "старое"))
        ),
        f.message_update(
            f.message(
                private,
                person,
                None,
                message_auto_delete_timer_changed={"message_auto_delete_time": 60},
            )
        ),
        f.message_update(f.message(private, person, None, write_access_allowed={})),
        {
            "chat_member": f.my_chat_member_update(room, person, person, "left", "member")[
                "my_chat_member"
            ]
        },
        {
            "message_reaction": {
                "chat": room,
                "message_id": 1,
                "date": f.now(),
                "old_reaction": [],
                "new_reaction": [],
            }
        },
        {"some_update_from_the_future": {"chat": {"id": 1}}},
    ]
    with pytest.warns(RuntimeWarning, match="unknown update type"):
        for raw in updates:
            await direct.feed(raw)
    assert telegram.sent == [] and backend.calls == []
    assert (
        update_chat_id(Update.model_validate({"update_id": 1, "some_update_from_the_future": {}}))
        is None
    )
    assert [r.getMessage() for r in caplog.records] == []


async def test_an_anonymous_admin_is_a_customer_too(telegram, backend, direct, db_path):
    room = f.supergroup("Магазин")
    expires = direct.app.clock.today() + timedelta(days=40)
    msg = f.message(room, f.GROUP_ANONYMOUS_BOT, widget_text(RID, expires), sender_chat=room)
    await direct.feed(f.message_update(msg))
    [answer] = telegram.sent_to(room["id"])  # the status, pinned, is the answer
    assert answer.reply_to_message_id == msg["message_id"]
    assert telegram.pinned.get(room["id"]) == answer.message_id
