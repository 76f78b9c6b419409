"""Logging set-up: text or JSON lines, with a filter that keeps secrets out of every line."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

REDACTED = "[secret]"

# Fields a log call may add with extra={...}; JSON lines carry them as their own keys.
EVENT_FIELDS = ("chat_id", "request_id", "verdict", "ms", "update_id")


class RedactSecrets(logging.Filter):
    """Replaces any configured secret in a record's final message (and its traceback)."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, REDACTED)
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, REDACTED)
        record.msg, record.args = message, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, event fields, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in EVENT_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(
    secrets: Iterable[str | None] = (), level: str = "INFO", fmt: str = "text"
) -> None:
    """Root logging to stderr; LOG_LEVEL from the environment wins over `level`."""
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    wanted = os.environ.get("LOG_LEVEL", level).strip().upper()
    if wanted not in logging.getLevelNamesMapping():
        root.setLevel(logging.INFO)
        logging.getLogger(__name__).warning("LOG_LEVEL %r is not a level; using INFO", wanted)
        return
    root.setLevel(wanted)
