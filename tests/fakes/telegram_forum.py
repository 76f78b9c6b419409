"""Forum supergroups in the fake Bot API: topics, their service messages, threads, pins.

A topic's id (message_thread_id) is the id of its forum_topic_created service message. The
texts of the errors are Telegram's (the Bot API passes TDLib's, first letter lowered):

- createForumTopic needs can_manage_topics ("not enough rights to create a topic"); edit,
  close and reopen need it unless the bot created the topic; deleteForumTopic needs
  can_delete_messages. A chat that is no forum: "the chat is not a forum".
- an unknown or deleted topic: TOPIC_ID_INVALID for topic methods, "message thread not found"
  for sends; a change to nothing new (a closed topic closed, the same name): TOPIC_NOT_MODIFIED.
- a closed topic takes messages only from admins with can_manage_topics and its creator
  (TOPIC_CLOSED otherwise); the General topic has no id to send to ("message thread not found"
  for 1: leave message_thread_id out).
- a name is cut to 128 characters, as Telegram cleans it; an empty one is refused on creation
  and keeps the old name on edit.

Every change the bot makes posts its service message from the bot (forum_topic_created,
_edited, _closed, _reopened, and pinned_message for a pin in a forum), and, as Telegram's
Bot API server does, the bot gets that message as an update too
(FakeTelegram.echo_own_service_messages, on by default): a handler that reacts to "a topic
was closed" must tell the bot's own closing from an agent's.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from tests import factories
from tests.fakes.telegram_state import ApiError, ChatState, TelegramState

TOPIC_NAME_LIMIT = 128
ICON_COLORS = (0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F)
THREAD_NOT_FOUND = "Bad Request: message thread not found"
TOPIC_ID_INVALID = "Bad Request: TOPIC_ID_INVALID"
TOPIC_NOT_MODIFIED = "Bad Request: TOPIC_NOT_MODIFIED"
NOT_A_FORUM = "Bad Request: the chat is not a forum"


@dataclass
class Topic:
    """A forum topic as Telegram keeps it; deleted topics stay here with deleted=True."""

    chat_id: int
    thread_id: int
    name: str
    icon_color: int
    created_by: int  # user id (the bot's for topics the bot created)
    icon_custom_emoji_id: str | None = None
    closed: bool = False
    deleted: bool = False

    def as_forum_topic(self) -> dict[str, Any]:
        """The ForumTopic object createForumTopic returns."""
        result: dict[str, Any] = {
            "message_thread_id": self.thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }
        if self.icon_custom_emoji_id:
            result["icon_custom_emoji_id"] = self.icon_custom_emoji_id
        return result


class ForumState(TelegramState):
    """TelegramState with forum topics. `topics[chat_id][thread_id]` holds every topic."""

    def __init__(self, token: str, bot_username: str) -> None:
        super().__init__(token, bot_username)
        self.topics: dict[int, dict[int, Topic]] = {}

    # --- lookups -----------------------------------------------------------------------------

    def topic(self, chat_id: int, thread_id: int) -> Topic | None:
        """The topic (deleted ones too), or None if there never was one."""
        return self.topics.get(chat_id, {}).get(thread_id)

    def _forum(self, params: dict[str, Any]) -> ChatState:
        state = self._chat(params)
        if not state.is_forum:
            raise ApiError(400, NOT_A_FORUM)
        return state

    def _live_topic(self, state: ChatState, params: dict[str, Any]) -> Topic:
        thread_id = params.get("message_thread_id")
        if not isinstance(thread_id, int) or thread_id <= 0:
            raise ApiError(400, "Bad Request: invalid forum topic identifier specified")
        topic = self.topic(state.id, thread_id)
        if topic is None or topic.deleted:
            raise ApiError(400, TOPIC_ID_INVALID)
        return topic

    def _thread_for(
        self, state: ChatState, params: dict[str, Any], reply_to: int | None
    ) -> int | None:
        thread_id = params.get("message_thread_id")
        if thread_id is None:
            # A reply goes to the thread of the message it answers.
            replied = state.messages.get(reply_to) if reply_to is not None else None
            if replied is None or not replied.get("is_topic_message"):
                return None
            thread_id = replied["message_thread_id"]
        if not state.is_forum:
            if thread_id not in state.messages:
                raise ApiError(400, THREAD_NOT_FOUND)
            return int(thread_id)
        topic = self.topic(state.id, thread_id)
        if topic is None or topic.deleted:
            raise ApiError(400, THREAD_NOT_FOUND)
        if topic.closed and not (
            state.right("can_manage_topics") or topic.created_by == self.bot_id
        ):
            raise ApiError(400, "Bad Request: TOPIC_CLOSED")
        return topic.thread_id

    # --- service messages --------------------------------------------------------------------

    def _service_message(
        self,
        state: ChatState,
        by: dict[str, Any],
        thread_id: int | None,
        **content: Any,
    ) -> dict[str, Any]:
        """A service message in a topic (thread_id None: the topic's own creation message)."""
        message_id = factories.next_message_id(state.id)
        msg: dict[str, Any] = {
            "message_id": message_id,
            "from": by,
            "chat": state.chat,
            "date": int(time.time()),
            "message_thread_id": message_id if thread_id is None else thread_id,
            "is_topic_message": True,
        }
        if thread_id is not None and thread_id in state.messages:
            replied = dict(state.messages[thread_id])
            replied.pop("reply_to_message", None)
            msg["reply_to_message"] = replied
        msg.update(content)
        return msg

    def _new_topic(
        self,
        state: ChatState,
        by: dict[str, Any],
        name: str,
        icon_color: int | None = None,
        icon_custom_emoji_id: str | None = None,
    ) -> tuple[Topic, dict[str, Any]]:
        name = _clean_name(name)
        if not name:
            raise ApiError(400, "Bad Request: title must be non-empty")
        color = ICON_COLORS[0] if icon_color is None else int(icon_color)
        created: dict[str, Any] = {"name": name, "icon_color": color}
        if icon_custom_emoji_id:
            created["icon_custom_emoji_id"] = icon_custom_emoji_id
        msg = self._service_message(state, by, None, forum_topic_created=created)
        topic = Topic(state.id, msg["message_id"], name, color, by["id"], icon_custom_emoji_id)
        self.topics.setdefault(state.id, {})[topic.thread_id] = topic
        return topic, msg

    def _remove_topic(self, state: ChatState, topic: Topic) -> None:
        """The topic and every message in it are gone (no update tells anyone)."""
        topic.deleted = True
        gone = [
            message_id
            for message_id, msg in state.messages.items()
            if message_id == topic.thread_id
            or (msg.get("is_topic_message") and msg.get("message_thread_id") == topic.thread_id)
        ]
        for message_id in gone:
            self._forget_message(state, message_id)

    # --- Bot API methods ---------------------------------------------------------------------

    def _api_createForumTopic(self, params: dict[str, Any]) -> Any:
        state = self._forum(params)
        if not state.right("can_manage_topics"):
            raise ApiError(400, "Bad Request: not enough rights to create a topic")
        topic, msg = self._new_topic(
            state,
            self.bot_user,
            str(params.get("name") or ""),
            params.get("icon_color"),
            params.get("icon_custom_emoji_id"),
        )
        self._posted_service(state, msg)
        return topic.as_forum_topic()

    def _may_manage(self, state: ChatState, topic: Topic) -> bool:
        return state.right("can_manage_topics") or topic.created_by == self.bot_id

    def _api_editForumTopic(self, params: dict[str, Any]) -> Any:
        state = self._forum(params)
        topic = self._live_topic(state, params)
        if not self._may_manage(state, topic):
            raise ApiError(400, "Bad Request: not enough rights to edit the topic")
        name = _clean_name(str(params.get("name") or ""))
        emoji = params.get("icon_custom_emoji_id")
        if not name and emoji is None:
            return True  # nothing to change: Telegram does nothing
        edited: dict[str, Any] = {}
        if name and name != topic.name:
            edited["name"] = name
        if emoji is not None and (emoji or None) != topic.icon_custom_emoji_id:
            edited["icon_custom_emoji_id"] = emoji
        if not edited:
            raise ApiError(400, TOPIC_NOT_MODIFIED)
        topic.name = edited.get("name", topic.name)
        if "icon_custom_emoji_id" in edited:
            topic.icon_custom_emoji_id = emoji or None
        msg = self._service_message(
            state, self.bot_user, topic.thread_id, forum_topic_edited=edited
        )
        self._posted_service(state, msg)
        return True

    def _toggle_closed(self, params: dict[str, Any], closed: bool) -> Any:
        state = self._forum(params)
        topic = self._live_topic(state, params)
        if not self._may_manage(state, topic):
            raise ApiError(400, "Bad Request: not enough rights to close or open the topic")
        if topic.closed == closed:
            raise ApiError(400, TOPIC_NOT_MODIFIED)
        topic.closed = closed
        kind = "forum_topic_closed" if closed else "forum_topic_reopened"
        msg = self._service_message(state, self.bot_user, topic.thread_id, **{kind: {}})
        self._posted_service(state, msg)
        return True

    def _api_closeForumTopic(self, params: dict[str, Any]) -> Any:
        return self._toggle_closed(params, True)

    def _api_reopenForumTopic(self, params: dict[str, Any]) -> Any:
        return self._toggle_closed(params, False)

    def _api_deleteForumTopic(self, params: dict[str, Any]) -> Any:
        state = self._forum(params)
        topic = self._live_topic(state, params)
        if not state.right("can_delete_messages"):
            raise ApiError(400, "Bad Request: not enough rights to delete the topic")
        self._remove_topic(state, topic)
        return True

    def _api_pinChatMessage(self, params: dict[str, Any]) -> Any:
        """In a forum the pin also posts its pinned_message service message, in the pinned
        message's topic (only there: elsewhere the fake keeps pins silent)."""
        result = super()._api_pinChatMessage(params)
        state = self._chat(params)
        if state.is_forum:
            pinned = dict(state.messages[params["message_id"]])
            pinned.pop("reply_to_message", None)
            thread = _thread_of(state, pinned["message_id"])
            if thread is None:
                msg = {
                    "message_id": factories.next_message_id(state.id),
                    "from": self.bot_user,
                    "chat": state.chat,
                    "date": int(time.time()),
                    "pinned_message": pinned,
                }
            else:
                msg = self._service_message(state, self.bot_user, thread, pinned_message=pinned)
            self._posted_service(state, msg)
        return result

    def _api_unpinAllForumTopicMessages(self, params: dict[str, Any]) -> Any:
        state = self._forum(params)
        topic = self._live_topic(state, params)
        self._require_pin_rights(state)
        self._set_pins(state, [m for m in state.pins if _thread_of(state, m) != topic.thread_id])
        return True

    def _api_getForumTopicIconStickers(self, params: dict[str, Any]) -> Any:
        return []

    # --- what tests look at ------------------------------------------------------------------

    def topics_in(self, chat_id: int, *, deleted: bool = False) -> list[Topic]:
        """The chat's topics in creation order (deleted ones only when asked)."""
        found = self.topics.get(chat_id, {}).values()
        return sorted((t for t in found if deleted or not t.deleted), key=lambda t: t.thread_id)

    def thread_messages(self, chat_id: int, thread_id: int) -> list[dict[str, Any]]:
        """Every message now in the topic, as Message JSON, service messages included."""
        state = self.chats.get(chat_id)
        if state is None:
            return []
        return [
            msg
            for message_id, msg in sorted(state.messages.items())
            if _thread_of(state, message_id) == thread_id
        ]

    def pins_in_topic(self, chat_id: int, thread_id: int) -> list[int]:
        """The ids of the messages pinned in the topic, the latest last."""
        state = self.chats.get(chat_id)
        if state is None:
            return []
        return [m for m in state.pins if _thread_of(state, m) == thread_id]


def _thread_of(state: ChatState, message_id: int) -> int | None:
    msg = state.messages.get(message_id) or {}
    return msg.get("message_thread_id") if msg.get("is_topic_message") else None


def _clean_name(name: str) -> str:
    """A topic name as Telegram keeps it: control characters as spaces, trimmed, at most
    128 characters."""
    return re.sub(r"[\x00-\x1f]", " ", name).strip()[:TOPIC_NAME_LIMIT].strip()
