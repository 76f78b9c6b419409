"""End to end: reminders, expiry and renewals over (clock-)time, through the fake Telegram."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import Clock
from tests import factories as f
from tests.support.clocks import morning_clock, move_to
from tests.support.disk import eventually, rows
from tests.support.widget import ru, widget_text

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
TZ = ZoneInfo("Europe/Moscow")
RENEW = "https://example.ru/renew/L-1042"


@pytest.fixture
def clock() -> Clock:
    return morning_clock()


async def paste_license(telegram, backend, bot, *, days: int, chat=None, owner=None):
    expires = bot.app.clock.today() + timedelta(days=days)
    backend.add(RID, expires_on=expires, license_id="L-1042", renew_url=RENEW)
    owner = owner or f.user("Owner")
    chat = chat or f.private_chat(owner)
    telegram.send_text(chat, owner, widget_text(RID, expires))
    pinned = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]))
    return chat, expires, pinned


def texts_in(telegram, chat_id: int) -> list[str]:
    return [m.plain_text for m in telegram.sent_to(chat_id)]


async def test_reminders_on_each_configured_day_then_end_notice(
    telegram, backend, start_bot, clock
):
    bot = await start_bot(clock=clock)
    chat, expires, pinned = await paste_license(telegram, backend, bot, days=15)
    scheduler = bot.app.scheduler
    start = clock.today()
    sent_before = len(telegram.sent_to(chat["id"]))

    expected = [(14, "осталось 14 дней"), (3, "осталось 3 дня"), (1, "осталось 1 день")]
    for days_left, phrase in expected:
        move_to(clock, 15 - days_left, 9, 30, base=start)
        await scheduler.sweep()
        assert len(telegram.sent_to(chat["id"])) == sent_before  # not before 10:00
        move_to(clock, 15 - days_left, 10, 5, base=start)
        await scheduler.sweep()
        await scheduler.sweep()  # a second sweep the same day sends nothing more
        sent_before += 1
        reminder = telegram.sent_to(chat["id"])[-1]
        assert len(telegram.sent_to(chat["id"])) == sent_before
        assert f"поддержка по лицензии заканчивается {ru(expires)} — {phrase}" in (
            reminder.plain_text
        )
        assert "только при активной лицензии 1С-Битрикс" in reminder.plain_text
        assert [b["url"] for b in reminder.buttons] == [RENEW]
        status = telegram.message(chat["id"], pinned).plain_text
        assert f"до {ru(expires)} — {phrase}" in status  # the pin shows today's days left

    move_to(clock, 15, 10, 1, base=start)
    await scheduler.sweep()
    assert f"сегодня, {ru(expires)}, последний день" in texts_in(telegram, chat["id"])[-1]
    assert "сегодня последний день" in telegram.message(chat["id"], pinned).plain_text

    move_to(clock, 16, 10, 1, base=start)
    await scheduler.sweep()
    ended = telegram.sent_to(chat["id"])[-1]
    assert f"поддержка по лицензии закончилась {ru(expires)}" in ended.plain_text
    assert [b["url"] for b in ended.buttons] == [RENEW]
    status = telegram.message(chat["id"], pinned)
    assert f"лицензия истекла {ru(expires)}" in status.plain_text
    assert [b["url"] for b in status.buttons] == [RENEW]
    assert len(telegram.sent_to(chat["id"])) == sent_before + 2


async def test_no_reminder_after_renewal_pin_shows_new_term(
    telegram, backend, start_bot, clock, db_path
):
    bot = await start_bot(clock=clock)
    chat, _expires, pinned = await paste_license(telegram, backend, bot, days=10)
    sent = len(telegram.sent_to(chat["id"]))
    renewed_to = clock.today() + timedelta(days=375)
    backend.add(RID, expires_on=renewed_to, license_id="L-1042", renew_url=RENEW)
    move_to(clock, 7, 10, 0)
    await bot.app.scheduler.sweep()
    assert len(telegram.sent_to(chat["id"])) == sent  # renewed already: no reminder
    assert f"до {ru(renewed_to)}" in telegram.message(chat["id"], pinned).plain_text
    assert rows(db_path, "SELECT expires_on FROM licenses") == [(renewed_to.isoformat(),)]


async def test_renewal_after_expiry_shows_up_by_itself(telegram, backend, start_bot, clock):
    bot = await start_bot(clock=clock)
    chat, _expires, pinned = await paste_license(telegram, backend, bot, days=0)
    scheduler = bot.app.scheduler
    move_to(clock, 1, 10, 0)
    await scheduler.sweep()
    assert "закончилась" in texts_in(telegram, chat["id"])[-1]
    calls = backend.calls_for(RID)

    move_to(clock, 0, 10, 20)  # 20 minutes later: not yet time to look again
    await scheduler.sweep()
    assert backend.calls_for(RID) == calls
    renewed_to = clock.today() + timedelta(days=365)
    backend.add(RID, expires_on=renewed_to, license_id="L-1042", renew_url=RENEW)
    move_to(clock, 0, 10, 31)  # looked at every 30 minutes on the first day
    await scheduler.sweep()
    assert texts_in(telegram, chat["id"])[-1].startswith(
        f"🎉 МойСклад: Синхронизация товаров по API: лицензия продлена до {ru(renewed_to)}"
    )
    status = telegram.message(chat["id"], pinned)
    assert f"до {ru(renewed_to)}" in status.plain_text and "истекла" not in status.plain_text
    assert status.buttons == []


async def test_catch_up_after_downtime_sends_only_the_most_relevant(
    telegram, backend, start_bot, clock
):
    bot = await start_bot(clock=clock)
    chat, expires, _ = await paste_license(telegram, backend, bot, days=20)
    await bot.stop()
    sent = len(telegram.sent_to(chat["id"]))
    move_to(clock, 18, 11, 0)  # the 14- and 3-day reminders were due while we were down
    bot = await start_bot(clock=clock)
    await bot.app.scheduler.sweep()
    new = texts_in(telegram, chat["id"])[sent:]
    assert len(new) == 1
    assert f"заканчивается {ru(expires)} — осталось 2 дня" in new[0]


async def test_no_duplicate_after_restart_mid_sweep(telegram, backend, start_bot, clock, db_path):
    bot = await start_bot(clock=clock)
    chat, _, _ = await paste_license(telegram, backend, bot, days=4)
    answered = len(telegram.sent_to(chat["id"]))
    move_to(clock, 1, 10, 0)
    await bot.app.scheduler.sweep()
    sent = len(telegram.sent_to(chat["id"]))
    assert sent == answered + 1
    await bot.stop()
    # As if the process died right after the send, before the schedule moved on.
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE licenses SET next_check_at = 0")
    conn.commit()
    conn.close()
    bot = await start_bot(clock=clock)
    await bot.app.scheduler.sweep()
    assert len(telegram.sent_to(chat["id"])) == sent
    # before_14 was covered by the answer to the paste itself
    assert rows(db_path, "SELECT kind FROM reminders_sent ORDER BY kind") == [
        ("before_14",),
        ("before_3",),
    ]


async def test_blocked_chat_stops_reminders(telegram, backend, start_bot, clock, db_path):
    bot = await start_bot(clock=clock)
    chat, _, _ = await paste_license(telegram, backend, bot, days=5)
    telegram.block(chat["id"])
    move_to(clock, 2, 10, 0)
    await bot.app.scheduler.sweep()
    assert rows(db_path, "SELECT active FROM chats") == [(0,)]
    attempts = len([c for c in telegram.calls_to("sendMessage") if c.chat_id == chat["id"]])
    for _ in range(4):
        move_to(clock, 1, 10, 0)
        await bot.app.scheduler.sweep()
    after = len([c for c in telegram.calls_to("sendMessage") if c.chat_id == chat["id"]])
    assert after == attempts
    assert rows(db_path, "SELECT next_check_at FROM licenses") == [(None,)]


async def test_flood_wait_on_reminder_is_waited_out(telegram, backend, start_bot, clock):
    bot = await start_bot(clock=clock)
    chat, _, _ = await paste_license(telegram, backend, bot, days=4)
    telegram.fail_next(
        "sendMessage",
        error_code=429,
        retry_after=1,
        chat_id=chat["id"],
        description="Too Many Requests: retry after 1",
    )
    move_to(clock, 1, 10, 0)
    await bot.app.scheduler.sweep()
    calls = [c for c in telegram.calls_to("sendMessage") if c.chat_id == chat["id"]]
    refused, delivered = calls[-2], calls[-1]
    assert refused.error_code == 429 and delivered.ok
    assert delivered.at - refused.at >= 1.0  # the server saw the bot wait retry_after
    assert "осталось 3 дня" in texts_in(telegram, chat["id"])[-1]


async def test_daily_digest_for_agents(telegram, backend, start_bot, clock):
    support = -1009999999999
    bot = await start_bot(clock=clock, support_chat_id=str(support))
    owner = f.user("Owner")
    room = f.supergroup("Магазин <Ромашка>")
    _, expires, pinned = await paste_license(
        telegram, backend, bot, days=5, chat=room, owner=owner
    )
    move_to(clock, 0, 10, 0)
    await bot.app.scheduler.sweep()
    await bot.app.scheduler.sweep()
    [digest] = telegram.sent_to(support)
    assert f"МойСклад: Синхронизация товаров по API — до {ru(expires)} — Магазин <Ромашка>" in (
        digest.plain_text
    )
    link = f"https://t.me/c/{str(room['id'])[4:]}/{pinned}"
    assert f'<a href="{link}">Магазин &lt;Ромашка&gt;</a>' in digest.text
    move_to(clock, 1, 10, 0)
    await bot.app.scheduler.sweep()
    assert len(telegram.sent_to(support)) == 2  # one a day


async def test_pin_refreshed_daily_and_resent_if_deleted(telegram, backend, start_bot, clock):
    bot = await start_bot(clock=clock)
    chat, expires, pinned = await paste_license(telegram, backend, bot, days=40)
    move_to(clock, 1, 0, 5)
    await bot.app.scheduler.sweep()
    assert "осталось 39 дней" in telegram.message(chat["id"], pinned).plain_text
    telegram.delete_message(chat["id"], pinned)
    move_to(clock, 1, 0, 5)
    await bot.app.scheduler.sweep()
    repinned = await eventually(lambda: telegram.pinned.get(chat["id"]))
    assert repinned != pinned
    assert (
        f"до {ru(expires)} — осталось 38 дней" in telegram.message(chat["id"], repinned).plain_text
    )


async def test_reminder_follows_a_group_upgraded_to_supergroup(
    telegram, backend, start_bot, clock, db_path
):
    bot = await start_bot(clock=clock)
    owner = f.user("Owner")
    old = f.group("Магазин")
    await paste_license(telegram, backend, bot, days=4, chat=old, owner=owner)
    new_id = -1008888888888
    telegram.migrate(old["id"], new_id, announce=False)  # only the send error will tell
    move_to(clock, 1, 10, 0)
    await bot.app.scheduler.sweep()
    await bot.app.scheduler.sweep()
    assert [m.plain_text.count("осталось 3 дня") for m in telegram.sent_to(new_id)][:1] == [1]
    assert sum("⏰" in m.plain_text for m in telegram.sent_to(new_id)) == 1
    assert rows(db_path, "SELECT chat_id FROM licenses") == [(new_id,)]
