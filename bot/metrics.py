"""Prometheus metrics: one registry per app, fed by small hooks, read on /metrics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram.types.update import UpdateTypeLookupError
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest

from bot.licensing.models import CheckResult, Found, Misconfigured, NotFound, Unavailable

# Backend latency buckets: a healthy backend answers in tens of milliseconds; timeouts are 10 s+.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0)

# Unavailable reasons (bot.licensing.backend) by their first words → a short error kind.
ERROR_KINDS = (
    ("rate limited", "rate_limited"),
    ("server error", "server_error"),
    ("timed out", "timeout"),
    ("timeout", "timeout"),
    ("connect timeout", "timeout"),
    ("cannot connect", "connect"),
    ("connection error", "connect"),
    ("protocol error", "protocol"),
    ("malformed response", "malformed"),
    ("undecodable", "malformed"),
    ("response too large", "too_large"),
    ("unexpected status", "unexpected_status"),
    ("backend unavailable (circuit open)", "circuit_open"),
)


def outcome(result: CheckResult) -> str:
    """found / not_found / misconfigured / unavailable: the label of a verdict."""
    match result:
        case Found():
            return "found"
        case NotFound():
            return "not_found"
        case Misconfigured():
            return "misconfigured"
        case _:
            return "unavailable"


def error_kind(result: CheckResult) -> str | None:
    """The kind of backend failure this result is, or None for an answer that is not one."""
    if isinstance(result, Misconfigured):
        return f"http_{result.status_code}"
    if not isinstance(result, Unavailable):
        return None
    for prefix, kind in ERROR_KINDS:
        if result.reason.startswith(prefix):
            return kind
    return "other"


class Metrics:
    """Every metric of one app, in a registry of its own (tests never share counters)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter(
            "bot_updates_handled", "Telegram updates handled, by type", ["type"], registry=r
        )
        self.pastes = Counter(
            "bot_pastes", "Pasted license texts checked (one per message)", registry=r
        )
        self.verdicts = Counter(
            "bot_verdicts",
            "Verdicts given for pasted Request IDs, by outcome",
            ["outcome"],
            registry=r,
        )
        self.backend_latency = Histogram(
            "bot_backend_latency_seconds",
            "License backend request time",
            registry=r,
            buckets=LATENCY_BUCKETS,
        )
        self.backend_errors = Counter(
            "bot_backend_errors", "License backend failures, by kind", ["kind"], registry=r
        )
        self.circuit_open = Gauge(
            "bot_backend_circuit_open", "1 while the backend circuit breaker is open", registry=r
        )
        self.pending_checks = Gauge(
            "bot_pending_checks", "Request IDs waiting for another backend attempt", registry=r
        )
        self.inbox = Gauge(
            "bot_inbox_updates", "Updates taken from Telegram and not yet handled", registry=r
        )
        self.telegram_429 = Counter(
            "bot_telegram_429",
            "Telegram flood-control answers (429), by method",
            ["method"],
            registry=r,
        )
        self.telegram_retry_after = Counter(
            "bot_telegram_retry_after_seconds", "Seconds Telegram asked us to wait", registry=r
        )
        self.reminders = Counter("bot_reminders_sent", "Reminders sent to chats", registry=r)
        self.ocr_queue = Gauge("bot_ocr_queue", "Pictures waiting for the OCR worker", registry=r)

    def on_backend_result(self, result: CheckResult, seconds: float | None) -> None:
        """LicenseBackend's observer: latency of real requests, failures by kind."""
        if seconds is not None:
            self.backend_latency.observe(seconds)
        kind = error_kind(result)
        if kind is not None:
            self.backend_errors.labels(kind).inc()

    def on_retry_after(self, api_method: str, seconds: float) -> None:
        """The flood-control middleware's hook: Telegram answered 429."""
        self.telegram_429.labels(api_method).inc()
        self.telegram_retry_after.inc(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class UpdateCounter(BaseMiddleware):
    """Outer middleware on Dispatcher.update: counts every update once it was handled."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        finally:
            self.metrics.updates.labels(update_type(event)).inc()


def update_type(event: TelegramObject) -> str:
    """ "message", "callback_query", …; "unknown" for a type newer than aiogram."""
    if not isinstance(event, Update):
        return type(event).__name__
    try:
        return event.event_type
    except UpdateTypeLookupError:
        return "unknown"
