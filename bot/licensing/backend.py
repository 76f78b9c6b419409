"""The license backend client: the HTTP contract of ../shared/DESIGN.md, with contract.py.

contract.py holds the contract's types (the 200 body, the base URL, the token); this module
makes the one call and maps its answer:

    GET {base_url}/checks/{request_id}      Accept: application/json
    Authorization: Bearer {token}           (only when a token is set)

`LicenseBackend.check` never raises for a network or body problem; it maps every outcome
onto the `CheckResult` union:

=======================================  ====================================================
answer                                   result
=======================================  ====================================================
200 with a valid body                    Found
200, body not JSON / not the contract    Unavailable("malformed response: ...") (transient)
200, body over max_body_bytes            Unavailable("response too large")
404                                      NotFound
401, 403                                 Misconfigured (an operator problem; never NotFound)
429                                      Unavailable("rate limited (429)", Retry-After)
5xx                                      Unavailable("server error N"), Retry-After if sent
any other status (1xx, 2xx, 3xx, 4xx)    Unavailable("unexpected status N"); redirects are
                                         not followed (a moved URL is for the operator)
timeout, refused, reset, DNS, TLS        Unavailable with a short reason
no complete answer within `deadline`     Unavailable("timed out: ...") (slow drip)
request_id that is not a UUID            NotFound, without a request
=======================================  ====================================================

Concurrent checks of one Request ID share one HTTP call (singleflight, no caching after it
completes). A circuit breaker stops asking a backend that keeps failing: after
`failure_threshold` consecutive transient failures (network errors, timeouts, 5xx, malformed
or oversized bodies, unexpected statuses) checks fail fast for `open_seconds`, then one trial
request decides whether it closes again. Answers that prove the backend is up and speaking
the contract (200, 404, 401/403 and 429) reset the count; a 429 in particular never opens
the circuit, its Retry-After goes back to the caller instead. `circuit_listener`, when set,
hears each change of the circuit (False: opened, the backend is down; True: closed again) in
a task of its own, so that a slow listener never delays a check.

This module knows nothing of Telegram or settings; the token is never logged nor shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata
from types import TracebackType
from typing import Self, cast

import httpx
from pydantic import SecretStr

from bot.licensing.circuit import CircuitBreaker
from bot.licensing.contract import MalformedResponse, backend_base_url, bearer_token, parse_check
from bot.licensing.ids import canonical_request_id
from bot.licensing.models import CheckResult, Found, Misconfigured, NotFound, Unavailable

__all__ = [
    "MAX_RETRY_AFTER",
    "LicenseBackend",
    "MalformedResponse",
    "parse_check",
    "parse_retry_after",
]

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER = 3600.0
"""Upper bound, in seconds, for any Retry-After the backend asks for."""

_CIRCUIT_OPEN = "backend unavailable (circuit open)"
_LISTENER_GRACE = 5.0  # seconds aclose() gives a running circuit listener

CircuitListener = Callable[[bool], Awaitable[None]]
ResultObserver = Callable[[CheckResult, float | None], None]
"""Hears every result with the request's seconds (None: no request was made); e.g. metrics."""


def _user_agent() -> str:
    try:
        version = metadata.version("license-support-bot")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"license-support-bot/{version} (Telegram support bot) httpx/{httpx.__version__}"


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now (delay-seconds or HTTP-date), capped; None if absent."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" parses naive; HTTP-dates are GMT
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(delta):
        return None
    return min(max(delta, 0.0), MAX_RETRY_AFTER)


# --------------------------------------------------------------------------- the client


def shows_backend_up(result: CheckResult) -> bool:
    """Does this answer show the backend up and keeping the contract (for the breaker)?"""
    return not isinstance(result, Unavailable) or result.rate_limited


class LicenseBackend:
    """Client of the vendor's license backend; one instance (one connection pool) per process.

    `timeout` bounds every read/write/pool wait, `connect_timeout` the connection set-up, and
    a whole check (connect, headers, body) never takes longer than `deadline` =
    max(2 * timeout, connect_timeout + timeout), even against a server that drips its body.
    `monotonic` is the clock of the circuit breaker (injectable for tests).
    """

    def __init__(
        self,
        base_url: str,
        token: SecretStr | str | None = None,
        *,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        max_body_bytes: int = 64 * 1024,
        failure_threshold: int = 5,
        open_seconds: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if timeout <= 0 or connect_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if max_body_bytes < 1 or failure_threshold < 1 or open_seconds < 0:
            raise ValueError(
                "max_body_bytes and failure_threshold must be >= 1, open_seconds >= 0"
            )
        self._base_url = backend_base_url(base_url)
        try:
            self._token = bearer_token(token)
        except ValueError as exc:
            raise ValueError(f"the license API token {exc}") from None
        self._max_body = max_body_bytes
        self.deadline = max(2 * timeout, connect_timeout + timeout)
        self._breaker = CircuitBreaker(failure_threshold, open_seconds, monotonic)
        self._inflight: dict[str, asyncio.Task[CheckResult]] = {}
        self._closed = False
        self.circuit_listener: CircuitListener | None = None
        self.on_result: ResultObserver | None = None
        self._listening: set[asyncio.Task[None]] = set()

        headers = {"Accept": "application/json", "User-Agent": _user_agent()}
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        self._client = httpx.AsyncClient(
            base_url=self._base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=False,
        )

    # -- public API ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def circuit_open(self) -> bool:
        """True while a check would fail fast without asking the backend."""
        return self._breaker.blocked() is not None

    async def check(self, request_id: str) -> CheckResult:
        """Ask the backend about one Request ID. Never raises for network or body problems."""
        rid = canonical_request_id(request_id) if isinstance(request_id, str) else None
        if rid is None:
            logger.info("license backend: not asking about an invalid Request ID")
            return NotFound(str(request_id).strip().lower())
        if self._closed:
            return Unavailable(rid, "backend client closed")

        task = self._inflight.get(rid)
        if task is None or task.done():
            trial, blocked_for = self._breaker.acquire()
            if blocked_for is not None:
                logger.info("license backend: circuit open, not asking about %s", rid)
                # 0 means a half-open trial is running: it is over within one deadline.
                fast = Unavailable(rid, _CIRCUIT_OPEN, retry_after=blocked_for or self.deadline)
                if self.on_result is not None:
                    self.on_result(fast, None)
                return fast
            task = asyncio.get_running_loop().create_task(self._shared_call(rid, trial))
            self._inflight[rid] = task
        try:
            # shield: a waiter cancelled here leaves the shared call running for the others.
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if task.cancelled() and (current is None or not current.cancelling()):
                return Unavailable(rid, "backend client closed")
            raise

    async def aclose(self) -> None:
        """Stop in-flight calls and close the connection pool. Idempotent."""
        self._closed = True
        tasks = [t for t in self._inflight.values() if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if self._listening:
            _done, late = await asyncio.wait(set(self._listening), timeout=_LISTENER_GRACE)
            for listener in late:
                listener.cancel()
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"LicenseBackend(base_url={self._base_url!r}, "
            f"token={'set' if self._token else 'none'}, circuit_open={self.circuit_open})"
        )

    __str__ = __repr__

    # -- internals -------------------------------------------------------------------------

    async def _shared_call(self, rid: str, trial: bool) -> CheckResult:
        healthy: bool | None = None
        try:
            result = await self._call(rid)
            healthy = shows_backend_up(result)
            return result
        finally:
            # Runs before the task is done: a check() after this starts a new call.
            if self._inflight.get(rid) is asyncio.current_task():
                del self._inflight[rid]
            change = self._breaker.record(healthy=healthy, trial=trial)
            if change is not None:
                self._announce(available=change)

    def _announce(self, *, available: bool) -> None:
        listener = self.circuit_listener
        if listener is None or self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._tell(listener, available))
        self._listening.add(task)
        task.add_done_callback(self._listening.discard)

    @staticmethod
    async def _tell(listener: CircuitListener, available: bool) -> None:
        try:
            await listener(available)
        except Exception:  # the listener's failure must not surface in a check
            logger.exception("license backend: the circuit listener failed")

    async def _call(self, rid: str) -> CheckResult:
        result: CheckResult
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.deadline):
                result = await self._request(rid)
        except TimeoutError:
            result = Unavailable(rid, f"timed out: no complete answer within {self.deadline:g} s")
        except httpx.HTTPError as exc:
            result = Unavailable(rid, self._describe(exc))
        except Exception as exc:  # a bug of ours must not take the caller down
            logger.exception("license backend: unexpected error checking %s", rid)
            result = Unavailable(rid, f"internal error: {type(exc).__name__}")
        self._log(rid, result)
        if self.on_result is not None:
            self.on_result(result, time.monotonic() - started)
        return result

    async def _request(self, rid: str) -> CheckResult:
        async with self._client.stream("GET", f"checks/{rid}") as response:
            status = response.status_code
            if status == 200:
                body = await self._read_capped(response)
                if body is None:
                    return Unavailable(rid, "response too large")
                return self._parse(body, rid)
            if status == 404:
                return NotFound(rid)
            if status == 401:
                return Misconfigured(rid, 401, "backend rejected the credentials: check the token")
            if status == 403:
                return Misconfigured(
                    rid, 403, "backend refused access: check the token's rights and the API URL"
                )
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if status == 429:
                return Unavailable(rid, "rate limited (429)", retry_after, rate_limited=True)
            if status >= 500:
                return Unavailable(rid, f"server error {status}", retry_after)
            return Unavailable(rid, f"unexpected status {status}", retry_after)

    async def _read_capped(self, response: httpx.Response) -> bytes | None:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_body:
            return None
        chunks: list[bytes] = []
        size = 0
        # aiter_bytes() is an async generator; typeshed only promises an AsyncIterator.
        body = cast(AsyncGenerator[bytes, None], response.aiter_bytes())
        async with contextlib.aclosing(body) as stream:
            async for chunk in stream:
                size += len(chunk)
                if size > self._max_body:
                    return None  # leaving the stream context drops the connection
                chunks.append(chunk)
        return b"".join(chunks)

    def _parse(self, body: bytes, rid: str) -> CheckResult:
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            return Unavailable(rid, "malformed response: not valid JSON")
        try:
            check = parse_check(payload, rid)
        except MalformedResponse as exc:
            return Unavailable(rid, f"malformed response: {exc}")
        return Found(check)

    def _describe(self, exc: httpx.HTTPError) -> str:
        if isinstance(exc, httpx.ConnectTimeout):
            reason = "connect timeout"
        elif isinstance(exc, httpx.TimeoutException):
            reason = "timeout waiting for the backend"
        elif isinstance(exc, httpx.ConnectError):
            reason = "cannot connect"
        elif isinstance(exc, httpx.ProtocolError):
            reason = "protocol error"
        elif isinstance(exc, httpx.NetworkError):
            reason = "connection error"
        elif isinstance(exc, httpx.DecodingError):
            reason = "undecodable response body"
        else:
            reason = "request failed"
        detail = self._scrub(str(exc))
        return f"{reason}: {detail}" if detail else f"{reason} ({type(exc).__name__})"

    def _scrub(self, text: str) -> str:
        text = " ".join(text.split())[:160]
        if self._token is not None:
            text = text.replace(self._token.get_secret_value(), "***")
        return text

    def _log(self, rid: str, result: CheckResult) -> None:
        match result:
            case Found(check):
                logger.debug(
                    "license backend: %s is %s until %s", rid, check.status, check.expires_on
                )
            case NotFound():
                logger.info("license backend: %s not found", rid)
            case Misconfigured(_, status_code, detail):
                logger.error("license backend misconfigured (HTTP %s): %s", status_code, detail)
            case Unavailable(_, reason, retry_after):
                logger.warning(
                    "license backend unavailable checking %s: %s (retry after %s)",
                    rid,
                    reason,
                    retry_after,
                )
