"""Nothing one chat stores is shown in another chat to a non-agent.

Chat A registers a license; then a customer in chat B (a group, and a private chat) tries
every command, argument and button there is, A's own button data included. Nothing of A —
its title, id, Request ID, license id, site, version, term or renewal link — may appear in
anything B is shown, and nothing B does may ask the backend about A's license.
"""

from __future__ import annotations

from datetime import timedelta

from tests import factories as f
from tests.support.bots import AGENT_ID
from tests.support.disk import eventually, rows
from tests.support.widget import ru, widget_text

RID_A = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
OTHER = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"


async def handled(telegram, db_path, last_update_id: int) -> None:
    """Every update up to `last_update_id` was taken from Telegram and fully handled."""
    await telegram.wait_for(lambda: telegram.confirmed_offset > last_update_id, timeout=10)
    await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)])


async def test_a_customer_in_another_chat_learns_nothing_of_chat_a(
    telegram, backend, fast_bot, db_path
):
    bot = await fast_bot()
    expires = bot.app.clock.today() + timedelta(days=123)
    backend.add(
        RID_A,
        expires_on=expires,
        license_id="L-SECRET-1",
        site="secret.example.ru",
        module_version="3.2.4-secret",
        renew_url="https://example.ru/renew/L-SECRET-1",
    )
    owner, agent = f.user("Owner"), f.user("Agent", id=AGENT_ID)
    room_a = f.supergroup("Ромашка-секрет")
    telegram.send_text(room_a, owner, widget_text(RID_A, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(room_a["id"]))
    telegram.send_text(room_a, agent, "/license")
    agents_status = await telegram.wait_sent(room_a["id"], 2)  # the pinned status, /license
    [button_a] = agents_status[-1].button_data
    a_calls = backend.calls_for(RID_A)
    secrets = [
        "Ромашка-секрет",
        str(room_a["id"]),
        RID_A,
        RID_A.upper(),
        "L-SECRET-1",
        "secret.example.ru",
        "3.2.4-secret",
        ru(expires),
        "renew/L-SECRET-1",
        "123 д",
    ]

    stranger = f.user("Stranger")
    room_b, private_b = f.supergroup("Чужой чат"), f.private_chat(stranger)
    walk = [
        "/start",
        "/help",
        "/license",
        f"/license {RID_A}",
        "/license L-SECRET-1",
        "/license Ромашка-секрет",
        f"/license {room_a['id']}",
        "/recheck",
        f"/recheck {RID_A}",
        f"/forget {RID_A}",
        "/expiring",
        "/expiring 365",
        "/unknown",
        f"мой номер {RID_A}?",
        f"Request ID: {OTHER}",
        "привет",
    ]
    last = 0
    for chat in (room_b, private_b):
        for text in walk:
            msg = telegram.send_text(chat, stranger, text)
        telegram.edit_text(chat, stranger, msg["message_id"], f"ID запроса {OTHER}")
        for data in (button_a, f"recheck:{chat['id']}", "recheck:abc"):
            telegram.press_button(chat, stranger, msg["message_id"], data)
        last = telegram.push_update(f.message_update(f.message(chat, stranger, "/help")))
    await handled(telegram, db_path, last)

    shown = [m.text for m in telegram.sent + telegram.edits if m.chat_id != room_a["id"]]
    shown += [str(a.get("text")) for a in telegram.callback_answers]
    assert len(telegram.callback_answers) == 6
    assert sum("нет подтверждённых лицензий" in text for text in shown) == 2
    leaks = [(s, text) for text in shown for s in secrets if s in text]
    assert leaks == []
    for chat in (room_b, private_b):
        assert telegram.pinned.get(chat["id"]) is None
    assert backend.calls_for(RID_A) == a_calls
    assert rows(db_path, "SELECT chat_id FROM licenses WHERE request_id = ?", RID_A) == [
        (room_a["id"],)
    ]
