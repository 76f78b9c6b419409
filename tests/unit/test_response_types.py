"""aiogram's answer types stay built: pydantic would otherwise rebuild them after each GC."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from aiogram.methods import PinChatMessage, Response

from bot.transport.response_types import KeepResponseTypes


async def test_the_answer_type_of_a_request_outlives_a_collection() -> None:
    keeper = KeepResponseTypes()
    method = PinChatMessage(chat_id=1, message_id=2)

    async def make_request(bot: Any, m: Any) -> str:
        return "sent"

    assert await keeper(make_request, None, method) == "sent"  # type: ignore[arg-type]
    kept = weakref.ref(Response[method.__returning__])  # type: ignore[name-defined]
    gc.collect()
    assert kept() is not None
    assert kept() is keeper.kept[method.__returning__]
