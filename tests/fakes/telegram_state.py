"""The fake Bot API's state (chats, messages, pins) and its Bot API methods.

`TelegramState` holds what Telegram would hold and answers the synchronous Bot API
methods; `FakeTelegram` (telegram_api.py) adds the HTTP server, getUpdates long polling
and the helpers tests drive it with. A method raises `ApiError` to answer
{"ok": false, "error_code": ..., "description": ...}; the texts are Telegram's.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from tests import factories
from tests.fakes.telegram_html import HtmlParseError, ParsedText, parse_html, strip_text

MAX_TEXT_LENGTH = 4096
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files ("file is too big")
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
NO_PIN_RIGHTS = "Bad Request: not enough rights to manage pinned messages in the chat"
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
# Form fields that are plain strings even when they look like JSON ("123", "true").
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "emoji",
        "title",
        "description",
        "short_description",
        "name",
        "language_code",
        "custom_title",
        "secret_token",
        "ip_address",
        "query",
        "data",
        "icon_custom_emoji_id",
    }
)


class ApiError(Exception):
    """A Bot API error answer."""

    def __init__(self, code: int, description: str, **parameters: Any) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent; `text` is as sent (HTML source), `plain_text` as shown."""

    chat_id: int
    message_id: int
    text: str
    plain_text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    reply_to_message_id: int | None
    at: float
    entities: list[dict[str, Any]] = field(default_factory=list)
    disable_notification: bool = False
    link_preview_options: dict[str, Any] | None = None
    edit_count: int = 0
    message_thread_id: int | None = None  # the forum topic (or reply thread) it went to
    media: dict[str, Any] | None = None  # photo/document/voice/... fields; text is the caption
    media_group_id: str | None = None
    copied_from: tuple[int, int] | None = None  # (chat_id, message_id) of a copy's original

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Inline keyboard buttons, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    @property
    def button_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]


@dataclass
class ApiCall:
    """One request the bot made; ok is None while it is still being answered."""

    method: str
    params: dict[str, Any]
    at: float
    ok: bool | None = None
    error_code: int | None = None
    description: str | None = None
    result: Any = None

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    def __str__(self) -> str:
        shown = []
        for key, value in self.params.items():
            text = repr(value)
            shown.append(f"{key}={text[:60] + '...' if len(text) > 60 else text}")
        if self.ok is None:
            outcome = "(pending)"
        elif self.ok:
            outcome = "-> ok"
        else:
            outcome = f"-> {self.error_code} {self.description}"
        return f"{self.method}({', '.join(shown)}) {outcome}"


@dataclass
class ChatState:
    chat: dict[str, Any]
    can_pin: bool = True
    admin: bool = True
    blocked: bool = False
    migrated_to: int | None = None
    rights: dict[str, Any] = field(default_factory=dict)  # the bot's admin rights, overrides
    members: dict[int, str] = field(default_factory=dict)  # user id -> status, in groups
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)  # all, as Message JSON
    bot_messages: dict[int, SentMessage] = field(default_factory=dict)  # current state
    pins: list[int] = field(default_factory=list)  # pinned message ids, latest last

    @property
    def id(self) -> int:
        return int(self.chat["id"])

    @property
    def type(self) -> str:
        return str(self.chat["type"])

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    @property
    def is_forum(self) -> bool:
        return bool(self.chat.get("is_forum"))

    def right(self, name: str) -> bool:
        """Whether the bot, an admin here, has this admin right."""
        if name == "can_pin_messages":
            return self.admin and self.can_pin
        return self.admin and bool(self.rights.get(name, name != "can_manage_topics"))


def decode_params(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Form values as the Bot API reads them: JSON for objects, numbers and booleans."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if not isinstance(value, str) or key in _STRING_FIELDS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def _markup_or_none(markup: Any) -> dict[str, Any] | None:
    if not isinstance(markup, dict) or not markup.get("inline_keyboard"):
        return None
    return markup


def _check_markup(markup: Any) -> None:
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


class TelegramState:
    """Telegram's side of the bot's world; method handlers are named _api_<method>."""

    def __init__(self, token: str, bot_username: str) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_user = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "License Test Bot",
            "username": bot_username,
        }
        self.strict_html = True
        self.chats: dict[int, ChatState] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.sent: list[SentMessage] = []
        self.edits: list[SentMessage] = []
        self.pinned: dict[int, int | None] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}  # (kind, language_code) -> text
        self.files: dict[str, bytes] = {}  # file_id -> what users uploaded
        self.file_paths: dict[str, str] = {}  # file_path (from getFile) -> file_id
        self._open_queries: set[str] = set()
        self._methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            name.removeprefix("_api_").lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith("_api_")
        }
        self._method_names = {
            name.removeprefix("_api_").lower(): name.removeprefix("_api_")
            for name in dir(self)
            if name.startswith("_api_")
        }

    # --- bookkeeping -------------------------------------------------------------------------

    def _register_chat(self, chat: dict[str, Any]) -> ChatState:
        state = self.chats.get(chat["id"])
        if state is None:
            state = self.chats[chat["id"]] = ChatState(dict(chat))
        return state

    def _inferred_chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def _register_message(self, msg: dict[str, Any]) -> None:
        state = self._register_chat(msg["chat"])
        state.messages[msg["message_id"]] = msg
        factories.note_message_id(state.id, msg["message_id"])
        if "from" in msg:
            self.users[msg["from"]["id"]] = msg["from"]
            if state.is_group and msg["from"]["id"] != self.bot_id:
                state.members.setdefault(msg["from"]["id"], "member")  # who writes is in
        for joined in msg.get("new_chat_members") or []:
            self.users[joined["id"]] = joined
            state.members[joined["id"]] = "member"
        if msg.get("left_chat_member"):
            state.members[msg["left_chat_member"]["id"]] = "left"
        if msg.get("migrate_to_chat_id"):
            state.migrated_to = msg["migrate_to_chat_id"]

    def _register_update(self, update: dict[str, Any]) -> None:
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            if key in update:
                self._register_message(update[key])
        if "callback_query" in update:
            query = update["callback_query"]
            self.users[query["from"]["id"]] = query["from"]
            self._open_queries.add(query["id"])
        member = update.get("my_chat_member")
        if member and member["new_chat_member"]["user"]["id"] == self.bot_id:
            state = self._register_chat(member["chat"])
            new = member["new_chat_member"]
            state.blocked = new["status"] in ("kicked", "left")
            state.admin = new["status"] in ("administrator", "creator")
            state.can_pin = bool(new.get("can_pin_messages", not state.is_group))
            if state.admin:
                state.rights = {
                    k: v
                    for k, v in new.items()
                    if k.startswith("can_") and k != "can_pin_messages"
                }

    def _set_pins(self, state: ChatState, pins: list[int]) -> None:
        state.pins = pins
        self.pinned[state.id] = pins[-1] if pins else None

    def _chat(self, params: dict[str, Any], *, create: bool = True) -> ChatState:
        """The chat a method addresses, after Telegram's checks (migrated, blocked)."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(raw, str):
            name = raw.removeprefix("@").lower()
            found = [
                s for s in self.chats.values() if str(s.chat.get("username", "")).lower() == name
            ]
            if not found:
                raise ApiError(400, "Bad Request: chat not found")
            state = found[0]
        elif not isinstance(raw, int) or isinstance(raw, bool) or raw == 0:
            raise ApiError(400, "Bad Request: chat not found")
        elif raw in self.chats:
            state = self.chats[raw]
        elif create:
            state = self._register_chat(self._inferred_chat(raw))
        else:
            raise ApiError(400, "Bad Request: chat not found")
        if state.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=state.migrated_to,
            )
        if state.blocked:
            raise ApiError(403, self._forbidden_text(state))
        return state

    @staticmethod
    def _forbidden_text(state: ChatState) -> str:
        if state.type == "private":
            return "Forbidden: bot was blocked by the user"
        if state.type == "channel":
            return "Forbidden: bot is not a member of the channel chat"
        return f"Forbidden: bot was kicked from the {state.type} chat"

    def _format(self, params: dict[str, Any], *, editing: bool) -> tuple[str, ParsedText]:
        text = params.get("text")
        if text is None or text == "":
            raise ApiError(400, "Bad Request: message text is empty")
        text = str(text)
        mode = str(params.get("parse_mode") or "").lower()
        if mode == "html":
            try:
                parsed = parse_html(text, strict_ampersand=self.strict_html)
            except HtmlParseError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        elif mode in ("", "markdown", "markdownv2"):
            # Markdown is not parsed: plain_text is the source as given.
            parsed = ParsedText(text, list(params.get("entities") or []))
        else:
            raise ApiError(400, "Bad Request: unsupported parse_mode")
        parsed = strip_text(parsed)
        if not parsed.text:
            raise ApiError(400, "Bad Request: message text is empty")
        if len(parsed.text) > MAX_TEXT_LENGTH:
            too_long = "MESSAGE_TOO_LONG" if editing else "message is too long"
            raise ApiError(400, f"Bad Request: {too_long}")
        return text, parsed

    def _message_json(self, state: ChatState, sent: SentMessage, date: int) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": sent.message_id,
            "from": self.bot_user,
            "chat": state.chat,
            "date": date,
        }
        thread = sent.message_thread_id
        if thread is not None:
            msg["message_thread_id"] = thread
            if state.is_forum:
                msg["is_topic_message"] = True
        if sent.media is not None:
            msg.update(sent.media)
            if sent.media_group_id:
                msg["media_group_id"] = sent.media_group_id
            if sent.plain_text:
                msg["caption"] = sent.plain_text
            if sent.entities:
                msg["caption_entities"] = sent.entities
        else:
            msg["text"] = sent.plain_text
            if sent.entities:
                msg["entities"] = sent.entities
        if sent.link_preview_options:
            msg["link_preview_options"] = sent.link_preview_options
        # In a topic, a message that answers nothing else replies to the topic's first message.
        replied_id = sent.reply_to_message_id
        if replied_id is None and thread is not None and state.is_forum:
            replied_id = thread
        if replied_id in state.messages:
            replied = dict(state.messages[replied_id])
            replied.pop("reply_to_message", None)
            msg["reply_to_message"] = replied
        if _markup_or_none(sent.reply_markup):
            msg["reply_markup"] = sent.reply_markup
        return msg

    def _reply_target(self, state: ChatState, params: dict[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            target, allow = reply.get("message_id"), reply.get("allow_sending_without_reply")
        else:
            target = params.get("reply_to_message_id")
            allow = params.get("allow_sending_without_reply")
        if target is None or target in state.messages:
            return target
        if allow:
            return None
        raise ApiError(400, "Bad Request: message to be replied not found")

    def _thread_for(
        self, state: ChatState, params: dict[str, Any], reply_to: int | None
    ) -> int | None:
        """The message_thread_id a new message goes to (telegram_forum.py knows topics)."""
        if params.get("message_thread_id") is not None:
            raise ApiError(400, "Bad Request: message thread not found")
        return None

    def _posted_service(self, state: ChatState, msg: dict[str, Any]) -> None:
        """A service message the bot's own call posted (FakeTelegram may deliver it)."""
        state.messages[msg["message_id"]] = msg

    def _require_pin_rights(self, state: ChatState) -> None:
        if state.is_group and not (state.admin and state.can_pin):
            raise ApiError(400, NO_PIN_RIGHTS)

    def _editable(self, params: dict[str, Any]) -> tuple[ChatState, SentMessage]:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: message to edit not found")
        state = self._chat(params)
        message_id = params.get("message_id")
        if message_id not in state.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message_id not in state.bot_messages:
            raise ApiError(400, "Bad Request: message can't be edited")
        return state, state.bot_messages[message_id]

    def _store_sent(self, state: ChatState, sent: SentMessage) -> dict[str, Any]:
        """Keep a new bot message: as users see it, as sent, and as Message JSON."""
        msg = self._message_json(state, sent, int(time.time()))
        state.messages[sent.message_id] = msg
        state.bot_messages[sent.message_id] = sent
        self.sent.append(sent)
        return msg

    def _store_edit(self, state: ChatState, new: SentMessage) -> dict[str, Any]:
        state.bot_messages[new.message_id] = new
        self.edits.append(new)
        old = state.messages[new.message_id]
        msg = self._message_json(state, new, old["date"])
        msg["edit_date"] = int(time.time())
        state.messages[new.message_id] = msg
        return msg

    # --- Bot API methods ---------------------------------------------------------------------

    def _api_getMe(self, params: dict[str, Any]) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_logOut(self, params: dict[str, Any]) -> Any:
        return True

    def _api_close(self, params: dict[str, Any]) -> Any:
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        self.commands[self.commands_key(params)] = params.get("commands") or []
        return True

    def _api_deleteMyCommands(self, params: dict[str, Any]) -> Any:
        self.commands.pop(self.commands_key(params), None)
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> Any:
        return self.commands.get(self.commands_key(params), [])

    @staticmethod
    def commands_key(params: dict[str, Any]) -> str:
        """Menus are kept per scope and per language, as Telegram keeps them."""
        scope = params.get("scope") or {"type": "default"}  # no scope is the default scope
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def _describe(self, kind: str, params: dict[str, Any], limit: int) -> Any:
        text = params.get(kind) or ""
        if len(text) > limit:
            # Telegram's limits (512 and 120); the wording of this error is the fake's own.
            raise ApiError(400, f"Bad Request: {kind} is too long")
        self.descriptions[kind, params.get("language_code") or ""] = text
        return True

    def _api_setMyDescription(self, params: dict[str, Any]) -> Any:
        return self._describe("description", params, 512)

    def _api_setMyShortDescription(self, params: dict[str, Any]) -> Any:
        return self._describe("short_description", params, 120)

    def _api_getMyDescription(self, params: dict[str, Any]) -> Any:
        key = ("description", params.get("language_code") or "")
        return {"description": self.descriptions.get(key, "")}

    def _api_getMyShortDescription(self, params: dict[str, Any]) -> Any:
        key = ("short_description", params.get("language_code") or "")
        return {"short_description": self.descriptions.get(key, "")}

    def _api_getChat(self, params: dict[str, Any]) -> Any:
        state = self._chat(params, create=False)
        info: dict[str, Any] = {
            **state.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        if state.pins:
            info["pinned_message"] = state.messages[state.pins[-1]]
        return info

    def _bot_member(self, state: ChatState) -> dict[str, Any]:
        if state.is_group and state.admin:
            rights = {**state.rights, "can_pin_messages": state.can_pin}
            return factories.chat_member(self.bot_user, "administrator", **rights)
        return factories.chat_member(self.bot_user, "member")

    def _api_getChatMember(self, params: dict[str, Any]) -> Any:
        state = self._chat(params, create=False)
        user_id = params.get("user_id")
        if user_id == self.bot_id:
            return self._bot_member(state)
        if user_id not in self.users:
            raise ApiError(400, "Bad Request: user not found")
        if not state.is_group:
            return factories.chat_member(self.users[user_id], "member")
        # In groups: whoever wrote there or was made a member; anyone else has left.
        return factories.chat_member(self.users[user_id], state.members.get(user_id, "left"))

    def _api_getChatAdministrators(self, params: dict[str, Any]) -> Any:
        state = self._chat(params, create=False)
        member = self._bot_member(state)
        admins = [member] if member["status"] == "administrator" else []
        for user_id, status in state.members.items():
            if status in ("administrator", "creator"):
                admins.append(factories.chat_member(self.users[user_id], status))
        return admins

    def _api_getFile(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id") or "")
        data = self.files.get(file_id)
        if data is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(data) > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        folder = "photos" if file_id.startswith("Ag") else "documents"
        path = f"{folder}/file_{len(self.file_paths)}.bin"
        self.file_paths[path] = file_id
        unique = "U" + file_id[-8:]
        return {
            "file_id": file_id,
            "file_unique_id": unique,
            "file_size": len(data),
            "file_path": path,
        }

    def _api_sendChatAction(self, params: dict[str, Any]) -> Any:
        self._chat(params)
        return True

    def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        state = self._chat(params)
        source, parsed = self._format(params, editing=False)
        reply_to = self._reply_target(state, params)
        thread = self._thread_for(state, params, reply_to)
        markup = params.get("reply_markup")
        _check_markup(markup)
        sent = SentMessage(
            chat_id=state.id,
            message_id=factories.next_message_id(state.id),
            text=source,
            plain_text=parsed.text,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            reply_to_message_id=reply_to,
            at=time.monotonic(),
            entities=parsed.entities,
            disable_notification=bool(params.get("disable_notification")),
            link_preview_options=params.get("link_preview_options"),
            message_thread_id=thread,
        )
        return self._store_sent(state, sent)

    def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        state, current = self._editable(params)
        if current.media is not None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        source, parsed = self._format(params, editing=True)
        markup = params.get("reply_markup")
        _check_markup(markup)
        if (
            parsed.text == current.plain_text
            and parsed.entities == current.entities
            and _markup_or_none(markup) == _markup_or_none(current.reply_markup)
        ):
            raise ApiError(400, NOT_MODIFIED)
        new = replace(
            current,
            text=source,
            plain_text=parsed.text,
            entities=parsed.entities,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,  # an edit without reply_markup removes the keyboard
            link_preview_options=params.get("link_preview_options"),
            at=time.monotonic(),
            edit_count=current.edit_count + 1,
        )
        return self._store_edit(state, new)

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        state, current = self._editable(params)
        markup = params.get("reply_markup")
        _check_markup(markup)
        if _markup_or_none(markup) == _markup_or_none(current.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        new = replace(
            current, reply_markup=markup, at=time.monotonic(), edit_count=current.edit_count + 1
        )
        return self._store_edit(state, new)

    def _api_deleteMessage(self, params: dict[str, Any]) -> Any:
        state = self._chat(params)
        message_id = params.get("message_id")
        if message_id not in state.messages:
            raise ApiError(400, "Bad Request: message to delete not found")
        others = message_id not in state.bot_messages
        if others and state.is_group and not state.right("can_delete_messages"):
            raise ApiError(400, "Bad Request: message can't be deleted")
        self._forget_message(state, message_id)
        return True

    def _forget_message(self, state: ChatState, message_id: int) -> None:
        state.messages.pop(message_id, None)
        state.bot_messages.pop(message_id, None)
        if message_id in state.pins:
            self._set_pins(state, [m for m in state.pins if m != message_id])

    def _api_pinChatMessage(self, params: dict[str, Any]) -> Any:
        state = self._chat(params)
        self._require_pin_rights(state)
        message_id = params.get("message_id")
        if message_id not in state.messages:
            raise ApiError(400, "Bad Request: message to pin not found")
        self._set_pins(state, [m for m in state.pins if m != message_id] + [message_id])
        return True

    def _api_unpinChatMessage(self, params: dict[str, Any]) -> Any:
        state = self._chat(params)
        self._require_pin_rights(state)
        message_id = params.get("message_id")
        if message_id is None:
            self._set_pins(state, state.pins[:-1])
            return True
        if message_id not in state.messages:
            raise ApiError(400, "Bad Request: message to unpin not found")
        self._set_pins(state, [m for m in state.pins if m != message_id])
        return True

    def _api_unpinAllChatMessages(self, params: dict[str, Any]) -> Any:
        state = self._chat(params)
        self._require_pin_rights(state)
        self._set_pins(state, [])
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        query_id = params.get("callback_query_id")
        if query_id not in self._open_queries:
            raise ApiError(400, QUERY_INVALID)
        self._open_queries.discard(query_id)
        self.callback_answers.append(params)
        return True
