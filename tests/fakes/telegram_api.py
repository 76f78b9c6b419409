"""A fake Telegram Bot API server that the real bot long-polls, for end-to-end tests.

    tg = FakeTelegram()
    await tg.start()                      # http://127.0.0.1:<free port>
    # run the bot with TELEGRAM_API_URL=tg.url and BOT_TOKEN=tg.token
    alice = factories.user("Alice")
    chat = factories.private_chat(alice)
    tg.send_text(chat, alice, "/license")     # a user writes; the bot gets it via getUpdates
    [reply] = await tg.wait_sent(chat["id"])  # what the bot answered
    assert "support until" in reply.plain_text
    await tg.stop()

The tests play the users (`send_text`, `edit_text`, `press_button`, `delete_message`),
look at what users would see (`sent`, `messages_in`, `pinned`, `calls`) and break things
(`block`, `migrate`, `set_chat(can_pin=False)`, `fail_next`). Everything is answered the
way Telegram answers it: the same error codes and descriptions, HTML checked like Telegram
checks it (telegram_html.py), an edit without a keyboard removes the keyboard, updates
stay queued until the bot confirms them with a higher offset, and so on.

Like Telegram, the fake hides from the bot what a bot would not see: in a group where the
bot is not an admin (privacy mode) only commands, replies to the bot and @mentions reach
it, and messages from other bots never do. `push_update` delivers any raw update as is.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web
from multidict import MultiDict

from tests import factories
from tests.fakes.telegram_people import ForumPeople
from tests.fakes.telegram_state import (
    ApiCall,
    ApiError,
    ChatState,
    SentMessage,
    decode_params,
)

__all__ = ["ApiCall", "FakeTelegram", "SentMessage"]

T = TypeVar("T")
# Sent only to bots that ask for them in allowed_updates.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_ALWAYS_SEEN_SENDERS = {factories.GROUP_ANONYMOUS_BOT["id"], 777000, 136817688}
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)


@dataclass
class _Fault:
    method: str
    error_code: int
    description: str
    retry_after: int | None
    chat_id: int | None
    times: int


class FakeTelegram(ForumPeople):
    """The fake server. State to look at (besides `sent`, `pinned`, `callback_answers`,
    `edits`, `chats` from TelegramState, `topics` from telegram_forum.py, `reactions` from
    telegram_media.py, `copies` from telegram_copy.py): `calls` (every request, in order),
    `confirmed_offset`, `unseen` (user messages hidden from the bot), `filtered_updates`
    (dropped by allowed_updates). Set `strict_html = False` to accept a stray "&" as
    Telegram itself does."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "license_test_bot",
        *,
        port: int = 0,
    ) -> None:
        super().__init__(token, bot_username)
        self.url = ""
        self.calls: list[ApiCall] = []
        self.confirmed_offset = 0
        self.filtered_updates: list[dict[str, Any]] = []  # dropped by allowed_updates
        self.unseen: list[dict[str, Any]] = []  # user messages the bot could not see
        self.internal_errors: list[BaseException] = []  # bugs in the fake itself
        self._updates: list[dict[str, Any]] = []  # not yet confirmed
        self._next_update_id = 1
        self.webhook: dict[str, Any] | None = None  # what setWebhook asked for
        self._allowed_updates: frozenset[str] | None = None  # None: Telegram's default
        self._faults: list[_Fault] = []
        self._network_drops = 0
        self._poll_generation = 0
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port = port  # 0: a free one, chosen by start()

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1: the port given, else a free one (the same after a stop())."""
        self._closing = False
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._download)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self._port))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self.url = f"http://127.0.0.1:{self._port}"

    async def stop(self) -> None:
        """Stop listening; pending long polls return [] at once. start() may follow.

        Raises AssertionError if a request crashed inside the fake (a bug in the fake).
        """
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.internal_errors:
            raise AssertionError(f"the fake Telegram crashed: {self.internal_errors!r}")

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def make_bot(self, **kwargs: Any) -> Bot:
        """An aiogram Bot talking to this server (kwargs go to Bot, e.g. default=...)."""
        session = AiohttpSession(api=TelegramAPIServer.from_base(self.url))
        return Bot(self.token, session=session, **kwargs)

    # --- HTTP --------------------------------------------------------------------------------

    async def _not_found(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """GET /file/bot<token>/<file_path>: the bytes of a file getFile described."""
        path = request.match_info["path"]
        self.calls.append(ApiCall("download", {"file_path": path}, time.monotonic(), ok=True))
        self._notify()
        file_id = self.file_paths.get(path)
        if request.match_info["token"] != self.token or file_id is None:
            return await self._not_found(request)
        return web.Response(body=self.files[file_id], content_type="application/octet-stream")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        raw: MultiDict[Any] = MultiDict(request.query)
        if request.content_type == "application/json":
            raw.extend(await request.json())
        elif request.can_read_body:
            raw.extend(await request.post())
        name = request.match_info["method"]
        method = self._method_names.get(name.lower(), name)
        call = ApiCall(method, decode_params(raw), time.monotonic())
        self.calls.append(call)
        self._notify()
        if method == "getUpdates" and self._network_drops > 0:
            self._network_drops -= 1
            call.ok, call.description = False, "connection dropped"
            self._notify()
            assert request.transport is not None
            request.transport.abort()
            return web.Response()
        try:
            call.result = await self._answer(method, call.params)
            call.ok = True
            status, body = 200, {"ok": True, "result": call.result}
        except ApiError as exc:
            call.ok, call.error_code, call.description = False, exc.code, exc.description
            status = exc.code
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
        except asyncio.CancelledError:
            call.description = "the bot went away before the answer"
            raise
        except Exception as exc:  # a bug in the fake: answer 500, fail the test at stop()
            self.internal_errors.append(exc)
            call.ok, call.error_code, call.description = False, 500, f"fake bug: {exc!r}"
            status = 500
            body = {"ok": False, "error_code": 500, "description": call.description}
        finally:
            self._notify()
        return web.json_response(body, status=status)

    async def _answer(self, method: str, params: dict[str, Any]) -> Any:
        self._inject_fault(method, params)
        if method == "getUpdates":
            return await self._get_updates(params)
        handler = self._methods.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return handler(params)

    def _inject_fault(self, method: str, params: dict[str, Any]) -> None:
        for fault in self._faults:
            if fault.method.lower() != method.lower():
                continue
            scope = params.get("scope")
            chat_id = params.get(
                "chat_id", scope.get("chat_id") if isinstance(scope, dict) else None
            )
            if fault.chat_id is not None and chat_id != fault.chat_id:
                continue
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)
            extra = {} if fault.retry_after is None else {"retry_after": fault.retry_after}
            raise ApiError(fault.error_code, fault.description, **extra)

    # --- getUpdates --------------------------------------------------------------------------

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            keep = self._updates[offset:]
            offset = keep[0]["update_id"] if keep else self._next_update_id
        self.confirmed_offset = max(self.confirmed_offset, offset)
        self._updates = [u for u in self._updates if u["update_id"] >= self.confirmed_offset]

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        wanted: list[dict[str, Any]] = []
        for update in self._updates:
            kind = next(k for k in update if k != "update_id")
            if self._allowed_updates is None:
                allowed = kind not in _NOT_BY_DEFAULT
            else:
                allowed = kind in self._allowed_updates
            (wanted if allowed else self.filtered_updates).append(update)
        self._updates = wanted
        return wanted[:limit]

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if params.get("offset"):
            self._confirm(int(params["offset"]))
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):  # kept for later calls, as Telegram does
            self._allowed_updates = frozenset(allowed) or None
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        self._poll_generation += 1
        generation = self._poll_generation
        while True:
            changed = self._changed
            if generation != self._poll_generation:
                raise ApiError(409, CONFLICT)
            batch = self._deliverable(limit)
            remaining = deadline - time.monotonic()
            if batch or self._closing or remaining <= 0:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        url = params.get("url") or ""
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        allowed = params.get("allowed_updates")
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "allowed_updates": allowed if isinstance(allowed, list) else None,
        }
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        pending = len(self._updates)
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": pending}

    # --- driving: what users do --------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (without update_id) for the bot; returns its update_id."""
        update = {k: v for k, v in update.items() if k != "update_id"}
        update_id = self._next_update_id
        self._next_update_id += 1
        self._register_update(update)
        self._updates.append({"update_id": update_id, **update})
        self._notify()
        return update_id

    def _bot_sees(self, msg: dict[str, Any]) -> bool:
        sender = msg.get("from") or {}
        if sender.get("is_bot") and sender.get("id") not in _ALWAYS_SEEN_SENDERS:
            return False
        state = self.chats[msg["chat"]["id"]]
        if not state.is_group:
            return True
        if state.blocked:
            return False
        if state.admin:
            return True
        text = msg.get("text") or msg.get("caption") or ""
        replied = (msg.get("reply_to_message") or {}).get("from") or {}
        return (
            text.startswith("/")
            or replied.get("id") == self.bot_id
            or f"@{self.bot_username}".lower() in text.lower()
        )

    def _deliver(self, kind: str, msg: dict[str, Any]) -> None:
        if self._bot_sees(msg):
            self.push_update({kind: msg})
        else:
            self._register_message(msg)
            self.unseen.append(msg)
            self._notify()

    def send_text(
        self, chat: dict[str, Any], user: dict[str, Any], text: str | None, **extra: Any
    ) -> dict[str, Any]:
        """A user sends a message (text=None + caption=... for a captioned photo).

        extra goes into the Message (forward_origin, entities, ...); reply_to_message may be
        a message id in this chat; message_thread_id=T writes in the forum topic T (see
        telegram_people.py). Returns the message, also when the bot cannot see it (then it
        is in `unseen`).
        """
        state = self._register_chat(chat)
        reply = extra.get("reply_to_message")
        if isinstance(reply, int):
            assert reply in state.messages, f"no message {reply} in chat {state.id} to reply to"
            replied = dict(state.messages[reply])
            replied.pop("reply_to_message", None)
            extra["reply_to_message"] = replied
        self._topic_fields(state, extra)
        msg = factories.message(state.chat, user, text, **extra)
        self._deliver("message", msg)
        return msg

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
        """A user sends a picture: a photo, or with `as_file` (a mime type) an image file.

        The bytes are served by getFile and the file route; `file_size` overrides the size
        Telegram states in the message (e.g. one over 20 MB); extra as for send_text
        (media_group_id for an album, reply_to_message...).
        """
        size = len(data) if file_size is None else file_size
        if as_file is None:
            sizes = factories.photo_sizes(size)
            file_id = sizes[-1]["file_id"]
            extra["photo"] = sizes
        else:
            document = factories.image_document(size, mime_type=as_file)
            file_id = document["file_id"]
            extra["document"] = document
        self.files[file_id] = data
        return self.send_text(chat, user, None, caption=caption, **extra)

    def edit_text(
        self, chat: dict[str, Any], user: dict[str, Any], message_id: int, text: str
    ) -> dict[str, Any]:
        """The user edits their message (its text, or caption if it had no text)."""
        state = self._register_chat(chat)
        original = state.messages.get(message_id)
        assert original is not None, f"no message {message_id} in chat {state.id}"
        assert (original.get("from") or {}).get("id") == user["id"], "users edit only their own"
        msg = factories.edited(original, text)
        self._deliver("edited_message", msg)
        return msg

    def press_button(
        self,
        chat: dict[str, Any],
        user: dict[str, Any],
        message_id: int,
        data: str,
        *,
        check: bool = False,
    ) -> str:
        """The user presses a button with callback_data `data` under the bot message
        `message_id`; returns the callback query id. Any data is sent (a stale keyboard, a
        forged query); check=True asserts the message shows a button with that data."""
        state = self._register_chat(chat)
        current = state.bot_messages.get(message_id)
        if check:
            assert current is not None, f"no bot message {message_id} in chat {state.id}"
            assert data in current.button_data, (
                f"message {message_id} has no button {data!r}; it has {current.button_data}"
            )
        msg = state.messages.get(message_id) or {  # an InaccessibleMessage
            "message_id": message_id,
            "chat": state.chat,
            "date": 0,
        }
        query = factories.callback_query(user, msg, data)
        self.push_update(factories.callback_query_update(query))
        return str(query["id"])

    def delete_message(self, chat_id: int, message_id: int) -> None:
        """A user (or admin) deletes a message; a pinned one is unpinned with it."""
        state = self.chats.get(chat_id)
        assert state is not None and message_id in state.messages, (
            f"no message {message_id} in chat {chat_id}"
        )
        self._forget_message(state, message_id)
        self._notify()

    # --- observing ---------------------------------------------------------------------------

    def messages_in(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages in a chat as they are now (edits applied, deleted ones gone)."""
        state = self.chats.get(chat_id)
        if state is None:
            return []
        return sorted(state.bot_messages.values(), key=lambda m: m.message_id)

    def message(self, chat_id: int, message_id: int) -> SentMessage | None:
        state = self.chats.get(chat_id)
        return None if state is None else state.bot_messages.get(message_id)

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent to a chat, as sent (edits and deletions not applied)."""
        return [m for m in self.sent if m.chat_id == chat_id]

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def describe(self, last: int = 15) -> str:
        """Recent requests and the update queue, for failure messages."""
        start = self.calls[0].at if self.calls else 0.0
        lines = [f"last {min(last, len(self.calls))} of {len(self.calls)} Bot API calls:"]
        lines += [f"  +{c.at - start:7.3f}s {c}" for c in self.calls[-last:]]
        queued = [u["update_id"] for u in self._updates]
        lines.append(f"confirmed offset {self.confirmed_offset}; unconfirmed updates {queued}")
        if self.internal_errors:
            lines.append(f"errors inside the fake: {self.internal_errors!r}")
        return "\n".join(lines)

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 15.0,  # noqa: ASYNC109 - one deadline for the whole wait
        *,
        what: str | None = None,
    ) -> T:
        """Wait until predicate() is truthy and return its value.

        It is re-checked on every request and state change of the fake (and every 50 ms, for
        predicates about the bot's own state); after `timeout` seconds an AssertionError
        tells what was awaited and which requests the bot made.
        """
        deadline = time.monotonic() + timeout
        while True:
            changed = self._changed
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                name = what or getattr(predicate, "__qualname__", repr(predicate))
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {name} "
                    f"(last value {value!r})\n{self.describe()}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, 0.05))

    async def wait_sent(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 15.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Wait until the bot has sent `count` messages to this chat in all (counted from the
        fake's start, deleted and edited ones included) and return the first `count`, as
        sent. So `[answer] = await wait_sent(chat, 1)`, then `wait_sent(chat, 3)` for the
        next two; `sent_to(chat)` has them all (e.g. to check nothing more came).
        """

        def arrived() -> list[SentMessage] | None:
            so_far = self.sent_to(chat_id)
            return so_far[:count] if len(so_far) >= count else None

        return await self.wait_for(
            arrived, timeout, what=f"{count} bot message(s) in chat {chat_id}"
        )

    # --- chat setup and fault injection ------------------------------------------------------

    def set_chat(
        self,
        chat: dict[str, Any],
        *,
        can_pin: bool = True,
        admin: bool | None = None,
        rights: dict[str, bool] | None = None,
    ) -> None:
        """Register a chat. In groups the bot is an admin (unless admin=False: then privacy
        mode hides ordinary messages from it) and may pin messages when can_pin is True.

        `rights` overrides the bot's admin rights (getChatMember reports them), e.g.
        {"can_manage_topics": True}: by default the bot has every right but
        can_manage_topics (tests.support.forum.make_forum gives it every right).
        """
        state = self._register_chat(chat)
        state.chat = dict(chat)
        rights = dict(rights or {})
        state.can_pin = bool(rights.pop("can_pin_messages", can_pin))
        state.rights = rights
        state.admin = True if admin is None else admin
        self._notify()

    def _state(self, chat_id: int) -> ChatState:
        state = self.chats.get(chat_id)
        return state or self._register_chat(self._inferred_chat(chat_id))

    def block(self, chat_id: int, *, notify: bool = False) -> None:
        """The user blocks the bot / the bot is kicked: every method on this chat answers
        403 until unblock(). A kicked bot no longer sees group messages (send_text there
        goes to `unseen`); a private chat's messages still arrive, so a test can make the
        bot answer a user who blocked it. notify=True also queues the my_chat_member update
        (status "kicked") Telegram sends."""
        state = self._state(chat_id)
        state.blocked = True
        if notify:
            by = self.users.get(chat_id) or factories.user("Admin")
            old = "administrator" if state.is_group and state.admin else "member"
            self.push_update(
                factories.my_chat_member_update(state.chat, by, self.bot_user, old, "kicked")
            )
        self._notify()

    def migrate(
        self,
        old_chat_id: int,
        new_chat_id: int,
        *,
        by: dict[str, Any] | None = None,
        announce: bool = True,
    ) -> dict[str, Any]:
        """The group becomes a supergroup: calls on the old id fail with migrate_to_chat_id.
        With announce (the default) the two service messages Telegram sends are queued:
        migrate_to_chat_id in the old group (from `by`), migrate_from_chat_id in the new
        one. The new chat inherits the old one's rights. Returns the new chat."""
        old = self._state(old_chat_id)
        new_chat = {"id": new_chat_id, "type": "supergroup", "title": old.chat.get("title", "")}
        new = self._register_chat(new_chat)
        new.can_pin, new.admin = old.can_pin, old.admin
        old.migrated_to = new_chat_id
        if announce:
            by = by or factories.user("Admin")
            to_msg = factories.migrate_to_message(old.chat, by, new_chat_id)
            from_msg = factories.migrate_from_message(new.chat, old_chat_id)
            self.push_update(factories.message_update(to_msg))
            self.push_update(factories.message_update(from_msg))
        self._notify()
        return new.chat

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` (to `chat_id`, if given) fail with this error,
        e.g. fail_next("sendMessage", error_code=429,
                       description="Too Many Requests: retry after 3", retry_after=3)."""
        self._faults.append(_Fault(method, error_code, description, retry_after, chat_id, times))

    def fail_get_updates_network(self, times: int = 1) -> None:
        """The next `times` getUpdates requests have their connection dropped."""
        self._network_drops += times
