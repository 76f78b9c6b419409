"""Copies, media, reactions and captions in the fake Bot API.

copyMessage / copyMessages make the bot's own message with the original's content (text and
entities, or photo/document/voice/video/sticker/... with caption), in the thread and reply
asked for; `copies` records each (what from where, which thread, which reply). Errors:
"message to copy not found", "the message can't be copied" (service messages, quizzes whose
answer the bot cannot know, protected content), and 403 for a destination that blocked the
bot. copyMessages skips what is missing or cannot be copied and keeps albums together (a new
shared media_group_id).

setMessageReaction takes one emoji of Telegram's list (REACTION_INVALID otherwise,
REACTIONS_TOO_MANY for more than one); `reactions[(chat_id, message_id)]` is what the bot
chose. sendPhoto, sendDocument, sendVoice... take a known file_id or an upload.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, replace
from typing import Any

from tests import factories
from tests.fakes.telegram_forum import ForumState
from tests.fakes.telegram_html import HtmlParseError, ParsedText, parse_html, strip_text
from tests.fakes.telegram_state import (
    NOT_MODIFIED,
    ApiError,
    ChatState,
    SentMessage,
    _check_markup,
)

CONTENT_KEYS = (
    "photo",
    "document",
    "animation",
    "audio",
    "voice",
    "video",
    "video_note",
    "sticker",
    "contact",
    "location",
    "venue",
    "poll",
    "dice",
)
CAPTION_LIMIT = 1024
COPY_NOT_FOUND = "Bad Request: message to copy not found"
CANT_COPY = "Bad Request: the message can't be copied"
# The emoji a bot may react with (ReactionTypeEmoji in the Bot API docs).
REACTION_EMOJI = frozenset(
    [
        "👍",
        "👎",
        "❤",
        "🔥",
        "🥰",
        "👏",
        "😁",
        "🤔",
        "🤯",
        "😱",
        "🤬",
        "😢",
        "🎉",
        "🤩",
        "🤮",
        "💩",
        "🙏",
        "👌",
        "🕊",
        "🤡",
        "🥱",
        "🥴",
        "😍",
        "🐳",
        "❤\u200d🔥",
        "🌚",
        "🌭",
        "💯",
        "🤣",
        "⚡",
        "🍌",
        "🏆",
        "💔",
        "🤨",
        "😐",
        "🍓",
        "🍾",
        "💋",
        "🖕",
        "😈",
        "😴",
        "😭",
        "🤓",
        "👻",
        "👨\u200d💻",
        "👀",
        "🎃",
        "🙈",
        "😇",
        "😨",
        "🤝",
        "✍",
        "🤗",
        "🫡",
        "🎅",
        "🎄",
        "☃",
        "💅",
        "🤪",
        "🗿",
        "🆒",
        "💘",
        "🙉",
        "🦄",
        "😘",
        "💊",
        "🙊",
        "😎",
        "👾",
        "🤷\u200d♂",
        "🤷",
        "🤷\u200d♀",
        "😡",
    ]
)
# sendX method -> the Message field its file goes to.
_MEDIA_METHODS = {
    "sendphoto": "photo",
    "senddocument": "document",
    "sendvoice": "voice",
    "sendvideo": "video",
    "sendaudio": "audio",
    "sendanimation": "animation",
    "sendsticker": "sticker",
    "sendvideonote": "video_note",
}
_group_ids = itertools.count(13_000_000_000_000_001)


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
    return "text" in msg or any(key in msg for key in CONTENT_KEYS)


class CopyState(ForumState):
    """ForumState with copies, media sends, reactions and caption edits."""

    def __init__(self, token: str, bot_username: str) -> None:
        super().__init__(token, bot_username)
        self.copies: list[Copy] = []
        self.reactions: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for name, kind in _MEDIA_METHODS.items():
            self._methods[name] = self._media_sender(kind)
            self._method_names[name] = "send" + kind.title().replace("_", "")

    # --- copying -----------------------------------------------------------------------------

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

    def _parse(self, text: str, params: dict[str, Any], entities_key: str) -> ParsedText:
        if str(params.get("parse_mode") or "").lower() == "html":
            try:
                return strip_text(parse_html(text, strict_ampersand=self.strict_html))
            except HtmlParseError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        return strip_text(ParsedText(text, list(params.get(entities_key) or [])))

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
                group = new_groups.setdefault(old_group, str(next(_group_ids)))
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

    # --- sending media -----------------------------------------------------------------------

    def _media_sender(self, kind: str) -> Any:
        def send(params: dict[str, Any]) -> Any:
            return self._send_media(kind, params)

        return send

    def _media_field(
        self, kind: str, params: dict[str, Any]
    ) -> dict[str, Any] | list[dict[str, Any]]:
        value: Any = params.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, str):
            if value not in self.files and not value.startswith(("http://", "https://")):
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            data = self.files.get(value, b"")
        elif hasattr(value, "file"):  # an upload (aiohttp FileField)
            data = value.file.read()
        else:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if kind == "photo":
            sizes = factories.photo_sizes(len(data))
            self.files[sizes[-1]["file_id"]] = data
            return sizes
        media = factories.media_file(kind, file_size=len(data))
        if kind == "document" and getattr(value, "filename", None):
            media["file_name"] = value.filename
        self.files[media["file_id"]] = data
        return media

    def _send_media(self, kind: str, params: dict[str, Any]) -> Any:
        state = self._chat(params)
        field_value = self._media_field(kind, params)
        caption = self._parse(str(params.get("caption") or ""), params, "caption_entities")
        if len(caption.text) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        _check_markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        thread = self._thread_for(state, params, reply_to)
        sent = SentMessage(
            chat_id=state.id,
            message_id=factories.next_message_id(state.id),
            text=str(params.get("caption") or ""),
            plain_text=caption.text,
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            reply_to_message_id=reply_to,
            at=time.monotonic(),
            entities=caption.entities,
            disable_notification=bool(params.get("disable_notification")),
            message_thread_id=thread,
            media={kind: field_value},
        )
        return self._store_sent(state, sent)

    # --- editing captions, reacting ----------------------------------------------------------

    def _api_editMessageCaption(self, params: dict[str, Any]) -> Any:
        state, current = self._editable(params)
        if current.media is None:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption = self._parse(str(params.get("caption") or ""), params, "caption_entities")
        if len(caption.text) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        markup = params.get("reply_markup")
        if (
            caption.text == current.plain_text
            and caption.entities == current.entities
            and markup == current.reply_markup
        ):
            raise ApiError(400, NOT_MODIFIED)
        new = replace(
            current,
            text=str(params.get("caption") or ""),
            plain_text=caption.text,
            entities=caption.entities,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            at=time.monotonic(),
            edit_count=current.edit_count + 1,
        )
        return self._store_edit(state, new)

    def _api_setMessageReaction(self, params: dict[str, Any]) -> Any:
        state = self._chat(params)
        message_id = params.get("message_id")
        msg = state.messages.get(message_id)  # type: ignore[arg-type]
        if msg is None:
            raise ApiError(400, "Bad Request: message to react not found")
        reaction = params.get("reaction") or []
        if not isinstance(reaction, list):
            raise ApiError(400, "Bad Request: expected an Array of ReactionType")
        for item in reaction:
            if not isinstance(item, dict) or item.get("type") != "emoji":
                raise ApiError(400, "Bad Request: REACTION_INVALID")
            if item.get("emoji") not in REACTION_EMOJI:
                raise ApiError(400, "Bad Request: REACTION_INVALID")
        if not can_copy(msg):  # a service message takes no reaction
            raise ApiError(400, "Bad Request: REACTION_INVALID")
        if len(reaction) > 1:
            raise ApiError(400, "Bad Request: REACTIONS_TOO_MANY")
        self.reactions[(state.id, int(message_id))] = [dict(item) for item in reaction]  # type: ignore[arg-type]
        return True

    def reaction_emoji(self, chat_id: int, message_id: int) -> list[str]:
        """The emoji the bot put on a message (empty: none, or taken back)."""
        return [r["emoji"] for r in self.reactions.get((chat_id, message_id), [])]
