"""End to end: agents' commands and the re-check button; non-agents learn nothing of others."""

from __future__ import annotations

from datetime import timedelta

from tests import factories as f
from tests.support.bots import AGENT_ID
from tests.support.disk import rows
from tests.support.widget import ru, widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"


async def register(telegram, backend, bot, title="Магазин «Ромашка»", days=30):
    expires = bot.app.clock.today() + timedelta(days=days)
    backend.add(RID, expires_on=expires, license_id="L-1", site="romashka.example.ru")
    owner = f.user("Owner")
    room = f.supergroup(title)
    telegram.send_text(room, owner, widget_text(RID, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(room["id"]))
    return room, expires


async def ask(telegram, chat, sender, text):
    before = len(telegram.messages_in(chat["id"]))
    telegram.send_text(chat, sender, text)
    await telegram.wait_sent(chat["id"], before + 1)
    return telegram.messages_in(chat["id"])[-1]


async def test_agent_looks_up_request_id_anywhere(telegram, backend, start_bot):
    bot = await start_bot()
    room, expires = await register(telegram, backend, bot)
    agent = f.user("Agent", id=AGENT_ID)
    reply = await ask(telegram, f.private_chat(agent), agent, f"/license {RID.upper()}")
    assert f"до {ru(expires)}" in reply.plain_text
    assert "Магазин «Ромашка»" in reply.plain_text and str(room["id"]) in reply.plain_text
    assert "&lt;" not in reply.plain_text  # the title was escaped once, shown as typed


async def test_non_agent_gets_refusal_revealing_nothing(telegram, backend, start_bot):
    bot = await start_bot()
    await register(telegram, backend, bot)
    stranger = f.user("Stranger")
    elsewhere = f.supergroup("Чужой чат")
    for command in (f"/license {RID}", f"/forget {RID}", "/recheck", "/expiring 30"):
        reply = await ask(telegram, elsewhere, stranger, command)
        assert reply.plain_text == "Эта команда доступна только сотрудникам поддержки."
    reply = await ask(telegram, elsewhere, stranger, "/license")
    assert "Ромашка" not in reply.plain_text and RID not in reply.plain_text
    assert "нет подтверждённых лицензий" in reply.plain_text


async def test_recheck_button_picks_up_renewal(telegram, backend, start_bot, db_path):
    bot = await start_bot()
    room, _ = await register(telegram, backend, bot, days=2)
    pinned = telegram.pinned[room["id"]]
    renewed = bot.app.clock.today() + timedelta(days=367)
    backend.add(RID, expires_on=renewed, license_id="L-1")
    agent = f.user("Agent", id=AGENT_ID)
    status = await ask(telegram, room, agent, "/license")
    [data] = status.button_data

    stranger = f.user("Stranger")
    telegram.press_button(room, stranger, status.message_id, data)
    await telegram.wait_for(lambda: len(telegram.callback_answers) == 1)
    assert telegram.callback_answers[-1]["show_alert"] in (True, "true")
    assert backend.calls_for(RID) == 1

    telegram.press_button(room, agent, status.message_id, data)
    await telegram.wait_for(
        lambda: f"до {ru(renewed)}" in telegram.message(room["id"], pinned).plain_text
    )
    assert rows(db_path, "SELECT expires_on FROM licenses") == [(renewed.isoformat(),)]


async def test_button_from_another_chat_does_nothing(telegram, backend, start_bot):
    bot = await start_bot()
    room, _ = await register(telegram, backend, bot)
    agent = f.user("Agent", id=AGENT_ID)
    status = await ask(telegram, room, agent, "/license")
    [data] = status.button_data
    other = f.supergroup("Другой")
    decoy = await ask(telegram, other, agent, "/help")
    telegram.press_button(other, agent, decoy.message_id, data)
    await telegram.wait_for(lambda: len(telegram.callback_answers) == 1)
    assert "не для этого чата" in telegram.callback_answers[-1]["text"]
    assert backend.calls_for(RID) == 1


async def test_agent_forgets_and_rechecks(telegram, backend, start_bot, db_path):
    bot = await start_bot()
    room, _ = await register(telegram, backend, bot)
    agent = f.user("Agent", id=AGENT_ID)
    reply = await ask(telegram, room, agent, "/recheck")
    assert "Перепроверено" in reply.plain_text and RID in reply.plain_text
    assert backend.calls_for(RID) == 2
    reply = await ask(telegram, room, agent, "/forget not-a-uuid")
    assert "не похоже на Request ID" in reply.plain_text
    reply = await ask(telegram, room, agent, f"/forget {RID}")
    assert "убрана" in reply.plain_text
    assert rows(db_path, "SELECT COUNT(*) FROM licenses") == [(0,)]
    pinned = telegram.pinned[room["id"]]
    await telegram.wait_for(
        lambda: "нет подтверждённых лицензий" in telegram.message(room["id"], pinned).plain_text
    )


async def test_agent_lists_expiring(telegram, backend, start_bot):
    bot = await start_bot()
    _room, expires = await register(telegram, backend, bot, days=5)
    agent = f.user("Agent", id=AGENT_ID)
    reply = await ask(telegram, f.private_chat(agent), agent, "/expiring 7")
    assert f"до {ru(expires)}" in reply.plain_text and "Ромашка" in reply.plain_text
    reply = await ask(telegram, f.private_chat(agent), agent, "/expiring 3")
    assert "Ничего не заканчивается" in reply.plain_text
    reply = await ask(telegram, f.private_chat(agent), agent, "/expiring soon")
    assert "от 1 до 365" in reply.plain_text


async def test_commands_typed_in_capitals_work(telegram, backend, start_bot):
    bot = await start_bot()
    room, expires = await register(telegram, backend, bot)
    customer = f.user("Customer")
    reply = await ask(telegram, room, customer, "/LICENSE")
    assert f"до {ru(expires)}" in reply.plain_text
    agent = f.user("Agent", id=AGENT_ID)
    reply = await ask(telegram, room, agent, "/ReCheck")
    assert "Перепроверено" in reply.plain_text
