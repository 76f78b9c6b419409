"""Bot API objects as plain dicts (the JSON Telegram sends), for tests.

Every id is fresh: users, chats and callback queries come from module-wide counters, and
message ids are counted per chat (`next_message_id`), the way Telegram numbers them, so a
message made here never collides with one the fake server (tests/fakes) made in that chat.

    alice = user("Alice")
    chat = private_chat(alice)
    update = message_update(message(chat, alice, "Request ID: ..."))
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

_user_ids = itertools.count(7_000_001)
_group_ids = itertools.count(4_100_000_001)
_supergroup_ids = itertools.count(1_002_000_000_001)
_callback_ids = itertools.count(1)
_file_ids = itertools.count(1)
_message_ids: dict[int, int] = {}

GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@])")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b")


def now() -> int:
    return int(time.time())


def next_message_id(chat_id: int) -> int:
    """The next free message id in this chat (ids are per chat and only grow)."""
    _message_ids[chat_id] = _message_ids.get(chat_id, 0) + 1
    return _message_ids[chat_id]


def note_message_id(chat_id: int, message_id: int) -> None:
    """Record that `message_id` is taken in this chat (for messages built by hand)."""
    _message_ids[chat_id] = max(_message_ids.get(chat_id, 0), message_id)


# --- users and chats -----------------------------------------------------------------------


def user(
    first_name: str = "Ivan",
    *,
    id: int | None = None,
    username: str | None = None,
    last_name: str | None = None,
    is_bot: bool = False,
    language_code: str | None = "ru",
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": next(_user_ids) if id is None else id,
        "is_bot": is_bot,
        "first_name": first_name,
    }
    if last_name:
        result["last_name"] = last_name
    if username:
        result["username"] = username
    if language_code and not is_bot:
        result["language_code"] = language_code
    return result


def bot_user(first_name: str = "Other Bot", *, username: str | None = None) -> dict[str, Any]:
    """Another bot (Telegram never delivers messages from bots to bots in groups)."""
    uid = next(_user_ids)
    return user(first_name, id=uid, username=username or f"other{uid}_bot", is_bot=True)


def private_chat(of: dict[str, Any]) -> dict[str, Any]:
    """The private chat with a user: its id is the user's id."""
    chat: dict[str, Any] = {"id": of["id"], "type": "private", "first_name": of["first_name"]}
    for key in ("last_name", "username"):
        if key in of:
            chat[key] = of[key]
    return chat


def group(title: str = "Support group", *, id: int | None = None) -> dict[str, Any]:
    """A basic group: a negative id that does not start with -100."""
    return {"id": -next(_group_ids) if id is None else id, "type": "group", "title": title}


def supergroup(
    title: str = "Support supergroup",
    *,
    id: int | None = None,
    username: str | None = None,
    is_forum: bool = False,
) -> dict[str, Any]:
    """A supergroup: id -100xxxxxxxxxx."""
    chat: dict[str, Any] = {
        "id": -next(_supergroup_ids) if id is None else id,
        "type": "supergroup",
        "title": title,
    }
    if username:
        chat["username"] = username
    if is_forum:
        chat["is_forum"] = True
    return chat


def forum_chat(title: str = "Support desk", *, id: int | None = None) -> dict[str, Any]:
    """A forum supergroup (topics switched on): type supergroup, is_forum true. Message id 1
    is taken (the chat's creation), so no topic gets the General topic's id, 1."""
    chat = supergroup(title, id=id, is_forum=True)
    note_message_id(chat["id"], 1)
    return chat


def channel(title: str = "News", *, username: str | None = None) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": -next(_supergroup_ids), "type": "channel", "title": title}
    if username:
        chat["username"] = username
    return chat


# --- messages --------------------------------------------------------------------------------


def auto_entities(text: str, *, kind: str = "text") -> list[dict[str, Any]]:
    """The entities Telegram adds by itself: bot commands (in texts) and @mentions."""
    found = []
    if kind == "text":
        found += [("bot_command", m) for m in _COMMAND.finditer(text)]
    found += [("mention", m) for m in _MENTION.finditer(text)]
    entities = []
    for entity_type, match in sorted(found, key=lambda item: item[1].start()):
        offset = len(text[: match.start()].encode("utf-16-le")) // 2
        length = len(match.group(0).encode("utf-16-le")) // 2
        entities.append({"type": entity_type, "offset": offset, "length": length})
    return entities


def message(
    chat: dict[str, Any],
    sender: dict[str, Any] | None,
    text: str | None = "",
    *,
    message_id: int | None = None,
    date: int | None = None,
    caption: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    forward_origin: dict[str, Any] | None = None,
    reply_to_message: dict[str, Any] | None = None,
    sender_chat: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Message. `text=None, caption=...` makes a captioned photo; extra keys go in as is.

    Entities for commands and @mentions are added unless `entities` is given.
    """
    if message_id is None:
        message_id = next_message_id(chat["id"])
    else:
        note_message_id(chat["id"], message_id)
    msg: dict[str, Any] = {
        "message_id": message_id,
        "date": now() if date is None else date,
        "chat": chat,
    }
    if sender is not None:
        msg["from"] = sender
    if sender_chat is not None:
        msg["sender_chat"] = sender_chat
    if forward_origin is not None:
        msg["forward_origin"] = forward_origin
    if reply_to_message is not None:
        msg["reply_to_message"] = reply_to_message
    if text is not None:
        msg["text"] = text
        found = auto_entities(text) if entities is None else entities
        if found:
            msg["entities"] = found
    if caption is not None:
        if not any(
            k in extra for k in ("photo", "document", "voice", "video", "audio", "animation")
        ):
            msg["photo"] = [_photo_size()]
        msg["caption"] = caption
        found = auto_entities(caption, kind="caption") if entities is None else entities
        if found:
            msg["caption_entities"] = found
    msg.update(extra)
    return msg


def _photo_size(width: int = 640, height: int = 480, file_size: int = 40_000) -> dict[str, Any]:
    uid = next(_file_ids)
    return {
        "file_id": f"AgACAgIAAxkBAAI{uid:08d}",
        "file_unique_id": f"AQAD{uid:08d}",
        "width": width,
        "height": height,
        "file_size": file_size,
    }


def photo_sizes(file_size: int, *, width: int = 1280, height: int = 960) -> list[dict[str, Any]]:
    """A photo's `photo` field: a thumbnail first, the largest size (`file_size` bytes) last."""
    return [_photo_size(90, 68, 1_200), _photo_size(width, height, file_size)]


def image_document(
    file_size: int, *, mime_type: str = "image/png", file_name: str = "screenshot.png"
) -> dict[str, Any]:
    """A picture sent as a file (no compression): the `document` field of a Message."""
    uid = next(_file_ids)
    return {
        "file_id": f"BQACAgIAAxkBAAI{uid:08d}",
        "file_unique_id": f"AgAD{uid:08d}",
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": file_size,
    }


_MEDIA_DEFAULTS: dict[str, dict[str, Any]] = {
    "voice": {"duration": 3, "mime_type": "audio/ogg", "file_size": 9_000},
    "audio": {"duration": 120, "mime_type": "audio/mpeg", "file_size": 2_000_000},
    "video": {"width": 1280, "height": 720, "duration": 10, "file_size": 3_000_000},
    "video_note": {"length": 240, "duration": 5, "file_size": 300_000},
    "animation": {"width": 320, "height": 240, "duration": 2, "file_size": 200_000},
    "sticker": {
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    },
    "document": {"file_name": "log.txt", "mime_type": "text/plain", "file_size": 1_000},
}


def media_file(kind: str = "voice", **fields: Any) -> dict[str, Any]:
    """The voice/audio/video/video_note/animation/sticker/document field of a Message, with
    the fields Telegram always sends (`fields` override them)."""
    uid = next(_file_ids)
    return {
        "file_id": f"AwACAgIAAxkBAAI{uid:08d}",
        "file_unique_id": f"AgAE{uid:08d}",
        **_MEDIA_DEFAULTS.get(kind, {}),
        **fields,
    }


def quiz_poll(question: str = "2 + 2?", *, closed: bool = False) -> dict[str, Any]:
    """The poll field of a quiz as a bot sees someone else's: no correct_option_id until it
    is closed (such a message cannot be copied)."""
    poll: dict[str, Any] = {
        "id": str(next(_file_ids)),
        "question": question,
        "options": [{"text": t, "voter_count": 0} for t in ("3", "4")],
        "total_voter_count": 0,
        "is_closed": closed,
        "is_anonymous": True,
        "type": "quiz",
        "allows_multiple_answers": False,
    }
    if closed:
        poll["correct_option_id"] = 1
    return poll


def edited(original: dict[str, Any], text: str, *, edit_date: int | None = None) -> dict[str, Any]:
    """The same message with new text (or caption, if it had one) and an edit_date."""
    msg = {k: v for k, v in original.items() if k not in ("entities", "caption_entities")}
    msg["edit_date"] = now() if edit_date is None else edit_date
    if "caption" in original and "text" not in original:
        msg["caption"] = text
        if found := auto_entities(text, kind="caption"):
            msg["caption_entities"] = found
    else:
        msg["text"] = text
        if found := auto_entities(text):
            msg["entities"] = found
    return msg


def forwarded_from_user(sender: dict[str, Any], *, date: int | None = None) -> dict[str, Any]:
    """forward_origin of a message forwarded from a user who allows linking."""
    return {"type": "user", "date": now() - 3600 if date is None else date, "sender_user": sender}


def forwarded_from_hidden_user(name: str, *, date: int | None = None) -> dict[str, Any]:
    """forward_origin of a message from a user who hides their account in forwards."""
    return {
        "type": "hidden_user",
        "date": now() - 3600 if date is None else date,
        "sender_user_name": name,
    }


def forwarded_from_chat(chat: dict[str, Any], *, date: int | None = None) -> dict[str, Any]:
    """forward_origin of a message sent on behalf of a chat (e.g. an anonymous admin)."""
    return {"type": "chat", "date": now() - 3600 if date is None else date, "sender_chat": chat}


def forwarded_from_channel(
    chat: dict[str, Any], message_id: int, *, date: int | None = None
) -> dict[str, Any]:
    return {
        "type": "channel",
        "date": now() - 3600 if date is None else date,
        "chat": chat,
        "message_id": message_id,
    }


def migrate_to_message(
    old_group: dict[str, Any], by: dict[str, Any], new_chat_id: int
) -> dict[str, Any]:
    """Service message in the old group: it became the supergroup `new_chat_id`."""
    return message(old_group, by, None, migrate_to_chat_id=new_chat_id)


def migrate_from_message(new_supergroup: dict[str, Any], old_chat_id: int) -> dict[str, Any]:
    """Service message in the new supergroup, sent on behalf of the chat itself."""
    return message(
        new_supergroup,
        GROUP_ANONYMOUS_BOT,
        None,
        sender_chat=new_supergroup,
        migrate_from_chat_id=old_chat_id,
    )


def channel_post(chat: dict[str, Any], text: str) -> dict[str, Any]:
    """A channel post: no `from`, sender_chat is the channel."""
    return message(chat, None, text, sender_chat=chat)


# --- updates ---------------------------------------------------------------------------------
# Updates are returned without update_id: FakeTelegram.push_update assigns it.


def message_update(msg: dict[str, Any]) -> dict[str, Any]:
    return {"message": msg}


def edited_message_update(msg: dict[str, Any]) -> dict[str, Any]:
    return {"edited_message": msg}


def channel_post_update(msg: dict[str, Any]) -> dict[str, Any]:
    return {"channel_post": msg}


def callback_query(
    sender: dict[str, Any],
    msg: dict[str, Any],
    data: str,
    *,
    id: str | None = None,
) -> dict[str, Any]:
    """A CallbackQuery for a button under `msg`, pressed by `sender`."""
    return {
        "id": id or f"{next(_callback_ids) * 7919 + 4_000_000_000_000_000_000}",
        "from": sender,
        "message": msg,
        "chat_instance": f"-{abs(msg['chat']['id']) * 31 + 17}",
        "data": data,
    }


def callback_query_update(query: dict[str, Any]) -> dict[str, Any]:
    return {"callback_query": query}


def chat_member(member: dict[str, Any], status: str, **rights: Any) -> dict[str, Any]:
    """A ChatMember of the given status; administrators get all rights unless overridden."""
    result: dict[str, Any] = {"status": status, "user": member}
    if status == "administrator":
        result.update(_admin_rights(**rights))
    elif status == "creator":
        result["is_anonymous"] = bool(rights.get("is_anonymous", False))
    elif status == "kicked":
        result["until_date"] = 0
    elif status == "restricted":
        result.update({"is_member": True, "until_date": 0, **rights})
    return result


def _admin_rights(**overrides: Any) -> dict[str, Any]:
    rights = {
        "can_be_edited": False,
        "is_anonymous": False,
        "can_manage_chat": True,
        "can_delete_messages": True,
        "can_manage_video_chats": True,
        "can_restrict_members": True,
        "can_promote_members": False,
        "can_change_info": True,
        "can_invite_users": True,
        "can_post_stories": False,
        "can_edit_stories": False,
        "can_delete_stories": False,
        "can_send_welcome_messages": False,
        "can_pin_messages": True,
        "can_manage_topics": False,
    }
    rights.update(overrides)
    return rights


def my_chat_member_update(
    chat: dict[str, Any],
    by: dict[str, Any],
    bot: dict[str, Any],
    old_status: str,
    new_status: str,
    **rights: Any,
) -> dict[str, Any]:
    """The bot's own membership changed: added ("left" -> "member"/"administrator"),
    promoted, removed ("member" -> "left"/"kicked"), or blocked in private ("kicked")."""
    return {
        "my_chat_member": {
            "chat": chat,
            "from": by,
            "date": now(),
            "old_chat_member": chat_member(bot, old_status),
            "new_chat_member": chat_member(bot, new_status, **rights),
        }
    }
