"""End to end: screenshots read by the OCR worker and served like pastes.

Tests marked «real engine» run the real worker (rapidocr, 2–8 s a picture on a loaded
2-core machine); the others use a stand-in worker that speaks the same protocol and reads
its answer from the «picture» bytes (`id:<uuid>`, `none`, `die-once:<uuid>`,
`hang-once:<uuid>`), so bursts,
groups and crashes are quick and certain.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import Clock
from bot.config import Settings
from bot.transport.app import build_app
from tests import factories as f
from tests.fakes.telegram_api import FakeTelegram, SentMessage
from tests.support.bots import NoFloodLimits, RunningBot
from tests.support.disk import eventually, rows
from tests.support.widget import widget_text
from tests.support.widget_images import settings_page, telegram_photo

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
UNKNOWN = "7d41e0c2-95ab-4f3e-b8c1-2a6f0d9e3b57"
REAL_READ = 90.0  # seconds allowed for the real worker: start-up plus a picture or two

STAND_IN = """
import os, sys, time
from bot.ocr.protocol import encode_json, read_frame
out = sys.stdout.buffer
out.write(encode_json({"ready": True, "peak_rss_kb": 1})); out.flush()
while (data := read_frame(sys.stdin.buffer)) is not None:
    word, _, rid = data.decode().partition(":")
    first = word.endswith("-once") and not os.path.exists(sys.argv[1])
    if first:
        open(sys.argv[1], "w").close()
    if first and word == "die-once":
        os._exit(3)
    if first and word == "hang-once":
        time.sleep(60)
    time.sleep(float(sys.argv[2]))
    ids = [{"id": rid, "near_label": True}] if rid else []
    outcome = {"kind": "ids" if ids else "no_id", "ids": ids}
    out.write(encode_json({"outcome": outcome, "seconds": 0.1, "peak_rss_kb": 2})); out.flush()
"""

StartBot = Callable[..., Awaitable[RunningBot]]


@pytest.fixture
async def picture_bot(
    make_settings: Callable[..., Settings], clock: Clock, tmp_path: Path
) -> AsyncIterator[StartBot]:
    """Start the real app; `stand_in=<seconds per picture>` swaps the engine for STAND_IN."""
    running: list[RunningBot] = []

    async def start(*, stand_in: float | None = None, **overrides: Any) -> RunningBot:
        options: dict[str, Any] = {"image_timeout": 60.0}
        if stand_in is not None:
            died = str(tmp_path / "died")
            options["command"] = (sys.executable, "-c", STAND_IN, died, str(stand_in))
        app = await build_app(
            make_settings(**overrides),
            clock=clock,  # the test's clock: a read that crosses midnight changes nothing
            retry_base=0.2,
            poll_timeout=1,
            flood_limits=NoFloodLimits(),
            ocr_options=options,
        )
        bot = RunningBot(app)
        running.append(bot)
        return bot

    yield start
    for bot in running:
        if not bot.task.done():
            await bot.stop()


def texts(telegram: FakeTelegram, chat_id: int) -> list[str]:
    return [m.plain_text for m in telegram.sent_to(chat_id)]


async def test_photo_of_an_active_license_is_served_like_a_paste(
    telegram, backend, picture_bot, db_path
):
    """Real engine."""
    bot = await picture_bot()
    expires = bot.app.clock.today() + timedelta(days=120)
    backend.add(RID, expires_on=expires, license_id="L-1042")
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    photo = telegram.send_photo(chat, alice, telegram_photo(settings_page(RID, scale=2.0)))

    pinned_id = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]), REAL_READ)
    # the status answers, pinned; what was read from the picture follows in a reply
    status, answer = await telegram.wait_sent(chat["id"], 2, REAL_READ)
    assert answer.reply_to_message_id == photo["message_id"]
    assert status.reply_to_message_id == photo["message_id"]
    assert f"Прочитано с картинки: Request ID {RID}" in answer.plain_text
    assert "осталось 120 дней" in status.plain_text
    assert pinned_id == status.message_id
    assert "МойСклад: Синхронизация товаров по API" in status.plain_text
    assert telegram.calls_to("sendChatAction"), "the customer saw nothing while it was read"
    assert rows(db_path, "SELECT chat_id, request_id, license_id FROM licenses") == [
        (chat["id"], RID, "L-1042")
    ]
    await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM pending_checks") == [(0,)])


async def test_unreadable_and_misread_pictures_get_their_answers(telegram, backend, picture_bot):
    """Real engine: a page without the widget, then a widget whose ID the backend lacks."""
    await picture_bot()
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_photo(chat, alice, telegram_photo(settings_page(None, scale=1.5)))
    [no_id] = await telegram.wait_sent(chat["id"], 1, REAL_READ)
    assert "Не удалось прочитать Request ID" in no_id.plain_text
    assert "Скопировать информацию о лицензии" in no_id.plain_text

    telegram.send_photo(chat, alice, telegram_photo(settings_page(UNKNOWN, scale=2.0)))
    misread = (await telegram.wait_sent(chat["id"], 2, REAL_READ))[1].plain_text
    assert f"Прочитано с картинки: Request ID {UNKNOWN}" in misread
    assert "возможно, картинка прочитана с ошибкой" in misread
    assert "не найден" not in misread
    assert telegram.pinned.get(chat["id"]) is None


async def test_a_burst_of_photos_does_not_hold_up_another_chat(telegram, backend, picture_bot):
    """Real engine: five photos at once (an album) in one chat while another chat pastes."""
    bot = await picture_bot()
    today = bot.app.clock.today()
    rids = [f"{n}{n}{n}{n}{n}{n}{n}{n}-1111-4222-8333-44445555666{n}" for n in range(1, 6)]
    for n, rid in enumerate(rids):
        backend.add(rid, expires_on=today + timedelta(days=30 + n), license_id=f"L-{n}")
    backend.add(RID, expires_on=today + timedelta(days=90), license_id="L-text")
    alice, bob = f.user("Alice"), f.user("Bob")
    pictures, pastes = f.private_chat(alice), f.private_chat(bob)
    for rid in rids:
        photo = telegram_photo(settings_page(rid, scale=2.0))
        telegram.send_photo(pictures, alice, photo, media_group_id="album-1")
    telegram.send_text(pastes, bob, widget_text(RID, today + timedelta(days=90)))

    def read_answers() -> list[SentMessage]:
        found = [m for m in telegram.sent_to(pictures["id"]) if "Прочитано" in m.plain_text]
        return found if len(found) == len(rids) else []

    [paste_answer] = await telegram.wait_sent(pastes["id"], 1, REAL_READ)
    answers = await telegram.wait_for(read_answers, 2 * REAL_READ, what="five picture answers")
    assert paste_answer.at < answers[0].at, "the paste waited for the pictures"
    assert [next(r for r in rids if r in a.plain_text) for a in answers] == rids  # in order
    assert bot.app.ocr is not None and bot.app.ocr.worker_starts == 1


async def test_group_photo_is_silent_unless_it_addresses_the_bot(telegram, backend, picture_bot):
    """Stand-in worker: nothing readable in either picture; only the addressed one is answered."""
    await picture_bot(stand_in=0.1)
    owner = f.user("Owner")
    group = f.supergroup("Магазин")
    telegram.set_chat(group, can_pin=True)
    telegram.send_photo(group, owner, b"none")
    telegram.send_photo(group, owner, b"none", caption=f"@{telegram.bot_username} посмотрите")
    [answer] = await telegram.wait_sent(group["id"], 1, 10)
    assert "Не удалось прочитать Request ID" in answer.plain_text
    assert len(telegram.calls_to("getFile")) == 2  # the first one was read too, silently
    assert len(texts(telegram, group["id"])) == 1


async def test_caption_with_an_id_is_a_paste_and_files_are_read_too(
    telegram, backend, picture_bot
):
    """Stand-in worker: the caption's Request ID wins; an image file is read like a photo."""
    bot = await picture_bot(stand_in=0.1)
    today = bot.app.clock.today()
    backend.add(RID, expires_on=today + timedelta(days=60), license_id="L-1")
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_photo(chat, alice, b"none", caption=widget_text(RID, today + timedelta(60)))
    [pasted] = await telegram.wait_sent(chat["id"], 1, 10)
    assert "Прочитано с картинки" not in pasted.plain_text
    assert not telegram.calls_to("getFile")

    telegram.send_photo(chat, alice, f"id:{UNKNOWN}".encode(), as_file="image/png")
    sent = await telegram.wait_for(
        lambda: [t for t in texts(telegram, chat["id"]) if UNKNOWN in t], 10
    )
    assert "возможно, картинка прочитана с ошибкой" in sent[0]


async def test_too_large_and_a_crashed_worker_get_answers(telegram, backend, picture_bot):
    """Stand-in worker: over 20 MB is refused before download; a worker that dies mid-picture
    is restarted and the customer still gets the answer."""
    bot = await picture_bot(stand_in=0.1)
    backend.add(RID, expires_on=bot.app.clock.today() + timedelta(days=10), license_id="L-1")
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_photo(chat, alice, b"none", file_size=25 * 1024 * 1024)
    [too_large] = await telegram.wait_sent(chat["id"], 1, 10)
    assert "слишком большая" in too_large.plain_text
    assert not telegram.calls_to("getFile")

    telegram.send_photo(chat, alice, f"die-once:{RID}".encode())
    await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]), 20)
    await telegram.wait_sent(chat["id"], 3, 10)  # too large; the status; what was read
    assert any(f"Request ID {RID}" in t for t in texts(telegram, chat["id"]))
    assert bot.app.ocr is not None and bot.app.ocr.worker_starts == 2


async def test_ocr_off_pictures_get_the_help_as_before(telegram, backend, picture_bot):
    """No worker at all: a private photo gets the help, a group photo nothing."""
    bot = await picture_bot(ocr=False)
    assert bot.app.ocr is None
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_photo(chat, alice, b"none")
    [help_answer] = await telegram.wait_sent(chat["id"], 1, 10)
    assert "Скопировать информацию о лицензии" in help_answer.plain_text
    assert "Прочитано" not in help_answer.plain_text
    assert not telegram.calls_to("getFile")


async def test_a_picture_read_when_the_bot_stops_is_answered_after_the_restart(
    telegram, backend, picture_bot, db_path
):
    """Stand-in worker: the first read hangs; the bot stops (the update stays in the inbox),
    and the next start reads it again and answers."""
    bot = await picture_bot(stand_in=0.1)
    backend.add(RID, expires_on=bot.app.clock.today() + timedelta(days=10), license_id="L-1")
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    telegram.send_photo(chat, alice, f"hang-once:{RID}".encode())
    await telegram.wait_for(lambda: telegram.calls_to("download"), 10)
    await bot.stop()
    assert telegram.sent_to(chat["id"]) == []
    assert rows(db_path, "SELECT COUNT(*) FROM inbox") == [(1,)]

    await picture_bot(stand_in=0.1)
    [_status, answer] = await telegram.wait_sent(chat["id"], 2, 20)
    assert f"Прочитано с картинки: Request ID {RID}" in answer.plain_text
    await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)])
