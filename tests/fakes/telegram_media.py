"""Media sends, caption edits and reactions in the fake Bot API.

sendPhoto, sendDocument, sendVoice, sendVideo, sendAudio, sendAnimation, sendSticker and
sendVideoNote take a known file_id or an upload (aiogram sends attach:// parts) and answer
with the fields Telegram always sends; sendMediaGroup sends 2-10 photos/documents/videos/
audios as one album. editMessageCaption edits a bot message with media (copies included).
setMessageReaction takes one emoji of Telegram's list (REACTION_INVALID otherwise,
REACTIONS_TOO_MANY for more than one); `reactions[(chat_id, message_id)]` is what the bot
chose.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import replace
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
    _markup_or_none,
)

# Message fields that carry content (a message with none of them and no text is a service one).
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
# The emoji a bot may react with (ReactionTypeEmoji in the Bot API docs).
REACTION_EMOJI = frozenset(
    (  # noqa: SIM905 - one line of emoji reads better than 73 lines of strings
        "👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤\u200d🔥 🌚 🌭 💯 "
        "🤣 ⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨\u200d💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 "
        "🎅 🎄 ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷\u200d♂ 🤷 🤷\u200d♀ 😡"
    ).split()
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


def new_media_group_id() -> str:
    return str(next(_group_ids))


def has_content(msg: dict[str, Any]) -> bool:
    """Whether the message has text or media (service messages have neither)."""
    return "text" in msg or any(key in msg for key in CONTENT_KEYS)


class MediaState(ForumState):
    """ForumState with media sends, caption edits and reactions."""

    def __init__(self, token: str, bot_username: str) -> None:
        super().__init__(token, bot_username)
        self.reactions: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for name, kind in _MEDIA_METHODS.items():
            self._methods[name] = self._media_sender(kind)
            self._method_names[name] = "send" + kind.title().replace("_", "")
        self.seen_file_ids: set[str] = set()  # in messages: a bot may send them again

    def _register_message(self, msg: dict[str, Any]) -> None:
        super()._register_message(msg)
        for key in CONTENT_KEYS:
            value = msg.get(key)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and "file_id" in item:
                    self.seen_file_ids.add(item["file_id"])

    def _parse(self, text: str, params: dict[str, Any], entities_key: str) -> ParsedText:
        if str(params.get("parse_mode") or "").lower() == "html":
            try:
                return strip_text(parse_html(text, strict_ampersand=self.strict_html))
            except HtmlParseError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        return strip_text(ParsedText(text, list(params.get(entities_key) or [])))

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
            known = value in self.files or value in self.seen_file_ids
            if not known and not value.startswith(("http://", "https://")):
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

    def _captioned(self, source: dict[str, Any]) -> ParsedText:
        caption = self._parse(str(source.get("caption") or ""), source, "caption_entities")
        if len(caption.text) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        return caption

    def _media_message(
        self,
        state: ChatState,
        kind: str,
        field_value: Any,
        source: dict[str, Any],  # where caption and parse_mode come from
        params: dict[str, Any],
        *,
        reply_to: int | None,
        thread: int | None,
        group: str | None = None,
    ) -> dict[str, Any]:
        caption = self._captioned(source)
        sent = SentMessage(
            chat_id=state.id,
            message_id=factories.next_message_id(state.id),
            text=str(source.get("caption") or ""),
            plain_text=caption.text,
            parse_mode=source.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            reply_to_message_id=reply_to,
            at=time.monotonic(),
            entities=caption.entities,
            disable_notification=bool(params.get("disable_notification")),
            message_thread_id=thread,
            media={kind: field_value},
            media_group_id=group,
        )
        return self._store_sent(state, sent)

    def _send_media(self, kind: str, params: dict[str, Any]) -> Any:
        state = self._chat(params)
        field_value = self._media_field(kind, params)
        self._captioned(params)
        _check_markup(params.get("reply_markup"))
        reply_to = self._reply_target(state, params)
        thread = self._thread_for(state, params, reply_to)
        return self._media_message(
            state, kind, field_value, params, params, reply_to=reply_to, thread=thread
        )

    def _api_sendMediaGroup(self, params: dict[str, Any]) -> Any:
        """An album of 2-10 photos/videos, documents or audios (the wording of the errors
        about the list itself is the fake's own)."""
        state = self._chat(params)
        items = params.get("media")
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise ApiError(400, "Bad Request: a media group takes 2-10 media")
        kinds = {item.get("type") if isinstance(item, dict) else None for item in items}
        if not (kinds <= {"photo", "video"} or kinds in ({"document"}, {"audio"})):
            raise ApiError(400, "Bad Request: these media can't be sent in one media group")
        fields = [
            self._media_field(item["type"], {**params, item["type"]: item.get("media")})
            for item in items
        ]
        for item in items:
            self._captioned(item)
        reply_to = self._reply_target(state, params)
        thread = self._thread_for(state, params, reply_to)
        group = new_media_group_id()
        return [
            self._media_message(
                state,
                item["type"],
                value,
                item,
                params,
                reply_to=reply_to,
                thread=thread,
                group=group,
            )
            for item, value in zip(items, fields, strict=True)
        ]

    # --- editing captions, reacting ----------------------------------------------------------

    def _api_editMessageCaption(self, params: dict[str, Any]) -> Any:
        state, current = self._editable(params)
        if current.media is None:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption = self._parse(str(params.get("caption") or ""), params, "caption_entities")
        if len(caption.text) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        markup = params.get("reply_markup")
        _check_markup(markup)
        if (
            caption.text == current.plain_text
            and caption.entities == current.entities
            and _markup_or_none(markup) == _markup_or_none(current.reply_markup)
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
        if not has_content(msg):  # a service message takes no reaction
            raise ApiError(400, "Bad Request: REACTION_INVALID")
        if len(reaction) > 1:
            raise ApiError(400, "Bad Request: REACTIONS_TOO_MANY")
        self.reactions[(state.id, int(message_id))] = [dict(item) for item in reaction]  # type: ignore[arg-type]
        return True

    def reaction_emoji(self, chat_id: int, message_id: int) -> list[str]:
        """The emoji the bot put on a message (empty: none, or taken back)."""
        return [r["emoji"] for r in self.reactions.get((chat_id, message_id), [])]
