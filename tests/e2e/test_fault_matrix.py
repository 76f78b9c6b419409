"""Backend faults against the real loopback server: what the customer is told, that the claim
waits on disk, that it resolves by itself once the backend recovers; agents alerted once."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.views import digest
from tests import factories as f
from tests.support.agents_chat import alerts_in, wait_alerts
from tests.support.bots import QUICK_BACKEND
from tests.support.catalog import in_russian
from tests.support.disk import eventually, rows
from tests.support.widget import ru, widget_text

OPERATOR_BACKEND_DOWN = in_russian(digest.backend_down)
OPERATOR_BACKEND_UP = in_russian(digest.backend_up)

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
SUPPORT_CHAT = -1009999999999
DELAYED = "задерживается"


@contextlib.contextmanager
def black_hole(port: int) -> Iterator[None]:
    """A listener on `port` that never accepts: once its one-slot backlog is full, the
    kernel drops every further SYN, so a connect there times out."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(0)
    fillers = []
    try:
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
            fillers.append(filler)
        yield
    finally:
        for sock in [*fillers, listener]:
            sock.close()


class Outage:
    """Turns one kind of backend fault on and off."""

    def __init__(self, backend, kind: str) -> None:
        self.backend = backend
        self.kind = kind
        self._hole: contextlib.ExitStack | None = None

    async def start(self) -> None:
        if self.kind == "refused":
            await self.backend.stop()
        elif self.kind == "connect-timeout":
            port = int(self.backend.url.rsplit(":", 1)[1])
            await self.backend.stop()
            self._hole = contextlib.ExitStack()
            self._hole.enter_context(black_hole(port))
        elif self.kind.startswith(("503", "429")):
            self.backend.fault(self.kind[:3], request_id=RID, retry_after=1)
        else:
            self.backend.fault(self.kind, request_id=RID)

    async def end(self) -> None:
        if self._hole is not None:
            self._hole.close()
        if self.kind in ("refused", "connect-timeout"):
            await self.backend.start()
        self.backend.clear_faults()


# fault → the reason the bot keeps on disk with the waiting claim
MATRIX = {
    "refused": "cannot connect",
    "connect-timeout": "connect timeout",
    "timeout": "timeout waiting for the backend",  # connected, no answer
    "500": "server error 500",
    "502": "server error 502",
    "503+Retry-After": "server error 503",
    "429+Retry-After": "rate limited (429)",
    "malformed": "malformed response: not valid JSON",
    "wrong_shape": "malformed response: expected a JSON object",
    "huge": "response too large",
    "drip": "timed out: no complete answer",
    "reset": "",  # worded by the HTTP stack
    "401": "backend rejected the credentials",
    "403": "backend refused access",
}


@pytest.mark.parametrize("kind", list(MATRIX))
async def test_fault_matrix(telegram, backend, fast_bot, db_path, kind):
    bot = await fast_bot(backend_options=QUICK_BACKEND, support_chat_id=str(SUPPORT_CHAT))
    expires = bot.app.clock.today() + timedelta(days=77)
    backend.add(RID, expires_on=expires)
    outage = Outage(backend, kind)
    await outage.start()
    alice = f.user("Alice")
    chat = f.private_chat(alice)
    paste = telegram.send_text(chat, alice, widget_text(RID, expires))

    [told] = await telegram.wait_sent(chat["id"], 1, timeout=10)
    assert DELAYED in told.plain_text and "не найден" not in told.plain_text
    assert "присылать его снова не нужно" in told.plain_text
    assert "Traceback" not in told.plain_text and "Error" not in told.plain_text
    assert rows(db_path, "SELECT request_id, resolution FROM pending_checks") == [(RID, None)]
    assert rows(db_path, "SELECT COUNT(*) FROM licenses") == [(0,)]
    # retried on its own, and still waiting on disk
    [(reason,)] = await eventually(
        lambda: rows(db_path, "SELECT last_error FROM pending_checks WHERE attempts >= 2"),
        timeout=10,
    )
    # A drip trips the whole-answer deadline, or on a loaded machine the read timeout
    # between two bytes first: both are the timeout they are.
    also = ("timeout waiting for the backend",) if kind == "drip" else ()
    assert any(part in reason for part in (MATRIX[kind], "circuit open", *also)), reason
    assert telegram.pinned.get(chat["id"]) is None
    alerts = [m.plain_text for m in alerts_in(telegram, SUPPORT_CHAT)]
    if kind in ("401", "403"):  # the bot is misconfigured: the operator hears of it, once
        assert [a for a in alerts if f"HTTP {kind}" in a] == alerts[:1]
    allowed = {OPERATOR_BACKEND_DOWN}
    if kind.isdecimal():
        allowed.add(in_russian(digest.backend_rejects, int(kind)))
    assert set(alerts) <= allowed

    await outage.end()
    pinned = await telegram.wait_for(lambda: telegram.pinned.get(chat["id"]), timeout=10)
    answer = telegram.sent_to(chat["id"])[1]
    assert answer.reply_to_message_id == paste["message_id"]
    assert answer.plain_text.startswith("Лицензия проверена")
    assert f"до {ru(expires)}" in telegram.message(chat["id"], pinned).plain_text
    assert rows(db_path, "SELECT request_id, expires_on FROM licenses") == [
        (RID, expires.isoformat())
    ]
    await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM pending_checks") == [(0,)])
    assert len(telegram.sent_to(chat["id"])) == 3  # told it is delayed, the answer, the status


async def test_agents_are_alerted_once_per_outage_not_per_message(
    telegram, backend, fast_bot, db_path
):
    bot = await fast_bot(backend_options=QUICK_BACKEND, support_chat_id=str(SUPPORT_CHAT))
    expires = bot.app.clock.today() + timedelta(days=30)
    backend.set_down(503)
    customers = []

    def paste_from_a_new_customer() -> None:
        rid = f"{len(customers):08x}-7b86-48bd-a1d6-5bfb6950c17a"
        backend.add(rid, expires_on=expires)
        user = f.user("Клиент")
        customers.append(f.private_chat(user))
        telegram.send_text(customers[-1], user, widget_text(rid, expires))

    for _ in range(4):
        paste_from_a_new_customer()
    [down] = await wait_alerts(telegram, SUPPORT_CHAT, 1, timeout=10)
    assert down.plain_text == OPERATOR_BACKEND_DOWN
    calls = len(backend.calls)
    for _ in range(4):
        paste_from_a_new_customer()
    # the circuit half-opens, a trial fails, it opens again: still the same outage
    await telegram.wait_for(lambda: len(backend.calls) >= calls + 4, timeout=10)
    await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM pending_checks") == [(8,)])
    for chat in customers:
        [told] = await telegram.wait_sent(chat["id"], 1)
        assert DELAYED in told.plain_text
    assert len(alerts_in(telegram, SUPPORT_CHAT)) == 1

    backend.set_up()
    for chat in customers:
        await telegram.wait_for(lambda chat=chat: telegram.pinned.get(chat["id"]), timeout=10)
    alerts = [m.plain_text for m in await wait_alerts(telegram, SUPPORT_CHAT, 2)]
    assert alerts == [OPERATOR_BACKEND_DOWN, OPERATOR_BACKEND_UP]
