"""A reminder sweep to hundreds of chats stays within Telegram's limits, by the server's clock."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import timedelta

from bot.licensing.models import LicenseCheck
from bot.outbound.throttle import FloodLimits
from tests import factories as f
from tests.support.clocks import morning_clock, move_to


def most_in_window(times: list[float], window: float) -> int:
    """The largest number of events inside any window of `window` seconds."""
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_sweep_to_hundreds_of_chats_respects_limits(telegram, backend, start_bot):
    clock = morning_clock()
    bot = await start_bot(clock=clock, flood_limits=FloodLimits())  # Telegram's real limits
    expires = clock.today() + timedelta(days=3)
    chats: list[tuple[dict, int]] = (
        [(f.private_chat(f.user(f"U{i}")), 1) for i in range(160)]
        + [(f.group(f"Группа {i}"), 3) for i in range(40)]
        + [(f.supergroup(f"Супергруппа {i}"), 1) for i in range(40)]
    )
    for chat, modules in chats:
        await bot.app.repo.upsert_chat(chat["id"], chat["type"], chat.get("title"))
        for m in range(modules):
            rid = str(uuid.uuid4())
            backend.add(
                rid, expires_on=expires, license_id=f"L-{rid[:8]}", module_name=f"Модуль {m}"
            )
            await bot.app.service.store(
                chat["id"],
                LicenseCheck(
                    rid,
                    "active",
                    license_id=f"L-{rid[:8]}",
                    expires_on=expires,
                    module_name=f"Модуль {m}",
                ),
            )
    move_to(clock, 0, 10, 0)
    await bot.app.scheduler.sweep_licenses()

    sends = [c for c in telegram.calls_to("sendMessage") if c.ok]
    assert len(sends) == 160 + 40 * 3 + 40
    assert all("осталось 3 дня" in m.plain_text for m in telegram.sent)
    assert most_in_window([c.at for c in sends], 1.0) <= 30
    per_chat: dict[int, list[float]] = defaultdict(list)
    for call in sends:
        per_chat[int(call.chat_id)].append(call.at)
    for chat_id, times in per_chat.items():
        assert most_in_window(times, 1.0) <= 1, chat_id
        if chat_id < 0:
            assert most_in_window(times, 60.0) <= 20, chat_id
    assert len(per_chat) == len(chats)
