"""Webhook mode: Telegram's POSTs go to the bot's own server; nothing is lost over a restart."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from tests import factories as f
from tests.support.disk import eventually, rows
from tests.support.web import base_url, get, post_update, wait_metrics
from tests.support.widget import widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
SECRET = "s3cret-Webhook_token"
HOOK = {
    "webhook_url": "https://bot.example.com/telegram/hook",
    "webhook_secret": SECRET,
    "webhook_listen": "127.0.0.1:0",
}


def paste_update(telegram, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """An update as Telegram would POST it (also known to the fake, so replies find it)."""
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    raw = f.message_update(f.message(chat, alice, text))
    update_id = telegram.push_update(raw)
    return {"update_id": update_id, **raw}, chat


async def test_webhook_is_registered_and_a_posted_paste_is_answered(telegram, backend, start_bot):
    bot = await start_bot(**HOOK)
    url = await base_url(bot.app, "webhook")
    await telegram.wait_for(lambda: telegram.webhook)
    assert telegram.webhook["url"] == HOOK["webhook_url"]
    assert telegram.webhook["secret_token"] == SECRET
    assert "message" in telegram.webhook["allowed_updates"]
    assert not telegram.calls_to("getUpdates")
    expires = bot.app.clock.today() + timedelta(days=30)
    backend.add(RID, expires_on=expires)
    update, chat = paste_update(telegram, widget_text(RID, expires))

    status, body = await post_update(url + "/telegram/hook", update, SECRET)

    assert (status, body) == (200, "{}")
    answer = (await telegram.wait_sent(chat["id"], 1))[0]
    assert "Техническая поддержка в этом чате" in answer.plain_text  # the status answers
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]) == answer.message_id)
    # the webhook server also answers /healthz and /metrics
    assert await get(url + "/healthz") == (200, "ok\n")
    await wait_metrics(url, lambda m: m.get("bot_pastes_total") == 1)


async def test_wrong_or_missing_secret_gets_401_and_nothing_is_handled(
    telegram, backend, start_bot, db_path, caplog
):
    bot = await start_bot(**HOOK)
    url = await base_url(bot.app, "webhook") + "/telegram/hook"
    await telegram.wait_for(lambda: telegram.webhook)
    backend.add(RID, expires_on=bot.app.clock.today())
    update, chat = paste_update(telegram, widget_text(RID, bot.app.clock.today()))

    with caplog.at_level(logging.WARNING, logger="bot.transport.webhook"):
        assert (await post_update(url, update, "not-the-secret"))[0] == 401
        assert (await post_update(url, update, None))[0] == 401

    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 2
    assert "a wrong secret" in refusals[0] and "no secret" in refusals[1]
    assert not any(SECRET in r.getMessage() for r in caplog.records)
    assert rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)]
    assert backend.calls_for(RID) == 0
    assert telegram.sent_to(chat["id"]) == []


async def test_update_in_flight_at_restart_is_answered_after_it(
    telegram, backend, start_bot, db_path
):
    bot = await start_bot(**HOOK)
    url = await base_url(bot.app, "webhook") + "/telegram/hook"
    await telegram.wait_for(lambda: telegram.webhook)
    # An update posted before the inbox is replayed is handled by the replay itself.
    await telegram.wait_for(lambda: bot.app.inbox.live)
    expires = bot.app.clock.today() + timedelta(days=60)
    backend.add(RID, expires_on=expires)
    backend.fault("hold", request_id=RID)  # the first run never hears back
    update, chat = paste_update(telegram, widget_text(RID, expires))

    assert (await post_update(url, update, SECRET))[0] == 200
    # Telegram got its 200: from now on only the bot's disk has the update.
    assert rows(db_path, "SELECT update_id FROM inbox") == [(update["update_id"],)]
    await backend.wait_calls(RID, 1)
    bot.app.inbox.drain_seconds = 0.1
    await bot.stop()
    assert telegram.sent_to(chat["id"]) == []
    assert rows(db_path, "SELECT update_id FROM inbox") == [(update["update_id"],)]

    backend.clear_faults()
    backend.release()
    await start_bot(**HOOK)
    answer = (await telegram.wait_sent(chat["id"], 1))[0]
    assert "Техническая поддержка в этом чате" in answer.plain_text  # the status answers
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]) == answer.message_id)
    await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)])
