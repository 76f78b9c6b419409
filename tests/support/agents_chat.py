"""The agents' own chat (SUPPORT_CHAT_ID) gets several kinds of message: tests pick theirs.

From REMINDER_HOUR the daily digest («📋 Лицензии на …») arrives there too, at start-up as
well as later, so a test about an alert must look for alerts, never for «the only message
in that chat».
"""

from __future__ import annotations

from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_state import SentMessage

ALERT_MARKS = ("⚠️", "✅")  # the backend is refused or down / answers again
DIGEST_MARK = "📋"


def is_alert(message: SentMessage) -> bool:
    return message.plain_text.startswith(ALERT_MARKS)


def is_digest(message: SentMessage) -> bool:
    return message.plain_text.startswith(DIGEST_MARK)


def alerts_in(telegram: FakeTelegram, chat_id: int) -> list[SentMessage]:
    """The operator alerts sent to the chat so far, in order."""
    return [m for m in telegram.sent_to(chat_id) if is_alert(m)]


def digests_in(telegram: FakeTelegram, chat_id: int) -> list[SentMessage]:
    return [m for m in telegram.sent_to(chat_id) if is_digest(m)]


async def wait_alerts(
    telegram: FakeTelegram,
    chat_id: int,
    count: int = 1,
    timeout: float = 15.0,  # noqa: ASYNC109 - one deadline for the whole wait
) -> list[SentMessage]:
    """Wait until `count` alerts reached the chat; return the first `count`."""

    def arrived() -> list[SentMessage] | None:
        so_far = alerts_in(telegram, chat_id)
        return so_far[:count] if len(so_far) >= count else None

    return await telegram.wait_for(
        arrived, timeout, what=f"{count} operator alert(s) in chat {chat_id}"
    )
