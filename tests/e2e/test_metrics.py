"""/healthz and /metrics on METRICS_LISTEN, after a paste through the real bot."""

from __future__ import annotations

from datetime import timedelta

from tests import factories as f
from tests.support.clocks import morning_clock, move_to
from tests.support.web import base_url, get, samples, wait_healthy, wait_metrics
from tests.support.widget import widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
UNKNOWN = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"


async def test_metrics_count_a_paste_its_verdict_and_backend_call(telegram, backend, start_bot):
    bot = await start_bot(metrics_listen="127.0.0.1:0")
    url = await base_url(bot.app)
    assert await wait_healthy(url) == "ok\n"
    expires = bot.app.clock.today() + timedelta(days=120)
    backend.add(RID, expires_on=expires)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, expires))
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))

    # the update leaves the inbox just after its handler is counted
    handled = 'bot_updates_handled_total{type="message"}'
    found = await wait_metrics(url, lambda m: m.get(handled) and not m["bot_inbox_updates"])
    assert found["bot_pastes_total"] == 1
    assert found['bot_verdicts_total{outcome="found"}'] == 1
    assert found["bot_backend_latency_seconds_count"] == 1
    assert found["bot_backend_circuit_open"] == 0
    assert found["bot_pending_checks"] == 0
    assert found["bot_inbox_updates"] == 0
    assert found["bot_reminders_sent_total"] == 0
    assert found["bot_ocr_queue"] == 0  # OCR is on: its queue is watched too
    assert not any(name.startswith("bot_backend_errors_total{") for name in found)
    status, text = await get(url + "/metrics")
    assert status == 200
    assert "# HELP bot_verdicts_total Verdicts given for pasted Request IDs" in text


async def test_metrics_count_backend_failures_and_pending_checks(telegram, backend, start_bot):
    bot = await start_bot(metrics_listen="127.0.0.1:0")
    url = await base_url(bot.app)
    backend.set_down(503)
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(UNKNOWN, bot.app.clock.today()))
    await telegram.wait_sent(chat["id"], 1)

    found = await wait_metrics(url, lambda m: m.get("bot_pastes_total"))
    assert found['bot_verdicts_total{outcome="unavailable"}'] == 1
    assert found['bot_backend_errors_total{kind="server_error"}'] >= 1
    assert found["bot_pending_checks"] == 1


async def test_healthz_says_why_when_the_database_is_gone(start_bot):
    bot = await start_bot(metrics_listen="127.0.0.1:0")
    url = await base_url(bot.app)
    await wait_healthy(url)
    await bot.app.db.close()
    status, text = await get(url + "/healthz")
    assert status == 503
    assert text.startswith("unhealthy: the database failed")
    assert samples((await get(url + "/metrics"))[1])["bot_backend_circuit_open"] == 0


async def test_metrics_count_telegram_429s_and_the_seconds_asked(telegram, backend, start_bot):
    bot = await start_bot(metrics_listen="127.0.0.1:0")
    url = await base_url(bot.app)
    backend.add(RID, expires_on=bot.app.clock.today() + timedelta(days=10))
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 1",
        retry_after=1,
        chat_id=chat["id"],
    )
    telegram.send_text(chat, alice, widget_text(RID, bot.app.clock.today()))
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]), timeout=15)

    limited = 'bot_telegram_429_total{method="sendMessage"}'
    found = await wait_metrics(url, lambda m: m.get(limited))
    assert found[limited] == 1
    assert found["bot_telegram_retry_after_seconds_total"] == 1


async def test_metrics_count_reminders_sent(telegram, backend, start_bot):
    clock = morning_clock()
    bot = await start_bot(clock=clock, metrics_listen="127.0.0.1:0")
    url = await base_url(bot.app)
    start = clock.today()
    backend.add(RID, expires_on=start + timedelta(days=15))
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_text(chat, alice, widget_text(RID, start + timedelta(days=15)))
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))

    move_to(clock, 1, 10, 5, base=start)  # 14 days left, after 10:00: the first reminder
    await bot.app.scheduler.sweep()

    assert "осталось 14 дней" in telegram.sent_to(chat["id"])[-1].plain_text
    found = await wait_metrics(url, lambda m: m.get("bot_reminders_sent_total"))
    assert found["bot_reminders_sent_total"] == 1
