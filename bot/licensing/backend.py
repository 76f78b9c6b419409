"""The license backend client: the whole HTTP contract of ../shared/DESIGN.md lives here.

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
import re
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata
from types import TracebackType
from typing import Any, Self, cast
from urllib.parse import urlsplit

import httpx

from bot.licensing.circuit import CircuitBreaker
from bot.licensing.models import (
    CheckResult,
    Found,
    LicenseCheck,
    Misconfigured,
    NotFound,
    Unavailable,
)

__all__ = [
    "MAX_RETRY_AFTER",
    "LicenseBackend",
    "MalformedResponse",
    "normalize_request_id",
    "parse_check",
    "parse_retry_after",
]

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER = 3600.0
"""Upper bound, in seconds, for any Retry-After the backend asks for."""

_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOKEN_RE = re.compile(r"[\x21-\x7e]+")  # visible ASCII: anything else breaks the header
_MAX_TEXT = 256  # display strings longer than this are cut (they end up in chat messages)
_MAX_URL = 2048
_STATUSES = frozenset({"active", "expired"})
_CIRCUIT_OPEN = "backend unavailable (circuit open)"
_LISTENER_GRACE = 5.0  # seconds aclose() gives a running circuit listener

CircuitListener = Callable[[bool], Awaitable[None]]


def _user_agent() -> str:
    try:
        version = metadata.version("license-support-bot")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"license-support-bot/{version} (Telegram support bot) httpx/{httpx.__version__}"


def normalize_request_id(value: str) -> str | None:
    """The lower-case canonical form of a hyphenated UUID, or None if it is not one."""
    candidate = value.strip().lower()
    return candidate if _UUID_RE.fullmatch(candidate) else None


class MalformedResponse(ValueError):
    """A 200 body that does not follow the contract."""


# --------------------------------------------------------------------------- body parsing


def _text(
    data: dict[str, Any], key: str, where: str, *, limit: int | None = _MAX_TEXT
) -> str | None:
    """An optional string field: stripped, empty → None, wrong type → None (logged)."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        logger.warning(
            "license backend: ignoring %s.%s of type %s", where, key, type(value).__name__
        )
        return None
    value = value.strip()
    if limit is not None and len(value) > limit:
        logger.warning(
            "license backend: %s.%s is %d characters long, cut to %d",
            where,
            key,
            len(value),
            limit,
        )
        value = value[:limit].rstrip()
    return value or None


def _flag(data: dict[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    logger.warning(
        "license backend: ignoring %s of type %s (not a boolean)", key, type(value).__name__
    )
    return None


def _license_id(data: dict[str, Any]) -> str | None:
    value = data.get("license_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a numeric id is still the same identity
    return _text(data, "license_id", "body", limit=None)


def _expires_on(data: dict[str, Any]) -> date | None:
    value = data.get("expires_on")
    if value is None:
        return None
    # The verdict depends on this date: a value we cannot read is a malformed body, not
    # "no end date" (which would mean support without limit).
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value.strip()):
        raise MalformedResponse("expires_on is not a YYYY-MM-DD date")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise MalformedResponse("expires_on is not a valid date") from None


def _checked_at(data: dict[str, Any]) -> datetime | None:
    value = data.get("checked_at")
    if value is None:
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None:
                return parsed
            logger.warning("license backend: ignoring checked_at without a UTC offset")
            return None
    logger.warning("license backend: ignoring unreadable checked_at")
    return None


def _renew_url(data: dict[str, Any]) -> str | None:
    value = _text(data, "renew_url", "body", limit=None)
    if value is None:
        return None
    if len(value) <= _MAX_URL and not any(ch.isspace() or ord(ch) < 32 for ch in value):
        try:
            parts = urlsplit(value)
        except ValueError:
            parts = None
        if parts is not None and parts.scheme.lower() in ("http", "https") and parts.hostname:
            return value
    logger.warning("license backend: ignoring renew_url that is not an http(s) URL")
    return None


def parse_check(payload: object, request_id: str) -> LicenseCheck:
    """Turn a decoded 200 body into a LicenseCheck, or raise MalformedResponse.

    `request_id` is the canonical id that was asked for; the body must name the same one.
    """
    if not isinstance(payload, dict):
        raise MalformedResponse(f"expected a JSON object, got {type(payload).__name__}")
    body_id = payload.get("request_id")
    if not isinstance(body_id, str):
        raise MalformedResponse("request_id missing or not a string")
    if body_id.strip().lower() != request_id:
        raise MalformedResponse("request_id does not match the one asked for")
    status = payload.get("status")
    if not isinstance(status, str) or status.strip().lower() not in _STATUSES:
        raise MalformedResponse("status missing or not 'active'/'expired'")
    expires_on = _expires_on(payload)

    module_id = module_name = module_version = None
    module = payload.get("module")
    if isinstance(module, dict):
        module_id = _text(module, "id", "module")
        module_name = _text(module, "name", "module")
        module_version = _text(module, "version", "module")
    elif module is not None:
        logger.warning("license backend: ignoring module of type %s", type(module).__name__)

    demo = _flag(payload, "demo")
    return LicenseCheck(
        request_id=request_id,
        status=status.strip().lower(),
        license_id=_license_id(payload),
        demo=bool(demo),
        expires_on=expires_on,
        bitrix_license_active=_flag(payload, "bitrix_license_active"),
        module_id=module_id,
        module_name=module_name,
        module_version=module_version,
        site=_text(payload, "site", "body"),
        checked_at=_checked_at(payload),
        renew_url=_renew_url(payload),
    )


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


class _Secret:
    """Holds the token so that no repr, vars() dump or traceback local shows it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "'***'"


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
        token: str | None = None,
        *,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        max_body_bytes: int = 64 * 1024,
        failure_threshold: int = 5,
        open_seconds: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if timeout <= 0 or connect_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if max_body_bytes < 1 or failure_threshold < 1 or open_seconds < 0:
            raise ValueError(
                "max_body_bytes and failure_threshold must be >= 1, open_seconds >= 0"
            )
        self._base_url = _normalize_base_url(base_url)
        token = (token or "").strip()
        if token and not _TOKEN_RE.fullmatch(token):
            raise ValueError("the license API token has characters not allowed in a header")
        self._token = _Secret(token) if token else None
        self._max_body = max_body_bytes
        self.deadline = max(2 * timeout, connect_timeout + timeout)
        self._breaker = CircuitBreaker(failure_threshold, open_seconds, monotonic)
        self._inflight: dict[str, asyncio.Task[CheckResult]] = {}
        self._closed = False
        self.circuit_listener: CircuitListener | None = None
        self._listening: set[asyncio.Task[None]] = set()

        headers = {"Accept": "application/json", "User-Agent": _user_agent()}
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token.value}"
        self._client = httpx.AsyncClient(
            base_url=self._base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=False,
            transport=transport,
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
        rid = normalize_request_id(request_id) if isinstance(request_id, str) else None
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
                return Unavailable(rid, _CIRCUIT_OPEN, retry_after=blocked_for or self.deadline)
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
            text = text.replace(self._token.value, "***")
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


def _normalize_base_url(base_url: str) -> str:
    """Validate and return the base URL ending in exactly one '/', so that 'checks/<id>'
    is appended to any path prefix (httpx merges relative paths onto base_url)."""
    url = base_url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("the license backend URL must be an absolute http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise ValueError("put the license backend credentials in the token, not the URL")
    if parts.query or parts.fragment:
        raise ValueError("the license backend URL must not have a query or fragment")
    return url.rstrip("/") + "/"
