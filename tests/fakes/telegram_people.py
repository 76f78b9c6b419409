"""What people do in forums and around them, for tests driving the fake Telegram.

    topic = tg.create_topic(forum, agent, "Questions")          # a forum_topic_created update
    tg.send_text(forum, agent, "hi", message_thread_id=topic)   # a message in the topic
    tg.close_topic(forum, agent, topic)                          # forum_topic_closed
    tg.delete_topic(forum["id"], topic)                          # gone; no update
    tg.send_album(private, alice, [b"png1", b"png2"], caption="two")
    tg.send_media(private, alice, "voice")                       # also sticker, video, ...
    tg.unblock(alice["id"], notify=True)                         # my_chat_member kicked -> member
    tg.set_member(forum, agent, "administrator")                 # getChatMember reports it

A message in a topic carries message_thread_id and is_topic_message, and replies to the
topic's first (service) message unless it replies to another message, as Telegram sends it;
a reply to a message in a topic lands in that topic without naming it.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests import factories
from tests.fakes.telegram_copy import CopyState
from tests.fakes.telegram_state import ChatState

_album_ids = itertools.count(14_000_000_000_000_001)


class ForumPeople(CopyState):
    """The people's side of forums, albums and unblocking (FakeTelegram delivers)."""

    echo_own_service_messages = True

    # FakeTelegram provides these.
    def push_update(self, update: dict[str, Any]) -> int:
        raise NotImplementedError

    def _deliver(self, kind: str, msg: dict[str, Any]) -> None:
        raise NotImplementedError

    def _notify(self) -> None:
        raise NotImplementedError

    def send_text(
        self, chat: dict[str, Any], user: dict[str, Any], text: str | None, **extra: Any
    ) -> dict[str, Any]:
        raise NotImplementedError

    def send_photo(
        self,
        chat: dict[str, Any],
        user: dict[str, Any],
        data: bytes,
        *,
        caption: str | None = None,
        as_file: str | None = None,
        file_size: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        raise NotImplementedError

    def _posted_service(self, state: ChatState, msg: dict[str, Any]) -> None:
        """The bot's own topic changes reach it as updates, as Telegram sends them."""
        if self.echo_own_service_messages:
            self.push_update(factories.message_update(msg))
        else:
            super()._posted_service(state, msg)

    def _topic_fields(self, state: ChatState, extra: dict[str, Any]) -> None:
        """Fill message_thread_id, is_topic_message and the implicit reply of a message a
        person sends in a forum (extra as send_text takes it, reply already resolved)."""
        replied = extra.get("reply_to_message")
        thread = extra.get("message_thread_id")
        if thread is None and isinstance(replied, dict) and replied.get("is_topic_message"):
            thread = replied.get("message_thread_id")
        if thread is None or not state.is_forum:
            return
        topic = self.topic(state.id, thread)
        assert topic is not None and not topic.deleted, f"no topic {thread} in chat {state.id}"
        extra["message_thread_id"] = thread
        extra["is_topic_message"] = True
        if replied is None and thread in state.messages:
            first = dict(state.messages[thread])
            first.pop("reply_to_message", None)
            extra["reply_to_message"] = first

    # --- topics ------------------------------------------------------------------------------

    def create_topic(
        self,
        chat: dict[str, Any],
        user: dict[str, Any],
        name: str,
        *,
        icon_color: int | None = None,
    ) -> int:
        """A person creates a topic: the forum_topic_created update; returns the topic id."""
        state = self._register_chat(chat)
        _, msg = self._new_topic(state, user, name, icon_color)
        self._deliver("message", msg)
        return int(msg["message_id"])

    def _topic_service(
        self, chat: dict[str, Any], user: dict[str, Any], thread_id: int, **content: Any
    ) -> dict[str, Any]:
        state = self._register_chat(chat)
        msg = self._service_message(state, user, thread_id, **content)
        self._deliver("message", msg)
        return msg

    def close_topic(
        self, chat: dict[str, Any], user: dict[str, Any], thread_id: int
    ) -> dict[str, Any]:
        """A person closes the topic by hand: the forum_topic_closed service message."""
        topic = self.topic(chat["id"], thread_id)
        assert topic is not None and not topic.deleted and not topic.closed, "no open topic"
        topic.closed = True
        return self._topic_service(chat, user, thread_id, forum_topic_closed={})

    def reopen_topic(
        self, chat: dict[str, Any], user: dict[str, Any], thread_id: int
    ) -> dict[str, Any]:
        """A person reopens the topic: the forum_topic_reopened service message."""
        topic = self.topic(chat["id"], thread_id)
        assert topic is not None and not topic.deleted and topic.closed, "no closed topic"
        topic.closed = False
        return self._topic_service(chat, user, thread_id, forum_topic_reopened={})

    def rename_topic(
        self, chat: dict[str, Any], user: dict[str, Any], thread_id: int, name: str
    ) -> dict[str, Any]:
        """A person renames the topic: the forum_topic_edited service message."""
        topic = self.topic(chat["id"], thread_id)
        assert topic is not None and not topic.deleted, "no topic"
        topic.name = name
        return self._topic_service(chat, user, thread_id, forum_topic_edited={"name": name})

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """A person deletes the topic with all its messages; Telegram tells no bot."""
        state = self.chats[chat_id]
        topic = self.topic(chat_id, thread_id)
        assert topic is not None and not topic.deleted, "no topic"
        self._remove_topic(state, topic)
        self._notify()

    # --- membership ------------------------------------------------------------------------

    def set_member(
        self, chat: dict[str, Any], user: dict[str, Any], status: str = "member"
    ) -> None:
        """Make the user a member/administrator/creator of a group, or one who has left or
        was kicked (getChatMember and getChatAdministrators report it). No update is sent.
        In groups, a user who has not written there and was not set here has "left"."""
        state = self._register_chat(chat)
        self.users[user["id"]] = user
        state.members[user["id"]] = status
        self._notify()

    # --- albums, unblocking ------------------------------------------------------------------

    def send_album(
        self,
        chat: dict[str, Any],
        user: dict[str, Any],
        photos: list[bytes],
        *,
        caption: str | None = None,
        **extra: Any,
    ) -> list[dict[str, Any]]:
        """A person sends photos as one album: one update per photo, sharing a
        media_group_id, the caption on the first (extra as send_photo takes it)."""
        group = str(next(_album_ids))
        sent = []
        for index, data in enumerate(photos):
            sent.append(
                self.send_photo(
                    chat,
                    user,
                    data,
                    caption=caption if index == 0 else None,
                    media_group_id=group,
                    **extra,
                )
            )
        return sent

    def send_media(
        self,
        chat: dict[str, Any],
        user: dict[str, Any],
        kind: str,
        *,
        caption: str | None = None,
        data: bytes = b"media",
        **extra: Any,
    ) -> dict[str, Any]:
        """A person sends a voice/audio/video/video_note/animation/sticker/document (its
        bytes served by getFile); extra as for send_text (media_group_id, reply...)."""
        media = factories.media_file(kind, file_size=len(data))
        if kind == "sticker":
            media.pop("file_size")
        self.files[media["file_id"]] = data
        return self.send_text(chat, user, None, caption=caption, **{kind: media}, **extra)

    def unblock(self, chat_id: int, *, notify: bool = False) -> None:
        """The user unblocks the bot (or it is added back). notify=True also queues the
        my_chat_member update (kicked -> member) Telegram sends."""
        state = self.chats.get(chat_id) or self._register_chat(self._inferred_chat(chat_id))
        state.blocked = False
        if notify:
            by = self.users.get(chat_id) or factories.user("Admin")
            self.push_update(
                factories.my_chat_member_update(state.chat, by, self.bot_user, "kicked", "member")
            )
        self._notify()
