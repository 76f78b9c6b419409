"""Copies in the fake Bot API: copyMessage and copyMessages.

They make the bot's own message with the original's content (text and entities, or
photo/document/voice/video/sticker/... with its caption or a new one), in the thread and
reply asked for; `copies` records each (what from where, which thread, which reply). Errors:
"message to copy not found", "the message can't be copied" (service messages, quizzes whose
answer the bot cannot know, protected content), and 403 for a destination that blocked the
bot. copyMessages skips what is missing or cannot be copied and keeps albums together (a new
shared media_group_id).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

from tests import factories
from tests.fakes.telegram_html import ParsedText
from tests.fakes.telegram_media import (
    CAPTION_LIMIT,
    CONTENT_KEYS,
    MediaState,
    has_content,
    new_media_group_id,
)
from tests.fakes.telegram_state import ApiError, ChatState, SentMessage, _check_markup

COPY_NOT_FOUND = "Bad Request: message to copy not found"
CANT_COPY = "Bad Request: the message can't be copied"


@dataclass(frozen=True)
class Copy:
    """One message the bot copied: from (from_chat_id, from_message_id) to (chat_id,
    message_id), in message_thread_id, replying to reply_to_message_id."""

    method: str
    from_chat_id: int
    from_message_id: int
    chat_id: int
    message_id: int
    message_thread_id: int | None
    reply_to_message_id: int | None
    at: float


def can_copy(msg: dict[str, Any]) -> bool:
    """Whether Telegram lets a bot copy this message."""
    if msg.get("has_protected_content"):
        return False
    poll = msg.get("poll")
    if poll and poll.get("type") == "quiz" and "correct_option_id" not in poll:
        return False
    return has_content(msg)


class CopyState(MediaState):
    """MediaState with copies."""

    def __init__(self, token: str, bot_username: str) -> None:
        super().__init__(token, bot_username)
        self.copies: list[Copy] = []

    def _source(self, params: dict[str, Any]) -> ChatState:
        raw = params.get("from_chat_id")
        state = self.chats.get(raw) if isinstance(raw, int) else None
        if state is None:
            raise ApiError(400, "Bad Request: chat not found")
        return state

    def _caption(self, params: dict[str, Any], original: dict[str, Any]) -> ParsedText:
        if "caption" not in params:
            return ParsedText(
                original.get("caption", ""), list(original.get("caption_entities") or [])
            )
        parsed = self._parse(str(params.get("caption") or ""), params, "caption_entities")
        if len(parsed.text) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        return parsed

    def _copy_one(
        self,
        method: str,
        source: ChatState,
        original: dict[str, Any],
        target: ChatState,
        params: dict[str, Any],
        *,
        thread: int | None,
        reply_to: int | None,
        group_id: str | None = None,
    ) -> SentMessage:
        media = {k: original[k] for k in CONTENT_KEYS if k in original}
        if media:
            if params.get("remove_caption"):
                caption = ParsedText("", [])
            else:
                caption = self._caption(params, original)
            text, entities = caption.text, caption.entities
        else:
            text, entities = original["text"], list(original.get("entities") or [])
        sent = SentMessage(
            chat_id=target.id,
            message_id=factories.next_message_id(target.id),
            text=text,
            plain_text=text,
            parse_mode=None,
            reply_markup=params.get("reply_markup"),
            reply_to_message_id=reply_to,
            at=time.monotonic(),
            entities=entities,
            disable_notification=bool(params.get("disable_notification")),
            message_thread_id=thread,
            media=media or None,
            media_group_id=group_id,
            copied_from=(source.id, original["message_id"]),
        )
        self._store_sent(target, sent)
        self.copies.append(
            Copy(
                method,
                source.id,
                original["message_id"],
                target.id,
                sent.message_id,
                thread,
                reply_to,
                sent.at,
            )
        )
        return sent

    def _api_copyMessage(self, params: dict[str, Any]) -> Any:
        target = self._chat(params)
        source = self._source(params)
        original = source.messages.get(params.get("message_id"))  # type: ignore[arg-type]
        if original is None:
            raise ApiError(400, COPY_NOT_FOUND)
        if not can_copy(original):
            raise ApiError(400, CANT_COPY)
        _check_markup(params.get("reply_markup"))
        reply_to = self._reply_target(target, params)
        thread = self._thread_for(target, params, reply_to)
        sent = self._copy_one(
            "copyMessage", source, original, target, params, thread=thread, reply_to=reply_to
        )
        return {"message_id": sent.message_id}

    def _api_copyMessages(self, params: dict[str, Any]) -> Any:
        target = self._chat(params)
        source = self._source(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not ids:
            raise ApiError(400, "Bad Request: message_ids is empty")
        if len(ids) > 100:
            raise ApiError(400, "Bad Request: too many messages to copy")
        if any(not isinstance(i, int) for i in ids) or any(
            a >= b for a, b in itertools.pairwise(ids)
        ):
            raise ApiError(
                400, "Bad Request: message identifiers must be in a strictly increasing order"
            )
        originals = [source.messages[i] for i in ids if i in source.messages]
        originals = [m for m in originals if can_copy(m)]
        if not originals:
            raise ApiError(400, "Bad Request: messages to copy not found")
        thread = self._thread_for(target, params, None)
        new_groups: dict[str, str] = {}
        result = []
        for original in originals:
            old_group = original.get("media_group_id")
            group = None
            if old_group:
                group = new_groups.setdefault(old_group, new_media_group_id())
            options = {k: v for k, v in params.items() if k != "caption"}
            sent = self._copy_one(
                "copyMessages",
                source,
                original,
                target,
                options,
                thread=thread,
                reply_to=None,
                group_id=group,
            )
            result.append({"message_id": sent.message_id})
        return result
