"""Helpers for support-desk tests: a forum with the bot as admin, and what is in it.

    forum = make_forum(tg)                          # forum supergroup, bot admin, all rights
    [topic] = await wait_topics(tg, forum["id"])    # the bot created one topic
    topic.name, topic.closed, topic.deleted         # tests.fakes.telegram_forum.Topic
    bot_messages(tg, forum["id"], topic.thread_id)  # SentMessage list, as users see them now
    topic_messages(tg, forum["id"], topic.thread_id)  # every Message JSON, people's too
    pinned_in_topic(tg, forum["id"], topic.thread_id) # the latest pinned message, as JSON
    reactions_on(tg, forum["id"], message_id)       # ["👍"]: the bot's reaction
    copies_to(tg, customer_id)                      # tests.fakes.telegram_copy.Copy list
    limit_violations(tg, scale=QUICK_FLOOD_SCALE)   # Telegram's flood limits, by timestamp

People act through the fake itself (tests/fakes/telegram_people.py):
tg.send_text(forum, agent, "hi", message_thread_id=T), tg.create_topic / close_topic /
reopen_topic / rename_topic / delete_topic, tg.send_album, tg.send_media, tg.set_member,
tg.block(chat_id, notify=True) / tg.unblock(chat_id, notify=True). The bot gets its own topic
service messages and forum pins as updates (tg.echo_own_service_messages = False: not).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests import factories
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_copy import Copy
from tests.fakes.telegram_forum import Topic
from tests.fakes.telegram_state import ApiCall, SentMessage

# Every admin right a bot can hold in a forum.
FORUM_RIGHTS = {
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_restrict_members": True,
    "can_invite_users": True,
    "can_pin_messages": True,
    "can_manage_topics": True,
    "can_change_info": True,
}
# Telegram's limits: 30 messages a second overall, 1 a second per chat, 20 a minute per group.
PER_SECOND, CHAT_INTERVAL, PER_GROUP, GROUP_WINDOW = 30, 1.0, 20, 60.0
_MESSAGE_METHODS = frozenset(
    m.lower()
    for m in [
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendVideo",
        "sendAudio",
        "sendAnimation",
        "sendSticker",
        "sendVideoNote",
        "sendMediaGroup",
        "sendPoll",
        "sendDice",
        "sendLocation",
        "sendContact",
        "sendVenue",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    ]
)
_OTHER_WRITES = ("edit", "pin", "unpin", "delete", "setmessagereaction")
_TOPIC_METHODS = ("createforumtopic", "closeforumtopic", "reopenforumtopic")


def make_forum(tg: FakeTelegram, title: str = "Support desk", **rights: bool) -> dict[str, Any]:
    """A forum supergroup where the bot is an admin with every right (override some with
    e.g. can_manage_topics=False). Returns the chat."""
    forum = factories.forum_chat(title)
    tg.set_chat(forum, admin=True, rights={**FORUM_RIGHTS, **rights})
    return forum


def topics(tg: FakeTelegram, chat_id: int, *, deleted: bool = False) -> list[Topic]:
    """The forum's topics in creation order (deleted ones too when deleted=True)."""
    return tg.topics_in(chat_id, deleted=deleted)


def topic_named(tg: FakeTelegram, chat_id: int, part: str) -> Topic | None:
    """The live topic whose name contains `part` (the first one), or None."""
    return next((t for t in tg.topics_in(chat_id) if part in t.name), None)


def topic_messages(tg: FakeTelegram, chat_id: int, thread_id: int) -> list[dict[str, Any]]:
    """Every message now in the topic (people's, the bot's, service ones), as Message JSON."""
    return tg.thread_messages(chat_id, thread_id)


def bot_messages(tg: FakeTelegram, chat_id: int, thread_id: int) -> list[SentMessage]:
    """The bot's messages now in the topic (edits applied, deleted ones gone)."""
    return [m for m in tg.messages_in(chat_id) if m.message_thread_id == thread_id]


def pinned_in_topic(tg: FakeTelegram, chat_id: int, thread_id: int) -> dict[str, Any] | None:
    """The message pinned last in the topic (as Message JSON), or None."""
    pins = tg.pins_in_topic(chat_id, thread_id)
    return tg.chats[chat_id].messages[pins[-1]] if pins else None


def reactions_on(tg: FakeTelegram, chat_id: int, message_id: int) -> list[str]:
    """The emoji the bot has put on the message (empty: none)."""
    return tg.reaction_emoji(chat_id, message_id)


def copies_to(tg: FakeTelegram, chat_id: int) -> list[Copy]:
    """The copies the bot made into this chat, in order."""
    return [c for c in tg.copies if c.chat_id == chat_id]


async def wait_topics(
    tg: FakeTelegram,
    chat_id: int,
    count: int = 1,
    timeout: float = 15.0,  # noqa: ASYNC109 - one deadline for the whole wait
) -> list[Topic]:
    """Wait until the forum has `count` live topics; return them all."""

    def enough() -> list[Topic] | None:
        found = tg.topics_in(chat_id)
        return found if len(found) >= count else None

    return await tg.wait_for(enough, timeout, what=f"{count} topic(s) in chat {chat_id}")


async def wait_topic(
    tg: FakeTelegram,
    chat_id: int,
    check: Callable[[Topic], bool] = lambda topic: True,
    timeout: float = 15.0,  # noqa: ASYNC109
) -> Topic:
    """Wait until a live topic satisfies `check` (e.g. lambda t: t.closed); return it."""

    def found() -> Topic | None:
        return next((t for t in tg.topics_in(chat_id) if check(t)), None)

    return await tg.wait_for(found, timeout, what=f"a matching topic in chat {chat_id}")


async def wait_in_topic(
    tg: FakeTelegram,
    chat_id: int,
    thread_id: int,
    count: int = 1,
    timeout: float = 15.0,  # noqa: ASYNC109
) -> list[SentMessage]:
    """Wait until the bot has sent `count` messages to the topic (as sent, deleted ones
    included); return the first `count`."""

    def arrived() -> list[SentMessage] | None:
        sent = [m for m in tg.sent_to(chat_id) if m.message_thread_id == thread_id]
        return sent[:count] if len(sent) >= count else None

    return await tg.wait_for(arrived, timeout, what=f"{count} bot message(s) in topic {thread_id}")


# --- Telegram's flood limits, by the fake's own clock ----------------------------------------


@dataclass
class LimitReport:
    """Violations of Telegram's limits found in the fake's call log."""

    global_: int = 0  # writes that made some 1 s window hold more than 30
    per_chat: int = 0  # messages to one chat less than 1 s after the previous one
    per_group: int = 0  # messages that made some 60 s window of one group hold more than 20
    details: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.global_ + self.per_chat + self.per_group


def _weight(call: ApiCall) -> int:
    """How many messages a successful call put into a chat (copyMessages of N: N)."""
    if isinstance(call.result, list):
        return len(call.result)
    return 1


def limit_violations(tg: FakeTelegram, *, scale: float = 1.0) -> LimitReport:
    """Count violations of Telegram's limits in the calls the fake answered with ok.

    `scale` shrinks the windows as FloodLimits(time_scale=...) does (QUICK_FLOOD_SCALE in
    tests/support/bots.py): 1 s and 60 s become scale and 60*scale seconds. A call that put N
    messages (copyMessages, sendMediaGroup) counts N towards the overall and the per-group
    limits and once towards the per-chat interval. Writes are every message method, edits,
    pins, deletions, reactions and topic creation/closing/reopening.
    """
    report = LimitReport()
    done = [c for c in tg.calls if c.ok]
    writes: list[float] = []
    by_chat: defaultdict[Any, list[tuple[float, int]]] = defaultdict(list)
    for call in done:
        method = call.method.lower()
        if method in _MESSAGE_METHODS:
            weight = _weight(call)
            writes += [call.at] * weight
            by_chat[call.chat_id].append((call.at, weight))
        elif method.startswith(_OTHER_WRITES) or method in _TOPIC_METHODS:
            writes.append(call.at)
    second, minute = CHAT_INTERVAL * scale, GROUP_WINDOW * scale
    report.global_ = _over(sorted(writes), second, PER_SECOND)
    for chat_id, sends in by_chat.items():
        sends.sort()
        close = sum(b[0] - a[0] < second for a, b in itertools.pairwise(sends))
        report.per_chat += close
        if close:
            report.details.append(f"chat {chat_id}: {close} message(s) under {second:.3f}s apart")
        if isinstance(chat_id, int) and chat_id < 0:
            times = sorted(at for at, weight in sends for _ in range(weight))
            over = _over(times, minute, PER_GROUP)
            report.per_group += over
            if over:
                report.details.append(f"group {chat_id}: {over} message(s) over 20 a minute")
    if report.global_:
        report.details.append(f"{report.global_} write(s) over 30 a second")
    return report


def _over(times: list[float], window: float, limit: int) -> int:
    """How many events made a window of `window` seconds hold more than `limit`."""
    over = start = 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        over += end - start + 1 > limit
    return over
