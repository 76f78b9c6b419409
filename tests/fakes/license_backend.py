"""A reference license backend for tests: a real aiohttp server on 127.0.0.1 (port 0).

It speaks the contract of ../shared/DESIGN.md («The license backend contract») and can be
told to misbehave. Typical use::

    async with FakeLicenseBackend(token="secret") as fake:
        fake.add(rid, expires_on=clock.today() + timedelta(days=30))
        backend = LicenseBackend(fake.url, "secret")
        ...
        fake.fault("503", times=1)            # the next request gets a 503
        await fake.wait_calls(rid, 2)          # until the server has seen 2 requests for rid

Order of evaluation for every GET {prefix}/checks/{id}: the request is recorded (calls,
received) → `set_down` → the first matching fault → bearer token (401) → the license, or 404.

Fault kinds: "timeout" (never answers until the server stops), "hold" (waits until `release()`
and then answers normally), "malformed" (invalid JSON), "wrong_shape" (a JSON list), "huge"
(several MB, chunked, no Content-Length), "drip" (a byte every 0.2 s for ever), "reset" (the
connection is dropped without an answer), and any three-digit status such as "500", "502",
"503", "401", "403", "410" or "429" (which carries Retry-After: 2 unless told otherwise).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self

from aiohttp import web

__all__ = ["FAULT_KINDS", "FakeLicenseBackend", "ReceivedRequest"]

FAULT_KINDS = frozenset({"timeout", "hold", "malformed", "wrong_shape", "huge", "drip", "reset"})
_DRIP_INTERVAL = 0.2
_HUGE_BYTES = 4 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class ReceivedRequest:
    """One request as the server saw it."""

    request_id: str  # lower-case, as taken from the path
    path: str
    headers: dict[str, str]


@dataclass(slots=True)
class _Fault:
    kind: str
    request_id: str | None
    times: int | None
    retry_after: int | str | None


@dataclass(slots=True)
class _Down:
    status: int
    retry_after: int | str | None = None


@dataclass(slots=True)
class _State:
    licenses: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: list[_Fault] = field(default_factory=list)
    down: _Down | None = None


class FakeLicenseBackend:
    """The vendor's license backend, in-process. `prefix` serves it under a path such as
    "/api/v1" (then `url` includes it)."""

    def __init__(self, token: str | None = None, *, prefix: str = "") -> None:
        self.token = token
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        self.calls: list[str] = []
        self.received: list[ReceivedRequest] = []
        self._state = _State()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._port = 0
        self._stopping = asyncio.Event()
        self._released = asyncio.Event()
        self._seen = asyncio.Condition()

    # -- life cycle ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to give the client (LICENSE_API_URL), without a trailing slash."""
        if self._url is None:
            raise RuntimeError("FakeLicenseBackend is not started")
        return self._url

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("FakeLicenseBackend is already started")
        self._stopping.clear()
        app = web.Application()
        app.router.add_get(self.prefix + "/checks/{request_id}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self._port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = site.port  # a restart after stop() serves on the same URL
        self._url = f"http://127.0.0.1:{self._port}{self.prefix}"

    async def stop(self) -> None:
        """Stop serving (connections are then refused); requests held by "timeout", "hold"
        or "drip" end first. start() again serves on the same URL."""
        self._stopping.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- licenses --------------------------------------------------------------------------

    def add(
        self,
        request_id: str,
        *,
        status: str = "active",
        expires_on: date | str | None = None,
        license_id: str | None = None,
        demo: bool = False,
        module_name: str | None = "МойСклад: Синхронизация товаров по API",
        module_id: str | None = "rbs.moyskladstocks",
        module_version: str | None = "3.2.4",
        site: str | None = "shop.example.ru",
        renew_url: str | None = None,
        bitrix_license_active: bool | None = True,
        **extra: Any,
    ) -> dict[str, Any]:
        """Register the 200 answer for a Request ID and return the JSON body it will serve.

        Keyword arguments left as None are left out of the body (the contract allows a
        missing field); pass a field through `extra` to send an explicit null, to add an
        unknown field or to override a default, e.g. ``checked_at=None``. The returned dict
        is the one served: changing it (``body["request_id"] = other``) changes later answers.
        """
        rid = request_id.strip().lower()
        body: dict[str, Any] = {"request_id": rid, "status": status}
        optional: dict[str, Any] = {
            "license_id": license_id,
            "demo": demo,
            "expires_on": expires_on.isoformat() if isinstance(expires_on, date) else expires_on,
            "bitrix_license_active": bitrix_license_active,
            "site": site,
            "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "renew_url": renew_url,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        module = {"id": module_id, "name": module_name, "version": module_version}
        module = {key: value for key, value in module.items() if value is not None}
        if module:
            body["module"] = module
        body.update(extra)
        self._state.licenses[rid] = body
        return body

    def remove(self, request_id: str) -> None:
        self._state.licenses.pop(request_id.strip().lower(), None)

    # -- misbehaviour ----------------------------------------------------------------------

    def set_down(self, status: int = 503, retry_after: int | str | None = None) -> None:
        """Every request fails with `status` (and Retry-After, when given) until set_up()."""
        self._state.down = _Down(status, retry_after)

    def set_up(self) -> None:
        self._state.down = None

    def fault(
        self,
        kind: str,
        *,
        request_id: str | None = None,
        times: int | None = None,
        retry_after: int | str | None = None,
    ) -> None:
        """Misbehave for `request_id` (None: every request), `times` times (None: until
        cleared). `retry_after` sets the Retry-After header of a status fault (an int of
        seconds or an HTTP-date string); "429" sends 2 by default."""
        if kind not in FAULT_KINDS and not (kind.isdigit() and len(kind) == 3):
            raise ValueError(f"unknown fault kind {kind!r}")
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 or None")
        if kind == "hold":
            self._released.clear()
        if kind == "429" and retry_after is None:
            retry_after = 2
        rid = request_id.strip().lower() if request_id is not None else None
        self._state.faults.append(_Fault(kind, rid, times, retry_after))

    def clear_faults(self) -> None:
        self._state.faults.clear()

    def release(self) -> None:
        """Let every request held by a "hold" fault (now or later) answer normally."""
        self._released.set()

    # -- observation -----------------------------------------------------------------------

    def calls_for(self, request_id: str) -> int:
        rid = request_id.strip().lower()
        return sum(1 for call in self.calls if call == rid)

    async def wait_calls(
        self,
        request_id: str,
        count: int,
        timeout: float = 15.0,  # noqa: ASYNC109 (the interface the e2e tests use)
    ) -> None:
        """Wait until the server has received `count` requests for `request_id`."""
        async with asyncio.timeout(timeout), self._seen:
            await self._seen.wait_for(lambda: self.calls_for(request_id) >= count)

    # -- the handler -----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        rid = request.match_info["request_id"].lower()
        self.calls.append(rid)
        self.received.append(ReceivedRequest(rid, request.path, dict(request.headers)))
        async with self._seen:
            self._seen.notify_all()

        down = self._state.down
        if down is not None:
            return _status_response(down.status, down.retry_after)
        fault = self._take_fault(rid)
        if fault is not None and fault.kind != "hold":
            return await self._misbehave(request, fault, rid)
        if fault is not None:  # hold
            await self._wait_for(self._released)
            if self._stopping.is_set():
                return _status_response(503, None)
        if self.token is not None and request.headers.get("Authorization") != (
            f"Bearer {self.token}"
        ):
            return web.json_response({"error": "unauthorized"}, status=401)
        body = self._state.licenses.get(rid)
        if body is None:
            return web.json_response({"error": "not found"}, status=404)
        return web.json_response(body)

    def _take_fault(self, rid: str) -> _Fault | None:
        for fault in self._state.faults:
            if fault.request_id is None or fault.request_id == rid:
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._state.faults.remove(fault)
                return fault
        return None

    async def _wait_for(self, event: asyncio.Event) -> None:
        """Wait for `event`, or until the server stops."""
        waiters = {
            asyncio.ensure_future(event.wait()),
            asyncio.ensure_future(self._stopping.wait()),
        }
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _misbehave(
        self, request: web.Request, fault: _Fault, rid: str
    ) -> web.StreamResponse:
        kind = fault.kind
        if kind.isdigit():
            return _status_response(int(kind), fault.retry_after)
        if kind == "timeout":
            await self._stopping.wait()
            return _status_response(503, None)
        if kind == "malformed":
            return web.Response(
                body=b'{"request_id": "' + rid.encode() + b'", "status": "act',
                content_type="application/json",
            )
        if kind == "wrong_shape":
            return web.json_response([{"request_id": rid, "status": "active"}])
        if kind == "reset":
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError  # aiohttp drops the request without answering
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        with contextlib.suppress(ConnectionError, OSError):
            if kind == "huge":
                await response.write(b'{"request_id": "' + rid.encode() + b'", "pad": "')
                for _ in range(_HUGE_BYTES // _CHUNK):
                    if self._stopping.is_set():
                        break
                    await response.write(b"x" * _CHUNK)
                await response.write(b'"}')
            else:  # drip
                while not self._stopping.is_set():
                    await response.write(b" ")
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), _DRIP_INTERVAL)
            await response.write_eof()
        return response


def _status_response(status: int, retry_after: int | str | None) -> web.Response:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return web.Response(
        status=status,
        headers=headers,
        body=json.dumps({"error": f"status {status}"}).encode(),
        content_type="application/json",
    )
